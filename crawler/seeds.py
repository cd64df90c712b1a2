"""Seed lists (SPEC §4): plain lines or CSV, normalised to registrable domains and merged."""

from __future__ import annotations

import csv
import io
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
        header = [h.strip().lower() for h in next(csv.reader([first[1]]))]
        if len(header) > 1 and ("domain" in header or "url" in header):
            key = "domain" if "domain" in header else "url"
            rows = []
            reader = csv.reader(io.StringIO("\n".join(lines[first[0] + 1 :])))
            for offset, values in enumerate(reader):
                lineno = first[0] + 2 + offset
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


def read_seeds(path: str | Path) -> SeedList:
    """Read and parse a seed file (UTF-8; undecodable bytes are replaced, never fatal)."""
    path = Path(path)
    text = path.read_bytes().decode("utf-8-sig", errors="replace")
    return parse_seeds(text, name=path.name)
