"""Value kinds of evidence: one module per kind, each registering one ``ValueKind``.

Every module in this package is imported by ``all_kinds()``, so adding a kind is adding one
file (and its weights in data/evidence.toml). Text similarity is pairwise, not a shared
value, and lives in analysis/textsim.py.
"""

from __future__ import annotations

import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from analysis.records import SiteFeatures


@dataclass(frozen=True)
class ValueKind:
    """A kind of value that links the sites sharing it.

    Attributes:
        name: the evidence kind as reports name it.
        label: a short human description.
        values: the site's values of this kind (common ones may be included).
        common: why a value is a common by the shipped list, or None.
    """

    name: str
    label: str
    values: Callable[[SiteFeatures], Iterable[str]]
    common: Callable[[str], str | None] = lambda value: None


_REGISTRY: dict[str, ValueKind] = {}


def register(kind: ValueKind) -> ValueKind:
    _REGISTRY[kind.name] = kind
    return kind


def all_kinds() -> dict[str, ValueKind]:
    """Every registered value kind, by name."""
    for info in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{info.name}")
    return dict(_REGISTRY)
