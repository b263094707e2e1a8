"""Steps of the synthetic city: where people live, who they are, and who is in their system."""

import datetime as dt

from django.contrib.auth import get_user_model

from hct.core.roles import Role
from hct.demo.synthetic.city import BATCH, EPOCH, City, bulk, weighted
from hct.partnership.selectors import partnership_for_record
from hct.people.models import Consent, Need, Person, Purpose, Strength
from hct.places.models import Lsoa, Neighbourhood
from hct.systemmap.models import Actor

NAMES = (
    "Ash", "Bailey", "Cam", "Dani", "Eden", "Frankie", "Glen", "Harper", "Indy", "Jordan", "Kit",
    "Lee", "Morgan", "Nico", "Ollie", "Parker", "Quinn", "Reese", "Sasha", "Toni", "Val", "Wren",
)  # fmt: skip
# Realistic proportions, from the brief's picture rather than any one data set: needs are mostly
# company and practical help; consent to share is common but not universal.
NEED_KINDS = (
    (Need.Kind.COMPANIONSHIP, 25), (Need.Kind.SOMEONE_TO_TALK_TO, 15), (Need.Kind.SHOPPING, 10),
    (Need.Kind.PET_CARE, 5), (Need.Kind.PRACTICAL, 8), (Need.Kind.FLEXIBLE_SERVICES, 10),
    (Need.Kind.GETTING_ABOUT, 8), (Need.Kind.MONEY, 10), (Need.Kind.HOUSING, 7), (Need.Kind.HEALTH, 2),
)  # fmt: skip
STRENGTH_KINDS = (
    (Strength.Kind.TIME, 30), (Strength.Kind.COMPANY, 25), (Strength.Kind.SKILLS, 20),
    (Strength.Kind.EXPERIENCE, 15), (Strength.Kind.PRACTICAL, 10),
)  # fmt: skip
CONSENT_SHARES = {
    Purpose.CONTACT: 0.85,
    Purpose.MATCHING: 0.7,
    Purpose.SHARE_WITH_PARTNERS: 0.6,
    Purpose.STORY_AT_CONVERSATION: 0.2,
}
WARD_ACTORS = (
    ("GP practice {n}, {ward}", Actor.Kind.LOCAL_SERVICE, 3),
    ("Pharmacy, {ward}", Actor.Kind.BUSINESS, 1),
    ("Local shops, {ward}", Actor.Kind.BUSINESS, 1),
    ("Community centre, {ward}", Actor.Kind.COMMUNITY_GROUP, 1),
    ("Community group {n}, {ward}", Actor.Kind.COMMUNITY_GROUP, 3),
    ("The postman, {ward}", Actor.Kind.EVERYDAY_CONTACT, 1),
)
CITY_ACTORS = (
    ("Talking therapies", Actor.Kind.LOCAL_SERVICE, "therapy"),
    ("Community mental health team", Actor.Kind.LOCAL_SERVICE, "therapy"),
    ("Housing options", Actor.Kind.LOCAL_SERVICE, "life"),
    ("Jobcentre", Actor.Kind.LOCAL_SERVICE, "life"),
    ("Advice service", Actor.Kind.COMMUNITY_GROUP, "community"),
    ("Crisis team", Actor.Kind.ACUTE_SERVICE, "acute"),
    ("Emergency department", Actor.Kind.ACUTE_SERVICE, "acute"),
    ("Mental health ward", Actor.Kind.ACUTE_SERVICE, "acute"),
)


def places_step(city: City) -> None:
    city.facilitator = get_user_model().objects.filter(role=Role.FACILITATOR).order_by("pk").first()
    if city.facilitator is None:
        raise ValueError("The synthetic city needs the demo (a facilitator account): run hct demo")
    city.partnership = partnership_for_record(city.facilitator)
    city.lsoas = list(Lsoa.objects.order_by("code"))
    wards = Neighbourhood.objects.filter(kind=Neighbourhood.Kind.WARD).prefetch_related("lsoas")
    for ward in wards.order_by("slug"):
        for lsoa in ward.lsoas.all():
            city.ward_of_lsoa[lsoa.pk] = ward.pk


