"""`make bench`: run each benchmark the issues name and print each figure beside its baseline.

Every module in bench/ with a `run()` that yields figures is a benchmark; `make bench NAME=...`
(or `python -m bench NAME ...`) runs only those named.
"""

import importlib
import os
import pkgutil
import sys
from pathlib import Path

from bench.harness import setup_django

NOT_BENCHMARKS = {"harness", "urls", "__main__", "worker_child"}


def names() -> list[str]:
    here = Path(__file__).parent
    return sorted(m.name for m in pkgutil.iter_modules([str(here)]) if m.name not in NOT_BENCHMARKS)


def main(argv: list[str]) -> int:
    chosen = argv or names()
    unknown = set(chosen) - set(names())
    if unknown:
        print(f"no such benchmark: {', '.join(sorted(unknown))}; have {', '.join(names())}")
        return 2
    workdir = setup_django()
    print(
        f"hct benchmarks (database: {os.environ['DATABASE_URL'].split('@')[-1]}, work: {workdir})"
    )
    for name in chosen:
        module = importlib.import_module(f"bench.{name}")
        for figure in module.run():
            print(figure.line(), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
