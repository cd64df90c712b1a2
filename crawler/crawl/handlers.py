"""Scrapy's HTTP/1.1 download handler with idle connections closed after a few seconds.

facade visits thousands of hosts once each, and through a proxy every HTTPS site is a tunnel
of its own: a connection pool that keeps idle connections for Twisted's default 240 s holds
one TLS connection (with OpenSSL's buffers) per recently crawled site, and the crawl's
memory grows with the number of sites. An idle time of seconds keeps connections for the pages of
the site being crawled and lets finished sites' connections go.
"""

from __future__ import annotations

from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler

from crawler.frontier.limits import SharedHostLimits

IDLE_SECONDS = 5


class ShortIdleHTTP11DownloadHandler(HTTP11DownloadHandler):
    def __init__(self, crawler):
        super().__init__(crawler)
        self._pool.cachedConnectionTimeout = IDLE_SECONDS
        # A worker of a shared frontier: host limits kept in Redis, for all workers.
        self.shared_limits = SharedHostLimits.from_settings(crawler.settings)

    async def download_request(self, request):
        if self.shared_limits is None:
            return await super().download_request(request)
        async with self.shared_limits.held(request.url):
            return await super().download_request(request)
