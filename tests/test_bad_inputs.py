"""Bad input ends in one line and exit 2, or in a warning naming what was skipped: never a
traceback, never a silently wrong result."""

from __future__ import annotations

import gzip
import json
import socket

import pytest

from analysis.config import ConfigError, load_config
from crawler.crawl.seeds import parse_seeds, read_seeds
from crawler.enrich.asndb import AsnDb, AsnDbError
from tests.conftest import ROOT, facade


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad")
    lines = [{"domain": f"site{i}.com", "pages": [{"url": f"https://site{i}.com/", "html":
              f"<title>Site {i}</title><p>" + "Some text here. " * 20 + "</p>"}],
              "features": {"analytics_ids": ["G-SHARED1234"]}} for i in range(3)]
    (folder / "s.jsonl").write_text("\n".join(json.dumps(x) for x in lines) + "\n")
    facade("import", str(folder / "s.jsonl"), "--db", str(folder / "f.db"))
    return folder / "f.db"


def _one_line_exit_2(result):
    assert result.returncode == 2, (result.stdout, result.stderr)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.startswith("facade: error: ")


@pytest.mark.parametrize("old,new", [
    ("link_threshold = 1.0", 'link_threshold = "high"'),
    ("link_threshold = 1.0", "link_threshold = -5"),
    ("threshold = 0.15 ", "threshold = 2 "),
    ('strength = "weak"', 'strength = "maybe"'),
])
def test_evidence_configs_are_validated_with_their_ranges(tmp_path, db, old, new):
    shipped = (ROOT / "analysis" / "data" / "evidence.toml").read_text()
    assert old in shipped
    path = tmp_path / "e.toml"
    path.write_text(shipped.replace(old, new, 1))
    with pytest.raises(ConfigError):
        load_config(path)
    _one_line_exit_2(facade("cluster", "--db", str(db), "--evidence-config", str(path),
                            check=False))


def test_a_damaged_database_is_one_line(tmp_path, db):
    data = bytearray(db.read_bytes())
    for offset in range(4096, len(data), 997):  # flip bits all through the file's pages
        data[offset] ^= 0xFF
    damaged = tmp_path / "damaged.db"
    damaged.write_bytes(bytes(data))
    _one_line_exit_2(facade("report", "--format", "json", "--db", str(damaged),
                            "-o", str(tmp_path / "r.json"), check=False))


def test_output_that_cannot_be_written_is_one_line(tmp_path, db):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    _one_line_exit_2(facade("report", "--format", "json", "--db", str(db),
                            "-o", str(blocker / "r.json"), check=False))
    _one_line_exit_2(facade("report", "--format", "csv", "--db", str(db),
                            "-o", str(blocker), check=False))


def test_seed_files_as_analysts_save_them(tmp_path):
    (tmp_path / "u16.txt").write_bytes("acme.com\nexample.org\n".encode("utf-16"))
    (tmp_path / "u16le.txt").write_bytes("acme.com\n".encode("utf-16-le"))
    assert [s.domain for s in read_seeds(tmp_path / "u16.txt").seeds] == ["acme.com",
                                                                           "example.org"]
    assert [s.domain for s in read_seeds(tmp_path / "u16le.txt").seeds] == ["acme.com"]
    huge = parse_seeds("domain,source\n" + '"' + "x" * (128 * 1024 + 10) + '",big\nacme.com,ok\n')
    assert [s.domain for s in huge.seeds] == ["acme.com"]
    assert len(huge.warnings) == 1 and huge.warnings[0].startswith("seeds:2: skipped")


