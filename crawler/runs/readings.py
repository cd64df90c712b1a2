"""Each page read once: a page's reading (analysis/page_reading.py) is looked up by its key,
and the pages without one are read on every core and their readings kept, so a re-run, a
re-clustering or an unchanged page next week costs a lookup."""

from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor

from analysis.features import ReadingSource, own_pages
from analysis.page_reading import page_reading, reading_key, shingles_from, text_shingles
from analysis.records import Page, SiteRecord, html_digest
from analysis.text.minhash import signature_values
from crawler.runs.heap import collecting
from crawler.store import Store

POOL_FROM = 64  # fewer pages than this to read are read in this process


def _key(page: Page, site: str, depth: int) -> str:
    return reading_key(page.digest or html_digest(page.html), page.final_url or page.url,
                       site, depth, page.headers)


def _read(job: tuple[str, str, str, str, int, dict]) -> tuple[str, dict, bytes, bytes | None]:
    key, html, url, site, depth, headers = job
    reading = page_reading(html, url, site, depth, headers)
    shingles = text_shingles(reading["text"])
    signature = (signature_values(shingles_from(shingles)).tobytes() if shingles else None)
    return key, reading, shingles, signature


class PageReader:
    """Readings for batches of site records: stored ones reused, the rest read on
    ``workers`` processes (default: every core) and, with ``keep``, stored.

    Example:
        with PageReader(store, keep=True) as reader:
            for records in store.site_record_batches(run_id):
                source = reader.prepare(records)
                features = [site_features(r, config, source) for r in records]
    """

    def __init__(self, store: Store, keep: bool, workers: int | None = None):
        self.store, self.keep = store, keep
        self.workers = max(1, workers or os.cpu_count() or 1)
        self.read_now = self.reused = 0
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> PageReader:
        return self

    def __exit__(self, *exc) -> None:
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def prepare(self, records: list[SiteRecord]) -> ReadingSource:
        """Make sure every own page of ``records`` has a reading; the source that gives it."""
        keys: dict[tuple[int, int], str] = {}  # (page object, depth) -> its key
        wanted = {}
        for record in records:
            for page, depth in own_pages(record):
                key = keys[id(page), depth] = _key(page, record.domain, depth)
                wanted[key] = (page, record.domain, depth)
        found = self.store.readings(list(wanted)) if wanted else {}
        missing = [key for key in wanted if key not in found]
        self.reused += len(found)
        self.read_now += len(missing)
        if missing:
            fetch = [wanted[k][0].id for k in missing
                     if not wanted[k][0].html and wanted[k][0].id is not None]
            html = self.store.page_html(fetch) if fetch else {}
            jobs = []
            for key in missing:
                page, site, depth = wanted[key]
                jobs.append((key, page.html or html.get(page.id, ""),
                             page.final_url or page.url, site, depth, page.headers))
            rows = self._map(jobs)
            if self.keep:
                self.store.put_readings(rows)
            for key, reading, shingles, signature in rows:
                found[key] = {**reading, "shingles": shingles, "signature": signature}

        def source(page: Page, site: str, depth: int) -> dict:
            key = keys.get((id(page), depth)) or _key(page, site, depth)
            return found[key]
        return source

    def _map(self, jobs: list[tuple]) -> list[tuple[str, dict, bytes, bytes | None]]:
        if self.workers == 1 or len(jobs) < POOL_FROM:
            return [_read(job) for job in jobs]
        if self._pool is None:
            # fork: the workers start with facade already imported (a spawned one would
            # spend a second importing trafilatura before its first page).
            self._pool = ProcessPoolExecutor(self.workers,
                                             mp_context=multiprocessing.get_context("fork"),
                                             initializer=collecting)
        return list(self._pool.map(_read, jobs, chunksize=max(1, len(jobs) // (self.workers * 8))))
