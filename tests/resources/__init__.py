"""Behaviour of the generated resources, through the public API, on both clients."""
