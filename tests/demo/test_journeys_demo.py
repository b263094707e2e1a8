"""Sam and his neighbours as the demo loads them, and the synthetic city generator."""

import pytest

from hct.demo import synthetic
from hct.demo.journeys import NEIGHBOURS, SAM_ALIAS
from hct.journeys.dates import parse_when
from hct.journeys.models import Gap, Journey, Touchpoint
from hct.journeys.services import order_problem
from hct.people.models import Person, Purpose
from hct.people.selectors import has_consent
from hct.systemmap.models import Actor, Link

pytestmark = pytest.mark.django_db


def test_sam_is_in_the_first_cycles_neighbourhood_with_his_account_story_and_journey(demo):
    sam = demo.sam
    assert sam.alias == SAM_ALIAS and not sam.synthetic
    assert demo.first_neighbourhood.lsoas.filter(pk=sam.home_lsoa_id).exists()
    assert all(has_consent(sam, purpose) for purpose in Purpose)
    assert set(sam.needs.values_list("kind", flat=True)) == {
        "companionship",
        "flexible_services",
        "shopping",
        "pet_care",
    }
    assert sam.strengths.exists()
    story = demo.sam_story.text
    for fact in (
        "as a child",
        "homeless",
        "road accident",
        "postman",
        "cup of tea",
        "back of the queue",
        "dog",
        "heavy loads",
    ):
        assert fact in story.lower() or fact in story, fact
    touchpoints = list(demo.sam_journey.touchpoints.select_related("actor").order_by("position"))
    assert order_problem(touchpoints) is None
    helped = {t.actor.name for t in touchpoints if t.felt == "helped" and t.what == "community_act"}
    assert {"The postman", "The community centre"} <= helped
    kinds = set(demo.sam_journey.gaps.values_list("kind", flat=True))
    assert {
        "appointment_not_flexible",
        "long_wait",
        "told_story_again",
        "discharged_without_support",
    } <= kinds
    # The gaps marked the map: the GP's referral to talking therapies is broken.
    gp, iapt = (
        Actor.objects.get(name="The GP practice"),
        Actor.objects.get(name="Talking therapies (IAPT)"),
    )
    assert Link.objects.get(from_actor=gp, to_actor=iapt, kind="referral").status == "broken"


def test_the_dozen_neighbours_are_marked_synthetic_and_live_there_too(demo):
    neighbours = Person.objects.filter(synthetic_batch="demo")
    assert neighbours.count() == len(NEIGHBOURS) == 12
    assert all(p.synthetic and "(synthetic)" in p.alias for p in neighbours)
    assert not neighbours.exclude(home_lsoa__in=demo.first_neighbourhood.lsoas.all()).exists()
    assert Journey.objects.filter(person__in=neighbours).count() == 12
    shares = sum(has_consent(p, "share_with_partners") for p in neighbours)
    assert 0 < shares < 12  # some share with partners, some do not (one withdrew)


def _signature():
    people = list(
        Person.objects.filter(synthetic_batch="city")
        .order_by("alias")
        .values_list("alias", "home_lsoa__code", "uuid")
    )
    touchpoints = list(
        Touchpoint.objects.filter(journey__person__synthetic_batch="city")
        .order_by("journey__person__alias", "position")
        .values_list("journey__person__alias", "position", "when", "what", "felt", "actor__name")
    )
    gaps = sorted(
        Gap.objects.filter(journey__person__synthetic_batch="city").values_list(
            "journey__person__alias", "before__position", "after__position", "kind"
        )
    )
    return people, touchpoints, gaps


def test_the_synthetic_city_is_reproducible_from_its_seed_and_all_synthetic(demo):
    real_people = Person.objects.exclude(synthetic_batch="city").count()
    city = synthetic.generate(people=60, seed=5)
    first = _signature()
    assert city.counts["people"] == 60 and len(first[0]) == 60
    assert 10 <= city.counts["touchpoints"] / 60 <= 30
    synthetic.generate(people=60, seed=5)  # replaces the first city
    assert _signature() == first
    assert Person.objects.exclude(synthetic_batch="city").count() == real_people
    synthetic.generate(people=60, seed=6)
    assert _signature() != first
    people = Person.objects.filter(synthetic_batch="city")
    assert people.count() == 60 and not people.filter(synthetic=False).exists()
    assert not Actor.objects.filter(synthetic_batch="city", synthetic=False).exists()
    assert all("(synthetic)" in alias for alias in people.values_list("alias", flat=True))


def test_every_synthetic_journey_reads_back_and_keeps_time_order(demo):
    synthetic.generate(people=40, seed=11)
    for journey in Journey.objects.filter(person__synthetic_batch="city"):
        touchpoints = list(journey.touchpoints.select_related("actor").order_by("position"))
        assert order_problem(touchpoints) is None
        for t in touchpoints:
            when = parse_when(t.when)
            assert (when.start, when.end, when.precision) == (t.starts_on, t.ends_on, t.precision)
        for gap in journey.gaps.all():
            assert gap.before.position < gap.after.position


def test_more_synthetic_people_live_where_deprivation_is_deepest(demo):
    synthetic.generate(people=600, seed=3)
    people = Person.objects.filter(synthetic_batch="city")
    most = people.filter(home_lsoa__imd_decile__lte=2).count()
    least = people.filter(home_lsoa__imd_decile__gte=9).count()
    assert most > 3 * max(least, 1)


def test_later_issues_add_their_records_as_steps(demo):
    seen = []

    def step(city):
        seen.append((len(city.people), len(city.journeys)))

    synthetic.register_step("test-step", step)
    try:
        synthetic.generate(people=5, seed=1)
    finally:
        synthetic.STEPS[:] = [s for s in synthetic.STEPS if s[0] != "test-step"]
    assert seen == [(5, 5)]
    # The steps of issue 3 come first, in order; later issues' steps follow them.
    names = [name for name, _ in synthetic.STEPS]
    assert names[:5] == ["places", "people", "actors", "journeys", "stories"]
    assert {"systemmap", "matching", "learning"} <= set(names[5:])
