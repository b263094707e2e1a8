"""Writes for flexible services: describe a service (a new dated version each time), set up a
scenario, run it in the background, keep its results, and cite it as evidence."""

import datetime as dt
from dataclasses import asdict, dataclass, fields
from typing import Protocol

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hct.commitments.models import Commitment
from hct.commitments.services import touch as commitment_touch
from hct.conversations.models import IcebergItem, IcebergLevel, PlanAction
from hct.core.jobs import job_enqueue
from hct.core.models import Job, User
from hct.core.services import audit_record
from hct.flexibility import simulation
from hct.flexibility.models import ChangeRule, Citation, Description, Scenario, Service
from hct.partnership.models import Partner, Partnership
from hct.places.models import Neighbourhood

JOB_KIND = "flexibility.simulate"
TODAY = "Today's rules"
NO_RESULTS_TO_CITE = "Run the scenario before citing it: there are no results yet"
CITE_ONE = "Choose one thing to cite the scenario on"
CITE_STRUCTURE = "Cite a scenario on an iceberg item at the structures level"
CITE_OTHER_PARTNERSHIP = "That belongs to another partnership"


class Report(Protocol):
    def __call__(self, progress: int, total: int | None = None, message: str = "") -> None: ...


@dataclass(frozen=True)
class Figures:
    """What the people who run a service say about its waiting list (percentages 0–100)."""

    described_on: dt.date
    referrals_per_week: float
    sessions_per_week: str
    sessions_per_course: int
    change_percent: float
    notice_days: float
    dna_percent: float
    change_rule: str
    dna_rule: str
    dna_limit: int
    sources: str
    held_back_percent: float = 0.0
    held_back_days: int = 7
    source_url: str = ""

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


def _version(*, actor: User, service: Service, figures: Figures, number: int) -> Description:
    description = Description(service=service, number=number, created_by=actor, **asdict(figures))
    description.full_clean()
    description.save()
    # Every version starts with today's rules as its first scenario, to compare others against.
    today = Scenario(
        description=description,
        name=TODAY,
        change_rule=description.change_rule,
        held_back_percent=description.held_back_percent,
        held_back_days=description.held_back_days,
        dna_rule=description.dna_rule,
        dna_limit=description.dna_limit,
        created_by=actor,
    )
    today.full_clean()
    today.save()
    return description


@transaction.atomic
def service_describe(
    *,
    actor: User,
    partnership: Partnership,
    neighbourhood: Neighbourhood,
    name: str,
    runs_it: Partner | None,
    figures: Figures,
) -> Service:
    """A new service with its first description (version 1) and a "today's rules" scenario."""
    service = Service(
        partnership=partnership,
        neighbourhood=neighbourhood,
        name=name,
        runs_it=runs_it,
        created_by=actor,
    )
    service.full_clean()
    service.save()
    _version(actor=actor, service=service, figures=figures, number=1)
    audit_record(
        actor=actor, verb="flexibility.service.describe", subject=service, details={"version": 1}
    )
    return service


@transaction.atomic
def description_revise(*, actor: User, service: Service, figures: Figures) -> Description:
    """A new dated version; earlier ones, and the scenarios run on them, stay as they were."""
    service = Service.objects.select_for_update().get(pk=service.pk)
    latest = service.versions.order_by("-number").first()
    number = (latest.number if latest else 0) + 1
    description = _version(actor=actor, service=service, figures=figures, number=number)
    audit_record(
        actor=actor,
        verb="flexibility.service.revise",
        subject=service,
        details={"version": number},
    )
    return description


@transaction.atomic
def scenario_create(
    *,
    actor: User,
    description: Description,
    name: str,
    change_rule: str,
    dna_rule: str,
    dna_limit: int,
    held_back_percent: float = 0.0,
    held_back_days: int = 7,
    extra_sessions: int = 0,
    horizon_weeks: int = 104,
    warmup_weeks: int = 26,
    replications: int = 10,
    seed: int = 1,
    from_gaps: str = "",
) -> Scenario:
    scenario = Scenario(
        description=description,
        name=name,
        change_rule=change_rule,
        held_back_percent=held_back_percent if change_rule == ChangeRule.HELD_BACK else 0,
        held_back_days=held_back_days,
        dna_rule=dna_rule,
        dna_limit=dna_limit,
        extra_sessions=extra_sessions,
        horizon_weeks=horizon_weeks,
        warmup_weeks=warmup_weeks,
        replications=replications,
        seed=seed,
        from_gaps=from_gaps,
        created_by=actor,
    )
    scenario.full_clean()
    scenario.save()
    audit_record(actor=actor, verb="flexibility.scenario.create", subject=scenario)
    return scenario


