"""Benchmark: seconds to write each report format, as the run grows (it should be linear).

Imports N synthetic sites (JSON Lines: a page of text each, trackers shared in families of
5, registrars, addresses and e-mails), clusters them once, then times every format of
`facade run` on the same report. Prints seconds per format and the ratio between the sizes.

    .venv/bin/python bench/report_bench.py            # 250 and 1000 sites
    .venv/bin/python bench/report_bench.py 500 2000

With ``--db PATH`` (a database whose latest run is clustered, with an earlier clustered run,
as bench/cluster_bench.py leaves them), it runs `facade report` in every format, `facade
diff` and `facade history` on it, each as its own process, and prints the seconds and peak
RSS of each: how the commands fare on a run of a million sites.

    .venv/bin/python bench/report_bench.py --db /tmp/big/f.db
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analysis.config import default_config

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def site_lines(n: int, seed: int = 3) -> list[str]:
    rng = random.Random(seed)
    words = [f"word{i}" for i in range(3000)]
    lines = []
    for i in range(n):
        family = i // 5
        text = " ".join(rng.choice(words) for _ in range(250))
        lines.append(json.dumps({
            "domain": f"site{i}.com",
            "pages": [{"url": f"https://site{i}.com/", "status": 200,
                       "html": f"<title>Site {i}</title><main><p>{text}</p></main>"}],
            "features": {"analytics_ids": [f"G-FAM{family:06d}"],
                         "registrar": rng.choice(["NameCheap, Inc.", "GoDaddy.com, LLC"]),
                         "ips": [f"198.51.{i % 200}.{i % 250}"],
                         "emails": [f"info@site{i}.com"],
                         "nameservers": ["dns1.registrar-servers.com"]},
        }))
    return lines


def time_formats(n: int) -> dict[str, float]:
    from crawler.runs.analyse import cluster_run
    from crawler.runs.importer import import_file
    from crawler.runs.reporting import FILES, report_dict, write_report
    from crawler.store import Store

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "sites.jsonl"
        source.write_text("\n".join(site_lines(n)) + "\n")
        db = Path(tmp) / "r.db"
        run_id, _, _ = import_file(str(source), str(db), None)
        store = Store(db)
        cluster_run(store, run_id, default_config())
        report = report_dict(store, run_id, default_config())
        times = {}
        for fmt, name in FILES.items():
            started = time.perf_counter()
            write_report(report, fmt, Path(tmp) / "out" / name, [])
            times[fmt] = time.perf_counter() - started
        return times


def command(db: str, *args: str) -> tuple[float, float]:
    """Seconds and peak RSS (MB) of one facade command, its output discarded."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "crawler.cli", "--db", db, "--quiet", *args],
                            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    if os.waitstatus_to_exitcode(status):
        raise SystemExit(f"facade {' '.join(args)} failed: {proc.stderr.read()[-2000:]}")
    return time.perf_counter() - started, usage.ru_maxrss / 1024


def on_database(db: str) -> None:
    from crawler.runs.reporting import FILES
    from crawler.store import Store

    store = Store(db, create=False)
    run_id = store.resolve_run(None)
    domain = store.site_domains(run_id)[store.site_count(run_id) // 2]
    store.close()
    with tempfile.TemporaryDirectory(dir=os.environ.get("BENCH_TMP")) as tmp:
        runs = [(f"report {fmt}", ("report", "--format", fmt, "-o", f"{tmp}/")) for fmt in FILES]
        runs += [("diff (json)", ("diff", "--format", "json", "-o", f"{tmp}/diff.json")),
                 ("history", ("history", domain))]
        for label, args in runs:
            seconds, peak = command(db, *args)
            print(f"{label:16s} {seconds:8.1f} s {peak:8.0f} MB", flush=True)


def main() -> None:
    if sys.argv[1:2] == ["--db"]:
        return on_database(sys.argv[2])
    sizes = [int(a) for a in sys.argv[1:]] or [250, 1000]
    results = {n: time_formats(n) for n in sizes}
    print(f"{'format':8s}" + "".join(f"{n:>10} sites" for n in sizes) + "    ratio")
    for fmt in results[sizes[0]]:
        row = [results[n][fmt] for n in sizes]
        print(f"{fmt:8s}" + "".join(f"{t:>14.3f}s" for t in row)
              + f"    {row[-1] / max(row[0], 1e-9):.1f}x for {sizes[-1] / sizes[0]:.0f}x sites")


if __name__ == "__main__":
    main()
