"""The columns learning registers for Big Conversations, commitments and matching, on a small
hand-made neighbourhood with known answers, and their way out through disclosure control."""

import datetime as dt

import pytest
from django.urls import reverse

from hct.commitments.models import Commitment, Status
from hct.conversations.models import (
    Conversation,
    IcebergItem,
    Participant,
    Plan,
    PlanAction,
)
from hct.learning import columns
from hct.learning.figures import Period, figures_for
from hct.matching.models import Match, Offer
from hct.partnership.models import Cycle, Partner
from hct.people.models import Need
from tests.learning import helpers

PERIOD = Period(dt.date(2025, 1, 1), dt.date(2025, 12, 31))


@pytest.fixture
def place(demo):
    """A neighbourhood of its own with a cycle, two conversations in the period and one after."""
    lsoas = helpers.spare_lsoas(1)
    here = helpers.neighbourhood("Known Answers", lsoas)
    cycle = Cycle.objects.create(partnership=demo.partnership, neighbourhood=here, number=90)
    first = Conversation.objects.create(cycle=cycle, number=1, date=dt.date(2025, 3, 1))
    third = Conversation.objects.create(cycle=cycle, number=3, date=dt.date(2025, 6, 1))
    Conversation.objects.create(cycle=cycle, number=4, date=dt.date(2026, 2, 1))  # after
    at = dt.datetime(2025, 3, 1, 18, tzinfo=dt.UTC)
    sectors = ["community_member"] * 3 + ["community_group", "nhs", "gp", "voluntary"]
    for i, sector in enumerate(sectors):
        Participant.objects.create(
            conversation=first,
            name=f"P{i}",
            key=f"p{i}",
            sector=sector,
            code=f"C{i}",
            attended_at=at,
        )
    Participant.objects.create(  # invited, never came
        conversation=first, name="Absent", key="absent", sector="council", code="CX"
    )
    kept = IcebergItem.objects.create(conversation=first, level="events", text="Bus cut")
    IcebergItem.objects.create(conversation=first, level="events", text="Bus", merged_into=kept)
    IcebergItem.objects.create(conversation=third, level="mental_models", text="Not for us")
    plan = Plan.objects.create(conversation=third)
    for title in ("Bus", "Bench"):
        PlanAction.objects.create(plan=plan, title=title, level="structures")
    owner = Partner.objects.filter(partnership=demo.partnership).first()

    def promise(status, due, done=None, made=dt.date(2025, 6, 2)):
        return Commitment.objects.create(
            partnership=demo.partnership,
            neighbourhood=here,
            owner=owner,
            lead_role="Lead",
            title="A promise",
            made_on=made,
            due_on=due,
            status=status,
            done_on=done,
        )

    promise(Status.DONE, dt.date(2025, 9, 1), dt.date(2025, 8, 1))  # on time
    promise(Status.DONE, dt.date(2025, 9, 1), dt.date(2025, 10, 1))  # late
    promise(Status.IN_PROGRESS, dt.date(2025, 9, 1))  # overdue
    promise(Status.AT_RISK, dt.date(2099, 1, 1))  # open, not yet due
    promise(Status.DONE, dt.date(2025, 1, 1), dt.date(2024, 12, 1), made=dt.date(2024, 6, 1))

    someone = helpers.person(lsoas[0], "Helped")
    offer = Offer.objects.create(
        group_name="Good Neighbours", kinds=["shopping"], base_lsoa=someone.home_lsoa
    )
    met = Need.objects.create(person=someone, kind="shopping", in_their_words="x", status="met")
    still = Need.objects.create(person=someone, kind="practical", in_their_words="y")
    Match.objects.create(
        need=met, offer=offer, distance_m=10, status="ended", started_on=PERIOD.start
    )
    active = Match.objects.create(
        need=still, offer=offer, distance_m=10, status="active", started_on=PERIOD.start
    )
    # Hours given back: a person living here gives 2.5 h and 1 h in the period (3.5, rounded to
    # 4); the group's hours and hours before the period are not counted.
    from hct.matching.models import HoursLogged

    for giver, hours, on in (
        (someone, "2.5", PERIOD.start),
        (someone, "1.0", PERIOD.end),
        (None, "3.0", PERIOD.start),
        (someone, "5.0", PERIOD.start - dt.timedelta(days=1)),
    ):
        HoursLogged.objects.create(match=active, giver=giver, receiver=someone, hours=hours, on=on)
    return here


def _counts(here) -> dict[str, int]:
    return {c.key: found.get(here.pk, 0) for c, found in columns.counts_for([here.pk], PERIOD)}


