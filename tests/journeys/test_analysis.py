import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hct.core.roles import Role
from hct.journeys import services
from hct.journeys.analysis import gap_analysis, present
from hct.journeys.models import Journey
from hct.people.models import Person
from hct.people.services import person_create
from hct.systemmap.models import Actor

pytestmark = pytest.mark.django_db


def _record(demo, alias, touchpoints, gaps):
    actor = demo.users["facilitator"]
    person = person_create(actor=actor, alias=alias, home_lsoa=demo.sam.home_lsoa)
    journey = services.journey_create(actor=actor, person=person, title=f"{alias}'s journey")
    made = [
        services.touchpoint_add(
            actor=actor,
            journey=journey,
            when=when,
            who=Actor.objects.get(name=name),
            what=what,
            felt=felt,
        )
        for when, name, what, felt in touchpoints
    ]
    by_position = {t.position: t for t in made}
    for before, after, kind in gaps:
        services.gap_add(
            actor=actor,
            journey=journey,
            before=by_position[before],
            after=by_position[after],
            kind=kind,
        )
    return journey


@pytest.fixture
def three(demo):
    """Three journeys whose figures are known by hand."""
    a = _record(
        demo,
        "Ana",
        [
            ("01/03/2024", "The GP practice", "referral", "neither"),
            ("15/04/2024", "Talking therapies (IAPT)", "assessment", "hindered"),
            ("May 2024", "The postman", "community_act", "helped"),
        ],
        [(1, 2, "long_wait"), (1, 2, "told_story_again")],
    )
    b = _record(
        demo,
        "Ben",
        [
            ("2023", "Crisis team (acute mental health services)", "crisis", "hindered"),
            ("2023", "The GP practice", "appointment", "neither"),
            ("2024", "Talking therapies (IAPT)", "assessment", "neither"),
            ("2024", "The postman", "community_act", "helped"),
            ("2024", "The community centre", "community_act", "helped"),
        ],
        [(1, 2, "told_story_again"), (2, 3, "told_story_again")],
    )
    c = _record(demo, "Cy", [("2022", "The community centre", "community_act", "neither")], [])
    return Journey.objects.filter(pk__in=[a.pk, b.pk, c.pk])


def test_the_gap_analysis_of_known_journeys(three):
    result = gap_analysis(three)
    assert (result.journeys, result.people, result.touchpoints, result.gaps) == (3, 3, 9, 4)
    assert result.gap_kinds["Told my story again"] == 3
    assert result.gap_kinds["Long wait"] == 1
    assert result.gap_kinds["Referral lost"] == 0
    assert result.broken_pairs[0] == ("The GP practice", "Talking therapies (IAPT)", 3)
    assert result.waits_measured == 1 and result.wait_mean_days == 45
    assert result.waits["6 to 18 weeks"] == 1 and result.waits["Under 2 weeks"] == 0
    assert result.retold == {"Never": 1, "Once": 1, "Twice": 1, "Three times or more": 0}
    assert result.retellings == 3
    # The community centre was there for Cy too, but it only helped Ben.
    assert result.community_acts == [("The postman", 2, 2), ("The community centre", 1, 1)]


def test_private_actors_are_counted_by_kind_never_by_name(demo):
    journey = demo.sam_journey
    first, second = journey.touchpoints.order_by("position")[:2]
    assert first.actor.name == "Sam's family"
    services.gap_add(
        actor=demo.users["facilitator"],
        journey=journey,
        before=first,
        after=second,
        kind="services_didnt_talk",
    )
    result = gap_analysis(Journey.objects.filter(pk=journey.pk))
    assert ("Family", "The GP practice", 1) in result.broken_pairs
    labels = {label for pair in result.broken_pairs for label in pair[:2]}
    labels |= {label for label, *_ in result.community_acts}
    assert not any("Sam" in label for label in labels)


def test_published_figures_hide_small_counts(three):
    published = present(gap_analysis(three), suppressed=True)
    assert str(published.journeys) == "*" and str(published.gaps) == "*"
    assert {str(row.figure) for row in published.gap_kinds} <= {"*", "0"}
    exact = present(gap_analysis(three), suppressed=False)
    assert str(exact.gaps) == "4" and exact.gap_kinds[0].label == "Told my story again"


def test_partners_and_the_board_see_published_figures_and_no_one(client_for, demo):
    aliases = list(Person.objects.values_list("alias", flat=True))
    for role in (Role.PARTNER, Role.BOARD):
        for url in (
            reverse("journeys:analysis"),
            reverse("journeys:analysis-neighbourhood", args=[demo.first_neighbourhood.slug]),
        ):
            body = client_for(role).get(url).content.decode()
            assert "disclosure control" in body
            assert "The journeys behind these figures" not in body
            for alias in aliases:
                assert alias not in body
            assert "mental breakdown" not in body
    body = client_for(Role.FACILITATOR).get(reverse("journeys:analysis")).content.decode()
    assert "The journeys behind these figures" in body and "Sam (not his real name)" in body


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


