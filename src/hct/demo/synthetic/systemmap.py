"""The synthetic city's system map: the links its journeys show (derived, with their evidence),
and the everyday ties journeys don't record (family, neighbours, groups, the postman, services
that refer to each other), enough of them for about five links per actor (20,000 actors and
100,000 links for 8,700 people). Some ties carry a polarity, so feedback loops exist."""

from hct.demo.synthetic.city import City, bulk
from hct.journeys.derive import links_derive
from hct.systemmap.models import Actor, Link

LINKS_PER_ACTOR = 5
K, S = Link.Kind, Link.Status


def _status(rng) -> str:
    return rng.choices((S.WORKING, S.STRAINED, S.BROKEN, S.MISSING), weights=(70, 15, 10, 5), k=1)[
        0
    ]


def _polarity(rng) -> str:
    return rng.choices(("", "+", "-"), weights=(80, 14, 6), k=1)[0]


def systemmap_step(city: City) -> None:
    rng = city.rng
    derived = links_derive(actor=city.facilitator, journeys=[j.pk for j in city.journeys])
    taken = set(
        Link.objects.filter(synthetic=True).values_list("from_actor_id", "to_actor_id", "kind")
    )
    actors = Actor.objects.filter(synthetic_batch="city").count()
    wanted = LINKS_PER_ACTOR * actors - len(taken)
    new: list[Link] = []

    def add(source: Actor | None, target: Actor | None, kind: str, **values) -> None:
        if source is None or target is None or source.pk == target.pk:
            return
        key = (source.pk, target.pk, kind)
        if key in taken or len(new) >= wanted:
            return
        taken.add(key)
        new.append(
            Link(
                from_actor_id=source.pk,
                to_actor_id=target.pk,
                kind=kind,
                status=values.get("status", _status(rng)),
                direction=values.get("direction", Link.Direction.FORWARD),
                strength=rng.randint(1, 5),
                polarity=_polarity(rng),
                origin=Link.Origin.HAND,
                status_by_hand=True,
                synthetic=True,
            )
        )

    def pick(ward: dict, kind: str) -> Actor | None:
        choices = ward.get(kind) or []
        return rng.choice(choices) if choices else None

    # Wards first: services, groups and businesses tied to each other and to the city's services.
    city_services = [a for group in city.city_actors.values() for a in group]
    for ward in city.ward_actors.values():
        shared = [a for group in ward.values() for a in group]
        for source in shared:
            for target in rng.sample(shared, k=min(6, len(shared))):
                add(source, target, rng.choice((K.REFERRAL, K.INFORMATION, K.SUPPORT)))
            for target in rng.sample(city_services, k=min(3, len(city_services))):
                add(source, target, rng.choice((K.REFERRAL, K.INFORMATION, K.FUNDING)))
    # Then each person's everyday ties, round after round until the city has its links.
    for round_number in range(6):
        for person in city.people:
            own = city.own_actors.get(person.pk, {})
            me, family = own.get(Actor.Kind.PERSON), own.get(Actor.Kind.FAMILY)
            ward = city.ward_actors.get(city.ward_of_lsoa.get(person.home_lsoa_id or 0, 0), {})
            if round_number == 0:
                add(me, family, K.COMPANIONSHIP, status=S.WORKING, direction="both")
                add(family, me, K.SUPPORT)
                add(own.get(Actor.Kind.NEIGHBOUR), me, K.SUPPORT)
            add(me, pick(ward, Actor.Kind.COMMUNITY_GROUP), K.COMPANIONSHIP)
            add(pick(ward, Actor.Kind.EVERYDAY_CONTACT), me, K.INFORMATION)
            add(me, pick(ward, Actor.Kind.BUSINESS), K.SUPPORT)
            add(family, pick(ward, Actor.Kind.LOCAL_SERVICE), K.INFORMATION)
        if len(new) >= wanted:
            break
    bulk(Link, new)
    city.counts.update(links_derived=derived.created, links_drawn=len(new))


__all__ = ["systemmap_step"]
