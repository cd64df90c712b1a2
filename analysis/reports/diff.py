"""What changed between two runs: sites, cluster membership, and each site's features.

Both runs' reports carry stable cluster ids (analysis.evidence.identity), so "joined C0007"
means the same network in both runs.
"""

from __future__ import annotations

from analysis.feature_table import watched

WATCHED = watched()  # feature -> label, for per-site changes (analysis/feature_table.py)
TEXT_CHANGED_BELOW = 0.9


def _as_set(value) -> set[str]:
    if value is None:
        return set()
    return set(value) if isinstance(value, list) else {str(value)}


def _linked(report: dict) -> dict[str, str]:
    """domain -> its cluster, for sites in clusters of two or more."""
    return {d: c["id"] for c in report["clusters"] if c["size"] > 1 for d in c["domains"]}


def diff_reports(before: dict, after: dict, text_similarity: dict[str, float] | None = None,
                 events: list[dict] | None = None) -> dict:
    """The ``facade.diff/1`` dict from run ``before`` to run ``after``."""
    old = {s["domain"]: s for s in before["sites"]}
    new = {s["domain"]: s for s in after["sites"]}
    was_in, now_in = _linked(before), _linked(after)
    old_ids = {c["id"] for c in before["clusters"] if c["size"] > 1}
    new_ids = {c["id"] for c in after["clusters"] if c["size"] > 1}
    joined, left = [], []
    for domain in sorted(set(old) | set(new)):
        a, b = was_in.get(domain), now_in.get(domain)
        if b and a != b:
            joined.append({"domain": domain, "cluster": b, "was": a,
                           "new_site": domain not in old})
        if a and a != b:
            left.append({"domain": domain, "cluster": a, "now": b})
    changes = []
    for domain in sorted(set(old) & set(new)):
        fa, fb = old[domain].get("features", {}), new[domain].get("features", {})
        for feature, label in WATCHED.items():
            va, vb = _as_set(fa.get(feature)), _as_set(fb.get(feature))
            if va != vb and (va or vb) and new[domain]["status"] == "ok":
                changes.append({"domain": domain, "feature": feature, "label": label,
                                "before": sorted(va), "after": sorted(vb)})
        similarity = (text_similarity or {}).get(domain)
        if similarity is not None and similarity < TEXT_CHANGED_BELOW:
            changes.append({"domain": domain, "feature": "text", "label": "main text",
                            "before": None, "after": None, "similarity": round(similarity, 3)})
    return {
        "schema": "facade.diff/1",
        "from": before["run"], "to": after["run"],
        "sites": {
            "new": sorted(set(new) - set(old)),
            "gone": sorted(set(old) - set(new)),
            "newly_failing": [{"domain": d, "status": new[d]["status"],
                               "message": new[d].get("message")}
                              for d in sorted(set(old) & set(new))
                              if old[d]["status"] == "ok" and new[d]["status"] != "ok"],
            "recovered": sorted(d for d in set(old) & set(new)
                                if old[d]["status"] != "ok" and new[d]["status"] == "ok"),
            # Live before, from a web archive now (taken down in between), and back.
            "now_archived": [{"domain": d, "captured_at": new[d].get("captured_at"),
                              "message": new[d].get("message")}
                             for d in sorted(set(old) & set(new))
                             if new[d].get("captured_at") and not old[d].get("captured_at")],
            "live_again": sorted(d for d in set(old) & set(new)
                                 if old[d].get("captured_at") and not new[d].get("captured_at")),
        },
        "clusters": {
            "new": sorted(new_ids - old_ids), "gone": sorted(old_ids - new_ids),
            "joined": joined, "left": left,
            "merged": [e for e in events or [] if e["event"] == "merge"],
            "split": [e for e in events or [] if e["event"] == "split"],
        },
        "changes": changes,
        "text_similarity": {d: round(j, 3) for d, j in sorted((text_similarity or {}).items())},
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
