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

from datasketch import MinHash

from analysis.records import SiteFeatures
from analysis.text.textsim import DEFAULT_BANDS, DEFAULT_ROWS, lsh_index


def copied_from(sites: dict[str, MinHash], references: dict[str, MinHash], threshold: float,
                bands: int = DEFAULT_BANDS, rows: int = DEFAULT_ROWS
                ) -> dict[str, list[tuple[str, float]]]:
    """For each site, the references whose text it matches at ``threshold``, best first."""
    if not references:
        return {}
    lsh = lsh_index(references, bands, rows)
    out: dict[str, list[tuple[str, float]]] = {}
    for domain, sig in sites.items():
        matches = []
        for ref in lsh.query(sig):
            jaccard = round(sig.jaccard(references[ref]), 3)
            if jaccard >= threshold:
                matches.append((ref, jaccard))
        if matches:
            out[domain] = sorted(matches, key=lambda m: (-m[1], m[0]))
    return out


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
