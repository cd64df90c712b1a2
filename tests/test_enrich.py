"""Enrichment sources against the lab's real DNS, WHOIS and TLS servers, and their failures."""

import socket
import threading
from pathlib import Path

import pytest

from analysis.commons import privacy_fields
from crawler.crawl.address_policy import is_non_public
from crawler.enrich import dns as dnsenrich
from crawler.enrich import tls, whois
from crawler.enrich.netaddr import split_hostport


def test_dns_lookup_collects_every_record_type(lab):
    site = next(iter(lab.world.sites.values()))
    resolver = dnsenrich.make_resolver([("127.0.0.1", lab.dns_port)], timeout=5)
    result = dnsenrich.lookup(resolver, site.domain)
    assert result["A"] == [site.ip]
    assert result["NS"] == site.nameservers
    assert result["MX"] == site.mx
    assert result["TXT"] == site.txt
    assert result["SOA"]["rname"].startswith("hostmaster.")
    assert site.ip in result["PTR"]
    assert not result["nxdomain"] and not result["errors"]
    assert dnsenrich.lookup(resolver, "not-in-the-lab.com")["nxdomain"]


def test_dns_timeout_is_recorded_not_raised():
    silent = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    silent.bind(("127.0.0.1", 0))
    resolver = dnsenrich.make_resolver([("127.0.0.1", silent.getsockname()[1])], timeout=0.5)
    result = dnsenrich.lookup(resolver, "example.com")
    silent.close()
    assert result["errors"] == {"A": "timeout"}
    assert result["A"] == [] and not result["nxdomain"]


def _lab_hop(lab):
    """WHOIS referrals as a crawl of the lab follows them: resolved by the lab's name server
    (the registrars' WHOIS server is on a loopback address: --allow-private)."""
    from crawler.enrich.runner import EnrichConfig

    return EnrichConfig(None, None, 5.0, allow_private=True,
                        nameservers=[("127.0.0.1", lab.dns_port)]).whois_hop


def test_whois_parsed_with_privacy_marked(lab):
    server = ("127.0.0.1", lab.whois_port)
    family = next(s for s in lab.world.sites.values() if s.kind == "registrant_email")
    fields = whois.lookup_domain(family.domain, server, timeout=5, hop=_lab_hop(lab))
    assert fields["registrar"] == family.registrar
    assert fields["registrant_email"] == family.registrant_email
    assert fields["registrant_org"] == family.registrant_org
    assert fields["creation_date"].startswith(family.created.strftime("%Y-%m-%d"))
    assert fields["name_servers"] == sorted(family.nameservers)
    assert privacy_fields(fields) == []
    decoy = next(s for s in lab.world.sites.values()
                 if s.wordpress and s.registrant_name == "Redacted for Privacy")
    assert set(privacy_fields(whois.lookup_domain(decoy.domain, server, 5,
                                                  hop=_lab_hop(lab)))) == {
        "registrant_email", "registrant_name", "registrant_org"}
    ip = whois.lookup_ip(family.ip, server, timeout=5)
    assert ip["org"] and ip["asn"]


def _one_shot_server(reply: bytes) -> tuple[str, int]:
    srv = socket.socket()
    srv.bind(("127.0.0.1", 0))
    srv.listen(1)

    def serve():
        conn, _ = srv.accept()
        conn.recv(1024)
        conn.sendall(reply)
        conn.close()
        srv.close()

    threading.Thread(target=serve, daemon=True).start()
    return srv.getsockname()


@pytest.mark.parametrize("reply", [b"", b"\x00\xff garbage \x13\x37" * 50,
                                   b"% query limit exceeded\r\n"])
def test_whois_garbage_or_silence_is_a_clean_failure(reply):
    with pytest.raises(whois.WhoisFailure):
        whois.lookup_domain("example.com", _one_shot_server(reply), timeout=3)


def test_whois_refused_connection_is_a_clean_failure():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    with pytest.raises(whois.WhoisFailure):
        whois.lookup_domain("example.com", ("127.0.0.1", port), timeout=3)


def test_certificate_through_the_proxy(lab):
    site = next(s for s in lab.world.sites.values() if s.kind == "certificate")
    cert = tls.fetch_certificate(site.domain, lab.proxy_url, timeout=5)
    assert len(cert["sha256"]) == 64 and site.domain in cert["sans"]
    no_tls = next(s for s in lab.world.sites.values() if not s.tls and not s.dead)
    with pytest.raises(tls.TLSFailure):
        tls.fetch_certificate(no_tls.domain, lab.proxy_url, timeout=5)


def test_addresses():
    assert split_hostport("127.0.0.1:5353", 53) == ("127.0.0.1", 5353)
    assert split_hostport("ns.example", 53) == ("ns.example", 53)
    assert split_hostport("[::1]:53", 43) == ("::1", 53)
    assert is_non_public("127.0.0.1") and is_non_public("10.1.2.3")
    assert is_non_public("169.254.1.1") and is_non_public("224.0.0.1")
    assert not is_non_public("8.8.8.8")


