"""Property-based tests: arbitrary input gives a result or a clean error, never an exception
out of the parser or extractor."""

import string

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from analysis.config import default_config
from analysis.domains import InvalidHost, registrable_domain
from analysis.evidence.kinds import page_kinds
from analysis.features import site_features
from analysis.html import page_facts
from analysis.page import PageContext
from analysis.records import Page, SiteRecord
from crawler.crawl.seeds import SeedError, parse_seeds
from crawler.enrich import rdap, whois

FUZZ = settings(max_examples=150, deadline=None,
                suppress_health_check=[HealthCheck.too_slow])
TAGS = ["<html>", "<head>", "<title>", "</title>", "<body>", "<main>", "<p>", "</p>", "<a href=",
        "mailto:", "tel:", "<script type='application/ld+json'>", "</script>", "<meta name=",
        "content=", '"', "'", ">", "<", "&amp;", "&#0;", "<nav>", "<footer>", "itemprop=",
        "streetAddress", "PostalAddress", "UA-1234567-1", "G-ABCDEF1234", "[at]", "[dot]",
        "@", "bc1q", "0x", "+86 ", "<div class='adr'>", "<span class='street-address'>",
        "{", "}", ":", "@type", "\x00", "\ufffd", "<svg>", "<!--", "-->", "<![CDATA["]
html_like = st.lists(st.one_of(st.sampled_from(TAGS), st.text(max_size=20)),
                     max_size=60).map("".join)
json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=5)
    | st.dictionaries(st.sampled_from(["objectClassName", "entities", "roles", "vcardArray",
                                       "events", "eventAction", "eventDate", "nameservers",
                                       "ldhName", "arin_originas0_originautnums", "name",
                                       "fn", "org", "x"]) | st.text(max_size=8),
                      children, max_size=6),
    max_leaves=30)


@FUZZ
@given(st.text(max_size=400))
def test_seed_parsing_never_raises(text):
    try:
        result = parse_seeds(text)
    except SeedError as refused:  # no usable line: refused in one line, by design
        assert "\n" not in str(refused) and str(refused).startswith("seeds: ")
        return
    for seed in result.seeds:
        assert registrable_domain(seed.domain) == seed.domain
    assert all(w.startswith("seeds:") for w in result.warnings)


@FUZZ
@given(st.text(alphabet=string.printable + "例в\u200b", max_size=300))
def test_host_normalisation_is_a_value_or_invalid_host(text):
    try:
        assert registrable_domain(text)
    except InvalidHost:
        pass


@FUZZ
@given(st.text(max_size=2000), st.sampled_from(["example.com", "x.net", "a.org", "b.cn", "c.uk"]))
def test_whois_parsing_gives_fields_or_a_clean_failure(text, domain):
    for parse in (lambda: whois.parse_domain(domain, text), lambda: whois.parse_ip(text)):
        try:
            assert isinstance(parse(), dict)
        except whois.WhoisFailure:
            pass


@FUZZ
@given(json_value)
def test_rdap_parsing_gives_fields_or_a_clean_failure(obj):
    for parse in (rdap.parse_domain, rdap.parse_ip):
        candidates = [obj]
        if isinstance(obj, dict):
            candidates.append({**obj, "objectClassName": "domain"})
            candidates.append({**obj, "objectClassName": "ip network"})
        for candidate in candidates:
            try:
                assert isinstance(parse(candidate), dict)
            except rdap.RDAPFailure:
                pass


@FUZZ
@given(html_like)
def test_every_html_extractor_returns_values(html):
    facts = page_facts(html, "https://site.example/")
    assert isinstance(facts.text, str)
    for depth in (0, 1):
        ctx = PageContext(html, "https://site.example/", "site.example", depth,
                          {"Server": "x", "Content-Type": "text/html"})
        for kind in page_kinds():
            values = list(kind.page_values(ctx))
            assert all(isinstance(v, str) for v in values), kind.name


@FUZZ
@given(st.lists(st.tuples(html_like, st.integers(100, 599),
                          st.sampled_from(["https://site.example/", "http://www.site.example/a",
                                           "https://other.example/", "not a url", ""])),
                max_size=4))
def test_features_of_any_crawled_pages(pages):
    record = SiteRecord("site.example", "ok",
                        pages=[Page(url, url, status, html, depth=i)
                               for i, (html, status, url) in enumerate(pages)])
    features = site_features(record, default_config())
    assert features.domain == "site.example" and isinstance(features.text, str)
