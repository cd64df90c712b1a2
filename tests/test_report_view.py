"""What the HTML report derives to be read at a glance: near misses, link scores, badges,
value counts, wrapping and the words a clone changed."""

from analysis.evidence.cluster import build_clusters
from analysis.evidence.values import Evidence
from analysis.reports.report_json import weak_only
from analysis.reports.report_view import cluster_badges, linking_values, words_diff, wrap
from analysis.text.copied_text import counterpart


def test_near_misses_are_pairs_between_half_the_threshold_and_the_threshold():
    evidence = [Evidence("analytics_id", "G-1", ["a.com", "b.com"], 1.5, "strong", "r"),
                Evidence("ip", "10.0.0.1", ["b.com", "c.com"], 0.6, "weak", "r"),
                Evidence("ip", "10.0.0.2", ["c.com", "d.com"], 0.3, "weak", "r")]
    clusters = {c.domains[0]: c for c in build_clusters(["a.com", "b.com", "c.com", "d.com"],
                                                        evidence, 1.0)}
    assert clusters["a.com"].domains == ["a.com", "b.com"]
    lone = clusters["c.com"]
    assert [m["domains"] for m in lone.near_misses] == [["b.com", "c.com"]]  # 0.6 >= 0.5
    assert clusters["d.com"].near_misses == []  # 0.3 is below half the threshold
    assert clusters["a.com"].near_misses == lone.near_misses  # b.com's side sees it too


def test_a_cluster_of_weak_kinds_only_says_so():
    weak = {"domains": ["a", "b"], "evidence": [
        {"kind": "ip", "weight": 0.6, "strength": "weak"},
        {"kind": "registrar", "weight": 0.5, "strength": "weak"},
        {"kind": "hosting", "weight": 0, "strength": "strong"}]}  # a common: no weight
    assert weak_only(weak)
    assert not weak_only({**weak, "evidence": [*weak["evidence"],
                                               {"kind": "email", "weight": 1.2,
                                                "strength": "strong"}]})


def test_values_wrap_at_separators_and_short_ones_never():
    assert str(wrap("127.2.0.10")) == "127.2.0.10"  # an address stays whole
    assert str(wrap("ns1.cloud-dns-hosting.net")) == "ns1.<wbr>cloud-<wbr>dns-<wbr>hosting.<wbr>net"
    digest = "a1933d776137915cf2bcdbfb93680d24a86419cbb5afc9dafddb7695937bb0c4"
    assert str(wrap(digest)).replace("<wbr>", "") == digest and "<wbr>" in str(wrap(digest))
    hostile = str(wrap("<script>alert(1)</script>" * 2))
    assert "<script>" not in hostile and "&lt;script&gt;" in hostile


def test_the_words_a_clone_changed_are_marked():
    mine = "Acme Corp builds software for banks in Berlin."
    theirs = "Silverwave Dev builds software for banks in Dallas."
    marked = str(words_diff(mine, theirs))
    assert '<mark class="changed">Acme Corp</mark>' in marked
    assert '<mark class="changed">Berlin.</mark>' in marked
    assert "builds software for banks in" in marked
    assert "<script>" not in str(words_diff("<script>x</script>", "y"))


def test_the_counterpart_of_a_copied_sentence_is_the_clones_wording():
    text = ("We are a small team. Acme Corp builds reliable software for regional banks and "
            "credit unions across Europe. Call us today.")
    found = counterpart("Silverwave Dev builds reliable software for regional banks and credit "
                        "unions across Texas.", text, 4)
    assert found.startswith("Acme Corp builds reliable software")


def test_badges_say_what_changed_in_a_cluster_since_the_last_run():
    cluster = {"id": "C0002", "domains": ["a.com", "b.com", "c.com"]}
    diff = {"clusters": {"new": [], "joined": [{"domain": "c.com", "cluster": "C0002"}],
                         "left": [], "merged": [], "split": []},
            "changes": [{"domain": "a.com", "feature": "ips"}]}
    assert cluster_badges(cluster, diff) == ["+1 site", "changed"]
    assert cluster_badges({**cluster, "id": "C0009"},
                          {**diff, "clusters": {**diff["clusters"], "new": ["C0009"]}}) == ["new"]
    assert cluster_badges(cluster, None) == []


def test_a_set_of_name_servers_highlights_each_of_them():
    cluster = {"evidence": [{"kind": "nameservers", "value": "ns1.x.net ns2.x.net",
                             "weight": 0.3}, {"kind": "ip", "value": "1.2.3.4", "weight": 0}]}
    assert {"ns1.x.net", "ns2.x.net"} <= linking_values(cluster)
    assert "1.2.3.4" not in linking_values(cluster)  # a common links nothing


def test_no_two_kinds_are_drawn_alike():
    """Colour and dash pattern together tell every strong kind apart (and from the weak
    ones), so the graph reads in grey print and for colour-blind readers."""
    from analysis.config import default_config
    from analysis.reports.svg_graph import STYLES, WEAK_STYLE, kind_style

    styles = list(STYLES.values())
    assert len(set(styles)) == len(styles) and WEAK_STYLE not in styles
    kinds = default_config()["kinds"]
    strong = [k for k, rules in kinds.items() if rules.get("strength") == "strong"]
    assert len({kind_style(k) for k in strong}) == len(strong)  # each its own style
    assert all(kind_style(k) == WEAK_STYLE for k in kinds if k not in strong)
