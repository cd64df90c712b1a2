"""The lab world's content, generated deterministically from a seed number.

Sites come in front-company families, each linked by one planted kind of evidence (weak
kinds are planted in the combinations that link), decoys that share only each kind's commons
(NameCheap, its default name and mail servers, one mass-hosting address and its shared
certificate, one privacy-service e-mail, a WordPress theme with its footer, cookie banner,
favicon, scripts, embedded tracker and demo contacts, a registered-agent address), failing
sites, and reference sites: the genuine firms whose text the copy families cloned.
``World.ground_truth()`` says which family each site belongs to and which kind links it.
"""

from __future__ import annotations

from crawler.lab import pages, text
from crawler.lab.background import add_background
from crawler.lab.builder import _Builder
from crawler.lab.faults import (  # noqa: F401  (re-exported)
    FAULTS,
    GBK_TITLE,
    INTERNAL_HOST,
    INTERNAL_IP,
    PUBLIC_NET,
    SSRF,
    _add_faults,
    _add_ssrf,
)
from crawler.lab.model import (  # noqa: F401  (re-exported: the world's names)
    AGENT_ADDRESS,
    FAMILY_KINDS,
    MASS_HOSTING_IP,
    NAMECHEAP,
    PLANTED_EVIDENCE,
    PRIVACY_EMAIL,
    PROVIDERS,
    THEME_GA,
    XSS_MARKER,
    LabSite,
    World,
)
from crawler.lab.plants import _b58check  # noqa: F401  (re-exported)
from crawler.lab.weeks import _week_two


def build_world(seed: int = 1, sites: int = 140, faults: bool = False,
                ssrf: bool = False, week: int = 1) -> World:
    """Generate the lab world: ``sites`` seed sites (at least 120) from ``seed``; with
    ``faults``, the fault sites of FAULTS besides.

    Example:
        >>> w = build_world(seed=1)
        >>> len(w.seed_domains()) >= 120
        True
    """
    sites = max(sites, 120)
    b = _Builder(seed)
    groups = max(1, round(sites / 140))
    for g in range(groups):
        for kind in FAMILY_KINDS:
            b.family(kind, g + 1)
    dead = b.new_site("en", expected_status="unreachable", dead=True)
    nx = b.new_site("en", expected_status="dns_error", dns=False)
    err = b.new_site("en", expected_status="http_error", error_status=503)
    for s in (dead, nx, err):
        s.sentences = text.company_text("en", s.company, b.rng, 6)
    remaining = sites - len([s for s in b.sites if s.role == "seed"])
    if faults:
        _add_faults(b)
    if ssrf:
        _add_ssrf(b)
    mass = max(22, remaining // 2)
    decoys = [b.decoy("zh" if i % 10 == 3 else "en", mass_hosted=i < mass,
                      agent_address=i % 3 == 0) for i in range(remaining)]
    add_background(b.rng, decoys)
    # Shared hosting: one certificate naming every mass-hosted customer.
    hosted = [d for d in decoys if d.ip == MASS_HOSTING_IP and d.tls]
    sans = ["*.masshost-lab.net", *[d.domain for d in hosted]]
    for d in hosted:
        d.cert_group, d.cert_sans = "cert-masshost", sans
    # Hostile content: a decoy whose title and text carry script payloads.
    hostile = decoys[0]
    hostile.title_suffix = f"<script>window.{XSS_MARKER}=1</script>"
    hostile.sentences.append(f'<img src=x onerror="window.{XSS_MARKER}=2"> Contact us today.')
    jobs = f"/jobs/%22%3E%3Cscript%3Ewindow.{XSS_MARKER}=4%3C/script%3E"
    hostile.sentences.append(f'<a href="javascript:window.{XSS_MARKER}=3">Careers</a>'
                             f' <a href="{jobs}">Open positions</a>')
    hostile.registrant_name = f"<script>window.{XSS_MARKER}=5</script>"
    hostile.registrant_org = f'"><img src=x onerror="window.{XSS_MARKER}=6">'
    hostile.contact_extra.append(f"<p>Mail <a href=\"mailto:x@y.example?<script>{XSS_MARKER}"
                                 "</script>\">us</a></p>")
    changes = _week_two(b, list(b.sites)) if week == 2 else []
    for site in b.sites:
        site.pages = pages.render_site(site)
    world = World(seed, b.sites, b.planted)
    world.week, world.changes = week, changes
    return world
