"""Benchmarks: each measures our code against a baseline run in the same process
and reports the ratio, so results compare across machines.  `make bench` runs all
and rewrites docs/benchmarks.md."""
