"""`facade import FILE`: a WARC, ARC or JSON Lines file as a new run."""

from __future__ import annotations

import sys

from crawler.commands.common import UserError
from crawler.store.postgres import shown


def cmd_import(args, db: str) -> None:
    from crawler.runs.importer import ImportFailure, import_file

    try:
        run_id, count, warnings = import_file(args.file, db, args.label)
    except ImportFailure as exc:
        raise UserError(str(exc)) from None
    for warning in warnings:
        print(f"warning: {warning}", file=sys.stderr)
    print(f"run {run_id}: imported {count} sites from {args.file} -> {shown(db)}"
          f" (next: facade cluster --run {run_id} --db {shown(db)})")
