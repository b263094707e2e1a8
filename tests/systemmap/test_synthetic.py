"""The synthetic city's map: derived links with evidence, everyday ties up to about five links
per actor, some with a polarity; removing the city removes all of it."""

import pytest

from hct.demo import synthetic
from hct.systemmap.models import Actor, Link, LinkEvidence

pytestmark = pytest.mark.django_db


def test_the_synthetic_city_has_a_map_of_about_five_links_per_actor(demo):
    city = synthetic.generate(people=120, seed=9)
    actors = Actor.objects.filter(synthetic_batch="city").count()
    in_city = Link.objects.filter(from_actor__synthetic_batch="city")
    links = in_city.count()
    assert links >= 4 * actors and links <= 5 * actors + city.counts["links_derived"]
    assert LinkEvidence.objects.filter(person__synthetic_batch="city").exists()
    assert in_city.exclude(polarity="").exists() and in_city.filter(status="missing").exists()
    synthetic.city_remove()
    assert not in_city.exists() and not Link.objects.filter(to_actor__synthetic_batch="city")
    assert not LinkEvidence.objects.filter(person__synthetic_batch="city").exists()
