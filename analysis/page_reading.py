"""What facade reads from one page, in a form that can be stored and reused.

Reading a page (parsing it, its main text, every page kind's values) is most of what
``facade cluster`` would cost at scale, and a page's reading depends only on the page: its
HTML, its URL, the site it belongs to, its depth (the start page is read for more) and its
headers. So each reading is stored once under a key made of those and of the reader's
version (``READING_VERSION``: facade's, trafilatura's and the page kinds'), and a later run,
a re-clustering or a week in which the page did not change reads it back instead of
re-reading the page. The reading also keeps the main text's shingle hashes, so the text
stage does not shingle unchanged pages again either.

Example:
    >>> html = "<html><title>Acme</title><body><p>Mail info@acme.com</p></body></html>"
    >>> reading = page_reading(html, "https://acme.com/", "acme.com", 0, {})
    >>> reading["title"], reading["values"]["emails"]
    ('Acme', ['info@acme.com'])
"""

from __future__ import annotations

import hashlib
import json
import sys
from dataclasses import dataclass, field
from importlib.metadata import PackageNotFoundError, version

import numpy as np

from analysis.evidence.kinds import page_kinds
from analysis.html import PageFacts, page_facts
from analysis.page import PageContext
from analysis.platforms import page_banner
from analysis.text.shingles import DEFAULT_K, shingle_hashes


def _version(package: str) -> str:
    try:
        return version(package)
    except PackageNotFoundError:
        return "?"


# Bump the last part when what a page gives changes without a version or kind changing.
READING_VERSION = "-".join([
    _version("facade"), _version("trafilatura"), _version("selectolax"),
    hashlib.blake2b(",".join(sorted(k.name for k in page_kinds())).encode(),
                    digest_size=4).hexdigest(), "r3"])
SHINGLE_K = DEFAULT_K  # the shingles kept with a reading; another k is shingled afresh


def add_values(values: dict[str, list[str]], kind: str, items) -> None:
    """Append each non-empty item to ``values[kind]`` once, as a string (interned: a value
    a hundred thousand sites hold is one string in memory, not a hundred thousand)."""
    for item in items:
        if item is None or item == "":
            continue
        item = sys.intern(str(item))
        bucket = values.setdefault(kind, [])
        if item not in bucket:
            bucket.append(item)


def error_line(url: str, step: str, exc: Exception) -> str:
    message = " ".join(str(exc).split())[:200]
    return f"{url}: {step}: {type(exc).__name__}: {message}"


@dataclass
class PageRead:
    """What facade reads from one page: its facts, every page kind's values by feature, and
    what failed (one line each; a failing extractor never stops the others)."""

    facts: PageFacts | None
    values: dict[str, list[str]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    context: PageContext | None = None


def read_page(html: str, url: str, site: str, depth: int = 0,
              headers: dict[str, str] | None = None) -> PageRead:
    """Read one page of ``site``: title, language, main text and every page kind's values."""
    reading = PageRead(facts=None)
    ctx = reading.context = PageContext(html, url, site, depth, headers or {})
    try:  # the page is parsed once, for the facts and every kind (main text: trafilatura's)
        reading.facts = page_facts(html, url, ctx.tree)
    except Exception as exc:  # one odd page never stops a run
        reading.errors.append(error_line(url, "page facts", exc))
    for kind in page_kinds():
        try:
            add_values(reading.values, kind.feature, kind.page_values(ctx))
        except Exception as exc:
            reading.errors.append(error_line(url, kind.name, exc))
    return reading


def start_page_view(reading: PageRead) -> dict:
    """The start page's generator, and its ``banner`` (seized, parked or None) as judged
    from what it shows a visitor: title, image alt texts, visible text."""
    try:
        tree = reading.context.tree
        generator: dict[str, list[str]] = {}
        add_values(generator, "g", [n.attributes.get("content") for n in
                                    tree.css('meta[name="generator" i][content]')])
        alts = " ".join(n.attributes.get("alt") or "" for n in tree.css("img[alt]"))
        title = reading.facts.title if reading.facts else ""
        visible = f"{title or ''} {alts} {reading.context.body_text}"[:5000]
        return {"generator": generator.get("g", []), "banner": page_banner(visible)}
    except Exception as exc:
        return {"generator": [], "banner": None,
                "error": error_line(reading.context.url, "start page", exc)}


def reading_key(digest: str, url: str, site: str, depth: int,
                headers: dict[str, str] | None) -> str:
    """The key a page's reading is stored under: everything the reading depends on."""
    parts = json.dumps([READING_VERSION, digest, url, site, depth, headers or {}],
                       sort_keys=True, ensure_ascii=False)
    return hashlib.blake2b(parts.encode("utf-8", "replace"), digest_size=16).hexdigest()


def page_reading(html: str, url: str, site: str, depth: int,
                 headers: dict[str, str] | None) -> dict:
    """One page read: ``values`` by feature, ``errors``, ``title``, ``language``, the main
    ``text``, and for the start page (depth 0) ``start``: its generator and what it shows a
    visitor (from which parking and seizure are judged). Never raises."""
    reading = read_page(html, url, site, depth, headers)
    facts = reading.facts
    out = {"values": reading.values, "errors": reading.errors,
           "title": facts.title if facts else None,
           "language": facts.language if facts else None,
           "text": facts.text if facts else ""}
    if depth == 0:
        out["start"] = start_page_view(reading)
    return out


def text_shingles(text: str) -> bytes:
    """The main text's shingle hashes (``SHINGLE_K`` words), as stored with a reading."""
    return shingle_hashes(text, k=SHINGLE_K).tobytes() if text else b""


def shingles_from(blob: bytes | None) -> np.ndarray:
    return np.frombuffer(blob or b"", dtype=np.uint32)
