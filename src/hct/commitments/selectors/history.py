"""One timeline per commitment: where it comes from, when it was made, each milestone, each
change of status or progress, each part added, and notes."""

from collections.abc import Callable

from django.urls import reverse

from hct.commitments.models import Commitment
from hct.commitments.selectors.base import _KIND_ORDER, Event, update_event
from hct.commitments.selectors.origin import origin_events

# Apps after commitments (flexibility: scenarios cited as evidence) add entries to a commitment's
# history through this list, so commitments never imports them.
HistorySource = Callable[[Commitment, bool], list[Event]]
_history_sources: list[HistorySource] = []


def register_history_source(source: HistorySource) -> None:
    if source not in _history_sources:
        _history_sources.append(source)


def history(commitment: Commitment, *, public: bool) -> list[Event]:
    """The commitment's story in date order: what it answers, when it was made, each milestone,
    each change of status or progress, each part added, and notes (reminders).

    `public` leaves out who wrote each entry (the public pages name organisations, not people).
    """
    detail = "commitments:public-commitment" if public else "commitments:detail"
    events = origin_events(commitment, public=public)
    ask = commitment.in_reply_to
    if ask is not None:
        campaign = ask.campaign
        events.append(
            Event(
                ask.asked_on,
                "origin",
                f"Asked for by the campaign {campaign.title}",
                f"“{ask.what}”, asked of {ask.to_whom}.",
                href=reverse("commitments:campaign", args=[campaign.slug]),
                order=-3,
            )
        )
    if commitment.answers:
        events.append(
            Event(commitment.made_on, "origin", "What it answers", commitment.answers, order=-2)
        )
    events.append(
        Event(
            commitment.made_on,
            "made",
            "Commitment made",
            f"{commitment.owner.name} promised this, to be done by "
            f"{commitment.due_on:%-d %B %Y}. Lead: {commitment.lead_role}.",
            order=-1,
        )
    )
    for milestone in commitment.milestones.order_by("on", "id"):
        events.append(
            Event(
                milestone.on,
                "milestone",
                milestone.title,
                milestone.description,
                evidence=milestone.evidence,
                order=milestone.pk,
            )
        )
    for update in commitment.updates.order_by("created_at", "id"):
        events.append(update_event(update))
    for source in _history_sources:
        events.extend(source(commitment, public))
    for part in commitment.children.order_by("made_on", "id"):
        events.append(
            Event(
                part.made_on,
                "part",
                f"Part added: {part.title}",
                href=reverse(detail, args=[part.pk]),
                order=part.pk,
            )
        )
    return sorted(events, key=lambda e: (e.on, _KIND_ORDER.get(e.kind, 5), e.order))
