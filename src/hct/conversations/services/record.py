"""What was said: contributions and the closing report."""

from typing import Any

from django.db import transaction

from hct.conversations.models import (
    ClosingReport,
    Contribution,
    Conversation,
)
from hct.core.services import audit_record

# Contributions and the closing report ---------------------------------------------------------


@transaction.atomic
def contribution_add(
    *,
    actor: Any,
    conversation: Conversation,
    text: str,
    kind: str = Contribution.Kind.NOTE,
    speaker_sector: str = "",
    speaker_name: str = "",
    name_agreed: bool = False,
) -> Contribution:
    """Kept exactly as typed; a speaker is named only with their agreement."""
    contribution = Contribution(
        conversation=conversation,
        kind=Contribution.Kind(kind),
        text=text,
        speaker_sector=speaker_sector,
        speaker_name=speaker_name.strip(),
        name_agreed=name_agreed,
        recorded_by=actor,
    )
    contribution.full_clean(validate_constraints=False)
    contribution.save()
    audit_record(
        actor=actor,
        verb="conversation.contribution",
        subject=contribution,
        details={"conversation": conversation.pk, "kind": kind},
    )
    return contribution


@transaction.atomic
def contribution_remove(*, actor: Any, contribution: Contribution) -> None:
    audit_record(actor=actor, verb="conversation.contribution_remove", subject=contribution)
    contribution.delete()


@transaction.atomic
def closing_write(
    *, actor: Any, conversation: Conversation, summary: str, produced: str = ""
) -> ClosingReport:
    """The closing report's summary is required (as Decidim's); writing it again replaces it."""
    report = ClosingReport.objects.filter(conversation=conversation).first() or ClosingReport(
        conversation=conversation
    )
    report.summary = summary
    report.produced = produced
    report.closed_by = actor
    report.full_clean(exclude=["conversation"])
    report.save()
    audit_record(actor=actor, verb="conversation.close", subject=conversation)
    return report
