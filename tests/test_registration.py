"""Registration data as real registries answer it (../shared/realworld/whois and rdap)."""

import sys

from analysis.commons import commons
from analysis.config import default_config
from analysis.features import site_features
from analysis.records import SiteRecord
from crawler.enrich.whois import parse_domain
from crawler.enrich.whois_fields import host_names
from tests.conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))
from registry_bench import REAL, whois_table  # noqa: E402

RAW = REAL / "whois" / "raw"


def test_registrar_dates_and_registrants_are_kept_from_real_whois_answers():
    """Registrar and dates agree with python-whois's expected files on >= 95% of answers;
    >= 90% of the registrant values python-whois finds (under any of its per-TLD keys)
    are kept."""
    table = {field: (have, kept) for field, have, kept in whois_table()}
    for field in ("registrar", "creation_date", "expiration_date"):
        have, kept = table[field]
        assert kept >= 0.95 * have, (field, have, kept)
    registrant = [v for f, v in table.items() if f.startswith("registrant_")]
    assert sum(k for _, k in registrant) >= 0.9 * sum(h for h, _ in registrant), table


def test_one_bad_date_loses_that_date_not_the_record():
    """yandex.kz writes "2009-07-01 12:44:02 (GMT+0:00)", which python-whois cannot read."""
    fields = parse_domain("yandex.kz", (RAW / "yandex.kz").read_text())
    assert fields["creation_date"].startswith("2009-07-01")
    assert fields["registrar"] and fields["name_servers"]


def test_name_servers_are_host_names_only():
    fields = parse_domain("yandex.ru", (RAW / "yandex.ru").read_text())
    assert "ns1.yandex.ru" in fields["name_servers"]
    assert all(" " not in n and not n[0].isdigit() and ":" not in n
               for n in fields["name_servers"])
    assert host_names(["ns1.a.com. 1.2.3.4\nns2.a.com", "2a02:6b8::1"]) == ["ns1.a.com",
                                                                            "ns2.a.com"]


def test_icann_format_answers_read_under_any_tld():
    """The same ICANN-format answer keeps its registrant whatever parser the TLD gets."""
    answer = ("Domain Name: ACME.{tld}\nRegistry Domain ID: 2855_DOMAIN\n"
              "Registrar: NameCheap, Inc.\nRegistrar IANA ID: 1068\n"
              "Creation Date: 2024-01-02T03:04:05Z\nRegistry Expiry Date: 2026-01-02T03:04:05Z\n"
              "Registrant Name: Kim Operator\nRegistrant Organization: Acme Labs\n"
              "Registrant Country: KP\nRegistrant Email: kim@acme-ops.com\n"
              "Name Server: NS1.ACME-DNS.NET\n")
    for tld in ("com", "net", "org", "io", "us", "biz", "me", "online", "mobi", "co.id"):
        fields = parse_domain(f"acme.{tld}", answer.format(tld=tld.upper()))
        assert (fields["registrant_name"], fields["registrant_org"],
                fields["registrant_email"], fields["registrant_country"]) == (
            "Kim Operator", "Acme Labs", "kim@acme-ops.com", "KP"), tld
        assert fields["registrar"] == "NameCheap, Inc." and fields["creation_date"], tld


def _privacy(registration: dict) -> list[str]:
    record = SiteRecord("acme.ru", "ok", enrichment={"whois": {"data": registration}})
    return site_features(record, default_config()).values.get("registrant_privacy", [])


def test_privacy_is_judged_in_analysis_from_the_stored_values(monkeypatch):
    """A record stored before the list knew a service (its own "privacy" says nothing) is
    judged by the list as it is now; editing the list changes the next judgement."""
    stored = {"registrant_name": "Private Person", "registrant_org": "HIDDEN!",
              "registrant_email": "kim@acme-ops.com", "privacy": []}
    assert _privacy(stored) == ["registrant_name", "registrant_org"]
    for value in ("Private by Design, LLC", "Domains By Proxy, LLC", "Contact Privacy Inc.",
                  "REDACTED FOR PRIVACY", "Withheld for Privacy ehf", "1337 Services LLC"):
        assert _privacy({"registrant_org": value}) == ["registrant_org"], value
    assert _privacy({"registrant_org": "Acme Labs"}) == []
    markers = commons()["privacy"]["markers"]
    monkeypatch.setitem(commons()["privacy"], "markers", [*markers, "acme labs"])
    assert _privacy({"registrant_org": "Acme Labs"}) == ["registrant_org"]


def test_a_crawl_gets_a_thin_com_registrant_through_the_related_link(lab_run):
    """End to end: the lab's registry answers .com thinly, as Verisign does; the crawl
    follows the related link to the registrar's RDAP service and keeps its registrant."""
    import json
    import sqlite3

    family = next(f for f in lab_run["truth"]["families"].values()
                  if f["kind"] == "registrant_email"
                  and any(d.endswith(".com") for d in f["domains"]))
    domain = next(d for d in family["domains"] if d.endswith(".com"))
    con = sqlite3.connect(lab_run["db"])
    data = json.loads(con.execute("select data from enrichment where domain=? and"
                                  " source='rdap'", (domain,)).fetchone()[0])
    assert data["sources"]["registrant_email"] == "rdap-registrar"
    assert data["registrant_email"] and data["sources"]["registrar"] == "rdap"
    site = next(s for s in lab_run["report"]["sites"] if s["domain"] == domain)
    assert site["features"]["registrant_email"] == data["registrant_email"]


