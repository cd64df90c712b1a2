"""Seed lists (SPEC §4): plain lines or CSV, normalised to registrable domains and merged.

Entries are read as threat reports publish them: defanged forms (``hxxps://``, ``[.]``,
``(.)``, ``[dot]``, ``[:]``) are refanged by ioc-fanger, and a ``*.`` wildcard names its
domain. A CSV's delimiter (comma, semicolon, tab, bar) is sniffed from its header. A file
with no usable line (empty, binary, a CSV without a domain column, only bad entries) is
refused with one line saying what was found (``SeedError``).
"""

from __future__ import annotations

import codecs
import csv
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import ioc_fanger

from analysis.domains import InvalidHost, registrable_domain

# Column names that hold the site, in the order preferred: facade's own, then the names of
# common indicator exports (MISP and OpenCTI "value", urlscan "page.domain" is "domain").
DOMAIN_COLUMNS = ("domain", "url", "host", "hostname", "fqdn", "website", "site",
                  "domain_name", "indicator", "ioc", "value")
DELIMITERS = ",;\t|"


class SeedError(ValueError):
    """A seed file facade cannot use at all; the message says what was found in it."""


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
    text = refang(entry.strip())
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
    return registrable_domain(host.removeprefix("*."))


def refang(entry: str) -> str:
    """An indicator as published (``hxxps://acme[.]com``) as it is meant (``https://acme.com``).

    Example:
        >>> refang("hxxps://silverwavedev[.]tech"), refang("acme(dot)com")
        ('https://silverwavedev.tech', 'acme.com')
    """
    if not any(mark in entry for mark in ("[", "(", "{", "xx", "XX", "Xx", "xX")):
        return entry
    return ioc_fanger.fang(entry)


def _header(line: str) -> tuple[list[str], str] | None:
    """The column names and delimiter when ``line`` is a CSV header (two or more columns,
    none of them a host), else None."""
    for delimiter in DELIMITERS:
        if delimiter not in line:
            continue
        try:
            names = [h.strip().lower() for h in next(csv.reader([line], delimiter=delimiter))]
        except (csv.Error, StopIteration):  # a field past csv's size limit: not a header
            continue
        if len(names) < 2:
            continue
        if any(_is_host(n) for n in names):
            return None
        return names, delimiter
    return None


def _is_host(text: str) -> bool:
    try:
        normalise_entry(text)
    except InvalidHost:
        return False
    return True


def _rows(text: str, name: str) -> tuple[list[tuple[int, str, str, str]], bool]:
    """(line number, entry, source, tags) rows, and whether the file was a CSV."""
    lines = text.splitlines()
    first = next(
        ((i, ln) for i, ln in enumerate(lines) if ln.strip() and not ln.lstrip().startswith("#")),
        None,
    )
    header = _header(first[1]) if first is not None else None
    if header is None:
        rows = []
        for lineno, line in enumerate(lines, start=1):
            entry = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
            if entry:
                rows.append((lineno, entry, "", ""))
        return rows, False
    names, delimiter = header
    key = next((c for c in DOMAIN_COLUMNS if c in names), None)
    if key is None:
        shown = ", ".join(repr(n[:40]) for n in names[:12])
        raise SeedError(f"{name}: a CSV file (delimiter {delimiter!r}) whose columns are"
                        f" {shown}: none of them is {' or '.join(DOMAIN_COLUMNS[:2])}"
                        f" (also read: {', '.join(DOMAIN_COLUMNS[2:])})")
    rows = []
    for offset, line in enumerate(lines[first[0] + 1:]):
        lineno = first[0] + 2 + offset
        try:  # one row a line: a quote left open cannot swallow the rest of the file
            values = next(csv.reader([line], delimiter=delimiter), [])
        except csv.Error:  # a field past csv's size limit, a stray NUL
            values = [line[:200]]
        if not values or not any(v.strip() for v in values):
            continue
        if values[0].lstrip().startswith("#"):
            continue
        record = dict(zip(names, values, strict=False))
        rows.append((lineno, record.get(key, ""), record.get("source", ""),
                     record.get("tags", "")))
    return rows, True


def parse_seeds(text: str, name: str = "seeds", raw: bytes = b"") -> SeedList:
    """Parse a seed file's text into merged, normalised seeds and line-numbered warnings.

    Example:
        >>> parse_seeds("shop.example.co.uk\\nhttps://www.example.co.uk/about\\n").seeds[0].domain
        'example.co.uk'
    """
    _refuse_binary(text, name, raw[:16])
    rows, is_csv = _rows(text, name)
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
    if not by_domain:
        raise SeedError(_nothing_usable(name, rows, warnings, is_csv))
    return SeedList(list(by_domain.values()), warnings)


def _nothing_usable(name: str, rows: list, warnings: list[str], is_csv: bool) -> str:
    if not rows:
        what = "no data rows under its header" if is_csv else "only blank lines and comments"
        return f"{name}: no seed in it ({what})"
    first = warnings[0].split(": skipped ", 1)[-1] if warnings else ""
    return (f"{name}: none of its {len(rows)} entries is a domain or URL"
            f" (the first: {first[:120]})")


MAGIC = {b"PK\x03\x04": "a ZIP file (an .xlsx or .docx?)", b"%PDF": "a PDF",
         b"\xd0\xcf\x11\xe0": "an old Office file (.xls?)", b"\x1f\x8b": "a gzip file",
         b"\x89PNG": "a PNG image", b"\xff\xd8\xff": "a JPEG image",
         b"SQLite format 3": "an SQLite database"}


def _refuse_binary(text: str, name: str, raw: bytes = b"") -> None:
    """One line for a file that is not text (a spreadsheet, an archive, an image): its
    lines would each be a garbled warning."""
    for magic, kind in MAGIC.items():
        if raw.startswith(magic):
            raise SeedError(f"{name}: not a text file ({kind}); a seed file has one domain"
                            " or URL a line, or is a CSV with a domain column")
    sample = text[:4096]
    if not sample:
        return
    odd = sum(1 for ch in sample if ch == "\ufffd" or (ord(ch) < 32 and ch not in "\t\r\n"))
    # A text file with a few bad bytes is still a seed list; binary data decodes to NULs,
    # controls and replacement characters throughout.
    if "\x00" in sample or odd > len(sample) * 0.25:
        raise SeedError(f"{name}: not a text file (binary data); a seed file has one domain or URL"
                        " a line, or is a CSV with a domain column")


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
    raw = path.read_bytes()
    return parse_seeds(decode_seeds(raw), name=path.name, raw=raw)
