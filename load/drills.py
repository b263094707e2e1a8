"""The fault drills of `make load`: each says what it expects, does the harm, and checks.

1. Kill a web worker (SIGKILL one gunicorn worker): gunicorn starts another; pages keep being
   answered (a request caught in the killed worker may fail; none after it).
2. Kill the task worker mid-job (SIGKILL `hct worker` while it runs a matching run over the
   city), start another: the job is taken back within the lease and finishes, once.
3. Stop the database for 20 s and start it again, with a worker running: meanwhile pages that
   read the database answer 503 with Retry-After (not 500) and a page that needs none still
   answers, the worker keeps running; afterwards pages answer 200 again
   by themselves and a job queued before the database came back finishes.
"""

import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Pages that cannot be answered without the database, for anyone.
DATABASE_PAGES = ("/commitments/public/", "/learning/open-data/", "/api/oruk/services")


def _status(url: str) -> tuple[int, dict]:
    request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - loopback
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)
    except OSError:
        return 0, {}


def _warm(site, paths: tuple[str, ...]) -> None:
    for _ in range(2 * len(_gunicorn_workers(site.server.pid))):
        for path in paths:
            _status(f"{site.base}{path}")


def _check(ok: bool, expected: str, seen: str) -> bool:
    print(f"  {'ok ' if ok else 'FAILED'} expected: {expected}; seen: {seen}", flush=True)
    return ok


def _gunicorn_workers(master: int) -> list[int]:
    out = subprocess.run(
        ["ps", "-o", "pid=", "--ppid", str(master)], capture_output=True, text=True
    )
    return [int(pid) for pid in out.stdout.split()]


def _django(site, code: str) -> str:
    """Run a snippet of Django code in the site's environment and return what it prints."""
    program = (
        "import django, os\nos.environ.setdefault('DJANGO_SETTINGS_MODULE', 'hct.settings')\ndjango.setup()\n"
        + code
    )
    return subprocess.run(
        [sys.executable, "-c", program],
        cwd=ROOT,
        env=site.env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()


def _enqueue_matching(site) -> str:
    return _django(
        site,
        "from hct.core.jobs import job_enqueue\nfrom hct.matching.jobs import RUN_JOB\n"
        "print(job_enqueue(actor=None, kind=RUN_JOB).pk)",
    )


def _job(site, job_id: str) -> dict:
    """The job's row, read straight from the database: polling through a new Django process
    each time would take seconds, long enough to miss the moment a job starts."""
    import psycopg

    try:
        with psycopg.connect(site.database.url, connect_timeout=5) as connection:
            row = connection.execute(
                "SELECT status, attempts, message FROM core_job WHERE id = %s", [job_id]
            ).fetchone()
    except psycopg.OperationalError:
        return {"status": "unknown", "attempts": 0, "message": "the database is away"}
    return {"status": row[0], "attempts": row[1], "message": row[2]}


def _worker(site) -> subprocess.Popen:
    worker = subprocess.Popen(
        [sys.executable, "-m", "hct", "worker"],
        cwd=ROOT,
        env=site.env,
        stdout=open(site.var_dir / "worker.log", "ab"),  # noqa: SIM115 - closed with the process
        stderr=subprocess.STDOUT,
    )
    site.children.append(worker)
    return worker


def _wait(condition, seconds: float) -> float | None:
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if condition():
            return time.monotonic() - start
        time.sleep(0.25)
    return None


def kill_a_web_worker(site) -> bool:
    print(
        "drill 1: kill a web worker (SIGKILL); expect another started and every page answered",
        flush=True,
    )
    before = _gunicorn_workers(site.server.pid)
    os.kill(before[0], signal.SIGKILL)
    codes = Counter(_status(f"{site.base}/about/")[0] for _ in range(40))
    back = _wait(lambda: len(set(_gunicorn_workers(site.server.pid)) - set(before)) >= 1, 30)
    after = Counter(_status(f"{site.base}/about/")[0] for _ in range(20))
    ok = _check(back is not None, "a new worker within 30 s", f"{back:.1f} s" if back else "none")
    return (
        _check(
            after == Counter({200: 20}) and codes[200] >= 39,
            "200s (at most one lost request)",
            f"during {dict(codes)}, after {dict(after)}",
        )
        and ok
    )


def kill_the_task_worker(site) -> bool:
    print(
        "drill 2: kill the task worker mid-job (SIGKILL); expect the job taken back and finished once",
        flush=True,
    )
    first = _worker(site)
    job_id = _enqueue_matching(site)
    started = _wait(lambda: _job(site, job_id)["status"] == "running", 60)
    first.send_signal(signal.SIGKILL)
    first.wait()
    second = _worker(site)
    try:
        done = _wait(lambda: _job(site, job_id)["status"] in {"done", "failed"}, 120)
        job = _job(site, job_id)
    finally:
        second.terminate()
        second.wait(timeout=60)
    ok = _check(
        started is not None,
        "the job running before the kill",
        "running" if started else "never ran",
    )
    return (
        _check(
            done is not None and job["status"] == "done" and job["attempts"] >= 2,
            "done within 120 s of the kill, started twice (the lost start counts)",
            f"{job['status']} after {done:.0f} s, {job['attempts']} starts"
            if done
            else f"{job['status']}",
        )
        and ok
    )


def stop_the_database(site) -> bool:
    print(
        "drill 3: stop the database for 20 s; expect 503 + Retry-After meanwhile, then 200 and the worker carrying on",
        flush=True,
    )
    if not site.database.stoppable:
        return _check(
            False, "a throwaway database to stop", "LOAD_DATABASE_URL names one; not stopped"
        )
    worker = _worker(site)
    try:
        # Every web worker has loaded these pages' code before the database goes: the first
        # request a worker answers for a page imports its modules, seconds on a busy machine,
        # which would be counted against the outage (drill 1 has just started a new worker).
        _warm(site, DATABASE_PAGES)
        time.sleep(3)  # the worker is up
        site.database.down()
        time.sleep(2)
        during = [_status(f"{site.base}{path}") for path in DATABASE_PAGES]
        plain = _status(f"{site.base}/about/")[0]
        time.sleep(18)
        site.database.up()
        back = _wait(lambda: _status(f"{site.base}/about/")[0] == 200, 60)
        alive = worker.poll() is None
        job_id = _enqueue_matching(site)
        done = _wait(lambda: _job(site, job_id)["status"] == "done", 120)
    finally:
        worker.terminate()
        worker.wait(timeout=60)
    codes = [code for code, _ in during]
    ok = _check(
        all(code == 503 and "Retry-After" in headers for code, headers in during),
        "503 with Retry-After on pages that read the database (public commitments, open data, the API)",
        str(codes),
    )
    ok = _check(plain == 200, "200 on a page that needs no database (about)", str(plain)) and ok
    ok = (
        _check(
            back is not None,
            "200 again within 60 s of the database starting",
            f"{back:.1f} s" if back else "no",
        )
        and ok
    )
    ok = (
        _check(
            alive,
            "the task worker still running after the outage",
            "running" if alive else "it died",
        )
        and ok
    )
    return (
        _check(
            done is not None,
            "a matching run queued after the outage done within 120 s",
            f"{done:.0f} s" if done else "not done",
        )
        and ok
    )


def run_all(site) -> bool:
    results = [kill_a_web_worker(site), kill_the_task_worker(site), stop_the_database(site)]
    print(f"drills: {sum(results)} of {len(results)} passed", flush=True)
    return all(results)
