"""Run the lab world's servers on 127.0.0.1 in a background thread.

Example:
    >>> with LabServer(seed=1) as lab:          # doctest: +SKIP
    ...     print(lab.proxy_url, lab.nameserver, lab.whois_server)
"""

from __future__ import annotations

import asyncio
import json
import random
import ssl
import tempfile
import threading
from pathlib import Path

from crawler.lab.archive_server import handle_archive
from crawler.lab.ca import LabCA
from crawler.lab.dns_server import start_dns
from crawler.lab.proxy import LabProxy, gzip_bomb
from crawler.lab.rdap_server import handle_rdap
from crawler.lab.whois_server import REGISTRAR_WHOIS, handle_whois
from crawler.lab.world import PROVIDERS, LabSite, World, build_world

HOST = "127.0.0.1"


class LabServer:
    """The proxy, DNS and WHOIS servers of one generated world, plus its seeds and ground truth."""

    def __init__(self, seed: int = 1, sites: int = 140, folder: str | Path | None = None,
                 faults: bool = False, ssrf: bool = False, week: int = 1):
        self.world: World = build_world(seed, sites, faults=faults, ssrf=ssrf, week=week)
        self._tmp = None
        if folder is None:
            self._tmp = tempfile.TemporaryDirectory(prefix="facade-lab-")
            folder = self._tmp.name
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._contexts: dict[str, ssl.SSLContext] = {}
        self._ca = LabCA(seed)
        self._certs = self.folder / "certs"
        self._certs.mkdir(exist_ok=True)
        self.proxy = LabProxy(self.world, self._ssl_for)
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self.proxy_port = self.dns_port = self.whois_port = self.rdap_port = 0

    def _ssl_for(self, site: LabSite) -> ssl.SSLContext:
        ctx = self._contexts.get(site.cert_group)
        if ctx is None:
            stem = f"c{len(self._contexts)}"
            cert, key = self._ca.issue(site.cert_sans, self._certs, stem)
            ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
            ctx.load_cert_chain(cert, key)
            self._contexts[site.cert_group] = ctx
        return ctx

    # ---- addresses -----------------------------------------------------------------

    @property
    def proxy_url(self) -> str:
        return f"http://{HOST}:{self.proxy_port}"

    @property
    def nameserver(self) -> str:
        return f"{HOST}:{self.dns_port}"

    @property
    def whois_server(self) -> str:
        return f"{HOST}:{self.whois_port}"

    @property
    def archive_url(self) -> str:
        """The lab's Wayback-compatible archive (CDX at /cdx/search/cdx, replay at /web/)."""
        return f"http://{HOST}:{self.archive_port}/web/"

    @property
    def rdap_url(self) -> str:
        return f"http://{HOST}:{self.rdap_port}/"

    @property
    def asn_file(self) -> Path:
        """An iptoasn table of the lab's providers, but for one (found by RDAP/WHOIS)."""
        return self.folder / "ip2asn.tsv"

    @property
    def seeds_file(self) -> Path:
        return self.folder / "seeds.txt"

    @property
    def references_file(self) -> Path:
        return self.folder / "references.txt"

    @property
    def truth_file(self) -> Path:
        return self.folder / "ground_truth.json"

    def crawl_args(self) -> list[str]:
        """The crawl options that point facade at this lab."""
        return ["--proxy", self.proxy_url, "--nameserver", self.nameserver,
                "--whois-server", self.whois_server, "--rdap-url", self.rdap_url,
                "--asn-db", str(self.asn_file), "--allow-private"]

    # ---- life cycle ------------------------------------------------------------------

    async def _start_servers(self) -> None:
        proxy = await asyncio.start_server(self.proxy.handle, HOST, 0, limit=2**16)
        whois = await asyncio.start_server(
            lambda r, w: handle_whois(self.world, r, w), HOST, 0
        )
        rdap = await asyncio.start_server(lambda r, w: handle_rdap(self.world, r, w), HOST, 0)
        archive = await asyncio.start_server(lambda r, w: handle_archive(self.world, r, w),
                                             HOST, 0)
        for _ in range(20):
            try:
                self._dns = await start_dns(self.world, HOST, 0)
                break
            except OSError:
                continue
        self._servers = [proxy, whois, rdap, archive, self._dns[1]]
        self.archive_port = archive.sockets[0].getsockname()[1]
        registrar = await self._start_registrar_whois()
        if registrar is not None:
            self._servers.append(registrar)
        self.rdap_port = rdap.sockets[0].getsockname()[1]
        self.proxy_port = proxy.sockets[0].getsockname()[1]
        self.whois_port = whois.sockets[0].getsockname()[1]
        self.dns_port = self._dns[2]

    async def _start_registrar_whois(self):
        """The registrars' WHOIS server, which the registry's thin .com/.net answers refer
        to, as Verisign's do. Referrals name a host and mean port 43, so it listens on port
        43 of an address of its own; where that port cannot be had (no privilege), the
        registry answers thickly instead and no referral is made."""
        for _ in range(8):
            address = f"127.0.43.{random.randint(2, 254)}"
            try:
                server = await asyncio.start_server(
                    lambda r, w: handle_whois(self.world, r, w, registrar=True), address, 43)
            except OSError:
                continue
            self.world.service_hosts[REGISTRAR_WHOIS] = address
            self.world.registrar_whois = REGISTRAR_WHOIS
            return server
        return None

    def start(self) -> LabServer:
        started = threading.Event()
        errors: list[BaseException] = []

        def run() -> None:
            loop = asyncio.new_event_loop()
            self._loop = loop
            asyncio.set_event_loop(loop)
            try:
                loop.run_until_complete(self._start_servers())
            except BaseException as exc:  # reported to the starting thread
                errors.append(exc)
                started.set()
                return
            started.set()
            loop.run_forever()
            for server in self._servers:
                server.close()
            self._dns[0].close()
            pending = asyncio.all_tasks(loop)  # tarpits and other open connections
            for task in pending:
                task.cancel()
            loop.run_until_complete(asyncio.gather(*pending, return_exceptions=True))
            loop.close()

        self._thread = threading.Thread(target=run, name="facade-lab", daemon=True)
        self._thread.start()
        started.wait(30)
        if errors:
            raise errors[0]
        if any(s.fault == "gzip_bomb" for s in self.world.sites.values()):
            gzip_bomb()  # built once, before any request waits on it
        # Issue every certificate up front so TLS handshakes never wait on key generation.
        for site in self.world.sites.values():
            if site.tls:
                self._ssl_for(site)
        self.write_files()
        return self

    def stop(self) -> None:
        if self._loop and self._thread:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)
        if self._tmp is not None:
            self._tmp.cleanup()

    def __enter__(self) -> LabServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()

    def write_files(self) -> None:
        """Write the seed list and the ground truth next to the certificates."""
        lines = [f"# facade lab world, seed {self.world.seed}", *self.world.seed_domains()]
        self.seeds_file.write_text("\n".join(lines) + "\n")
        rows = [f"{block}.0.0\t{block}.255.255\t{asn}\tZZ\t{org}"
                for block, (org, asn) in PROVIDERS.items() if block != "127.6"]
        self.asn_file.write_text("\n".join(rows) + "\n")
        refs = [f"# genuine firms the lab's copy families cloned, seed {self.world.seed}",
                *self.world.reference_domains()]
        self.references_file.write_text("\n".join(refs) + "\n")
        self.truth_file.write_text(json.dumps(self.world.ground_truth(), indent=1))
