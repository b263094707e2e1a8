"""The synthetic city: `hct demo --synthetic PEOPLE --seed S`.

A city of made-up people across Coventry's real LSOAs — more of them where deprivation is
deepest — each with needs, strengths, consents, a story for some, and a service journey of about
twenty touchpoints through made-up services, with the gaps such journeys show. Every record is
marked synthetic (batch "city"); the same seed gives the same city. It is written with bulk
inserts, fast enough for 10,000 people and 200,000 touchpoints.

The city is built by a list of steps (`STEPS`). A later issue adds its own records by appending
a step — `register_step("matching", my_step)` — which receives the `City` with everything made
so far (its random generator, people, actors, journeys).
"""

from django.db import connection, transaction

from hct.core.services import audit_record
from hct.demo.synthetic.city import BATCH, STEPS, City, register_step
from hct.demo.synthetic.journeys import journeys_step, stories_step
from hct.demo.synthetic.learning import learning_remove, learning_step
from hct.demo.synthetic.matching import matching_remove, matching_step
from hct.demo.synthetic.people import actors_step, people_step, places_step
from hct.demo.synthetic.systemmap import systemmap_step
from hct.journeys.models import Gap, Journey, Quote, Story, Touchpoint
from hct.people.models import Consent, Identity, Need, Person, Strength
from hct.systemmap import version
from hct.systemmap.models import Actor, Link, LinkEvidence

__all__ = ["STEPS", "City", "city_remove", "generate", "register_step"]

register_step("places", places_step)
register_step("people", people_step)
register_step("actors", actors_step)
register_step("journeys", journeys_step)
register_step("stories", stories_step)
register_step("systemmap", systemmap_step)
register_step("matching", matching_step)
register_step("learning", learning_step)


def city_remove() -> int:
    """Remove an earlier synthetic city (and only it), fast: set-based deletes, children first."""
    people = Person.objects.filter(synthetic_batch=BATCH).values("pk")
    journeys = Journey.objects.filter(person__in=people).values("pk")
    actors = Actor.objects.filter(synthetic_batch=BATCH).values("pk")
    removed = Person.objects.filter(synthetic_batch=BATCH).count()
    with transaction.atomic():
        matching_remove(people, connection.alias)
        for queryset in (
            # Evidence first: it points at links, journeys, touchpoints and gaps.
            LinkEvidence.objects.filter(journey__in=journeys),
            LinkEvidence.objects.filter(link__from_actor__in=actors),
            LinkEvidence.objects.filter(link__to_actor__in=actors),
            *learning_remove(people),
            Gap.objects.filter(journey__in=journeys),
            Touchpoint.objects.filter(journey__in=journeys),
            Journey.objects.filter(pk__in=journeys),
            Quote.objects.filter(story__person__in=people),
            Story.objects.filter(person__in=people),
            Link.objects.filter(from_actor__in=actors),
            Link.objects.filter(to_actor__in=actors),
            Actor.objects.filter(synthetic_batch=BATCH),
            Consent.objects.filter(person__in=people),
            Need.objects.filter(person__in=people),
            Strength.objects.filter(person__in=people),
            Identity.objects.filter(person__in=people),
            Person.facilitators.through.objects.filter(person__in=people),
            Person.objects.filter(synthetic_batch=BATCH),
        ):
            # A set-based delete skips loading 200,000 rows (and the signals: the maps are
            # told below).
            queryset._raw_delete(connection.alias)
        version.changed()
    return removed


def generate(*, people: int, seed: int, touchpoints_per_person: int = 20) -> City:
    """Build the synthetic city, replacing any earlier one, in one transaction."""
    if people < 1:
        raise ValueError("The synthetic city needs at least one person")
    city_remove()
    city = City(people_wanted=people, seed=seed, touchpoints_per_person=touchpoints_per_person)
    with transaction.atomic():
        for _, step in STEPS:
            step(city)
        if connection.vendor == "postgresql":
            # Fresh statistics, or the planner guesses at a table that just grew a hundredfold.
            tables = [
                model._meta.db_table
                for model in (
                    Person,
                    Consent,
                    Need,
                    Strength,
                    Actor,
                    Link,
                    LinkEvidence,
                    Journey,
                    Touchpoint,
                    Gap,
                    Story,
                    Quote,
                )
            ]
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {', '.join(tables)}")
        version.changed()  # the city is bulk-written: no signal told the maps
        audit_record(
            actor=None,
            verb="demo.synthetic_city",
            subject_type="people.person",
            details={"seed": seed, **city.counts},
        )
    return city
