"""Shared pieces of the benchmarks: a database to run on, timing, and how figures are printed."""

import os
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path


def setup_django(database_url: str | None = None) -> Path:
    """Point Django at a benchmark database of its own (SQLite in a temporary folder unless
    BENCH_DATABASE_URL names another) and migrate it."""
    workdir = Path(tempfile.mkdtemp(prefix="hct-bench-"))
    os.environ["DATABASE_URL"] = database_url or os.environ.get(
        "BENCH_DATABASE_URL", f"sqlite:///{workdir / 'bench.sqlite3'}"
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hct.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    return workdir


def median_seconds(action: Callable[[], object], *, repeat: int, warmup: int = 5) -> float:
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        samples.append(time.perf_counter() - start)
    return statistics.median(samples)


def paired_medians(
    a: Callable, b: Callable, *, repeat: int, warmup: int = 5
) -> tuple[float, float, float]:
    """Time a and b in turn, a b a b …, so drift in the machine's speed touches both alike.
    Returns the median of a, the median of b and the median of the pairwise ratios a/b."""
    for _ in range(warmup):
        a()
        b()
    times_a, times_b, ratios = [], [], []
    for _ in range(repeat):
        start = time.perf_counter()
        a()
        middle = time.perf_counter()
        b()
        end = time.perf_counter()
        times_a.append(middle - start)
        times_b.append(end - middle)
        ratios.append((middle - start) / (end - middle))
    return statistics.median(times_a), statistics.median(times_b), statistics.median(ratios)


@dataclass
class Figure:
    name: str
    measured: str
    baseline: str
    ratio: float
    target: str

    def line(self) -> str:
        return f"{self.name}\n    measured {self.measured}; baseline {self.baseline}; ratio {self.ratio:.2f} (target {self.target})"


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


POSTGRES_SERVER = "postgres://postgres@127.0.0.1:5432"


def postgres_database_url(name: str) -> str:
    """BENCH_DATABASE_URL if set, else the PostgreSQL database `name` on the local server,
    created when missing (never the `test` one the test suite uses)."""
    given = os.environ.get("BENCH_DATABASE_URL")
    if given:
        return given
    import psycopg

    with psycopg.connect(f"{POSTGRES_SERVER}/postgres", autocommit=True) as connection:
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')
    return f"{POSTGRES_SERVER}/{name}"


def figures_from_child(module: str, database_url: str) -> list[Figure]:
    """Run `python -m <module>` on its own database (Django is set up once per process) and read
    the figures it prints as JSON on its last line."""
    import json
    import subprocess
    import sys

    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "DATABASE_URL": database_url, "PYTHONPATH": f"{root}:{root / 'src'}"}
    env.pop("BENCH_DATABASE_URL", None)
    result = subprocess.run(
        [sys.executable, "-m", module],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"{module} failed:\n{result.stderr[-3000:]}")
    return [Figure(**figure) for figure in json.loads(result.stdout.strip().splitlines()[-1])]
