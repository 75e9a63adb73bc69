"""The repayment model: features, LightGBM with isotonic calibration, reason codes, tiers."""
