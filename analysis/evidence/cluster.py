"""Clusters: connected groups of sites whose pairwise evidence reaches the link threshold.

Per pair, each kind counts once (its heaviest shared value); the kinds' weights add up. Every
site given is in exactly one cluster; a site with no link is a cluster of one.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import combinations

from analysis.evidence.values import Evidence

MAX_NEAR_MISSES = 10  # per cluster, the highest-scoring


def cluster_id(number: int) -> str:
    """The one format of cluster ids: C0001, C0002, ... (more digits past 9999)."""
    return f"C{number:04d}"


def cluster_number(cid: str) -> int | None:
    """The number of a cluster id, or None for anything else."""
    return int(cid[1:]) if cid[:1] == "C" and cid[1:].isdigit() else None


class _UnionFind:
    def __init__(self, items):
        self.parent = {i: i for i in items}

    def find(self, x):
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


@dataclass
class Cluster:
    id: str
    domains: list[str]
    evidence: list[Evidence] = field(default_factory=list)
    links: list[dict] = field(default_factory=list)
    copied_from: list[dict] = field(default_factory=list)
    likely_original: dict | None = None
    # Pairs with a member that scored at least half the threshold but not the threshold,
    # with a site of another cluster: what an analyst judges a lone site by.
    near_misses: list[dict] = field(default_factory=list)


def pair_scores(evidence: list[Evidence]) -> dict[tuple[str, str], dict[str, float]]:
    """For each pair of sites, the heaviest weight of each kind they share."""
    scores: dict[tuple[str, str], dict[str, float]] = defaultdict(dict)
    for ev in evidence:
        if ev.weight <= 0:
            continue
        for a, b in combinations(ev.domains, 2):
            kinds = scores[(a, b) if a < b else (b, a)]
            kinds[ev.kind] = max(kinds.get(ev.kind, 0.0), ev.weight)
    return scores


def scored_pairs(scores: dict[tuple[str, str], dict[str, float]], members: set[str],
                 threshold: float) -> tuple[list[dict], list[dict]]:
    """(links, near misses): the pairs of ``members`` (in pair order) whose kinds' weights
    add up to the threshold, and those reaching half of it."""
    links, below = [], []
    for (a, b), kinds in sorted(scores.items()):
        if a not in members or b not in members:
            continue
        score = sum(kinds.values())
        if score >= threshold:
            links.append({"domains": [a, b], "score": round(score, 4), "kinds": kinds})
        elif score >= threshold / 2:
            below.append({"domains": [a, b], "score": round(score, 4), "kinds": kinds})
    return links, below


def components(members: set[str], links: list[dict]) -> list[list[str]]:
    """The connected groups of ``members`` that ``links`` make, each sorted."""
    uf = _UnionFind(sorted(members))
    for link in links:
        uf.union(*link["domains"])
    groups: dict[str, list[str]] = defaultdict(list)
    for d in sorted(members):
        groups[uf.find(d)].append(d)
    return list(groups.values())


def build_clusters(domains: list[str], evidence: list[Evidence], threshold: float) -> list[Cluster]:
    """Cluster ``domains`` by ``evidence``; ids C0001... largest cluster first."""
    members = set(domains)
    links, below = scored_pairs(pair_scores(evidence), members, threshold)
    return assemble(components(members, links), links, below, evidence)


def assemble(groups: list[list[str]], links: list[dict], below: list[dict],
             evidence: list[Evidence]) -> list[Cluster]:
    """Clusters from their groups of sites (each sorted; from ``components``, or an engine
    that finds them elsewhere): ids C0001... largest first, each with its links, near
    misses and the evidence among its members."""
    ordered = sorted(groups, key=lambda g: (-len(g), g[0]))
    clusters = []
    index: dict[str, Cluster] = {}
    for n, group in enumerate(ordered, start=1):
        cluster = Cluster(id=cluster_id(n), domains=group)
        clusters.append(cluster)
        for d in group:
            index[d] = cluster
    for link in links:
        index[link["domains"][0]].links.append(link)
    for miss in sorted(below, key=lambda m: -m["score"]):
        a, b = (index[d] for d in miss["domains"])
        if a is b:
            continue  # linked through other members: not a near miss
        for cluster in (a, b):
            if len(cluster.near_misses) < MAX_NEAR_MISSES:
                cluster.near_misses.append(miss)
    for ev in evidence:
        if ev.weight <= 0:
            continue
        by_cluster: dict[str, list[str]] = defaultdict(list)
        for d in ev.domains:
            if d in index:
                by_cluster[index[d].id].append(d)
        for ds in by_cluster.values():
            if len(ds) >= 2:
                index[ds[0]].evidence.append(Evidence(
                    kind=ev.kind, value=ev.value, domains=ds, weight=ev.weight,
                    strength=ev.strength, reason=ev.reason, details=ev.details,
                ))
    for cluster in clusters:
        cluster.evidence.sort(key=lambda e: (-e.weight, e.kind, e.value))
    return clusters
