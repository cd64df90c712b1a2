"""Evidence and clusters: evidence kinds, shared values, pairs, clusters, and their identity
across runs."""
