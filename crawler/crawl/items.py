"""What the spider hands to the store pipeline."""

from __future__ import annotations

from dataclasses import dataclass

from analysis.records import Asset, Page


@dataclass
class PageItem:
    site: str
    page: Page


@dataclass
class AssetItem:
    site: str
    asset: Asset


@dataclass
class SiteResult:
    """A site's outcome, emitted once its last request has finished."""

    site: str
    status: str
    message: str | None
    start_url: str | None
    redirects_to: str | None
