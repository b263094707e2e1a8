"""The task worker (hct.core.worker) on django-tasks-db: lost tasks are taken back, database
errors are retried with back-off, an outage is waited out, and two workers never run one job
twice. These run on SQLite and on PostgreSQL (scripts/test.sh runs the suite on both)."""

import datetime as dt
import logging
import threading

import pytest
from django.db import OperationalError, connection
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from hct.core import worker as worker_module
from hct.core.jobs import (
    MESSAGE_GAVE_UP,
    job_enqueue,
    job_handler,
    retry_seconds,
    work,
)
from hct.core.models import Job, WorkerBeat
from hct.core.roles import Role
from hct.core.selectors import worker_health
from hct.core.worker import MESSAGE_REQUEUED, Worker, lost_tasks, requeue_lost_tasks

pytestmark = pytest.mark.django_db

_flaky_calls: list[int] = []
_runs: list[str] = []
_runs_lock = threading.Lock()


@job_handler("test.flaky")
def _flaky(params, *, report, actor):
    # Fails with a database error the first `fails` times, as a restart of the database would.
    _flaky_calls.append(1)
    if len(_flaky_calls) <= params["fails"]:
        raise OperationalError("server closed the connection unexpectedly")
    return {"calls": len(_flaky_calls)}


@job_handler("test.record")
def _record(params, *, report, actor):
    with _runs_lock:
        _runs.append(params["name"])
    return {"name": params["name"]}


@pytest.fixture(autouse=True)
def _queued(settings):
    settings.HCT_JOBS_INLINE = False
    settings.HCT_JOBS_RETRY_SECONDS = 0  # retry at once: the back-off itself is tested below
    _flaky_calls.clear()
    _runs.clear()


def _claim_as(worker_id: str, job: Job) -> DBTaskResult:
    """Leave the job's task as a worker does the moment it claims it."""
    task = DBTaskResult.objects.get(pk=job.task_id)
    task.claim(worker_id)
    Job.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, attempts=1)
    return task


def _beat(worker_id: str, *, seconds_ago: float, current: str = "") -> None:
    at = timezone.now() - dt.timedelta(seconds=seconds_ago)
    WorkerBeat.objects.create(
        worker_id=worker_id, host="h", pid=1, started_at=at, beat_at=at, current_task=current
    )


def test_a_task_whose_worker_died_is_taken_back_and_finished_by_another(settings):
    job = job_enqueue(actor=None, kind="test.record", params={"name": "lost"})
    task = _claim_as("dead-worker", job)
    _beat("dead-worker", seconds_ago=settings.HCT_WORKER_LEASE_SECONDS + 5, current=str(task.pk))

    assert [t.pk for t in lost_tasks()] == [task.pk]
    assert work(once=True) == 1

    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.attempts == 2  # the lost start counts
    assert _runs == ["lost"]


def test_a_task_whose_worker_is_alive_is_left_alone(settings):
    job = job_enqueue(actor=None, kind="test.record", params={"name": "busy"})
    task = _claim_as("live-worker", job)
    _beat("live-worker", seconds_ago=1, current=str(task.pk))

    assert lost_tasks() == []
    assert requeue_lost_tasks() == 0
    assert work(once=True) == 0
    assert DBTaskResult.objects.get(pk=task.pk).status == TaskResultStatus.RUNNING


def test_a_task_its_living_worker_let_go_of_is_queued_again(settings):
    # The worker is alive but beat after claiming with another task (or none) as its current
    # one: the database went away as it finished, so the task was never marked done.
    job = job_enqueue(actor=None, kind="test.record", params={"name": "let go"})
    task = _claim_as("live-worker", job)
    DBTaskResult.objects.filter(pk=task.pk).update(
        started_at=timezone.now() - dt.timedelta(seconds=10)
    )
    _beat("live-worker", seconds_ago=1, current="")

    assert requeue_lost_tasks() == 1
    job.refresh_from_db()
    assert (job.status, job.message) == (Job.Status.QUEUED, MESSAGE_REQUEUED)
    assert DBTaskResult.objects.get(pk=task.pk).status == TaskResultStatus.READY


def test_a_database_error_in_a_job_is_retried_and_the_job_finishes():
    job = job_enqueue(actor=None, kind="test.flaky", params={"fails": 2})
    work(once=True)
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    assert job.attempts == 3
    assert job.result == {"calls": 3}
    # Each try was its own task: two retried, one done.
    assert DBTaskResult.objects.count() == 3


