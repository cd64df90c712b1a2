"""Real pages nobody here wrote (../shared/realworld/pages): main text and false links.

Prints main-text precision / recall / F1 for facade and for trafilatura used directly,
pages per second, pages that failed, and the pairs facade links when every page is imported
as its own site. The pages are unrelated (two or three share a publisher), so every linked
pair across publishers is a false link.

    .venv/bin/python bench/realworld_bench.py
"""

from __future__ import annotations

import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import trafilatura  # noqa: E402

from analysis.config import default_config
from analysis.evidence.analyse import analyse  # noqa: E402
from analysis.features import site_features  # noqa: E402
from tests.realworld import publisher, real_pages, real_sites, text_scores  # noqa: E402


def _row(name: str, scores: dict, seconds: float, pages: int, failed: int) -> str:
    return (f"{name:<22} P {scores['precision']:.3f}  R {scores['recall']:.3f}  "
            f"F1 {scores['f1']:.3f}  {pages / seconds:6.1f} pages/s  failed {failed}")


def main() -> None:
    pages = real_pages()
    if not pages:
        sys.exit("no pages: ../shared/realworld/pages is not beside the repository")
    print(f"{len(pages)} real pages, {len({p.host for p in pages})} sites\n")

    start = time.perf_counter()
    features = [site_features(s, default_config()) for s in real_sites(pages)]
    facade_s = time.perf_counter() - start
    by_host = {f.domain: f for f in features}
    facade_texts = [dict(by_host[p.host].page_texts).get(p.url, "") for p in pages]
    failed = sum(1 for f in features if f.values.get("extract_errors"))

    start, trafilatura_texts, t_failed = time.perf_counter(), [], 0
    for page in pages:
        try:
            trafilatura_texts.append(trafilatura.extract(page.html, url=page.url) or "")
        except Exception:  # noqa: BLE001
            trafilatura_texts.append("")
            t_failed += 1
    trafilatura_s = time.perf_counter() - start
    print("main text (trafilatura's evaluation scoring):")
    print(_row("facade features", text_scores(pages, facade_texts), facade_s, len(pages),
               failed) + "  (every extractor, not only main text)")
    print(_row("trafilatura 2.x", text_scores(pages, trafilatura_texts), trafilatura_s,
               len(pages), t_failed))
    print(f"empty main text: facade {sum(1 for t in facade_texts if not t)}, "
          f"trafilatura {sum(1 for t in trafilatura_texts if not t)}\n")

    start = time.perf_counter()
    result = analyse(features, default_config())
    cluster_s = time.perf_counter() - start
    same, false = [], []
    for cluster in result.clusters:
        for link in cluster.links:
            a, b = link["domains"]
            (same if publisher(a) == publisher(b) else false).append(link)
    multi = [c for c in result.clusters if len(c.domains) > 1]
    print(f"clustering {len(features)} sites: {cluster_s:.1f} s")
    print(f"multi-site clusters: {len(multi)}; linked pairs: {len(same) + len(false)} "
          f"({len(same)} same publisher, {len(false)} across publishers = false)")
    kinds = Counter(k for link in false for k in link["kinds"])
    if false:
        print("false links by kind:", ", ".join(f"{k} {n}" for k, n in kinds.most_common()))
        for link in false[:15]:
            print("  ", " ~ ".join(link["domains"]), link["kinds"])
    text_pairs = [e for e in result.evidence if e.kind == "text_similarity"]
    print(f"text pairs at or above the threshold: {len(text_pairs)}")


if __name__ == "__main__":
    main()
