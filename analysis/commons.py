"""The shipped list of commons (analysis/data/commons.toml): values that are never evidence."""

from __future__ import annotations

import fnmatch
import tomllib
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=1)
def commons() -> dict:
    with resources.files("analysis").joinpath("data/commons.toml").open("rb") as fh:
        return tomllib.load(fh)


PRIVACY_FIELDS = ("registrant_name", "registrant_org", "registrant_email")


def privacy_fields(registration: dict) -> list[str]:
    """Which registrant fields of a registration record hold a privacy service's values."""
    return sorted(k for k in PRIVACY_FIELDS
                  if isinstance(registration.get(k), str) and is_privacy_value(registration[k]))


def is_privacy_value(value: str) -> bool:
    """True when a registrant name, organisation or e-mail belongs to a privacy service."""
    low = value.lower()
    return any(marker in low for marker in commons()["privacy"]["markers"])


def _host_matches(host: str, suffixes: list[str], patterns: list[str] = ()) -> bool:
    host = host.lower().rstrip(".")
    if any(host == s or host.endswith("." + s) for s in suffixes):
        return True
    return any(fnmatch.fnmatch(host, p) for p in patterns)


def is_provider_nameserver(host: str) -> bool:
    """True for a registrar's or DNS host's default name server."""
    section = commons()["nameservers"]
    return _host_matches(host, section["suffixes"], section.get("patterns", []))


def is_provider_spf(host: str) -> bool:
    """True for an SPF include of a mail-sending provider."""
    return _host_matches(host, commons()["spf"]["suffixes"])


def is_library_asset(path: str) -> bool:
    """True for a URL path of a common library or theme file."""
    low = path.lower()
    return any(fnmatch.fnmatch(low, p) for p in commons()["assets"]["path_patterns"])


def is_provider_mail(host: str) -> bool:
    """True for a mail exchanger of a forwarding or hosted-mail provider."""
    return _host_matches(host, commons()["mail"]["suffixes"])
