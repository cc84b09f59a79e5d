"""Benchmarks: each bench_*.py has main(), compares with a baseline measured in the same run."""
