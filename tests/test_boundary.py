"""analysis/ is pure computation: importing all of it pulls in no scrapy, twisted or crawler."""

import pkgutil
import subprocess
import sys

import analysis


def test_analysis_imports_no_crawler_scrapy_or_twisted():
    modules = [f"analysis.{m.name}" for m in pkgutil.walk_packages(analysis.__path__)]
    modules.append("analysis.evidence.kinds")
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        "import analysis.evidence.kinds; analysis.evidence.kinds.all_kinds()\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('scrapy', 'twisted', 'crawler'))\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True)
    assert len(modules) > 10
    assert out.stdout.strip() == ""
