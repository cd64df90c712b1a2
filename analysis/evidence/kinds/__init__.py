"""Kinds of evidence: one module per kind, each registering what it extracts and how it links.

Every module in this package is imported by ``all_kinds()``, so adding a kind is adding one
file (and its weights in data/evidence.toml). A ``ValueKind`` links sites that share a value;
it may read pages (``page_values`` fills the feature ``feature``) or features other stages
filled (DNS, WHOIS, certificates). A ``PairKind`` only corroborates pairs that other
evidence already relates (creation dates close together). Text similarity is pairwise over
the whole corpus and lives in analysis/text/textsim.py.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace

from analysis.feature_table import FEATURES
from analysis.page import PageContext
from analysis.records import SiteFeatures


@dataclass(frozen=True)
class ValueKind:
    """A kind of value that links the sites sharing it.

    Attributes:
        name: the evidence kind as reports name it.
        label: a short human description.
        values: the site's linking values of this kind (common ones may be included).
        common: why a value is a common by the shipped list, or None.
        feature: the feature that ``page_values`` fills, if the kind reads pages.
        page_values: values found on one page.
        default_for: why a site's value is its provider's default (the DNS host's SOA
            contact, ...), judged with the site's other features; None when it is not.
        served: the values come from files the site served (as kinds that read pages do),
            so for a site read from a web archive they are the archive's, not today's.
        reads: the features (analysis/feature_table.py) ``values`` reads; a kind that reads
            pages reads the ``feature`` it fills.
    """

    name: str
    label: str
    values: Callable[[SiteFeatures], Iterable[str]]
    common: Callable[[str], str | None] = lambda value: None
    feature: str | None = None
    page_values: Callable[[PageContext], Iterable[str]] | None = None
    default_for: Callable[[SiteFeatures, str], str | None] | None = None
    served: bool = False
    reads: tuple[str, ...] = ()


@dataclass(frozen=True)
class PairKind:
    """Weak evidence judged per pair of sites, only for pairs other evidence relates.

    ``score(a, b, cfg)`` gives (weight, value shown in reports) or None.
    """

    name: str
    label: str
    score: Callable[[SiteFeatures, SiteFeatures, dict], tuple[float, str] | None]
    reads: tuple[str, ...] = ()


_VALUE_KINDS: dict[str, ValueKind] = {}
_PAIR_KINDS: dict[str, PairKind] = {}


def register(kind: ValueKind | PairKind) -> ValueKind | PairKind:
    """Add a kind; it must declare the features it reads: features of the table
    (analysis/feature_table.py), or the one it fills itself from pages (``feature``), so
    that adding a kind touches its own module and its weights only."""
    if isinstance(kind, ValueKind) and kind.feature and kind.feature not in kind.reads:
        kind = replace(kind, reads=(kind.feature, *kind.reads))
    own = getattr(kind, "feature", None)  # a kind that reads pages fills its own feature
    unknown = [f for f in kind.reads if f not in FEATURES and f != own]
    if not kind.reads or unknown:
        raise ValueError(f"evidence kind {kind.name} must declare the features it reads, from"
                         f" analysis/feature_table.py (unknown: {unknown})")
    registry = _PAIR_KINDS if isinstance(kind, PairKind) else _VALUE_KINDS
    registry[kind.name] = kind
    return kind


_LOADED: list[bool] = []


def _load() -> None:
    """Import every kind module, once (scanning the package for every site cost 10-26% of
    the features stage at 100k sites)."""
    if _LOADED:
        return
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
    _LOADED.append(True)


def all_kinds() -> dict[str, ValueKind]:
    """Every registered value kind, by name."""
    _load()
    return dict(_VALUE_KINDS)


def pair_kinds() -> dict[str, PairKind]:
    """Every registered pair kind, by name."""
    _load()
    return dict(_PAIR_KINDS)


def page_kinds() -> list[ValueKind]:
    """Value kinds that read pages."""
    return [k for k in all_kinds().values() if k.page_values is not None]


# Text similarity is pairwise over the corpus (analysis/text/textsim.py), not a ValueKind.
TEXT_KIND = "text_similarity"


def served_kinds() -> set[str]:
    """Kinds whose values come from what the sites served: pages and their files. For a
    site read from a web archive, these are from its captures; every other kind
    (registration, DNS, hosting, certificates) is as it answers now."""
    return {TEXT_KIND, *(k.name for k in all_kinds().values()
                         if k.served or k.page_values is not None)}


def values_of(feature: str) -> Callable[[SiteFeatures], list[str]]:
    """A ``values`` function that returns a feature's values unchanged."""
    return lambda site: site.all(feature)
