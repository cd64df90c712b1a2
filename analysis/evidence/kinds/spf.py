"""SPF mechanisms (include:, ip4:, ip6:, a:, mx:) naming the operator's own mail servers;
providers' includes are commons. Weak."""

from analysis.commons import is_provider_mail, is_provider_spf
from analysis.evidence.kinds import ValueKind, register


def mechanisms(records: list[str]) -> list[str]:
    out = []
    for record in records:
        terms = record.strip().split()
        if not terms or terms[0].lower() != "v=spf1":
            continue
        for term in terms[1:]:
            term = term.lstrip("+?~-")
            kind, _, value = term.partition(":")
            if kind.lower() in ("include", "ip4", "ip6", "a", "mx", "redirect") and value:
                out.append(f"{kind.lower()}:{value.lower()}")
    return out


def _common(value: str) -> str | None:
    host = value.split(":", 1)[1]
    if is_provider_spf(host) or is_provider_mail(host):
        return "mail provider's SPF include (commons list)"
    return None


register(ValueKind(
    name="spf",
    reads=("txt",),
    label="same SPF mail sender",
    values=lambda site: mechanisms(site.all("txt")),
    common=_common,
))
