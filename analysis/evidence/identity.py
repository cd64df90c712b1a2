"""Stable cluster identity across runs.

The rule: a cluster of this run keeps the id of a cluster of the previous run when it
carries over more than half of that cluster's members, or more than half of its evidence
values (kind and value). Matches are made greedily, best first, one to one. Every other
cluster gets a new id, numbered after the highest id the database has used, so an id is
never given to two different networks. A previous cluster (of two or more sites) whose
sites are now in two or more clusters of two or more is recorded as split; a cluster of
this run holding sites of two or more previous clusters of two or more, as merged.

Example:
    >>> prev = [{"id": "C0007", "domains": ["a.com", "b.com", "c.com"], "evidence": []}]
    >>> ids, events = carry_ids(prev, [["a.com", "b.com", "d.com"]], [[]], next_number=8)
    >>> ids, events
    (['C0007'], [])
"""

from __future__ import annotations

from analysis.evidence.cluster import cluster_id

CARRY_SHARE = 0.5


def _values(evidence: list) -> set[tuple[str, str]]:
    out = set()
    for e in evidence:
        kind, value, weight = (e["kind"], e["value"], e["weight"]) if isinstance(e, dict) \
            else (e.kind, e.value, e.weight)
        if weight > 0 and kind != "text_similarity":
            out.add((kind, value))
    return out


def carry_ids(previous: list[dict], current: list[list[str]], current_evidence: list[list],
              next_number: int, previous_lone: dict[str, str] | None = None
              ) -> tuple[list[str], list[dict]]:
    """Ids for the ``current`` clusters (lists of domains), and the split/merge events.

    ``previous_lone`` (domain -> id) may give the previous run's one-site clusters apart
    from ``previous``, as a large run's store reads them: most sites stand alone in both
    runs, and such a site keeps its id without being weighed against anything (its previous
    cluster and its current one can match nothing else: neither has evidence)."""
    ids: list[str | None] = [None] * len(current)
    if previous_lone:
        rest = []
        for i, domains in enumerate(current):
            if len(domains) == 1 and not _values(current_evidence[i]):
                ids[i] = previous_lone.get(domains[0])
            if ids[i] is None:
                rest += [d for d in domains if d in previous_lone]
        # Previous lone sites now linked to others are weighed as the rule says.
        previous = [*previous, *({"id": previous_lone[d], "domains": [d], "evidence": []}
                                 for d in rest)]
    prev_members = {p["id"]: set(p["domains"]) for p in previous}
    prev_values = {p["id"]: _values(p["evidence"]) for p in previous}
    by_domain = {d: p["id"] for p in previous for d in p["domains"]}
    by_value: dict[tuple[str, str], set[str]] = {}
    for pid, values in prev_values.items():
        for v in values:
            by_value.setdefault(v, set()).add(pid)
    candidates = []
    for i, domains in enumerate(current):
        if ids[i] is not None:
            continue
        members, values = set(domains), _values(current_evidence[i])
        near = {by_domain[d] for d in members if d in by_domain}
        near |= {pid for v in values for pid in by_value.get(v, ())}
        for pid in near:
            share_members = len(members & prev_members[pid]) / len(prev_members[pid])
            share_values = (len(values & prev_values[pid]) / len(prev_values[pid])
                            if prev_values[pid] else 0.0)
            score = max(share_members, share_values)
            if score > CARRY_SHARE:
                candidates.append((score, len(members & prev_members[pid]), -i, pid, i))
    used: set[str] = set()
    for _, _, _, pid, i in sorted(candidates, reverse=True):
        if ids[i] is None and pid not in used:
            ids[i] = pid
            used.add(pid)  # (a copy of the set per match made re-runs quadratic)
    order = sorted((i for i in range(len(current)) if ids[i] is None),
                   key=lambda i: (-len(current[i]), sorted(current[i])[0]))
    for n, i in enumerate(order, start=next_number):
        ids[i] = cluster_id(n)
    events = []
    now_of = {d: ids[i] for i, domains in enumerate(current) for d in domains}
    size = {ids[i]: len(domains) for i, domains in enumerate(current)}
    for pid, members in prev_members.items():
        parts = sorted({now_of[d] for d in members if d in now_of and size[now_of[d]] > 1})
        if len(members) > 1 and len(parts) > 1:
            events.append({"event": "split", "cluster": pid, "into": parts})
    for i, domains in enumerate(current):
        if len(domains) < 2:
            continue
        sources = sorted({by_domain[d] for d in domains if d in by_domain
                          and len(prev_members[by_domain[d]]) > 1})
        if len(sources) > 1:
            events.append({"event": "merge", "cluster": ids[i], "from": sources})
    return [str(x) for x in ids], events
