"""Web archives (the first part of taking down fronts from their captures): the lab's
Wayback-compatible archive answers CDX queries and raw replay, and facade's client reads
them."""

import pytest

from crawler.archive import ArchiveFailure, ArchiveService, Capture, captures, closest
from crawler.enrich import rdap
from crawler.lab.pages import operator_pages


def test_captures_of_a_seized_site_and_their_raw_pages(lab):
    service = ArchiveService.named(lab.archive_url)
    seized = next(s for s in lab.world.sites.values() if s.template == "seized")
    found = captures(service, seized.domain, None, 5, allow_private=True)
    assert found and all(c.status == 200 for c in found)
    assert found[0].original == f"https://{seized.domain}/"
    whole = captures(service, seized.domain, None, 5, allow_private=True, whole_site=True)
    before = operator_pages(seized)  # what the operator served before the seizure
    assert len(whole) == len(before) + 1  # and the banner, captured after the seizure
    raw = rdap.fetch_bytes(service.raw_url(found[0]), None, 5, True, 1 << 20).decode()
    assert raw == before["/"]  # as captured: no toolbar, no rewritten links
    # A timestamp with no capture of the page is redirected to the nearest one.
    near = Capture("20231201000000", found[0].original, 200)
    assert rdap.fetch_bytes(service.raw_url(near), None, 5, True, 1 << 20).decode() == raw
    ok_site = next(s for s in lab.world.sites.values() if s.expected_status == "ok")
    assert captures(service, ok_site.domain, None, 5, allow_private=True) == []


def test_the_closest_capture_and_the_default_one():
    found = [Capture("20220101000000", "https://a.com/", 200),
             Capture("20230601000000", "https://a.com/", 200),
             Capture("20241231000000", "https://a.com/", 200)]
    assert closest(found, "2023").timestamp == "20230601000000"
    assert closest(found, "20241101").timestamp == "20241231000000"
    assert closest(found, None).timestamp == "20241231000000"
    assert closest([], "2023") is None


def test_archive_services_by_name():
    wayback = ArchiveService.named("wayback")
    assert wayback.cdx_url == "https://web.archive.org/cdx/search/cdx"
    pywb = ArchiveService.named("http://archive.example.org/my-coll")
    assert pywb.cdx_url == "http://archive.example.org/my-coll/cdx"
    assert pywb.raw_url(Capture("2023", "https://a.com/", 200)) == (
        "http://archive.example.org/my-coll/2023id_/https://a.com/")


def test_an_archive_that_answers_garbage_is_one_clear_failure(lab):
    broken = ArchiveService(lab.rdap_url.rstrip("/") + "/domain/x.com", lab.archive_url)
    with pytest.raises(ArchiveFailure, match="not a list of rows|not JSON|HTTP"):
        captures(broken, "x.com", None, 5, allow_private=True)


def test_a_seized_sites_pages_from_before_the_seizure(lab):
    """Without a date, the start page is the latest capture that is the operator's own (the
    later one is the seizure banner); with --at near the banner, the banner is what it gets.
    Same-site links are followed through captures near the same date."""
    from crawler.archive_site import archive_site

    service = ArchiveService.named(lab.archive_url)
    seized = next(s for s in lab.world.sites.values() if s.template == "seized")
    site = archive_site(seized.domain, service, None, 20, None, 5, allow_private=True)
    assert site.status == "ok" and site.captured_at.startswith("2023")
    assert {p.html for p in site.pages} == set(operator_pages(seized).values())
    assert len(site.pages) > 1  # its links were followed in the archive
    assert all(p.url.startswith(f"https://{seized.domain}/") for p in site.pages)
    assert len(archive_site(seized.domain, service, None, 1, None, 5, True).pages) == 1
    banner = archive_site(seized.domain, service, "2024", 20, None, 5, allow_private=True)
    assert banner.captured_at.startswith("2024") and "SEIZED" in banner.pages[0].html
    ok_site = next(s for s in lab.world.sites.values() if s.expected_status == "ok")
    missing = archive_site(ok_site.domain, service, None, 20, None, 5, allow_private=True)
    assert missing.status == "error" and "no capture" in missing.message


def test_crawl_from_the_archive(lab, tmp_path):
    """`facade crawl --from-archive`: the seized and parked fronts' pages come from their
    2023 captures (reported with the capture date), registration and DNS live; --at near
    the takedown gets the banner, judged seized; a site the archive lacks is one clear
    error and every other site is kept."""
    import json

    from tests.conftest import facade

    gone = [d for d, s in lab.world.sites.items() if s.template in ("seized", "parked")]
    live = next(d for d, s in lab.world.sites.items() if s.expected_status == "ok")
    seeds = tmp_path / "s.txt"
    seeds.write_text("\n".join([*gone, live]) + "\n")
    db = tmp_path / "a.db"
    facade("run", str(seeds), *lab.crawl_args(), "--from-archive", lab.archive_url,
           "--db", str(db), "-o", str(tmp_path / "r"), "--quiet")
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    sites = {s["domain"]: s for s in report["sites"]}
    for domain in gone:
        assert sites[domain]["status"] == "ok", sites[domain]
        assert sites[domain]["captured_at"].startswith("2023")
        assert sites[domain]["features"]["registrar"]  # asked live
    assert sites[live]["status"] == "error" and "no capture" in sites[live]["message"]
    assert "from a web archive, captured 2023-10-12" in (tmp_path / "r" / "report.html"
                                                          ).read_text()
    facade("run", str(seeds), *lab.crawl_args(), "--from-archive", lab.archive_url,
           "--at", "2024", "--db", str(db), "-o", str(tmp_path / "r2"), "--quiet")
    later = {s["domain"]: s for s in json.loads((tmp_path / "r2" / "report.json")
                                                .read_text())["sites"]}
    seized = [d for d in gone if lab.world.sites[d].template == "seized"]
    assert all(later[d]["status"] == "seized" for d in seized)


