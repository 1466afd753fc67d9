"""Benchmarks that print figures: load tests against the real views under gunicorn."""
