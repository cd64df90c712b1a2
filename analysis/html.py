"""Facts from one HTML page: title, language and links (selectolax), main text
(analysis/text/maintext.py).

Values that link sites (trackers, contacts, ...) are read by the evidence kinds in
analysis/kinds, each from the same page.

Example:
    >>> facts = page_facts("<html lang=en><title>Acme</title><p>Hello</p></html>")
    >>> facts.title, facts.language
    ('Acme', 'en')
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

from selectolax.lexbor import LexborHTMLParser

from analysis.text.maintext import main_text

_SCRIPTS = {
    "zh": re.compile(r"[\u4e00-\u9fff]"),
    "ja": re.compile(r"[\u3040-\u30ff]"),
    "ko": re.compile(r"[\uac00-\ud7af]"),
    "ru": re.compile(r"[\u0400-\u04ff]"),
}


@dataclass
class PageFacts:
    title: str | None = None
    language: str | None = None
    text: str = ""
    links: list[str] = field(default_factory=list)


def detect_language(text: str, declared: str | None) -> str | None:
    """The declared language's primary subtag, or a guess from the script of the text."""
    if declared:
        primary = declared.strip().lower().replace("_", "-").split("-")[0]
        if re.fullmatch(r"[a-z]{2,3}", primary):
            return primary
    sample = text[:2000]
    if not sample:
        return None
    counts = {lang: len(rx.findall(sample)) for lang, rx in _SCRIPTS.items()}
    if counts["ja"] > 0.05 * len(sample):
        return "ja"
    lang, count = max(counts.items(), key=lambda kv: kv[1])
    return lang if count > 0.2 * len(sample) else None


def page_links(tree: LexborHTMLParser, base_url: str) -> list[str]:
    """Absolute http(s) URLs of the page's <a href> links, fragments removed, de-duplicated."""
    out: dict[str, None] = {}
    for node in tree.css("a[href]"):
        href = (node.attributes.get("href") or "").strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
            continue
        try:
            url = urljoin(base_url, href).split("#", 1)[0]
            scheme = urlsplit(url).scheme
        except ValueError:
            continue
        if scheme in ("http", "https"):
            out.setdefault(url, None)
    return list(out)


def page_facts(html: str, base_url: str = "", tree: LexborHTMLParser | None = None
               ) -> PageFacts:
    """Everything facade reads from one page (``tree``: the page already parsed)."""
    tree = tree if tree is not None else LexborHTMLParser(html)
    title_node = tree.css_first("title")
    title = re.sub(r"\s+", " ", title_node.text()).strip() if title_node else None
    html_node = tree.css_first("html")
    declared = html_node.attributes.get("lang") if html_node else None
    links = page_links(tree, base_url) if base_url else []
    text = main_text(html, base_url)
    return PageFacts(title=title or None, language=detect_language(text, declared), text=text,
                     links=links)
