"""Demo data for `make run` and the benchmarks. Not imported by the running service."""
