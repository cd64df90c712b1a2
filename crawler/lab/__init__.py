"""The lab world (SPEC §9): a synthetic internet on loopback for tests, demos and benchmarks."""
