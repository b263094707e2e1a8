"""Commitments against the real database: bad input refused with nothing changed, the roll-up,
loops, who may report, and the overdue and kept-on-time figures around their date edges."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from hct.commitments import selectors, services
from hct.commitments.models import (
    ERROR_DROPPED_NEEDS_REASON,
    ERROR_DUE_BEFORE_MADE,
    ERROR_PROGRESS_RANGE,
    Commitment,
    Status,
    Update,
)
from hct.core.models import AuditEvent
from tests.commitments.helpers import COUNCIL, GRAPEVINE, NHS, make, partner_named

pytestmark = pytest.mark.django_db


def _messages(error: ValidationError) -> list[str]:
    return error.messages


def _snapshot(commitment: Commitment) -> tuple:
    commitment.refresh_from_db()
    return (
        commitment.status,
        commitment.progress,
        commitment.done_on,
        commitment.parent_id,
        commitment.updates.count(),
        commitment.milestones.count(),
    )


# --- recording a promise ---------------------------------------------------------------------


def test_a_commitment_is_recorded_with_its_owner_role_and_partners(demo):
    commitment = make(demo, partners=[partner_named(demo, GRAPEVINE), partner_named(demo, NHS)])
    assert commitment.owner.name == NHS
    assert commitment.status == Status.NOT_STARTED and commitment.progress == 0
    # The owner is not listed again among the partners working with it.
    assert [p.name for p in commitment.partners.all()] == [GRAPEVINE]
    assert AuditEvent.objects.filter(verb="commitment.create", subject_id=str(commitment.pk))


def test_a_due_date_before_the_commitment_was_made_is_refused(demo):
    before = Commitment.objects.count()
    with pytest.raises(ValidationError) as caught:
        make(demo, made_on=dt.date(2026, 6, 18), due_on=dt.date(2026, 6, 17))
    assert caught.value.message_dict["due_on"] == [ERROR_DUE_BEFORE_MADE]
    assert Commitment.objects.count() == before


def test_due_on_the_day_it_was_made_is_allowed(demo):
    commitment = make(demo, made_on=dt.date(2026, 6, 18), due_on=dt.date(2026, 6, 18))
    assert commitment.due_on == commitment.made_on


def test_someone_outside_the_partnership_cannot_record_a_commitment(demo):
    with pytest.raises(ValidationError) as caught:
        services.commitment_create(
            actor=demo.users["sam"],
            partnership=demo.partnership,
            neighbourhood=demo.first_neighbourhood,
            title="Not Sam's to record",
            owner=partner_named(demo, NHS),
            lead_role="Head of IAPT",
            made_on=dt.date(2026, 1, 1),
            due_on=dt.date(2026, 2, 1),
        )
    assert _messages(caught.value) == [services.ERROR_NOT_A_MEMBER]


# --- reporting -------------------------------------------------------------------------------


def test_the_owner_reports_and_the_status_sets_its_default_progress(demo):
    commitment = make(demo)
    services.commitment_report(
        actor=demo.users["partner"], commitment=commitment, status=Status.IN_PROGRESS
    )
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress) == (Status.IN_PROGRESS, 10)
    services.commitment_report(
        actor=demo.users["partner"], commitment=commitment, status=Status.IN_PROGRESS, progress=60
    )
    # At risk says nothing about how far along: progress stays.
    services.commitment_report(
        actor=demo.users["partner"], commitment=commitment, status=Status.AT_RISK, note="Staffing"
    )
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress) == (Status.AT_RISK, 60)
    services.commitment_report(
        actor=demo.users["partner"],
        commitment=commitment,
        status=Status.DONE,
        on=dt.date(2026, 3, 1),
    )
    commitment.refresh_from_db()
    assert (commitment.progress, commitment.done_on) == (100, dt.date(2026, 3, 1))
    assert commitment.updates.count() == 4


@pytest.mark.parametrize("progress", [-1, 101, 1000])
def test_progress_outside_0_to_100_is_refused_and_nothing_changes(demo, progress):
    commitment = make(demo)
    before = _snapshot(commitment)
    with pytest.raises(ValidationError) as caught:
        services.commitment_report(
            actor=demo.users["partner"],
            commitment=commitment,
            status=Status.IN_PROGRESS,
            progress=progress,
        )
    assert caught.value.message_dict["progress"] == [ERROR_PROGRESS_RANGE]
    assert _snapshot(commitment) == before


def test_an_update_by_someone_outside_the_owning_organisation_is_refused(demo):
    # The facilitator works for Grapevine; the commitment is the NHS trust's.
    commitment = make(demo, owner=NHS)
    before = _snapshot(commitment)
    with pytest.raises(ValidationError) as caught:
        services.commitment_report(
            actor=demo.users["facilitator"], commitment=commitment, status=Status.DONE
        )
    assert _messages(caught.value) == [services.ERROR_NOT_OWNER.format(owner=NHS)]
    with pytest.raises(ValidationError):
        services.milestone_add(
            actor=demo.users["facilitator"],
            commitment=commitment,
            on=dt.date(2026, 2, 1),
            title="Not ours",
        )
    with pytest.raises(ValidationError):
        services.commitment_report(
            actor=demo.users["admin"], commitment=commitment, status=Status.DONE
        )
    assert _snapshot(commitment) == before


def test_dropping_needs_a_reason(demo):
    commitment = make(demo)
    before = _snapshot(commitment)
    with pytest.raises(ValidationError) as caught:
        services.commitment_report(
            actor=demo.users["partner"], commitment=commitment, status=Status.DROPPED
        )
    assert caught.value.message_dict["dropped_reason"] == [ERROR_DROPPED_NEEDS_REASON]
    assert _snapshot(commitment) == before
    services.commitment_report(
        actor=demo.users["partner"],
        commitment=commitment,
        status=Status.DROPPED,
        dropped_reason="The funding ended",
    )
    commitment.refresh_from_db()
    assert commitment.dropped_reason == "The funding ended"


def test_a_report_that_changes_nothing_is_refused(demo):
    commitment = make(demo)
    with pytest.raises(ValidationError) as caught:
        services.commitment_report(
            actor=demo.users["partner"], commitment=commitment, status=Status.NOT_STARTED
        )
    assert _messages(caught.value) == [services.ERROR_NOTHING_CHANGED]


def test_a_milestone_needs_a_title_and_cannot_come_before_the_promise(demo):
    commitment = make(demo, made_on=dt.date(2026, 6, 18))
    with pytest.raises(ValidationError) as caught:
        services.milestone_add(
            actor=demo.users["partner"], commitment=commitment, on=dt.date(2026, 6, 17), title="x"
        )
    assert caught.value.message_dict["on"] == [services.ERROR_MILESTONE_BEFORE_MADE]
    with pytest.raises(ValidationError):
        services.milestone_add(
            actor=demo.users["partner"], commitment=commitment, on=dt.date(2026, 7, 1), title="  "
        )
    assert commitment.milestones.count() == 0
    milestone = services.milestone_add(
        actor=demo.users["partner"],
        commitment=commitment,
        on=dt.date(2026, 6, 18),
        title="Room booked",
        evidence="https://example.org/booking",
    )
    assert milestone.title == "Room booked"


# --- roll-up ---------------------------------------------------------------------------------


def _report(demo, commitment, progress, status=Status.IN_PROGRESS, **more):
    actor = demo.users["partner"] if commitment.owner.name == NHS else None
    services.commitment_report(
        actor=actor, commitment=commitment, status=status, progress=progress, **more
    )


def test_a_parent_takes_the_mean_of_its_parts_without_weights(demo):
    parent = make(demo, title="Parent")
    first = make(demo, title="First", parent=parent)
    second = make(demo, title="Second", parent=parent)
    _report(demo, first, 40)
    _report(demo, second, 90)
    parent.refresh_from_db()
    assert parent.progress == 65


def test_a_parent_takes_the_weighted_sum_when_every_part_has_a_weight(demo):
    parent = make(demo, title="Parent")
    first = make(demo, title="First", parent=parent, weight=Decimal("0.75"))
    second = make(demo, title="Second", parent=parent, weight=Decimal("0.25"))
    _report(demo, first, 40)
    _report(demo, second, 100)
    parent.refresh_from_db()
    assert parent.progress == 55  # 0.75 × 40 + 0.25 × 100


def test_weights_need_not_add_up_to_one_and_dropped_parts_are_left_out(demo):
    parent = make(demo, title="Parent")
    first = make(demo, title="First", parent=parent, weight=Decimal(3))
    second = make(demo, title="Second", parent=parent, weight=Decimal(1))
    third = make(demo, title="Third", parent=parent)
    _report(demo, first, 20)
    _report(demo, second, 60)
    parent.refresh_from_db()
    assert parent.progress == 27  # mean of 20, 60, 0: one part has no weight
    _report(demo, third, None, status=Status.DROPPED, dropped_reason="Merged into the first")
    parent.refresh_from_db()
    assert parent.progress == 30  # (3 × 20 + 1 × 60) ÷ 4


def test_the_roll_up_climbs_every_level(demo):
    top = make(demo, title="Top")
    middle = make(demo, title="Middle", parent=top)
    leaf = make(demo, title="Leaf", parent=middle)
    _report(demo, leaf, 80)
    top.refresh_from_db()
    middle.refresh_from_db()
    assert (middle.progress, top.progress) == (80, 80)


def test_a_parent_progress_cannot_be_set_by_hand(demo):
    parent = make(demo, title="Parent")
    make(demo, title="Part", parent=parent)
    with pytest.raises(ValidationError) as caught:
        _report(demo, parent, 50)
    assert caught.value.message_dict["progress"] == [services.ERROR_PROGRESS_ROLLS_UP]


def test_moving_a_part_recomputes_both_parents(demo):
    old, new = make(demo, title="Old"), make(demo, title="New")
    part = make(demo, title="Part", parent=old)
    make(demo, title="Stays", parent=old)
    _report(demo, part, 100)
    old.refresh_from_db()
    assert old.progress == 50
    services.commitment_edit(
        actor=demo.users["facilitator"],
        commitment=part,
        title=part.title,
        description="",
        lead_role=part.lead_role,
        due_on=part.due_on,
        parent=new,
        weight=None,
    )
    old.refresh_from_db()
    new.refresh_from_db()
    assert (old.progress, new.progress) == (0, 100)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(0, 100),
            st.none() | st.decimals(min_value=0, max_value=1000, places=2),
            st.booleans(),
        ),
        max_size=12,
    )
)
def test_a_roll_up_always_lies_between_its_parts(parts):
    children = [
        Commitment(progress=p, weight=w, status=Status.DROPPED if dropped else Status.IN_PROGRESS)
        for p, w, dropped in parts
    ]
    counted = [c.progress for c in children if c.status != Status.DROPPED]
    result = services.rolled_up_progress(children)
    if not counted:
        assert result is None
    else:
        assert min(counted) <= result <= max(counted)


# --- loops -----------------------------------------------------------------------------------


def test_a_sub_commitment_that_would_make_a_loop_is_refused(demo):
    top = make(demo, title="Top")
    middle = make(demo, title="Middle", parent=top)
    leaf = make(demo, title="Leaf", parent=middle)
    for new_parent in (leaf, middle, top):
        before = _snapshot(top)
        with pytest.raises(ValidationError) as caught:
            services.commitment_edit(
                actor=demo.users["facilitator"],
                commitment=top,
                title=top.title,
                description="",
                lead_role=top.lead_role,
                due_on=top.due_on,
                parent=new_parent,
                weight=None,
            )
        assert caught.value.message_dict["parent"] == [services.ERROR_PARENT_LOOP]
        assert _snapshot(top) == before


# --- overdue and kept on time ----------------------------------------------------------------

TODAY = dt.date(2026, 11, 27)


def test_overdue_starts_the_day_after_the_due_date(demo):
    due_today = make(demo, made_on=dt.date(2026, 1, 1), due_on=TODAY)
    due_yesterday = make(demo, made_on=dt.date(2026, 1, 1), due_on=TODAY - dt.timedelta(days=1))
    assert not due_today.is_overdue(TODAY)
    assert due_yesterday.is_overdue(TODAY)
    assert selectors.record(Commitment.objects.filter(pk=due_today.pk), TODAY)["overdue"] == 0
    counts = selectors.record(Commitment.objects.filter(pk=due_yesterday.pk), TODAY)
    assert (counts["overdue"], counts["come_due"], counts["kept"]) == (1, 1, 0)


def test_done_on_the_due_date_is_kept_on_time_and_a_day_later_is_not(demo):
    due = dt.date(2026, 9, 30)
    on_time = make(demo, title="On time", due_on=due)
    late = make(demo, title="Late", due_on=due)
    _report(demo, on_time, None, status=Status.DONE, on=due)
    _report(demo, late, None, status=Status.DONE, on=due + dt.timedelta(days=1))
    on_time.refresh_from_db()
    late.refresh_from_db()
    assert on_time.kept_on_time and not late.kept_on_time
    assert not late.is_overdue(TODAY)  # done late is late, not overdue
    counts = selectors.record(Commitment.objects.filter(pk__in=[on_time.pk, late.pk]), TODAY)
    assert (counts["come_due"], counts["kept"], counts["overdue"]) == (2, 1, 0)


def test_done_early_has_come_due_and_dropped_counts_as_not_kept(demo):
    future = TODAY + dt.timedelta(days=30)
    early = make(demo, title="Early", due_on=future)
    dropped = make(demo, title="Dropped", due_on=future)
    waiting = make(demo, title="Waiting", due_on=future)
    _report(demo, early, None, status=Status.DONE, on=dt.date(2026, 3, 1))
    _report(demo, dropped, None, status=Status.DROPPED, dropped_reason="Lease ended")
    counts = selectors.record(
        Commitment.objects.filter(pk__in=[early.pk, dropped.pk, waiting.pk]), TODAY
    )
    assert (counts["total"], counts["come_due"], counts["kept"]) == (3, 2, 1)


def test_reopening_a_done_commitment_clears_its_done_date(demo):
    commitment = make(demo)
    _report(demo, commitment, None, status=Status.DONE, on=dt.date(2026, 2, 1))
    _report(demo, commitment, 80, status=Status.IN_PROGRESS, note="Reopened: it stopped")
    commitment.refresh_from_db()
    assert commitment.done_on is None and not commitment.kept_on_time


def test_the_organisation_record_counts_promises_exactly(demo):
    # Promises are not people, and each is listed on the page: small counts are not hidden.
    for n in range(3):
        commitment = make(demo, title=f"Promise {n}", owner=COUNCIL, due_on=dt.date(2026, 3, 1))
        if n < 2:
            _report(demo, commitment, None, status=Status.DONE, on=dt.date(2026, 2, 1))
    records = selectors.organisation_records(
        Commitment.objects.filter(owner__name=COUNCIL, title__startswith="Promise"), TODAY
    )
    council = records[0]
    assert (council.name, council.commitments, council.kept, council.overdue) == (COUNCIL, 3, 2, 1)
    assert council.kept_share == 67
    assert selectors.share(0, 0) is None


def test_notes_with_a_key_are_posted_once(demo):
    commitment = make(demo)
    assert services.note_post(actor=None, commitment=commitment, note="Due soon", key="k1")
    assert services.note_post(actor=None, commitment=commitment, note="Due soon", key="k1") is None
    assert Update.objects.filter(commitment=commitment, key="k1").count() == 1


def test_a_note_is_audited_and_one_whose_event_fails_is_not_posted(demo, monkeypatch):
    commitment = make(demo)
    partner = demo.users["partner"]
    update = services.note_post(actor=partner, commitment=commitment, note="We met the GP")
    event = AuditEvent.objects.get(verb="commitment.note", subject_id=str(commitment.pk))
    assert (event.actor, event.details["update"]) == (partner, update.pk)

    def broken(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(services, "audit_record", broken)
    with pytest.raises(RuntimeError):
        services.note_post(actor=partner, commitment=commitment, note="A second note")
    assert list(
        commitment.updates.filter(kind=Update.Kind.NOTE).values_list("note", flat=True)
    ) == ["We met the GP"]


# --- where it comes from ---------------------------------------------------------------------


def test_a_commitment_from_a_plan_action_answers_the_conversation_that_made_the_plan(demo):
    action = demo.plan_action
    commitment = make(demo, title="From the plan", plan_action=action)
    assert commitment.conversation == action.plan.conversation
    with pytest.raises(ValidationError) as caught:
        make(demo, title="Mismatch", plan_action=action, conversation=demo.conversation)
    assert caught.value.message_dict["conversation"] == [services.ERROR_ACTION_OTHER_CONVERSATION]


def test_a_plan_action_of_another_partnership_is_refused(demo):
    from hct.conversations import services as conversations
    from hct.partnership.services import cycle_start, partner_add, partnership_create

    other = partnership_create(actor=None, name="Elsewhere together", description="")
    partner_add(actor=None, partnership=other, name="Another council", sector="council")
    cycle = cycle_start(
        actor=None,
        partnership=other,
        neighbourhood=demo.other_neighbourhood,
        started_on=dt.date(2026, 1, 1),
        note="",
    )
    conversation = conversations.conversation_create(
        actor=None,
        cycle=cycle,
        number=3,
        title="Theirs",
        purpose="Their plan",
        date=dt.date(2026, 3, 1),
    )
    plan = conversations.plan_for(actor=None, conversation=conversation)
    action = conversations.action_add(
        actor=None, plan=plan, title="Their action", level="events", owner="", due_on=None, items=[]
    )
    with pytest.raises(ValidationError) as caught:
        make(demo, plan_action=action)
    assert caught.value.message_dict["plan_action"] == [services.ERROR_ACTION_OUTSIDE]
    with pytest.raises(ValidationError) as caught:
        make(demo, conversation=conversation)
    assert caught.value.message_dict["conversation"] == [services.ERROR_CONVERSATION_OUTSIDE]
