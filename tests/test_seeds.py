from crawler.seeds import parse_seeds, read_seeds


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
