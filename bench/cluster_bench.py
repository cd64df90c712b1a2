"""Benchmark: `facade import` and `facade cluster` of N sites, a first week and a second
(2.5% of sites changed) into the same database, at each size of a doubling curve.

The corpus is bench/scale_corpus.py (stock phrasing, planted copy, tracker and contact
families, a realistic spread of shared values). Each command runs as its own process, so
its peak memory is its own. Prints, per size and week: seconds and peak RSS of import and
cluster, cluster's seconds per stage, growth per doubling, pairwise precision/recall of the
planted families, and the text index's recall: of planted copied pairs whose exact
similarity (uncommon shingles, as the decision sees them) is at or above the threshold,
the share linked by copied text (a sample of 2,000 pairs).

    .venv/bin/python bench/cluster_bench.py                       # 125k, 250k, 500k, 1M
    .venv/bin/python bench/cluster_bench.py 20000 40000           # a quick curve
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tempfile
import time
from itertools import combinations
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from scale_corpus import write_weeks  # noqa: E402


def facade(db: Path, *args: str) -> tuple[float, float, str]:
    """Run one facade command; (seconds, peak RSS MB, its output)."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "--db", str(db), "--quiet",
                             *args], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True)
    out = proc.stdout.read()
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"facade {' '.join(args)} failed:\n{out[-3000:]}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024, out


def stages(out: str) -> str:
    found = re.search(r"s: ([^)]*)\)", out)
    return found.group(1) if found else ""


def quality(db: Path, run_id: int, families: list[tuple[str, list[str]]]
            ) -> tuple[float, float, float]:
    """Pairwise precision and recall of the planted families, and the text index's recall."""
    from analysis.config import default_config
    from analysis.evidence.kinds import TEXT_KIND
    from crawler.store import Store

    store = Store(db, create=False)
    predicted = {tuple(sorted(p)) for c in store.clusters(run_id)
                 for p in combinations(c["domains"], 2)}
    true = {tuple(sorted(p)) for _, g in families for p in combinations(g, 2)}
    tp = len(predicted & true)
    text_linked = {tuple(sorted(e["domains"])) for e in store.links(run_id)
                   if e["kind"] == TEXT_KIND}
    copies = [tuple(sorted(p)) for kind, g in families if kind == "copy"
              for p in combinations(g, 2)]
    rng = np.random.default_rng(0)
    sample = [copies[i] for i in rng.choice(len(copies), min(2000, len(copies)),
                                            replace=False)]
    due = _exact_due(store, run_id, sample, default_config()["text"])
    recall_text = sum(p in text_linked for p in due) / len(due) if due else 1.0
    store.close()
    return (tp / len(predicted) if predicted else 1.0, tp / len(true) if true else 1.0,
            recall_text)


def _shingles(store, run_id: int) -> dict[str, np.ndarray]:
    """Each site's text shingles, from the readings the store keeps."""
    from analysis.features import own_pages
    from crawler.runs.readings import _key

    out = {}
    for records in store.site_record_batches(run_id):
        keys = {r.domain: [_key(p, r.domain, d) for p, d in own_pages(r)] for r in records}
        found = store.readings([k for ks in keys.values() for k in ks])
        for domain, ks in keys.items():
            sets = [np.frombuffer(found[k]["shingles"] or b"", dtype=np.uint32)
                    for k in ks if k in found]
            out[domain] = np.unique(np.concatenate(sets)) if sets else np.empty(0, np.uint32)
    return out


def _exact_due(store, run_id: int, pairs: list[tuple[str, str]], cfg: dict) -> list:
    """The pairs whose exact similarity on uncommon shingles reaches a threshold."""
    from analysis.text.copied_text import common_limit

    sets = _shingles(store, run_id)
    wanted = np.unique(np.concatenate([sets[d] for p in pairs for d in p]))
    counts = np.zeros(len(wanted), dtype=np.int64)
    for hashes in sets.values():
        index = np.searchsorted(wanted, hashes)
        hit = index < len(wanted)
        hit[hit] = wanted[index[hit]] == hashes[hit]
        np.add.at(counts, index[hit], 1)
    common = wanted[counts > common_limit(len(sets), cfg)]
    due = []
    for a, b in pairs:
        x, y = (s[~np.isin(s, common)] for s in (sets[a], sets[b]))
        shared = len(np.intersect1d(x, y))
        if shared < cfg["min_shared"] or not len(x) or not len(y):
            continue
        jaccard = shared / (len(x) + len(y) - shared)
        if jaccard >= cfg["threshold"] or shared / min(len(x), len(y)) >= cfg[
                "containment_threshold"]:
            due.append((a, b))
    return due


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [125_000, 250_000, 500_000, 1_000_000]
    print(f"{'sites':>9} {'week':>4} {'import s':>8} {'MB':>6} {'cluster s':>9} {'MB':>6}"
          f" {'x/doubling':>10} {'P':>6} {'R':>6} {'text R':>6}  cluster stages (s)",
          flush=True)
    previous: dict[int, float] = {}
    for n in sizes:
        with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
            week1, week2, db = Path(tmp, "w1.jsonl"), Path(tmp, "w2.jsonl"), Path(tmp, "f.db")
            families = write_weeks(n, week1, week2)
            for week, source in ((1, week1), (2, week2)):
                import_s, import_mb, _ = facade(db, "import", str(source))
                cluster_s, cluster_mb, out = facade(db, "cluster")
                growth = (f"{cluster_s / previous[week]:.2f}" if week in previous else "")
                previous[week] = cluster_s
                precision, recall, text_recall = quality(db, week, families)
                print(f"{n:>9} {week:>4} {import_s:>8.1f} {import_mb:>6.0f} {cluster_s:>9.1f}"
                      f" {cluster_mb:>6.0f} {growth:>10} {precision:>6.3f} {recall:>6.3f}"
                      f" {text_recall:>6.3f}  {stages(out)}", flush=True)


if __name__ == "__main__":
    main()
