"""Reads for the Atom feed and the open data (CSV, JSON): organisations and roles, never people."""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch
from django.urls import reverse

from hct.commitments.models import Commitment, Milestone, Update
from hct.commitments.selectors.base import today, update_event, with_milestone_figures
from hct.partnership.models import Partner
from hct.places.models import Neighbourhood


@dataclass
class FeedItem:
    key: str  # stable, for the entry's id
    commitment: Commitment
    title: str
    text: str
    on: dt.date
    at: dt.datetime


def feed_items(neighbourhood: Neighbourhood | None = None, *, limit: int = 50) -> list[FeedItem]:
    """The latest news of commitments: promises made, milestones reached, status changes."""
    commitments = Commitment.objects.all()
    if neighbourhood is not None:
        commitments = commitments.filter(neighbourhood=neighbourhood)
    items = []
    for commitment in commitments.select_related("owner").order_by("-created_at", "-id")[:limit]:
        items.append(
            FeedItem(
                f"commitment-{commitment.pk}",
                commitment,
                f"Promised: {commitment.title}",
                f"{commitment.owner.name} promised this, to be done by "
                f"{commitment.due_on:%-d %B %Y}.",
                commitment.made_on,
                commitment.created_at,
            )
        )
    milestones = Milestone.objects.filter(commitment__in=commitments).select_related(
        "commitment__owner"
    )
    for milestone in milestones.order_by("-created_at", "-id")[:limit]:
        items.append(
            FeedItem(
                f"milestone-{milestone.pk}",
                milestone.commitment,
                f"Milestone: {milestone.title}",
                milestone.description,
                milestone.on,
                milestone.created_at,
            )
        )
    updates = Update.objects.filter(
        commitment__in=commitments, kind=Update.Kind.STATUS
    ).select_related("commitment__owner")
    for update in updates.order_by("-created_at", "-id")[:limit]:
        event = update_event(update)
        items.append(
            FeedItem(
                f"update-{update.pk}",
                update.commitment,
                f"{update.commitment.title}: {event.title}",
                event.text,
                update.on,
                update.created_at,
            )
        )
    items.sort(key=lambda item: (item.at, item.key), reverse=True)
    return items[:limit]


OPEN_DATA_FIELDS = (
    "id",
    "parent_id",
    "weight",
    "title",
    "description",
    "neighbourhood",
    "owner",
    "partners",
    "lead_role",
    "made_on",
    "due_on",
    "status",
    "progress",
    "done_on",
    "kept_on_time",
    "overdue",
    "dropped_reason",
    "answers",
    "milestones",
    "url",
)


def open_data_rows(today_=None):
    """Every commitment as a flat record (CSV and JSON): organisations and roles, never people."""
    today_ = today_ or today()
    commitments = (
        with_milestone_figures(Commitment.objects.all())
        .select_related("owner", "neighbourhood")
        .prefetch_related(Prefetch("partners", queryset=Partner.objects.order_by("name")))
        .order_by("id")
    )
    for c in commitments.iterator(chunk_size=500):
        yield {
            "id": c.pk,
            "parent_id": c.parent_id,
            "weight": None if c.weight is None else str(c.weight),
            "title": c.title,
            "description": c.description,
            "neighbourhood": c.neighbourhood.name,
            "owner": c.owner.name,
            "partners": "; ".join(p.name for p in c.partners.all()),
            "lead_role": c.lead_role,
            "made_on": c.made_on.isoformat(),
            "due_on": c.due_on.isoformat(),
            "status": c.status,
            "progress": c.progress,
            "done_on": c.done_on.isoformat() if c.done_on else None,
            "kept_on_time": c.kept_on_time,
            "overdue": c.is_overdue(today_),
            "dropped_reason": c.dropped_reason,
            "answers": c.answers,
            "milestones": c.milestone_count,  # type: ignore[attr-defined]  # annotated
            "url": reverse("commitments:public-commitment", args=[c.pk]),
        }
