"""`facade extract`: what facade reads from one file, without crawling or storing anything.

Pages (`facade extract FILE.html... [--url URL]`) give per file the title, language, main
text and every value each evidence kind reads; `--whois FILE [--domain D]` and
`--rdap FILE.json` give the parsed registration record as one JSON object.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from w3lib.encoding import html_to_unicode

from analysis.commons import privacy_fields
from analysis.domains import InvalidHost, registrable_domain
from analysis.evidence.kinds import page_kinds
from analysis.page_reading import read_page
from crawler.enrich import rdap, whois
from crawler.runs.terminal import json_line, safe_text

MAX_FILE_BYTES = 20 << 20
REGISTRATION_FIELDS = ("registrar", "creation_date", "expiration_date", "registrant_name",
                       "registrant_org", "registrant_email", "registrant_country")
_DOMAIN_LINE = re.compile(r"^\s*Domain(?: Name)?:\s*(\S+)", re.I | re.M)


class ExtractError(Exception):
    """A file facade cannot read; one line for the user."""


def _read(path: str) -> bytes:
    try:
        with open(path, "rb") as fh:
            data = fh.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise ExtractError(f"{path}: {exc.strerror or exc}") from None
    if len(data) > MAX_FILE_BYTES:
        raise ExtractError(f"{path}: larger than {MAX_FILE_BYTES >> 20} MB")
    return data


def page_record(path: str, url: str | None) -> dict:
    """The JSON record of one HTML file."""
    html = html_to_unicode(None, _read(path))[1]
    url = url or f"file:///{Path(path).name}"
    try:
        site = registrable_domain(re.sub(r"^\w+://", "", url).split("/", 1)[0].split(":")[0])
    except InvalidHost:
        site = ""
    reading = read_page(html, url, site)
    facts = reading.facts
    by_feature = {k.feature: k.name for k in page_kinds()}
    return {
        "file": path,
        "url": url,
        "title": facts.title if facts else None,
        "language": facts.language if facts else None,
        "main_text": facts.text if facts else "",
        "values": {by_feature.get(f, f): v for f, v in sorted(reading.values.items())},
        "errors": reading.errors,
    }


def page_text(record: dict) -> str:
    """A record as an analyst reads it in a terminal."""
    lines = [f"== {record['file']}", f"title: {record['title'] or '-'}",
             f"language: {record['language'] or '-'}"]
    for kind, values in record["values"].items():
        lines.append(f"{kind}: {', '.join(values)}")
    lines += [f"error: {e}" for e in record["errors"]]
    lines += ["main text:", record["main_text"] or "(none)", ""]
    return safe_text("\n".join(lines))


def _registration(fields: dict, source: str) -> dict:
    out = {k: fields.get(k) for k in REGISTRATION_FIELDS}
    out["nameservers"] = fields.get("name_servers", [])
    out["privacy"] = privacy_fields(fields)  # judged as the features stage judges it
    out["sources"] = {k: source for k, v in out.items() if v and k != "privacy"}
    return out


def _domain_of_file(path: str) -> str:
    """A saved answer's domain from its file name (``yandex.kz``, ``yandex.kz.txt``)."""
    name = Path(path).name
    for candidate in (name, Path(path).stem):
        try:
            return registrable_domain(candidate)
        except InvalidHost:
            continue
    return Path(path).stem


def whois_record(path: str, domain: str | None) -> dict:
    text = _read(path).decode("utf-8", "replace")
    if not domain:
        found = _DOMAIN_LINE.search(text)
        domain = found.group(1).lower() if found else _domain_of_file(path)
    try:
        return {"file": path, "domain": domain,
                **_registration(whois.parse_domain(domain, text), "whois")}
    except whois.WhoisFailure as exc:
        raise ExtractError(f"{path}: {exc}") from None


def rdap_record(path: str) -> dict:
    try:
        obj = json.loads(_read(path).decode("utf-8", "replace"))
    except ValueError as exc:
        raise ExtractError(f"{path}: not JSON ({exc})") from None
    try:
        if isinstance(obj, dict) and obj.get("objectClassName") == "ip network":
            return {"file": path, "network": obj.get("handle"), **rdap.parse_ip(obj)}
        fields = rdap.parse_domain(obj)
    except rdap.RDAPFailure as exc:
        raise ExtractError(f"{path}: {exc}") from None
    domain = obj.get("ldhName") if isinstance(obj.get("ldhName"), str) else None
    # A saved answer is read offline: a thin registry answer's registrar link is shown, not
    # followed (a crawl follows it).
    return {"file": path, "domain": (domain or "").lower() or None,
            **_registration(fields, "rdap"), "related": rdap.related_links(obj)}


def run(args) -> None:
    """Print what facade reads from the files named on the command line."""
    if args.whois:
        print(json_line(whois_record(args.whois, args.domain)))
        return
    if args.rdap:
        print(json_line(rdap_record(args.rdap)))
        return
    if not args.files:
        raise ExtractError("name one or more HTML files, or --whois FILE, or --rdap FILE")
    for path in args.files:
        record = page_record(path, args.url)
        print(json_line(record) if args.format == "jsonl" else page_text(record), flush=True)
