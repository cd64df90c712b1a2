"""From site features to clusters: fingerprints, evidence, clusters (pure computation)."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np

from analysis.evidence.cluster import Cluster, build_clusters, pair_scores
from analysis.evidence.kinds import TEXT_KIND, pair_kinds
from analysis.evidence.values import Evidence, shared_evidence
from analysis.records import SiteFeatures
from analysis.text.copied_text import (
    CopiedPair,
    TextSource,
    copied_pairs,
    shingle_units,
    site_page_sets,
)
from analysis.text.minhash import SCHEME_ID, signature_values, to_bytes
from analysis.text.provenance import cluster_provenance, copied_from, likely_original
from analysis.text.shingle_table import ShingleTable
from analysis.text.shingles import DEFAULT_K
from analysis.text.textsim import text_weight


@dataclass
class Analysis:
    clusters: list[Cluster]
    evidence: list[Evidence]
    fingerprints: dict[str, bytes] = field(default_factory=dict)
    scheme: str = SCHEME_ID
    timings: dict[str, float] = field(default_factory=dict)  # seconds per stage
    pages: dict[str, int] = field(default_factory=dict)  # pages "read" now and "reused"


def signatures_of(sites: list[SiteFeatures], text_cfg: dict,
                  wholes: list | None = None) -> dict[str, np.ndarray]:
    """MinHash signatures (their 128 values) of the sites whose main text is long enough to
    compare: each site's whole text, common passages included (``wholes``: its shingles, if
    known). A union's signature is the least of its parts', so a site whose pages' stored
    readings carry signatures costs no hashing here."""
    if wholes is None:
        wholes = shingle_units(sites, text_cfg["shingle_words"])[0]
    out = {}
    for site, hashes in zip(sites, wholes, strict=True):
        if len(hashes) < text_cfg["min_shingles"]:
            continue
        parts = site.page_signatures
        if (text_cfg["shingle_words"] == DEFAULT_K and parts
                and len(parts) == len(site.page_texts) and all(parts)):
            stored = [np.frombuffer(p, dtype=np.uint32) for p in parts]
            out[site.domain] = stored[0] if len(stored) == 1 else np.minimum.reduce(stored)
        else:
            out[site.domain] = signature_values(hashes)
    return out


def text_evidence(sites: list[SiteFeatures], config: dict, text_of: TextSource | None = None,
                  table: ShingleTable | None = None
                  ) -> tuple[list[Evidence], dict[str, np.ndarray]]:
    """Copied text (analysis/text/copied_text.py) as evidence; and each site's text fingerprint
    (the diff and provenance compare whole texts), from one shingling of every site (or
    ``table``: their whole sets, already made; it is changed)."""
    text_cfg = config["text"]
    k = text_cfg["shingle_words"]
    if table is not None:
        units = (table, [sets if len(sets := site_page_sets(site, k)) > 1 else []
                         for site in sites])
    else:
        units = shingle_units(sites, k)
    signatures = signatures_of(sites, text_cfg, units[0])
    evidence = [copied_evidence(pair, text_cfg)
                for pair in copied_pairs(sites, text_cfg, units, text_of)]
    return evidence, signatures


def copied_evidence(pair: CopiedPair, text_cfg: dict) -> Evidence:
    """The evidence of one pair of sites whose text is copied."""
    by_jaccard = pair.jaccard >= text_cfg["threshold"]
    measure = (f"Jaccard {pair.jaccard:.2f}" if by_jaccard
               else f"containment {pair.containment:.2f} (Jaccard {pair.jaccard:.2f})")
    return Evidence(
        kind=TEXT_KIND, value=f"{pair.similarity:.2f}", domains=[pair.a, pair.b],
        weight=text_weight(pair, text_cfg), strength="strong",
        reason=f"copied main text: {pair.shared} uncommon shingles shared, {measure}",
        details={"jaccard": pair.jaccard, "containment": pair.containment,
                 "shared_shingles": pair.shared, "passages": pair.passages,
                 "side_by_side": [list(p) for p in pair.side_by_side]},
    )


def pair_evidence(sites: list[SiteFeatures], evidence: list[Evidence],
                  config: dict) -> list[Evidence]:
    """Pair kinds (e.g. close registration dates), judged for pairs other evidence relates."""
    by_domain = {s.domain: s for s in sites}
    found = [ev for a, b in sorted(pair_scores(evidence))
             for ev in judged_pair(by_domain[a], by_domain[b], config)]
    return sorted(found, key=lambda ev: ev.kind)  # stable: each kind's pairs in order


def judged_pair(a: SiteFeatures, b: SiteFeatures, config: dict) -> list[Evidence]:
    """What each pair kind (by name) finds in one related pair."""
    out = []
    for name, kind in sorted(pair_kinds().items()):
        cfg = config.get("pairs", {}).get(name)
        if cfg is None:
            continue
        result = kind.score(a, b, cfg)
        if result:
            weight, value = result
            out.append(Evidence(kind=name, value=value, domains=[a.domain, b.domain],
                                weight=weight, strength=cfg.get("strength", "weak"),
                                reason=f"{kind.label}: {value}"))
    return out


def add_provenance(clusters: list[Cluster], ok: list[SiteFeatures],
                   signatures: dict[str, np.ndarray], references: list[SiteFeatures],
                   config: dict) -> dict[str, bytes]:
    """Name the reference each cluster copied; else its likely original. Returns the
    references' fingerprints."""
    text_cfg = config["text"]
    ref_sigs = signatures_of(references, text_cfg)
    matches = copied_from(signatures, ref_sigs, text_cfg["reference_threshold"],
                          text_cfg["lsh_bands"], text_cfg["lsh_rows"])
    by_domain = {s.domain: s for s in ok}
    for cluster in clusters:
        cluster.copied_from = cluster_provenance(cluster.domains, matches)
        text_linked = sorted({d for e in cluster.evidence if e.kind == TEXT_KIND
                              for d in e.domains})
        if not cluster.copied_from and text_linked:
            cluster.likely_original = likely_original(text_linked, by_domain)
    return {d: to_bytes(s) for d, s in ref_sigs.items()}


