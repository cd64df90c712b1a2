"""Import is bounded and hostile input loses nothing: a gzip bomb in a WARC record, a WARC
cut short, lone surrogates in JSON Lines (every report format still written)."""

from __future__ import annotations

import gzip
import io
import json
import sqlite3
import subprocess
import sys

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.conftest import ROOT as ROOT_DIR
from tests.conftest import facade, guarded_env
from tests.realworld import ROOT

BOMB_BYTES = 100 * 1024 * 1024  # inflates far past the 10 MB a record may have


def _bomb_warc(path):
    body = gzip.compress(b"<p>" + b"A" * BOMB_BYTES, compresslevel=9)
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for host, payload, encoding in [("bomb-site.com", body, "gzip"),
                                        ("calm-site.com", b"<title>Calm</title><p>Hello</p>",
                                         None)]:
            headers = [("Content-Type", "text/html")]
            if encoding:
                headers.append(("Content-Encoding", encoding))
            http = StatusAndHeaders("200 OK", headers, protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(
                f"http://{host}/", "response", payload=io.BytesIO(payload), http_headers=http))


def test_a_gzip_bomb_in_a_warc_is_bounded_and_the_other_sites_kept(tmp_path):
    _bomb_warc(tmp_path / "bomb.warc.gz")
    db = tmp_path / "i.db"
    # The import reports its own peak: VmHWM starts afresh at exec (ru_maxrss would carry
    # this test process's own 100 MB over, and RUSAGE_CHILDREN counts other children).
    code = ("import sys; from crawler.cli import main; rc = main(sys.argv[1:]); "
            "hwm = [l for l in open('/proc/self/status') if l.startswith('VmHWM')][0]; "
            "print('peak', hwm.split()[1], file=sys.stderr); sys.exit(rc)")
    result = subprocess.run([sys.executable, "-c", code, "import", str(tmp_path / "bomb.warc.gz"),
                             "--db", str(db)], capture_output=True, text=True, cwd=ROOT_DIR,
                            env=guarded_env(), timeout=300)
    assert result.returncode == 0, result.stderr
    assert "larger than 10 MB after decompression; skipped" in result.stderr
    peak_mb = int(result.stderr.rsplit("peak ", 1)[1]) / 1024
    assert peak_mb < 200, peak_mb  # the record inflates to 100 MB
    con = sqlite3.connect(db)
    sites = dict(con.execute("select domain, status from sites"))
    assert sites == {"bomb-site.com": "error", "calm-site.com": "ok"}
    assert con.execute("select max(length(html)) from pages").fetchone()[0] < 1000
    facade("cluster", "--db", str(db))


@pytest.mark.skipif(not (ROOT / "warc").exists(), reason="../shared/realworld absent")
def test_a_truncated_warc_says_so(tmp_path):
    warc = str(ROOT / "warc" / "warcio__example-trunc.warc")
    result = facade("import", warc, "--db", str(tmp_path / "t.db"))
    assert "damaged or truncated at byte 2560" in result.stderr
    assert "Offset:" not in result.stderr  # warcio's own multi-line warning is not passed on
    # a database path under a file is one line and exit 2, not a traceback
    bad = facade("import", warc, "--db", "/dev/null/none.db", check=False)
    assert bad.returncode == 2 and bad.stderr.count("\n") == 1


def test_lone_surrogates_in_json_lines_reach_every_format(tmp_path):
    lines = [
        '{"domain": "one-\\ud800.com", "pages": []}',  # not a domain: skipped with a warning
        json.dumps({"domain": "two.com", "pages": [{"url": "https://two.com/", "html":
                    "<title>T\\ud800</title><p>" + "Shared copy text here. " * 40}]},
                   ensure_ascii=True).replace("\\\\ud800", "\\ud800"),
        json.dumps({"domain": "three.com", "features": {"registrar": "Bad \\udcff Registrar",
                    "analytics_ids": ["G-SUR\\ud801ROG"]}}).replace("\\\\", "\\"),
    ]
    (tmp_path / "s.jsonl").write_text("\n".join(lines) + "\n")
    db = tmp_path / "j.db"
    facade("import", str(tmp_path / "s.jsonl"), "--db", str(db))
    facade("run", "--help")  # the CLI still starts
    for fmt in ("html", "json", "csv", "stix", "misp", "graphml", "gexf"):
        out = tmp_path / f"r-{fmt}"
        facade("report", "--format", fmt, "--db", str(db), "-o", str(out))
    state = sqlite3.connect(db).execute("select state from runs").fetchone()[0]
    assert state == "crawled"  # reports read the run, never cluster it (`facade cluster` does)