def test_rdap_gives_the_same_fields_as_whois(lab):
    from crawler.enrich import rdap

    site = next(s for s in lab.world.sites.values()
                if s.kind == "registrant_email" and s.domain.endswith((".com", ".net")))
    # The lab answers .com and .net thinly, as Verisign does: the registrant comes from the
    # registrar's RDAP service behind the related link (on loopback: --allow-private).
    by_rdap = rdap.lookup_domain(site.domain, lab.rdap_url, lab.proxy_url, timeout=5,
                                 allow_private=True)
    assert by_rdap["sources"]["registrant_email"] == "rdap-registrar"
    assert by_rdap["sources"]["registrar"] == "rdap"
    thin = rdap.lookup_domain(site.domain, lab.rdap_url, lab.proxy_url, timeout=5)
    assert thin["registrant_email"] is None and "refused" in thin["related_error"]
    by_whois = whois.lookup_domain(site.domain, ("127.0.0.1", lab.whois_port), timeout=5,
                                   hop=_lab_hop(lab))
    for key in ("registrar", "registrant_name", "registrant_org", "registrant_email",
                "registrant_country", "name_servers"):
        assert by_rdap[key] == by_whois[key], key
    for key in ("creation_date", "expiration_date"):
        assert by_rdap[key][:19] == by_whois[key][:19], key
    owner = rdap.lookup_ip(site.ip, lab.rdap_url, None, timeout=5)
    assert owner["org"] and owner["asn"]


def test_rdap_without_an_answer_is_a_clean_failure(lab):
    from crawler.enrich import rdap

    asia = next(d for d in lab.world.sites if d.endswith(".asia"))
    with pytest.raises(rdap.RDAPFailure, match="HTTP 404"):
        rdap.lookup_domain(asia, lab.rdap_url, None, timeout=5)
    with pytest.raises(rdap.RDAPFailure, match="no RDAP service known"):
        rdap.lookup_domain("example.zz", None, None, timeout=5)
    assert rdap.bootstrap()["com"] == "https://rdap.verisign.com/com/v1/"
    with pytest.raises(rdap.RDAPFailure):
        rdap.parse_domain({"objectClassName": "entity"})


def test_asn_tables_tsv_gzip_and_mmdb(tmp_path):
    import gzip

    from mmdb_writer import MMDBWriter
    from netaddr import IPSet

    from crawler.enrich.asndb import AsnDb, AsnDbError

    rows = "1.0.0.0\t1.0.0.255\t13335\tUS\tCLOUDFLARENET\n2.0.0.0\t2.0.0.255\t0\tNone\tNot routed\n"
    (tmp_path / "a.tsv").write_text(rows)
    with gzip.open(tmp_path / "a.tsv.gz", "wt") as fh:
        fh.write(rows)
    for name in ("a.tsv", "a.tsv.gz"):
        db = AsnDb.open(tmp_path / name)
        assert db.lookup("1.0.0.9") == {"asn": 13335, "org": "CLOUDFLARENET"}
        assert db.lookup("2.0.0.1") is None and db.lookup("9.9.9.9") is None
    writer = MMDBWriter(ip_version=4, database_type="GeoLite2-ASN")
    writer.insert_network(IPSet(["203.0.113.0/24"]), {
        "autonomous_system_number": 64511, "autonomous_system_organization": "Example Net"})
    writer.to_db_file(str(tmp_path / "asn.mmdb"))
    mmdb = AsnDb.open(tmp_path / "asn.mmdb")
    assert mmdb.lookup("203.0.113.7") == {"asn": 64511, "org": "Example Net"}
    assert mmdb.lookup("198.51.100.1") is None
    (tmp_path / "junk.tsv").write_text("not a table\n")
    with pytest.raises(AsnDbError):
        AsnDb.open(tmp_path / "junk.tsv")
    with pytest.raises(AsnDbError):
        AsnDb.open(tmp_path / "missing.mmdb")


THIN_COM = Path(__file__).resolve().parents[2] / "shared/realworld/whois/raw/urlowl.com"
REGISTRAR_ANSWER = (b"Domain Name: urlowl.com\r\nRegistrar WHOIS Server: whois.dynadot.com\r\n"
                    b"Registrar: DYNADOT, LLC\r\nCreation Date: 2013-02-21T19:24:57Z\r\n"
                    b"Registrant Name: Kim Operator\r\nRegistrant Organization: Urlowl Labs\r\n"
                    b"Registrant Country: KP\r\nRegistrant Email: kim@urlowl-ops.com\r\n"
                    b"Name Server: NS1.SEDOPARKING.COM\r\n")


def test_a_fixed_servers_registrar_referral_is_followed_for_the_registrant():
    """A real thin .com answer (Verisign) names the registrar's server, which holds the
    registrant: SPEC §3 follows it, also behind --whois-server."""
    registry = _one_shot_server(THIN_COM.read_bytes())
    registrar = _one_shot_server(REGISTRAR_ANSWER)
    asked = []

    def hop(host):
        asked.append(host)
        return registrar

    fields = whois.lookup_domain("urlowl.com", registry, timeout=3, hop=hop)
    assert asked == ["whois.dynadot.com"]
    assert fields["registrant_name"] == "Kim Operator"
    assert fields["registrant_email"] == "kim@urlowl-ops.com"
    assert fields["registrar"] == "DYNADOT, LLC"


@pytest.mark.parametrize("named", [b"whois.dynadot.com", b"10.0.0.7", b"localhost"])
def test_a_referral_the_policy_refuses_leaves_the_registry_answer(named):
    """A referral that does not resolve (the loopback guard stands in for the internet) or
    that names an internal address is never connected to; the thin answer is kept."""
    thin = THIN_COM.read_bytes().replace(b"whois.dynadot.com", named)
    fields = whois.lookup_domain("urlowl.com", _one_shot_server(thin), timeout=3)
    assert fields["registrar"] == "DYNADOT, LLC" and fields["registrant_name"] is None
    with pytest.raises(whois.WhoisFailure, match="refused"):
        whois.referral(named.decode())
