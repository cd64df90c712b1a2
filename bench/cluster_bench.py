"""Benchmark: fingerprint and cluster N synthetic sites (default 10,000 and 100,000).

Each N runs in a fresh subprocess so peak memory is its own. The corpus: texts of 400 words
drawn from a Zipfian vocabulary of 50,000 words (unrelated texts share few 4-word runs, as
real ones do); 2% of sites in copy families of 5 (name swapped, 20% of sentences
rewritten), 1% in tracker families of 5; 30% of sites on 50 mass-hosting addresses; 12
registrars. Prints seconds per stage, peak RSS, and pairwise precision/recall.

With `--phrases`, every text is drawn from one pool of 5,000 marketing sentences (Zipfian
popularity, so some sentences stand on thousands of sites), and 5% of sites are in copy
families of 5 whose original is drawn from the same pool: the corpus that chained 8,953 of
10,000 sites into one cluster before common passages were dropped.

    .venv/bin/python bench/cluster_bench.py            # 10k and 100k, both corpora
    .venv/bin/python bench/cluster_bench.py 20000      # one size, both corpora
    .venv/bin/python bench/cluster_bench.py --phrases 10000
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time
from itertools import combinations

import numpy as np


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


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


def run_one(n: int, phrases: bool = False) -> dict:
    from analysis.config import default_config
    from analysis.evidence.analyse import pair_evidence, text_evidence
    from analysis.evidence.cluster import build_clusters
    from analysis.evidence.values import shared_evidence

    t0 = time.perf_counter()
    sites, truth = make_corpus(n, phrases=phrases)
    gen_s, base_rss = time.perf_counter() - t0, rss_mb()
    config = default_config()
    t1 = time.perf_counter()
    text_ev, _ = text_evidence(sites, config)
    t2 = time.perf_counter()
    shared = shared_evidence(sites, config)
    shared += pair_evidence(sites, text_ev + shared, config)
    t3 = time.perf_counter()
    clusters = build_clusters([s.domain for s in sites], text_ev + shared,
                              config["link_threshold"])
    t4 = time.perf_counter()
    predicted = {tuple(sorted(p)) for c in clusters for p in combinations(c.domains, 2)}
    true = {tuple(sorted(p)) for g in truth for p in combinations(g, 2)}
    tp = len(predicted & true)
    return {
        "sites": n, "corpus": "phrase pool" if phrases else "unrelated",
        "generate_s": round(gen_s, 1),
        "fingerprint_and_text_links_s": round(t2 - t1, 1),
        "shared_values_and_pairs_s": round(t3 - t2, 1),
        "clusters_s": round(t4 - t3, 1), "total_s": round(t4 - t1, 1),
        "peak_rss_mb": round(rss_mb()), "rss_after_corpus_mb": round(base_rss),
        "text_links": len(text_ev), "clusters": len(clusters),
        "precision": round(tp / len(predicted), 4) if predicted else 1.0,
        "recall": round(tp / len(true), 4) if true else 1.0,
    }


def main() -> None:
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        print(json.dumps(run_one(int(sys.argv[2]), sys.argv[3] == "phrases")))
        return
    args = sys.argv[1:]
    corpora = ["phrases"] if "--phrases" in args else ["unrelated", "phrases"]
    sizes = [int(a) for a in args if a != "--phrases"] or [10_000, 100_000]
    print(f"{'sites':>8} {'corpus':>11} {'text s':>7} {'shared s':>8} {'cluster s':>9} "
          f"{'total s':>7} {'peak MB':>8} {'text links':>10} {'P':>6} {'R':>6}")
    for n in sizes:
        for corpus in corpora:
            out = subprocess.run([sys.executable, __file__, "--child", str(n), corpus], check=True,
                                 capture_output=True, text=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            print(f"{r['sites']:>8} {r['corpus']:>11} {r['fingerprint_and_text_links_s']:>7} "
                  f"{r['shared_values_and_pairs_s']:>8} {r['clusters_s']:>9} {r['total_s']:>7} "
                  f"{r['peak_rss_mb']:>8} {r['text_links']:>10} {r['precision']:>6} "
                  f"{r['recall']:>6}", flush=True)


if __name__ == "__main__":
    main()
