"""The DNS host of a site: values in its name servers' own registrable domain are the host's
defaults (its zone template's SOA contact, its mail servers), not the operator's choice.

A site that runs its own name servers (ns1.example.com for example.com) has no DNS host:
its SOA contact and mail servers are its own.

Example:
    >>> from analysis.records import SiteFeatures
    >>> site = SiteFeatures("acme.com", "ok",
    ...                     values={"nameservers": ["ns1.smalldns.net", "ns2.smalldns.net"]})
    >>> print(dns_host_default(site, "hostmaster.smalldns.net"))
    the DNS host's default (in its name servers' domain smalldns.net)
    >>> dns_host_default(site, "admin.acme-ops.net") is None
    True
"""

from __future__ import annotations

from analysis.domains import InvalidHost, registrable_domain
from analysis.records import SiteFeatures


def _domain(host: str) -> str | None:
    try:
        return registrable_domain(host.rstrip("."))
    except InvalidHost:
        return None


def dns_host_domains(site: SiteFeatures) -> set[str]:
    """Registrable domains of the site's name servers, other than the site's own."""
    return {d for d in map(_domain, site.all("nameservers")) if d and d != site.domain}


def dns_host_default(site: SiteFeatures, value: str) -> str | None:
    """Why ``value`` (a host name or SOA mailbox) is the site's DNS host's default, or None."""
    hosts = dns_host_domains(site)
    labels = value.rstrip(".").split(".")
    for start in range(len(labels) - 1):
        if ".".join(labels[start:]) in hosts:
            return (f"the DNS host's default (in its name servers' domain "
                    f"{'.'.join(labels[start:])})")
    return None
