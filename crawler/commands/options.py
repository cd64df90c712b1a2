"""The crawl options of `crawl`, `run` and `watch`: declared once, checked once."""

from __future__ import annotations

import argparse
import ipaddress

from crawler.commands.common import UserError
from crawler.crawl.settings import DEFAULTS as D
from crawler.enrich.netaddr import split_hostport

EVIDENCE_CONFIG_HELP = ("TOML file replacing the shipped evidence weights (for clustering,"
                        " expansion and reports of runs not clustered yet)")


class _Recorded:
    """An argument group that remembers each option it declares, so that a parsed command
    line can be written back as arguments (`facade watch` runs `facade run` with them)."""

    def __init__(self, group):
        self.group = group

    def add_argument(self, *flags, **kwargs):
        action = self.group.add_argument(*flags, **kwargs)
        CRAWL_ACTIONS.append(action)
        return action

    def add_mutually_exclusive_group(self):
        return _Recorded(self.group.add_mutually_exclusive_group())


CRAWL_ACTIONS: list[argparse.Action] = []


def crawl_argv(args: argparse.Namespace) -> list[str]:
    """The crawl options ``args`` holds, as command-line arguments (what the user gave)."""
    out: list[str] = []
    seen = set()
    for action in CRAWL_ACTIONS:
        flag, value = action.option_strings[-1], getattr(args, action.dest, None)
        if isinstance(action, argparse._StoreConstAction):
            if value == action.const and value != action.default:
                out.append(flag)
        elif isinstance(action, argparse._StoreTrueAction):
            out += [flag] if value else []
        elif isinstance(action, argparse._AppendAction):
            for item in value or []:
                out += [flag, str(item)]
        elif value is not None and action.dest not in seen:
            out += [flag] if value == action.const else [flag, str(value)]
        seen.add(action.dest)
    return out


def add_crawl_options(p: argparse.ArgumentParser) -> None:
    g = _Recorded(p.add_argument_group("crawl options"))
    CRAWL_ACTIONS.clear()  # crawl, run and watch declare the same options: one list serves
    g.add_argument("--evidence-config", metavar="FILE", help=EVIDENCE_CONFIG_HELP)
    g.add_argument("--proxy", help="send every web request through this HTTP proxy")
    g.add_argument("--nameserver", action="append", default=[], metavar="HOST[:PORT]",
                   help="resolve with this DNS server (repeatable)")
    g.add_argument("--whois-server", metavar="HOST[:PORT]",
                   help="send every WHOIS query to this server, following no referrals")
    g.add_argument("--from-archive", nargs="?", const="wayback", metavar="wayback|URL",
                   help="take each site's pages from a web archive (the Wayback Machine, or"
                        " a CDX-compatible archive's replay prefix such as a pywb"
                        " collection), and its registration, DNS and hosting live")
    g.add_argument("--archive-fallback", nargs="?", const="wayback", metavar="wayback|URL",
                   help="crawl live, and take from the archive the pages of sites that are"
                        " gone (dns_error, unreachable), parked or seized, keeping the live"
                        " status beside them")
    g.add_argument("--archive-url", metavar="URL",
                   help="the web archive --from-archive and --archive-fallback read (default:"
                        " the Wayback Machine): a CDX-compatible archive's replay prefix (a"
                        " pywb collection http://host/coll/) or a Memento TimeMap endpoint"
                        " (an aggregator's http://host/timemap/link/)")
    g.add_argument("--at", metavar="YYYY[MM[DD]]",
                   help="with --from-archive: the capture closest to this date (default: the"
                        " latest that is not a parking or seizure page)")
    g.add_argument("--rdap-url", help="base URL of an RDAP service (/domain/NAME, /ip/ADDR)")
    g.add_argument("--rdap-bootstrap", metavar="URL",
                   help="the RDAP bootstrap registry naming each TLD's service (default:"
                        " IANA's, fetched once a day; the shipped copy if it fails)")
    g.add_argument("--asn-db", metavar="FILE",
                   help="IP-to-ASN table (iptoasn TSV, optionally .gz, or MaxMind .mmdb)")
    g.add_argument("--max-pages", type=int,
                   help=f"pages per site (default {D['FACADE_MAX_PAGES']})")
    g.add_argument("--depth", type=int, help=f"link depth (default {D['FACADE_DEPTH']})")
    g.add_argument("--concurrency", type=int,
                   help=f"requests in flight (default {D['FACADE_CONCURRENCY']})")
    g.add_argument("--timeout", type=float,
                   help=f"seconds per request (default {D['FACADE_TIMEOUT']:g})")
    g.add_argument("--per-site", type=int, help="requests in flight to one host (default"
                                                f" {D['FACADE_CONCURRENCY_PER_SITE']})")
    g.add_argument("--delay", type=float, help="seconds between requests to one host (default"
                                               f" {D['FACADE_DELAY']:g})")
    g.add_argument("--user-agent", help="the User-Agent header to send")
    g.add_argument("--whois-cache-days", type=float, metavar="DAYS",
                   help="reuse WHOIS/RDAP answers up to this old from earlier runs in the"
                        f" database (default {D['FACADE_WHOIS_CACHE_DAYS']:g}; 0 asks every"
                        " time)")
    g.add_argument("--robots", choices=["obey", "ignore"],
                   help="obey robots.txt (default) or ignore it; the report says which")
    g.add_argument("--label", help="a label for the run")
    g.add_argument("--frontier", metavar="redis://HOST:PORT/DB",
                   help="queue the sites in this shared frontier for `facade worker`s (on any"
                        " number of machines) to crawl, and wait until they have crawled"
                        " them all")
    g.add_argument("--warc", metavar="DIR",
                   help="write every response, and each site's enrichment, to a WARC file here")
    g.add_argument("--allow-private", action="store_true",
                   help="crawl sites whose addresses are private or loopback")
    g.add_argument("--expand", type=int, metavar="N",
                   help="N rounds of pivoting to new domains (certificate SANs, redirects,"
                        " links, values shared with sites already in the database)")
    g.add_argument("--expand-max", type=int, metavar="M",
                   help=f"add at most M sites by expansion (default {D['FACADE_EXPAND_MAX']})")
    g.add_argument("--expand-dry-run", action="store_true",
                   help="list the candidates one round would add, and crawl none of them")
    g.add_argument("--public-net", action="append", default=[], metavar="CIDR",
                   help="treat addresses in this network as public (for the lab world and"
                        " tests; repeatable)")
    resume = g.add_mutually_exclusive_group()
    resume.add_argument("--resume", action="store_const", const="yes", dest="resume",
                        default="auto",
                        help="finish the interrupted crawl in this database (by default, an"
                             " interrupted crawl of the same seeds and options from the last"
                             " 24 hours is resumed)")
    resume.add_argument("--new-run", action="store_const", const="no", dest="resume",
                        help="always start a new run")
    g.add_argument("--reference", metavar="FILE",
                   help="known legitimate sites (seed-file format): crawled, never clustered;"
                        " a cluster whose text was copied from one names it")


