"""`hct worker`: runs the tasks that the database backend of Django's task framework holds
(django-tasks-db), and keeps running when things go wrong.

What it adds to django-tasks-db's own `db_worker` (whose claim and run it uses):
- a heartbeat (WorkerBeat, from a thread, every HCT_WORKER_BEAT_SECONDS) naming the task the
  worker is running; a task whose worker has not beaten for HCT_WORKER_LEASE_SECONDS, or whose
  worker is alive but has let go of it (the database went away as it finished), is taken back
  and queued again. Every worker does this, so a killed worker's job is picked up by another;
- a database outage does not stop it: one line in the log, a wait that grows, a new connection,
  and one line when the database is back;
- `--processes N` runs N workers under one supervisor that starts a new one when one dies.
Several workers, on one machine or many, share the queue: a task is claimed under
SELECT … FOR UPDATE SKIP LOCKED on PostgreSQL (an exclusive transaction on SQLite).
"""

import contextlib
import datetime as dt
import logging
import multiprocessing
import os
import signal
import socket
import threading
import time
from types import FrameType

from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.db import transaction as db_transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import TaskResultStatus
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from hct.core.models import Job, WorkerBeat

log = logging.getLogger("hct.jobs")
DATABASE_DOWN = (OperationalError, InterfaceError)
MESSAGE_REQUEUED = "The worker running this job stopped; it will start again"
# A worker row not heard of for this long is forgotten (its tasks were taken back long before).
FORGET_AFTER = dt.timedelta(days=1)
# In --once mode (tests, a cron job) give up after this many failed looks at the database.
ONCE_OUTAGE_TRIES = 5


class _Busy(Exception):
    """The claim could not take the database's write lock this time."""


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}-{os.getpid()}-{get_random_string(6)}"


def _first_line(error: BaseException) -> str:
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__


def _close_connections(*, all_of_them: bool = True) -> None:
    """Drop this thread's connections (all, or those broken or past their age) so the next
    query makes a new one; never one inside a transaction: that belongs to whoever opened it
    (the test that runs a worker, a command that runs one in its own transaction)."""
    for connection in connections.all(initialized_only=True):
        if connection.in_atomic_block:
            continue
        if all_of_them:
            connection.close()
        else:
            connection.close_if_unusable_or_obsolete()


class Worker(db_worker.Worker):
    def __init__(
        self,
        *,
        poll_seconds: float = 1.0,
        once: bool = False,
        worker_id: str | None = None,
        backend_name: str = "default",
    ) -> None:
        super().__init__(
            queue_names=["*"],
            interval=poll_seconds,
            batch=once,
            backend_name=backend_name,
            startup_delay=False,
            max_tasks=None,
            worker_id=worker_id or new_worker_id(),
            excluded_queue_names=[],
        )
        self.once = once
        self.current = ""  # the task being run, as the heartbeat reports it
        self.started_at = timezone.now()
        self._down_since: float | None = None
        self._down_tries = 0
        self._reaped_at = float("-inf")

    # The loop ------------------------------------------------------------------------------
    def run(self) -> int:  # type: ignore[override]
        """Run tasks until stopped (or, once, until none is ready). Returns how many ran."""
        log.info("worker %s started (pid %s)", self.worker_id, os.getpid())
        heart = None if self.once else Heartbeat(self)
        if heart:
            heart.start()
        try:
            while self.running:
                try:
                    ran = self._step()
                except DATABASE_DOWN as error:
                    self._database_down(error)
                    continue
                self._database_back()
                if ran:
                    continue
                if self.once:
                    break
                time.sleep(self.interval)
        finally:
            if heart:
                heart.stop()
            self._sign_off()
        return self._run_tasks

    def _step(self) -> bool:
        _close_connections(all_of_them=False)
        self.beat()
        self._reap_when_due()
        try:
            task_result = self._claim()
        except _Busy:
            # Another worker holds SQLite's write lock for its claim. That is not an empty
            # queue: a --once worker that stopped here would leave ready tasks behind.
            time.sleep(self.interval)
            return True
        if task_result is None:
            return False
        try:
            self.run_task(task_result)
        finally:
            self.current = ""
        self.beat()
        return True

    def _claim(self) -> DBTaskResult | None:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        try:
            with exclusive_transaction(tasks.db):
                task_result = tasks.get_locked()
                if task_result is None:
                    return None
                # Named before the claim commits, so no heartbeat after the claim can say this
                # worker is not running it (which would have it taken back while it runs).
                self.current = str(task_result.id)
                task_result.claim(self.worker_id)
                WorkerBeat.objects.filter(pk=self.worker_id).update(
                    current_task=self.current, beat_at=timezone.now()
                )
        except OperationalError as error:
            self.current = ""
            if is_locked_database_exception(error):
                raise _Busy from error
            raise
        except BaseException:
            self.current = ""
            raise
        return task_result

    # Outages ------------------------------------------------------------------------------
    def _database_down(self, error: BaseException) -> None:
        self.current = ""
        self._down_tries += 1
        if self._down_since is None:
            self._down_since = time.monotonic()
            log.warning(
                "worker %s: the database cannot be reached (%s); waiting for it",
                self.worker_id,
                _first_line(error),
            )
        if self.once and self._down_tries >= ONCE_OUTAGE_TRIES:
            raise error
        _close_connections()
        time.sleep(min(30.0, self.interval * 2 ** min(self._down_tries, 5)))

    def _database_back(self) -> None:
        if self._down_since is None:
            return
        log.info(
            "worker %s: the database is back after %.0f s; carrying on",
            self.worker_id,
            time.monotonic() - self._down_since,
        )
        self._down_since = None
        self._down_tries = 0

    # Heartbeat and lost tasks ----------------------------------------------------------------
    def beat(self) -> None:
        fields = {
            "beat_at": timezone.now(),
            "current_task": self.current,
            "tasks_run": self._run_tasks,
        }
        if not WorkerBeat.objects.filter(pk=self.worker_id).update(**fields):
            WorkerBeat.objects.create(
                worker_id=self.worker_id,
                host=socket.gethostname()[:255],
                pid=os.getpid(),
                started_at=self.started_at,
                **fields,
            )

    def _sign_off(self) -> None:
        # If the database is away the row goes stale and is forgotten; its task is taken back.
        with contextlib.suppress(*DATABASE_DOWN):
            WorkerBeat.objects.filter(pk=self.worker_id).delete()

    def _reap_when_due(self) -> None:
        now = time.monotonic()
        if not self.once and now - self._reaped_at < settings.HCT_WORKER_BEAT_SECONDS:
            return
        self._reaped_at = now
        requeue_lost_tasks(backend_name=self.backend_name)


