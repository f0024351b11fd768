"""Benchmarks of the gateway against the sandbox, run as real processes."""
