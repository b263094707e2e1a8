"""How `hct serve` runs gunicorn: worker processes, threads, timeouts and the files it keeps.

Kept apart from the CLI and free of Django so the argument list can be computed, and tested,
without a database or settings.
"""

import os
from collections.abc import Mapping
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]
# More processes than this on one host cost memory (a Django process each) without adding
# throughput: past it, add app servers behind the load balancer instead.
MAX_WORKERS = 8
# A Unix socket's path may be at most about 108 bytes (sun_path); leave room.
MAX_SOCKET_PATH = 100


def _int(environ: Mapping[str, str], name: str, default: int) -> int:
    value = environ.get(name, "")
    return int(value) if value.strip() else default


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))  # the cores this process may use, not the host's
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def var_dir(environ: Mapping[str, str]) -> Path:
    """The instance's own directory, as the settings choose it (HCT_VAR_DIR, else var/)."""
    return Path(environ.get("HCT_VAR_DIR") or PROJECT_DIR / "var")


def worker_count(environ: Mapping[str, str], cores: int | None = None) -> int:
    """HCT_WEB_WORKERS, else gunicorn's rule of thumb 2 × cores + 1, at most MAX_WORKERS."""
    if environ.get("HCT_WEB_WORKERS", "").strip():
        return max(1, int(environ["HCT_WEB_WORKERS"]))
    return min(2 * (cores or _cores()) + 1, MAX_WORKERS)


def gunicorn_arguments(
    bind: str, workers: int | None = None, environ: Mapping[str, str] = os.environ
) -> list[str]:
    """gunicorn's command line for one instance of hct (after `python -m gunicorn`)."""
    here = var_dir(environ)
    tmp = here / "gunicorn-tmp"
    arguments = [
        "hct.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers or worker_count(environ)),
        # Threads in each worker: a slow page (a report, a large map) holds one thread, not the
        # whole process, so the pages behind it are still answered.
        "--worker-class",
        "gthread",
        "--threads",
        str(_int(environ, "HCT_WEB_THREADS", 4)),
        # A request still running after this is stuck: gunicorn restarts its worker. Long work
        # belongs to `hct worker`, so a page needs far less.
        "--timeout",
        str(_int(environ, "HCT_WEB_TIMEOUT", 60)),
        # On SIGTERM or a reload, requests under way get this long to finish.
        "--graceful-timeout",
        str(_int(environ, "HCT_WEB_GRACEFUL_TIMEOUT", 30)),
        # Behind a load balancer, set it above the balancer's idle timeout (docs/operations.md).
        "--keep-alive",
        str(_int(environ, "HCT_WEB_KEEPALIVE", 5)),
        # The files one instance keeps live under its own HCT_VAR_DIR, so two instances on one
        # host (two cities, or staging beside live) never share a pid file or control socket.
        "--pid",
        str(here / "gunicorn.pid"),
        "--worker-tmp-dir",
        str(tmp),
        "--access-logfile",
        "-",
    ]
    socket = here / "gunicorn.ctl"
    if len(str(socket).encode()) <= MAX_SOCKET_PATH:
        arguments += ["--control-socket", str(socket)]
    else:
        # Too long a path for a Unix socket: go without the control interface (gunicornc)
        # rather than fall back to gunicorn's shared default in the home directory.
        arguments.append("--no-control-socket")
    return arguments


def prepare(environ: Mapping[str, str] = os.environ) -> None:
    """Create the directories gunicorn writes into."""
    (var_dir(environ) / "gunicorn-tmp").mkdir(parents=True, exist_ok=True)
