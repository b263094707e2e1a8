"""A small hand-made world for learning's figures: a neighbourhood of its own, people in it,
stories, journeys with gaps, and well-being answers, each made to give known answers."""

import datetime as dt

from hct.journeys.dates import Precision
from hct.journeys.models import Gap, Journey, Story, Touchpoint, What
from hct.learning import services
from hct.learning.models import Lonely, WellbeingCheck
from hct.people.models import Consent, Person
from hct.places.models import Lsoa, Neighbourhood
from hct.systemmap.models import Actor

DAY = dt.date(2026, 1, 10)


def neighbourhood(name: str, lsoa_codes: list[str]) -> Neighbourhood:
    """A neighbourhood of LSOAs no other test neighbourhood holds."""
    n = Neighbourhood.objects.create(name=name, slug=name.lower().replace(" ", "-"))
    n.lsoas.set(Lsoa.objects.filter(code__in=lsoa_codes))
    return n


def spare_lsoas(count: int) -> list[str]:
    """LSOAs where the demo has nobody."""
    return list(
        Lsoa.objects.filter(people__isnull=True)
        .order_by("code")
        .values_list("code", flat=True)[:count]
    )


def person(lsoa_code: str, alias: str = "P") -> Person:
    return Person.objects.create(alias=alias, home_lsoa=Lsoa.objects.get(code=lsoa_code))


def story(p: Person) -> Story:
    return Story.objects.create(person=p, text="In my words.")


def journey_with_gaps(p: Person, kinds: list[str]) -> Journey:
    journey = Journey.objects.create(person=p, title="Journey")
    actor = Actor.objects.create(name="GP", kind=Actor.Kind.LOCAL_SERVICE, sector="local_services")
    points = [
        Touchpoint.objects.create(
            journey=journey,
            position=i,
            when="2020",
            starts_on=dt.date(2020, 1, 1),
            ends_on=dt.date(2020, 12, 31),
            precision=Precision.YEAR,
            actor=actor,
            what=What.APPOINTMENT,
        )
        for i in range(2)
    ]
    for kind in kinds:
        Gap.objects.create(journey=journey, before=points[0], after=points[1], kind=kind)
    return journey


def answers(
    actor,
    p: Person,
    wave: str,
    on: dt.date,
    *,
    life=5,
    worthwhile=5,
    happy=5,
    anxious=5,
    lonely=Lonely.SOME,
):
    return services.wellbeing_record(
        actor=actor,
        person=p,
        wave=wave,
        asked_on=on,
        life_satisfaction=life,
        worthwhile=worthwhile,
        happy=happy,
        anxious=anxious,
        lonely=lonely,
        consent_how=Consent.How.IN_PERSON,
    )


BASELINE, LATER = WellbeingCheck.Wave.BASELINE, WellbeingCheck.Wave.FOLLOW_UP
