"""Enrichment sources: DNS, WHOIS (domains and addresses) and TLS certificates."""
