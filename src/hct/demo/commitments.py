"""The demo's commitments: what the partners promised at the third Big Conversation in the first
neighbourhood, and how they have kept their word since.

Dates are fixed, so the same run always makes the same history. One is kept on time, one is
overdue and at risk, one was dropped with its reason, and one rolls up from two weighted parts.
"""

import datetime as dt
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from hct.commitments import campaigns, scrutiny, services
from hct.commitments.models import Commitment, Status
from hct.partnership.models import Cycle, Partner

NHS = "Coventry and Warwickshire Partnership NHS Trust"
COUNCIL = "Coventry City Council Public Health"
GRAPEVINE = "Grapevine Coventry and Warwickshire"
MADE_ON = dt.date(2026, 6, 18)  # when there is no third Big Conversation to take the date from
REBOOK = "Rebook without losing your place"  # the demo plan's action the NHS trust commits to

# title, owner, lead role, due, description, reports [(on, status, progress, note)],
# milestones [(on, title, description, evidence)], dropped reason
COMMITMENTS: tuple[tuple[Any, ...], ...] = (
    (
        "A talking therapies drop-in at the community centre every Tuesday",
        NHS,
        "Head of IAPT",
        dt.date(2026, 9, 30),
        "The story at the first Big Conversation showed how far the clinic felt: the drop-in "
        "comes to where people already have a cup of tea.",
        [
            (dt.date(2026, 7, 1), Status.IN_PROGRESS, 30, "Room and times agreed."),
            (dt.date(2026, 9, 15), Status.DONE, None, "The drop-in runs every Tuesday morning."),
        ],
        [
            (
                dt.date(2026, 7, 10),
                "Room booked at the community centre",
                "Tuesday mornings, 10 to 12, next to the café.",
                "Community centre booking, July 2026",
            ),
            (
                dt.date(2026, 8, 4),
                "First Tuesday drop-in held",
                "Two therapists from the talking therapies team and a Grapevine organiser.",
                "Poster in the community centre",
            ),
        ],
        "",
    ),
    (
        "Clear fly-tipping from the river path and bridges within a week of a report",
        COUNCIL,
        "Consultant in Public Health",
        dt.date(2026, 10, 31),
        "Asked for by Lift Me Up: families want to walk the river path again.",
        [
            (dt.date(2026, 8, 1), Status.IN_PROGRESS, 20, "Talks with the parks team began."),
            (
                dt.date(2026, 10, 20),
                Status.AT_RISK,
                None,
                "The parks contract has no clause for clearing within a week.",
            ),
        ],
        [
            (
                dt.date(2026, 8, 20),
                "Walk of the river path with Lift Me Up",
                "Managers of rivers, bridges and parks walked the path with local families.",
                "",
            ),
        ],
        "",
    ),
    (
        "Open the community centre on weekday evenings",
        COUNCIL,
        "Community resilience lead",
        dt.date(2026, 12, 31),
        "",
        [
            (
                dt.date(2026, 9, 1),
                Status.DROPPED,
                None,
                "",
            ),
        ],
        [],
        "The building changed hands and the new lease does not allow evening use. We will bring "
        "a new plan to the next Big Conversation.",
    ),
    (
        "A volunteer visitor for everyone in the neighbourhood who asks for one",
        GRAPEVINE,
        "Community organiser",
        dt.date(2027, 3, 31),
        "Two-way companionship: people nearby who value you, and a chance to give back.",
        [(dt.date(2026, 9, 1), Status.IN_PROGRESS, 35, "The first visitors have started.")],
        [
            (
                dt.date(2026, 8, 12),
                "Visitors' training held at the Men's Shed",
                "",
                "",
            ),
        ],
        "",
    ),
)

DISCHARGE = (
    "No one leaves acute mental health care without a named contact in the community",
    NHS,
    "Director of acute mental health services",
    dt.date(2027, 1, 31),
    "Discharge without support was a gap in the story. Two parts, weighted by the work in each.",
)
DISCHARGE_PARTS = (
    (
        "The discharge checklist names a community contact",
        NHS,
        "Ward manager",
        Decimal("0.6"),
        dt.date(2026, 12, 31),
        60,
    ),
    (
        "Community contacts trained by Grapevine",
        GRAPEVINE,
        "Community organiser",
        Decimal("0.4"),
        dt.date(2027, 1, 31),
        25,
    ),
)