def test_a_truncated_gzip_asn_table_is_refused(tmp_path):
    rows = "".join(f"1.{i // 256}.{i % 256}.0\t1.{i // 256}.{i % 256}.255\t645{i % 50:02d}\tUS\tN"
                   f"\n" for i in range(5000)).encode()
    data = gzip.compress(rows)
    (tmp_path / "t.tsv.gz").write_bytes(data[: len(data) // 2])
    with pytest.raises(AsnDbError, match="ended before"):
        AsnDb.open(tmp_path / "t.tsv.gz")


def test_a_warc_record_longer_than_its_file_is_a_warning(tmp_path):
    body = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n\r\n<title>X</title><p>hi</p>"
    record = (b"WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: http://lying.com/\r\n"
              b"WARC-Record-ID: <urn:uuid:00000000-0000-0000-0000-000000000001>\r\n"
              b"WARC-Date: 2024-01-01T00:00:00Z\r\nContent-Type: application/http; msgtype=response"
              b"\r\nContent-Length: 99999999\r\n\r\n" + body)
    (tmp_path / "lie.warc").write_bytes(record)
    result = facade("import", str(tmp_path / "lie.warc"), "--db", str(tmp_path / "w.db"),
                    check=False)
    assert "Traceback" not in result.stderr
    assert result.returncode == 2 or "damaged or truncated" in result.stderr, result.stderr


@pytest.mark.parametrize("content", [b"", b"name,country\nAcme,US\n", bytes(range(256)) * 16,
                                     b"not a domain\n"])
def test_a_seed_file_with_no_usable_line_makes_no_run(tmp_path, content):
    seeds, db = tmp_path / "seeds.txt", tmp_path / "out" / "f.db"
    seeds.write_bytes(content)
    result = facade("crawl", str(seeds), "--db", str(db), check=False)
    _one_line_exit_2(result)
    assert "seeds.txt: " in result.stderr
    assert not db.parent.exists()  # no run, no database, no folder


def _closed_port() -> int:
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return port


@pytest.mark.parametrize("wrong", ["--proxy", "--nameserver", "--whois-server", "--rdap-url"])
def test_a_server_that_does_not_answer_is_named_and_no_run_is_made(tmp_path, lab, wrong):
    """A wrong --proxy, --nameserver, --whois-server or --rdap-url is said in one line; the
    sites are not blamed for it (before, every site was stored as dns_error, exit 0)."""
    given = lab.crawl_args()[:-1]  # option, value pairs, then --allow-private
    args = dict(zip(given[0::2], given[1::2], strict=True))
    silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)  # a name server that never answers
    silent.bind(("127.0.0.1", 0))
    port = silent.getsockname()[1] if wrong == "--nameserver" else _closed_port()
    args[wrong] = (f"http://127.0.0.1:{port}/" if wrong in ("--proxy", "--rdap-url")
                   else f"127.0.0.1:{port}")
    db = tmp_path / "out" / "f.db"
    flat = [x for kv in args.items() for x in kv]
    result = facade("crawl", str(lab.seeds_file), *flat, "--allow-private", "--timeout", "1",
                    "--db", str(db), check=False)
    silent.close()
    _one_line_exit_2(result)
    assert f"{wrong} 127.0.0.1:{port} does not answer" in result.stderr
    assert not db.parent.exists()


def test_global_options_work_before_and_after_the_command(tmp_path, db):
    for args in (["--db", str(db), "report"], ["report", "--db", str(db)],
                 ["--quiet", "--db", str(db), "report"]):
        out = tmp_path / f"r{len(args)}.json"
        facade(*args, "--format", "json", "-o", str(out))
        assert json.loads(out.read_text())["run"]["seeds"] == 3


@pytest.mark.parametrize("command", [["cluster"], ["report", "--format", "json"],
                                     ["history", "site0.com"], ["diff"]])
def test_commands_that_read_runs_create_no_database(tmp_path, command):
    missing = tmp_path / "nowhere" / "f.db"
    result = facade(*command, "--db", str(missing), check=False, cwd=tmp_path)
    _one_line_exit_2(result)
    assert "no such database" in result.stderr
    assert list(tmp_path.iterdir()) == []  # no database, no folder, no output/


def test_report_o_names_a_folder_as_in_run_or_a_file(tmp_path, db):
    folder = tmp_path / "existing"
    folder.mkdir()
    facade("report", "--format", "html", "--db", str(db), "-o", str(folder))
    facade("report", "--format", "json", "--db", str(db), "-o", f"{tmp_path / 'new'}/")
    facade("report", "--format", "json", "--db", str(db), "-o", str(tmp_path / "mine.json"))
    assert (folder / "report.html").is_file() and (tmp_path / "new" / "report.json").is_file()
    assert json.loads((tmp_path / "mine.json").read_text())["schema"] == "facade.report/1"
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    refused = facade("report", "--format", "html", "--db", str(db), "-o",
                     str(blocker / "sub" / "r.html"), check=False)
    _one_line_exit_2(refused)
    assert "is a file where a folder is needed" in refused.stderr
