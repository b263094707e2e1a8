"""Reads for matching: who may be matched (consent read fresh each time), the engine's instance,
the proposals a facilitator reviews, a person's own matches and what they have given back.

Consent for matching is read from `hct.people.selectors.with_consent` on every read, so a
withdrawal removes a person from every run, proposal list and decision at once; the next run
also marks their live matches withdrawn.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Case, Count, Exists, OuterRef, Q, QuerySet, Sum, When

from hct.core.roles import Role
from hct.matching import engine
from hct.matching.models import (
    CHECK_NEEDED,
    HoursLogged,
    Match,
    MatchRun,
    NeedPreferences,
    Offer,
    Window,
)
from hct.partnership.models import Membership
from hct.people.models import Need, Person, Purpose, Strength
from hct.people.selectors import current_consents, people_in_scope

# A need with no preferences recorded: the model's defaults (3 km, no conditions, one way).
NO_PREFERENCES = (3.0, False, False, False)


def consenting_people() -> QuerySet[Person]:
    return Person.objects.filter(
        Exists(current_consents(Purpose.MATCHING).filter(person_id=OuterRef("pk")))
    )


def _consent_q(prefix: str) -> Q:
    """Whether the person at `prefix` (a path to a Person) consents to matching now."""
    return Q(**{f"{prefix}__in": consenting_people().values("pk")})


def eligible_needs(people: QuerySet[Person] | None = None) -> QuerySet[Need]:
    """Open needs of people who consent to matching, with no live match already."""
    needs = Need.objects.filter(status=Need.Status.OPEN).filter(_consent_q("person"))
    if people is not None:
        needs = needs.filter(person__in=people.values("pk"))
    live = Match.objects.filter(status__in=Match.LIVE)
    return needs.exclude(pk__in=live.values("need_id")).exclude(
        pk__in=live.filter(partner_need__isnull=False).values("partner_need_id")
    )


def eligible_offers() -> QuerySet[Offer]:
    """Active offers with places; a person's offer only while they consent to matching."""
    return Offer.objects.filter(active=True, capacity_per_week__gt=0).filter(
        Q(person__isnull=True) | _consent_q("person")
    )


def _windows(owner: str, ids: Iterable[int]) -> dict[int, int]:
    spans: dict[int, list[tuple[int, int, int]]] = {}
    rows = Window.objects.filter(**{f"{owner}_id__in": list(ids)}).values_list(
        f"{owner}_id", "weekday", "starts", "ends"
    )
    for owner_id, weekday, starts, ends in rows.iterator(chunk_size=5000):
        spans.setdefault(owner_id, []).append(
            (weekday, starts.hour * 60 + starts.minute, ends.hour * 60 + ends.minute)
        )
    return {key: engine.window_bits(value) for key, value in spans.items()}


@dataclass
class Instance:
    needs: list[engine.NeedIn]
    offers: list[engine.OfferIn]
    declined: frozenset[tuple[int, int]]


def by_partnership(data: Instance) -> list[tuple[list[engine.NeedIn], list[engine.OfferIn]]]:
    """The instance cut by partnership: each need with the offers of its person's partnership
    (a person's offer by their record, a group's by the partnership of whoever recorded it).
    With one partnership (or none known) it is the whole instance, as before."""
    need_people = {n.person for n in data.needs}
    offer_ids = [o.id for o in data.offers]
    of_person = dict(
        Person.objects.filter(Q(pk__in=need_people) | Q(offers__pk__in=offer_ids)).values_list(
            "pk", "partnership_id"
        )
    )
    group_owner: dict[int, int] = {}
    rows = Offer.objects.filter(pk__in=offer_ids, person__isnull=True).values_list(
        "pk", "created_by__memberships__partnership_id"
    )
    for pk, partnership_id in rows.order_by("pk", "created_by__memberships__partnership_id"):
        if partnership_id is not None:
            group_owner.setdefault(pk, partnership_id)

    def owner(offer: engine.OfferIn):
        return of_person.get(offer.person) if offer.person else group_owner.get(offer.id)

    keys = {of_person.get(p) for p in need_people}
    if len(keys) <= 1 and len({owner(o) for o in data.offers} - keys - {None}) == 0:
        return [(data.needs, data.offers)]
    return [
        (
            [n for n in data.needs if of_person.get(n.person) == key],
            [o for o in data.offers if owner(o) == key],
        )
        for key in sorted(keys, key=lambda k: (k is None, k or 0))
    ]


