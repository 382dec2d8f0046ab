"""Hand-written async helpers; `../_sync` holds their generated twins."""
