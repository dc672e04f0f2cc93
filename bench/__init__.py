"""Benchmarks run by `make bench` (results in BENCHMARKS.md)."""
