"""Registration dates close together: weak, and judged only for pairs other evidence relates
(a week holds thousands of registrations, so alone it means nothing)."""

from __future__ import annotations

from datetime import datetime

from analysis.evidence.kinds import PairKind, register


def _date(site) -> datetime | None:
    value = site.first("creation_date")
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)
    except ValueError:
        return None


def _score(a, b, cfg: dict) -> tuple[float, str] | None:
    da, db = _date(a), _date(b)
    if da is None or db is None:
        return None
    days = abs((da - db).total_seconds()) / 86400
    if days > cfg["within_days"]:
        return None
    return cfg["base"], f"registered {days:.1f} days apart ({da:%Y-%m-%d}, {db:%Y-%m-%d})"


register(PairKind(name="creation_date", label="registered within days", score=_score,
                   reads=("creation_date",)))
