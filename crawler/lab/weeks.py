"""The lab world a week later: the changes a weekly re-crawl's diff must show."""

from __future__ import annotations

from crawler.lab import text
from crawler.lab.builder import _Builder
from crawler.lab.model import LabSite


def _week_two(b: _Builder, world_sites: list[LabSite]) -> list[dict]:
    """Turn week 1 into week 2 and return the changes a diff must show."""
    changes: list[dict] = []
    by_kind = lambda kind: [s for s in world_sites if s.kind == kind and s.role == "seed"]  # noqa: E731
    # Two new fronts join the analytics family (same tracker IDs, text of their own).
    family = by_kind("analytics_id")
    for _ in range(2):
        site = b.new_site("en", family=family[0].family, kind="analytics_id")
        site.sentences = text.company_text("en", site.company, b.rng)
        site.analytics = list(family[0].analytics)
        changes.append({"change": "new_site", "domain": site.domain,
                        "cluster_of": family[0].domain})
    # The registrant-e-mail family moves to another hosting provider.
    for site in by_kind("registrant_email"):
        old = site.ip
        site.ip = b.ip("127.4" if not old.startswith("127.4") else "127.5")
        changes.append({"change": "hosting", "domain": site.domain, "before": old,
                        "after": site.ip})
    # A decoy is taken down.
    gone = next(s for s in world_sites if s.wordpress and s.expected_status == "ok"
                and not s.title_suffix)
    gone.dead, gone.expected_status = True, "unreachable"
    changes.append({"change": "taken_down", "domain": gone.domain})
    # A front changes its tracker ID.
    moved = next(s for s in by_kind("text_en") if s.analytics) if any(
        s.analytics for s in by_kind("text_en")) else by_kind("text_en")[0]
    before = list(moved.analytics)
    moved.analytics = [b.ga_id()]
    changes.append({"change": "tracker", "domain": moved.domain, "before": before,
                    "after": moved.analytics})
    return changes