def instance(needs: QuerySet[Need], offers: QuerySet[Offer]) -> Instance:
    """The engine's input, read in a handful of queries (values, not model instances)."""
    need_rows = list(
        needs.values_list(
            "pk", "person_id", "kind", "urgency", "person__home_lsoa__latitude",
            "person__home_lsoa__longitude",
        ).order_by("pk")
    )  # fmt: skip
    need_ids = [row[0] for row in need_rows]
    preferences = {
        row[0]: row[1:]
        for row in NeedPreferences.objects.filter(need_id__in=need_ids).values_list(
            "need_id", "max_km", "needs_dog_friendly", "needs_carrying", "two_way"
        )
    }
    need_windows = _windows("need", need_ids)
    needs_in = []
    for pk, person, kind, urgency, lat, lon in need_rows:
        max_km, dog, carry, two_way = preferences.get(pk, NO_PREFERENCES)
        needs_in.append(
            engine.NeedIn(
                id=pk,
                person=person,
                kind=kind,
                urgency=urgency,
                lat=lat,
                lon=lon,
                max_m=max_km * 1000,
                windows=need_windows.get(pk, engine.ANY_TIME),
                needs_dog_friendly=dog,
                needs_carrying=carry,
                two_way=two_way,
            )
        )
    offer_rows = list(
        offers.values_list(
            "pk", "person_id", "kinds", "base_lsoa__latitude", "base_lsoa__longitude", "reach_km",
            "capacity_per_week", "background_checked", "can_carry_shopping", "dog_friendly",
        ).order_by("pk")
    )  # fmt: skip
    offer_ids = [row[0] for row in offer_rows]
    taken = dict(
        Match.objects.filter(offer_id__in=offer_ids, status__in=Match.LIVE)
        .values("offer_id")
        .annotate(n=Count("pk"))
        .values_list("offer_id", "n")
    )
    offer_windows = _windows("offer", offer_ids)
    offers_in = [
        engine.OfferIn(
            id=pk,
            person=person,
            kinds=frozenset(kinds),
            lat=lat,
            lon=lon,
            reach_m=reach * 1000,
            capacity=max(0, capacity - taken.get(pk, 0)),
            background_checked=checked,
            can_carry_shopping=carry,
            dog_friendly=dog,
            windows=offer_windows.get(pk, engine.ANY_TIME),
        )
        for pk, person, kinds, lat, lon, reach, capacity, checked, carry, dog in offer_rows
    ]
    declined = frozenset(
        Match.objects.filter(
            status=Match.Status.DECLINED, need_id__in=need_ids, offer_id__isnull=False
        ).values_list("need_id", "offer_id")
    )
    return Instance(needs_in, offers_in, declined)


def check_needed() -> frozenset[str]:
    return frozenset(str(kind) for kind in CHECK_NEEDED)


def _related(matches: QuerySet[Match]) -> QuerySet[Match]:
    return matches.select_related(
        "need__person__home_lsoa__ward",
        "partner_need__person__home_lsoa__ward",
        "offer__person__home_lsoa__ward",
        "offer__base_lsoa__ward",
        "offer__service",
    )


def with_consent_on_both_sides(matches: QuerySet[Match]) -> QuerySet[Match]:
    return (
        matches.filter(_consent_q("need__person"))
        .filter(Q(partner_need__isnull=True) | _consent_q("partner_need__person"))
        .filter(Q(offer__isnull=True) | Q(offer__person__isnull=True) | _consent_q("offer__person"))
    )


# Urgent needs first on the review page (their choice values sort the wrong way alphabetically).
URGENT_FIRST = Case(
    *(When(need__urgency=value, then=-rank) for value, rank in engine.URGENCY_RANK.items()),
    default=0,
)


def matches_in_scope(user: Any) -> QuerySet[Match]:
    """Matches a facilitator may see: the person with the need is in their scope."""
    if getattr(user, "role", None) != Role.FACILITATOR:
        return Match.objects.none()
    people = people_in_scope(user).values("pk")
    return _related(
        Match.objects.filter(Q(need__person__in=people) | Q(partner_need__person__in=people))
    )


