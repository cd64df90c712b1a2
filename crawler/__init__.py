"""Everything that touches the network or the store: crawl, enrichment, lab world, CLI."""
