"""The background job that imports an uploaded ORUK file, reporting progress record by record."""

from django.urls import reverse

from hct.core.jobs import JobError, job_handler
from hct.directory import services
from hct.directory.models import ImportRun

IMPORT_JOB = "directory.import"


@job_handler(IMPORT_JOB)
def import_uploaded_file(params: dict, *, report, actor) -> dict:
    run_id = params.get("run")
    run = ImportRun.objects.filter(pk=run_id).first() if run_id is not None else None
    if run is None:
        raise JobError("The uploaded file is no longer here: upload it again.")
    run = services.import_run_execute(run=run, actor=actor, progress=report)
    summary = run.summary
    count = summary.get("records", 0)
    report(count, count, summary.get("text", ""))
    problems = len(run.problems)
    if run.status == ImportRun.Status.REFUSED:
        link = f"See the {problems} problem{'s' if problems != 1 else ''}"
    else:
        link = "See what was imported"
    return {
        "url": reverse("directory:import-run", args=[run.pk]),
        "link_text": link,
        "status": run.status,
    }
