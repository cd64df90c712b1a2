import re

import pytest

from crawler.crawl.seeds import SeedError, parse_seeds, read_seeds


def test_plain_lines_normalise_and_merge():
    text = "\n".join(
        [
            "# DPRK fronts",
            "",
            "Shenyang-Tech.com.cn",
            "https://shop.example.co.uk/about?x=1",
            "www.example.co.uk",
            "example.co.uk  # trailing comment",
            "bücher.de",
        ]
    )
    result = parse_seeds(text)
    domains = [s.domain for s in result.seeds]
    assert domains == ["shenyang-tech.com.cn", "example.co.uk", "xn--bcher-kva.de"]
    merged = result.seeds[1]
    assert merged.lines == [4, 5, 6]
    assert result.warnings == []


def test_invalid_entries_warn_with_line_number_and_crawl_goes_on():
    long_label = "a" * 300 + ".com"
    text = f"good.com\nnot a domain!!\nhttp://\nlocalhost\n{long_label}\n127.0.0.1\nok.net\n"
    result = parse_seeds(text, name="list.txt")
    assert [s.domain for s in result.seeds] == ["good.com", "ok.net"]
    assert len(result.warnings) == 5
    for lineno, warning in zip([2, 3, 4, 5, 6], result.warnings, strict=True):
        assert warning.startswith(f"list.txt:{lineno}: skipped")


def test_csv_with_source_and_tags(tmp_path):
    path = tmp_path / "seeds.csv"
    path.write_text(
        "domain,source,tags\n"
        "inditechlab.com,SentinelLabs 2024,interserver;dprk\n"
        "WWW.InditechLab.com,DOJ 2023,seized\n"
        "bad domain,x,\n"
    )
    result = read_seeds(path)
    assert len(result.seeds) == 1
    seed = result.seeds[0]
    assert seed.domain == "inditechlab.com"
    assert seed.sources == ["SentinelLabs 2024", "DOJ 2023"]
    assert seed.tags == ["interserver", "dprk", "seized"]
    assert result.warnings == ["seeds.csv:4: skipped 'bad domain': contains white space"]


def test_undecodable_bytes_do_not_abort(tmp_path):
    path = tmp_path / "seeds.txt"
    path.write_bytes(b"ok.com\n\xff\xfe\xfa.com\nfine.org\n")
    result = read_seeds(path)
    assert [s.domain for s in result.seeds][:1] == ["ok.com"]
    assert "fine.org" in [s.domain for s in result.seeds]


def test_shipped_dprk_seed_list_parses_cleanly():
    from pathlib import Path

    result = read_seeds(Path(__file__).parent.parent / "seeds" / "dprk-it-fronts.txt")
    assert result.warnings == []
    domains = [s.domain for s in result.seeds]
    assert len(domains) == 22 == len(set(domains))
    assert {"inditechlab.com", "cloudfox.cloud", "ktsolution.tech"} <= set(domains)


def test_defanged_indicators_are_read_as_threat_reports_publish_them():
    text = "\n".join(["hxxps://silverwavedev[.]tech", "clearshifttech98[.]tech",
                      "*.haifengit.com", "acme(.)com/careers", "bravo[dot]io",
                      "hxxp[:]//shop[.]charlie[.]co[.]uk/x", "delta{.}net"])
    result = parse_seeds(text)
    assert [s.domain for s in result.seeds] == [
        "silverwavedev.tech", "clearshifttech98.tech", "haifengit.com", "acme.com",
        "bravo.io", "charlie.co.uk", "delta.net"]
    assert result.warnings == []


@pytest.mark.parametrize(("text", "delimiter"), [
    ("Domain;Source;Tags\nacme.com;ACME report;a\nhxxps://bravo[.]io;x;b\n", ";"),
    ("domain\tsource\nacme.com\tACME report\nbravo.io\tx\n", "\t"),
    ("url|first seen\nhttps://acme.com/x|2024\nbravo.io|2023\n", "|"),
    ("Value,Category,Type\nacme.com,Network activity,domain\nbravo.io,Network activity,domain\n",
     ","),  # a MISP CSV export
])
def test_csv_delimiters_are_sniffed_and_the_header_is_no_entry(text, delimiter):
    result = parse_seeds(text, name="export.csv")
    assert [s.domain for s in result.seeds] == ["acme.com", "bravo.io"], delimiter
    assert result.warnings == []


@pytest.mark.parametrize(("content", "said"), [
    (b"", "no seed in it (only blank lines and comments)"),
    (b"# fronts to check\n\n   \n", "no seed in it"),
    (b"name,country\nAcme Ltd,US\n", "whose columns are 'name', 'country': none of them is"),
    (b"domain;source\n", "no data rows under its header"),
    (b"not a domain\nalso not!!\n", "none of its 2 entries is a domain or URL"),
    (b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + bytes(range(256)) * 8,
     "not a text file (a ZIP file"),
    (bytes(range(256)) * 16, "not a text file (binary data)"),
])
def test_a_seed_file_with_no_usable_line_is_refused_in_one_line(tmp_path, content, said):
    path = tmp_path / "seeds.txt"
    path.write_bytes(content)
    with pytest.raises(SeedError, match=re.escape(said)) as refused:
        read_seeds(path)
    assert "\n" not in str(refused.value) and str(refused.value).startswith("seeds.txt: ")