class Heartbeat(threading.Thread):
    """Beats for its worker while the worker runs a task (which may take minutes)."""

    def __init__(self, worker: Worker) -> None:
        super().__init__(name=f"heartbeat-{worker.worker_id}", daemon=True)
        self.worker = worker
        self.stopped = threading.Event()

    def run(self) -> None:
        try:
            while not self.stopped.wait(settings.HCT_WORKER_BEAT_SECONDS):
                try:
                    self.worker.beat()
                except DATABASE_DOWN:
                    _close_connections()  # the worker's loop says so in the log
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.stopped.set()
        self.join(timeout=5)


def lost_tasks(*, backend_name: str = "default") -> list[DBTaskResult]:
    """Running tasks whose worker is gone (no heartbeat within the lease) or has let go of them
    (a heartbeat since it claimed the task names another task or none)."""
    running = list(
        DBTaskResult.objects.running()
        .filter(backend_name=backend_name)
        .only("id", "worker_ids", "started_at")
    )
    if not running:
        return []
    owners = {task.worker_ids[-1] for task in running if task.worker_ids}
    beats = {beat.worker_id: beat for beat in WorkerBeat.objects.filter(worker_id__in=owners)}
    lease_start = timezone.now() - dt.timedelta(seconds=settings.HCT_WORKER_LEASE_SECONDS)
    lost = []
    for task in running:
        beat = beats.get(task.worker_ids[-1]) if task.worker_ids else None
        gone = beat is None or beat.beat_at < lease_start
        let_go = (
            beat is not None
            and beat.current_task != str(task.id)
            and task.started_at is not None
            and beat.beat_at > task.started_at
        )
        if gone or let_go:
            lost.append(task)
    return lost


def requeue_lost_tasks(*, backend_name: str = "default") -> int:
    """Queue lost tasks again (their jobs say so) and forget long-dead workers."""
    requeued = 0
    for task in lost_tasks(backend_name=backend_name):
        with db_transaction.atomic():
            still = (
                DBTaskResult.objects.select_for_update(skip_locked=True)
                .filter(pk=task.pk, status=TaskResultStatus.RUNNING)
                .first()
            )
            if still is None:
                continue  # finished meanwhile, or another worker is taking it back
            DBTaskResult.objects.filter(pk=task.pk).update(
                status=TaskResultStatus.READY, started_at=None
            )
            Job.objects.filter(
                task_id=str(task.pk), status__in=[Job.Status.QUEUED, Job.Status.RUNNING]
            ).update(status=Job.Status.QUEUED, message=MESSAGE_REQUEUED)
        requeued += 1
        log.warning(
            "task %s: its worker %s stopped or let go of it; queued again",
            task.pk,
            task.worker_ids[-1] if task.worker_ids else "(none)",
        )
    WorkerBeat.objects.filter(beat_at__lt=timezone.now() - FORGET_AFTER).delete()
    return requeued


# Several processes ---------------------------------------------------------------------------
def _run_one(poll_seconds: float) -> None:
    worker = Worker(poll_seconds=poll_seconds)
    worker.configure_signals()
    worker.run()


def supervise(*, processes: int, poll_seconds: float = 1.0) -> None:
    """Run `processes` workers, each its own process and connection; start a new one in place
    of one that dies, until SIGTERM or Ctrl-C, which stops each after its current task."""
    context = multiprocessing.get_context("fork")
    stopping = threading.Event()
    children: list[multiprocessing.process.BaseProcess] = []

    def start() -> multiprocessing.process.BaseProcess:
        connections.close_all()  # a forked child must not share the parent's connection
        child = context.Process(target=_run_one, args=(poll_seconds,), daemon=False)
        child.start()
        return child

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()
        for child in children:
            if child.is_alive() and child.pid:
                os.kill(child.pid, signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    children.extend(start() for _ in range(processes))
    log.info("supervisor (pid %s): %s worker processes", os.getpid(), processes)
    while not stopping.is_set():
        for index, child in enumerate(children):
            if not child.is_alive() and not stopping.is_set():
                log.warning(
                    "worker process %s stopped (exit code %s); starting another",
                    child.pid,
                    child.exitcode,
                )
                children[index] = start()
        stopping.wait(1.0)
    for child in children:
        child.join(timeout=60)
