"""A custom favicon: Shodan's mmh3 of the base64 body. Default icons of common software are
commons (commons.toml), and so is any icon shared by many sites (rarity)."""

from analysis.commons import commons
from analysis.evidence.kinds import ValueKind, register, values_of


def _common(value: str) -> str | None:
    if value in {str(v) for v in commons()["favicon"]["default_mmh3"]}:
        return "default favicon of common software (commons list)"
    return None


register(ValueKind(
    name="favicon",
    reads=("favicon_mmh3",),
    label="same custom favicon (mmh3)",
    values=values_of("favicon_mmh3"),
    served=True,
    common=_common,
))