class Laps:
    """Seconds per stage, each counted from the end of the one before."""

    def __init__(self) -> None:
        self.timings: dict[str, float] = {}
        self._last = time.perf_counter()

    def __call__(self, stage: str) -> None:
        now = time.perf_counter()
        self.timings[stage] = round(now - self._last, 2)
        self._last = now


def compared(site: SiteFeatures) -> bool:
    """Whether a site is clustered (and its text compared): answered, not a reference."""
    return site.status == "ok" and site.role != "reference"


def analyse(sites: list[SiteFeatures], config: dict, text_of: TextSource | None = None,
            table: ShingleTable | None = None) -> Analysis:
    """Cluster the seed sites with status ``ok``; evidence is computed among them (sites
    given without their main texts, as a large run streams them, have ``text_of`` read the
    few a copied-text link quotes, and ``table`` holds the compared sites' whole shingle
    sets, in order). Reference
    sites (known legitimate) are never cluster members: they only say whom a cluster copied."""
    ok = [s for s in sites if compared(s)]
    if table is not None and len(table) != len(ok):
        raise ValueError("the shingle table must hold the compared sites, in order")
    references = [s for s in sites if s.status == "ok" and s.role == "reference"]
    lap = Laps()

    text_ev, signatures = text_evidence(ok, config, text_of, table)
    blobs = {d: to_bytes(s) for d, s in signatures.items()}
    lap("text")
    evidence = text_ev + shared_evidence(ok, config)
    evidence += pair_evidence(ok, evidence, config)
    lap("values")
    clusters = build_clusters([s.domain for s in ok], evidence, config["link_threshold"])
    blobs.update(add_provenance(clusters, ok, signatures, references, config))
    lap("clusters")
    return Analysis(clusters=clusters, evidence=evidence, fingerprints=blobs, timings=lap.timings)
