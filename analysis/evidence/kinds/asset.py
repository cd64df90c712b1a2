"""Same-site scripts, stylesheets and images with the same SHA-256. Files of common libraries
and themes are left out by path (commons.toml) when features are made, and any file shared
by many sites is a common by rarity."""

from analysis.evidence.kinds import ValueKind, register, values_of

register(ValueKind(
    name="asset",
    reads=("asset_sha256",),
    label="same custom script, stylesheet or image",
    values=values_of("asset_sha256"),
    served=True,
))
