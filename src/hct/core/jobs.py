"""Background jobs: long work runs outside the request, with progress a page can show.

An app registers a handler for a kind of job (`@job_handler("directory.import")`); a view calls
`job_enqueue`, and `hct worker` runs it. A handler receives the job's params and a
`report(progress, total, message)` callback; what it returns is kept as the job's result. A
handler's own writes belong in its own transaction: a failure marks the job failed with a
message and leaves nothing half-written.

Underneath, a job is one task of Django's task framework (`django-tasks`, the backport of
Django 6's `django.tasks`): every kind goes through the one task `run_job`, whose only argument
is the job's id, so the same code runs on the database backend (`hct worker`), on Django 6's
own, or on an RQ or Celery backend. The `Job` row is what the page shows: status, progress,
message and result.

Delivery is at least once (docs/jobs.md): a job whose worker died is run again, and so is one
that met a database error (with back-off), up to HCT_JOBS_MAX_ATTEMPTS starts. A job already
finished is never run again, and handlers write all or nothing, so a second run finds either
nothing of the first or a finished job.

With `HCT_JOBS_INLINE = True` (tests, and anywhere no worker runs) a job runs at once, in the
same process, before `job_enqueue` returns.
"""

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from django_tasks import task

from hct.core.models import Job
from hct.core.worker import Worker

log = logging.getLogger("hct.jobs")
_handlers: dict[str, Callable[..., dict]] = {}

# The database went away under the job (a restart, a fail-over, a dropped connection): worth
# another try later, unlike a bug or bad input.
TRANSIENT_ERRORS = (OperationalError, InterfaceError)
INLINE_BACKEND = "inline"

MESSAGE_CRASHED = "Something went wrong and nothing was saved. The error has been logged."
MESSAGE_UNKNOWN_KIND = "This kind of job ({kind}) is not known to this server"
MESSAGE_RETRYING = (
    "The database could not be reached, so nothing was saved; trying again in {seconds} s "
    "(try {attempt} of {attempts})"
)
MESSAGE_GAVE_UP = (
    "This job was started {attempts} times and did not finish (the database could not be "
    "reached, or its worker stopped). Nothing was saved: start it again later."
)
MESSAGE_DATABASE_INLINE = "The database could not be reached, so nothing was saved. Try again."


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
    _dispatch(job)
    if settings.HCT_JOBS_INLINE:
        job.refresh_from_db()
    return job


def _dispatch(job: Job, *, delay_seconds: float = 0) -> None:
    """Hand the job to the task framework (a new task each time: a retry is a new task)."""
    chosen = run_job.using(backend=INLINE_BACKEND if settings.HCT_JOBS_INLINE else "default")
    if delay_seconds and chosen.get_backend().supports_defer:
        chosen = chosen.using(run_after=timezone.now() + dt.timedelta(seconds=delay_seconds))
    result = chosen.enqueue(str(job.pk))
    _save(job, task_id=str(result.id))


def _save(job: Job, **fields) -> None:
    for name, value in fields.items():
        setattr(job, name, value)
    Job.objects.filter(pk=job.pk).update(**fields)


@task()
def run_job(job_id: str) -> str:
    """The one task every job runs as: its handler, with progress on the Job row."""
    job = job_run(job_id)
    return job.status if job else "gone"


def retry_seconds(attempt: int) -> int:
    """Back-off before the next try after a database error: doubling, at most ten minutes."""
    return min(600, settings.HCT_JOBS_RETRY_SECONDS * 2 ** max(0, attempt - 1))


def job_run(job_id) -> Job | None:
    """Run one job to the end, recording progress as it goes."""
    job = Job.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None:
        log.warning("job %s is no longer there; its task does nothing", job_id)
        return None
    if job.finished:
        # At least once: the task came again (its worker was lost after the job had finished).
        return job
    if job.attempts >= settings.HCT_JOBS_MAX_ATTEMPTS:
        _fail(job, MESSAGE_GAVE_UP.format(attempts=job.attempts))
        return job
    handler = _handlers.get(job.kind)
    _save(job, status=Job.Status.RUNNING, started_at=timezone.now(), attempts=job.attempts + 1)

    def report(progress: int, total: int | None = None, message: str = "") -> None:
        fields: dict[str, object] = {"progress": progress}
        if total is not None:
            fields["total"] = total
        if message:
            fields["message"] = message
        _save(job, **fields)

    try:
        if handler is None:
            raise JobError(MESSAGE_UNKNOWN_KIND.format(kind=job.kind))
        result = handler(job.params, report=report, actor=job.created_by) or {}
    except JobError as error:
        _fail(job, str(error))
    except TRANSIENT_ERRORS as error:
        _retry_later(job, error)
    except Exception:
        log.exception("job %s (%s) failed", job.pk, job.kind)
        _fail(job, MESSAGE_CRASHED)
    else:
        _save(job, status=Job.Status.DONE, result=result, finished_at=timezone.now())
    return job


def _fail(job: Job, message: str) -> None:
    _save(job, status=Job.Status.FAILED, message=message, finished_at=timezone.now())


def _retry_later(job: Job, error: Exception) -> None:
    first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    log.warning("job %s (%s) met a database error: %s", job.pk, job.kind, first_line)
    if settings.HCT_JOBS_INLINE:
        # In a request there is no one to try again later: say so, the user can.
        _fail(job, MESSAGE_DATABASE_INLINE)
        return
    if job.attempts >= settings.HCT_JOBS_MAX_ATTEMPTS:
        _fail(job, MESSAGE_GAVE_UP.format(attempts=job.attempts))
        return
    seconds = retry_seconds(job.attempts)
    # If the database is still away these writes fail too; the worker then keeps the task,
    # waits for the database, and hands the task back to the queue (hct.core.worker).
    _save(
        job,
        status=Job.Status.QUEUED,
        message=MESSAGE_RETRYING.format(
            seconds=seconds, attempt=job.attempts + 1, attempts=settings.HCT_JOBS_MAX_ATTEMPTS
        ),
    )
    _dispatch(job, delay_seconds=seconds)


def work(*, once: bool = False, poll_seconds: float = 1.0) -> int:
    """Run queued jobs until stopped (or, with once=True, until none is ready). Returns how many
    tasks were run."""
    return Worker(poll_seconds=poll_seconds, once=once).run()
