"""Background work for journeys: imports run in `hct worker` with progress on the job page."""

from pathlib import Path

from django.conf import settings
from django.urls import reverse

from hct.core.jobs import JobError, job_handler
from hct.journeys.exchange import ImportProblem, import_journeys, read_file

UPLOADS = "uploads"


def upload_dir() -> Path:
    path = Path(settings.VAR_DIR) / UPLOADS
    path.mkdir(parents=True, exist_ok=True)
    return path


@job_handler("journeys.import")
def import_job(params: dict, *, report, actor) -> dict:
    """Read the uploaded file, check it whole, write it all or nothing; the file is removed
    afterwards either way (it may hold people's words)."""
    path = Path(params["path"])
    name = params["name"]
    try:
        content = path.read_bytes()
    except FileNotFoundError:
        raise JobError("The uploaded file is no longer here: upload it again.") from None
    try:
        planned = read_file(content, file=name)
        report(0, len(planned), "Checked; writing")
        summary = import_journeys(planned, actor=actor, file=name, report=report)
    except ImportProblem as problem:
        raise JobError(f"{problem}. Nothing was imported.") from None
    finally:
        path.unlink(missing_ok=True)
    return {
        "url": reverse("journeys:list"),
        "link_text": (
            f"{summary.journeys} journey{'s' if summary.journeys != 1 else ''} imported "
            f"({summary.touchpoints} touchpoints, {summary.gaps} gaps): see the journeys"
        ),
        "journeys": summary.journeys,
        "touchpoints": summary.touchpoints,
        "gaps": summary.gaps,
        "people_created": summary.people_created,
    }
