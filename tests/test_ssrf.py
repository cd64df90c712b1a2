"""No server-side request forgery: without --allow-private, nothing on a non-public address
is ever contacted: not a seed, not a redirect target, not an asset (loopback only: the lab
treats 127.0.0.0/9 as public, 127.200.0.0/16 as internal)."""

import json
import sqlite3

import pytest

from crawler.enrich.dns import make_resolver
from crawler.lab.faults import SSRF_FORMS
from crawler.lab.server import LabServer
from crawler.lab.world import INTERNAL_HOST, PUBLIC_NET, SSRF
from tests.conftest import facade

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def ssrf_lab(tmp_path_factory):
    with LabServer(seed=3, folder=tmp_path_factory.mktemp("lab"), ssrf=True) as lab:
        yield lab


def _args(lab):
    return [a for a in lab.crawl_args() if a != "--allow-private"] + ["--public-net", PUBLIC_NET]


def test_redirects_and_assets_to_internal_addresses_are_refused(ssrf_lab, tmp_path):
    probes = {d: s for d, s in ssrf_lab.world.sites.items() if s.fault in SSRF}
    control = [d for d, s in ssrf_lab.world.sites.items() if s.kind == "favicon"]
    seeds = tmp_path / "s.txt"
    seeds.write_text("\n".join([*probes, *control]) + "\n")
    seen = len(ssrf_lab.proxy.hosts_seen)
    facade("crawl", str(seeds), *_args(ssrf_lab), "--db", str(tmp_path / "s.db"), "--quiet")
    con = sqlite3.connect(tmp_path / "s.db")
    got = {d: (st, m) for d, st, m in con.execute("select domain, status, message from sites")}
    for domain, site in probes.items():
        assert got[domain][0] == SSRF[site.fault], (site.fault, got[domain])
        if site.fault in ("ssrf_redirect", "ssrf_asset"):
            assert "non-public address 127.200." in got[domain][1]
    assert all(got[d][0] == "ok" for d in control)
    contacted = {h.lower().rstrip(".") for h in ssrf_lab.proxy.hosts_seen[seen:]}
    assert INTERNAL_HOST not in contacted
    # Every spelling of the internal host, by redirect or meta refresh, never reaches the
    # proxy (which would resolve it as glibc or Squid does and serve the internal page).
    forms = {f.rstrip(".") for f in SSRF_FORMS.values()}
    assert not contacted & forms, contacted & forms
    assert not {h for h in contacted if h.startswith("static.")}
    assert contacted & set(control)  # the crawl did run


def test_rebinding_name_is_pinned_to_the_address_checked(ssrf_lab):
    from crawler.crawl.guard import AddressGuard
    from crawler.crawl.resolver import PinnedResolver

    name = next(d for d, s in ssrf_lab.world.sites.items() if s.fault == "rebind")
    ssrf_lab.world.sites[name].a_queries = 0
    addresses: dict = {}
    nets = (__import__("ipaddress").ip_network(PUBLIC_NET),)
    guard = AddressGuard(addresses, [("127.0.0.1", ssrf_lab.dns_port)], 5, nets)
    first = guard._resolve(name)
    guard._check(name, first)  # public: allowed, and recorded for the resolver
    addresses[name] = first
    resolver = make_resolver([("127.0.0.1", ssrf_lab.dns_port)], 5)
    now = [r.to_text() for r in resolver.resolve(name, "A").rrset]
    assert now == ["127.200.0.3"] != first  # the name has rebound to an internal address
    pinned = PinnedResolver(None, addresses, [("127.0.0.1", ssrf_lab.dns_port)], False, 5, nets)
    assert pinned.getHostByName(name).result == first[0]  # the connection goes where checked
    with pytest.raises(Exception, match="non-public address 127.200.0.3"):
        guard._check(name, now)


def test_blocked_sites_in_the_report(ssrf_lab, tmp_path):
    probe = next(d for d, s in ssrf_lab.world.sites.items() if s.fault == "ssrf_redirect")
    seeds = tmp_path / "one.txt"
    seeds.write_text(probe + "\n")
    facade("run", str(seeds), *_args(ssrf_lab), "--db", str(tmp_path / "r.db"),
           "-o", str(tmp_path / "r"), "--quiet")
    report = json.loads((tmp_path / "r" / "report.json").read_text())
    assert report["sites"][0]["status"] == "blocked"
    assert report["run"]["options"]["public_nets"] == [PUBLIC_NET]
