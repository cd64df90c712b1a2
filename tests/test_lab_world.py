"""The lab world: deterministic content, and real servers speaking real protocols."""

import socket
import ssl
from collections import Counter

import dns.message
import dns.query
import dns.rcode
import dns.reversename
from cryptography import x509

from crawler.lab.world import FAMILY_KINDS, MASS_HOSTING_IP, NAMECHEAP, PRIVACY_EMAIL, build_world


def test_world_is_deterministic_and_large_enough():
    a, b = build_world(seed=7), build_world(seed=7)
    assert list(a.sites) == list(b.sites)
    assert [s.pages for s in a.sites.values()] == [s.pages for s in b.sites.values()]
    assert list(build_world(seed=8).sites) != list(a.sites)
    assert len(a.sites) >= 60
    assert all(s.ip.startswith("127.") for s in a.sites.values())


def test_families_each_planted_with_a_different_kind_one_in_chinese():
    world = build_world(seed=1)
    truth = world.ground_truth()
    kinds = Counter(f["kind"] for f in truth["families"].values())
    assert set(kinds) == set(FAMILY_KINDS) and len(kinds) >= 5
    zh = [s for s in world.sites.values() if s.kind == "text_zh"]
    assert zh and all(s.lang == "zh" for s in zh)


def test_decoys_share_only_commons():
    world = build_world(seed=1)
    decoys = [s for s in world.sites.values() if s.wordpress]
    assert len(decoys) >= 20
    assert sum(s.ip == MASS_HOSTING_IP for s in world.sites.values()) >= 20
    assert Counter(s.registrar for s in decoys)[NAMECHEAP] > len(decoys) / 2
    assert sum(s.registrant_email == PRIVACY_EMAIL for s in world.sites.values()) >= 20
    themed = [s for s in decoys if s.template is None]  # parked and seized serve no theme
    assert all("cookie-notice" in s.pages["/"] and "astra" in s.pages["/"] for s in themed)
    # Text of decoys is their own, after the theme's demo text they all carry.
    from crawler.lab.background import THEME_DEMO
    assert all(s.sentences[: len(THEME_DEMO)] == THEME_DEMO for s in themed)
    assert len({s.sentences[len(THEME_DEMO)] for s in themed}) == len(themed)


def _proxy_request(lab, raw: bytes) -> bytes:
    """Send one request that ends the connection (Connection: close, or a refused CONNECT)."""
    with socket.create_connection(("127.0.0.1", lab.proxy_port), timeout=5) as sock:
        sock.sendall(raw)
        data = b""
        while chunk := sock.recv(65536):
            data += chunk
        return data


def test_proxy_serves_plain_http_and_answers_502_for_unknown_or_dead(lab):
    site = next(s for s in lab.world.sites.values() if s.family and not s.redirect_to)
    answer = _proxy_request(
        lab, f"GET http://{site.domain}/about HTTP/1.1\r\nHost: {site.domain}\r\n"
             "Connection: close\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.1 200") and site.company.encode() in answer
    answer = _proxy_request(
        lab, b"GET http://nowhere.example/ HTTP/1.1\r\nConnection: close\r\n\r\n")
    assert answer.startswith(b"HTTP/1.1 502") and b"ERR_DNS_FAIL" in answer
    dead = next(s for s in lab.world.sites.values() if s.dead)
    answer = _proxy_request(lab, f"CONNECT {dead.domain}:443 HTTP/1.1\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.1 502")


def test_connect_terminates_tls_with_a_lab_certificate(lab):
    shared = [s for s in lab.world.sites.values() if s.kind == "certificate"]
    no_tls = next(s for s in lab.world.sites.values() if not s.tls and not s.dead)
    answer = _proxy_request(lab, f"CONNECT {no_tls.domain}:443 HTTP/1.1\r\n\r\n".encode())
    assert answer.startswith(b"HTTP/1.1 502")
    ctx = ssl.create_default_context()
    ctx.check_hostname, ctx.verify_mode = False, ssl.CERT_NONE
    sock = socket.create_connection(("127.0.0.1", lab.proxy_port), timeout=5)
    sock.sendall(f"CONNECT {shared[0].domain}:443 HTTP/1.1\r\n\r\n".encode())
    assert sock.recv(4096).startswith(b"HTTP/1.1 200")
    with ctx.wrap_socket(sock, server_hostname=shared[0].domain) as tls:
        cert = x509.load_der_x509_certificate(tls.getpeercert(binary_form=True))
        tls.sendall(f"GET / HTTP/1.1\r\nHost: {shared[0].domain}\r\nConnection: close\r\n\r\n"
                    .encode())
        assert tls.recv(65536).startswith(b"HTTP/1.1 200")
    sans = cert.extensions.get_extension_for_class(x509.SubjectAlternativeName).value
    assert {s.domain for s in shared} <= set(sans.get_values_for_type(x509.DNSName))
    assert "facade Lab Root CA" in cert.issuer.rfc4514_string()


def test_dns_over_udp_and_tcp(lab):
    site = next(iter(lab.world.sites.values()))
    q = dns.message.make_query(site.domain, "A")
    udp = dns.query.udp(q, "127.0.0.1", port=lab.dns_port, timeout=5)
    tcp = dns.query.tcp(q, "127.0.0.1", port=lab.dns_port, timeout=5)
    assert udp.answer[0][0].to_text() == site.ip == tcp.answer[0][0].to_text()
    for rdtype in ("NS", "MX", "TXT", "SOA"):
        r = dns.query.udp(dns.message.make_query(site.domain, rdtype), "127.0.0.1",
                          port=lab.dns_port, timeout=5)
        assert r.answer, rdtype
    ptr = dns.query.udp(dns.message.make_query(dns.reversename.from_address(site.ip), "PTR"),
                        "127.0.0.1", port=lab.dns_port, timeout=5)
    assert ptr.answer
    nx = dns.query.udp(dns.message.make_query("no-such-site.example", "A"), "127.0.0.1",
                       port=lab.dns_port, timeout=5)
    assert nx.rcode() == dns.rcode.NXDOMAIN


def _whois(lab, query: str, server: tuple[str, int] | None = None) -> str:
    with socket.create_connection(server or ("127.0.0.1", lab.whois_port), timeout=5) as sock:
        sock.sendall(query.encode() + b"\r\n")
        data = b""
        while chunk := sock.recv(4096):
            data += chunk
    return data.decode()


def test_whois_domain_and_ip_records(lab):
    site = next(s for s in lab.world.sites.values() if s.kind == "registrant_email")
    text = _whois(lab, site.domain)
    if lab.world.registrar_whois and site.domain.endswith((".com", ".net")):
        # Thin, as Verisign's: the registrant is at the registrars' server it refers to.
        assert "Registrant" not in text
        assert f"Registrar WHOIS Server: {lab.world.registrar_whois}" in text
        address = lab.world.service_hosts[lab.world.registrar_whois]
        text = _whois(lab, site.domain, (address, 43))
    assert f"Registrant Email: {site.registrant_email}" in text
    assert "Creation Date:" in text and "Registrar: " in text
    ip_text = _whois(lab, site.ip)
    assert "OrgName:" in ip_text and "OriginAS:" in ip_text
    assert _whois(lab, "unknown-domain.com").startswith("No match")


def test_proxy_head_has_headers_and_no_body(lab):
    site = next(s for s in lab.world.sites.values() if s.family and not s.redirect_to)
    answer = _proxy_request(
        lab, f"HEAD http://{site.domain}/ HTTP/1.1\r\nConnection: close\r\n\r\n".encode())
    head, _, body = answer.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200") and b"Content-Length: " in head and body == b""
