"""The layout shows the architecture: crawler/ and analysis/ in packages of one concern each,
no module over 300 lines, and the one registries (features, exports) that the rest reads."""

from pathlib import Path

from tests.conftest import ROOT

PACKAGES = {
    "crawler": {"commands", "crawl", "archive", "enrich", "store", "runs", "lab"},
    "analysis": {"text", "evidence", "reports"},
}


def test_each_concern_is_a_package_and_no_module_is_long():
    for top, packages in PACKAGES.items():
        found = {p.parent.name for p in (ROOT / top).glob("*/__init__.py")}
        assert packages <= found, (top, packages - found)
    long = [f"{p.relative_to(ROOT)} ({n} lines)" for p in (ROOT / "crawler").rglob("*.py")
            if (n := len(p.read_text().splitlines())) > 300]
    long += [f"{p.relative_to(ROOT)} ({n} lines)" for p in (ROOT / "analysis").rglob("*.py")
             if (n := len(p.read_text().splitlines())) > 300]
    assert long == []


def test_commands_are_one_module_each_and_never_call_each_other_by_namespace():
    """A command module may use another's functions, never its `cmd_*` entry (which takes
    an argparse namespace)."""
    commands = ROOT / "crawler" / "commands"
    for module in commands.glob("*.py"):
        text = module.read_text()
        calls = [line for line in text.splitlines()
                 if line.strip().startswith("from crawler.commands") and "cmd_" in line]
        assert calls == [], (module.name, calls)


def test_the_registries_are_what_the_cli_and_reports_read():
    from analysis.feature_table import csv_columns, report_features
    from analysis.reports.export_csv import SITE_COLUMNS
    from analysis.reports.exports import EXPORTERS
    from analysis.reports.report_json import LIST_FEATURES, SINGLE_FEATURES
    from crawler.cli import build_parser
    from crawler.runs.reporting import FILES

    assert SITE_COLUMNS[4:] == csv_columns()
    assert set(LIST_FEATURES) | set(SINGLE_FEATURES) == set(report_features())
    assert FILES == {fmt: e.target for fmt, e in EXPORTERS.items()}
    parser = build_parser()
    report = parser.parse_args(["report", "--format", "gexf"])
    assert report.format == "gexf"
    sub = next(a for a in parser._actions if a.dest == "command")
    choices = next(a for a in sub.choices["report"]._actions if a.dest == "format").choices
    assert list(choices) == list(EXPORTERS)
    assert Path(ROOT / "crawler" / "crawl" / "settings.py").is_file()