def review_lists(user: Any) -> dict[str, list[Match]]:
    """A facilitator's matching page: proposals to review, waiting for answers, active."""
    live = with_consent_on_both_sides(matches_in_scope(user))
    return {
        "proposed": list(
            live.filter(status=Match.Status.PROPOSED).order_by(URGENT_FIRST, "distance_m", "pk")
        ),
        "confirmed": list(live.filter(status=Match.Status.CONFIRMED).order_by("pk")),
        "active": list(live.filter(status=Match.Status.ACTIVE).order_by("pk")),
    }


def matches_of(person: Person) -> QuerySet[Match]:
    """Every match a person is part of: for their need, their offer, or two-way."""
    return _related(
        Match.objects.filter(
            Q(need__person=person) | Q(partner_need__person=person) | Q(offer__person=person)
        )
    ).order_by("-created_at", "-id")


def match_get(pk: int) -> Match:
    return _related(Match.objects.all()).get(pk=pk)


def last_run() -> MatchRun | None:
    return MatchRun.objects.order_by("-started_at", "-id").first()


def sides_of(match: Match, person: Person) -> set[str]:
    """Which side(s) of a match a person is on ("need", "offer")."""
    sides: set[str] = set()
    if match.need.person_id == person.pk:
        sides.add(Match.Side.NEED)
    partner, offer = match.partner_need, match.offer
    if partner is not None and partner.person_id == person.pk:
        sides.add(Match.Side.OFFER)
    if offer is not None and offer.person_id == person.pk:
        sides.add(Match.Side.OFFER)
    return sides


@dataclass
class OtherSide:
    """What one side of a match may see of the other: an alias, the need or offer, the
    neighbourhood (ward). Never an address; nothing more until both have accepted."""

    alias: str
    what: str
    neighbourhood: str


def other_side(match: Match, side: str) -> OtherSide:
    if side == Match.Side.NEED:
        if match.partner_need is not None:
            return _need_seen(match.partner_need)
        offer = match.offer
        assert offer is not None  # a match has an offer or a partner (a database constraint)
        ward = offer.base_lsoa.ward.name
        return OtherSide(offer.offerer_alias, ", ".join(offer.kind_labels), ward)
    return _need_seen(match.need)


NO_LONGER_TAKING_PART = OtherSide("Someone no longer taking part", "", "")


def seen_by(person: Person, matches: Iterable[Match]) -> list[tuple[Match, list]]:
    """Each match with what `person` may see of the other side, side by side. Where someone
    has withdrawn consent for matching, nobody sees anything more of them, not even an alias."""
    matches = list(matches)
    consenting = set(
        with_consent_on_both_sides(Match.objects.filter(pk__in=[m.pk for m in matches]))
        .values_list("pk", flat=True)
    )  # fmt: skip
    return [
        (
            match,
            [
                (side, other_side(match, side) if match.pk in consenting else NO_LONGER_TAKING_PART)
                for side in sorted(sides_of(match, person))
            ],
        )
        for match in matches
    ]


def _need_seen(need: Need) -> OtherSide:
    return OtherSide(need.person.alias, need.get_kind_display(), need.person.home_lsoa.ward.name)


@dataclass
class Reciprocity:
    given: Decimal
    received: Decimal

    @property
    def balance(self) -> Decimal:
        return self.given - self.received


def reciprocity(person: Person) -> Reciprocity:
    """Hours given and received through matches, as in a timebank."""
    from hct.matching.models import HoursLogged

    given = HoursLogged.objects.filter(giver=person).aggregate(h=Sum("hours"))["h"]
    received = HoursLogged.objects.filter(receiver=person).aggregate(h=Sum("hours"))["h"]
    return Reciprocity(given or Decimal(0), received or Decimal(0))


def offers_in_scope(user: Any) -> QuerySet[Offer]:
    """Offers a facilitator may see: from people in their scope, and every group's offer
    recorded in one of their partnerships (or by nobody now a member of any)."""
    if getattr(user, "role", None) != Role.FACILITATOR:
        return Offer.objects.none()
    groups = Q(person__isnull=True) & (
        Q(
            Exists(
                Membership.objects.filter(
                    user=user, partnership__memberships__user=OuterRef("created_by")
                )
            )
        )
        | ~Q(Exists(Membership.objects.filter(user=OuterRef("created_by"))))
    )
    return (
        Offer.objects.filter(groups | Q(person__in=people_in_scope(user).values("pk")))
        .select_related("person", "base_lsoa__ward", "service")
        .prefetch_related("windows")
        .order_by("-active", "id")
    )


