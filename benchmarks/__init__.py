"""The mistral-sdk benchmark suite: `make bench` / `make bench-quick`.

This package is imported inside the measured client processes, so it and
`benchmarks.clients` must stay free of imports: anything imported here would
be paid for before the import-time measurement starts and hidden from it.
"""
