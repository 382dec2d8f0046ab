"""Contract tests: every operation through the SDK against the Prism mock server."""
