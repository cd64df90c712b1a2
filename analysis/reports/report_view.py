"""What the HTML report derives from the JSON report to be read at a glance: the overview of
clusters, what changed since the last run, how many sites share each value, and which
values link a cluster.

Example:
    >>> report = {"sites": [{"domain": "a.com", "features": {"ips": ["1.2.3.4"]}},
    ...                     {"domain": "b.com", "features": {"ips": ["1.2.3.4"]}}],
    ...           "clusters": []}
    >>> value_counts(report)["1.2.3.4"]
    2
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from analysis.reports.report_json import LIST_FEATURES, SINGLE_FEATURES


def value_counts(report: dict, only: set[str] | None = None) -> dict[str, int]:
    """Each feature value of the run's sites -> how many sites hold it (as Iris counts a
    pivot's domains), so a value shared by many sites stays visible as such; ``only``:
    count just these values (the ones a page shows), not every value of a large run."""
    counts: dict[str, int] = {}
    for site in report["sites"]:
        features = site.get("features") or {}
        held = set()
        for name in (*LIST_FEATURES, *SINGLE_FEATURES):
            value = features.get(name)
            held.update(str(v) for v in (value if isinstance(value, list) else [value])
                        if v not in (None, ""))
        if only is not None:
            held &= only
        for value in held:
            counts[value] = counts.get(value, 0) + 1
    return counts


def linking_values(cluster: dict) -> set[str]:
    """The values that link this cluster (evidence that carries weight), and each part of a
    value made of several (a set of name servers)."""
    out: set[str] = set()
    for e in cluster["evidence"]:
        if e.get("weight", 0) > 0:
            out.add(str(e["value"]))
            out.update(str(e["value"]).split())
    return out


@dataclass
class OverviewRow:
    id: str
    size: int
    kinds: list[str]  # heaviest first
    weakest: float | None  # the lowest and highest link score in the cluster
    strongest: float | None
    weak_only: bool
    badges: list[str] = field(default_factory=list)


def overview(clusters: list[dict], diff: dict | None) -> list[OverviewRow]:
    """One row per linked cluster, in the report's order."""
    rows = []
    for c in clusters:
        kinds: dict[str, float] = {}
        for e in c["evidence"]:
            if e.get("weight", 0) > 0:
                kinds[e["kind"]] = max(kinds.get(e["kind"], 0.0), e["weight"])
        scores = [link["score"] for link in c.get("links", [])]
        rows.append(OverviewRow(c["id"], c["size"], sorted(kinds, key=lambda k: -kinds[k]),
                                min(scores, default=None), max(scores, default=None),
                                bool(c.get("weak_only")), cluster_badges(c, diff)))
    return rows


def cluster_badges(cluster: dict, diff: dict | None) -> list[str]:
    """What changed in a cluster since the previous run: new, +N sites, -N sites, merged,
    split, changed (a member's registration, hosting, trackers or text)."""
    if not diff:
        return []
    cid, changes = cluster["id"], diff.get("clusters", {})
    if cid in changes.get("new", []):
        return ["new"]
    badges = []
    joined = sum(1 for j in changes.get("joined", []) if j["cluster"] == cid)
    left = sum(1 for e in changes.get("left", []) if e["cluster"] == cid)
    if joined:
        badges.append(f"+{joined} site{'s' if joined > 1 else ''}")
    if left:
        badges.append(f"−{left} site{'s' if left > 1 else ''}")
    if any(e.get("cluster") == cid for e in changes.get("merged", [])):
        badges.append("merged")
    if any(cid == e.get("cluster") or cid in e.get("into", [])
           for e in changes.get("split", [])):
        badges.append("split")
    members = set(cluster["domains"])
    if any(ch["domain"] in members for ch in diff.get("changes", [])):
        badges.append("changed")
    return badges


def new_sites(report: dict) -> set[str]:
    """Sites that were not in the previous run (none when there is no previous run)."""
    diff = report.get("diff")
    return set(diff["sites"]["new"]) if diff else set()


_BREAK_AFTER = re.compile(r"([./@\-_:;,?=&+])")
_LONG_RUN = re.compile(r"([^\s./@\-_:;,?=&+]{12})(?=[^\s./@\-_:;,?=&+]{6})")
SHORT_VALUE = 24  # an IP address, a date, a short domain: never broken


def wrap(value) -> Markup:
    """A value escaped; a long one gets break opportunities after its separators (a dot,
    slash, @ or dash) and inside long unbroken runs (hashes), so that it wraps there and
    never inside a short token."""
    text = str(value)
    if len(text) <= SHORT_VALUE:
        return Markup(escape(text))
    mark = "\ue000"  # a private-use character: where a break may go
    text = text.replace(mark, "")
    text = _BREAK_AFTER.sub(lambda m: m.group(1) + mark, text)
    text = _LONG_RUN.sub(lambda m: m.group(1) + mark, text)
    return Markup(str(escape(text)).replace(mark, "<wbr>"))


def words_diff(mine: str, theirs: str) -> Markup:
    """``mine`` escaped, the words ``theirs`` does not hold at that place marked (a clone's
    changed company name, a swapped city)."""
    from difflib import SequenceMatcher

    a, b = mine.split(), theirs.split()
    out = []
    for op, i1, i2, _, _ in SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        text = str(escape(" ".join(a[i1:i2])))
        if text:
            out.append(text if op == "equal" else f'<mark class="changed">{text}</mark>')
    return Markup(" ".join(out))
