"""Hand-written behaviour beyond the wire, reached through methods on the resources."""
