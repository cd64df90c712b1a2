"""What a page-level extractor sees: one parsed page of a site."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property

from selectolax.lexbor import LexborHTMLParser


@dataclass
class PageContext:
    """One page of a site, parsed once for every extractor (extractors must not mutate it)."""

    html: str
    url: str
    site: str
    depth: int = 0
    headers: dict[str, str] = field(default_factory=dict)

    @cached_property
    def tree(self) -> LexborHTMLParser:
        return LexborHTMLParser(self.html)

    @cached_property
    def body_text(self) -> str:
        """All visible text, footer and contact blocks included (scripts and styles dropped)."""
        try:
            tree = self.tree.clone()  # a copy to strip, not a second parse
        except Exception:  # noqa: BLE001 - lexbor refuses to clone some documents
            tree = LexborHTMLParser(self.html)
        tree.strip_tags(["script", "style", "noscript", "template"])
        root = tree.body or tree.root
        if root is None:
            return ""
        return re.sub(r"\s+", " ", root.text(separator=" ", strip=True))

    @cached_property
    def json_ld(self) -> list:
        """Every JSON-LD object on the page (arrays and @graph flattened); bad JSON skipped."""
        out: list = []

        def walk(obj) -> None:
            if isinstance(obj, list):
                for item in obj:
                    walk(item)
            elif isinstance(obj, dict):
                out.append(obj)
                for value in obj.values():
                    if isinstance(value, dict | list):
                        walk(value)

        for node in self.tree.css('script[type="application/ld+json"]'):
            try:
                walk(json.loads(node.text() or "null"))
            except (ValueError, RecursionError):
                continue
        return out

    def hrefs(self) -> list[str]:
        return [n.attributes.get("href") or "" for n in self.tree.css("a[href], link[href]")]
