"""How similar unrelated sites' texts are: the measurement behind the text thresholds.

For every pair of sites that share any uncommon shingle, the exact count shared, Jaccard and
containment (after dropping shingles more than `common_at` sites hold), split into pairs
that are related (same publisher on real pages, one family in the lab) and unrelated.

    .venv/bin/python bench/text_background.py            # real pages and the lab world
"""

from __future__ import annotations

import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402

from analysis.config import default_config  # noqa: E402
from analysis.features import site_features  # noqa: E402
from analysis.records import Page, SiteRecord  # noqa: E402
from analysis.text.copied_text import (  # noqa: E402
    common_limit,
    common_shingles,
    page_containment,
    shingle_units,
)


def pair_stats(features, cfg):
    whole, pages = shingle_units(features, cfg["shingle_words"])
    common = common_shingles(whole, common_limit(len(features), cfg))
    whole = [s[~np.isin(s, common)] for s in whole]
    pages = [[p[~np.isin(p, common)] for p in ps] for ps in pages]
    holders = defaultdict(list)
    for index, hashes in enumerate(whole):
        for h in hashes.tolist():
            holders[h].append(index)
    shared = defaultdict(int)
    for owners in holders.values():
        if len(owners) > 1:
            for x in range(len(owners)):
                for y in range(x + 1, len(owners)):
                    shared[(owners[x], owners[y])] += 1
    out = []
    for (i, j), n in shared.items():
        a, b = len(whole[i]), len(whole[j])
        contained = max(n / min(a, b), page_containment(pages[i], whole[j], cfg["min_shared"]),
                        page_containment(pages[j], whole[i], cfg["min_shared"]))
        out.append((features[i].domain, features[j].domain, n, n / (a + b - n), contained))
    return out


def summary(name, rows):
    if not rows:
        print(f"{name}: no pairs")
        return
    n = np.array([r[2] for r in rows])
    jac = np.array([r[3] for r in rows])
    con = np.array([r[4] for r in rows])
    print(f"{name}: {len(rows)} pairs sharing a shingle; min shared {n.min()}, J {jac.min():.3f},"
          f" C {con.min():.3f}; shared max {n.max()}, "
          f"p99.9 {np.percentile(n, 99.9):.0f}; Jaccard max {jac.max():.3f}, p99.9 "
          f"{np.percentile(jac, 99.9):.3f}; containment max {con.max():.3f}, "
          f"p99.9 {np.percentile(con, 99.9):.3f}")
    big = [r for r in rows if r[2] >= 15]
    for r in sorted(big, key=lambda r: -r[4])[:8]:
        print(f"    {r[0]} ~ {r[1]}: shared {r[2]}, J {r[3]:.3f}, C {r[4]:.3f}")


def lab_features(seed: int = 1):
    from crawler.lab.world import build_world

    world = build_world(seed)
    feats = []
    for site in world.sites.values():
        if site.role != "seed" or site.expected_status != "ok":
            continue
        pages = [Page(f"https://{site.domain}{p}", f"https://{site.domain}{p}", 200, html,
                      depth=0 if p == "/" else 1) for p, html in site.pages.items()]
        feats.append(site_features(SiteRecord(site.domain, "ok", pages=pages), default_config()))
    family = {s.domain: s.family for s in world.sites.values()}
    return feats, family


def main() -> None:
    cfg = default_config()["text"]
    from tests.realworld import publisher, real_sites

    feats = [site_features(s, default_config()) for s in real_sites()]
    rows = pair_stats(feats, cfg)
    summary("real pages, different publishers",
            [r for r in rows if publisher(r[0]) != publisher(r[1])])
    summary("real pages, same publisher", [r for r in rows if publisher(r[0]) == publisher(r[1])])
    for seed in (1, 2):
        feats, family = lab_features(seed)
        rows = pair_stats([f for f in feats if f.status == "ok"], cfg)
        summary(f"lab world {seed}, unrelated",
                [r for r in rows if not family[r[0]] or family[r[0]] != family[r[1]]])
        summary(f"lab world {seed}, one family",
                [r for r in rows if family[r[0]] and family[r[0]] == family[r[1]]])


if __name__ == "__main__":
    main()
