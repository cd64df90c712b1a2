"""WARC archives of crawls (warcio): every response as it came over the wire, redirects and
robots.txt included, and per site a metadata record with its status and enrichment, so that
the evidence survives takedowns and `facade import` can rebuild the run from the archive.
"""

from __future__ import annotations

import io
import json
import threading
from datetime import UTC, datetime
from pathlib import Path

from scrapy.exceptions import NotConfigured
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from analysis.domains import domain_of_url

SITE_HEADER = "WARC-Facade-Site"
META_URI = "facade:site/"


class WarcArchive:
    """One gzipped WARC file per crawl; safe to write from the crawl's threads."""

    def __init__(self, folder: str | Path, run_id: int):
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        stamp = datetime.now(UTC).strftime("%Y%m%d%H%M%S")
        self.path = folder / f"facade-run{run_id}-{stamp}.warc.gz"
        self._fh = open(self.path, "wb")  # noqa: SIM115  (closed by close())
        self._writer = WARCWriter(self._fh, gzip=True)
        self._lock = threading.Lock()
        info = self._writer.create_warcinfo_record(self.path.name, {
            "software": "facade", "format": "WARC File Format 1.1", "run": str(run_id)})
        self._writer.write_record(info)

    def _write(self, record) -> None:
        with self._lock:
            self._writer.write_record(record)

    def response(self, url: str, status: int, headers: list[tuple[str, str]], body: bytes,
                 extra: dict[str, str]) -> None:
        http = StatusAndHeaders(f"{status} -", headers, protocol="HTTP/1.1")
        record = self._writer.create_warc_record(
            url, "response", payload=io.BytesIO(body), http_headers=http,
            warc_headers_dict={SITE_HEADER: extra.pop("site", "") or domain_of_url(url) or "",
                               **extra})
        self._write(record)

    def site(self, domain: str, metadata: dict) -> None:
        record = self._writer.create_warc_record(
            META_URI + domain, "metadata",
            payload=io.BytesIO(json.dumps(metadata, default=str).encode()),
            warc_content_type="application/json", warc_headers_dict={SITE_HEADER: domain})
        self._write(record)

    def close(self) -> None:
        with self._lock:
            self._fh.close()


class WarcRecorder:
    """Downloader middleware next to the download handler: sees every response raw."""

    def __init__(self, archive: WarcArchive):
        self.archive = archive

    @classmethod
    def from_crawler(cls, crawler):
        from crawler.crawl.settings import shared

        archive = shared(crawler.settings, "FACADE_WARC")
        if archive is None:  # no --warc: off, not a call on every response
            raise NotConfigured
        return cls(archive)

    def process_response(self, request, response):
        meta = request.meta
        extra = {"site": meta.get("site", "")}
        if meta.get("asset"):
            extra["WARC-Facade-Asset"] = meta["asset"]
        if "page_depth" in meta:
            extra["WARC-Facade-Depth"] = str(meta["page_depth"])
            extra["WARC-Facade-Start-Url"] = (meta.get("redirect_urls") or [request.url])[0]
        headers = [(k.decode("latin-1"), v.decode("latin-1"))
                   for k, values in response.headers.items() for v in values]
        self.archive.response(response.url, response.status, headers, response.body, extra)
        return response
