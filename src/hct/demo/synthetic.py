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

import datetime as dt
import random
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import connection, transaction

from hct.core.roles import Role
from hct.core.services import audit_record
from hct.journeys.dates import Precision
from hct.journeys.models import Felt, Gap, Journey, Quote, Story, Touchpoint, What
from hct.journeys.services import gap_link_mark
from hct.people.models import Consent, Identity, Need, Person, Purpose, Strength
from hct.places.models import Lsoa, Neighbourhood
from hct.systemmap.models import Actor, Link
from hct.systemmap.services import links_mark_bulk

BATCH = "city"
BATCH_SIZE = 5000
EPOCH = dt.date(2014, 1, 1)  # journeys start after this, whatever today is, so seeds reproduce
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
PRECISIONS = (
    (Precision.DAY, 30),
    (Precision.MONTH, 40),
    (Precision.SEASON, 10),
    (Precision.YEAR, 20),
)
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
STORY_LINES = (
    "I kept going back to the doctor and telling it all again.",
    "The waiting was the worst part. Nobody rang to say what was happening.",
    "What helped was a cup of tea and somebody who remembered my name.",
    "When I moved my appointment I went to the back of the queue.",
    "I couldn't get there on the bus, not with my shopping.",
    "My neighbour checked on me every day. That kept me going.",
)


def _weighted(rng: random.Random, pairs):
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights=weights, k=1)[0]


@dataclass
class City:
    """Everything the steps share: the seed's random generator and what has been made."""

    people_wanted: int
    seed: int
    touchpoints_per_person: int = 20
    rng: random.Random = field(init=False)
    facilitator: object = None
    lsoas: list[Lsoa] = field(default_factory=list)
    ward_of_lsoa: dict[int, int] = field(default_factory=dict)  # lsoa id -> ward neighbourhood id
    people: list[Person] = field(default_factory=list)
    ward_actors: dict[int, dict[str, list[Actor]]] = field(default_factory=dict)
    city_actors: dict[str, list[Actor]] = field(default_factory=dict)
    own_actors: dict[int, dict[str, Actor]] = field(
        default_factory=dict
    )  # person id -> kind -> actor
    journeys: list[Journey] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)


Step = Callable[[City], None]
STEPS: list[tuple[str, Step]] = []


def register_step(name: str, step: Step) -> None:
    """Add a step to the city (later issues: their own records), once, after those before it."""
    if all(existing != name for existing, _ in STEPS):
        STEPS.append((name, step))


def _bulk(model, objects: list) -> list:
    return model.objects.bulk_create(objects, batch_size=BATCH_SIZE)


# Steps


def _places(city: City) -> None:
    city.facilitator = get_user_model().objects.filter(role=Role.FACILITATOR).order_by("pk").first()
    if city.facilitator is None:
        raise ValueError("The synthetic city needs the demo (a facilitator account): run hct demo")
    city.lsoas = list(Lsoa.objects.order_by("code"))
    wards = Neighbourhood.objects.filter(kind=Neighbourhood.Kind.WARD).prefetch_related("lsoas")
    for ward in wards.order_by("slug"):
        for lsoa in ward.lsoas.all():
            city.ward_of_lsoa[lsoa.pk] = ward.pk


def _people(city: City) -> None:
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
        )
        for index, home in enumerate(homes)
    ]
    city.people = _bulk(Person, people)
    through = Person.facilitators.through
    _bulk(through, [through(person_id=p.pk, user_id=city.facilitator.pk) for p in city.people])
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
            kind = _weighted(rng, NEED_KINDS)
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
            kind = _weighted(rng, STRENGTH_KINDS)
            strengths.append(
                Strength(
                    person=person,
                    kind=kind,
                    in_their_words=f"Synthetic: {Strength.Kind(kind).label.lower()}.",
                )
            )
    _bulk(Consent, consents)
    _bulk(Need, needs)
    _bulk(Strength, strengths)
    city.counts.update(
        people=len(city.people), consents=len(consents), needs=len(needs), strengths=len(strengths)
    )


def _actors(city: City) -> None:
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
    _bulk(Actor, actors)
    for ward_id, kind, actor in ward_slots:
        city.ward_actors.setdefault(ward_id, {}).setdefault(kind, []).append(actor)
    for role, actor in city_slots:
        city.city_actors.setdefault(role, []).append(actor)
    for person_id, kind, actor in personal:
        city.own_actors.setdefault(person_id, {})[kind] = actor
    city.counts["actors"] = len(actors)


