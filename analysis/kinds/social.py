"""Links to social and freelancing profiles (LinkedIn, GitHub, Telegram, Upwork, ...).

Share buttons and a platform's own pages are not profiles; handles listed in
commons.toml (a theme's default links) are commons.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from analysis.commons import commons
from analysis.kinds import ValueKind, register, values_of
from analysis.page import PageContext

PLATFORMS = {
    "linkedin.com": "linkedin", "facebook.com": "facebook", "fb.com": "facebook",
    "twitter.com": "x", "x.com": "x", "github.com": "github", "t.me": "telegram",
    "telegram.me": "telegram", "instagram.com": "instagram", "youtube.com": "youtube",
    "upwork.com": "upwork", "freelancer.com": "freelancer", "vk.com": "vk",
    "weibo.com": "weibo", "behance.net": "behance", "dribbble.com": "dribbble",
    "clutch.co": "clutch",
}
_NOT_PROFILES = {"share", "sharer", "sharer.php", "intent", "home", "login", "signup",
                 "search", "hashtag", "watch", "embed", "plugins", "dialog", "tr", "legal",
                 "policies", "privacy", "about", "help", "settings", "explore"}
_SEGMENT = re.compile(r"^[\w.@~-]{2,100}$")


def profile(url: str) -> str | None:
    """``platform:handle`` for a profile URL, else None."""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    host = (parts.hostname or "").lower().removeprefix("www.").removeprefix("m.")
    platform = PLATFORMS.get(host)
    if not platform:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if segments and segments[0] in ("company", "in", "school", "freelancers", "u", "c",
                                    "channel", "user", "orgs") and len(segments) > 1:
        segments = [f"{segments[0]}/{segments[1]}"]
    if not segments or segments[0].lower() in _NOT_PROFILES:
        return None
    handle = segments[0].lower()
    if not _SEGMENT.match(handle.replace("/", "")):
        return None
    return f"{platform}:{handle}"


def profiles(page: PageContext) -> list[str]:
    found: dict[str, None] = {}
    for href in page.hrefs():
        p = profile(href)
        if p:
            found.setdefault(p, None)
    return list(found)


def _common(value: str) -> str | None:
    if value in commons()["social"]["generic_profiles"]:
        return "a platform's or theme's default profile (commons list)"
    return None


register(ValueKind(
    name="social",
    label="same social or freelancing profile",
    values=values_of("social"),
    common=_common,
    feature="social",
    page_values=profiles,
))
