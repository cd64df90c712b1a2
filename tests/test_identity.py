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
