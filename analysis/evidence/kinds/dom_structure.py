"""DOM structure of the start page: the set of tag paths (to depth 8), hashed. Weak: a theme
or site builder gives many unrelated sites one structure, which rarity then makes common."""

from __future__ import annotations

import hashlib

from analysis.evidence.kinds import ValueKind, register, values_of
from analysis.page import PageContext

MAX_DEPTH = 8


def dom_hash(page: PageContext) -> list[str]:
    if page.depth != 0 or page.tree.root is None:
        return []
    paths: set[str] = set()
    stack = [(page.tree.root, "")]
    while stack:
        node, prefix = stack.pop()
        tag = node.tag or ""
        if tag.startswith("-"):  # text, comment
            continue
        path = f"{prefix}/{tag}"
        paths.add(path)
        if path.count("/") < MAX_DEPTH:
            child = node.child
            while child is not None:
                stack.append((child, path))
                child = child.next
    if len(paths) < 8:
        return []
    return ["dom:" + hashlib.sha256("\n".join(sorted(paths)).encode()).hexdigest()[:20]]


register(ValueKind(
    name="dom_structure",
    label="same page structure",
    values=values_of("dom_hash"),
    feature="dom_hash",
    page_values=dom_hash,
))
