"""Analytics and ad account IDs (GA UA-/G-, GTM-, AdSense ca-pub-): an operator's accounts."""

from analysis.kinds import ValueKind, register

register(ValueKind(
    name="analytics_id",
    label="same analytics or ad account ID",
    values=lambda site: site.all("analytics_ids"),
))
