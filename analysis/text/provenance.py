"""Copy provenance: which known legitimate site a cluster's text was copied from, or, without
references, which member is the likely original (the one registered first).

Example:
    >>> from analysis.text.minhash import signature
    >>> from analysis.text.shingles import shingle_hashes
    >>> text = " ".join(f"w{i}" for i in range(80))
    >>> refs = {"genuine.com": signature(shingle_hashes(text))}
    >>> copies = {"clone.com": signature(shingle_hashes(text))}
    >>> copied_from(copies, refs, threshold=0.5)["clone.com"]
    [('genuine.com', 1.0)]
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

import numpy as np

from analysis.records import SiteFeatures
from analysis.text.textsim import DEFAULT_BANDS, DEFAULT_ROWS, candidate_pairs

if TYPE_CHECKING:
    from datasketch import MinHash


def copied_from(sites: dict[str, MinHash | np.ndarray],
                references: dict[str, MinHash | np.ndarray], threshold: float,
                bands: int = DEFAULT_BANDS, rows: int = DEFAULT_ROWS
                ) -> dict[str, list[tuple[str, float]]]:
    """For each site, the references whose text it matches at ``threshold``, best first
    (signatures: MinHash objects or their values; LSH candidates, estimated Jaccard)."""
    if not references or not sites:
        return {}
    refs, names = list(references), list(sites)
    matrix = np.vstack([getattr(x, "hashvalues", x) for x in
                        [*(references[r] for r in refs), *(sites[d] for d in names)]])
    pairs = candidate_pairs(matrix, bands, rows)
    cross = pairs[(pairs[:, 0] < len(refs)) & (pairs[:, 1] >= len(refs))]
    out: dict[str, list[tuple[str, float]]] = {}
    if not len(cross):
        return out
    estimates = (matrix[cross[:, 0]] == matrix[cross[:, 1]]).mean(axis=1)
    for (ref, site), jaccard in zip(cross.tolist(), estimates.tolist(), strict=True):
        if round(jaccard, 3) >= threshold:
            out.setdefault(names[site - len(refs)], []).append((refs[ref], round(jaccard, 3)))
    return {d: sorted(m, key=lambda m: (-m[1], m[0])) for d, m in out.items()}


def cluster_provenance(members: list[str], matches: dict[str, list[tuple[str, float]]]
                       ) -> list[dict]:
    """The references a cluster's members copied: per reference, the best and each member."""
    by_ref: dict[str, dict[str, float]] = {}
    for domain in members:
        for ref, jaccard in matches.get(domain, []):
            by_ref.setdefault(ref, {})[domain] = jaccard
    return sorted(
        ({"reference": ref, "jaccard": max(found.values()),
          "members": [{"domain": d, "jaccard": j} for d, j in sorted(found.items())]}
         for ref, found in by_ref.items()),
        key=lambda p: (-p["jaccard"], p["reference"]),
    )


def _created(site: SiteFeatures) -> datetime | None:
    value = site.first("creation_date")
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)
    except (AttributeError, ValueError):
        return None


def likely_original(text_linked: list[str], sites: dict[str, SiteFeatures]) -> dict | None:
    """Among sites sharing copied text, the one registered first (None without dates)."""
    dated = [(c, d) for d in text_linked if (c := _created(sites[d])) is not None]
    if len(dated) < 2:
        return None
    created, domain = min(dated)
    return {"domain": domain, "creation_date": created.isoformat(),
            "reason": f"registered first ({created:%Y-%m-%d}) of the {len(text_linked)} sites"
                      " sharing copied text"}
