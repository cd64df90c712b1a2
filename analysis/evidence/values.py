"""Evidence: values shared between sites, weighed by kind and by rarity.

A value shared by two sites weighs its kind's ``base``; the weight falls as more sites share
it, and a value shared by more sites than its kind's limit (or on the shipped commons list)
is a common: it is kept, so reports can say what was ignored, but weighs nothing.

Example:
    >>> from analysis.config import default_config
    >>> from analysis.records import SiteFeatures
    >>> sites = [SiteFeatures(d, "ok", values={"analytics_ids": ["G-ABCDEF1234"]})
    ...          for d in ("a.com", "b.com")]
    >>> [(e.kind, e.value, e.domains) for e in shared_evidence(sites, default_config())]
    [('analytics_id', 'G-ABCDEF1234', ['a.com', 'b.com'])]
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field

from analysis.config import ConfigError
from analysis.evidence.kinds import all_kinds
from analysis.records import SiteFeatures


@dataclass
class Evidence:
    """One piece of evidence: a value of one kind shared by ``domains``."""

    kind: str
    value: str
    domains: list[str]
    weight: float
    strength: str
    reason: str = ""
    common: str | None = None
    details: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        out = asdict(self)
        if not out["details"]:
            del out["details"]
        return out


def value_weight(kind_cfg: dict, shared_by: int, total_sites: int) -> tuple[float, str | None]:
    """(weight, None) for a value shared by ``shared_by`` sites, or (0, reason) for a common."""
    limit = kind_cfg["common_at"]
    if shared_by > limit:
        return 0.0, (f"shared by {shared_by} of {total_sites} sites (more than {limit}):"
                     " infrastructure")
    base, floor = kind_cfg["base"], kind_cfg["floor"]
    if shared_by <= 2 or limit <= 2:
        return base, None
    fall = (shared_by - 2) / (limit - 2)
    return round(base * (1 - (1 - floor) * fall), 4), None


def _platforms_own(platforms: set[str | None]) -> str | None:
    """Why a page value is a hosting platform's: every site holding it is on that platform."""
    if len(platforms) == 1 and None not in platforms:
        return f"only sites hosted on {next(iter(platforms))} share it: the platform's own"
    return None


def shared_evidence(sites: list[SiteFeatures], config: dict) -> list[Evidence]:
    """Every value of every registered kind that two or more of ``sites`` share."""
    kinds = all_kinds()
    total = len(sites)
    out: list[Evidence] = []
    for name, kind in sorted(kinds.items()):
        kind_cfg = kind_weights(config, name)
        holders: dict[str, set[str]] = defaultdict(set)
        defaults: dict[str, str] = {}
        platforms: dict[str, set[str | None]] = defaultdict(set)
        for site in sites:
            for value in kind.values(site):
                if not value:
                    continue
                holders[value].add(site.domain)
                if kind.default_for is not None and value not in defaults:
                    why = kind.default_for(site, value)
                    if why:
                        defaults[value] = why
                if kind.page_values is not None:
                    platforms[value].add(site.first("platform"))
        for value in sorted(v for v, held in holders.items() if len(held) > 1):
            out.append(value_evidence(name, kind_cfg, value, sorted(holders[value]),
                                      defaults.get(value), platforms[value], total))
    return out


def kind_weights(config: dict, name: str) -> dict:
    kind_cfg = config["kinds"].get(name)
    if kind_cfg is None:
        raise ConfigError(f"kinds.{name}: the evidence kind has no weights")
    return kind_cfg


def value_rows(site: SiteFeatures) -> Iterator[tuple[str, str, str | None, str | None]]:
    """(kind, value, why it is the site's provider's default or None, the site's platform)
    of each linking value of one site: what ``shared_evidence`` gathers per site, for an
    engine that groups them elsewhere (crawler/spark/). The platform is None for kinds that
    read no pages, and "" for a site of a page kind on no known platform."""
    for name, kind in sorted(all_kinds().items()):
        for value in kind.values(site):
            if not value:
                continue
            why = kind.default_for(site, value) if kind.default_for is not None else None
            platform = (site.first("platform") or "") if kind.page_values is not None else None
            yield name, value, why or None, platform


def value_evidence(name: str, kind_cfg: dict, value: str, domains: list[str],
                   default: str | None, platforms: set[str | None], total: int) -> Evidence:
    """The evidence of one value that ``domains`` (sorted, two or more) share, in a run of
    ``total`` sites; ``default``: why it is a provider's default, by its first holder that
    says so; ``platforms``: its holders' platforms (empty for kinds that read no pages)."""
    kind = all_kinds()[name]
    listed = kind.common(value) or default or _platforms_own(platforms)
    weight, rare_reason = value_weight(kind_cfg, len(domains), total)
    common = listed or rare_reason
    reason = f"{kind.label}, shared by {len(domains)} sites"
    return Evidence(
        kind=name, value=value, domains=domains,
        weight=0.0 if common else weight, strength=kind_cfg["strength"],
        reason=reason if not common else f"{kind.label}; ignored: {common}",
        common=common,
    )
