"""Synthetic collections data: the demo portfolio and its simulated contact history."""
