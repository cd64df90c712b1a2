"""The JSON report, schema ``facade.report/1`` (SPEC §7). Fields may be added, never renamed."""

from __future__ import annotations

from analysis.evidence.kinds import served_kinds
from analysis.feature_table import report_features

SCHEMA_ID = "facade.report/1"
# Features that the report always carries, with their shape (analysis/feature_table.py).
LIST_FEATURES = report_features(single=False)
SINGLE_FEATURES = report_features(single=True)


def site_features_json(values: dict[str, list[str]]) -> dict:
    out: dict = {k: list(values.get(k, [])) for k in LIST_FEATURES}
    for k in SINGLE_FEATURES:
        vals = values.get(k) or []
        out[k] = vals[0] if vals else None
    return out


def _judged(site: dict, features: dict[str, list[str]]) -> dict:
    """A site whose start page is a parking page or a seizure banner gets that status."""
    judged = features.get("page_status")
    if site["status"] != "ok" or not judged:
        return site
    status, _, why = judged[0].partition(": ")
    return {**site, "status": status, "message": why}


def evidence_source(kind: str, domains: list[str], captured: dict[str, str],
                    served: set[str]) -> dict:
    """Where a piece of evidence comes from: ``live`` (asked or fetched now), ``archive``
    (from web-archive captures of every site it links) or ``archive+live``; with the
    capture date of each archived site when the kind reads what the sites served."""
    archived = {d: captured[d] for d in domains if d in captured}
    if kind not in served or not archived:
        return {"source": "live"}
    source = "archive" if len(archived) == len(domains) else "archive+live"
    return {"source": source, "captured_at": archived}


def weak_only(cluster: dict) -> bool:
    """A linked cluster whose every piece of evidence is of a weak kind (only in combination
    do they reach the threshold)."""
    weighted = [e for e in cluster["evidence"] if e.get("weight", 0) > 0]
    return (len(cluster["domains"]) > 1 and bool(weighted)
            and all(e.get("strength") == "weak" for e in weighted))


def site_entry(site: dict, features: dict[str, list[str]], cluster: str | None) -> dict:
    """One entry of the report's ``sites`` (a judged site row and its features); when the
    given row carries ``first_seen`` and ``last_seen``, so does the entry."""
    site = _judged(site, features)
    entry = {
        "domain": site["domain"],
        "status": site["status"],
        "message": site.get("message"),
        "cluster": cluster,
        "features": site_features_json(features),
        # For sites added by --expand: the pivot that found them.
        "found_by": (site.get("seed") or {}).get("expanded"),
        # Pages from a web archive: when captured (the rest is as asked now).
        "captured_at": (features.get("captured_at") or [None])[0],
    }
    if "first_seen" in site:
        entry["first_seen"], entry["last_seen"] = site["first_seen"], site.get("last_seen")
    return entry


def reference_entry(site: dict, features: dict[str, list[str]]) -> dict:
    return {"domain": site["domain"], "status": site["status"], "message": site.get("message"),
            "features": site_features_json(features)}


def cluster_entry(c: dict, captured: dict[str, str], served: set[str]) -> dict:
    """One entry of the report's ``clusters``; ``captured``: domain -> capture date of the
    sites whose pages came from a web archive."""
    return {
        "id": c["id"],
        "domains": c["domains"],
        "size": len(c["domains"]),
        "evidence": [
            {"kind": e["kind"], "value": e["value"], "domains": e["domains"],
             "weight": e["weight"], "strength": e.get("strength"),
             "reason": e.get("reason"),
             **evidence_source(e["kind"], e["domains"], captured, served),
             # copied text: the longest passages both sites hold, and each
             # passage as each site (in ``domains`` order) words it
             **({"passages": e["details"]["passages"],
                 "side_by_side": e["details"].get("side_by_side", [])}
                if (e.get("details") or {}).get("passages") else {})}
            for e in c["evidence"]
        ],
        # Why each linked pair is linked: the weight of each kind they share.
        "links": c.get("links", []),
        # The link threshold a pair's score is held against, and the pairs with a
        # member that reached half of it but not all, with another cluster's site.
        "threshold": c.get("threshold"),
        "near_misses": c.get("near_misses", []),
        # Linked only by weak kinds adding up: no shared value links on its own.
        "weak_only": weak_only(c),
        # Known legitimate sites whose text the members copied, and how much.
        "copied_from": c.get("copied_from", []),
        # Without a matching reference: the text-linked member registered first.
        "likely_original": c.get("likely_original"),
    }


def run_entry(run: dict, seeds: int, ok: int, pages: int, threshold: float | None) -> dict:
    return {
        "id": str(run["id"]),
        "label": run.get("label"),
        "started_at": run.get("started_at"),
        "finished_at": run.get("finished_at"),
        "seeds": seeds,
        "sites_ok": ok,
        "sites_failed": seeds - ok,
        "pages": pages,
        "options": run.get("options", {}),
        "link_threshold": threshold,
        "warnings": run.get("warnings", []),
    }


def build_report(run: dict, sites: list[dict], features: dict[str, dict[str, list[str]]],
                 clusters: list[dict], pages: int, commons: list[dict] | None = None) -> dict:
    """Assemble the report from records held in memory (a run of a million sites is
    assembled from the store a batch at a time instead: crawler/runs/reporting.py).

    Args:
        run: the run row (id, label, started_at, finished_at, options, warnings).
        sites: every seed's site row (domain, status, message).
        features: domain -> feature kind -> values.
        clusters: [{"id", "domains", "evidence"}], largest first.
        pages: pages fetched in the run.
        commons: shared values that were ignored as commons, for the analyst's information.
    """
    cluster_of = {d: c["id"] for c in clusters for d in c["domains"]}
    references = [s for s in sites if s.get("seed", {}).get("role") == "reference"]
    entries = [site_entry(s, features.get(s["domain"], {}), cluster_of.get(s["domain"]))
               for s in sites if s.get("seed", {}).get("role") != "reference"]
    ok = sum(1 for s in entries if s["status"] == "ok")
    captured = {d: f["captured_at"][0] for d, f in features.items() if f.get("captured_at")}
    served = served_kinds()
    threshold = next((c["threshold"] for c in clusters if c.get("threshold")), None)
    return {
        "schema": SCHEMA_ID,
        "run": run_entry(run, len(entries), ok, pages, threshold),
        "sites": entries,
        "clusters": [cluster_entry(c, captured, served) for c in clusters],
        "references": [reference_entry(s, features.get(s["domain"], {})) for s in references],
        "commons": commons or [],
    }
