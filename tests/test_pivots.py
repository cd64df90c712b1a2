"""Issue 3 on the lab world: every planted pivot links its family, with the value; each
kind's commons (by list and by rarity) keep decoys apart."""

import base64

import mmh3
import pytest

from crawler.lab.world import AGENT_ADDRESS, FAMILY_KINDS, THEME_GA

pytestmark = pytest.mark.e2e


def _cluster_of(report, domain):
    cid = next(s["cluster"] for s in report["sites"] if s["domain"] == domain)
    return next(c for c in report["clusters"] if c["id"] == cid)


@pytest.mark.parametrize("kind", FAMILY_KINDS)
def test_family_linked_by_its_planted_kind_and_value(lab_run, kind):
    report, truth = lab_run["report"], lab_run["truth"]
    families = [f for f in truth["families"].values() if f["kind"] == kind]
    assert families, kind
    for family in families:
        cluster = _cluster_of(report, family["domains"][0])
        assert sorted(cluster["domains"]) == sorted(family["domains"])
        named = [e for e in cluster["evidence"] if e["kind"] == family["evidence"]]
        assert named, (kind, [e["kind"] for e in cluster["evidence"]])
        if family["value"] is not None:
            assert family["value"] in {e["value"] for e in named}, (kind, named)
        for e in cluster["evidence"]:
            assert e["reason"] and e["weight"] > 0


def test_weak_families_link_without_any_strong_evidence(lab_run):
    report, truth = lab_run["report"], lab_run["truth"]
    for family in truth["families"].values():
        if family["kind"] not in ("weak_hosting", "weak_mail"):
            continue
        cluster = _cluster_of(report, family["domains"][0])
        assert {e["strength"] for e in cluster["evidence"]} == {"weak"}
        kinds = {e["kind"] for e in cluster["evidence"]}
        want = {"ip", "registrar", "creation_date"} if family["kind"] == "weak_hosting" else {
            "mx", "spf", "nameservers"}
        assert want <= kinds, kinds


def test_rarity_demotes_values_shared_by_many_unrelated_sites(lab_run):
    commons = {(c["kind"], c["value"]): c for c in lab_run["report"]["commons"]}
    # A tracker ID embedded in the WordPress theme: on ~60 unrelated decoys, never evidence.
    assert "infrastructure" in commons[("analytics_id", THEME_GA)]["common"]
    assert len(commons[("analytics_id", THEME_GA)]["domains"]) > 25
    # The theme's default favicon, demo phone and the registered-agent building.
    wp_icon = b"\x00\x00\x01\x00WP-DEFAULT-ICON" * 8
    assert ("favicon", str(mmh3.hash(base64.encodebytes(wp_icon)))) in commons
    assert ("phone", "+13026587581") in commons
    street, city, postal, country = AGENT_ADDRESS
    building = f"1000 n west street | {city.lower()} | {postal} | {country.lower()}"
    assert ("postal_address", building) in commons
    # Listed commons say so.
    assert "commons list" in commons[("social", "facebook:wordpress")]["common"]
    assert "commons list" in commons[("mx", "eforward1.registrar-servers.com")]["common"]


def test_shared_hosting_certificate_links_nobody(lab_run):
    sites = {s["domain"]: s for s in lab_run["report"]["sites"]}
    hosted = [d for d, s in sites.items()
              if "127.2.0.10" in s["features"]["ips"] and s["features"]["cert_sha256"]]
    assert len(hosted) > 12
    assert len({sites[d]["features"]["cert_sha256"] for d in hosted}) == 1
    assert len({sites[d]["cluster"] for d in hosted}) == len(hosted)


def test_provenance_names_the_reference_copied(lab_run):
    report, truth = lab_run["report"], lab_run["truth"]
    refs = set(truth["references"])
    assert {r["domain"] for r in report["references"]} == refs
    assert all(r["status"] == "ok" for r in report["references"])
    clustered = {d for c in report["clusters"] for d in c["domains"]}
    assert not refs & clustered
    assert not refs & {s["domain"] for s in report["sites"]}
    for family in truth["families"].values():
        cluster = _cluster_of(report, family["domains"][0])
        if "reference" in family:
            copied = cluster["copied_from"]
            assert copied and copied[0]["reference"] == family["reference"]
            assert {m["domain"] for m in copied[0]["members"]} == set(family["domains"])
            assert 0.16 <= copied[0]["jaccard"] <= 1
            assert cluster["likely_original"] is None
        else:
            assert cluster["copied_from"] == []
    assert "Text copied from reference site" in lab_run["html"]


def test_without_references_the_first_registered_is_the_likely_original(lab, tmp_path):
    from tests.conftest import facade as run_facade

    run_facade("run", str(lab.seeds_file), *lab.crawl_args(), "--db", str(tmp_path / "f.db"),
               "-o", str(tmp_path / "r"), "--quiet")
    import json

    report = json.loads((tmp_path / "r" / "report.json").read_text())
    assert report["references"] == []
    for family in json.loads(lab.truth_file.read_text())["families"].values():
        cluster = _cluster_of(report, family["domains"][0])
        if family["evidence"] == "text_similarity":
            first = min(family["domains"], key=lambda d: lab.world.sites[d].created)
            assert cluster["likely_original"]["domain"] == first
            assert "registered first" in cluster["likely_original"]["reason"]
        else:
            assert cluster["likely_original"] is None


def test_text_links_show_the_copied_passages(lab_run):
    report = lab_run["report"]
    text_links = [e for c in report["clusters"] for e in c["evidence"]
                  if e["kind"] == "text_similarity"]
    assert text_links
    for ev in text_links:
        assert 1 <= len(ev["passages"]) <= 3
        assert all(len(p.split()) >= 4 or len(p) >= 8 for p in ev["passages"])
    assert lab_run["html"].count('<table class="sbs">') >= len(text_links) // 2  # side by side


def test_background_links_nobody(lab_run):
    """Parked, seized, platform blogs, a small DNS host's customers, news pages and sites made
    of industry phrases: none of them is in a multi-site cluster."""
    from crawler.lab.background import PLATFORM_IDS, SMALL_DNS

    report = lab_run["report"]
    status = {s["domain"]: s["status"] for s in report["sites"]}
    assert sorted(set(status.values()) & {"parked", "seized"}) == ["parked", "seized"]
    commons = {(c["kind"], c["value"]) for c in report["commons"]}
    assert ("soa_rname", f"hostmaster.{SMALL_DNS}") in commons
    assert ("analytics_id", PLATFORM_IDS[0]) in commons
    assert not any(e["kind"] == "social" and e["value"].startswith("x:")
                   for c in report["clusters"] for e in c["evidence"])
