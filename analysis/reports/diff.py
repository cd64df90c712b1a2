"""What changed between two runs: sites, cluster membership, and each site's features.

Both runs' reports carry stable cluster ids (analysis.evidence.identity), so "joined C0007"
means the same network in both runs.
"""

from __future__ import annotations

from collections.abc import Iterator

from analysis.feature_table import watched
from analysis.reports.streamed import Streamed

WATCHED = watched()  # feature -> label, for per-site changes (analysis/feature_table.py)
TEXT_CHANGED_BELOW = 0.9


def _as_set(value) -> set[str]:
    if value is None:
        return set()
    return set(value) if isinstance(value, list) else {str(value)}


def _linked(report: dict) -> dict[str, str]:
    """domain -> its cluster, for sites in clusters of two or more."""
    return {d: c["id"] for c in report["clusters"] if c["size"] > 1 for d in c["domains"]}


def _in_order(sites: list[dict]) -> Iterator[dict]:
    """A report's sites in domain order: a streamed list is read from the store in that
    order; a list held in memory is sorted."""
    return iter(sites) if isinstance(sites, Streamed) else iter(
        sorted(sites, key=lambda s: s["domain"]))


def paired_sites(before: list[dict], after: list[dict]
                 ) -> Iterator[tuple[str, dict | None, dict | None]]:
    """(domain, its entry before or None, its entry after or None), in domain order, reading
    each list once (a merge of two sorted streams)."""
    old, new = _in_order(before), _in_order(after)
    a, b = next(old, None), next(new, None)
    while a is not None or b is not None:
        if b is None or (a is not None and a["domain"] < b["domain"]):
            yield a["domain"], a, None
            a = next(old, None)
        elif a is None or b["domain"] < a["domain"]:
            yield b["domain"], None, b
            b = next(new, None)
        else:
            yield a["domain"], a, b
            a, b = next(old, None), next(new, None)


def _feature_changes(domain: str, a: dict, b: dict) -> list[dict]:
    fa, fb = a.get("features", {}), b.get("features", {})
    out = []
    for feature, label in WATCHED.items():
        va, vb = _as_set(fa.get(feature)), _as_set(fb.get(feature))
        if va != vb and (va or vb) and b["status"] == "ok":
            out.append({"domain": domain, "feature": feature, "label": label,
                        "before": sorted(va), "after": sorted(vb)})
    return out


def diff_reports(before: dict, after: dict, text_similarity: dict[str, float] | None = None,
                 events: list[dict] | None = None) -> dict:
    """The ``facade.diff/1`` dict from run ``before`` to run ``after``; each report's sites
    are read once, side by side in domain order, so a streamed report is never held."""
    was_in, now_in = _linked(before), _linked(after)
    old_ids, new_ids = set(was_in.values()), set(now_in.values())
    text_similarity = text_similarity or {}
    joined, left, changes = [], [], []
    sites: dict[str, list] = {k: [] for k in ("new", "gone", "newly_failing", "recovered",
                                              "now_archived", "live_again")}
    for domain, a, b in paired_sites(before["sites"], after["sites"]):
        was, now = was_in.get(domain), now_in.get(domain)
        if now and was != now:
            joined.append({"domain": domain, "cluster": now, "was": was, "new_site": a is None})
        if was and was != now:
            left.append({"domain": domain, "cluster": was, "now": now})
        if a is None or b is None:
            sites["new" if a is None else "gone"].append(domain)
            continue
        if a["status"] == "ok" and b["status"] != "ok":
            sites["newly_failing"].append({"domain": domain, "status": b["status"],
                                           "message": b.get("message")})
        if a["status"] != "ok" and b["status"] == "ok":
            sites["recovered"].append(domain)
        # Live before, from a web archive now (taken down in between), and back.
        if b.get("captured_at") and not a.get("captured_at"):
            sites["now_archived"].append({"domain": domain, "captured_at": b["captured_at"],
                                          "message": b.get("message")})
        if a.get("captured_at") and not b.get("captured_at"):
            sites["live_again"].append(domain)
        changes += _feature_changes(domain, a, b)
        similarity = text_similarity.get(domain)
        if similarity is not None and similarity < TEXT_CHANGED_BELOW:
            changes.append({"domain": domain, "feature": "text", "label": "main text",
                            "before": None, "after": None, "similarity": round(similarity, 3)})
    return {
        "schema": "facade.diff/1",
        "from": before["run"], "to": after["run"],
        "sites": sites,
        "clusters": {
            "new": sorted(new_ids - old_ids), "gone": sorted(old_ids - new_ids),
            "joined": joined, "left": left,
            "merged": [e for e in events or [] if e["event"] == "merge"],
            "split": [e for e in events or [] if e["event"] == "split"],
        },
        "changes": changes,
        "text_similarity": {d: round(j, 3) for d, j in sorted(text_similarity.items())},
    }


def diff_text(diff: dict) -> str:
    """The diff as an analyst reads it."""
    lines = [f"run {diff['from']['id']} ({diff['from'].get('started_at', '')[:10]}) -> "
             f"run {diff['to']['id']} ({diff['to'].get('started_at', '')[:10]})"]
    s, c = diff["sites"], diff["clusters"]
    for label, items in (("new sites", s["new"]), ("sites gone from the list", s["gone"]),
                         ("recovered", s["recovered"])):
        if items:
            lines.append(f"{label} ({len(items)}): {', '.join(items)}")
    for item in s.get("now_archived", []):
        when = item["captured_at"] or ""
        lines.append(f"now from the archive: {item['domain']} (captured {when[:4]}-{when[4:6]}-"
                     f"{when[6:8]}; {item.get('message') or ''})")
    if s.get("live_again"):
        lines.append(f"live again ({len(s['live_again'])}): {', '.join(s['live_again'])}")
    for item in s["newly_failing"]:
        lines.append(f"newly failing: {item['domain']} is {item['status']}"
                     f" ({item.get('message') or ''})")
    for item in c["joined"]:
        origin = "new site" if item["new_site"] else (
            f"was in {item['was']}" if item["was"] else "was alone")
        lines.append(f"joined {item['cluster']}: {item['domain']} ({origin})")
    for item in c["left"]:
        lines.append(f"left {item['cluster']}: {item['domain']}"
                     + (f" (now in {item['now']})" if item["now"] else ""))
    for event in c["merged"]:
        lines.append(f"merged into {event['cluster']}: {', '.join(event['from'])}")
    for event in c["split"]:
        lines.append(f"split {event['cluster']} into {', '.join(event['into'])}")
    if c["new"]:
        lines.append(f"new clusters: {', '.join(c['new'])}")
    if c["gone"]:
        lines.append(f"clusters no longer linked: {', '.join(c['gone'])}")
    for ch in diff["changes"]:
        if ch["feature"] == "text":
            lines.append(f"{ch['domain']}: main text rewritten (similarity {ch['similarity']})")
        else:
            lines.append(f"{ch['domain']}: {ch['label']} {', '.join(ch['before']) or '-'}"
                         f" -> {', '.join(ch['after']) or '-'}")
    if len(lines) == 1:
        lines.append("no changes")
    return "\n".join(lines)
