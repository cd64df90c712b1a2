"""Copied text across a run, on Spark: the steps of analysis/text/copied_text.py, each a
distributed job over the Parquet export, each step's rule the default engine's own code.

1. Common passages: shingles held by more sites than ``common_limit`` (counted by Spark),
   dropped from every site's whole text and pages.
2. MinHash signatures of what is left (``signature_values``), one per unit (a site's whole
   text, each page of a site of several pages) of at least ``min_shingles``; units are
   numbered in the default engine's order (site, then whole before pages).
3. LSH candidates: units sharing a band (``lsh_rows`` equal values) are grouped by Spark; a
   bucket of more than ``lsh_bucket`` members gives a star from its first, as
   ``candidate_pairs`` does; the MinHash estimate sorts out the unlikely (``_likely``'s rule).
4. Verification of each site pair on its exact shingles (``_verify``).

Example:
    >>> linked = copied_links(spark, folder, n_sites, config["text"])   # doctest: +SKIP
"""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import numpy as np

from analysis.text.copied_text import CopiedPair, Verified, _verify, common_limit
from analysis.text.minhash import signature_values
from analysis.text.shingles import in_sorted


def _hashes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.uint32)


def common_hashes(spark, units, limit: int) -> np.ndarray:
    """Shingle hashes held by more than ``limit`` sites' whole texts, sorted."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import ArrayType, LongType

    @F.pandas_udf(ArrayType(LongType()))
    def as_longs(blobs):
        return blobs.map(lambda b: _hashes(b).astype(np.int64))

    common = (units.select(F.explode(as_longs("whole")).alias("h")).groupBy("h").count()
              .where(F.col("count") > limit).select("h").collect())
    return np.sort(np.array([r.h for r in common], dtype=np.uint32))


def _filtered(rows, common: np.ndarray, min_shingles: int):
    """Per site: its sets without the common shingles, and its comparable units' sizes and
    signatures (unit 0 its whole text, 1... its pages)."""
    for row in rows:
        whole = _hashes(row.whole)
        pages = [_hashes(p) for p in row.pages or []]
        if len(common):
            whole = whole[~in_sorted(whole, common)]
            pages = [p[~in_sorted(p, common)] for p in pages]
        units = [(n, len(unit), signature_values(unit).astype(np.uint32).tobytes())
                 for n, unit in enumerate([whole, *pages]) if len(unit) >= min_shingles]
        yield (row.site, row.domain, whole.tobytes(), [p.tobytes() for p in pages], units)


def _bucket_pairs(members: list[int], max_bucket: int | None):
    members = sorted(members)
    if max_bucket is not None and len(members) > max_bucket:
        return [(members[0], m) for m in members[1:]]
    return [(a, b) for n, a in enumerate(members) for b in members[n + 1:]]


def _likely(rows, threshold: float, containment: float):
    """Candidate unit pairs whose MinHash estimate reaches half a threshold, as the
    default engine's vectorised ``_likely`` computes it (numpy float64, the same order of
    operations), as site pairs."""
    for row in rows:
        jaccard = (np.frombuffer(row.sig_i, np.uint32) == np.frombuffer(row.sig_j, np.uint32)
                   ).mean()
        a, b = np.int64(row.size_i), np.int64(row.size_j)
        contained = jaccard * (a + b) / ((1 + jaccard) * np.minimum(a, b))
        if jaccard >= threshold / 2 or contained >= containment / 2:
            i, j = sorted((row.site_i, row.site_j))
            if i != j:
                yield (i, j)


def _verified(rows, cfg: dict):
    for row in rows:
        sites = [SimpleNamespace(domain=row.domain_a), SimpleNamespace(domain=row.domain_b)]
        whole = [_hashes(row.whole_a), _hashes(row.whole_b)]
        pages = [[_hashes(p) for p in row.pages_a], [_hashes(p) for p in row.pages_b]]
        found = _verify(sites, whole, pages, 0, 1, cfg)
        if found is not None:
            smaller, other, shared, pair = found
            yield (sites[smaller].domain, sites[other].domain, shared.tobytes(), pair.a,
                   pair.b, pair.jaccard, pair.containment, pair.shared)


def copied_links(spark, folder: str | Path, n_sites: int, cfg: dict) -> list[Verified]:
    """The run's site pairs whose uncommon text links them, verified (without passages)."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import ArrayType, BinaryType

    units = spark.read.parquet(str(Path(folder) / "units"))
    common = common_hashes(spark, units, common_limit(n_sites, cfg))
    shared_common = spark.sparkContext.broadcast(common)
    min_shingles = cfg["min_shingles"]
    filtered = spark.createDataFrame(units.rdd.mapPartitions(
        lambda rows: _filtered(rows, shared_common.value, min_shingles)),
        "site int, domain string, whole binary, pages array<binary>,"
        " units array<struct<n:int,size:int,sig:binary>>").cache()
    numbered = spark.createDataFrame(
        filtered.select("site", F.explode("units").alias("u"))
        .select("site", F.col("u.n").alias("n"), F.col("u.size").alias("size"),
                F.col("u.sig").alias("sig"))
        .rdd.sortBy(lambda r: (r.site, r.n)).zipWithIndex()
        .map(lambda ri: (ri[1], ri[0].site, ri[0].size, ri[0].sig)),
        "unit long, site int, size int, sig binary").cache()
    bands, rows = cfg["lsh_bands"], cfg["lsh_rows"]

    @F.pandas_udf(ArrayType(BinaryType()))
    def band_keys(sigs):
        return sigs.map(lambda s: [bytes(s[b * rows * 4:(b + 1) * rows * 4])
                                   for b in range(bands)])

    max_bucket = cfg.get("lsh_bucket")
    buckets = (numbered.select("unit", F.posexplode(band_keys("sig")).alias("band", "key"))
               .groupBy("band", "key").agg(F.collect_list("unit").alias("members"))
               .where(F.size("members") > 1))
    pairs = spark.createDataFrame(
        buckets.rdd.flatMap(lambda r: _bucket_pairs(r.members, max_bucket)).distinct(),
        "i long, j long")
    side = numbered.select("unit", "site", "size", "sig")
    candidates = (pairs.join(side.toDF("i", "site_i", "size_i", "sig_i"), "i")
                  .join(side.toDF("j", "site_j", "size_j", "sig_j"), "j"))
    threshold, containment = cfg["threshold"], cfg["containment_threshold"]
    site_pairs = spark.createDataFrame(candidates.rdd.mapPartitions(
        lambda rs: _likely(rs, threshold, containment)).distinct(), "a int, b int")
    sets = filtered.select("site", "domain", "whole", "pages")
    joined = (site_pairs.join(sets.toDF("a", "domain_a", "whole_a", "pages_a"), "a")
              .join(sets.toDF("b", "domain_b", "whole_b", "pages_b"), "b"))
    found = joined.rdd.mapPartitions(lambda rs: _verified(rs, cfg)).collect()
    filtered.unpersist()
    numbered.unpersist()
    return sorted(((smaller, other, np.frombuffer(shared, dtype=np.uint32),
                    CopiedPair(a, b, jaccard, contained, count))
                   for smaller, other, shared, a, b, jaccard, contained, count in found),
                  key=lambda v: (v[3].a, v[3].b))
