"""The comparison figures on a small hand-made data set with known answers."""

import datetime as dt

import pytest
from django.urls import reverse

from hct.journeys.models import Gap
from hct.learning.figures import Period, figures_for
from hct.learning.models import Lonely
from hct.learning.present import side_by_side
from tests.learning.helpers import (
    BASELINE,
    LATER,
    answers,
    journey_with_gaps,
    neighbourhood,
    person,
    spare_lsoas,
    story,
)

PERIOD = Period(dt.date(2020, 1, 1), dt.date(2099, 1, 1))


@pytest.fixture
def two(db):
    """North: 10 people, 8 heard (6 by story, 2 by journey only), 9 long waits and 3 lost
    referrals; all 10 asked twice (life 4 -> 6, anxious 8 -> 5; 6 often lonely at first, 2
    later), and one of them asked a third time (life 9: the latest answer counts).
    South: 8 people, 2 heard, 1 gap, all 8 asked twice (no change)."""
    codes = spare_lsoas(4)
    north, south = neighbourhood("North test", codes[:2]), neighbourhood("South test", codes[2:])
    people = [person(codes[i % 2], f"N{i}") for i in range(10)]
    for p in people[:6]:
        story(p)
    journey_with_gaps(people[6], [Gap.Kind.LONG_WAIT] * 9)
    journey_with_gaps(people[7], [Gap.Kind.REFERRAL_LOST] * 3)
    for i, p in enumerate(people):
        answers(
            None,
            p,
            BASELINE,
            dt.date(2026, 1, 1),
            life=4,
            anxious=8,
            lonely=Lonely.OFTEN if i < 6 else Lonely.NEVER,
        )
        answers(
            None,
            p,
            LATER,
            dt.date(2026, 6, 1),
            life=6,
            anxious=5,
            lonely=Lonely.OFTEN if i < 2 else Lonely.NEVER,
        )
    answers(None, people[0], LATER, dt.date(2026, 8, 1), life=9, anxious=5, lonely=Lonely.OFTEN)
    southerners = [person(codes[2 + i % 2], f"S{i}") for i in range(8)]
    story(southerners[0])
    journey_with_gaps(southerners[1], [Gap.Kind.LONG_WAIT])
    for p in southerners:
        answers(None, p, BASELINE, dt.date(2026, 1, 1))
        answers(None, p, LATER, dt.date(2026, 6, 1))
    return north, south


def test_the_figures_of_a_hand_made_city(two):
    north, south = figures_for(list(two), PERIOD)
    assert north.people_heard == 8
    assert north.gaps[Gap.Kind.LONG_WAIT] == 9 and north.gaps[Gap.Kind.REFERRAL_LOST] == 3
    assert north.gap_total == 12
    wb = north.wellbeing
    assert (wb.pairs, wb.baselines, wb.lonely_before, wb.lonely_after) == (10, 10, 6, 2)
    # Nine people went 4 -> 6 and one 4 -> 9 (their latest answer): (9 * 2 + 5) / 10.
    assert wb.change["life_satisfaction"] == pytest.approx(2.3)
    assert wb.change["anxious"] == pytest.approx(-3.0)
    assert wb.change["happy"] == pytest.approx(0.0)
    assert (south.people_heard, south.gap_total, south.wellbeing.pairs) == (2, 1, 8)


def test_a_period_counts_only_what_fell_in_it(two):
    north, _ = figures_for(list(two), Period(dt.date(2026, 1, 1), dt.date(2026, 7, 1)))
    # The third answer (August) is outside: everyone's latest in the period is June.
    assert north.wellbeing.change["life_satisfaction"] == pytest.approx(2.0)
    north, _ = figures_for(list(two), Period(dt.date(2020, 1, 1), dt.date(2020, 12, 31)))
    assert (north.people_heard, north.gap_total, north.wellbeing.pairs) == (0, 0, 0)


def test_the_published_comparison(two):
    published = side_by_side(figures_for(list(two), PERIOD), PERIOD)
    north, south = published.rows
    # South's 2 is hidden; one hidden cell in a column with its total would be given away, so
    # the next smallest (North's 8) is hidden too, and the total (10) is shown.
    assert (north.people_heard.display, south.people_heard.display) == ("*", "*")
    assert published.people_heard_total.display == "10"
    kinds = [kind for kind, _ in published.gap_kinds]
    # North's 3 lost referrals are hidden, and its 9 long waits with them (else its total, 12
    # shown as 10, would narrow them down); South's single gap is hidden.
    assert north.gaps[kinds.index(Gap.Kind.REFERRAL_LOST)].display == "*"
    assert north.gaps[kinds.index(Gap.Kind.LONG_WAIT)].display == "*"
    assert north.gap_total.display == "10"
    assert south.gaps[kinds.index(Gap.Kind.LONG_WAIT)].display == "*"
    assert north.wellbeing.pairs.display == "10"
    assert north.wellbeing.change["life_satisfaction"] == "+2.3"
    assert north.wellbeing.change["anxious"] == "-3.0"
    assert north.wellbeing.lonely_before.display == "*"  # 6 of 10: the numerator is small
    assert south.wellbeing.pairs.display == "10"  # 8 people, rounded
    assert south.wellbeing.change["life_satisfaction"] == "+0.0"
    # Across both: (23 + 0) / 18 people.
    assert published.wellbeing_total.change["life_satisfaction"] == "+1.3"


def test_a_change_is_hidden_where_the_people_behind_it_are(two):
    north, south = figures_for(list(two), PERIOD)
    south.wellbeing.pairs = 3
    published = side_by_side([north, south], PERIOD)
    assert published.rows[1].wellbeing.pairs.display == "*"
    assert set(published.rows[1].wellbeing.change.values()) == {"*"}
    # and North's, by secondary suppression, so that the total cannot give South away.
    assert set(published.rows[0].wellbeing.change.values()) == {"*"}


def test_the_side_by_side_page_makes_as_many_queries_for_many_as_for_few(
    demo, client_for, django_assert_max_num_queries
):
    client = client_for("board")
    # 31: the flexible-services scenarios are one query more (tests/learning/test_scenarios.py
    # shows that number does not grow with the scenarios).
    with django_assert_max_num_queries(31):
        response = client.get(reverse("learning:side-by-side"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sam" not in page
    assert "Foleshill" in page
