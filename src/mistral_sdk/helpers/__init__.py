"""Helpers beyond the wire: parsing, tool runs, batch runs and bounded concurrency."""
