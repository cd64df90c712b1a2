"""`facade cluster --engine spark` (PySpark in local mode) stores exactly what the default
engine stores: the same clusters with their ids, evidence, links and provenance, the same
evidence rows, fingerprints and cluster events, on the lab world and on an imported corpus
with planted families, stock phrasing, crowded LSH buckets and a second week."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from crawler.store import Store
from tests.conftest import ROOT, facade

sys.path.insert(0, str(ROOT / "bench"))
pytestmark = pytest.mark.e2e

pytest.importorskip("pyspark")
if shutil.which("java") is None:
    pytest.skip("the spark engine needs a Java runtime (Debian's default-jre-headless)",
                allow_module_level=True)


def _stored(db: Path, run: int) -> dict:
    store = Store(str(db), create=False)
    key = lambda link: (link["kind"], link["value"], link["domains"])  # noqa: E731
    return {"clusters": store.clusters(run), "links": sorted(store.links(run), key=key),
            "texts": store.texts(run), "events": store.events(run),
            "features": store.features(run)}


def _assert_same(default: dict, spark: dict) -> None:
    for part in default:
        assert spark[part] == default[part], f"the engines' {part} differ"
    assert any(len(c["domains"]) > 1 for c in default["clusters"])


def test_spark_gives_the_default_engines_clusters_on_the_lab(lab_run, tmp_path):
    db = tmp_path / "spark.db"
    shutil.copy(lab_run["db"], db)
    out = facade("cluster", "--db", str(db), "--engine", "spark", "--parquet",
                 str(tmp_path / "export"))
    assert "clusters" in out.stdout
    assert (tmp_path / "export" / "units").is_dir()  # the export Spark read, kept
    _assert_same(_stored(lab_run["db"], 1), _stored(db, 1))


def test_spark_gives_the_default_engines_clusters_on_an_imported_corpus(tmp_path):
    from scale_corpus import write_weeks

    week1, week2 = tmp_path / "w1.jsonl", tmp_path / "w2.jsonl"
    write_weeks(3000, week1, week2)
    # A band bucket of more than 8 members is a star: crowded buckets, as at a million sites.
    config = tmp_path / "evidence.toml"
    shipped = (ROOT / "analysis" / "data" / "evidence.toml").read_text()
    config.write_text(shipped.replace("lsh_bucket = 64", "lsh_bucket = 8"))
    default, spark = tmp_path / "default.db", tmp_path / "spark.db"
    for week in (week1, week2):
        facade("import", str(week), "--db", str(default))
        facade("cluster", "--db", str(default), "--evidence-config", str(config))
    shutil.copy(default, spark)
    for run in ("1", "2"):  # the second week's ids are carried from the first's
        facade("cluster", "--db", str(spark), "--run", run, "--engine", "spark",
               "--evidence-config", str(config))
        _assert_same(_stored(default, int(run)), _stored(spark, int(run)))
