"""Web archives (the first part of taking down fronts from their captures): the lab's
Wayback-compatible archive answers CDX queries and raw replay, and facade's client reads
them."""

import pytest

from analysis.assets import hashed_asset
from crawler.archive.service import (
    ArchiveFailure,
    ArchiveService,
    Capture,
    captures,
    closest,
    parse_timemap,
)
from crawler.archive.site import ArchiveReader, Window
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
    # and its files, and the banner captured after the seizure
    assert len(whole) == len(before) + len(seized.files) + 1
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
    service = ArchiveService.named(lab.archive_url)
    seized = next(s for s in lab.world.sites.values() if s.template == "seized")

    def read(domain, at=None, max_pages=20):
        return ArchiveReader(service, at, max_pages, None, 5, allow_private=True).site(domain)

    site = read(seized.domain)
    assert site.status == "ok" and site.captured_at.startswith("2023")
    assert {p.html for p in site.pages} == set(operator_pages(seized).values())
    assert len(site.pages) > 1  # its links were followed in the archive
    assert all(p.url.startswith(f"https://{seized.domain}/") for p in site.pages)
    assert len(read(seized.domain, max_pages=1).pages) == 1
    banner = read(seized.domain, at="2024")
    assert banner.captured_at.startswith("2024") and "SEIZED" in banner.pages[0].html
    ok_site = next(s for s in lab.world.sites.values() if s.expected_status == "ok")
    missing = read(ok_site.domain)
    assert missing.status == "error" and "no capture" in missing.message


def test_a_sites_files_from_its_captures_hashed_as_the_live_crawl_hashes_them(lab):
    """The favicon and the files the captured pages use come from the same captures and
    carry the same hashes a live crawl would give them."""
    service = ArchiveService.named(lab.archive_url)
    seized = next(s for s in lab.world.sites.values() if s.template == "seized")
    site = ArchiveReader(service, None, 20, None, 5, allow_private=True).site(seized.domain)
    by_url = {a.url: a for a in site.assets}
    icon = by_url[f"https://{seized.domain}/favicon.ico"]
    assert icon.kind == "favicon" and icon.mmh3 is not None
    assert icon == hashed_asset(icon.url, "favicon", 200, seized.files["/favicon.ico"][1])
    assert all(a.url.startswith(f"https://{seized.domain}/") for a in site.assets)


def test_a_file_captured_only_after_the_takedown_is_not_the_operators(lab):
    """A parked site's favicon was captured only after it was parked: the archive answers
    the 2023 page's date with that capture, the parking service's icon shared by every
    parked domain. It is refused (it is outside the operator's window), so parked fronts
    read from the archive are not linked by their parking service's icon."""
    service = ArchiveService.named(lab.archive_url)
    parked = [s for s in lab.world.sites.values() if s.template == "parked"]
    reader = ArchiveReader(service, None, 20, None, 5, allow_private=True)
    for lab_site in parked:
        site = reader.site(lab_site.domain)
        assert site.captured_at.startswith("2023") and site.refused >= 1
        assert not [a for a in site.assets if a.kind == "favicon"]
        assert any(a.kind == "stylesheet" for a in site.assets)  # its own files are kept


def test_the_window_of_a_start_page():
    found = [Capture("20220101000000", "https://a.com/", 200, digest="A"),
             Capture("20230601000000", "https://a.com/", 200, digest="A"),
             Capture("20240101000000", "https://a.com/", 200, digest="B")]
    window = Window.around(found[0], found)
    assert window.end == "20240101000000"  # the first capture with other content
    assert window.holds("20230601000000") and not window.holds("20240101000000")
    assert not window.holds("20201231000000")  # more than a year before the page
    assert Window.around(found[2], found).end is None


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
            evidence = linked[0]["evidence"]
            assert family["value"] in {e["value"] for e in evidence}
            # The tracker and the favicon are from the captures; registration is as it is now.
            by_kind = {e["kind"]: e for e in evidence}
            assert by_kind["analytics_id"]["source"] == "archive"
            assert set(by_kind["analytics_id"]["captured_at"]) == set(by_kind["analytics_id"]
                                                                    ["domains"])
            assert by_kind["favicon"]["source"] == "archive"
            assert all(e["source"] == "live" for e in evidence
                       if e["kind"] in ("registrar", "ip", "nameservers", "asn"))
            html = (out / "report.html").read_text()
            assert 'class="src archive"' in html and 'class="src now"' in html


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