def test_the_columns_give_the_known_answers(place):
    counts = _counts(place)
    assert counts["conversations_held"] == 2
    assert counts["room_community"] == 4
    assert counts["room_statutory"] == 2  # the council's place was not taken
    assert counts["room_voluntary"] == 1
    assert counts["room_other"] == 0
    assert counts["iceberg_events"] == 1  # the merged item is counted as the one it joined
    assert counts["iceberg_mental_models"] == 1
    assert counts["plan_actions"] == 2
    assert counts["commitments_done"] == 2  # the one made before the period is left out
    assert counts["commitments_on_time"] == 1
    assert counts["commitments_overdue"] == 1
    assert counts["commitments_at_risk"] == 1
    assert counts["needs_met"] == 1
    assert counts["matches_active"] == 1
    assert counts["hours_given_back"] == 4


def test_the_columns_of_a_group_are_one_statement(place, django_assert_num_queries):
    # Big Conversations, commitments and practical help: one statement each, however many
    # columns each group has (the board report's figures in a constant, small number of queries).
    with django_assert_num_queries(3):
        _counts(place)


def test_every_figure_of_the_report_is_six_queries(place, django_assert_num_queries):
    # The figures' one statement, the cycles and their stages, and the three groups.
    with django_assert_num_queries(6):
        (found,) = figures_for([place], PERIOD)
    assert found.extra["conversations_held"] == 2 and found.extra["hours_given_back"] == 4


def test_each_column_is_one_query(place, django_assert_max_num_queries):
    for column in columns.columns():
        with django_assert_max_num_queries(1):
            column.counts([place.pk], PERIOD)


def test_the_columns_are_side_by_side_and_small_counts_are_hidden(place, client_for, client):
    page = client_for("board").get(reverse("learning:side-by-side")).content.decode()
    for group, label in (
        ("Big Conversations", "Held"),
        ("Commitments", "Kept on time"),
        ("Practical help", "Needs met by a match"),
    ):
        assert f">{group}</caption>" in page and f">{label}<" in page
    text = client.get(reverse("learning:open-data-csv")).content.decode()
    header, *rows = text.splitlines()
    assert "conversations_held" in header and "matches_active" in header
    row = next(r for r in rows if r.startswith("Known Answers"))
    # Every figure of this neighbourhood is from 0 to 7: none is published as a number from 1 to 7.
    assert not any(cell in {str(n) for n in range(1, 8)} for cell in row.split(",")[1:])


def test_a_lesson_cites_a_conversation_a_commitment_and_a_match(place, demo):
    from hct.learning import services
    from hct.learning.selectors import _attach_links

    cycle = Cycle.objects.get(neighbourhood=place)
    groups = dict(services.evidence_choices(cycle))
    assert len(groups["Big Conversation"]) == 3
    assert len(groups["Commitment"]) == 5
    assert len(groups["Match"]) == 2
    cited = [groups[kind][0][0] for kind in ("Big Conversation", "Commitment", "Match")]
    lesson = services.lesson_create(
        actor=demo.users["facilitator"],
        cycle=cycle,
        evidence=cited,
        tried="Asked the bus company to come",
        happened="They came",
        learned="Ask early",
        differently="Ask earlier",
    )
    labels = dict(lesson.evidence.values_list("kind", "label"))
    assert labels["conversation"] == "Big Conversation 4 (01 February 2026)"
    assert labels["match"].startswith("Practical help: around the home match (active")
    assert "Helped" not in " ".join(labels.values())  # never the person's alias
    _attach_links([lesson])
    links = {item["kind"]: item["url"] for item in lesson.evidence_links}
    assert links["Big Conversation"].startswith("/conversations/")
    assert links["Commitment"].startswith("/commitments/")
    assert links["Match"].startswith("/matching/")


def test_each_part_of_the_method_has_a_report_section_with_a_chart_and_its_table(place, demo):
    from hct.learning.reports.sections import ReportScope, _sections, sections_of

    scope = ReportScope(demo.partnership, [place], PERIOD)
    keys = [s.key for s in sections_of("board")]
    assert {"big_conversations", "commitments", "practical_help"} <= set(keys)
    assert [s.key for s in sections_of("funder")].index("commitments") > 0
    big = _sections["big_conversations"].build(scope)
    (chart,) = big.charts
    assert chart.svg.startswith("<svg") and chart.table.head == ["Figure", "Count"]
    assert ["Held", "*"] in chart.table.rows  # 2 held: a small count is hidden
    (by_place,) = big.tables
    assert by_place.caption == "Big Conversations, by neighbourhood"
    assert by_place.rows[0][0] == "Known Answers"
    practical = _sections["practical_help"].build(scope)
    assert [row[0] for row in practical.charts[0].table.rows] == [
        "Needs met by a match",
        "Matches active",
        "Hours given back",
    ]
    # What has a section of its own is not repeated in the catch-all section.
    assert _sections["method"].build(scope).tables == []