@pytest.mark.parametrize("role", [Role.FACILITATOR, Role.PARTNER, Role.BOARD])
def test_the_analysis_pages_make_as_many_queries_for_many_journeys_as_for_few(
    client_for, demo, role
):
    client = client_for(role)
    urls = [
        reverse("journeys:analysis"),
        reverse("journeys:analysis-neighbourhood", args=[demo.first_neighbourhood.slug]),
    ]
    for url in urls:
        client.get(url)  # a first request fills the session and caches
    before = [_queries(client, url) for url in urls]
    for index in range(30):
        _record(
            demo,
            f"Extra {index}",
            [
                ("2023", "The GP practice", "referral", "neither"),
                ("2024", "Talking therapies (IAPT)", "assessment", "hindered"),
            ],
            [(1, 2, "long_wait")],
        )
    assert [_queries(client, url) for url in urls] == before


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the benchmark's hand-written SQL is PostgreSQL's"
)
def test_the_benchmarks_hand_written_sql_computes_the_same_figures(demo, three):
    from bench.gap_analysis import as_dict, handwritten, same

    from hct.journeys.selectors import journeys_in
    from hct.places.models import Neighbourhood

    ids = [demo.first_neighbourhood.pk]
    selector = as_dict(gap_analysis(journeys_in(Neighbourhood.objects.filter(pk__in=ids))))
    assert selector["journeys"] >= 16
    assert same(selector, handwritten(ids))


def _inflexible(demo, alias, times=1):
    """A person whose journey has `times` "Appointment not flexible" gaps."""
    touchpoints = [
        ("2024", "The GP practice", "referral", "neither"),
        ("2024", "Talking therapies (IAPT)", "appointment", "hindered"),
        ("2025", "Talking therapies (IAPT)", "appointment", "hindered"),
    ]
    gaps = [(1, 2, "appointment_not_flexible"), (2, 3, "appointment_not_flexible")][:times]
    return _record(demo, alias, touchpoints, gaps)


def test_people_whose_appointment_was_not_flexible_are_counted_once_each(demo):
    made = [_inflexible(demo, "Dee", times=2), _inflexible(demo, "Eli")]
    other = _record(demo, "Fay", [("2024", "The GP practice", "referral", "neither")], [])
    journeys = Journey.objects.filter(pk__in=[*(j.pk for j in made), other.pk])
    assert gap_analysis(journeys).inflexible_people == 2
    assert gap_analysis(journeys).gap_kinds["Appointment not flexible"] == 3
    # Published for everyone, facilitators included: the sentence travels with a scenario.
    assert str(present(gap_analysis(journeys), suppressed=False).inflexible_people) == "*"
    for index in range(7):
        made.append(_inflexible(demo, f"More {index}"))
    journeys = Journey.objects.filter(pk__in=[j.pk for j in made])
    assert gap_analysis(journeys).inflexible_people == 9
    assert str(present(gap_analysis(journeys), suppressed=False).inflexible_people) == "10"


@pytest.mark.parametrize(
    "role,may_start", [(Role.FACILITATOR, True), (Role.PARTNER, True), (Role.BOARD, False)]
)
def test_the_gap_analysis_starts_a_scenario_from_the_inflexible_appointments(
    client_for, demo, role, may_start
):
    from hct.core.disclosure import publish_count
    from hct.journeys.selectors import journeys_in
    from hct.places.models import Neighbourhood

    for index in range(9):
        _inflexible(demo, f"Gia {index}")
    here = demo.first_neighbourhood
    people = gap_analysis(journeys_in(Neighbourhood.objects.filter(pk=here.pk))).inflexible_people
    client = client_for(role)
    url = reverse("journeys:analysis-neighbourhood", args=[here.slug])
    body = client.get(url).content.decode()
    published = publish_count(people).display
    assert f"{published} people told us their appointment was not flexible in {here.name}" in body
    start = f"{reverse('flexibility:service-create')}?from_gaps=1&amp;neighbourhood={here.pk}"
    assert (start in body) is may_start
    if may_start:
        form = client.get(start.replace("&amp;", "&")).content.decode()
        assert f"{published} people in {here.name} told us" in form
        assert f'<option value="{here.pk}" selected>' in form
    overview = client.get(reverse("journeys:analysis")).content.decode()
    assert "told us their appointment was not flexible." in overview
    assert (f'href="{reverse("flexibility:service-create")}?from_gaps=1"' in overview) is may_start