def inputs_for(scenario: Scenario, *, seed: int | None = None) -> simulation.Inputs:
    """The simulation's inputs: the description's figures with the scenario's rules."""
    d = scenario.description
    capacity = tuple(
        week + scenario.extra_sessions for week in simulation.parse_profile(d.sessions_per_week)
    )
    return simulation.Inputs(
        referrals_per_week=d.referrals_per_week,
        capacity=capacity,
        sessions_per_course=d.sessions_per_course,
        change_share=d.change_percent / 100,
        notice_days=d.notice_days,
        dna_share=d.dna_percent / 100,
        change_rule=scenario.change_rule,
        held_back_share=scenario.held_back_percent / 100,
        held_back_days=scenario.held_back_days,
        dna_rule=scenario.dna_rule,
        dna_limit=scenario.dna_limit,
        horizon_weeks=scenario.horizon_weeks,
        warmup_weeks=scenario.warmup_weeks,
        replications=scenario.replications,
        seed=scenario.seed if seed is None else seed,
    )


def scenario_overload(scenario: Scenario) -> simulation.Overload | None:
    return simulation.overload(inputs_for(scenario))


def scenario_run(*, actor: User, scenario: Scenario) -> Job:
    """Queue a run. A service whose referrals outrun its sessions is refused up front, with the
    numbers, rather than simulated forever."""
    over = scenario_overload(scenario)
    if over is not None:
        raise ValidationError(over.sentence())
    job = job_enqueue(actor=actor, kind=JOB_KIND, params={"scenario": scenario.pk})
    # The job may already have run (inline jobs); only point at it if it is still the newest.
    Scenario.objects.filter(pk=scenario.pk).update(job=job)
    scenario.job = job
    return job


def scenario_simulate(
    *, actor: User | None, scenario: Scenario, seed: int | None = None, report: Report | None = None
) -> dict:
    """Run the simulation and keep the results with their inputs, library version and seeds.
    The simulation runs outside any transaction; the results are written in one, so a run that
    fails leaves the scenario exactly as it was."""
    inputs = inputs_for(scenario, seed=seed)
    over = simulation.overload(inputs)
    if over is not None:
        raise ValidationError(over.sentence())

    def progress(done: int, total: int) -> None:
        if report is not None:
            report(done, total, f"Replication {done} of {total}")

    results = simulation.run(inputs, progress=progress)
    with transaction.atomic():
        scenario.inputs = inputs.as_dict()
        scenario.results = results
        scenario.library_version = results["library"]
        scenario.ran_at = timezone.now()
        if seed is not None:
            scenario.seed = seed
        scenario.save(update_fields=["inputs", "results", "library_version", "ran_at", "seed"])
        audit_record(
            actor=actor,
            verb="flexibility.scenario.run",
            subject=scenario,
            details={"seed": inputs.seed, "replications": inputs.replications},
        )
    return results


@transaction.atomic
def citation_add(
    *,
    actor: User,
    scenario: Scenario,
    iceberg_item: IcebergItem | None = None,
    plan_action: PlanAction | None = None,
    commitment: Commitment | None = None,
    note: str = "",
) -> Citation:
    """Cite a scenario (with results) on one thing of the same partnership. Citing on a
    commitment touches it, so its public pages show the new history entry at once."""
    if not scenario.has_results:
        raise ValidationError(NO_RESULTS_TO_CITE)
    if sum(x is not None for x in (iceberg_item, plan_action, commitment)) != 1:
        raise ValidationError(CITE_ONE)
    partnership_id = scenario.description.service.partnership_id
    if iceberg_item is not None:
        if iceberg_item.level != IcebergLevel.STRUCTURES:
            raise ValidationError({"iceberg_item": CITE_STRUCTURE})
        owner = iceberg_item.conversation.cycle.partnership_id
    elif plan_action is not None:
        owner = plan_action.plan.conversation.cycle.partnership_id
    else:
        assert commitment is not None
        owner = commitment.partnership_id
    if owner != partnership_id:
        raise ValidationError(CITE_OTHER_PARTNERSHIP)
    citation = Citation(
        scenario=scenario,
        iceberg_item=iceberg_item,
        plan_action=plan_action,
        commitment=commitment,
        note=note,
        created_by=actor,
    )
    citation.full_clean()
    citation.save()
    if commitment is not None:
        commitment_touch(commitment)
    audit_record(actor=actor, verb="flexibility.scenario.cite", subject=citation)
    return citation
