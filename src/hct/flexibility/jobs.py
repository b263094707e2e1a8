"""The background run of a scenario (hct.core.jobs): progress one replication at a time."""

from django.core.exceptions import ValidationError
from django.urls import reverse

from hct.core.jobs import JobError, job_handler
from hct.flexibility.models import Scenario
from hct.flexibility.services import JOB_KIND, scenario_simulate


@job_handler(JOB_KIND)
def _simulate(params: dict, *, report, actor) -> dict:
    scenario = (
        Scenario.objects.select_related("description__service")
        .filter(pk=params["scenario"])
        .first()
    )
    if scenario is None:
        raise JobError("The scenario asked for is no longer there")
    try:
        scenario_simulate(actor=actor, scenario=scenario, report=report)
    except ValidationError as error:
        # Bad inputs found at run time (the description changed under it): say why, change nothing.
        raise JobError(" ".join(error.messages)) from None
    return {
        "url": reverse("flexibility:scenario", args=[scenario.pk]),
        "link_text": "See the results",
    }
