"""Rules that say why a value is common (the DNS host's, the platform's, a passage many
sites share), statuses for parked and seized pages, and copied text with its passages."""

from __future__ import annotations

import random

from analysis.config import default_config
from analysis.evidence.analyse import analyse
from analysis.evidence.values import shared_evidence
from analysis.features import site_features
from analysis.records import Page, SiteFeatures, SiteRecord
from analysis.text.copied_text import copied_pairs
from crawler.lab import text
from crawler.lab.background import PARKED_PAGE, SEIZED_PAGE, STOCK_PHRASES

CONFIG = default_config()


def _site(domain: str, **values) -> SiteFeatures:
    return SiteFeatures(domain, "ok", values={k: list(v) for k, v in values.items()})


def test_soa_contact_and_mail_in_the_name_servers_domain_are_the_dns_hosts():
    small = {"nameservers": ["ns1.smalldns.net", "ns2.smalldns.net"],
             "soa_rname": ["hostmaster.smalldns.net"], "mx": ["mail.smalldns.net"]}
    sites = [_site(d, **small) for d in ("a.com", "b.com", "c.com")]
    evidence = {(e.kind, e.value): e for e in shared_evidence(sites, CONFIG)}
    for key in [("soa_rname", "hostmaster.smalldns.net"), ("mx", "mail.smalldns.net")]:
        assert evidence[key].weight == 0 and "DNS host's default" in evidence[key].common
    # The case that would fool the rule: an operator's own mailbox at another domain, and a
    # site running its own name servers (its SOA contact is then its own).
    own = [_site(d, nameservers=[f"ns1.{d}"], soa_rname=["admin.ops-team.net"])
           for d in ("x.com", "y.com")]
    assert [e.weight for e in shared_evidence(own, CONFIG) if e.kind == "soa_rname"] == [1.2]


def test_ids_only_platform_hosted_sites_share_are_the_platforms():
    blogs = [_site(f"blog{i}.wordpress.com", analytics_ids=["UA-52447-2"],
                   platform=["wordpress.com"]) for i in range(3)]
    ev = next(e for e in shared_evidence(blogs, CONFIG) if e.kind == "analytics_id")
    assert ev.weight == 0 and "wordpress.com" in ev.common
    # The same ID on a site off the platform is an operator's, and links.
    mixed = blogs[:1] + [_site("acme.com", analytics_ids=["UA-52447-2"])]
    assert next(e for e in shared_evidence(mixed, CONFIG) if e.kind == "analytics_id").weight == 1.5


def _record(domain: str, html: str, nameservers=()) -> SiteRecord:
    return SiteRecord(domain, "ok", pages=[Page(f"https://{domain}/", f"https://{domain}/",
                                                200, html)],
                      enrichment={"dns": {"data": {"NS": list(nameservers)}}})


def test_parked_and_seized_pages_get_their_status_and_never_link():
    seized = [site_features(_record(d, SEIZED_PAGE), CONFIG) for d in ("front1.com", "front2.com")]
    assert {s.status for s in seized} == {"seized"}
    parked = site_features(_record("spare.com", PARKED_PAGE.format(domain="spare.com")), CONFIG)
    assert parked.status == "parked"
    by_ns = site_features(_record("quiet.com", "<p>Welcome</p>", ["ns1.sedoparking.com"]), CONFIG)
    assert by_ns.status == "parked" and "sedoparking.com" in by_ns.message
    result = analyse(seized + [parked, by_ns], CONFIG)
    assert result.clusters == [] and result.evidence == []
    # A page that talks about seizures in its prose is not a banner... only the banner is.
    news = site_features(_record("news.com", "<article><p>" + "Police arrested two men. " * 30
                                 + "</p></article>"), CONFIG)
    assert news.status == "ok"


def _texts(rng, name, n=30):
    return " ".join(text.company_text("en", name, rng, n))


def test_a_passage_many_sites_share_carries_no_weight():
    rng = random.Random(5)
    cfg = default_config()["text"]
    stock = " ".join(STOCK_PHRASES)
    # 20 short sites whose text is mostly the same industry phrases
    sites = [SiteFeatures(f"s{i}.com", "ok", text=_texts(rng, f"Firm {i}", 4) + " " + stock)
             for i in range(20)]
    assert copied_pairs(sites, cfg) == []


def test_one_copied_page_inside_a_larger_site_is_found_with_its_passages():
    rng = random.Random(9)
    cfg = default_config()["text"]
    pages = [(f"https://big.com/p{i}", _texts(rng, "Big Corp", 12)) for i in range(8)]
    big = SiteFeatures("big.com", "ok", text="\n".join(t for _, t in pages), page_texts=pages)
    own = _texts(rng, "Small Co", 6)
    small = SiteFeatures("small.com", "ok", text=own + "\n" + pages[3][1],
                         page_texts=[("https://small.com/", own),
                                     ("https://small.com/about", pages[3][1])])
    others = [SiteFeatures(f"o{i}.com", "ok", text=_texts(rng, f"Other {i}"))
              for i in range(5)]
    [pair] = copied_pairs([big, small, *others], cfg)
    assert (pair.a, pair.b) == ("big.com", "small.com")
    assert pair.jaccard < cfg["threshold"] <= cfg["containment_threshold"] <= pair.containment
    assert pair.passages and all(p in pages[3][1] for p in pair.passages)
    result = analyse([big, small, *others], CONFIG)
    [ev] = [e for e in result.evidence if e.kind == "text_similarity"]
    assert ev.details["passages"] == pair.passages and "containment" in ev.reason
