"""Community scrutiny: ask a question, say whether an update is what was asked for, answer,
report, and moderate. Each is a small form page of its own, so it works without JavaScript and
shows its errors against its fields."""

from django.shortcuts import render
from django.urls import reverse

from hct.commitments import scrutiny, selectors
from hct.commitments.forms import (
    AnswerForm,
    FeedbackForm,
    FlagForm,
    HideForm,
    QuestionForm,
    RestoreForm,
)
from hct.commitments.models import Commitment, PublicComment
from hct.commitments.selectors.campaigns import campaigns_to_review
from hct.core.access import deny, found, roles_required
from hct.core.formviews import form_page
from hct.core.roles import ALL_ROLES, Role

COMMUNITY = frozenset({Role.COMMUNITY})
ANSWERING = frozenset({Role.FACILITATOR, Role.PARTNER, Role.ADMIN})
MODERATORS = frozenset({Role.FACILITATOR, Role.ADMIN})
SMALL_FORM = "commitments/small_form.html"


def _public_url(commitment_id: int) -> str:
    return reverse("commitments:public-commitment", args=[commitment_id])


def _page(commitment: Commitment, *, heading: str, intro: str, back: str, quote: str = ""):
    """What the small form page shows: the form's purpose, what it is about, the way back."""
    return {
        "commitment": commitment,
        "heading": heading,
        "intro": intro,
        "quote": quote,
        "back": back,
        "breadcrumbs": [
            ("Keeping our word", reverse("commitments:public-index")),
            (commitment.title, _public_url(commitment.pk)),
            (heading, None),
        ],
    }


@roles_required(COMMUNITY)
def ask(request, pk):
    commitment = found(selectors.commitment_find(pk))
    back = _public_url(pk) + "#questions"
    return form_page(
        request,
        QuestionForm(request.POST or None),
        save=lambda data: scrutiny.question_ask(actor=request.user, commitment=commitment, **data),
        done="Your question is on the page",
        next_url=back,
        template=SMALL_FORM,
        context=_page(
            commitment,
            heading="Ask a question",
            intro=f"{commitment.owner.name} will answer on the commitment's public page.",
            back=back,
        ),
    )


@roles_required(COMMUNITY)
def feedback(request, pk):
    update = found(selectors.update_get(pk))
    mine = selectors.feedback_by(update, request.user)
    initial = {"verdict": mine.verdict, "text": mine.text} if mine else None
    event = selectors.update_event(update)
    back = _public_url(update.commitment_id) + "#history"
    return form_page(
        request,
        FeedbackForm(request.POST or None, initial=initial),
        save=lambda data: scrutiny.feedback_give(actor=request.user, update=update, **data),
        done="Thank you: the owning organisation will see what you said",
        next_url=back,
        template=SMALL_FORM,
        context=_page(
            update.commitment,
            heading="Is this what you asked for?",
            intro=f"The update of {update.on:%-d %B %Y}: {event.title}. {event.text}",
            back=back,
        ),
    )


@roles_required(ANSWERING)
def answer(request, pk):
    question = found(selectors.question_get(pk))
    back = _public_url(question.commitment_id) + "#questions"
    return form_page(
        request,
        AnswerForm(request.POST or None),
        save=lambda data: scrutiny.answer_give(actor=request.user, question=question, **data),
        done="Your answer is on the page",
        next_url=back,
        template=SMALL_FORM,
        context=_page(
            question.commitment,
            heading="Answer the question",
            intro=f"You answer for {question.commitment.owner.name}.",
            quote="" if question.hidden else question.text,
            back=back,
        ),
    )


@roles_required(ALL_ROLES)
def flag(request, pk):
    contribution = found(selectors.contribution_get(pk))
    back = _public_url(contribution.commitment_id) + "#questions"
    return form_page(
        request,
        FlagForm(request.POST or None),
        save=lambda data: scrutiny.contribution_flag(
            actor=request.user, contribution=contribution, **data
        ),
        done="Thank you: a facilitator will look at it",
        next_url=back,
        template=SMALL_FORM,
        context=_page(
            contribution.commitment,
            heading="Report this to a moderator",
            intro="A facilitator will read it and may hide it, saying why.",
            quote="" if contribution.hidden else contribution.text,
            back=back,
        ),
    )


def _moderated(request, pk) -> PublicComment:
    contribution = found(selectors.contribution_get(pk))
    if not scrutiny.may_moderate(request.user, contribution.commitment):
        raise deny(request, "contribution out of scope")
    return contribution


@roles_required(MODERATORS)
def hide(request, pk):
    contribution = _moderated(request, pk)
    return form_page(
        request,
        HideForm(request.POST or None),
        save=lambda data: scrutiny.contribution_hide(
            actor=request.user, contribution=contribution, **data
        ),
        done="Hidden",
        next_url=reverse("commitments:moderation"),
        template=SMALL_FORM,
        context=_page(
            contribution.commitment,
            heading="Hide it",
            intro="It stays in the record; the public page says it was hidden.",
            quote=contribution.text,
            back=reverse("commitments:moderation"),
        ),
    )


@roles_required(MODERATORS)
def restore(request, pk):
    contribution = _moderated(request, pk)
    return form_page(
        request,
        RestoreForm(request.POST or None),
        save=lambda data: scrutiny.contribution_restore(
            actor=request.user, contribution=contribution
        ),
        done="Shown again",
        next_url=reverse("commitments:moderation"),
        template=SMALL_FORM,
        context=_page(
            contribution.commitment,
            heading="Show it again",
            intro=f"It was hidden because: {contribution.hidden_reason}"
            if contribution.hidden
            else "It is not hidden.",
            quote=contribution.text,
            back=reverse("commitments:moderation"),
        ),
    )


@roles_required(MODERATORS)
def moderation(request):
    return render(
        request,
        "commitments/moderation.html",
        {
            "contributions": list(selectors.moderation_queue(request.user)[:200]),
            "campaigns": campaigns_to_review(request.user),
            "breadcrumbs": [
                ("Home", reverse("core:home")),
                ("Commitments", reverse("commitments:list")),
                ("Moderation", None),
            ],
        },
    )
