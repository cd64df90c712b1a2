"""facade's settings: every FACADE_* default in one place, and the Scrapy settings they make.

Example:
    >>> scrapy_settings({"FACADE_TIMEOUT": 5})["DOWNLOAD_TIMEOUT"]
    5
"""

from __future__ import annotations

from typing import Any

from crawler.crawl.failures import RETRY_EXCEPTIONS

DEFAULTS: dict[str, Any] = {
    "FACADE_MAX_PAGES": 20,          # pages per site, the start page included
    "FACADE_MAX_ASSETS": 15,         # favicon, scripts, stylesheets, images hashed per site
    "FACADE_MAX_ASSET_BYTES": 2 * 1024 * 1024,
    "FACADE_DEPTH": 2,               # link depth from the start page
    "FACADE_CONCURRENCY": 16,        # requests in flight in all
    "FACADE_CONCURRENCY_PER_SITE": 4,
    # Sites being crawled at once: a new site starts when one finishes. Unbounded, every
    # admitted site is a scheduler slot, and Scrapy's DownloaderAwarePriorityQueue scans
    # every slot for every request (16,000 sites: 167 done in 12 minutes).
    "FACADE_SITES_IN_FLIGHT": 128,
    "FACADE_TIMEOUT": 20.0,          # seconds per request (and per DNS/WHOIS/TLS query)
    "FACADE_RETRIES": 1,
    "FACADE_MAX_PAGE_BYTES": 10 * 1024 * 1024,   # a larger page is cut off, the site kept
    "FACADE_STORED_HTML_BYTES": 2 * 1024 * 1024,  # HTML kept per page
    "FACADE_PROXY": None,
    "FACADE_NAMESERVERS": [],        # [(host, port)]
    "FACADE_ALLOW_PRIVATE": False,
    "FACADE_PUBLIC_NETS": [],        # ip_network objects treated as public (lab and tests)
    "FACADE_USER_AGENT": "Mozilla/5.0 (compatible; facade/0.1; +https://example.invalid/facade)",
    "FACADE_ROBOTS": "obey",         # or "ignore"
    "FACADE_DELAY": 0.0,             # seconds between requests to one host
    # Threads of the enrichment process (crawler/enrich/worker.py):
    "FACADE_ENRICH_WORKERS": 16,     # asking registries, address owners and TLS, in all
    "FACADE_DNS_WORKERS": 8,         # asking the seeds' DNS, ahead of the crawl
    "FACADE_WHOIS_CACHE_DAYS": 7.0,  # registry and archive answers reused from earlier runs
    "FACADE_EXPAND_MAX": 50,         # sites added by --expand, in all
    "FACADE_ADDRESSES": {},          # domain -> [addresses] from the DNS stage (the resolver pins)
    "FACADE_STORE_PATH": None,
    "FACADE_RUN_ID": None,
    "FACADE_PROGRESS": None,         # callable(domain, status) when a site is finished
    "FACADE_WARC": None,             # a crawler.crawl.warc.WarcArchive (--warc DIR)
    "FACADE_STORED": None,           # crawler.crawl.replay.Stored: what a resumed crawl has
    "FACADE_FRONTIER": None,         # redis:// URL: per-host limits shared by every worker
}


class Shared:
    """A settings value that must stay one object: Scrapy deep-copies its settings, and the
    DNS gate's address map and the WARC archive are live, shared with the crawl."""

    def __init__(self, value: Any):
        self.value = value

    def __copy__(self) -> Shared:
        return self

    def __deepcopy__(self, memo) -> Shared:
        return self


def shared(settings, name: str, default: Any = None) -> Any:
    """The value behind a Shared setting (or the plain value)."""
    value = settings.get(name)
    if isinstance(value, Shared):
        return value.value
    return default if value is None else value


def facade_settings(**overrides: Any) -> dict[str, Any]:
    """The defaults with ``overrides`` (FACADE_* keys) applied."""
    unknown = set(overrides) - set(DEFAULTS)
    if unknown:
        raise KeyError(f"unknown facade settings: {sorted(unknown)}")
    return {**DEFAULTS, **overrides}


