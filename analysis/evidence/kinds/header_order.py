"""HTTP response header order of the start page: a fingerprint of the server stack. Weak."""

from __future__ import annotations

import hashlib

from analysis.evidence.kinds import ValueKind, register, values_of
from analysis.page import PageContext

_VOLATILE = {"date", "content-length", "age", "expires", "last-modified", "etag",
             "x-request-id", "cf-ray", "set-cookie", "transfer-encoding"}


def header_order(page: PageContext) -> list[str]:
    if page.depth != 0 or not page.headers:
        return []
    names = [n.lower() for n in page.headers if n.lower() not in _VOLATILE]
    if len(names) < 2:
        return []
    return ["hdr:" + hashlib.sha256(",".join(names).encode()).hexdigest()[:16]]


register(ValueKind(
    name="header_order",
    label="same HTTP header order",
    values=values_of("header_order"),
    feature="header_order",
    page_values=header_order,
))
