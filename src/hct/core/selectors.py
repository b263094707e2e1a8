"""Reads of core's own records for pages: how the background workers are doing."""

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from hct.core.models import Job, WorkerBeat


@dataclass(frozen=True)
class WorkerState:
    beat: WorkerBeat
    seconds_since_beat: int
    alive: bool  # heard from within the lease: others will not take its task back


@dataclass(frozen=True)
class WorkerHealth:
    workers: list[WorkerState]
    jobs: dict[str, int]  # Job.Status value -> how many
    tasks: dict[str, int]  # the task framework's status -> how many
    failed: list[Job]  # the latest failures, newest first

    @property
    def alive(self) -> int:
        return sum(worker.alive for worker in self.workers)

    @property
    def waiting_with_no_worker(self) -> bool:
        """Jobs are queued and no worker is alive to run them: what an administrator must act on."""
        return self.jobs.get(Job.Status.QUEUED, 0) > 0 and self.alive == 0


def worker_health(*, failures: int = 10) -> WorkerHealth:
    """The workers' heartbeats, jobs and tasks by status, and the latest failures: four queries
    whatever the size of the queue."""
    now = timezone.now()
    lease = dt.timedelta(seconds=settings.HCT_WORKER_LEASE_SECONDS)
    workers = [
        WorkerState(
            beat=beat,
            seconds_since_beat=max(0, int((now - beat.beat_at).total_seconds())),
            alive=now - beat.beat_at <= lease,
        )
        for beat in WorkerBeat.objects.order_by("-beat_at")
    ]
    jobs = {status: 0 for status in Job.Status.values}
    for row in Job.objects.values("status").annotate(n=Count("pk")).order_by():
        jobs[row["status"]] = row["n"]
    tasks = {
        row["status"]: row["n"]
        for row in DBTaskResult.objects.values("status").annotate(n=Count("pk")).order_by()
    }
    failed = list(
        Job.objects.filter(status=Job.Status.FAILED)
        .only("id", "kind", "message", "finished_at", "attempts")
        .order_by("-finished_at")[:failures]
    )
    return WorkerHealth(workers=workers, jobs=jobs, tasks=tasks, failed=failed)


def latest_worker_beat() -> dt.datetime | None:
    """When any task worker last reported: one indexed read, cheap enough for a load balancer's
    readiness probe every few seconds."""
    return WorkerBeat.objects.order_by("-beat_at").values_list("beat_at", flat=True).first()
