"""Operational telemetry: Prometheus metrics fed by the product's fixed log events."""
