"""Matching against the real database: the demo's run for Sam, the decisions people make, the
reciprocity record, consent withdrawal and bad input."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from hct.core.models import AuditEvent
from hct.matching import engine, selectors, services
from hct.matching.models import (
    ERROR_NEGATIVE_CAPACITY,
    ERROR_NO_KINDS,
    ERROR_WINDOW_ORDER,
    Match,
    MatchRun,
    Offer,
    Window,
)
from hct.people.models import Need, Purpose
from hct.people.services import consent_withdraw

pytestmark = pytest.mark.django_db


def _facilitator(demo):
    return demo.users["facilitator"]


def _sam_matches(demo):
    return {m.need.kind: m for m in Match.objects.filter(need__person=demo.sam)}


def test_a_run_proposes_help_with_sams_shopping_his_dog_and_two_way_company(demo):
    run = services.match_run(actor=_facilitator(demo))
    assert run.proposed > 0 and run.message == ""
    found = _sam_matches(demo)
    assert found["shopping"].offer.person.alias == "Chris (synthetic)"
    assert found["shopping"].offer.can_carry_shopping
    assert found["pet_care"].offer.dog_friendly
    assert found["companionship"].two_way
    assert found["companionship"].partner_need.person.alias == "Alex (synthetic)"
    assert all(m.status == Match.Status.PROPOSED for m in found.values())
    assert AuditEvent.objects.filter(verb="matching.run").exists()
    # A second run proposes nothing new for needs that already have a live match.
    again = services.match_run(actor=_facilitator(demo))
    assert not Match.objects.filter(run=again, need__person=demo.sam).exists()


def test_people_decide_confirm_accept_both_sides_log_hours_end(demo):
    services.match_run(actor=_facilitator(demo))
    match = _sam_matches(demo)["shopping"]
    with pytest.raises(ValidationError, match=services.ERROR_NOT_CONFIRMED):
        services.match_respond(actor=_facilitator(demo), match=match, side="need", accept=True)
    match = services.match_confirm(actor=_facilitator(demo), match=match)
    assert match.status == Match.Status.CONFIRMED and match.reviewed_by == _facilitator(demo)
    with pytest.raises(ValidationError, match=services.ERROR_NOT_PROPOSED):
        services.match_confirm(actor=_facilitator(demo), match=match)
    match = services.match_respond(actor=demo.users["sam"], match=match, side="need", accept=True)
    assert match.status == Match.Status.CONFIRMED
    match = services.match_respond(actor=_facilitator(demo), match=match, side="offer", accept=True)
    assert match.status == Match.Status.ACTIVE and match.started_on == timezone.localdate()
    entry = services.hours_log(
        actor=_facilitator(demo), match=match, hours=Decimal("1.5"), on=timezone.localdate()
    )
    assert entry.giver == match.offer.person and entry.receiver == demo.sam
    assert selectors.reciprocity(demo.sam).received == Decimal("1.5")
    assert selectors.reciprocity(match.offer.person).given == Decimal("1.5")
    with pytest.raises(ValidationError):
        services.match_end(
            actor=_facilitator(demo), match=match, on=match.started_on - dt.timedelta(days=1),
            outcome="helped",
        )  # fmt: skip
    match = services.match_end(
        actor=_facilitator(demo), match=match, on=timezone.localdate(), outcome="helped"
    )
    assert match.status == Match.Status.ENDED
    match.need.refresh_from_db()
    assert match.need.status == Need.Status.MET


def test_two_way_company_counts_as_giving_back(demo):
    services.match_run(actor=_facilitator(demo))
    match = _sam_matches(demo)["companionship"]
    services.match_confirm(actor=_facilitator(demo), match=match)
    services.match_respond(actor=_facilitator(demo), match=match, side="need", accept=True)
    match = services.match_respond(actor=_facilitator(demo), match=match, side="offer", accept=True)
    services.hours_log(actor=_facilitator(demo), match=match, hours=Decimal(2),
                       on=timezone.localdate(), given_by="need")  # fmt: skip
    services.hours_log(actor=_facilitator(demo), match=match, hours=Decimal(1),
                       on=timezone.localdate(), given_by="offer")  # fmt: skip
    mine = selectors.reciprocity(demo.sam)
    assert (mine.given, mine.received, mine.balance) == (Decimal(2), Decimal(1), Decimal(1))


def test_a_declined_proposal_is_not_proposed_again(demo):
    services.match_run(actor=_facilitator(demo))
    match = _sam_matches(demo)["shopping"]
    services.match_decline(actor=_facilitator(demo), match=match)
    services.match_run(actor=_facilitator(demo))
    live = Match.objects.filter(need=match.need, status__in=Match.LIVE)
    assert not live.filter(offer=match.offer).exists()


def test_a_side_declining_ends_the_match_there(demo):
    services.match_run(actor=_facilitator(demo))
    match = services.match_confirm(actor=_facilitator(demo), match=_sam_matches(demo)["pet_care"])
    match = services.match_respond(actor=demo.users["sam"], match=match, side="need", accept=False)
    assert (match.status, match.declined_by) == (Match.Status.DECLINED, "need")


def test_withdrawing_consent_removes_a_person_from_every_run_and_proposal(demo):
    services.match_run(actor=_facilitator(demo))
    match = _sam_matches(demo)["shopping"]
    consent_withdraw(actor=_facilitator(demo), person=demo.sam, purpose=Purpose.MATCHING,
                     on=timezone.localdate())  # fmt: skip
    # At once: out of the review lists, and no decision can bring him in.
    listed = selectors.review_lists(_facilitator(demo))
    assert all(m.need.person_id != demo.sam.pk for m in listed["proposed"])
    assert all(
        m.partner_need is None or m.partner_need.person_id != demo.sam.pk
        for m in listed["proposed"]
    )
    with pytest.raises(ValidationError, match=services.ERROR_NO_CONSENT):
        services.match_confirm(actor=_facilitator(demo), match=match)
    # The next run withdraws his live matches (two-way ones too) and proposes none.
    run = services.match_run(actor=_facilitator(demo))
    assert set(selectors.matches_of(demo.sam).values_list("status", flat=True)) == {"withdrawn"}
    assert not Match.objects.filter(run=run, need__person=demo.sam).exists()
    assert not Match.objects.filter(run=run, offer__person=demo.sam).exists()
    assert demo.sam.pk not in {n.person for n in selectors.instance(
        selectors.eligible_needs(), selectors.eligible_offers()).needs}  # fmt: skip


def test_an_empty_run_says_so_and_proposes_nothing(demo):
    run = services.match_run(actor=_facilitator(demo), needs=Need.objects.none())
    assert (run.proposed, run.message) == (0, engine.MESSAGE_EMPTY)
    assert MatchRun.objects.filter(pk=run.pk).exists()


def test_bad_offers_are_refused_and_nothing_is_written(demo):
    lsoa = demo.sam.home_lsoa
    before = (Offer.objects.count(), Window.objects.count())
    cases = [
        (dict(kinds=[]), "kinds", ERROR_NO_KINDS),
        (dict(kinds=["shopping"], capacity_per_week=-1), "capacity_per_week",
         ERROR_NEGATIVE_CAPACITY),
        (dict(kinds=["shopping"], windows=[(0, dt.time(12), dt.time(11))]), "windows",
         ERROR_WINDOW_ORDER),
    ]  # fmt: skip
    for extra, field, message in cases:
        with pytest.raises(ValidationError) as error:
            services.offer_create(
                actor=_facilitator(demo), person=demo.sam, base_lsoa=lsoa, **extra
            )
        assert message in error.value.message_dict[field]
    assert (Offer.objects.count(), Window.objects.count()) == before
    with pytest.raises(IntegrityError), transaction.atomic():
        Window.objects.create(
            offer=Offer.objects.first(), weekday=0, starts=dt.time(12), ends=dt.time(11)
        )


def test_the_other_side_sees_an_alias_the_need_and_the_neighbourhood_only(demo):
    services.match_run(actor=_facilitator(demo))
    match = _sam_matches(demo)["shopping"]
    seen_by_offerer = selectors.other_side(match, "offer")
    assert seen_by_offerer.alias == demo.sam.alias
    assert seen_by_offerer.what == "Practical help: shopping"
    assert seen_by_offerer.neighbourhood == demo.sam.home_lsoa.ward.name
    assert set(vars(seen_by_offerer)) == {"alias", "what", "neighbourhood"}


def test_a_groups_hours_credit_the_person_helped_and_only_two_way_lets_the_need_side_give(demo):
    services.match_run(actor=_facilitator(demo))
    match = _sam_matches(demo)["pet_care"]  # the dog walkers, a group
    services.match_confirm(actor=_facilitator(demo), match=match)
    services.match_respond(actor=_facilitator(demo), match=match, side="need", accept=True)
    match = services.match_respond(actor=_facilitator(demo), match=match, side="offer", accept=True)
    entry = services.hours_log(
        actor=_facilitator(demo), match=match, hours=Decimal(1), on=timezone.localdate()
    )
    assert entry.giver is None and entry.receiver == demo.sam
    with pytest.raises(ValidationError) as error:
        services.hours_log(actor=_facilitator(demo), match=match, hours=Decimal(1),
                           on=timezone.localdate(), given_by="need")  # fmt: skip
    assert services.ERROR_GIVER in error.value.message_dict["given_by"]
    with pytest.raises(ValidationError):
        services.hours_log(
            actor=_facilitator(demo), match=match, hours=Decimal(25), on=timezone.localdate()
        )
