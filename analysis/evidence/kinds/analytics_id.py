"""Analytics and ad account IDs: an operator's accounts, reused across its sites.

Google Analytics (UA-, G-), Tag Manager (GTM-), AdSense (ca-pub-), Facebook pixel, Yandex
Metrica, Hotjar, Baidu Tongji, and Matomo site ids on a custom host (host and id together).
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from analysis.evidence.kinds import ValueKind, register, values_of
from analysis.page import PageContext

PATTERNS: list[tuple[re.Pattern, str]] = [
    (re.compile(r"\bUA-\d{4,10}-\d{1,4}\b"), "{0}"),
    (re.compile(r"\bG-[A-Z0-9]{8,12}\b"), "{0}"),
    (re.compile(r"\bGTM-[A-Z0-9]{4,9}\b"), "{0}"),
    (re.compile(r"\bca-pub-\d{10,20}\b"), "{0}"),
    (re.compile(r"""fbq\(\s*['"]init['"]\s*,\s*['"](\d{10,20})['"]"""), "fb-pixel:{1}"),
    (re.compile(r"facebook\.com/tr\?id=(\d{10,20})"), "fb-pixel:{1}"),
    (re.compile(r"""\bym\(\s*(\d{5,12})\s*,\s*['"]init['"]"""), "yandex-metrica:{1}"),
    (re.compile(r"mc\.yandex\.ru/watch/(\d{5,12})"), "yandex-metrica:{1}"),
    (re.compile(r"\bhjid\s*:\s*(\d{5,10})"), "hotjar:{1}"),
    (re.compile(r"static\.hotjar\.com/c/hotjar-(\d{5,10})\.js"), "hotjar:{1}"),
    (re.compile(r"hm\.baidu\.com/hm\.js\?([0-9a-f]{32})"), "baidu-tongji:{1}"),
]
_MATOMO_ID = re.compile(r"""setSiteId['"]\s*,\s*['"]?(\d{1,6})""")
_MATOMO_HOST = re.compile(
    r"""(?:var\s+u\s*=|setTrackerUrl['"]\s*,)\s*["']((?:https?:)?//[^"'/\s]+)""")
_HOSTED_MATOMO = (".matomo.cloud", ".innocraft.cloud")


def trackers(html: str) -> list[str]:
    """Tracker and ad IDs anywhere in the page source, in order of first appearance."""
    found: dict[str, None] = {}
    for rx, fmt in PATTERNS:
        for m in rx.finditer(html):
            found.setdefault(fmt.format(m.group(0), *m.groups()), None)
    site_id, host = _MATOMO_ID.search(html), _MATOMO_HOST.search(html)
    if site_id and host:
        name = (urlsplit(host.group(1) if "://" in host.group(1) else "http:" + host.group(1))
                .hostname or "")
        if name and not name.endswith(_HOSTED_MATOMO):
            found.setdefault(f"matomo:{name}:{site_id.group(1)}", None)
    return list(found)


def _page_values(page: PageContext) -> list[str]:
    return trackers(page.html)


register(ValueKind(
    name="analytics_id",
    label="same analytics or ad account ID",
    values=values_of("analytics_ids"),
    feature="analytics_ids",
    page_values=_page_values,
))
