"""Writes for matching: offers, preferences, a matching run, and the decisions people make.

The engine proposes; people decide. A proposal is confirmed or declined by a facilitator; a
confirmed match is accepted or declined by each side (the person with the need, the person or
group offering); once both accept it is active until it ends, with its outcome. Every decision
re-reads consent for matching, so a withdrawn person cannot be confirmed or accepted into a match.

Audit details hold ids and counts only.
"""

import datetime as dt
import time
from collections.abc import Callable, Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.db.models import QuerySet, Sum
from django.utils import timezone

from hct.core.models import User
from hct.core.services import audit_record
from hct.directory.models import Service
from hct.matching import engine, selectors
from hct.matching.models import (
    ERROR_WINDOW_ORDER,
    HoursLogged,
    Match,
    MatchRun,
    NeedPreferences,
    Offer,
    Window,
)
from hct.people.models import Need, Person
from hct.people.services import need_add, need_mark_met
from hct.places.models import Lsoa

ERROR_NOT_PROPOSED = "Only a proposal waiting for a facilitator can be confirmed or declined here"
ERROR_NOT_CONFIRMED = "Both sides answer only once a facilitator has confirmed the match"
ERROR_NOT_ACTIVE = "Only an active match can end or have hours logged"
ERROR_NO_CONSENT = "Someone in this match no longer consents to matching"
ERROR_SIDE = "Choose the side that is answering"
ERROR_END_BEFORE_START = "A match cannot end before it started"
ERROR_GIVER = "Choose who gave the time"
ERROR_OFFER_ENDED = "This offer has ended; make a new offer to help again"
ERROR_DAY_FULL = "That makes more than 24 hours on one day"

WindowSpec = tuple[int, dt.time, dt.time]


def _windows_check(windows: Iterable[WindowSpec]) -> list[WindowSpec]:
    windows = list(windows)
    for _, starts, ends in windows:
        if ends <= starts:
            raise ValidationError({"windows": ERROR_WINDOW_ORDER})
    return windows


