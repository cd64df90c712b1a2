"""WARC and ARC files of any crawler (issue: other crawlers' archives): pages only when
HTML, other files as assets, revisits resolved, resource records counted, non-http records
skipped, and every real file in ../shared/realworld/warc imported or refused in one line."""

import io
import sqlite3
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from analysis.config import default_config
from crawler.runs.importer import ImportFailure, import_file
from crawler.store import Store
from tests.conftest import ROOT

REAL = ROOT.parent / "shared" / "realworld" / "warc"


def _warc(path: Path, records: list[tuple]) -> Path:
    """Write (type, uri, content type or None, body, extra WARC headers) records."""
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for rec_type, uri, ctype, body, extra in records:
            if rec_type == "resource":
                record = writer.create_warc_record(uri, "resource", payload=io.BytesIO(body),
                                                   warc_content_type=ctype,
                                                   warc_headers_dict=extra)
            else:
                headers = [("Content-Type", ctype)] if ctype else []
                http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
                record = writer.create_warc_record(uri, rec_type, payload=io.BytesIO(body),
                                                   http_headers=http, warc_headers_dict=extra)
            writer.write_record(record)
    return path


def _page(title: str, words: str) -> bytes:
    return (f"<!doctype html><html><head><title>{title}</title></head><body><main>"
            f"<p>{words}</p></main></body></html>").encode()


JQUERY = b"/*! jQuery v3.6.0 | (c) OpenJS Foundation */ !function(e,t){'use strict'}" * 400
FONT = b"\x00\x01\x00\x00\x00\x10OpenSans-Regular" * 2000
TRACKER_JS = b"(function(){var w=window;w.track=function(){return 1}})();" * 300


def test_scripts_fonts_and_images_are_assets_and_link_no_one(tmp_path):
    """Two unrelated sites serving the same jquery.js and font, and each an untyped script of
    its own: those are assets, not pages, so their text is their own, and a library or a
    typeface links no one; a page served without a Content-Type is still a page, sniffed by
    its first bytes. (The same custom script on both would link them: that is evidence.)"""
    records = []
    for site, words in (("alpha-consult.com", "We audit payroll systems for hospitals "
                         "across Ohio and Kentucky since 1998 with certified staff." * 20),
                        ("beta-foods.net", "Fresh bakery goods delivered every morning to "
                         "cafes in Lisbon, baked with flour from local mills." * 20)):
        records += [
            ("response", f"https://{site}/", "text/html; charset=utf-8", _page(site, words), {}),
            ("response", f"https://{site}/about", None, _page(site, words[:400]), {}),
            ("response", f"https://{site}/js/jquery-3.6.0.min.js", "application/javascript",
             JQUERY, {}),
            ("response", f"https://{site}/fonts/OpenSans-Regular.ttf",
             "application/octet-stream", FONT, {}),
            ("response", f"https://{site}/t.js", None, TRACKER_JS + site.encode(), {}),
        ]
    records.append(("response", "https://fonts.gstatic.com/s/opensans.woff2", "font/woff2",
                    FONT, {}))  # a font service: not a site
    db = tmp_path / "i.db"
    run, count, warnings = import_file(_warc(tmp_path / "two.warc.gz", records), db, None)
    assert count == 2 and any("no HTML page" in w for w in warnings)
    store = Store(db, create=False)
    for site in ("alpha-consult.com", "beta-foods.net"):
        pages = store.pages(run, site)
        assert sorted(p.url for p in pages) == [f"https://{site}/", f"https://{site}/about"]
        kinds = sorted(a.kind for a in store.assets(run, site))
        assert kinds == ["font", "script", "script"]
    store.close()
    from crawler.runs.analyse import cluster_run

    store = Store(db)
    result = cluster_run(store, run, default_config())
    assert [c.domains for c in result.clusters if len(c.domains) > 1] == []
    assert not [e for e in result.evidence if e.weight > 0 and e.kind in ("asset",
                                                                           "text_similarity")]


