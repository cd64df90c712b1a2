"""The evidence configuration: analysis/data/evidence.toml, or a file that replaces it."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path


class ConfigError(ValueError):
    """The evidence configuration is unreadable or incomplete."""


@lru_cache(maxsize=1)
def default_config() -> dict:
    with resources.files("analysis").joinpath("data/evidence.toml").open("rb") as fh:
        return tomllib.load(fh)


def load_config(path: str | Path | None = None) -> dict:
    """Read an evidence configuration; None gives the shipped default."""
    if path is None:
        return default_config()
    try:
        with open(path, "rb") as fh:
            config = tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: {exc}") from None
    for key in ("link_threshold", "text", "kinds"):
        if key not in config:
            raise ConfigError(f"{path}: missing `{key}`")
    problems = config_problems(config)
    if problems:
        raise ConfigError(f"{path}: {problems[0]}"
                          + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
    return config


# (type, lowest, highest) of each setting; None: no bound on that side.
_NUMBER = (int, float)
TOP = {"link_threshold": (_NUMBER, 0.01, None)}
TEXT = {
    "shingle_words": (int, 1, 20), "common_at": (int, 2, None), "common_share": (_NUMBER, 0, 1),
    "min_shared": (int, 1, None), "threshold": (_NUMBER, 0.01, 1),
    "containment_threshold": (_NUMBER, 0.01, 1), "lsh_bands": (int, 1, 128),
    "lsh_rows": (int, 1, 128), "lsh_bucket": (int, 2, None), "min_shingles": (int, 1, None),
    "base": (_NUMBER, 0, None),
    "bonus": (_NUMBER, 0, None), "reference_threshold": (_NUMBER, 0.01, 1),
}
KIND = {"base": (_NUMBER, 0, None), "floor": (_NUMBER, 0, 1), "common_at": (int, 2, None),
        "max_names": (int, 1, None)}
PAIR = {"base": (_NUMBER, 0, None), "within_days": (_NUMBER, 0, None)}


def _check(where: str, table: dict, rules: dict, required: tuple) -> list[str]:
    problems = [f"{where}: missing `{key}`" for key in required if key not in table]
    for key, value in table.items():
        if key == "strength":
            if value not in ("strong", "weak"):
                problems.append(f"{where}.strength must be \"strong\" or \"weak\", not {value!r}")
            continue
        if key not in rules:
            continue
        kind, low, high = rules[key]
        if isinstance(value, bool) or not isinstance(value, kind):
            problems.append(f"{where}.{key} must be a number"
                            f"{'' if kind is _NUMBER else ' (whole)'}, not {value!r}")
        elif (low is not None and value < low) or (high is not None and value > high):
            span = f"from {low}" + (f" to {high}" if high is not None else " up")
            problems.append(f"{where}.{key} = {value} is out of range ({span})")
    return problems


def config_problems(config: dict) -> list[str]:
    """Every setting of the wrong type or out of its range, one line each.

    Example:
        >>> config_problems({**default_config(), "link_threshold": -5})
        ['link_threshold = -5 is out of range (from 0.01 up)']
    """
    problems = _check("", {k: v for k, v in config.items() if k in TOP}, TOP, ())
    problems = [p.removeprefix(".") for p in problems]
    for section, rules in (("text", TEXT), ("kinds", None), ("pairs", None)):
        table = config.get(section, {})
        if not isinstance(table, dict):
            problems.append(f"`{section}` must be a table")
            continue
        if rules is not None:
            required = tuple(k for k in rules if k != "common_share")
            problems += _check(section, table, rules, required)
            bands, rows = table.get("lsh_bands"), table.get("lsh_rows")
            if isinstance(bands, int) and isinstance(rows, int) and bands * rows > 128:
                problems.append(f"text: lsh_bands x lsh_rows = {bands * rows} exceeds the 128 "
                                "MinHash permutations")
            continue
        for name, entry in table.items():
            if not isinstance(entry, dict):
                problems.append(f"{section}.{name} must be a table")
                continue
            rules_of = KIND if section == "kinds" else PAIR
            required = ("strength", "base", "floor", "common_at") if section == "kinds" else (
                "base",)
            problems += _check(f"{section}.{name}", entry, rules_of, required)
    return problems + _unweighted(config)


def _unweighted(config: dict) -> list[str]:
    """Every registered evidence kind needs its weights: one without is an error, not a kind
    silently skipped (set its ``base`` to 0 to turn it off)."""
    from analysis.evidence.kinds import (  # the kinds import this module's users
        all_kinds,
        pair_kinds,
    )

    problems = []
    for section, names in (("kinds", all_kinds()), ("pairs", pair_kinds())):
        table = config.get(section)
        if isinstance(table, dict):
            problems += [f"{section}.{name}: the evidence kind has no weights (give them, or"
                         " base = 0 to turn it off)" for name in sorted(names) if name not in table]
    return problems
