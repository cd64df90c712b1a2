"""Reports and exports: the JSON report, HTML, CSV, STIX, MISP, GraphML/GEXF, diffs."""