def test_a_revisit_is_the_record_it_repeats_and_resources_count(tmp_path):
    body = _page("Acme", "Acme builds payroll software for hospitals in Ohio." * 10)
    import base64
    import hashlib

    digest = "sha1:" + base64.b32encode(hashlib.sha1(body).digest()).decode()
    records = [
        ("response", "https://acme.com/", "text/html", body, {"WARC-Payload-Digest": digest}),
        ("revisit", "https://acme.com/index.html", "text/html", b"",
         {"WARC-Payload-Digest": digest,
          "WARC-Profile": "http://netpreserve.org/warc/1.0/revisit/identical-payload-digest"}),
        ("resource", "https://acme.com/team", "text/html", _page("Team", "Our team." * 30),
         {}),
        ("revisit", "https://acme.com/gone", "text/html", b"",
         {"WARC-Payload-Digest": "sha1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"}),
        ("resource", "metadata://gnu.org/software/wget/warc/MANUAL.html", "text/html",
         b"<html>wget manual</html>", {}),
    ]
    run, count, warnings = import_file(_warc(tmp_path / "r.warc.gz", records),
                                       tmp_path / "r.db", None)
    assert count == 1  # no "gnu.org" site from wget's metadata:// record
    store = Store(tmp_path / "r.db", create=False)
    pages = {p.url: p for p in store.pages(run, "acme.com")}
    assert set(pages) == {"https://acme.com/", "https://acme.com/index.html",
                          "https://acme.com/team"}
    assert pages["https://acme.com/index.html"].html == pages["https://acme.com/"].html
    assert any("1 revisit records repeat records that are not in this file" in w
               for w in warnings)
    assert any("non-http" in w for w in warnings)


REAL_FILES = sorted(REAL.iterdir()) if REAL.is_dir() else []


@pytest.mark.skipif(not REAL_FILES, reason="../shared/realworld/warc is not beside the repo")
@pytest.mark.parametrize("path", REAL_FILES, ids=[p.name for p in REAL_FILES])
def test_every_real_archive_imports_or_is_refused_in_one_line(path, tmp_path):
    db = tmp_path / "x.db"
    try:
        run, count, _ = import_file(path, db, None)
    except ImportFailure as exc:
        assert "\n" not in str(exc) and str(path.name) in str(exc)
        assert not path.name.endswith(".arc") or "bad" in path.name  # ARC files are read
        return
    assert not path.name.endswith(".bad"), "a .bad file must be refused"
    store = Store(db, create=False)
    for site in store.sites(run):
        assert site["domain"] and "." in site["domain"]
        for page in store.pages(run, site["domain"]):
            assert page.url.startswith("http")  # no metadata://, dns: or file://
            assert "<" in page.html[:2048] or not page.html.strip()  # HTML, not fonts
    started = store.run_info(run)["started_at"]
    assert started < "2020"  # dated by its captures (these samples are all older)
    store.close()
    assert sqlite3.connect(db).execute("select count(*) from pages").fetchone()[0] >= 1


def test_the_real_samples_give_what_their_crawlers_captured():
    """The table of the closing note: ARC read, wget's metadata skipped, iana's crawl with
    its scripts, stylesheets, images and fonts as assets."""
    import tempfile

    if not REAL_FILES:
        pytest.skip("../shared/realworld/warc is not beside the repo")
    with tempfile.TemporaryDirectory() as tmp:
        run, count, _ = import_file(REAL / "pywb__example.arc", Path(tmp) / "a.db", None)
        assert count == 1
        run, count, _ = import_file(REAL / "pywb__example-wget-1-14.warc.gz",
                                    Path(tmp) / "w.db", None)
        store = Store(Path(tmp) / "w.db", create=False)
        assert [s["domain"] for s in store.sites(run)] == ["example.com"]
        store.close()
        run, count, _ = import_file(REAL / "pywb__iana.warc.gz", Path(tmp) / "i.db", None)
        store = Store(Path(tmp) / "i.db", create=False)
        pages = store.pages(run, "iana.org")
        assert len(pages) == 16 and all(not p.url.endswith((".js", ".css", ".png", ".ttf"))
                                        for p in pages)
        assert {a.kind for a in store.assets(run, "iana.org")} >= {"script", "stylesheet",
                                                                   "image", "font"}
        store.close()


def test_an_imported_site_is_dated_by_its_last_capture(tmp_path):
    records = [("response", "https://acme.com/", "text/html", _page("Acme", "Acme." * 40),
                {"WARC-Date": "2019-05-04T03:02:01Z"})]
    run, _, _ = import_file(_warc(tmp_path / "d.warc.gz", records), tmp_path / "d.db", None)
    con = sqlite3.connect(tmp_path / "d.db")
    assert con.execute("select updated_at from sites").fetchone()[0] == "2019-05-04T03:02:01+00:00"
    assert con.execute("select started_at from runs").fetchone()[0].startswith("2019-05-04")
