"""Crawling from a shared frontier: many workers, on many machines, one run."""