@transaction.atomic
def commitments_demo_load(summary) -> None:
    cycle = Cycle.objects.select_related("partnership", "neighbourhood").filter(number=1).first()
    if cycle is None or Commitment.objects.filter(partnership=cycle.partnership).exists():
        return
    facilitator = get_user_model().objects.get(username="facilitator")
    partners = {p.name: p for p in Partner.objects.filter(partnership=cycle.partnership)}

    ask = _lift_me_up(facilitator, cycle)
    plan_conversation = cycle.conversations.filter(number=3).first()
    made_on = plan_conversation.date if plan_conversation else MADE_ON

    def make(title, owner, lead, due, description="", parent=None, weight=None, plan_action=None):
        return services.commitment_create(
            actor=facilitator,
            partnership=cycle.partnership,
            neighbourhood=cycle.neighbourhood,
            title=title,
            owner=partners[owner],
            lead_role=lead,
            made_on=made_on,
            due_on=due,
            description=description,
            conversation=plan_conversation if parent is None else None,
            plan_action=plan_action,
            parent=parent,
            weight=weight,
            in_reply_to=ask if title.startswith("Clear fly-tipping") else None,
        )

    made = []
    for title, owner, lead, due, text, reports, milestones, dropped in COMMITMENTS:
        commitment = make(title, owner, lead, due, text)
        made.append(commitment)
        for on, milestone_title, description, evidence in milestones:
            services.milestone_add(
                actor=None,
                commitment=commitment,
                on=on,
                title=milestone_title,
                description=description,
                evidence=evidence,
            )
        for on, status, progress, note in reports:
            services.commitment_report(
                actor=None,
                commitment=commitment,
                status=status,
                progress=progress,
                note=note,
                dropped_reason=dropped,
                on=on,
            )

    title, owner, lead, due, text = DISCHARGE
    discharge = make(title, owner, lead, due, text)
    for part_title, part_owner, part_lead, weight, part_due, progress in DISCHARGE_PARTS:
        part = make(part_title, part_owner, part_lead, part_due, parent=discharge, weight=weight)
        services.commitment_report(
            actor=None,
            commitment=part,
            status=Status.IN_PROGRESS,
            progress=progress,
            on=dt.date(2026, 10, 1),
        )
    _from_the_plan(plan_conversation, make)
    _scrutiny(made[0])
    made_now = Commitment.objects.filter(partnership=cycle.partnership).count()
    summary.created.append(f"{made_now} commitments and the Lift Me Up campaign")


def _from_the_plan(plan_conversation, make) -> None:
    """The NHS trust commits to an action of the plan: its history runs from the story through
    the iceberg to the promise."""
    action = (
        plan_conversation.plan.actions.filter(title=REBOOK).first()
        if plan_conversation is not None and hasattr(plan_conversation, "plan")
        else None
    )
    if action is None:
        return
    commitment = make(
        REBOOK,
        NHS,
        "Head of IAPT",
        plan_conversation.date + dt.timedelta(days=90),
        "Miss an appointment, or move it, and keep your place on the waiting list.",
        plan_action=action,
    )
    services.commitment_report(
        actor=None,
        commitment=commitment,
        status=Status.IN_PROGRESS,
        progress=50,
        note="The booking rules are rewritten; the new system goes live in the autumn.",
        on=plan_conversation.date + dt.timedelta(days=45),
    )


def _scrutiny(drop_in: Commitment) -> None:
    """A community member asks about the drop-in and the NHS trust answers; they say the drop-in
    is what they asked for."""
    users = get_user_model().objects.in_bulk(["sam", "partner"], field_name="username")
    question = scrutiny.question_ask(
        actor=users["sam"],
        commitment=drop_in,
        text="Will the drop-in carry on in the school holidays?",
    )
    scrutiny.answer_give(
        actor=users["partner"],
        question=question,
        text="Yes. It runs every Tuesday of the year except Christmas week.",
    )
    done = drop_in.updates.filter(status_after=Status.DONE).get()
    scrutiny.feedback_give(
        actor=users["sam"],
        update=done,
        verdict="yes",
        text="It is in the right place: I can drop in after my cup of tea.",
    )


def _lift_me_up(facilitator, cycle):
    """The brief's community-led campaign: families asking the managers of the city's rivers,
    bridges and parks for changes they want to see. Returns the ask the council answered."""
    campaign = campaigns.campaign_create(
        actor=facilitator,
        partnership=cycle.partnership,
        neighbourhood=cycle.neighbourhood,
        title="Lift Me Up",
        led_by="Lift Me Up, a campaign of local families",
        started_on=dt.date(2026, 5, 1),
        about=(
            "Fly-tipping on the river path and under the bridges keeps families away from the "
            "green places on their doorstep. We want them cleared, and kept clear."
        ),
        supporters_elsewhere=120,
    )
    ask = campaigns.ask_add(
        actor=facilitator,
        campaign=campaign,
        to_whom="Managers of the city's rivers, bridges and parks",
        what="Clear fly-tipping from the river path and bridges within a week of it being "
        "reported.",
        asked_on=dt.date(2026, 5, 14),
    )
    campaigns.ask_add(
        actor=facilitator,
        campaign=campaign,
        to_whom="Coventry City Council",
        what="Put bins and lighting at the bridge steps.",
        asked_on=dt.date(2026, 5, 14),
    )
    campaigns.meeting_add(
        actor=facilitator,
        campaign=campaign,
        held_on=dt.date(2026, 6, 18),
        title="At the third Big Conversation",
        with_whom="Council public health, the parks team and the partnership",
        outcome="The council committed to clearing within a week of a report.",
    )
    campaigns.meeting_add(
        actor=facilitator,
        campaign=campaign,
        held_on=dt.date(2026, 8, 20),
        title="Walk of the river path",
        with_whom="Managers of the city's rivers, bridges and parks",
        outcome="They saw the worst places for themselves and agreed to look at the contract.",
    )
    return ask