def people_step(city: City) -> None:
    rng = city.rng
    # More people where deprivation is deepest: weight by population and IMD decile.
    weights = [lsoa.population * (11 - lsoa.imd_decile) ** 1.5 for lsoa in city.lsoas]
    homes = rng.choices(city.lsoas, weights=weights, k=city.people_wanted)
    people = [
        Person(
            uuid=city.uuid(),
            alias=f"{rng.choice(NAMES)} {index + 1:05d} (synthetic)",
            shared="Made up for the synthetic city.",
            home_lsoa=home,
            synthetic=True,
            synthetic_batch=BATCH,
            partnership=city.partnership,
        )
        for index, home in enumerate(homes)
    ]
    city.people = bulk(Person, people)
    through = Person.facilitators.through
    facilitator = city.facilitator
    if facilitator is not None:
        bulk(through, [through(person_id=p.pk, user_id=facilitator.pk) for p in city.people])
    consents, needs, strengths = [], [], []
    for person in city.people:
        for purpose, share in CONSENT_SHARES.items():
            if rng.random() < share:
                given = EPOCH + dt.timedelta(days=rng.randrange(3000))
                withdrawn = given + dt.timedelta(days=90) if rng.random() < 0.05 else None
                consents.append(
                    Consent(
                        person=person,
                        purpose=purpose,
                        given_on=given,
                        how=Consent.How.IN_PERSON,
                        recorded_by=city.facilitator,
                        withdrawn_on=withdrawn,
                    )
                )
        for _ in range(rng.choice((1, 1, 2, 2, 3))):
            kind = weighted(rng, NEED_KINDS)
            needs.append(
                Need(
                    person=person,
                    kind=kind,
                    in_their_words=f"Synthetic: {Need.Kind(kind).label.lower()}.",
                    urgency=rng.choice(Need.Urgency.values),
                    status=Need.Status.MET if rng.random() < 0.2 else Need.Status.OPEN,
                )
            )
        for _ in range(rng.choice((0, 1, 1, 2))):
            kind = weighted(rng, STRENGTH_KINDS)
            strengths.append(
                Strength(
                    person=person,
                    kind=kind,
                    in_their_words=f"Synthetic: {Strength.Kind(kind).label.lower()}.",
                )
            )
    bulk(Consent, consents)
    bulk(Need, needs)
    bulk(Strength, strengths)
    city.counts.update(
        people=len(city.people), consents=len(consents), needs=len(needs), strengths=len(strengths)
    )


def actors_step(city: City) -> None:
    rng = city.rng
    actors: list[Actor] = []
    wards = Neighbourhood.objects.filter(kind=Neighbourhood.Kind.WARD).order_by("slug")
    ward_slots: list[tuple[int, str, Actor]] = []
    for ward in wards:
        for pattern, kind, number in WARD_ACTORS:
            for n in range(1, number + 1):
                actor = Actor(
                    name=f"{pattern.format(n=n, ward=ward.name)} (synthetic)",
                    kind=kind,
                    sector=Actor.DEFAULT_SECTOR[kind],
                    neighbourhood=ward,
                    synthetic=True,
                    synthetic_batch=BATCH,
                )
                actors.append(actor)
                ward_slots.append((ward.pk, kind, actor))
    city_slots = []
    for name, kind, role in CITY_ACTORS:
        actor = Actor(
            name=f"{name} (synthetic)",
            kind=kind,
            sector=Actor.DEFAULT_SECTOR[kind],
            synthetic=True,
            synthetic_batch=BATCH,
        )
        actors.append(actor)
        city_slots.append((role, actor))
    personal = []
    for person in city.people:
        personal.append(
            (person.pk, Actor.Kind.PERSON, Actor(name=person.alias, kind=Actor.Kind.PERSON))
        )
        personal.append(
            (
                person.pk,
                Actor.Kind.FAMILY,
                Actor(name=f"{person.alias.split()[0]}'s family", kind=Actor.Kind.FAMILY),
            )
        )
        if rng.random() < 0.3:
            personal.append(
                (
                    person.pk,
                    Actor.Kind.NEIGHBOUR,
                    Actor(name="A neighbour", kind=Actor.Kind.NEIGHBOUR),
                )
            )
    for person_id, kind, actor in personal:
        actor.person_id = person_id
        actor.private = True
        actor.sector = Actor.DEFAULT_SECTOR[kind]
        actor.synthetic = True
        actor.synthetic_batch = BATCH
        actors.append(actor)
    bulk(Actor, actors)
    for ward_id, slot, actor in ward_slots:
        city.ward_actors.setdefault(ward_id, {}).setdefault(slot, []).append(actor)
    for role, actor in city_slots:
        city.city_actors.setdefault(role, []).append(actor)
    for person_id, kind, actor in personal:
        city.own_actors.setdefault(person_id, {})[kind] = actor
    city.counts["actors"] = len(actors)