def crawl_options(args):
    from crawler.crawl.options import CrawlOptions

    if args.asn_db:
        from crawler.enrich.asndb import AsnDb, AsnDbError

        try:
            AsnDb.open(args.asn_db)
        except AsnDbError as exc:
            raise UserError(str(exc)) from None
    for net in args.public_net:
        try:
            ipaddress.ip_network(net, strict=False)
        except ValueError:
            raise UserError(f"--public-net takes a network like 127.1.0.0/16, not {net!r}"
                            ) from None
    for name, url in (("--rdap-url", args.rdap_url), ("--rdap-bootstrap", args.rdap_bootstrap)):
        if url and not url.startswith(("http://", "https://")):
            raise UserError(f"{name} must be an http:// or https:// URL")
    try:
        nameservers = [split_hostport(n, 53) for n in args.nameserver]
        whois_server = split_hostport(args.whois_server, 43) if args.whois_server else None
    except ValueError:
        raise UserError("--nameserver and --whois-server take HOST or HOST:PORT") from None
    if args.at and not (args.at.isdigit() and len(args.at) in (4, 6, 8)):
        raise UserError(f"--at takes a date as YYYY, YYYYMM or YYYYMMDD, not {args.at!r}")
    if args.at and args.from_archive is None and args.archive_fallback is None:
        raise UserError("--at chooses a capture: it needs --from-archive or --archive-fallback")
    from_archive, fallback = _archives(args)
    if args.delay is not None and args.delay < 0:
        raise UserError("--delay must be 0 or more")
    for name, value in (("--max-pages", args.max_pages), ("--concurrency", args.concurrency),
                        ("--per-site", args.per_site)):
        if value is not None and value < 1:
            raise UserError(f"{name} must be at least 1")
    if (args.depth is not None and args.depth < 0) or (args.timeout is not None
                                                       and args.timeout <= 0):
        raise UserError("--depth must be 0 or more and --timeout more than 0")
    if args.frontier:
        if not args.frontier.startswith(("redis://", "rediss://", "unix://")):
            raise UserError("--frontier takes a redis:// URL")
        refused = [name for name, value in (("--expand", args.expand), ("--warc", args.warc),
                                            ("--from-archive", from_archive)) if value]
        if refused:
            raise UserError(f"{refused[0]} does not work with --frontier yet: crawl without"
                            " workers to use it")
    given = dict(
        frontier=args.frontier, proxy=args.proxy, nameservers=nameservers,
        whois_server=whois_server,
        max_pages=args.max_pages, depth=args.depth, concurrency=args.concurrency,
        per_site=args.per_site, delay=args.delay, user_agent=args.user_agent, robots=args.robots,
        timeout=args.timeout, label=args.label, allow_private=args.allow_private,
        references=args.reference, rdap_url=args.rdap_url, asn_db=args.asn_db,
        rdap_bootstrap=args.rdap_bootstrap, from_archive=from_archive, at=args.at,
        archive_fallback=fallback, evidence_config=args.evidence_config,
        public_nets=args.public_net, whois_cache_days=args.whois_cache_days, warc=args.warc,
        expand=args.expand, expand_max=args.expand_max, expand_dry_run=args.expand_dry_run,
    )
    # Only what the user gave: CrawlOptions' defaults are the settings' (crawler/crawl/settings.py).
    return CrawlOptions(**{k: v for k, v in given.items() if v is not None})


def _archives(args) -> tuple[str | None, str | None]:
    """(--from-archive, --archive-fallback), each the archive it reads, or None."""
    named = args.archive_url
    if named is not None and not named.startswith(("http://", "https://")):
        raise UserError("--archive-url takes an http(s) URL")
    if args.from_archive is not None and args.archive_fallback is not None:
        raise UserError("--from-archive reads every site from the archive; --archive-fallback"
                        " only the sites a live crawl lost: give one of them")
    given = args.from_archive if args.from_archive is not None else args.archive_fallback
    if given is None:
        if named:
            raise UserError("--archive-url names the archive of --from-archive or"
                            " --archive-fallback: give one of them")
        return None, None
    if given != "wayback" and not given.startswith(("http://", "https://")):
        raise UserError("--from-archive and --archive-fallback take `wayback` or an http(s)"
                        " URL")
    if named and given != "wayback" and given.rstrip("/") != named.rstrip("/"):
        raise UserError(f"two archives named: {given} and --archive-url {named}")
    archive = named or given
    return (archive, None) if args.from_archive is not None else (None, archive)
