"""A host that let one request time out is not waited on again: its next requests fail at once.

Without this a tarpit would cost the timeout for robots.txt and again for the page, over
https and again over http. With it a silent host costs the timeout once per scheme.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy.exceptions import DownloadTimeoutError
from twisted.internet import defer
from twisted.internet import error as neterr

TIMEOUTS = (DownloadTimeoutError, neterr.TimeoutError, neterr.TCPTimedOutError,
            defer.TimeoutError)


def _key(url: str) -> tuple[str, str]:
    parts = urlsplit(url)
    return parts.scheme, (parts.hostname or "").lower()


class DeadHosts:
    def __init__(self):
        self.timed_out: dict[tuple[str, str], str] = {}

    @classmethod
    def from_crawler(cls, crawler):
        return cls()

    def process_request(self, request):
        earlier = self.timed_out.get(_key(request.url))
        if earlier:
            raise DownloadTimeoutError(f"{earlier} (an earlier request to this host timed out;"
                                       " not waited on again)")
        return None

    def process_exception(self, request, exception):
        if isinstance(exception, TIMEOUTS):
            self.timed_out.setdefault(_key(request.url), str(exception))
        return None
