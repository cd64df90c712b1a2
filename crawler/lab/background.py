"""The background real data has, for the lab to fight back with: decoys that fooled earlier
rules, each sharing only what is common on the real web.

- firms writing the same industry phrases, some sites made mostly of them;
- a theme's demo text on every site of the theme;
- a small DNS host whose customers get its SOA contact, name servers and mail server;
- blogs on a hosting platform that puts its own analytics and ad IDs on every blog;
- news-like pages that mention famous accounts in articles and carry share buttons;
- parked domains (a parking service's name servers and template) and seized domains (one
  law-enforcement banner), which must get their statuses and never link.
"""

from __future__ import annotations

from crawler.lab.model import LabSite

STOCK_PHRASES = [
    "Request a free consultation with our team today.",
    "Flexible pricing: fixed-price or time and materials.",
    "We sign an NDA before every project starts.",
    "Our developers work in your time zone and speak your language.",
    "Get a detailed estimate within 48 hours of your first call.",
    "We offer a two-week risk-free trial for every new client.",
    "Scale your team up or down as your project requires.",
    "All source code and intellectual property belong to you.",
    "Agile delivery with demos at the end of every sprint.",
    "Trusted by startups and Fortune 500 companies alike.",
    "Dedicated project manager and transparent weekly reporting.",
    "Hire senior engineers without the overhead of recruitment.",
]
THEME_DEMO = [
    "Welcome to your new website built with the Astra starter template for agencies.",
    "Edit this text to tell visitors who you are and what you do best for your clients.",
    "Our starter template ships with ready sections for services, testimonials and pricing.",
]
SMALL_DNS = "smalldns-lab.net"
PLATFORM_IDS = ["UA-10000001-1", "ca-pub-1000000000000001"]
PARKING_NS = ["ns1.sedoparking.com", "ns2.sedoparking.com"]
PARKING_IP, SEIZED_IP = "127.2.0.66", "127.2.0.77"
ARCHIVE_FAMILY, ARCHIVED_GA = "archived_fronts", "G-4RCH1V3D23"
ARCHIVED_ICON = ("image/x-icon", b"\x00\x00\x01\x00ARCHIVED-FRONT-ICON" * 4)
FAMOUS = ["elonmusk", "BillGates", "nytimes"]


def add_background(rng, decoys: list[LabSite]) -> None:
    """Turn decoys (commons-only sites) into the background; keeps decoys[0] as it is."""
    for site in decoys:
        site.sentences = list(THEME_DEMO) + site.sentences + rng.sample(STOCK_PHRASES, 4)
    for site in decoys[20:26]:  # short sites made mostly of stock phrases
        site.sentences = list(THEME_DEMO) + site.sentences[3:8] + rng.sample(STOCK_PHRASES, 7)
    for site in decoys[1:4]:
        site.nameservers = [f"ns1.{SMALL_DNS}", f"ns2.{SMALL_DNS}"]
        site.soa_rname = f"hostmaster.{SMALL_DNS}"
        site.mx = [f"mail.{SMALL_DNS}"]
    for site in decoys[4:7]:
        site.head_extra += [
            '<meta name="generator" content="WordPress.com">',
            f"<script>_gaq.push(['_setAccount','{PLATFORM_IDS[0]}']);</script>",
            f'<script data-ad-client="{PLATFORM_IDS[1]}" src="/wordads.js"></script>',
        ]
    for site in decoys[7:10]:
        famous = rng.choice(FAMOUS)
        site.body_extra.append(
            f'<p>Industry news: yesterday <a href="https://x.com/{famous}">@{famous}</a> said '
            "that outsourcing budgets will keep growing next year, according to analysts.</p>"
            '<div class="share"><a href="https://www.linkedin.com/sharing/share-offsite/?url=x">'
            'Share</a> <a href="https://www.facebook.com/sharer/sharer.php?u=x">Share</a> '
            '<a href="https://x.com/intent/tweet?text=x">Tweet</a></div>')
    for site in decoys[10:12]:
        site.template, site.expected_status = "parked", "parked"
        site.nameservers, site.ip = list(PARKING_NS), PARKING_IP
    for site in decoys[12:14]:
        site.template, site.expected_status = "seized", "seized"
        site.ip = SEIZED_IP
    for site in decoys[14:17]:  # a network seized before the run: linked only from captures
        site.template, site.expected_status = "seized", "seized"
        site.ip, site.archive_family = SEIZED_IP, ARCHIVE_FAMILY
        site.analytics = [ARCHIVED_GA]
        site.files["/favicon.ico"] = ARCHIVED_ICON  # captured with the pages in 2023


PARKED_PAGE = (
    '<!DOCTYPE html><html lang="en"><head><title>{domain}</title>'
    "<script>window.park = {{ 'lander': 'sedo' }};</script></head><body>"
    "<h1>{domain}</h1><p>This domain may be for sale! Buy this domain.</p>"
    "<h2>Related searches</h2><ul><li>Software Development</li><li>IT Outsourcing</li>"
    "<li>Cloud Hosting</li></ul></body></html>"
)
SEIZED_PAGE = (
    '<!DOCTYPE html><html lang="en"><head><title>This domain has been seized</title></head>'
    '<body><img src="/seized.png" alt="Seized by the FBI"><h1>THIS DOMAIN HAS BEEN SEIZED</h1>'
    "<p>This domain has been seized by the Federal Bureau of Investigation pursuant to a "
    "seizure warrant issued by the United States District Court for the District of Columbia "
    "as part of coordinated law enforcement action against North Korean IT worker schemes."
    "</p></body></html>"
)


def template_pages(site: LabSite) -> dict[str, str] | None:
    """The pages of a parked or seized site (every path the same page), else None."""
    page = {"parked": PARKED_PAGE, "seized": SEIZED_PAGE}.get(site.template or "")
    return {"/": page.format(domain=site.domain)} if page else None
