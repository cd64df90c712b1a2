"""The site's own social and freelancing profiles (LinkedIn, GitHub, Telegram, Upwork, ...).

Two rules keep other people's URLs out:
- the URL must have the shape of a profile on its platform: LinkedIn `/in/`, `/company/`,
  `/school/`; YouTube channels; Facebook pages and `profile.php?id=`; elsewhere a first path
  segment that is a handle and not one of the platform's own sections (share, intent,
  groups, showcase, playlist, hashtag, pricing, ...);
- the link must present the site's profile (an icon or "Follow us" in a header, footer or
  contact block), not mention someone in running text: a news article linking
  x.com/elonmusk, an embedded post, a quoted account. A link whose block holds more prose
  of its own than ``MENTION_WORDS`` words is a mention.

Handles listed in commons.toml (a theme's default links) are commons.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from analysis.commons import commons
from analysis.evidence.kinds import ValueKind, register, values_of
from analysis.page import PageContext

PLATFORMS = {
    "linkedin.com": "linkedin", "facebook.com": "facebook", "fb.com": "facebook",
    "twitter.com": "x", "x.com": "x", "github.com": "github", "t.me": "telegram",
    "telegram.me": "telegram", "instagram.com": "instagram", "youtube.com": "youtube",
    "upwork.com": "upwork", "freelancer.com": "freelancer", "vk.com": "vk",
    "weibo.com": "weibo", "behance.net": "behance", "dribbble.com": "dribbble",
    "clutch.co": "clutch",
}
# Where a platform's profiles live: a prefix segment followed by the handle.
_PREFIXED = {
    "linkedin": {"in", "company", "school"},
    "youtube": {"channel", "c", "user"},
    "upwork": {"freelancers", "agencies"},
    "freelancer": {"u"},
    "clutch": {"profile"},
    "github": {"orgs"},
}
# Platforms whose profiles are only under those prefixes.
_PREFIX_ONLY = {"linkedin", "youtube", "upwork", "clutch"}
# A platform's own sections, never a user's handle.
_SECTIONS = {
    "share", "sharer", "sharer.php", "share.php", "intent", "home", "home.php", "login",
    "signup", "join", "search", "hashtag", "hashtags", "watch", "embed", "plugins", "dialog",
    "tr", "legal", "policies", "privacy", "about", "help", "settings", "explore", "groups",
    "group", "events", "showcase", "playlist", "results", "feed", "shorts", "sharing",
    "cws", "shareArticle", "pulse", "posts", "jobs", "i", "status", "messages",
    "notifications", "tos", "marketplace", "gaming", "watchlist", "photo.php",
    "story.php", "permalink.php", "l.php", "media", "notes", "ads", "business", "p", "reel",
    "reels", "stories", "accounts", "tv", "direct", "features", "pricing", "enterprise",
    "security", "topics", "sponsors", "site", "contact", "collections", "trending",
    "customer-stories", "readme", "team", "mobile", "codespaces", "apps", "joinchat", "s",
    "addtoany", "webstore", "people", "dir", "directory", "public", "badges", "pages-manager",
}
_SEGMENT = re.compile(r"^[\w.@~-]{2,100}$")
MENTION_WORDS = 8
_BLOCKS = {"p", "li", "td", "dd", "blockquote", "figcaption", "h1", "h2", "h3", "h4", "h5",
           "h6", "article", "section", "div", "span", "footer", "header", "nav", "aside"}
_QUOTES = {"blockquote", "q", "cite"}


def profile(url: str) -> str | None:
    """``platform:handle`` for a profile URL, else None.

    Example:
        >>> profile("https://www.linkedin.com/company/Wang-Tech/about")
        'linkedin:company/wang-tech'
        >>> profile("https://www.linkedin.com/showcase/x") is None
        True
    """
    try:
        parts = urlsplit(url.strip())
        host = (parts.hostname or "").lower()
    except ValueError:
        return None
    host = host.removeprefix("www.").removeprefix("m.").removeprefix("mobile.")
    platform = PLATFORMS.get(host)
    if not platform:
        return None
    segments = [s for s in parts.path.split("/") if s]
    if platform == "facebook":
        segments = _facebook(segments, parts.query)
    if not segments:
        return None
    first = segments[0].lower()
    if first in _PREFIXED.get(platform, ()) and len(segments) > 1:
        handle = f"{first}/{segments[1].lower()}"
    elif platform in _PREFIX_ONLY and not (platform == "youtube" and first.startswith("@")):
        return None
    elif first in {s.lower() for s in _SECTIONS}:
        return None
    else:
        handle = first
    if not _SEGMENT.match(handle.replace("/", "")):
        return None
    return f"{platform}:{handle}"


def _facebook(segments: list[str], query: str) -> list[str]:
    """Facebook's older page forms reduced to the page's own name or number."""
    if not segments:
        return []
    first = segments[0].lower()
    if first == "profile.php":
        ids = parse_qs(query).get("id", [])
        return [f"id{ids[0]}"] if ids and ids[0].isdigit() else []
    if first == "pages" and len(segments) >= 3 and segments[-1].isdigit():
        return [segments[-1]]
    if first == "pg" and len(segments) >= 2:
        return [segments[1]]
    if first in ("pages", "pg", "people"):
        return []
    return segments


def _words(text: str) -> int:
    return len(text.split())


def is_mention(node) -> bool:
    """True when a link sits in running text or a quote rather than presenting a profile:
    the prose directly around it (its block's own text, not that of sibling blocks) is
    longer than ``MENTION_WORDS`` words."""
    parent = node.parent
    while parent is not None and parent.tag not in ("body", "html"):
        if parent.tag in _QUOTES:
            return True
        if parent.tag in _BLOCKS:
            return _words(parent.text(deep=False) or "") > MENTION_WORDS
        parent = parent.parent
    return False


def profiles(page: PageContext) -> list[str]:
    found: dict[str, None] = {}
    for node in page.tree.css("a[href]"):
        p = profile(node.attributes.get("href") or "")
        if p and not is_mention(node):
            found.setdefault(p, None)
    for node in page.tree.css("link[rel~=me][href]"):
        p = profile(node.attributes.get("href") or "")
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
