"""Community scrutiny (services): community members ask questions and say whether an update is
what they asked for; the owning organisation answers; facilitators moderate.

Every moderation (hide with a reason, restore) leaves an audit event; so does every flag. Nothing
is ever deleted: a hidden contribution keeps its text for the record and the moderator's reason.
"""

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from hct.commitments.models import (
    ERROR_HIDE_NEEDS_REASON,
    Answer,
    Commitment,
    Flag,
    PublicComment,
    Update,
)
from hct.commitments.reminders import owners_emails
from hct.commitments.services import ERROR_NOT_OWNER, may_report, touch
from hct.core.roles import Role
from hct.core.services import audit_record
from hct.partnership.selectors import neighbourhoods_in_scope

ERROR_COMMUNITY_ONLY = "Only community members can ask questions and say what they think here"
ERROR_FEEDBACK_ON_A_NOTE = "Say what you think of an update of progress, not of a note"
ERROR_VERDICT_NEEDED = "Say whether the update is what you asked for"
ERROR_ANSWER_HIDDEN = "This question was hidden by a moderator, so it cannot be answered"
ERROR_ANSWER_NOT_A_QUESTION = "Only questions are answered"
ERROR_NOT_A_MODERATOR = "Only a facilitator of the commitment's neighbourhood can moderate"
ERROR_ALREADY_HIDDEN = "It is already hidden"
ERROR_NOT_HIDDEN = "It is not hidden"
ERROR_ALREADY_FLAGGED = "You have already reported this; a facilitator will look at it"


def _community_only(actor: Any) -> None:
    if getattr(actor, "role", None) != Role.COMMUNITY:
        raise ValidationError(ERROR_COMMUNITY_ONLY)


def may_moderate(actor: Any, commitment: Commitment) -> bool:
    role = getattr(actor, "role", None)
    if role == Role.ADMIN:
        return True
    return (
        role == Role.FACILITATOR
        and neighbourhoods_in_scope(actor).filter(pk=commitment.neighbourhood_id).exists()
    )


@transaction.atomic
def question_ask(*, actor: Any, commitment: Commitment, text: str) -> PublicComment:
    """A community member asks the owner a question; it is public at once (moderated after)."""
    _community_only(actor)
    question = PublicComment(
        commitment=commitment, kind=PublicComment.Kind.QUESTION, text=text.strip(), author=actor
    )
    question.full_clean()
    question.save()
    audit_record(actor=actor, verb="commitment.question.ask", subject=question)
    touch(commitment)
    transaction.on_commit(lambda: _tell_owners(question))
    return question


def _tell_owners(question: PublicComment) -> None:
    """Email the owning organisation's members that a question waits for their answer (the
    question's text, never who asked)."""
    commitment = question.commitment
    recipients = owners_emails(commitment)
    if recipients:
        send_mail(
            f"A question about: {commitment.title}",
            f"A community member asked:\n\n{question.text}\n\nAnswer it here: "
            f"{reverse('commitments:answer', args=[question.pk])}\n",
            settings.DEFAULT_FROM_EMAIL,
            recipients,
        )


@transaction.atomic
def feedback_give(*, actor: Any, update: Update, verdict: str, text: str = "") -> PublicComment:
    """Whether an update is what the community asked for; one per person per update, and a
    person may change their mind (the latest stands)."""
    _community_only(actor)
    if update.kind != Update.Kind.STATUS:
        raise ValidationError({"update": ERROR_FEEDBACK_ON_A_NOTE})
    if verdict not in PublicComment.Verdict.values:
        raise ValidationError({"verdict": ERROR_VERDICT_NEEDED})
    feedback = PublicComment.objects.filter(
        kind=PublicComment.Kind.FEEDBACK, update=update, author=actor
    ).first() or PublicComment(
        commitment_id=update.commitment_id,
        kind=PublicComment.Kind.FEEDBACK,
        update=update,
        author=actor,
    )
    feedback.verdict = verdict
    feedback.text = text.strip()
    feedback.full_clean()
    feedback.save()
    audit_record(
        actor=actor, verb="commitment.feedback", subject=feedback, details={"verdict": verdict}
    )
    touch(update.commitment)
    return feedback


@transaction.atomic
def answer_give(*, actor: Any, question: PublicComment, text: str) -> Answer:
    """The owning organisation answers a question that is not hidden."""
    question = (
        PublicComment.objects.select_for_update().select_related("commitment").get(pk=question.pk)
    )
    if question.kind != PublicComment.Kind.QUESTION:
        raise ValidationError(ERROR_ANSWER_NOT_A_QUESTION)
    if question.hidden:
        raise ValidationError(ERROR_ANSWER_HIDDEN)
    if not may_report(actor, question.commitment):
        raise ValidationError(ERROR_NOT_OWNER.format(owner=question.commitment.owner.name))
    answer = Answer(question=question, text=text.strip(), answered_by=actor)
    answer.full_clean()
    answer.save()
    audit_record(actor=actor, verb="commitment.question.answer", subject=answer)
    touch(question.commitment)
    return answer


@transaction.atomic
def contribution_flag(*, actor: Any, contribution: PublicComment, reason: str = "") -> Flag:
    """Anyone signed in reports a contribution to the moderators, once."""
    if Flag.objects.filter(contribution=contribution, flagged_by=actor).exists():
        raise ValidationError(ERROR_ALREADY_FLAGGED)
    flag = Flag(contribution=contribution, flagged_by=actor, reason=reason.strip()[:300])
    flag.full_clean()
    flag.save()
    audit_record(actor=actor, verb="commitment.contribution.flag", subject=contribution)
    return flag


@transaction.atomic
def contribution_hide(*, actor: Any, contribution: PublicComment, reason: str) -> PublicComment:
    """A facilitator hides a contribution, saying why; its flags are dealt with."""
    contribution = PublicComment.objects.select_for_update().get(pk=contribution.pk)
    if not may_moderate(actor, contribution.commitment):
        raise ValidationError(ERROR_NOT_A_MODERATOR)
    if contribution.hidden:
        raise ValidationError(ERROR_ALREADY_HIDDEN)
    if not reason.strip():
        raise ValidationError({"reason": ERROR_HIDE_NEEDS_REASON})
    contribution.hidden = True
    contribution.hidden_reason = reason.strip()
    contribution.hidden_by = actor
    contribution.hidden_at = timezone.now()
    contribution.full_clean()
    contribution.save(update_fields=["hidden", "hidden_reason", "hidden_by", "hidden_at"])
    contribution.flags.update(dealt_with=True)
    audit_record(actor=actor, verb="commitment.contribution.hide", subject=contribution)
    touch(contribution.commitment)
    return contribution


@transaction.atomic
def contribution_restore(*, actor: Any, contribution: PublicComment) -> PublicComment:
    """A facilitator shows a hidden contribution again (the reason it was hidden is kept in the
    audit trail, not on the contribution)."""
    contribution = PublicComment.objects.select_for_update().get(pk=contribution.pk)
    if not may_moderate(actor, contribution.commitment):
        raise ValidationError(ERROR_NOT_A_MODERATOR)
    if not contribution.hidden:
        raise ValidationError(ERROR_NOT_HIDDEN)
    contribution.hidden = False
    contribution.hidden_reason = ""
    contribution.hidden_by = None
    contribution.hidden_at = None
    contribution.save(update_fields=["hidden", "hidden_reason", "hidden_by", "hidden_at"])
    contribution.flags.update(dealt_with=True)
    audit_record(actor=actor, verb="commitment.contribution.restore", subject=contribution)
    touch(contribution.commitment)
    return contribution