@transaction.atomic
def offer_create(
    *,
    actor: User,
    kinds: list[str],
    base_lsoa: Lsoa,
    person: Person | None = None,
    group_name: str = "",
    service: Service | None = None,
    in_their_words: str = "",
    reach_km: float = 2.0,
    capacity_per_week: int = 1,
    background_checked: bool = False,
    can_carry_shopping: bool = False,
    dog_friendly: bool = False,
    windows: Iterable[WindowSpec] = (),
    synthetic_batch: str = "",
) -> Offer:
    """An offer of help with its weekly windows, all or nothing. Anyone can offer, including
    someone who receives help ("to be able to give back")."""
    windows = _windows_check(windows)
    offer = Offer(
        person=person,
        group_name=group_name.strip(),
        service=service,
        kinds=list(dict.fromkeys(kinds)),
        in_their_words=in_their_words.strip(),
        base_lsoa=base_lsoa,
        reach_km=reach_km,
        capacity_per_week=capacity_per_week,
        background_checked=background_checked,
        can_carry_shopping=can_carry_shopping,
        dog_friendly=dog_friendly,
        synthetic_batch=synthetic_batch,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    offer.full_clean()
    offer.save()
    Window.objects.bulk_create(
        Window(offer=offer, weekday=day, starts=starts, ends=ends) for day, starts, ends in windows
    )
    audit_record(actor=actor, verb="offer.create", subject=offer, details={"windows": len(windows)})
    return offer


@transaction.atomic
def offer_set_active(*, actor: User, offer: Offer, active: bool) -> Offer:
    """Pause an offer or take it up again; an ended offer stays ended."""
    if offer.ended_on is not None:
        raise ValidationError(ERROR_OFFER_ENDED)
    offer.active = active
    offer.save(update_fields=["active"])
    audit_record(actor=actor, verb="offer.active", subject=offer, details={"active": active})
    return offer


@transaction.atomic
def offer_end(*, actor: User, offer: Offer) -> Offer:
    """End an offer for good: matching skips it from now on; its matches keep their history."""
    if offer.ended_on is not None:
        raise ValidationError(ERROR_OFFER_ENDED)
    offer.active = False
    offer.ended_on = timezone.localdate()
    offer.save(update_fields=["active", "ended_on"])
    audit_record(actor=actor, verb="offer.end", subject=offer, details={})
    return offer


@transaction.atomic
def need_preferences_set(
    *,
    actor: User,
    need: Need,
    max_km: float = 3.0,
    needs_dog_friendly: bool = False,
    needs_carrying: bool = False,
    two_way: bool = False,
    windows: Iterable[WindowSpec] = (),
) -> NeedPreferences:
    """What matching must respect about a need; replaces its windows."""
    windows = _windows_check(windows)
    preferences, _ = NeedPreferences.objects.get_or_create(need=need)
    preferences.max_km = max_km
    preferences.needs_dog_friendly = needs_dog_friendly
    preferences.needs_carrying = needs_carrying
    preferences.two_way = two_way
    preferences.full_clean()
    preferences.save()
    Window.objects.filter(need=need).delete()
    Window.objects.bulk_create(
        Window(need=need, weekday=day, starts=starts, ends=ends) for day, starts, ends in windows
    )
    audit_record(actor=actor, verb="need.preferences", subject=need, details={})
    return preferences


@transaction.atomic
def need_ask(
    *,
    actor: User,
    person: Person,
    kind: str,
    in_their_words: str,
    urgency: str = Need.Urgency.ROUTINE,
    windows: Iterable[WindowSpec] = (),
    **preferences,
) -> Need:
    """A need and what matching must respect about it, all or nothing: the people service
    that records a need, then the preferences service (the facilitator's two pages, at once)."""
    need = need_add(
        actor=actor, person=person, kind=kind, in_their_words=in_their_words, urgency=urgency
    )
    need_preferences_set(actor=actor, need=need, windows=windows, **preferences)
    return need


def _withdraw_without_consent() -> int:
    """Live matches where someone no longer consents to matching: withdrawn, everywhere."""
    live = Match.objects.filter(status__in=Match.LIVE)
    keep = selectors.with_consent_on_both_sides(live).values("pk")
    return live.exclude(pk__in=keep).update(status=Match.Status.WITHDRAWN)


@transaction.atomic
def match_run(
    *,
    actor: User | None,
    people: QuerySet[Person] | None = None,
    needs: QuerySet[Need] | None = None,
    offers: QuerySet[Offer] | None = None,
    progress: Callable[..., None] | None = None,
) -> MatchRun:
    """Run the engine over the open needs of consenting people (those in `people`, if given)
    and the active offers, and write its proposals. An empty or infeasible instance is
    recorded with a message saying so, and proposes nothing."""
    report = progress or (lambda *args: None)
    started = time.perf_counter()
    report(0, 3, "Reading open needs and offers")
    withdrawn = _withdraw_without_consent()
    needs = needs if needs is not None else selectors.eligible_needs(people)
    offers = offers if offers is not None else selectors.eligible_offers()
    data = selectors.instance(needs, offers)
    report(1, 3, f"Finding the best matches for {len(data.needs)} open needs")
    check_needed = selectors.check_needed()
    # Each partnership's needs meet only its own offers (and each other, two-way): one engine
    # run per partnership, so no proposal joins people of two partnerships.
    results = [
        engine.match(group_needs, group_offers, check_needed=check_needed, declined=data.declined)
        for group_needs, group_offers in selectors.by_partnership(data)
    ]
    proposals = [p for r in results for p in r.proposals]
    result = engine.Result(
        proposals=proposals,
        candidate_pairs=sum(r.candidate_pairs for r in results),
        message="" if proposals else next((r.message for r in results), engine.MESSAGE_EMPTY),
    )
    run = MatchRun.objects.create(
        started_by=actor if getattr(actor, "pk", None) else None,
        needs_considered=len(data.needs),
        offers_considered=sum(1 for o in data.offers if o.capacity > 0),
        candidate_pairs=result.candidate_pairs,
        proposed=len(result.proposals),
        two_way_pairs=sum(1 for p in result.proposals if p.partner_need is not None),
        total_distance_m=result.total_distance_m,
        message=result.message,
    )
    report(2, 3, f"Writing {len(result.proposals)} proposals")
    _write_proposals(run, result.proposals)
    run.seconds = time.perf_counter() - started
    run.save(update_fields=["seconds"])
    report(3, 3, run_summary(run))
    audit_record(
        actor=actor,
        verb="matching.run",
        subject=run,
        details={
            "needs": run.needs_considered,
            "offers": run.offers_considered,
            "proposed": run.proposed,
            "withdrawn": withdrawn,
        },
    )
    return run


def run_summary(run: MatchRun) -> str:
    if run.message:
        return run.message
    return (
        f"The matching run proposed {run.proposed} matches ({run.two_way_pairs} of them two-way) "
        f"for {run.needs_considered} open needs. Review each one."
    )


def _write_proposals(run: MatchRun, proposals: list[engine.Proposal]) -> None:
    """Insert the proposals with one executemany: the ORM's bulk_create spends most of a run
    building SQL on SQLite (its variable limit splits 5,000 rows into ~80 statements)."""
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    columns = (
        "run_id", "need_id", "offer_id", "partner_need_id", "distance_m", "status",
        "declined_by", "outcome", "created_at",
    )  # fmt: skip
    rows = [
        (run.pk, p.need, p.offer, p.partner_need, p.distance_m, Match.Status.PROPOSED.value,
         "", "", now)
        for p in proposals
    ]  # fmt: skip
    if not rows:
        return
    table = connection.ops.quote_name(Match._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608


def _require_consent(match: Match) -> None:
    if not selectors.with_consent_on_both_sides(Match.objects.filter(pk=match.pk)).exists():
        raise ValidationError(ERROR_NO_CONSENT)


def _locked(match: Match) -> Match:
    return Match.objects.select_for_update().get(pk=match.pk)


@transaction.atomic
def match_confirm(*, actor: User, match: Match) -> Match:
    """A facilitator agrees the proposal is a good one; both sides are then asked."""
    match = _locked(match)
    if match.status != Match.Status.PROPOSED:
        raise ValidationError(ERROR_NOT_PROPOSED)
    _require_consent(match)
    match.status = Match.Status.CONFIRMED
    match.reviewed_by = actor
    match.reviewed_at = timezone.now()
    match.save(update_fields=["status", "reviewed_by", "reviewed_at"])
    audit_record(actor=actor, verb="match.confirm", subject=match, details={})
    return match


@transaction.atomic
def match_decline(*, actor: User, match: Match) -> Match:
    """A facilitator declines the proposal; the same pair is never proposed again."""
    match = _locked(match)
    if match.status != Match.Status.PROPOSED:
        raise ValidationError(ERROR_NOT_PROPOSED)
    match.status = Match.Status.DECLINED
    match.declined_by = Match.Side.FACILITATOR
    match.reviewed_by = actor
    match.reviewed_at = timezone.now()
    match.save(update_fields=["status", "declined_by", "reviewed_by", "reviewed_at"])
    audit_record(actor=actor, verb="match.decline", subject=match, details={"side": "facilitator"})
    return match


@transaction.atomic
def match_respond(*, actor: User, match: Match, side: str, accept: bool) -> Match:
    """One side's answer (given by them, or recorded by a facilitator on their word). When both
    have accepted the match is active from today; a decline ends it there."""
    match = _locked(match)
    if side not in (Match.Side.NEED, Match.Side.OFFER):
        raise ValidationError({"side": ERROR_SIDE})
    if match.status != Match.Status.CONFIRMED:
        raise ValidationError(ERROR_NOT_CONFIRMED)
    _require_consent(match)
    fields = ["need_side_accepted" if side == Match.Side.NEED else "offer_side_accepted"]
    setattr(match, fields[0], accept)
    if not accept:
        match.status = Match.Status.DECLINED
        match.declined_by = side
        fields += ["status", "declined_by"]
    elif match.both_accepted:
        match.status = Match.Status.ACTIVE
        match.started_on = timezone.localdate()
        fields += ["status", "started_on"]
    match.save(update_fields=fields)
    audit_record(
        actor=actor,
        verb="match.accept" if accept else "match.decline",
        subject=match,
        details={"side": side},
    )
    return match


@transaction.atomic
def match_end(*, actor: User, match: Match, on: dt.date, outcome: str) -> Match:
    """End an active match with its outcome. When it helped, the need is met (and, two-way,
    the other person's too)."""
    match = _locked(match)
    if match.status != Match.Status.ACTIVE:
        raise ValidationError(ERROR_NOT_ACTIVE)
    if match.started_on and on < match.started_on:
        raise ValidationError({"on": ERROR_END_BEFORE_START})
    match.status = Match.Status.ENDED
    match.ended_on = on
    match.outcome = Match.Outcome(outcome)
    match.save(update_fields=["status", "ended_on", "outcome"])
    if match.outcome == Match.Outcome.HELPED:
        for need in (match.need, match.partner_need):
            if need is not None and need.status == Need.Status.OPEN:
                need_mark_met(actor=actor, need=need, on=on)
    audit_record(actor=actor, verb="match.end", subject=match, details={"outcome": outcome})
    return match


@transaction.atomic
def hours_log(
    *, actor: User, match: Match, hours: Decimal, on: dt.date, given_by: str = Match.Side.OFFER
) -> HoursLogged:
    """Time given through an active match. In a two-way pairing either side can be the giver;
    with an offer the offerer gives (a group's hours have no person to credit)."""
    if match.status != Match.Status.ACTIVE:
        raise ValidationError(ERROR_NOT_ACTIVE)
    need_person, partner, offer = match.need.person, match.partner_need, match.offer
    if given_by == Match.Side.OFFER:
        giver = partner.person if partner is not None else offer.person if offer else None
        receiver = need_person
    elif given_by == Match.Side.NEED and partner is not None:
        giver, receiver = need_person, partner.person
    else:
        raise ValidationError({"given_by": ERROR_GIVER})
    same_day = (
        HoursLogged.objects.filter(giver=giver, on=on) if giver else HoursLogged.objects.none()
    )
    already = same_day.aggregate(total=Sum("hours"))["total"] or Decimal(0)
    if giver is not None and hours is not None and already + Decimal(hours) > 24:
        raise ValidationError({"hours": ERROR_DAY_FULL})
    entry = HoursLogged(
        match=match,
        giver=giver,
        receiver=receiver,
        hours=hours,
        on=on,
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    entry.full_clean()
    entry.save()
    audit_record(actor=actor, verb="match.hours", subject=match, details={"entry": entry.pk})
    return entry
