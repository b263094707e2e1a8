"""The background job that runs matching for a facilitator's neighbourhoods, with progress."""

from django.urls import reverse

from hct.core.jobs import job_handler
from hct.core.roles import Role
from hct.matching import services
from hct.people.selectors import people_in_scope

RUN_JOB = "matching.run"


@job_handler(RUN_JOB)
def run_matching(params: dict, *, report, actor) -> dict:
    people = people_in_scope(actor) if getattr(actor, "role", None) == Role.FACILITATOR else None
    run = services.match_run(actor=actor, people=people, progress=report)
    return {
        "url": reverse("matching:home"),
        "link_text": "Review the proposals",
        "run": run.pk,
        "proposed": run.proposed,
    }
