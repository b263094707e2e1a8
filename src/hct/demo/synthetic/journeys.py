"""Steps of the synthetic city: journeys through its services, with their gaps, and stories."""

import datetime as dt

from hct.demo.synthetic.city import BATCH_SIZE, EPOCH, City, bulk, weighted
from hct.journeys.dates import Precision
from hct.journeys.models import Felt, Gap, Journey, Quote, Story, Touchpoint, What
from hct.journeys.services import gap_link_mark
from hct.people.models import Person
from hct.systemmap.models import Actor
from hct.systemmap.services import links_mark_bulk

PRECISIONS = (
    (Precision.DAY, 30),
    (Precision.MONTH, 40),
    (Precision.SEASON, 10),
    (Precision.YEAR, 20),
)
STORY_LINES = (
    "I kept going back to the doctor and telling it all again.",
    "The waiting was the worst part. Nobody rang to say what was happening.",
    "What helped was a cup of tea and somebody who remembered my name.",
    "When I moved my appointment I went to the back of the queue.",
    "I couldn't get there on the bus, not with my shopping.",
    "My neighbour checked on me every day. That kept me going.",
)


def _precise(rng, day: dt.date) -> tuple[str, dt.date, dt.date, str]:
    """A remembered date around `day`: the text, its range (always holding `day`), precision."""
    precision = weighted(rng, PRECISIONS)
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


def journeys_step(city: City) -> None:
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
    city.journeys = bulk(Journey, journeys)
    total_touchpoints = total_gaps = 0
    marks = []
    chunk_touchpoints: list[Touchpoint] = []
    chunk_plans: list[tuple[Journey, list[Touchpoint], list[int]]] = []

    def flush() -> None:
        nonlocal total_gaps
        bulk(Touchpoint, chunk_touchpoints)
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
        bulk(Gap, gaps)
        total_gaps += len(gaps)
        chunk_touchpoints.clear()
        chunk_plans.clear()

    for journey, person in zip(city.journeys, city.people, strict=True):
        ward = city.ward_actors.get(city.ward_of_lsoa.get(person.home_lsoa_id or 0, 0), {})
        length = max(3, min(45, round(rng.gauss(city.touchpoints_per_person, 6))))
        day = EPOCH + dt.timedelta(days=rng.randrange(365 * 8))
        what = rng.choice((What.LIFE_EVENT, What.CRISIS, What.REFERRAL, What.COMMUNITY_ACT))
        touchpoints, days, previous = [], [0], None
        for position in range(1, length + 1):
            if position > 1:
                what = weighted(rng, NEXT[what])
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
                felt=weighted(rng, FELT.get(what, FELT_DEFAULT)),
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


def stories_step(city: City) -> None:
    rng = city.rng
    stories, quotes = [], []
    for person in city.people:
        if rng.random() < 0.3:
            lines = rng.sample(STORY_LINES, k=3)
            story = Story(person=person, title="A synthetic story", text="\n\n".join(lines))
            stories.append(story)
            quotes.append((story, lines[0]))
    bulk(Story, stories)
    bulk(Quote, [Quote(story=s, text=text, agreed_on=EPOCH) for s, text in quotes])
    city.counts["stories"] = len(stories)
