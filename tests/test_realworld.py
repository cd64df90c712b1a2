"""Real pages nobody here wrote (../shared/realworld): every page read, main text as good as
trafilatura's own, and what `facade extract` prints for pages and registry answers."""

from __future__ import annotations

import json

import pytest

from analysis.config import default_config
from analysis.evidence.kinds import _VALUE_KINDS, ValueKind, register
from analysis.features import site_features
from analysis.records import Page, SiteRecord
from tests.conftest import facade
from tests.realworld import ROOT, real_pages, real_sites, text_scores

pytestmark = pytest.mark.skipif(not (ROOT / "pages").exists(),
                                reason="../shared/realworld is not beside the repository")
TRAFILATURA_F1 = 0.920  # trafilatura 2.3.1 on both halves of the set (BASELINES.md)


@pytest.fixture(scope="module")
def pages():
    return real_pages()


@pytest.fixture(scope="module")
def features(pages):
    return {f.domain: f for f in (site_features(s, default_config()) for s in real_sites(pages))}


def test_every_real_page_goes_through_the_features_stage(pages, features):
    assert len(pages) >= 400
    assert len(features) == len({p.host for p in pages})
    errors = [e for f in features.values() for e in f.values.get("extract_errors", [])]
    assert errors == []
    empty = [d for d, f in features.items() if not f.text]
    assert len(empty) <= 0.02 * len(features), empty


def test_main_text_scores_within_two_points_of_trafilatura(pages, features):
    texts = []
    for page in pages:
        by_url = dict(features[page.host].page_texts)
        texts.append(by_url.get(page.url, ""))
    scores = text_scores(pages, texts)
    assert scores["f1"] >= TRAFILATURA_F1 - 0.02, scores
    assert scores["precision"] >= 0.85, scores


def test_a_failing_extractor_is_recorded_on_the_page_and_the_rest_kept():
    def explode(page):
        if "boom" in page.html:
            raise RecursionError("maximum recursion depth exceeded")
        return ["fine"]

    register(ValueKind(name="test_explodes", label="test", values=lambda s: [],
                       feature="test_explodes", page_values=explode))
    try:
        record = SiteRecord("acme.example", "ok", pages=[
            Page("https://acme.example/", "https://acme.example/", 200,
                 "<title>Acme</title><p>boom</p><script>gtag('config','G-ABCDEF1234')</script>"),
            Page("https://acme.example/about", "https://acme.example/about", 200,
                 "<p>quiet page</p>", depth=1),
        ])
        feats = site_features(record, default_config())
    finally:
        _VALUE_KINDS.pop("test_explodes")
    assert feats.values["extract_errors"] == [
        "https://acme.example/: test_explodes: RecursionError: maximum recursion depth exceeded"]
    assert feats.values["test_explodes"] == ["fine"]  # the other page still read
    assert feats.values["analytics_ids"] == ["G-ABCDEF1234"]  # other kinds, same page
    assert feats.values["title"] == ["Acme"]


def _facade(*args: str):
    return facade(*args, check=False, timeout=120)


def test_extract_prints_what_facade_reads_from_a_page(pages):
    page = next(p for p in pages if p.with_ and "wordpress" in p.html.lower())
    result = _facade("extract", str(ROOT / "pages" / page.file), "--url", page.url)
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert {"file", "title", "language", "main_text", "values"} <= set(record)
    assert " ".join(page.with_[0].split()) in " ".join(record["main_text"].split())
    text = _facade("extract", str(ROOT / "pages" / page.file), "--format", "text")
    assert text.returncode == 0 and text.stdout.startswith("== ")


def test_extract_prints_registration_records():
    result = _facade("extract", "--whois", str(ROOT / "whois" / "raw" / "amazon.co.uk"))
    assert result.returncode == 0, result.stderr
    record = json.loads(result.stdout)
    assert record["domain"] == "amazon.co.uk"
    assert record["creation_date"].startswith("1996-08-01")
    assert "ns1.p31.dynect.net" in record["nameservers"]
    assert {"registrar", "expiration_date", "registrant_name", "registrant_org",
            "registrant_email", "registrant_country", "privacy"} <= set(record)
    rdap = ROOT / "rdap" / "openrdap" / "test" / "testdata" / "rdap" / "rdap.nic.cz"
    result = _facade("extract", "--rdap", str(rdap / "domain-example.cz.json"))
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["nameservers"] == ["ns.pipni.cz", "ns2.pipni.cz",
                                                        "ns3.pipni.cz"]


@pytest.mark.parametrize("args", [["--rdap", "/nonexistent.json"],
                                  ["--rdap", str(ROOT / "rdap" / "ipwhois" / "rdap.json")],
                                  ["--whois", str(ROOT / "README.md")], []])
def test_extract_bad_input_is_one_line_and_exit_2(args):
    result = _facade("extract", *args)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("facade: error:")
