"""Seed lists (SPEC §4): plain lines or CSV, normalised to registrable domains and merged."""

from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from analysis.domains import InvalidHost, registrable_domain


@dataclass
class Seed:
    """One site to crawl: its registrable domain and where the seed file named it."""

    domain: str
    lines: list[int] = field(default_factory=list)
    entries: list[str] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    role: str = "seed"  # or "reference": a known legitimate site, crawled, never clustered


@dataclass
class SeedList:
    seeds: list[Seed]
    warnings: list[str]


def normalise_entry(entry: str) -> str:
    """Turn one seed entry (domain or URL) into its registrable domain.

    Raises:
        InvalidHost: with a message saying what is wrong with the entry.
    """
    text = entry.strip()
    if "://" in text:
        try:
            host = urlsplit(text).hostname
        except ValueError as exc:
            raise InvalidHost(f"not a valid URL ({exc})") from None
        if not host:
            raise InvalidHost("URL has no host")
    else:
        host = text.split("/", 1)[0].split("?", 1)[0]
        if ":" in host and host.count(":") == 1:
            host = host.split(":", 1)[0]
    if any(ch.isspace() for ch in host):
        raise InvalidHost("contains white space")
    return registrable_domain(host)


def _rows(text: str) -> tuple[list[tuple[int, str, str, str]], bool]:
    """(line number, entry, source, tags) rows, and whether the file was a CSV."""
    lines = text.splitlines()
    first = next(
        ((i, ln) for i, ln in enumerate(lines) if ln.strip() and not ln.lstrip().startswith("#")),
        None,
    )
    if first is not None:
        try:
            header = [h.strip().lower() for h in next(csv.reader([first[1]]), [])]
        except csv.Error:  # a field past csv's size limit: not a header
            header = []
        if len(header) > 1 and ("domain" in header or "url" in header):
            key = "domain" if "domain" in header else "url"
            rows = []
            for offset, line in enumerate(lines[first[0] + 1:]):
                lineno = first[0] + 2 + offset
                try:  # one row a line: a quote left open cannot swallow the rest of the file
                    values = next(csv.reader([line]), [])
                except csv.Error:  # a field past csv's size limit, a stray NUL
                    values = [line[:200]]
                if not values or not any(v.strip() for v in values):
                    continue
                if values[0].lstrip().startswith("#"):
                    continue
                record = dict(zip(header, values, strict=False))
                rows.append(
                    (lineno, record.get(key, ""), record.get("source", ""), record.get("tags", ""))
                )
            return rows, True
    rows = []
    for lineno, line in enumerate(lines, start=1):
        entry = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if entry:
            rows.append((lineno, entry, "", ""))
    return rows, False


def parse_seeds(text: str, name: str = "seeds") -> SeedList:
    """Parse a seed file's text into merged, normalised seeds and line-numbered warnings.

    Example:
        >>> parse_seeds("shop.example.co.uk\\nhttps://www.example.co.uk/about\\n").seeds[0].domain
        'example.co.uk'
    """
    rows, _ = _rows(text)
    by_domain: dict[str, Seed] = {}
    warnings: list[str] = []
    for lineno, entry, source, tags in rows:
        try:
            domain = normalise_entry(entry)
        except InvalidHost as exc:
            warnings.append(f"{name}:{lineno}: skipped {entry.strip()[:80]!r}: {exc}")
            continue
        seed = by_domain.setdefault(domain, Seed(domain))
        seed.lines.append(lineno)
        seed.entries.append(entry.strip())
        if source.strip() and source.strip() not in seed.sources:
            seed.sources.append(source.strip())
        for tag in (t.strip() for t in tags.replace(";", ",").split(",")):
            if tag and tag not in seed.tags:
                seed.tags.append(tag)
    return SeedList(list(by_domain.values()), warnings)


def decode_seeds(raw: bytes) -> str:
    """A seed file's text: UTF-8, or UTF-16/32 by their byte-order mark or, without one, by
    the NUL bytes every other character carries (Windows tools write UTF-16). Undecodable
    bytes are replaced, never fatal.

    Example:
        >>> decode_seeds("acme.com\n".encode("utf-16"))
        'acme.com\n'
    """
    for bom, codec in ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                       (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if raw.startswith(bom):
            return raw.decode(codec, errors="replace")
    sample = raw[:4000]
    if len(sample) >= 4 and sample.count(0) >= len(sample) // 3:
        even, odd = sample[0::2].count(0), sample[1::2].count(0)
        return raw.decode("utf-16-le" if odd > even else "utf-16-be", errors="replace")
    return raw.decode("utf-8-sig", errors="replace")


def read_seeds(path: str | Path) -> SeedList:
    """Read and parse a seed file."""
    path = Path(path)
    return parse_seeds(decode_seeds(path.read_bytes()), name=path.name)
