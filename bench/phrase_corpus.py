"""An in-memory corpus of N sites' features (no pages): texts of 400 words drawn from a
Zipfian vocabulary of 50,000 words, or, with ``phrases``, from one pool of 5,000 marketing
sentences (Zipfian popularity, so some sentences stand on thousands of sites) with 5% of
sites in copy families of 5 whose original is drawn from the same pool: the corpus that
chained 8,953 of 10,000 sites into one cluster before common passages were dropped
(tests/test_scale.py). 2% of sites (5% with ``phrases``) in copy families of 5 (name
swapped, 20% of sentences rewritten), 1% in tracker families of 5; 30% of sites on 50
mass-hosting addresses; 12 registrars.
"""

from __future__ import annotations

import numpy as np


def make_corpus(n: int, seed: int = 7, phrases: bool = False):
    from analysis.records import SiteFeatures

    rng = np.random.default_rng(seed)
    vocab = np.array([f"w{i}" for i in range(50_000)])
    ranks = np.arange(1, len(vocab) + 1)
    probs = (1 / ranks**1.05) / (1 / ranks**1.05).sum()

    def fresh(count: int) -> list[str]:
        words = rng.choice(vocab, size=(count, 16), p=probs)
        return [" ".join(row) for row in words]

    if phrases:
        pool = np.array(fresh(5_000))
        pool_p = 1 / np.arange(1, len(pool) + 1) ** 0.8
        pool_p /= pool_p.sum()

        def sentences(count: int) -> list[str]:
            return list(rng.choice(pool, size=count, p=pool_p))
    else:
        sentences = fresh

    sites, truth = [], []
    i = 0
    n_copy_families = int(n * (0.05 if phrases else 0.02)) // 5
    n_tracker_families = int(n * 0.01) // 5
    for _ in range(n_copy_families):
        original = sentences(25)
        members = []
        for _ in range(5):
            text = list(original)
            for k in rng.choice(25, size=5, replace=False):
                text[k] = sentences(1)[0]
            name = f"company{i}"
            members.append(SiteFeatures(f"s{i}.com", "ok", values={},
                                        text=" ".join(text).replace("w1 ", f"{name} ")))
            i += 1
        sites += members
        truth.append([m.domain for m in members])
    for f in range(n_tracker_families):
        members = []
        for _ in range(5):
            members.append(SiteFeatures(f"s{i}.com", "ok", values={
                "analytics_ids": [f"G-FAM{f:07d}"]}, text=" ".join(sentences(25))))
            i += 1
        sites += members
        truth.append([m.domain for m in members])
    while i < n:
        sites.append(SiteFeatures(f"s{i}.com", "ok", values={}, text=" ".join(sentences(25))))
        i += 1
    mass = [f"198.51.100.{k}" for k in range(50)]
    for site in sites:
        site.values["registrar"] = [f"Registrar {int(rng.integers(12))}"]
        day = int(rng.integers(2000))
        site.values["creation_date"] = [f"{2019 + day // 365}-{1 + day % 365 // 31:02d}-"
                                        f"{1 + day % 28:02d}T00:00:00"]
        if rng.random() < 0.3:
            site.values["ips"] = [mass[int(rng.integers(50))]]
        else:
            site.values["ips"] = [f"10.{rng.integers(256)}.{rng.integers(256)}.{rng.integers(256)}"]
    return sites, truth
