"""The reads every part of `hct.commitments.selectors` builds on (its own module so that the
history, the feed, the open data and scrutiny can use them without importing the package that
re-exports them)."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from hct.commitments.models import Commitment, Milestone, Status, Update
from hct.core.roles import Role
from hct.partnership.selectors import neighbourhoods_in_scope, partnerships_for


def today() -> dt.date:
    return timezone.localdate()


def commitments_visible(user: Any) -> QuerySet[Commitment]:
    """Admins see every commitment; board members those of their partnerships; facilitators and
    partners those of their partnerships in the neighbourhoods they work in."""
    role = getattr(user, "role", None)
    if role == Role.ADMIN:
        return Commitment.objects.all()
    if role == Role.BOARD:
        return Commitment.objects.filter(partnership__in=partnerships_for(user))
    if role in (Role.FACILITATOR, Role.PARTNER):
        return Commitment.objects.filter(
            partnership__in=partnerships_for(user),
            neighbourhood__in=neighbourhoods_in_scope(user),
        )
    return Commitment.objects.none()


def with_milestone_figures(commitments: QuerySet[Commitment]) -> QuerySet[Commitment]:
    """Each commitment with its number of milestones and its latest one, in the same query."""
    latest = Milestone.objects.filter(commitment=OuterRef("pk")).order_by("-on", "-id")
    counted = (
        Milestone.objects.filter(commitment=OuterRef("pk"))
        .order_by()
        .values("commitment")
        .annotate(n=Count("id"))
        .values("n")
    )
    return commitments.annotate(
        milestone_count=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0)),
        latest_milestone_title=Subquery(latest.values("title")[:1]),
        latest_milestone_on=Subquery(latest.values("on")[:1]),
    )


@dataclass
class Event:
    on: dt.date
    kind: str  # made, milestone, status, note, part, done, dropped
    title: str
    text: str = ""
    evidence: str = ""
    href: str = ""
    order: int = 0  # ties on a day: the promise first, then in the order things were written
    update_id: int | None = None  # a change of status or progress the community can judge
    # Published counts (hct.core.disclosure) of what the community said of it.
    feedback: list[tuple[str, Any]] | None = None


_KIND_ORDER = {
    "conversation": -3,
    "gaps": -2,
    "iceberg": -1,
    "plan": 0,
    "origin": 0,
    "made": 1,
    "part": 2,
    "milestone": 3,
    "status": 4,
    "note": 4,
}


def update_event(update: Update) -> Event:
    if update.kind == Update.Kind.NOTE:
        return Event(update.on, "note", "Note", update.note, order=update.pk)
    before = Status(update.status_before).label if update.status_before else ""
    after = Status(update.status_after).label if update.status_after else ""
    if update.status_before != update.status_after:
        title = f"{before} → {after}"
    else:
        title = f"Progress {update.progress_before}% → {update.progress_after}%"
    text_parts = []
    if update.status_before != update.status_after and (
        update.progress_before != update.progress_after
    ):
        text_parts.append(f"Progress {update.progress_before}% → {update.progress_after}%.")
    if update.note:
        text_parts.append(update.note)
    return Event(
        update.on, "status", title, " ".join(text_parts), order=update.pk, update_id=update.pk
    )
