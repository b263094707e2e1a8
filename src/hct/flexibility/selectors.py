"""Reads for flexible services: what a user may see, scenarios per neighbourhood, the gap count
a scenario starts from, and citations."""

from django.db.models import QuerySet

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
