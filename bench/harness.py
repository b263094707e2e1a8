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
