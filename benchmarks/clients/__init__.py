"""One adapter module per compared client; each imports its library lazily."""
