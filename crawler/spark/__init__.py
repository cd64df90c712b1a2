"""`facade cluster --engine spark`: the corpus-wide stages of clustering on Apache Spark."""
