"""Flexible-services scenarios in the side by side page and the reports: per neighbourhood, with
their headline results against today's rules, linked, and in a constant number of queries."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from hct.flexibility.models import Scenario
from hct.flexibility.services import description_revise, scenario_create
from hct.learning import reports
from tests.flexibility.helpers import describe, figures

pytestmark = pytest.mark.django_db

RAN = timezone.make_aware(dt.datetime(2026, 11, 20, 12, 0))


def _ran(scenario: Scenario, *, within_6, changer_median, when=RAN) -> Scenario:
    """Results as the simulation stores them (means across replications), without running it:
    the simulation is tested in tests/flexibility."""
    results = {
        "measures": {
            "within_6": {"mean": within_6, "low": within_6 - 0.02, "high": within_6 + 0.02},
            "within_18": {"mean": 0.9},
            "median": {"mean": 4.0},
            "changer_median": {"mean": changer_median},
        }
    }
    Scenario.objects.filter(pk=scenario.pk).update(results=results, ran_at=when)
    scenario.refresh_from_db()
    return scenario


def _keep(description, name="Keep your place") -> Scenario:
    return scenario_create(
        actor=description.created_by,
        description=description,
        name=name,
        change_rule="keep",
        dna_rule="discharge",
        dna_limit=2,
    )


@pytest.fixture
def compared(demo):
    """Today's rules and two alternatives on the demo's talking therapies."""
    today = demo.flexible_scenario
    _ran(today, within_6=0.40, changer_median=11.0)
    description = today.description
    keep = _ran(_keep(description), within_6=0.62, changer_median=5.0)
    _ran(_keep(description, "Hold back 10%"), within_6=0.55, changer_median=7.0)
    return today, keep


def _side(client, **period):
    return client.get(reverse("learning:side-by-side"), period).content.decode()


def test_the_side_by_side_lists_each_neighbourhoods_scenarios_against_todays_rules(
    client_for, demo, compared
):
    today, keep = compared
    page = _side(client_for("board"))
    here = demo.first_neighbourhood.name
    assert (
        f"Talking therapies ({here}): under today&#x27;s rules 40% of people start within 6 "
        "weeks; the best alternative tried, “Keep your place”, would start 62% within 6 weeks, "
        "and people who had to change an appointment would wait a median of 5.0 weeks instead "
        "of 11.0."
    ) in page
    for scenario in (today, keep):
        assert reverse("flexibility:scenario", args=[scenario.pk]) in page
    assert page.index("Today&#x27;s rules<span") < page.index("Keep your place<span")
    assert "Hold back 10%" in page and "55%" in page


def test_only_scenarios_run_by_the_end_of_the_period_on_the_latest_figures(
    client_for, demo, compared
):
    client = client_for("partner")
    before = _side(client, start="2026-01-01", end="2026-11-19")
    assert "No flexible-services scenarios have been run" in before
    service = demo.flexible_service
    revised = description_revise(
        actor=demo.users["partner"], service=service, figures=figures(referrals_per_week=5.0)
    )
    page = _side(client)
    # The figures changed: what was run on the old ones no longer stands for the service.
    assert "Keep your place" not in page
    _ran(revised.scenarios.get(), within_6=0.5, changer_median=9.0)
    page = _side(client)
    assert "under today&#x27;s rules 50% of people start" in page
    assert "no other rule has been tried yet" in page


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(reverse("learning:side-by-side")).status_code == 200
    return len(captured.captured_queries)


def test_the_side_by_side_makes_as_many_queries_for_many_scenarios_as_for_one(
    client_for, demo, compared
):
    client = client_for("facilitator")
    client.get(reverse("learning:side-by-side"))  # fills the session and caches
    before = _queries(client)
    for index in range(4):
        service = describe(
            demo.users["partner"],
            demo.partnership,
            demo.first_neighbourhood,
            name=f"Service {index}",
        )
        description = service.versions.get()
        _ran(description.scenarios.get(), within_6=0.3, changer_median=12.0)
        _ran(_keep(description), within_6=0.5, changer_median=6.0)
    assert _queries(client) == before
    assert "Service 3" in _side(client)


def test_the_board_report_has_the_scenarios_run_with_a_link_to_each(demo, compared):
    _today, keep = compared
    run = reports.report_request(
        actor=demo.users["board"],
        partnership=demo.partnership,
        kind="board",
        start=dt.date(2025, 9, 1),
        end=dt.date(2030, 1, 1),
    )
    run.refresh_from_db()
    assert "Flexible services: what if the service kept your place?" in run.html
    assert "the best alternative tried, “Keep your place”, would start 62%" in run.html
    href = reverse("flexibility:scenario", args=[keep.pk])
    assert f'<a class="govuk-link" href="{href}">Keep your place</a>' in run.html
