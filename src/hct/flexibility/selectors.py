"""Reads for flexible services: what a user may see, scenarios per neighbourhood, the gap count
a scenario starts from, and citations."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F, OuterRef, QuerySet, Subquery

from hct.commitments.models import Commitment
from hct.conversations.models import IcebergItem, IcebergLevel, PlanAction
from hct.core.disclosure import Published, publish_count
from hct.flexibility.models import Citation, Description, Scenario, Service
from hct.journeys.models import Gap
from hct.journeys.selectors import journeys_in
from hct.partnership.selectors import neighbourhoods_in_scope, partnerships_for
from hct.places.models import Neighbourhood


def services_visible(user) -> QuerySet[Service]:
    """Services of the user's partnerships in the neighbourhoods they work in."""
    return (
        Service.objects.filter(
            partnership__in=partnerships_for(user), neighbourhood__in=neighbourhoods_in_scope(user)
        )
        .select_related("neighbourhood", "partnership", "runs_it")
        .order_by("neighbourhood__name", "name")
    )


def service_get(user, pk: int) -> Service | None:
    return services_visible(user).filter(pk=pk).first()


def scenario_get(user, pk: int) -> Scenario | None:
    return (
        Scenario.objects.filter(pk=pk, description__service__in=services_visible(user))
        .select_related("description__service__neighbourhood", "job")
        .first()
    )


def latest_description(service: Service) -> Description | None:
    return service.versions.order_by("-number").first()


def scenarios_of(description: Description) -> list[Scenario]:
    return list(description.scenarios.select_related("job").order_by("id"))


def scenarios_by_neighbourhood(
    neighbourhoods: QuerySet[Neighbourhood] | list[Neighbourhood],
) -> dict[Neighbourhood, list[Scenario]]:
    """Scenarios with results, per neighbourhood, newest first (for learning's side by side)."""
    grouped: dict[Neighbourhood, list[Scenario]] = {}
    scenarios = (
        Scenario.objects.filter(description__service__neighbourhood__in=neighbourhoods)
        .exclude(results={})
        .select_related("description__service__neighbourhood")
        .order_by("description__service__neighbourhood__name", "-ran_at")
    )
    for scenario in scenarios:
        grouped.setdefault(scenario.description.service.neighbourhood, []).append(scenario)
    return grouped


@dataclass(frozen=True)
class ScenarioHeadline:
    """A scenario's headline results, as plain numbers (means across replications)."""

    pk: int
    name: str
    within_6: float | None  # share starting within 6 weeks, 0-1
    within_18: float | None
    median: float | None  # weeks
    changer_median: float | None  # weeks, for people who had to change an appointment
    ran_on: dt.date


@dataclass
class ServiceScenarios:
    """One service's scenarios with results: today's rules (if run) and the alternatives."""

    service_pk: int
    service: str
    today: ScenarioHeadline | None = None
    alternatives: list[ScenarioHeadline] = field(default_factory=list)

    @property
    def best(self) -> ScenarioHeadline | None:
        """The alternative that starts the most people within 6 weeks (ties: the shorter median
        wait for people who had to change an appointment)."""
        ranked = [a for a in self.alternatives if a.within_6 is not None]
        if not ranked:
            return None
        return max(ranked, key=lambda a: (a.within_6, -(a.changer_median or 0)))


def _mean(results: dict, key: str) -> float | None:
    return results.get("measures", {}).get(key, {}).get("mean")


def scenario_headlines(
    neighbourhoods: QuerySet[Neighbourhood] | list[Neighbourhood],
    *,
    partnerships,
    ran_by: dt.date | None = None,
) -> dict[int, list[ServiceScenarios]]:
    """Per neighbourhood id, the services of these partnerships with the scenarios run on their
    latest description (up to `ran_by`), today's rules apart: one query whatever their number,
    for learning's side by side and reports."""
    latest = (
        Description.objects.filter(service=OuterRef("description__service"))
        .order_by("-number")
        .values("pk")[:1]
    )
    first = Scenario.objects.filter(description=OuterRef("description")).order_by("id").values("pk")
    scenarios = (
        Scenario.objects.filter(
            description__service__neighbourhood__in=neighbourhoods,
            description__service__partnership__in=partnerships,
            ran_at__isnull=False,
        )
        .exclude(results={})
        .annotate(latest=Subquery(latest), today=Subquery(first[:1]))
        # Scenarios of an earlier version ran on figures since replaced.
        .filter(description_id=F("latest"))
        .select_related("description__service")
        .order_by("description__service__name", "description__service_id", "id")
    )
    if ran_by is not None:
        scenarios = scenarios.filter(ran_at__date__lte=ran_by)
    grouped: dict[int, dict[int, ServiceScenarios]] = {}
    for scenario in scenarios:
        if scenario.ran_at is None:  # the filter says so; the column allows none
            continue
        service = scenario.description.service
        services = grouped.setdefault(service.neighbourhood_id, {})
        entry = services.setdefault(service.pk, ServiceScenarios(service.pk, service.name))
        headline = ScenarioHeadline(
            pk=scenario.pk,
            name=scenario.name,
            within_6=_mean(scenario.results, "within_6"),
            within_18=_mean(scenario.results, "within_18"),
            median=_mean(scenario.results, "median"),
            changer_median=_mean(scenario.results, "changer_median"),
            ran_on=scenario.ran_at.date(),
        )
        if scenario.pk == scenario.today:
            entry.today = headline
        else:
            entry.alternatives.append(headline)
    return {n: list(services.values()) for n, services in grouped.items()}


def inflexible_appointments(neighbourhood: Neighbourhood) -> Published:
    """How many people told us their appointment was not flexible (a gap in their journey), as
    published: disclosure control on a count of people."""
    journeys = journeys_in(Neighbourhood.objects.filter(pk=neighbourhood.pk))
    people = (
        Gap.objects.filter(journey__in=journeys, kind=Gap.Kind.APPOINTMENT_NOT_FLEXIBLE)
        .values("journey__person")
        .distinct()
        .count()
    )
    return publish_count(people)


def citations_of(scenario: Scenario) -> list[Citation]:
    return list(
        scenario.citations.select_related(
            "iceberg_item__conversation", "plan_action__plan__conversation", "commitment"
        )
    )


def citations_on_commitment(commitment: Commitment) -> list[Citation]:
    return list(
        Citation.objects.filter(commitment=commitment)
        .select_related("scenario__description__service")
        .order_by("created_at", "id")
    )


def citations_on_items(items: list[IcebergItem]) -> dict[int, list[Citation]]:
    grouped: dict[int, list[Citation]] = {}
    for citation in Citation.objects.filter(iceberg_item__in=items).select_related("scenario"):
        grouped.setdefault(citation.iceberg_item_id, []).append(citation)  # type: ignore[arg-type]
    return grouped


def cite_targets(scenario: Scenario) -> dict[str, QuerySet]:
    """What a scenario may be cited on: its partnership's structures, plan actions and
    commitments."""
    partnership = scenario.description.service.partnership
    return {
        "iceberg_item": IcebergItem.objects.filter(
            conversation__cycle__partnership=partnership,
            level=IcebergLevel.STRUCTURES,
            merged_into=None,
        ).select_related("conversation"),
        "plan_action": PlanAction.objects.filter(
            plan__conversation__cycle__partnership=partnership
        ).select_related("plan__conversation"),
        "commitment": Commitment.objects.filter(partnership=partnership).order_by("title"),
    }