def test_a_network_seized_before_the_run_is_linked_from_its_captures(lab, tmp_path):
    """The lab's archived_fronts are all seized now: live, they are banners and link
    nothing; from the archive, their 2023 pages share a tracker and form one cluster."""
    import json

    from tests.conftest import facade

    truth = json.loads(lab.truth_file.read_text())
    family = truth["archive_families"]["archived_fronts"]
    # Live sites beside them: not in the archive, so no capture (and nothing to link).
    decoys = [d for d, s in lab.world.sites.items() if s.expected_status == "ok"][:2]
    seeds = tmp_path / "s.txt"
    seeds.write_text("\n".join([*family["domains"], *decoys]) + "\n")
    for mode, extra in (("live", []), ("archive", ["--from-archive", lab.archive_url])):
        out = tmp_path / mode
        facade("run", str(seeds), *lab.crawl_args(), *extra, "--db", str(tmp_path / "a.db"),
               "-o", str(out), "--quiet")
        report = json.loads((out / "report.json").read_text())
        cluster_of = {s["domain"]: s["cluster"] for s in report["sites"]}
        linked = [c for c in report["clusters"] if set(family["domains"]) <= set(c["domains"])]
        if mode == "live":
            assert not linked and all(cluster_of[d] is None for d in family["domains"])
        else:
            assert len(linked) == 1 and len(linked[0]["domains"]) == len(family["domains"])
            assert family["value"] in {e["value"] for e in linked[0]["evidence"]}


def test_a_live_crawl_falls_back_to_the_archive_for_gone_and_seized_sites(lab, tmp_path):
    """--archive-fallback: live sites stay live; the seized and parked ones get their pages
    from the archive, and keep their live status in the message; the seized network links."""
    import json

    from tests.conftest import facade

    truth = json.loads(lab.truth_file.read_text())
    family = truth["archive_families"]["archived_fronts"]
    parked = next(d for d, s in lab.world.sites.items() if s.template == "parked")
    live = [d for d, s in lab.world.sites.items() if s.expected_status == "ok"][:2]
    seeds = tmp_path / "s.txt"
    seeds.write_text("\n".join([*family["domains"], parked, *live]) + "\n")
    facade("run", str(seeds), *lab.crawl_args(), "--archive-fallback", lab.archive_url,
           "--db", str(tmp_path / "f.db"), "-o", str(tmp_path / "r"), "--quiet")
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    sites = {s["domain"]: s for s in report["sites"]}
    for domain in [*family["domains"], parked]:
        assert sites[domain]["status"] == "ok" and sites[domain]["captured_at"], domain
        assert sites[domain]["message"].startswith(("live: seized", "live: parked"))
    for domain in live:
        assert sites[domain]["status"] == "ok" and sites[domain]["captured_at"] is None
    linked = [c for c in report["clusters"] if set(family["domains"]) <= set(c["domains"])]
    assert len(linked) == 1


def test_the_diff_shows_a_site_that_moved_from_live_to_the_archive(tmp_path):
    """Week 1 crawled live; in week 2 a site is taken down, and a crawl with
    --archive-fallback reads it from its capture: the diff says so."""
    import json

    from crawler.lab.server import LabServer
    from tests.conftest import facade

    db = tmp_path / "w.db"
    for week in (1, 2):
        with LabServer(seed=1, folder=tmp_path / f"lab{week}", week=week) as lab:
            extra = ["--archive-fallback", lab.archive_url] if week == 2 else []
            facade("run", str(lab.seeds_file), *lab.crawl_args(), *extra, "--db", str(db),
                   "-o", str(tmp_path / f"r{week}"), "--quiet")
            truth = json.loads(lab.truth_file.read_text())
    down = next(c["domain"] for c in truth["changes"] if c["change"] == "taken_down")
    diff = json.loads(facade("diff", "--db", str(db), "--format", "json").stdout)
    archived = {s["domain"] for s in diff["sites"]["now_archived"]}
    week1 = {s["domain"]: s for s in json.loads((tmp_path / "r1" / "report.json")
                                               .read_text())["sites"]}
    assert down in archived and week1[down]["status"] == "ok"
    # The others were already gone, seized or parked in week 1; now their captures are read.
    others = {d: week1[d]["status"] for d in archived - {down}}
    assert all(status in ("seized", "parked", "unreachable", "dns_error")
               for status in others.values()), others
    assert down not in [s["domain"] for s in diff["sites"]["newly_failing"]]
    text = facade("diff", "--db", str(db)).stdout
    assert f"now from the archive: {down} (captured 2023-10-12; live: unreachable" in text


def test_cdx_answers_are_kept_across_runs_like_registry_answers(lab, tmp_path):
    from tests.conftest import facade

    seized = [d for d, s in lab.world.sites.items() if s.template == "seized"]
    seeds = tmp_path / "s.txt"
    seeds.write_text("\n".join(seized) + "\n")
    db = str(tmp_path / "c.db")
    args = [*lab.crawl_args(), "--from-archive", lab.archive_url, "--db", db, "--quiet"]

    def cdx_queries() -> int:
        return sum(1 for kind, q in lab.world.lookups if kind == "archive" and "/cdx/" in q)

    before = cdx_queries()
    facade("crawl", str(seeds), *args)
    first = cdx_queries() - before
    facade("crawl", str(seeds), *args, "--new-run")
    assert first == len(seized) and cdx_queries() - before == first  # none asked again
    facade("crawl", str(seeds), *args, "--new-run", "--whois-cache-days", "0")
    assert cdx_queries() - before == 2 * first
