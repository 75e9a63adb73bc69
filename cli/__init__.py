"""The collectbot command line (an entry point: wiring only)."""
