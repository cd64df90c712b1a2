"""A run's compared sites as Parquet, what the Spark stages read: a batch at a time, as the
features stage makes them.

- ``units/``: per site (its index among the compared sites, in domain order), its whole
  text's shingle hashes and, for a site of several pages, each page's (uint32, as bytes).
- ``values/``: per site, each linking value of each kind, with why it is its provider's
  default and the site's platform (analysis/evidence/values.py: ``value_rows``).
- ``sites/``: per site, its feature values as JSON (pair kinds judge pairs by them).

Example:
    >>> export = ParquetExport(folder)                  # doctest: +SKIP
    >>> export.add(site, whole, pages)                  # doctest: +SKIP
    >>> export.close()                                  # doctest: +SKIP
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from analysis.evidence.values import value_rows
from analysis.records import SiteFeatures

FLUSH_ROWS = 20_000


class ParquetExport:
    def __init__(self, folder: str | Path):
        import pyarrow as pa

        self.folder = Path(folder)
        self.schemas = {
            "units": pa.schema([("site", pa.int32()), ("domain", pa.string()),
                                ("whole", pa.binary()), ("pages", pa.list_(pa.binary()))]),
            "values": pa.schema([("kind", pa.string()), ("value", pa.string()),
                                 ("site", pa.int32()), ("domain", pa.string()),
                                 ("default", pa.string()), ("platform", pa.string())]),
            "sites": pa.schema([("site", pa.int32()), ("domain", pa.string()),
                                ("values", pa.string())]),
        }
        self.rows: dict[str, list[dict]] = {name: [] for name in self.schemas}
        self.parts = 0
        self.sites = 0  # the next site's index
        for name in self.schemas:
            (self.folder / name).mkdir(parents=True, exist_ok=True)

    def add(self, site: SiteFeatures, whole: np.ndarray, pages: list[np.ndarray]) -> None:
        """One compared site (in domain order), its whole text's and pages' shingles."""
        index = self.sites
        self.sites += 1
        self.rows["units"].append({
            "site": index, "domain": site.domain, "whole": whole.astype(np.uint32).tobytes(),
            "pages": [p.astype(np.uint32).tobytes() for p in pages]})
        self.rows["values"] += [{"kind": kind, "value": value, "site": index,
                                 "domain": site.domain, "default": why, "platform": platform}
                                for kind, value, why, platform in value_rows(site)]
        self.rows["sites"].append({"site": index, "domain": site.domain,
                                   "values": json.dumps(site.values)})
        if len(self.rows["values"]) >= FLUSH_ROWS or len(self.rows["units"]) >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        if not self.rows["units"]:
            return
        for name, rows in self.rows.items():
            table = pa.Table.from_pylist(rows, schema=self.schemas[name])
            pq.write_table(table, self.folder / name / f"part-{self.parts:05d}.parquet")
            self.rows[name] = []
        self.parts += 1

    def close(self) -> None:
        self.flush()
        if not self.parts:  # an empty run: empty tables, so that Spark reads a schema
            import pyarrow as pa
            import pyarrow.parquet as pq

            for name, schema in self.schemas.items():
                pq.write_table(pa.Table.from_pylist([], schema=schema),
                               self.folder / name / "part-00000.parquet")


def as_hashes(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.uint32)
