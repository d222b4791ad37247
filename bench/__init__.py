"""Benchmarks of the kernel pages: run from the repository root as
`python -m bench.kernels_bench` with snippets/ on PYTHONPATH (`make bench`
and `make bench-gpu` do both). Not tests: nothing here runs in CI except
their --tiny smoke runs."""
