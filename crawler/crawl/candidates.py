"""`--expand N`: after each round, the next round's sites: candidates found by pivoting from
the sites just crawled (analysis.evidence.expansion), and domains of earlier runs in the
database that share one of their strong values. Each added site records which pivot found it.

Shared values pivot only where they are evidence: never on a common by the shipped list
(a privacy service's e-mail) nor on a value held by more domains than its kind's
`common_at` (evidence.toml): expanding on infrastructure would pull in everyone.
"""

from __future__ import annotations

from collections import defaultdict

from analysis.evidence.expansion import STRONG_VALUES, Candidate, pivots
from analysis.evidence.kinds import all_kinds
from analysis.feature_table import pivot_kinds
from analysis.features import site_features
from crawler.store import Store

KIND_OF = pivot_kinds()  # feature -> the evidence kind that judges it


def find_candidates(store: Store, run_id: int, crawled: list[str], known: set[str],
                    limit: int, config: dict) -> list[Candidate]:
    kinds = all_kinds()
    records = [r for r in store.site_records(run_id) if r.domain in set(crawled)]
    features = [site_features(r, config) for r in records if r.status == "ok"]
    found = pivots(features, {r.domain: r.pages for r in records}, known)
    taken = known | {c.domain for c in found}
    ours = {(feature, value): f.domain for f in features for feature in STRONG_VALUES
            for value in f.all(feature)}
    holders: dict[tuple[str, str], set[str]] = defaultdict(set)
    for domain, feature, value in store.values_elsewhere(run_id, STRONG_VALUES):
        if (feature, value) in ours:
            holders[(feature, value)].add(domain)
    # Rarest values first: they say the most about one operator.
    for (feature, value), domains in sorted(holders.items(), key=lambda kv: len(kv[1])):
        kind = kinds[KIND_OF[feature]]
        if kind.common(value) or len(domains) + 1 > config["kinds"][kind.name]["common_at"]:
            continue
        for domain in sorted(domains - taken):
            found.append(Candidate(domain, f"shared_{feature}", ours[(feature, value)], value))
            taken.add(domain)
    return found[:limit]