def test_a_job_that_keeps_meeting_database_errors_gives_up_and_says_so(settings):
    settings.HCT_JOBS_MAX_ATTEMPTS = 3
    job = job_enqueue(actor=None, kind="test.flaky", params={"fails": 99})
    work(once=True)
    job.refresh_from_db()
    assert job.status == Job.Status.FAILED
    assert job.message == MESSAGE_GAVE_UP.format(attempts=3)
    assert len(_flaky_calls) == 3


def test_back_off_doubles_and_is_capped(settings):
    settings.HCT_JOBS_RETRY_SECONDS = 5
    assert [retry_seconds(n) for n in (1, 2, 3, 4)] == [5, 10, 20, 40]
    assert retry_seconds(30) == 600


def test_a_retry_waits_its_back_off_before_it_is_run(settings):
    settings.HCT_JOBS_RETRY_SECONDS = 60
    job = job_enqueue(actor=None, kind="test.flaky", params={"fails": 1})
    work(once=True)  # the first try fails; the retry is due in a minute
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED
    assert "trying again in 60 s" in job.message
    retry = DBTaskResult.objects.get(pk=job.task_id)
    assert retry.run_after > timezone.now() + dt.timedelta(seconds=50)
    assert work(once=True) == 0  # not yet


def test_the_worker_waits_out_a_database_outage_and_carries_on(monkeypatch, caplog):
    job = job_enqueue(actor=None, kind="test.record", params={"name": "after the outage"})
    real_step = Worker._step
    outage = {"left": 2}

    def step(self):
        if outage["left"]:
            outage["left"] -= 1
            raise OperationalError("could not connect to server: Connection refused")
        return real_step(self)

    monkeypatch.setattr(Worker, "_step", step)
    monkeypatch.setattr(worker_module.time, "sleep", lambda seconds: None)
    with caplog.at_level(logging.INFO, logger="hct.jobs"):
        assert work(once=True) == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE
    lines = [r.getMessage() for r in caplog.records]
    assert sum("cannot be reached" in line for line in lines) == 1  # one line, not a flood
    assert any("the database is back" in line for line in lines)


def test_a_worker_gives_up_in_once_mode_when_the_database_stays_away(monkeypatch):
    def step(self):
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(Worker, "_step", step)
    monkeypatch.setattr(worker_module.time, "sleep", lambda seconds: None)
    with pytest.raises(OperationalError):
        work(once=True)


@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_the_queue_run_each_job_exactly_once(sqlite_writers_wait):
    # Each thread has its own connection (Django's in-memory test SQLite is shared between
    # threads), so the claims really race: SKIP LOCKED on PostgreSQL, a lock on SQLite.
    jobs = [
        job_enqueue(actor=None, kind="test.record", params={"name": f"job {n}"}) for n in range(12)
    ]
    errors: list[BaseException] = []

    def run():
        try:
            Worker(once=True, poll_seconds=0.01).run()
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sorted(_runs) == sorted(f"job {n}" for n in range(12))  # each once, none twice
    assert set(
        Job.objects.filter(pk__in=[j.pk for j in jobs]).values_list("status", flat=True)
    ) == {Job.Status.DONE}


def test_the_administrator_sees_heartbeats_queue_and_failures(settings, client_for):
    job_enqueue(actor=None, kind="test.record", params={"name": "waiting"})
    failed = Job.objects.create(kind="test.flaky", status=Job.Status.FAILED, message="It broke")
    _beat("old-worker", seconds_ago=settings.HCT_WORKER_LEASE_SECONDS + 60)

    health = worker_health()
    assert health.jobs[Job.Status.QUEUED] == 1
    assert health.jobs[Job.Status.FAILED] == 1
    assert health.alive == 0
    assert health.waiting_with_no_worker
    assert health.failed == [failed]

    page = client_for(Role.ADMIN).get(reverse("core:workers")).content.decode()
    assert "1 job waiting and no worker is running" in page
    assert "Not heard from: its job will be started again" in page
    assert "It broke" in page

    _beat("new-worker", seconds_ago=0)
    page = client_for(Role.ADMIN).get(reverse("core:workers")).content.decode()
    assert "no worker is running" not in page
    assert "1 of 2 workers heard from" in page