def scrapy_settings(overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Scrapy settings for a facade crawl, FACADE_* values included."""
    s = facade_settings(**(overrides or {}))
    return {
        **s,
        "BOT_NAME": "facade",
        "TWISTED_REACTOR": "twisted.internet.asyncioreactor.AsyncioSelectorReactor",
        "ROBOTSTXT_OBEY": s["FACADE_ROBOTS"] == "obey",
        "USER_AGENT": s["FACADE_USER_AGENT"],
        "DOWNLOAD_DELAY": s["FACADE_DELAY"],
        "CONCURRENT_REQUESTS": s["FACADE_CONCURRENCY"],
        "CONCURRENT_REQUESTS_PER_DOMAIN": s["FACADE_CONCURRENCY_PER_SITE"],
        # Scrapy starts this many asyncio workers for every callback's output; ours yield a
        # handful of objects, and the default 100 cost a third of the crawl's CPU.
        "CONCURRENT_ITEMS": 4,
        "DOWNLOAD_TIMEOUT": s["FACADE_TIMEOUT"],
        "DOWNLOAD_MAXSIZE": s["FACADE_MAX_PAGE_BYTES"],
        "DOWNLOAD_WARNSIZE": 0,
        "RETRY_TIMES": s["FACADE_RETRIES"],
        "RETRY_EXCEPTIONS": RETRY_EXCEPTIONS,
        "REDIRECT_MAX_TIMES": 10,
        "HTTPERROR_ALLOW_ALL": True,
        "COOKIES_ENABLED": False,
        "TELNETCONSOLE_ENABLED": False,
        # Scrapy re-parses a callback's source on every call to warn about `return value`
        # in a generator: 10.8% of the crawl's samples. facade's callbacks never do it.
        "WARN_ON_GENERATOR_RETURN_VALUE": False,
        "LOG_LEVEL": "ERROR",
        "TWISTED_DNS_RESOLVER": "crawler.crawl.resolver.PinnedResolver",
        "DNS_TIMEOUT": s["FACADE_TIMEOUT"],
        "ITEM_PIPELINES": {"crawler.crawl.pipelines.StorePipeline": 100},
        # Before the proxy and redirect middlewares see a request, and on every redirect.
        # The guard and the proxy before Scrapy's robots.txt middleware (100), so its requests
        # are guarded and proxied too; dead hosts after it, so a page whose robots.txt timed
        # out is not waited on again.
        "DOWNLOADER_MIDDLEWARES": {"crawler.crawl.replay.ReplayStored": 40,  # before any network
                                   "scrapy.downloadermiddlewares.offsite.OffsiteMiddleware": None,
                                   "scrapy.downloadermiddlewares.httpauth.HttpAuthMiddleware":
                                       None,
                                   "scrapy.downloadermiddlewares.stats.DownloaderStats": None,
                                   "crawler.crawl.guard.AddressGuard": 50,
                                   "crawler.crawl.proxying.ProxyEverything": 60,
                                   "crawler.crawl.deadhosts.DeadHosts": 110,
                                   "scrapy.downloadermiddlewares.robotstxt"
                                   ".RobotsTxtMiddleware": None,
                                   "crawler.crawl.robots.BoundedRobotsTxtMiddleware": 100,
                                   # next to the download handler: raw responses, every hop
                                   "crawler.crawl.warc.WarcRecorder": 950},
        # Scrapy's parts facade has no use for, each a call on every request or response:
        # facade keeps its own depth (page_depth) and sets no allowed_domains, credentials
        # or Referer policy, and reads no stats.
        "SPIDER_MIDDLEWARES": {"scrapy.spidermiddlewares.referer.RefererMiddleware": None,
                               "scrapy.spidermiddlewares.depth.DepthMiddleware": None,
                               "scrapy.spidermiddlewares.metacopy.MetaCopyDetectionMiddleware":
                                   None},
        "EXTENSIONS": {"scrapy.extensions.logstats.LogStats": None,
                       "scrapy.extensions.memusage.MemoryUsage": None,
                       "scrapy.extensions.corestats.CoreStats": None},
        "REQUEST_FINGERPRINTER_IMPLEMENTATION": "2.7",
        # idle connections closed after seconds, not minutes: memory flat in the sites crawled
        "DOWNLOAD_HANDLERS": {"http": "crawler.crawl.handlers.ShortIdleHTTP11DownloadHandler",
                              "https": "crawler.crawl.handlers.ShortIdleHTTP11DownloadHandler"},
    }
