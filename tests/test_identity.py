"""Stable cluster identity: the carry-over rule, new ids, splits and merges."""

from analysis.evidence.identity import carry_ids
from analysis.evidence.values import Evidence


def ev(kind, value):
    return Evidence(kind, value, ["x", "y"], 1.5, "strong")


def test_members_or_evidence_carry_the_id():
    prev = [{"id": "C0003", "domains": ["a.com", "b.com", "c.com", "d.com"],
             "evidence": [{"kind": "analytics_id", "value": "G-1", "weight": 1.5}]}]
    # Most members carried over (3 of 4), plus a newcomer: same id.
    ids, _ = carry_ids(prev, [["a.com", "b.com", "c.com", "new.com"]], [[]], next_number=9)
    assert ids == ["C0003"]
    # The fronts were all renamed, but the operator's tracker carried over: same id.
    ids, _ = carry_ids(prev, [["w.com", "x.com"]], [[ev("analytics_id", "G-1")]], 9)
    assert ids == ["C0003"]
    # Only half the members: a new network, a new id never used before.
    ids, _ = carry_ids(prev, [["a.com", "b.com"]], [[]], next_number=9)
    assert ids == ["C0009"]


def test_split_and_merge_are_recorded():
    prev = [{"id": "C0001", "domains": ["a.com", "b.com", "c.com", "d.com"], "evidence": []},
            {"id": "C0002", "domains": ["e.com", "f.com"], "evidence": []}]
    ids, events = carry_ids(prev, [["a.com", "b.com", "c.com"], ["d.com", "z.com"]],
                            [[], []], next_number=3)
    assert ids == ["C0001", "C0003"]
    assert events == [{"event": "split", "cluster": "C0001", "into": ["C0001", "C0003"]}]
    ids, events = carry_ids(prev, [["a.com", "b.com", "c.com", "d.com", "e.com", "f.com"]],
                            [[]], next_number=3)
    assert ids == ["C0001"]
    assert events == [{"event": "merge", "cluster": "C0001", "from": ["C0001", "C0002"]}]


def _partition(rng, domains):
    """Random clusters of ``domains``: most alone, some in groups of two to five."""
    left, out = list(domains), []
    rng.shuffle(left)
    while left:
        size = 1 if rng.random() < 0.6 else rng.randint(2, 5)
        out.append(sorted(left[:size]))
        left = left[size:]
    return out


def _evidence(rng, members):
    if len(members) < 2:
        return []  # a site alone has no evidence (it is between two sites)
    return [{"kind": "analytics_id", "value": f"G-{rng.randint(1, 6)}", "weight": 1.5}
            for _ in range(rng.randint(0, 2))]


def test_lone_sites_given_apart_get_the_same_ids_and_events():
    """A large run's store reads the previous run's one-site clusters as a domain -> id map;
    the ids and events are those of the rule applied to every cluster."""
    import random

    for seed in range(200):
        rng = random.Random(seed)
        domains = [f"s{n}.com" for n in range(40)]
        before = _partition(rng, rng.sample(domains, 34))  # sites come and go
        previous = [{"id": f"C{n:04d}", "domains": members, "evidence": _evidence(rng, members)}
                    for n, members in enumerate(before, start=1)]
        current = _partition(rng, rng.sample(domains, 34))
        evidence = [[ev("analytics_id", e["value"]) for e in _evidence(rng, m)]
                    for m in current]
        whole = carry_ids(previous, current, evidence, next_number=100)
        linked = [p for p in previous if len(p["domains"]) > 1]
        lone = {p["domains"][0]: p["id"] for p in previous if len(p["domains"]) == 1}
        assert carry_ids(linked, current, evidence, 100, previous_lone=lone) == whole, seed
