"""`facade history DOMAIN`: a site across runs."""

from __future__ import annotations

from crawler.commands.common import UserError
from crawler.runs.terminal import safe_text
from crawler.store import Store
from crawler.store.postgres import shown


def cmd_history(args, db: str) -> None:
    from analysis.domains import InvalidHost
    from crawler.crawl.seeds import normalise_entry

    try:  # as a seed is read: a URL, a defanged indicator, a *. wildcard
        domain = normalise_entry(args.domain)
    except InvalidHost as exc:
        raise UserError(f"{args.domain!r}: {exc}") from None
    store = Store(db, create=False)
    runs = store.site_history(domain)
    if not runs:
        raise UserError(f"{domain} is in no run of {shown(db)}")
    print(domain)
    for run_id, started, status in runs:
        print(f"  run {run_id:<4} {started[:16]}  {status}")
    for kind, values in sorted(store.feature_history(domain).items()):
        if kind in ("title", "txt", "creation_date", "registrant_privacy"):
            continue
        for value, seen in values.items():  # registry and page values: hostile on a terminal
            print(f"  {kind:20s} {safe_text(value):60s} runs {','.join(map(str, seen))}")
