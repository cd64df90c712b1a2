"""Scrapy's robots.txt middleware, with the parsers of finished sites let go.

Scrapy keeps one parsed robots.txt per host for the whole crawl; facade visits each host
once, so that map grows with the number of sites. Here it keeps the newest
``ROBOTS_KEPT`` hosts (far more than the sites crawled at once); a robots.txt still being
fetched is never dropped.
"""

from __future__ import annotations

from itertools import islice

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from twisted.internet.defer import Deferred

ROBOTS_KEPT = 4096


class _Newest(dict):
    """host -> parser (or the Deferred of one being fetched), the oldest settled ones
    dropped beyond ``ROBOTS_KEPT``."""

    def __setitem__(self, key, value) -> None:
        super().__setitem__(key, value)
        excess = len(self) - ROBOTS_KEPT
        if excess > 0:
            old = [k for k, v in islice(self.items(), excess) if not isinstance(v, Deferred)]
            for k in old:
                del self[k]


class BoundedRobotsTxtMiddleware(RobotsTxtMiddleware):
    def __init__(self, crawler):
        super().__init__(crawler)
        self._parsers = _Newest()
