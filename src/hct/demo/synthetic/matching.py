"""The synthetic city's offers of help and what matching must respect about its needs.

About three offers for every ten people (a city of 10,000 people: ~3,000 offers for ~10,000
open needs of people who consent to matching), from people of the city (someone who receives
help can offer it too) and from groups; places are scarcer than needs, as they are in life, so
which needs get met is a real choice. Some needs have windows, a distance, preferences, and a
wish for two-way company.
"""

import datetime as dt

from django.db.models import Q

from hct.demo.synthetic.city import BATCH, City, bulk, weighted
from hct.matching.models import CHECK_NEEDED, HoursLogged, Match, NeedPreferences, Offer, Window
from hct.people.models import Need

OFFERS_PER_PERSON = 0.3
OFFER_KINDS = (
    (Need.Kind.COMPANIONSHIP, 25), (Need.Kind.SOMEONE_TO_TALK_TO, 15), (Need.Kind.SHOPPING, 15),
    (Need.Kind.PET_CARE, 8), (Need.Kind.PRACTICAL, 12), (Need.Kind.GETTING_ABOUT, 10),
    (Need.Kind.MONEY, 8), (Need.Kind.FLEXIBLE_SERVICES, 4), (Need.Kind.HOUSING, 3),
)  # fmt: skip


def _windows(rng, count: int) -> list[tuple[int, dt.time, dt.time]]:
    spans = []
    for day in rng.sample(range(7), count):
        start = rng.choice((9, 10, 13, 14, 17, 18))
        spans.append((day, dt.time(start), dt.time(start + rng.choice((2, 3, 4)))))
    return spans


def matching_step(city: City) -> None:
    rng = city.rng
    offers, offer_windows = [], []
    for index in range(max(1, round(city.people_wanted * OFFERS_PER_PERSON))):
        group = rng.random() < 0.3
        person = None if group else rng.choice(city.people)
        kinds = list(dict.fromkeys(weighted(rng, OFFER_KINDS) for _ in range(rng.choice((1, 2)))))
        checked = rng.random() < (0.8 if group else 0.5)
        offers.append(
            Offer(
                person=person,
                group_name=f"Group {index + 1:05d} (synthetic)" if group else "",
                kinds=[str(kind) for kind in kinds],
                in_their_words="Synthetic offer.",
                base_lsoa=person.home_lsoa if person else rng.choice(city.lsoas),
                reach_km=rng.choice((1.0, 2.0, 3.0, 5.0)),
                capacity_per_week=rng.choice((2, 3, 5)) if group else rng.choice((1, 1, 2, 3)),
                background_checked=checked,
                can_carry_shopping=rng.random() < 0.5,
                dog_friendly=rng.random() < 0.4,
                synthetic_batch=BATCH,
                created_by=city.facilitator,
            )
        )
        offer_windows.append(_windows(rng, rng.choice((0, 1, 2, 3))))
    offers = bulk(Offer, offers)
    windows = [
        Window(offer=offer, weekday=day, starts=starts, ends=ends)
        for offer, spans in zip(offers, offer_windows, strict=True)
        for day, starts, ends in spans
    ]
    preferences = []
    needs = Need.objects.filter(person__synthetic_batch=BATCH, status=Need.Status.OPEN)
    for need_id, kind in needs.values_list("pk", "kind").order_by("pk").iterator():
        if rng.random() < 0.4:
            preferences.append(
                NeedPreferences(
                    need_id=need_id,
                    max_km=rng.choice((1.0, 2.0, 3.0, 5.0)),
                    needs_dog_friendly=kind == Need.Kind.PET_CARE and rng.random() < 0.5,
                    needs_carrying=kind == Need.Kind.SHOPPING and rng.random() < 0.5,
                    two_way=kind == Need.Kind.COMPANIONSHIP and rng.random() < 0.15,
                )
            )
        if rng.random() < 0.3:
            windows += [
                Window(need_id=need_id, weekday=day, starts=starts, ends=ends)
                for day, starts, ends in _windows(rng, rng.choice((1, 2)))
            ]
    bulk(NeedPreferences, preferences)
    bulk(Window, windows)
    city.counts["offers"] = len(offers)
    city.counts["offers needing a check, checked"] = sum(
        1 for o in offers if o.background_checked and set(o.kinds) & set(CHECK_NEEDED)
    )


def matching_remove(people, connection_alias: str) -> None:
    """Matching's records of a city about to be removed (set-based, children first)."""
    offers = Offer.objects.filter(Q(synthetic_batch=BATCH) | Q(person__in=people)).values("pk")
    needs = Need.objects.filter(person__in=people).values("pk")
    for queryset in (
        HoursLogged.objects.filter(match__need__in=needs),
        HoursLogged.objects.filter(match__offer__in=offers),
        HoursLogged.objects.filter(match__partner_need__in=needs),
        Match.objects.filter(need__in=needs),
        Match.objects.filter(partner_need__in=needs),
        Match.objects.filter(offer__in=offers),
        Window.objects.filter(need__in=needs),
        Window.objects.filter(offer__in=offers),
        NeedPreferences.objects.filter(need__in=needs),
        Offer.objects.filter(pk__in=offers),
    ):
        queryset._raw_delete(connection_alias)