def _precise(rng, day: dt.date) -> tuple[str, dt.date, dt.date, str]:
    """A remembered date around `day`: the text, its range (always holding `day`), precision."""
    precision = _weighted(rng, PRECISIONS)
    if precision == Precision.DAY:
        return day.strftime("%d/%m/%Y"), day, day, precision
    if precision == Precision.MONTH:
        start = day.replace(day=1)
        end = (start + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
        return day.strftime("%B %Y"), start, end, precision
    if precision == Precision.SEASON and day.month in (3, 4, 5, 6, 7, 8, 9, 10, 11):
        name, first = (("spring", 3), ("summer", 6), ("autumn", 9))[(day.month - 3) // 3]
        start = dt.date(day.year, first, 1)
        end = (dt.date(day.year, first + 3, 1)) - dt.timedelta(days=1)
        return f"{name} {day.year}", start, end, Precision.SEASON
    return str(day.year), dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), Precision.YEAR


# What tends to follow what in a journey (a small Markov chain), and who does it.
NEXT = {
    What.LIFE_EVENT: ((What.LIFE_EVENT, 2), (What.CRISIS, 2), (What.APPOINTMENT, 3), (What.COMMUNITY_ACT, 2), (What.SELF_HELP, 1)),
    What.CRISIS: ((What.ASSESSMENT, 4), (What.DISCHARGE, 3), (What.REFERRAL, 2), (What.COMMUNITY_ACT, 1)),
    What.REFERRAL: ((What.WAITING, 4), (What.ASSESSMENT, 5), (What.REFERRAL, 1)),
    What.WAITING: ((What.ASSESSMENT, 6), (What.WAITING, 1), (What.CRISIS, 1), (What.COMMUNITY_ACT, 2)),
    What.ASSESSMENT: ((What.APPOINTMENT, 6), (What.REFERRAL, 2), (What.DISCHARGE, 2)),
    What.APPOINTMENT: ((What.APPOINTMENT, 5), (What.DISCHARGE, 2), (What.REFERRAL, 1), (What.COMMUNITY_ACT, 2), (What.SELF_HELP, 1)),
    What.DISCHARGE: ((What.COMMUNITY_ACT, 3), (What.SELF_HELP, 2), (What.CRISIS, 1), (What.REFERRAL, 2)),
    What.COMMUNITY_ACT: ((What.COMMUNITY_ACT, 3), (What.SELF_HELP, 2), (What.REFERRAL, 2), (What.LIFE_EVENT, 1), (What.APPOINTMENT, 1)),
    What.SELF_HELP: ((What.COMMUNITY_ACT, 3), (What.APPOINTMENT, 2), (What.REFERRAL, 1), (What.LIFE_EVENT, 1)),
}  # fmt: skip
FELT = {
    What.LIFE_EVENT: ((Felt.HINDERED, 7), (Felt.NEITHER, 3)),
    What.CRISIS: ((Felt.HINDERED, 5), (Felt.NEITHER, 4), (Felt.HELPED, 1)),
    What.WAITING: ((Felt.HINDERED, 8), (Felt.NEITHER, 2)),
    What.DISCHARGE: ((Felt.HINDERED, 5), (Felt.NEITHER, 4), (Felt.HELPED, 1)),
    What.COMMUNITY_ACT: ((Felt.HELPED, 9), (Felt.NEITHER, 1)),
    What.SELF_HELP: ((Felt.HELPED, 8), (Felt.NEITHER, 2)),
}
FELT_DEFAULT = ((Felt.HELPED, 4), (Felt.NEITHER, 4), (Felt.HINDERED, 2))
DAYS_AFTER = {What.WAITING: (14, 60), What.ASSESSMENT: (7, 90), What.APPOINTMENT: (7, 42)}


def _who(city: City, person: Person, what: str, ward: dict, previous: Actor | None) -> Actor:
    rng, own = city.rng, city.own_actors[person.pk]
    if what == What.SELF_HELP:
        return own[Actor.Kind.PERSON]
    if what == What.LIFE_EVENT:
        return rng.choice([own[Actor.Kind.FAMILY], *city.city_actors["life"]])
    if what == What.CRISIS or what == What.DISCHARGE:
        return rng.choice(city.city_actors["acute"])
    if what == What.COMMUNITY_ACT:
        choices = [
            *ward.get(Actor.Kind.COMMUNITY_GROUP, []),
            *ward.get(Actor.Kind.EVERYDAY_CONTACT, []),
            *ward.get(Actor.Kind.BUSINESS, []),
            *city.city_actors["community"],
        ]
        if Actor.Kind.NEIGHBOUR in own:
            choices.append(own[Actor.Kind.NEIGHBOUR])
        return rng.choice(choices)
    if what == What.REFERRAL:
        return rng.choice(ward.get(Actor.Kind.LOCAL_SERVICE) or city.city_actors["therapy"])
    if what == What.APPOINTMENT and previous is not None and rng.random() < 0.6:
        return previous
    return rng.choice(city.city_actors["therapy"] + city.city_actors["acute"][:1])


def _gap_kind(rng, a: Touchpoint, b: Touchpoint, days: int) -> str | None:
    if a.what == What.REFERRAL and b.what in (What.WAITING, What.ASSESSMENT):
        if days > 42 and rng.random() < 0.7:
            return Gap.Kind.LONG_WAIT
        if rng.random() < 0.08:
            return Gap.Kind.REFERRAL_LOST
    if a.what == What.DISCHARGE and rng.random() < 0.45:
        return Gap.Kind.DISCHARGED_WITHOUT_SUPPORT
    if b.what == What.ASSESSMENT and rng.random() < 0.35:
        return Gap.Kind.TOLD_STORY_AGAIN
    if a.what == b.what == What.APPOINTMENT and a.actor_id == b.actor_id and rng.random() < 0.15:
        return Gap.Kind.APPOINTMENT_NOT_FLEXIBLE
    if a.what == What.ASSESSMENT and rng.random() < 0.1:
        return Gap.Kind.NO_FOLLOW_UP
    if a.actor.sector != b.actor.sector and a.actor.kind.endswith("service") and rng.random() < 0.1:
        return Gap.Kind.SERVICES_DIDNT_TALK
    if b.what == What.APPOINTMENT and rng.random() < 0.03:
        return Gap.Kind.COULDNT_GET_THERE
    return None


def _journeys(city: City) -> None:
    rng = city.rng
    journeys = [
        Journey(
            uuid=city.uuid(),
            person=person,
            title="A synthetic journey",
            created_by=city.facilitator,
        )
        for person in city.people
    ]
    city.journeys = _bulk(Journey, journeys)
    total_touchpoints = total_gaps = 0
    marks = []
    chunk_touchpoints: list[Touchpoint] = []
    chunk_plans: list[tuple[Journey, list[Touchpoint], list[int]]] = []

    def flush() -> None:
        nonlocal total_gaps
        _bulk(Touchpoint, chunk_touchpoints)
        gaps = []
        for journey, touchpoints, days in chunk_plans:
            own = city.own_actors[journey.person_id][Actor.Kind.PERSON]
            for index in range(1, len(touchpoints)):
                a, b = touchpoints[index - 1], touchpoints[index]
                kind = _gap_kind(rng, a, b, days[index])
                if kind is not None:
                    gaps.append(Gap(journey=journey, before=a, after=b, kind=kind))
                    mark = gap_link_mark(a, b, kind, own)
                    if mark is not None:
                        marks.append(mark)
        _bulk(Gap, gaps)
        total_gaps += len(gaps)
        chunk_touchpoints.clear()
        chunk_plans.clear()

    for journey, person in zip(city.journeys, city.people, strict=True):
        ward = city.ward_actors.get(city.ward_of_lsoa.get(person.home_lsoa_id), {})
        length = max(3, min(45, round(rng.gauss(city.touchpoints_per_person, 6))))
        day = EPOCH + dt.timedelta(days=rng.randrange(365 * 8))
        what = rng.choice((What.LIFE_EVENT, What.CRISIS, What.REFERRAL, What.COMMUNITY_ACT))
        touchpoints, days, previous = [], [0], None
        for position in range(1, length + 1):
            if position > 1:
                what = _weighted(rng, NEXT[what])
                low, high = DAYS_AFTER.get(what, (3, 90))
                step = rng.randint(low, high)
                day += dt.timedelta(days=step)
                days.append(step)
            text, start, end, precision = _precise(rng, day)
            actor = _who(city, person, what, ward, previous)
            touchpoint = Touchpoint(
                journey=journey,
                position=position,
                when=text,
                starts_on=start,
                ends_on=end,
                precision=precision,
                actor=actor,
                what=what,
                felt=_weighted(rng, FELT.get(what, FELT_DEFAULT)),
            )
            touchpoints.append(touchpoint)
            previous = actor
        chunk_touchpoints.extend(touchpoints)
        chunk_plans.append((journey, touchpoints, days))
        total_touchpoints += len(touchpoints)
        if len(chunk_touchpoints) >= BATCH_SIZE * 4:
            flush()
    flush()
    links_mark_bulk(actor=city.facilitator, marks=marks, synthetic=True)
    city.counts.update(journeys=len(city.journeys), touchpoints=total_touchpoints, gaps=total_gaps)


def _stories(city: City) -> None:
    rng = city.rng
    stories, quotes = [], []
    for person in city.people:
        if rng.random() < 0.3:
            lines = rng.sample(STORY_LINES, k=3)
            story = Story(person=person, title="A synthetic story", text="\n\n".join(lines))
            stories.append(story)
            quotes.append((story, lines[0]))
    _bulk(Story, stories)
    _bulk(Quote, [Quote(story=s, text=text, agreed_on=EPOCH) for s, text in quotes])
    city.counts["stories"] = len(stories)


register_step("places", _places)
register_step("people", _people)
register_step("actors", _actors)
register_step("journeys", _journeys)
register_step("stories", _stories)


def city_remove() -> int:
    """Remove an earlier synthetic city (and only it), fast: set-based deletes, children first."""
    people = Person.objects.filter(synthetic_batch=BATCH).values("pk")
    journeys = Journey.objects.filter(person__in=people).values("pk")
    actors = Actor.objects.filter(synthetic_batch=BATCH).values("pk")
    removed = Person.objects.filter(synthetic_batch=BATCH).count()
    with transaction.atomic():
        for queryset in (
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
            # No model here has delete signals; a set-based delete skips loading 200,000 rows.
            queryset._raw_delete(connection.alias)
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
                    Journey,
                    Touchpoint,
                    Gap,
                    Story,
                    Quote,
                )
            ]
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {', '.join(tables)}")
        audit_record(
            actor=None,
            verb="demo.synthetic_city",
            subject_type="people.person",
            details={"seed": seed, **city.counts},
        )
    return city
