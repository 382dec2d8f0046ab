"""The async helpers; their sync twins in `../_sync/` are generated from these files."""
