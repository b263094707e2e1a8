"""The synthetic city's matching step: offers and preferences in proportion, the same seed the
same offers, and a city with proposals in it can be replaced."""

import pytest

from hct.demo.synthetic import generate
from hct.matching import services
from hct.matching.models import Match, Offer

pytestmark = pytest.mark.django_db


def _offers():
    return list(
        Offer.objects.filter(synthetic_batch="city")
        .order_by("pk")
        .values_list("kinds", "capacity_per_week", "reach_km")
    )


def test_the_city_has_offers_and_can_be_rebuilt_after_a_matching_run(demo):
    generate(people=60, seed=7, touchpoints_per_person=3)
    first = _offers()
    assert len(first) == 18
    run = services.match_run(actor=None)
    assert run.proposed > 0
    assert Match.objects.filter(need__person__synthetic_batch="city").exists()
    generate(people=60, seed=7, touchpoints_per_person=3)
    assert _offers() == first
    assert not Match.objects.filter(need__person__synthetic_batch="city").exists()
