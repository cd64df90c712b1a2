"""The one address policy (crawler/crawl/address_policy.py): hosts read as resolvers read them,
IANA's special-purpose ranges, names that do not resolve refused; registry hops checked."""

from __future__ import annotations

import http.server
import threading

import pytest

from crawler.crawl.address_policy import (
    host_refusal,
    ip_literal,
    is_non_public,
    refusal,
    resolved_refusal,
)
from crawler.enrich import rdap

INTERNAL = "127.200.0.1"


@pytest.mark.parametrize("host", ["2143813633", "0x7fc80001", "0177.0310.0.1", "127.200.1",
                                  "0x7f.0xc8.0.1", "127.200.0.1.", "[::ffff:127.200.0.1]"])
def test_every_spelling_of_an_address_is_that_address(host):
    address = ip_literal(host)
    assert str(getattr(address, "ipv4_mapped", None) or address) == INTERNAL
    assert "non-public address" in refusal(host, ["93.184.216.34"])


@pytest.mark.parametrize("address", [
    "100.100.100.200", "100.64.0.1", "0.0.0.0", "169.254.169.254", "192.0.0.8", "198.18.0.1",
    "192.88.99.1", "240.0.0.1", "255.255.255.255", "::1", "fd00::1", "fe80::1",
    "2002:7f00:1::", "2002:0808:0808::", "2001::1", "64:ff9b::7f00:1", "::ffff:10.0.0.1",
    "2001:db8::1", "ff02::1",
])
def test_special_purpose_ranges_are_not_public(address):
    assert is_non_public(address)


def test_public_addresses_and_declared_public_networks():
    import ipaddress

    assert not is_non_public("93.184.216.34") and not is_non_public("2606:4700::1111")
    lab = (ipaddress.ip_network("127.0.0.0/9"),)
    assert not is_non_public("127.1.0.5", lab) and is_non_public(INTERNAL, lab)


@pytest.mark.parametrize("host", ["localhost", "localhost.", "intranet", "admin.internal",
                                  "printer.local", "router.home.arpa", "db.corp", "x.invalid"])
def test_names_outside_the_public_suffixes_are_refused_without_a_lookup(host):
    assert "not a name on the public internet" in host_refusal(host)


def test_a_name_that_does_not_resolve_is_refused_not_allowed():
    assert "cannot be proven public" in refusal("nowhere.example.com", [])
    assert refusal("acme.com", ["93.184.216.34"]) is None
    assert "non-public" in refusal("acme.com", ["93.184.216.34", "10.0.0.5"])
    assert resolved_refusal("localhost") and resolved_refusal("0x7f000001")
    assert resolved_refusal("localhost", allow_private=True) is None


@pytest.fixture
def redirecting_rdap():
    """An RDAP service on loopback that redirects to itself or to an internal address."""

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            port = self.server.server_address[1]
            targets = {"/domain/inside.com": f"http://127.0.0.1:{port}/ok",
                       "/domain/outside.com": f"http://{INTERNAL}:{port}/ok",
                       "/domain/hex.com": f"http://0x7fc80001:{port}/ok",
                       "/domain/scheme.com": "file:///etc/passwd"}
            if self.path in targets:
                self.send_response(302)
                self.send_header("Location", targets[self.path])
                self.end_headers()
                return
            body = b'{"objectClassName": "domain", "ldhName": "inside.com"}'
            self.send_response(200)
            self.send_header("Content-Type", "application/rdap+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


def test_rdap_follows_redirects_within_its_service_and_refuses_internal_ones(redirecting_rdap):
    assert rdap.lookup_domain("inside.com", redirecting_rdap, None, 5)["name_servers"] == []
    for domain in ("outside.com", "hex.com"):
        with pytest.raises(rdap.RDAPFailure, match="redirect refused: .* non-public address"):
            rdap.lookup_domain(domain, redirecting_rdap, None, 5)
    with pytest.raises(rdap.RDAPFailure):  # urllib itself refuses a file: redirect
        rdap.lookup_domain("scheme.com", redirecting_rdap, None, 5)


def test_a_seed_whose_dns_never_answers_is_not_crawled_without_allow_private():
    from crawler.crawl.dns_gate import dns_verdict

    silent = {"nxdomain": False, "A": [], "AAAA": [], "errors": {"A": "timeout"}}
    status, message = dns_verdict(silent, allow_private=False)
    assert status == "dns_error" and "cannot be proven public" in message
    assert dns_verdict(silent, allow_private=True) is None  # --allow-private: crawled as before
