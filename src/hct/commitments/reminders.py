"""`hct remind`: email each commitment's owners before its due date and when it is overdue, and
post a note on the commitment, once. Safe to run from cron as often as you like.

Each reminder is keyed by its kind and the due date it is about (an `Update.key`), so a second run
finds the note and sends nothing; a commitment whose due date moves gets reminded of the new one.
Each commitment's note and email are one transaction: an email that fails leaves no note, and the
next run tries again.
"""

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from hct.commitments.models import OPEN_STATUSES, Commitment
from hct.commitments.services import note_post
from hct.core.services import audit_record
from hct.partnership.models import Membership

DAYS_BEFORE = 14


@dataclass
class Reminded:
    due_soon: list[int] = field(default_factory=list)
    overdue: list[int] = field(default_factory=list)
    emails: int = 0
    no_one_to_tell: list[int] = field(default_factory=list)

    def describe(self) -> str:
        return (
            f"Reminders: {len(self.due_soon)} due soon, {len(self.overdue)} overdue; "
            f"{self.emails} email(s) sent"
            + (
                f"; no one with an email address owns commitment(s) {self.no_one_to_tell}"
                if self.no_one_to_tell
                else ""
            )
        )


def owners_emails(commitment: Commitment) -> list[str]:
    return sorted(
        set(
            Membership.objects.filter(
                partnership_id=commitment.partnership_id, partner_id=commitment.owner_id
            )
            .exclude(user__email="")
            .values_list("user__email", flat=True)
        )
    )


def _message(commitment: Commitment, kind: str, today: dt.date) -> tuple[str, str]:
    days = (commitment.due_on - today).days
    if kind == "overdue":
        subject = f"Overdue: {commitment.title}"
        said = (
            f"This commitment was due on {commitment.due_on:%-d %B %Y} and is still "
            f"{commitment.get_status_display().lower()}. The public page shows it as overdue."
        )
    else:
        when = "today" if days == 0 else f"in {days} day{'s' if days != 1 else ''}"
        subject = f"Due {when}: {commitment.title}"
        said = (
            f"This commitment is due {when}, on {commitment.due_on:%-d %B %Y}. It is "
            f"{commitment.get_status_display().lower()}, {commitment.progress}% done."
        )
    return subject, said


def remind(*, today: dt.date, days_before: int = DAYS_BEFORE) -> Reminded:
    """Post each reminder that is due and has not been posted, and email the owners."""
    reminded = Reminded()
    open_commitments = (
        Commitment.objects.filter(
            status__in=OPEN_STATUSES, due_on__lte=today + dt.timedelta(days=days_before)
        )
        .select_related("owner")
        .order_by("due_on", "id")
    )
    for commitment in open_commitments:
        kind = "overdue" if commitment.due_on < today else "due-soon"
        with transaction.atomic():
            subject, said = _message(commitment, kind, today)
            note = note_post(
                actor=None,
                commitment=commitment,
                note=f"Reminder sent to {commitment.owner.name}: {said}",
                key=f"remind:{kind}:{commitment.due_on.isoformat()}",
            )
            if note is None:
                continue
            (reminded.overdue if kind == "overdue" else reminded.due_soon).append(commitment.pk)
            recipients = owners_emails(commitment)
            if recipients:
                link = reverse("commitments:detail", args=[commitment.pk])
                send_mail(
                    subject,
                    f"{said}\n\nReport progress or add a milestone: {link}\n",
                    settings.DEFAULT_FROM_EMAIL,
                    recipients,
                )
                reminded.emails += 1
            else:
                reminded.no_one_to_tell.append(commitment.pk)
            audit_record(
                actor=None,
                verb=f"commitment.remind.{kind}",
                subject=commitment,
                details={"recipients": len(recipients)},
            )
    return reminded
