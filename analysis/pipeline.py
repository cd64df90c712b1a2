"""From site features to clusters: fingerprints, evidence, clusters (pure computation)."""

from __future__ import annotations

from dataclasses import dataclass, field

from analysis.cluster import Cluster, build_clusters, pair_scores
from analysis.config import default_config
from analysis.evidence import Evidence, shared_evidence
from analysis.kinds import pair_kinds
from analysis.minhash import SCHEME_ID, signature, to_bytes
from analysis.records import SiteFeatures
from analysis.shingles import shingle_hashes
from analysis.textsim import near_duplicates, text_weight


@dataclass
class Analysis:
    clusters: list[Cluster]
    evidence: list[Evidence]
    fingerprints: dict[str, bytes] = field(default_factory=dict)
    scheme: str = SCHEME_ID


def text_evidence(sites: list[SiteFeatures], config: dict) -> tuple[list[Evidence], dict]:
    text_cfg = config["text"]
    signatures, blobs = {}, {}
    for site in sites:
        hashes = shingle_hashes(site.text, k=text_cfg["shingle_words"])
        if len(hashes) < text_cfg["min_shingles"]:
            continue
        sig = signature(hashes)
        signatures[site.domain] = sig
        blobs[site.domain] = to_bytes(sig)
    pairs = near_duplicates(signatures, text_cfg["threshold"], text_cfg["lsh_bands"],
                            text_cfg["lsh_rows"])
    evidence = [
        Evidence(
            kind="text_similarity", value=f"{j:.2f}", domains=[a, b],
            weight=text_weight(j, text_cfg), strength="strong",
            reason=f"near-duplicate main text, estimated Jaccard {j:.2f}",
            details={"jaccard": j},
        )
        for a, b, j in pairs
    ]
    return evidence, blobs


def pair_evidence(sites: list[SiteFeatures], evidence: list[Evidence],
                  config: dict) -> list[Evidence]:
    """Pair kinds (e.g. close registration dates), judged for pairs other evidence relates."""
    by_domain = {s.domain: s for s in sites}
    related = sorted(pair_scores(evidence))
    out = []
    for name, kind in sorted(pair_kinds().items()):
        cfg = config.get("pairs", {}).get(name)
        if cfg is None:
            continue
        for a, b in related:
            result = kind.score(by_domain[a], by_domain[b], cfg)
            if result:
                weight, value = result
                out.append(Evidence(kind=name, value=value, domains=[a, b], weight=weight,
                                    strength=cfg.get("strength", "weak"),
                                    reason=f"{kind.label}: {value}"))
    return out


def analyse(sites: list[SiteFeatures], config: dict | None = None) -> Analysis:
    """Cluster the sites with status ``ok``; evidence is computed among them."""
    config = config or default_config()
    ok = [s for s in sites if s.status == "ok"]
    text_ev, blobs = text_evidence(ok, config)
    evidence = text_ev + shared_evidence(ok, config)
    evidence += pair_evidence(ok, evidence, config)
    clusters = build_clusters([s.domain for s in ok], evidence, config["link_threshold"])
    return Analysis(clusters=clusters, evidence=evidence, fingerprints=blobs)
