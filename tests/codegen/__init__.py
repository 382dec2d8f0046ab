"""Generator tests: tiny inline specs, the real spec, and the --check mode."""
