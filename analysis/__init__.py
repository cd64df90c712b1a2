"""Pure computation on crawled records: features, fingerprints, evidence, clusters, reports.

This package never imports scrapy, twisted or ``crawler`` (tests/test_boundary.py enforces it),
so any stage can be re-run on stored records without touching the network.
"""