WAYBACK_TIMEMAP = ",\n".join([
    '<http://acme.com/>; rel="original"',
    '<http://web.archive.org/web/timemap/link/http://acme.com/>; rel="self";'
    ' type="application/link-format"; from="Tue, 12 Oct 2021 09:30:00 GMT"',
    '<http://web.archive.org>; rel="timegate"',
    '<http://web.archive.org/web/20211012093000/http://acme.com/>; rel="first memento";'
    ' datetime="Tue, 12 Oct 2021 09:30:00 GMT"',
    '<https://archive.ph/AbC12>; rel="memento"; datetime="Wed, 01 Mar 2023 12:00:00 GMT"',
    '<http://web.archive.org/web/20230601000000/http://acme.com/>; rel="memento";'
    ' datetime="garbage"',
    '<http://web.archive.org/web/20231012093000/http://acme.com/>; rel="last memento";'
    ' datetime="Thu, 12 Oct 2023 09:30:00 GMT"',
])


def test_a_memento_timemap_lists_the_captures_of_every_archive():
    """A TimeMap (as the Wayback Machine and aggregators write them): mementos of several
    archives, dated by their datetime (commas inside it included); a bad date loses that
    entry; Wayback-style mementos are replayed raw (id_), others as they are."""
    found = parse_timemap(WAYBACK_TIMEMAP, "https://acme.com/")
    assert [c.timestamp for c in found] == ["20211012093000", "20230301120000",
                                            "20231012093000"]
    service = ArchiveService.named("http://aggregator.example/timemap/link/")
    assert service.timemap_url and service.cdx_url is None
    assert service.raw_url(found[-1]) == (
        "http://web.archive.org/web/20231012093000id_/http://acme.com/")
    assert service.raw_url(found[1]) == "https://archive.ph/AbC12"
    assert service.holding(found[-1]).replay_prefix == "http://web.archive.org/web/"
    assert service.holding(found[1]) is None  # its other captures cannot be named
    assert parse_timemap("not a timemap", "https://a.com/") == []


def test_a_memento_aggregator_names_the_archive_and_the_network_links(lab, tmp_path):
    """`--from-archive --archive-url AGGREGATOR/timemap/link/`: the start page is chosen
    from the TimeMap, the rest of each site read from the archive holding it."""
    import json

    from tests.conftest import facade

    timemap = lab.archive_url.replace("/web/", "/timemap/link/")
    seized = next(s for s in lab.world.sites.values() if s.template == "seized")
    reader = ArchiveReader(ArchiveService.named(timemap), None, 20, None, 5,
                           allow_private=True)
    site = reader.site(seized.domain)
    assert site.captured_at.startswith("2023")
    assert {p.html for p in site.pages} == set(operator_pages(seized).values())
    assert any(a.kind == "favicon" for a in site.assets)

    family = json.loads(lab.truth_file.read_text())["archive_families"]["archived_fronts"]
    seeds = tmp_path / "s.txt"
    seeds.write_text("\n".join(family["domains"]) + "\n")
    facade("run", str(seeds), *lab.crawl_args(), "--from-archive", "--archive-url", timemap,
           "--db", str(tmp_path / "t.db"), "-o", str(tmp_path / "r"), "--quiet")
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    assert [sorted(c["domains"]) for c in report["clusters"] if c["size"] > 1] == [
        sorted(family["domains"])]


@pytest.mark.parametrize(("args", "says"), [
    (["--archive-url", "http://a.example/web/"], "--archive-url names the archive"),
    (["--from-archive", "--archive-fallback"], "give one of them"),
    (["--from-archive", "http://a.example/web/", "--archive-url", "http://b.example/web/"],
     "two archives named"),
    (["--archive-fallback", "--archive-url", "ftp://x"], "--archive-url takes an http(s)"),
])
def test_archive_options_that_cannot_be_met_are_one_clear_line(tmp_path, args, says):
    from tests.conftest import facade

    seeds = tmp_path / "s.txt"
    seeds.write_text("acme.com\n")
    proc = facade("crawl", str(seeds), *args, "--db", str(tmp_path / "x.db"), check=False)
    assert proc.returncode == 2 and says in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "x.db").exists()
