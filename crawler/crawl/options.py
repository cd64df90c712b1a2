"""What one crawl is asked for, and what it did."""

from __future__ import annotations

import ipaddress
from dataclasses import asdict, dataclass, field, fields

from crawler.crawl.settings import DEFAULTS


@dataclass
class CrawlOptions:
    """What one crawl was asked for. Defaults are crawler/crawl/settings.py's DEFAULTS; the command
    line sets only what the user gave (crawler/commands/options.py)."""

    proxy: str | None = None
    nameservers: list[tuple[str, int]] = field(default_factory=list)
    whois_server: tuple[str, int] | None = None
    max_pages: int = DEFAULTS["FACADE_MAX_PAGES"]
    depth: int = DEFAULTS["FACADE_DEPTH"]
    concurrency: int = DEFAULTS["FACADE_CONCURRENCY"]
    per_site: int = DEFAULTS["FACADE_CONCURRENCY_PER_SITE"]
    delay: float = DEFAULTS["FACADE_DELAY"]
    user_agent: str | None = None  # None: FACADE_USER_AGENT
    robots: str = DEFAULTS["FACADE_ROBOTS"]
    timeout: float = DEFAULTS["FACADE_TIMEOUT"]
    label: str | None = None
    allow_private: bool = False
    references: str | None = None  # file of known legitimate sites (copy provenance)
    rdap_url: str | None = None
    rdap_bootstrap: str | None = None  # the RDAP bootstrap registry (default: IANA's)
    asn_db: str | None = None
    public_nets: list[str] = field(default_factory=list)  # CIDRs treated as public (lab)
    whois_cache_days: float = DEFAULTS["FACADE_WHOIS_CACHE_DAYS"]
    warc: str | None = None  # folder for WARC files
    expand: int = 0          # rounds of pivoting to new candidate domains
    expand_max: int = DEFAULTS["FACADE_EXPAND_MAX"]  # sites added by expansion, in all
    expand_dry_run: bool = False
    from_archive: str | None = None  # "wayback" or an archive's replay prefix: pages from it
    at: str | None = None            # YYYY[MM[DD]]: the capture closest to this date
    archive_fallback: str | None = None  # archive for sites gone, parked or seized live
    evidence_config: str | None = None   # evidence weights replacing the shipped ones
    frontier: str | None = None  # redis:// URL of a shared frontier (crawler/frontier/)

    def networks(self) -> list:
        return [ipaddress.ip_network(n, strict=False) for n in self.public_nets]

    def public(self) -> dict:
        """The options as a run keeps them (where its sites were queued is not one)."""
        out = asdict(self)
        del out["frontier"]
        out["nameservers"] = [f"{h}:{p}" for h, p in self.nameservers]
        out["whois_server"] = ":".join(map(str, self.whois_server)) if self.whois_server else None
        return out

    @classmethod
    def from_public(cls, public: dict, frontier: str | None = None) -> CrawlOptions:
        """The options ``public()`` gave (a worker's copy of the coordinator's)."""
        def host_port(text: str) -> tuple[str, int]:
            host, _, port = text.rpartition(":")
            return host, int(port)

        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in public.items() if k in known}
        values["nameservers"] = [host_port(n) for n in public.get("nameservers", [])]
        values["whois_server"] = (host_port(public["whois_server"])
                                  if public.get("whois_server") else None)
        return cls(**values, frontier=frontier)


@dataclass
class CrawlSummary:
    run_id: int
    seeds: int
    warnings: list[str]
    statuses: dict[str, int]
    pages: int
    resumed: bool = False
    crawled_now: int = 0
    warc: str | None = None
    candidates: list = field(default_factory=list)  # added by --expand, or listed (dry run)
    references: int = 0  # known legitimate sites crawled beside the seeds
