"""Background jobs: long work runs outside the request, with progress a page can show.

An app registers a handler for a kind of job (`@job_handler("directory.import")`); a view calls
`job_enqueue`, and `hct worker` runs queued jobs one at a time. A handler receives the job's
params and a `report(progress, total, message)` callback; what it returns is kept as the job's
result. A handler's own writes belong in its own transaction: a failure marks the job failed
with a message and leaves nothing half-written.

With `HCT_JOBS_INLINE = True` (tests, and anywhere no worker runs) a job runs at once, in the
same process, before `job_enqueue` returns.
"""

import logging
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from hct.core.models import Job

log = logging.getLogger("hct.jobs")
_handlers: dict[str, Callable[..., dict]] = {}


class JobError(Exception):
    """A failure whose message is fit to show the user (no traceback, no personal data)."""


def job_handler(kind: str):
    def register(function: Callable[..., dict]) -> Callable[..., dict]:
        _handlers[kind] = function
        return function

    return register


def job_enqueue(*, actor: Any, kind: str, params: dict | None = None) -> Job:
    if kind not in _handlers:
        raise ValueError(f"no handler for jobs of kind {kind!r}")
    job = Job.objects.create(kind=kind, params=params or {}, created_by=actor if actor else None)
    if settings.HCT_JOBS_INLINE:
        job_run(job.pk)
        job.refresh_from_db()
    return job


def _save(job: Job, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    Job.objects.filter(pk=job.pk).update(**fields)


def job_run(job_id) -> Job:
    """Run one job to the end, recording progress as it goes."""
    job = Job.objects.get(pk=job_id)
    handler = _handlers.get(job.kind)
    _save(job, status=Job.Status.RUNNING, started_at=timezone.now())

    def report(progress: int, total: int | None = None, message: str = "") -> None:
        fields: dict[str, object] = {"progress": progress}
        if total is not None:
            fields["total"] = total
        if message:
            fields["message"] = message
        _save(job, **fields)

    try:
        if handler is None:
            raise JobError(f"This kind of job ({job.kind}) is not known to this server")
        result = handler(job.params, report=report, actor=job.created_by) or {}
    except JobError as error:
        _save(job, status=Job.Status.FAILED, message=str(error), finished_at=timezone.now())
    except Exception:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        _save(
            job,
            status=Job.Status.FAILED,
            message="Something went wrong and nothing was saved. The error has been logged.",
            finished_at=timezone.now(),
        )
    else:
        _save(job, status=Job.Status.DONE, result=result, finished_at=timezone.now())
    return job


def job_claim_next() -> Job | None:
    """Take the oldest queued job, so that two workers never run the same one."""
    with transaction.atomic():
        queryset = Job.objects.filter(status=Job.Status.QUEUED).order_by("created_at")
        if transaction.get_connection().features.has_select_for_update_skip_locked:
            queryset = queryset.select_for_update(skip_locked=True)
        job = queryset.first()
        if job is None:
            return None
        claimed = Job.objects.filter(pk=job.pk, status=Job.Status.QUEUED).update(
            status=Job.Status.RUNNING
        )
    return job if claimed else None


def work(*, once: bool = False, poll_seconds: float = 1.0) -> int:
    """Run queued jobs until stopped (or, with once=True, until the queue is empty)."""
    done = 0
    while True:
        job = job_claim_next()
        if job is None:
            if once:
                return done
            time.sleep(poll_seconds)
            continue
        job_run(job.pk)
        done += 1
