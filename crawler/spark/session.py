"""The Spark session `facade cluster --engine spark` runs on: local mode on this machine by
default (every core), or the cluster ``--spark-master`` names.

Example:
    >>> with spark_session("local[2]") as spark:     # doctest: +SKIP
    ...     spark.range(3).count()
    3
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager


@contextmanager
def spark_session(master: str | None = None, partitions: int | None = None):
    """A SparkSession for the block, stopped after it."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise RuntimeError("the spark engine needs pyspark (pip install 'facade[scale]')"
                           " and a Java runtime") from None
    # Spark's Python workers must be this interpreter, with facade importable.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    os.environ.setdefault("PYSPARK_DRIVER_PYTHON", sys.executable)
    local = master is None or master.startswith("local")
    if local:
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    builder = (SparkSession.builder.appName("facade-cluster")
               .master(master or f"local[{os.cpu_count() or 1}]")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.shuffle.partitions", str(partitions or 16))
               .config("spark.default.parallelism", str(partitions or 16))
               .config("spark.driver.memory", os.environ.get("FACADE_SPARK_MEMORY", "4g"))
               .config("spark.sql.execution.arrow.pyspark.enabled", "true")
               .config("spark.python.worker.reuse", "true"))
    if local:
        builder = (builder.config("spark.driver.host", "127.0.0.1")
                   .config("spark.driver.bindAddress", "127.0.0.1"))
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    try:
        yield spark
    finally:
        spark.stop()
