"""Benchmark: registration and hosting fields facade keeps from real registry answers.

WHOIS: every answer in ../shared/realworld/whois/raw. Registrar and dates are compared with
python-whois's expected files (``expected/``, the values its own tests assert); registrant
values are compared with what python-whois's parser finds in the same answer under any of
its per-TLD keys (``registrant_name``, ``registrant_organization``, ``org``, ...).

RDAP: every domain and ip network object in ../shared/realworld/rdap, through facade's RDAP
parsers: how many give a registrar, dates, registrant fields, name servers; and for ip
networks an organisation (not the network's name) and an ASN.

    .venv/bin/python bench/registry_bench.py
"""

from __future__ import annotations

import json
import re
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
REAL = ROOT.parent / "shared" / "realworld"

REGISTRANT = {  # facade field -> python-whois keys that hold it (first found wins)
    "registrant_name": ("registrant_name", "name"),
    "registrant_org": ("registrant_organization", "registrant_org", "org"),
    "registrant_email": ("registrant_email",),
    "registrant_country": ("registrant_country", "country"),
}


def _same_day(a, b) -> bool:
    if not a or not b:
        return not a and not b
    a = a[0] if isinstance(a, list) else a
    b = b[0] if isinstance(b, list) else b
    try:
        return datetime.fromisoformat(str(a)).date() == datetime.fromisoformat(str(b)).date()
    except ValueError:
        return str(a)[:10] == str(b)[:10]


def _text(value) -> str:
    value = value[0] if isinstance(value, list) and value else value
    return " ".join(str(value or "").split()).lower()


def whois_table() -> list[tuple[str, int, int]]:
    from whois.parser import WhoisEntry

    from crawler.enrich.whois import WhoisFailure, parse_domain

    rows: dict[str, list[int]] = {}

    def count(field: str, have: bool, kept: bool) -> None:
        row = rows.setdefault(field, [0, 0])
        row[0] += have
        row[1] += have and kept

    for raw in sorted((REAL / "whois" / "raw").iterdir()):
        text = raw.read_text(encoding="utf-8", errors="replace")
        expected = json.loads((REAL / "whois" / "expected" / raw.name).read_text())
        try:
            ours = parse_domain(raw.name, text)
        except WhoisFailure:
            ours = {}
        count("registrar", bool(expected.get("registrar")),
              _text(ours.get("registrar")) == _text(expected.get("registrar")))
        for field in ("creation_date", "expiration_date"):
            count(field, bool(expected.get(field)), _same_day(ours.get(field),
                                                                expected.get(field)))
        try:
            entry = WhoisEntry.load(raw.name, text)
        except Exception:  # noqa: BLE001 - python-whois itself failed on this answer
            entry = {}
        for field, keys in REGISTRANT.items():
            found = next((entry.get(k) for k in keys if entry.get(k)), None)
            if field == "registrant_email" and found and "@" not in str(found):
                count("registrant_email (text, no address)", True, not ours.get(field))
            elif found:
                count(field, True, bool(ours.get(field)))
    return [(field, have, kept) for field, (have, kept) in rows.items()]


def rdap_objects() -> list[tuple[Path, dict]]:
    out = []
    for path in sorted((REAL / "rdap").rglob("*")):
        if not path.is_file() or path.suffix in (".pem", ".key", ".html", ".yml"):
            continue
        try:
            data = json.loads(path.read_text(encoding="utf-8", errors="replace"))
        except ValueError:
            continue
        answers = [data]
        if isinstance(data, dict) and all(isinstance(v, dict) and "response" in v
                                          for v in data.values()):
            answers = [v["response"] for v in data.values()]  # ipwhois: address -> answer
        for answer in answers:
            if isinstance(answer, dict) and answer.get("objectClassName") in ("domain",
                                                                              "ip network"):
                out.append((path, answer))
    return out


def rdap_table() -> list[tuple[str, int, int]]:
    from crawler.enrich.rdap import RDAPFailure, parse_domain, parse_ip

    rows: dict[str, list[int]] = {}
    for _path, obj in rdap_objects():
        try:
            if obj["objectClassName"] == "domain":
                fields = parse_domain(obj)
                keys = ("registrar", "creation_date", "expiration_date", "registrant_name",
                        "registrant_org", "registrant_email", "registrant_country",
                        "name_servers")
                prefix = "domain"
            else:
                fields = parse_ip(obj)
                org = fields.get("org") or ""
                # A holder's name, not a handle or a network name (SWITCH-LAN, ORG-TA38-...)
                fields["org naming the holder"] = bool(org) and not re.fullmatch(
                    r"[A-Z0-9]+(?:-[A-Z0-9]+)+", org)
                keys = ("org naming the holder", "asn")
                prefix = "ip"
        except RDAPFailure:
            fields, keys = {}, ()
            prefix = "domain" if obj["objectClassName"] == "domain" else "ip"
        row = rows.setdefault(f"{prefix}: answers", [0, 0])
        row[0] += 1
        row[1] += bool(fields)
        for key in keys:
            row = rows.setdefault(f"{prefix}: {key}", [0, 0])
            row[0] += 1
            row[1] += bool(fields.get(key))
    return [(field, total, kept) for field, (total, kept) in rows.items()]


def main() -> None:
    print("WHOIS (../shared/realworld/whois): answers with the value, and kept by facade")
    print(f"{'field':28s} {'have':>5s} {'kept':>5s} {'share':>6s}")
    for field, have, kept in whois_table():
        print(f"{field:28s} {have:5d} {kept:5d} {kept / max(have, 1):6.0%}")
    print("\nRDAP (../shared/realworld/rdap): objects, and how many give each field")
    print(f"{'field':34s} {'of':>5s} {'given':>5s}")
    for field, total, kept in rdap_table():
        print(f"{field:34s} {total:5d} {kept:5d}")


if __name__ == "__main__":
    main()