def offers_of(person: Person) -> QuerySet[Offer]:
    """A person's own offers, live ones first, with their times."""
    return (
        Offer.objects.filter(person=person)
        .prefetch_related("windows")
        .order_by("-active", "-created_at", "-id")
    )


@dataclass
class MyMatch:
    """One of a person's matches as their list shows it: the other side, and whether it waits
    for their answer (a facilitator has confirmed it and they have not answered)."""

    match: Match
    side: str
    other: OtherSide

    @property
    def my_answer(self) -> bool | None:
        if self.side == Match.Side.NEED:
            return self.match.need_side_accepted
        return self.match.offer_side_accepted

    @property
    def waits_for_me(self) -> bool:
        return (
            self.match.status == Match.Status.CONFIRMED
            and self.my_answer is None
            and self.other is not NO_LONGER_TAKING_PART
        )


def my_answers(person: Person) -> list[MyMatch]:
    return [
        MyMatch(match, side, other)
        for match, views in seen_by(person, matches_of(person))
        for side, other in views
    ]


# What a community member did themselves that their facilitator should hear about, in words.
MEMBER_DID = {
    "offer.create": "offered help",
    "offer.end": "ended an offer of help",
    "match.accept": "said yes to a match",
    "match.decline": "said no to a match",
    "match.hours": "logged time given or received",
    "need.add": "asked for help",
    "strength.add": "said what they can give",
}


@dataclass
class MemberNews:
    at: Any
    alias: str
    person_id: int
    did: str
    match_id: int | None


def member_news(user: Any, limit: int = 20) -> list[MemberNews]:
    """The latest things people in a facilitator's scope did for themselves on their help page
    (read from the audit log, so nothing is recorded twice), newest first."""
    from hct.core.models import AuditEvent

    people = dict(people_in_scope(user).filter(user__isnull=False).values_list("user_id", "pk"))
    aliases = dict(Person.objects.filter(pk__in=people.values()).values_list("pk", "alias"))
    events = AuditEvent.objects.filter(
        actor_role=Role.COMMUNITY,
        actor_id__in=list(people),
        verb__in=[*MEMBER_DID, "offer.active"],
    ).order_by("-at", "-id")[:limit]
    news = []
    for event in events:
        did = MEMBER_DID.get(event.verb) or (
            "started an offer of help again"
            if event.details.get("active")
            else "paused an offer of help"
        )
        if event.actor_id is None:  # the filter says so; the column allows none
            continue
        person_id = people[event.actor_id]
        is_match = event.subject_type == "matching.match"
        news.append(
            MemberNews(event.at, aliases[person_id], person_id, did,
                       int(event.subject_id) if is_match else None)
        )  # fmt: skip
    return news


# What the matching pages read ----------------------------------------------------------------

BOTH_SIDES = frozenset({Match.Side.NEED, Match.Side.OFFER})


def match_find(pk: int) -> Match | None:
    return _related(Match.objects.filter(pk=pk)).first()


def can_answer(match: Match, views: list) -> bool:
    """A confirmed match may be answered only while everyone in it still consents (the service
    would refuse anyway)."""
    return match.status == Match.Status.CONFIRMED and all(
        other is not NO_LONGER_TAKING_PART for _, other in views
    )


def match_hours(match: Match) -> list[HoursLogged]:
    return list(match.hours.select_related("giver", "receiver"))


def need_find(pk: int) -> Need | None:
    return Need.objects.select_related("person").filter(pk=pk).first()


def preferences_initial(need: Need) -> dict:
    """What the preferences form starts from: the need's preferences and first window, else
    three km and nothing required."""
    current = NeedPreferences.objects.filter(need=need).first()
    window = need.windows.first()
    return {
        "max_km": current.max_km if current else 3,
        "needs_dog_friendly": bool(current and current.needs_dog_friendly),
        "needs_carrying": bool(current and current.needs_carrying),
        "two_way": bool(current and current.two_way),
        **(
            {"weekday": window.weekday, "starts": window.starts, "ends": window.ends}
            if window
            else {}
        ),
    }


def open_needs_of(person: Person) -> list[Need]:
    return list(person.needs.filter(status=Need.Status.OPEN).order_by("-id"))


def strengths_of(person: Person) -> list[Strength]:
    return list(person.strengths.order_by("-id"))