def test_the_rdap_bootstrap_registry_is_fetched_for_the_run(lab, tmp_path):
    """Without --rdap-url, each TLD's RDAP service comes from the bootstrap registry the
    crawl fetches (here the lab's own); .asia, not in it, falls back to WHOIS. A registry
    that cannot be fetched leaves the shipped copy in charge, with a warning."""
    import json
    import sqlite3

    from tests.conftest import facade

    com = next(d for d, s in lab.world.sites.items()
               if d.endswith(".com") and s.kind == "registrant_email")
    asia = next(d for d, s in lab.world.sites.items() if d.endswith(".asia") and s.dns)
    seeds = tmp_path / "s.txt"
    seeds.write_text(f"{com}\n{asia}\n")
    args = [a for a in lab.crawl_args() if a not in ("--rdap-url", lab.rdap_url)]
    db = tmp_path / "b.db"
    facade("crawl", str(seeds), *args, "--rdap-bootstrap",
           f"{lab.rdap_url.rstrip('/')}/bootstrap/dns.json", "--db", str(db), "--quiet")
    con = sqlite3.connect(db)
    sources = dict(con.execute("select domain, group_concat(source) from enrichment where"
                               " source in ('rdap', 'whois') and data != 'null'"
                               " group by domain"))
    assert sources[com] == "rdap" and sources[asia] == "whois"
    data = json.loads(con.execute("select data from enrichment where domain=? and"
                                  " source='rdap'", (com,)).fetchone()[0])
    assert data["sources"]["registrant_email"] == "rdap-registrar"
    broken = facade("crawl", str(seeds), *args, "--rdap-bootstrap",
                    "http://127.0.0.1:9/dns.json", "--db", str(tmp_path / "c.db"), "--quiet")
    assert "using the shipped copy" in broken.stderr


def test_a_thin_whois_answer_is_completed_by_the_registrars_server(lab, tmp_path):
    """The lab's registry answers .com WHOIS thinly and refers to the registrars' server,
    as Verisign does; a crawl behind --whois-server follows the referral (resolved by
    --nameserver, under the address policy) and keeps the registrar's registrant."""
    import json
    import sqlite3

    import pytest

    from tests.conftest import facade

    if lab.world.registrar_whois is None:
        pytest.skip("the lab's registrar WHOIS needs port 43 on loopback (root here)")
    domain = next(d for d, s in lab.world.sites.items()
                  if d.endswith(".com") and s.kind == "registrant_email")
    seeds = tmp_path / "s.txt"
    seeds.write_text(domain + "\n")
    args = [a for a in lab.crawl_args() if a not in ("--rdap-url", lab.rdap_url)]
    db = tmp_path / "w.db"
    facade("crawl", str(seeds), *args, "--db", str(db), "--quiet")  # RDAP off (SPEC §3)
    data = json.loads(sqlite3.connect(db).execute(
        "select data from enrichment where domain=? and source='whois'", (domain,)
    ).fetchone()[0])
    assert data["registrant_email"] == lab.world.sites[domain].registrant_email
    assert data["sources"]["registrant_email"] == "whois-registrar"
    assert data["sources"]["registrar"] == "whois"
    assert ("whois", domain) in lab.world.lookups


def test_an_afrinic_network_named_by_handle_gets_its_holder_from_the_org_object():
    """A real AFRINIC answer names its holder only by handle (ORG-TA38-AFRINIC); the lookup
    asks the service for that organisation object, as an analyst would."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, HTTPServer

    from crawler.enrich import rdap

    answers = json.loads((REAL / "rdap" / "ipwhois" / "rdap.json").read_text())
    network = next(a["response"] for a in answers.values()
                   if a["response"].get("name") == "ORG-TA38-AFRINIC")
    network = {k: v for k, v in network.items() if k != "links"}  # served from here
    org = {"objectClassName": "entity", "handle": "ORG-TA38-AFRINIC",
           "vcardArray": ["vcard", [["fn", {}, "text", "Technology Service Providers of"
                                     " Kenya"]]]}

    class Service(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's name
            body = json.dumps(network if "/ip/" in self.path else org).encode()
            self.send_response(200 if "/ip/" in self.path or "ORG-TA38" in self.path
                               else 404)
            self.send_header("Content-Type", "application/rdap+json")
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = HTTPServer(("127.0.0.1", 0), Service)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        found = rdap.lookup_ip("196.49.0.1", f"http://127.0.0.1:{server.server_port}/",
                               None, 5, allow_private=True)
    finally:
        server.shutdown()
    assert found["org"] == "Technology Service Providers of Kenya"
