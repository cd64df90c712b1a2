"""IP-to-ASN tables given with --asn-db: iptoasn TSV (plain or .gz) or MaxMind .mmdb.

Example:
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "ip2asn.tsv")
    >>> _ = open(path, "w").write("1.0.0.0\\t1.0.0.255\\t13335\\tUS\\tCLOUDFLARENET\\n")
    >>> AsnDb.open(path).lookup("1.0.0.1")
    {'asn': 13335, 'org': 'CLOUDFLARENET'}
"""

from __future__ import annotations

import bisect
import gzip
import ipaddress
from pathlib import Path


class AsnDbError(ValueError):
    """The table cannot be read; the message says why."""


class AsnDb:
    def __init__(self, ranges=None, reader=None):
        self._ranges = ranges or {4: ([], []), 6: ([], [])}  # version -> (starts, rows)
        self._reader = reader

    @classmethod
    def open(cls, path: str | Path) -> AsnDb:
        path = Path(path)
        if not path.is_file():
            raise AsnDbError(f"ASN table not found: {path}")
        if path.suffix == ".mmdb":
            import maxminddb

            try:
                return cls(reader=maxminddb.open_database(str(path)))
            except (maxminddb.InvalidDatabaseError, OSError, ValueError) as exc:
                raise AsnDbError(f"{path}: not a MaxMind database ({exc})") from None
        return cls(ranges=cls._read_tsv(path))

    @staticmethod
    def _read_tsv(path: Path):
        opener = gzip.open if path.suffix == ".gz" else open
        rows: dict[int, list] = {4: [], 6: []}
        try:
            with opener(path, "rt", encoding="utf-8", errors="replace") as fh:
                for line in fh:
                    parts = line.rstrip("\n").split("\t")
                    if len(parts) < 5 or line.startswith("#"):
                        continue
                    try:
                        start, end = ipaddress.ip_address(parts[0]), ipaddress.ip_address(parts[1])
                        asn = int(parts[2])
                    except ValueError:
                        continue
                    if asn:
                        rows[start.version].append((int(start), int(end), asn, parts[4]))
        except (OSError, EOFError) as exc:
            raise AsnDbError(f"{path}: {exc}") from None
        if not rows[4] and not rows[6]:
            raise AsnDbError(f"{path}: no iptoasn rows (start, end, AS, country, name)")
        out = {}
        for version, items in rows.items():
            items.sort()
            out[version] = ([r[0] for r in items], items)
        return out

    def lookup(self, ip: str) -> dict | None:
        """{"asn", "org"} of the network holding ``ip``, or None."""
        try:
            addr = ipaddress.ip_address(ip)
        except ValueError:
            return None
        if self._reader is not None:
            record = self._reader.get(ip)
            if not record or not record.get("autonomous_system_number"):
                return None
            return {"asn": int(record["autonomous_system_number"]),
                    "org": record.get("autonomous_system_organization")}
        starts, rows = self._ranges[addr.version]
        i = bisect.bisect_right(starts, int(addr)) - 1
        if i >= 0 and rows[i][0] <= int(addr) <= rows[i][1]:
            return {"asn": rows[i][2], "org": rows[i][3]}
        return None
