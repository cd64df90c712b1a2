"""Text fingerprints: main text, shingles, MinHash, candidate pairs, copied text, provenance."""
