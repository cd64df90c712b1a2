"""Web archives (the first part of taking down fronts from their captures): the lab's
Wayback-compatible archive answers CDX queries and raw replay, and facade's client reads
them."""

import pytest

from crawler.archive import ArchiveFailure, ArchiveService, Capture, captures, closest
from crawler.enrich import rdap


def test_captures_of_a_seized_site_and_their_raw_pages(lab):
    service = ArchiveService.named(lab.archive_url)
    seized = next(s for s in lab.world.sites.values() if s.template == "seized")
    found = captures(service, seized.domain, None, 5, allow_private=True)
    assert found and all(c.status == 200 for c in found)
    assert found[0].original == f"https://{seized.domain}/"
    whole = captures(service, seized.domain, None, 5, allow_private=True, whole_site=True)
    assert len(whole) == len(seized.pages)
    raw = rdap.fetch_bytes(service.raw_url(found[0]), None, 5, True, 1 << 20).decode()
    assert raw == seized.pages["/"]  # as captured: no toolbar, no rewritten links
    # A timestamp with no capture of the page is redirected to the nearest one.
    near = Capture("20240101000000", found[0].original, 200)
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
