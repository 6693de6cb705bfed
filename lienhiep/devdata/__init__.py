"""Demo data and the national-scale generator. It imports the apps; nothing imports it but the CLI, the tests and
the benchmarks."""
