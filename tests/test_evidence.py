"""Evidence weighing (strong, weak, commons by list and by rarity) and clustering."""

from analysis.config import default_config
from analysis.evidence.analyse import analyse
from analysis.evidence.values import shared_evidence, value_weight
from analysis.records import SiteFeatures


def site(domain, **values):
    return SiteFeatures(domain, "ok", values={k: list(v) for k, v in values.items()})


def clusters_of(sites):
    return sorted(sorted(c.domains) for c in analyse(sites, default_config()).clusters)


def test_strong_value_links_on_its_own():
    sites = [site("a.com", analytics_ids=["G-AAAA111111"]),
             site("b.com", analytics_ids=["G-AAAA111111"]), site("c.com")]
    assert clusters_of(sites) == [["a.com", "b.com"], ["c.com"]]


def test_weak_values_link_only_in_combination():
    alone = [site(d, ips=["203.0.113.5"]) for d in ("a.com", "b.com")]
    assert clusters_of(alone) == [["a.com"], ["b.com"]]
    two = [site(d, ips=["203.0.113.5"], registrar=["Tiny Registrar"]) for d in ("a.com", "b.com")]
    assert clusters_of(two) == [["a.com"], ["b.com"]]
    # A dedicated address + the same registrar + registered within a week: linked.
    week = [site("a.com", ips=["203.0.113.5"], registrar=["Tiny Registrar"],
                 creation_date=["2024-03-01T10:00:00"]),
            site("b.com", ips=["203.0.113.5"], registrar=["Tiny Registrar"],
                 creation_date=["2024-03-05T09:00:00"])]
    result = analyse(week, default_config())
    assert [c.domains for c in result.clusters] == [["a.com", "b.com"]]
    assert {e.kind for e in result.clusters[0].evidence} == {"ip", "registrar", "creation_date"}
    # The same but registered two months apart: not linked.
    apart = [site("a.com", ips=["203.0.113.5"], registrar=["Tiny Registrar"],
                  creation_date=["2024-03-01T10:00:00"]),
             site("b.com", ips=["203.0.113.5"], registrar=["Tiny Registrar"],
                  creation_date=["2024-05-01T10:00:00"])]
    assert clusters_of(apart) == [["a.com"], ["b.com"]]
    # Page structure + header order + registrar + dates (a popular theme) stay apart.
    theme = [site(d, dom_hash=["dom:1"], header_order=["hdr:1"], registrar=["Tiny Registrar"],
                  creation_date=["2024-03-01T10:00:00"]) for d in ("a.com", "b.com")]
    assert clusters_of(theme) == [["a.com"], ["b.com"]]


def test_privacy_registrant_is_a_listed_common():
    sites = [site(d, registrant_email=["abc@withheldforprivacy.com"],
                  registrant_name=["Redacted for Privacy"],
                  registrant_org=["Privacy service provided by Withheld for Privacy ehf"])
             for d in ("a.com", "b.com")]
    ev = shared_evidence(sites, default_config())
    assert {e.kind for e in ev} == {"registrant_email", "registrant"}
    assert all(e.weight == 0 and "commons list" in e.common for e in ev)
    assert clusters_of(sites) == [["a.com"], ["b.com"]]


def test_provider_default_nameservers_are_never_evidence():
    sites = [site(d, nameservers=["dns1.registrar-servers.com", "dns2.registrar-servers.com"])
             for d in ("a.com", "b.com")]
    assert shared_evidence(sites, default_config()) == []


def test_rarity_turns_a_widely_shared_value_into_a_common():
    cfg = default_config()["kinds"]["analytics_id"]
    assert value_weight(cfg, 2, 100)[0] == cfg["base"]
    assert value_weight(cfg, 10, 100)[0] < cfg["base"]
    assert value_weight(cfg, cfg["common_at"], 100)[0] >= default_config()["link_threshold"]
    weight, reason = value_weight(cfg, cfg["common_at"] + 1, 100_000)
    assert weight == 0 and "infrastructure" in reason
    # A tracker ID embedded in a theme used by 40 unrelated sites links none of them.
    sites = [site(f"s{i}.com", analytics_ids=["UA-999999-1"]) for i in range(40)]
    sites += [site(f"x{i}.com") for i in range(60)]
    assert all(len(c) == 1 for c in clusters_of(sites))


def test_every_ok_site_in_exactly_one_cluster_largest_first():
    sites = [site("a.com", analytics_ids=["G-X1X1X1X1X1"]),
             site("b.com", analytics_ids=["G-X1X1X1X1X1"], redirects_to=["c.com"]),
             site("c.com"), site("d.com"), site("e.com")]
    sites.append(SiteFeatures("f.com", "unreachable"))
    result = analyse(sites, default_config())
    members = [d for c in result.clusters for d in c.domains]
    assert sorted(members) == ["a.com", "b.com", "c.com", "d.com", "e.com"]
    assert result.clusters[0].id == "C0001" and result.clusters[0].domains == [
        "a.com", "b.com", "c.com"]
    kinds = {e.kind for e in result.clusters[0].evidence}
    assert kinds == {"analytics_id", "redirect"}


def test_registrant_name_and_organisation_link_when_not_private():
    sites = [site(d, registrant_name=["Tony Wang"], registrant_org=["Wang Tech Ltd"])
             for d in ("a.com", "b.com")]
    sites.append(site("c.com", registrant_name=["Tony Wang"]))  # no organisation: no value
    result = analyse(sites, default_config())
    assert result.clusters[0].domains == ["a.com", "b.com"]
    assert [(e.kind, e.value) for e in result.clusters[0].evidence] == [
        ("registrant", "Tony Wang / Wang Tech Ltd")]
