"""Repayment model, strategy, compliance guard and case allocation (pure domain code)."""
