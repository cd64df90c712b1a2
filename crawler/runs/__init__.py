"""Runs after the crawl: deriving features and clusters, reports, imports of other tools' files."""
