"""Enrichment sources against the lab's real DNS, WHOIS and TLS servers, and their failures."""

import socket
import threading

import pytest

from crawler.enrich import dns as dnsenrich
from crawler.enrich import tls, whois
from crawler.enrich.netaddr import is_non_public, split_hostport


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


def test_whois_parsed_with_privacy_marked(lab):
    server = ("127.0.0.1", lab.whois_port)
    family = next(s for s in lab.world.sites.values() if s.kind == "registrant_email")
    fields = whois.lookup_domain(family.domain, server, timeout=5)
    assert fields["registrar"] == family.registrar
    assert fields["registrant_email"] == family.registrant_email
    assert fields["registrant_org"] == family.registrant_org
    assert fields["creation_date"].startswith(family.created.strftime("%Y-%m-%d"))
    assert fields["name_servers"] == sorted(family.nameservers)
    assert fields["privacy"] == []
    decoy = next(s for s in lab.world.sites.values() if s.wordpress)
    assert set(whois.lookup_domain(decoy.domain, server, 5)["privacy"]) == {
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
