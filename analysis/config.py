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
    return config
