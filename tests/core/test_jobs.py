import pytest
from django.core.management import call_command
from django.urls import reverse

from hct.core.jobs import JobError, job_enqueue, job_handler, work
from hct.core.models import Job
from hct.core.roles import Role

pytestmark = pytest.mark.django_db


@job_handler("test.count")
def _count(params, *, report, actor):
    for i in range(params["to"]):
        report(i + 1, params["to"], f"counted {i + 1}")
    return {"counted": params["to"], "by": actor.username if actor else None}


@job_handler("test.refuse")
def _refuse(params, *, report, actor):
    raise JobError("The file has no rows")


@job_handler("test.crash")
def _crash(params, *, report, actor):
    raise RuntimeError("secret internal detail")


def test_a_queued_job_waits_for_the_worker_and_records_progress(settings, demo):
    settings.HCT_JOBS_INLINE = False
    job = job_enqueue(actor=demo.users["facilitator"], kind="test.count", params={"to": 3})
    assert job.status == Job.Status.QUEUED
    assert work(once=True) == 1
    job.refresh_from_db()
    assert (job.status, job.progress, job.total, job.percent) == (Job.Status.DONE, 3, 3, 100)
    assert job.result == {"counted": 3, "by": "facilitator"}


def test_the_worker_command_runs_what_is_queued(settings, demo, capsys):
    settings.HCT_JOBS_INLINE = False
    job_enqueue(actor=None, kind="test.count", params={"to": 1})
    call_command("worker", "--once")
    assert "Ran 1 job(s)." in capsys.readouterr().out


def test_inline_jobs_run_at_once(settings):
    settings.HCT_JOBS_INLINE = True
    job = job_enqueue(actor=None, kind="test.count", params={"to": 2})
    assert job.status == Job.Status.DONE


def test_a_refusal_is_shown_and_a_crash_is_not_explained(settings):
    settings.HCT_JOBS_INLINE = True
    refused = job_enqueue(actor=None, kind="test.refuse")
    assert (refused.status, refused.message) == (Job.Status.FAILED, "The file has no rows")
    crashed = job_enqueue(actor=None, kind="test.crash")
    assert crashed.status == Job.Status.FAILED
    assert "secret" not in crashed.message
    assert "nothing was saved" in crashed.message


def test_an_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        job_enqueue(actor=None, kind="test.nothing")


def test_the_progress_page_polls_until_finished(settings, demo, client_for):
    settings.HCT_JOBS_INLINE = False
    job = job_enqueue(actor=demo.users["facilitator"], kind="test.count", params={"to": 2})
    client = client_for(Role.FACILITATOR)
    page = client.get(reverse("core:job", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in page
    assert "Waiting to start" in page
    work(once=True)
    fragment = client.get(reverse("core:job", args=[job.pk]), HTTP_HX_REQUEST="true")
    assert "hx-trigger" not in fragment.content.decode()
    assert fragment["HX-Trigger"] == "job-finished"
    assert client_for(Role.PARTNER).get(reverse("core:job", args=[job.pk])).status_code == 403
