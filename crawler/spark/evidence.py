"""Shared values, pair kinds, pair scores and connected components, on Spark, with the
default engine's rules (analysis/evidence/): what Spark does is the grouping, counting and
joining over the whole run; each value, pair and score is judged by the same function.

Example:
    >>> evidence = value_evidence(spark, folder, config, total)           # doctest: +SKIP
    >>> groups = connected_groups(spark, members, links)                  # doctest: +SKIP
"""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

from analysis.evidence.analyse import judged_pair
from analysis.evidence.kinds import all_kinds
from analysis.evidence.values import Evidence, kind_weights
from analysis.evidence.values import value_evidence as judged_value
from analysis.records import SiteFeatures


def value_evidence(spark, folder: str | Path, config: dict, total: int) -> list[Evidence]:
    """Every value two or more sites share: holders counted by Spark, each judged (commons
    by count, by the shipped list, by the provider's default, by the platform) as
    ``shared_evidence`` judges it, in its order (kind, then value)."""
    from pyspark.sql import functions as F

    for name in all_kinds():
        kind_weights(config, name)  # a kind without weights is a configuration error
    values = spark.read.parquet(str(Path(folder) / "values"))
    groups = (values.groupBy("kind", "value")
              .agg(F.collect_set("domain").alias("domains"),
                   F.min(F.when(F.col("default").isNotNull(), F.struct("site", "default")))
                   .alias("first_default"),
                   F.collect_set("platform").alias("platforms"))
              .where(F.size("domains") > 1).collect())
    out = []
    for row in sorted(groups, key=lambda r: (r.kind, r.value)):
        default = row.first_default.default if row.first_default is not None else None
        out.append(judged_value(row.kind, kind_weights(config, row.kind), row.value,
                                sorted(row.domains), default,
                                {p or None for p in row.platforms}, total))
    return out


def _pairs_of(evidence: list[Evidence], first_index: int = 0):
    """(a, b, kind, weight, index in the evidence list) of every pair each weighed
    evidence relates."""
    for index, ev in enumerate(evidence, start=first_index):
        if ev.weight > 0:
            for a, b in combinations(ev.domains, 2):
                yield (*sorted((a, b)), ev.kind, float(ev.weight), index)


def _judged(rows, config: dict):
    for row in rows:
        a = SiteFeatures(row.a, "ok", values=json.loads(row.values_a))
        b = SiteFeatures(row.b, "ok", values=json.loads(row.values_b))
        for ev in judged_pair(a, b, config):
            yield (ev.kind, ev.domains[0], ev.domains[1], ev.weight, ev.value, ev.strength,
                   ev.reason)


def pair_evidence(spark, folder: str | Path, evidence: list[Evidence],
                  config: dict) -> list[Evidence]:
    """Pair kinds judged for every pair the ``evidence`` relates, in ``pair_evidence``'s
    order (kind, then pair)."""
    pairs = spark.createDataFrame(spark.sparkContext.parallelize(list(_pairs_of(evidence))),
                                  "a string, b string, kind string, weight double, ev long")
    sites = spark.read.parquet(str(Path(folder) / "sites")).select("domain", "values")
    related = (pairs.select("a", "b").distinct()
               .join(sites.toDF("a", "values_a"), "a").join(sites.toDF("b", "values_b"), "b"))
    found = related.rdd.mapPartitions(lambda rows: _judged(rows, config)).collect()
    return [Evidence(kind=kind, value=value, domains=[a, b], weight=weight, strength=strength,
                     reason=reason)
            for kind, a, b, weight, value, strength, reason in sorted(
                found, key=lambda f: (f[0], f[1], f[2]))]


def _scored(rows, threshold: float):
    for row in rows:
        kinds = {k: w for _, k, w in sorted(row.kinds)}  # the default's order: evidence's
        if sum(kinds.values()) >= threshold / 2:
            yield (row.a, row.b, json.dumps(kinds))


def pair_scores(spark, evidence: list[Evidence], threshold: float
                ) -> dict[tuple[str, str], dict[str, float]]:
    """Per pair of sites, the heaviest weight of each kind they share, for the pairs whose
    weights reach half the threshold (the others are neither links nor near misses); each
    pair's kinds in the order the default engine adds them up."""
    from pyspark.sql import functions as F

    pairs = spark.createDataFrame(spark.sparkContext.parallelize(list(_pairs_of(evidence))),
                                  "a string, b string, kind string, weight double, ev long")
    per_kind = pairs.groupBy("a", "b", "kind").agg(F.min("ev").alias("ev"),
                                                   F.max("weight").alias("weight"))
    per_pair = per_kind.groupBy("a", "b").agg(
        F.collect_list(F.struct("ev", "kind", "weight")).alias("kinds"))
    found = per_pair.rdd.mapPartitions(lambda rows: _scored(rows, threshold)).collect()
    return {(a, b): json.loads(kinds) for a, b, kinds in found}


def connected_groups(spark, members: set[str], links: list[dict]) -> list[list[str]]:
    """The connected groups of ``members`` that ``links`` make: each linked site labelled by
    the least site it reaches, by label propagation over the links until no label changes."""
    from pyspark.sql import functions as F

    edges = [tuple(link["domains"]) for link in links]
    groups: dict[str, list[str]] = {}
    if edges:
        both = spark.createDataFrame(edges + [(b, a) for a, b in edges], "src string, dst string")
        labels = both.select(F.col("src").alias("node"), F.col("src").alias("label")).distinct()
        labels = labels.localCheckpoint()
        while True:
            offered = both.join(labels, both.dst == labels.node).select(
                F.col("src").alias("node"), "label")
            updated = (labels.unionByName(offered).groupBy("node")
                       .agg(F.min("label").alias("label")).localCheckpoint())
            changed = (updated.join(labels.withColumnRenamed("label", "was"), "node")
                       .where(F.col("label") != F.col("was")).count())
            labels = updated
            if not changed:
                break
        for row in labels.collect():
            groups.setdefault(row.label, []).append(row.node)
    linked = {d for group in groups.values() for d in group}
    out = [sorted(group) for group in groups.values()]
    return out + [[d] for d in sorted(members - linked)]
