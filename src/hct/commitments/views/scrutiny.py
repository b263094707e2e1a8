"""Community scrutiny: ask a question, say whether an update is what was asked for, answer,
report, and moderate. Each is a small form page of its own, so it works without JavaScript and
shows its errors against its fields."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
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
from hct.commitments.models import Commitment, Contribution, Update
from hct.core.access import deny, roles_required
from hct.core.forms import add_service_errors
from hct.core.roles import ALL_ROLES, Role

COMMUNITY = frozenset({Role.COMMUNITY})
ANSWERING = frozenset({Role.FACILITATOR, Role.PARTNER, Role.ADMIN})
MODERATORS = frozenset({Role.FACILITATOR, Role.ADMIN})


def _public_url(commitment_id: int) -> str:
    return reverse("commitments:public-commitment", args=[commitment_id])


def _form_page(request, *, form, commitment, heading, intro, service, success, back, quote=""):
    """Validate `form`, call `service(**cleaned_data)`, and go back to `back` with `success`;
    or show the form with what is wrong, and change nothing."""
    if request.method == "POST" and form.is_valid():
        try:
            service(**form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(back)
    return render(
        request,
        "commitments/small_form.html",
        {
            "form": form,
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
        },
    )


@roles_required(COMMUNITY)
def ask(request, pk):
    commitment = get_object_or_404(Commitment, pk=pk)
    return _form_page(
        request,
        form=QuestionForm(request.POST or None),
        commitment=commitment,
        heading="Ask a question",
        intro=f"{commitment.owner.name} will answer on the commitment's public page.",
        service=lambda text: scrutiny.question_ask(
            actor=request.user, commitment=commitment, text=text
        ),
        success="Your question is on the page",
        back=_public_url(pk) + "#questions",
    )


@roles_required(COMMUNITY)
def feedback(request, pk):
    update = get_object_or_404(Update.objects.select_related("commitment__owner"), pk=pk)
    mine = Contribution.objects.filter(
        kind=Contribution.Kind.FEEDBACK, update=update, author=request.user
    ).first()
    initial = {"verdict": mine.verdict, "text": mine.text} if mine else None
    event = selectors.update_event(update)
    return _form_page(
        request,
        form=FeedbackForm(request.POST or None, initial=initial),
        commitment=update.commitment,
        heading="Is this what you asked for?",
        intro=f"The update of {update.on:%-d %B %Y}: {event.title}. {event.text}",
        service=lambda verdict, text: scrutiny.feedback_give(
            actor=request.user, update=update, verdict=verdict, text=text
        ),
        success="Thank you: the owning organisation will see what you said",
        back=_public_url(update.commitment_id) + "#history",
    )


@roles_required(ANSWERING)
def answer(request, pk):
    question = get_object_or_404(
        Contribution.objects.select_related("commitment__owner"),
        pk=pk,
        kind=Contribution.Kind.QUESTION,
    )
    return _form_page(
        request,
        form=AnswerForm(request.POST or None),
        commitment=question.commitment,
        heading="Answer the question",
        intro=f"You answer for {question.commitment.owner.name}.",
        quote="" if question.hidden else question.text,
        service=lambda text: scrutiny.answer_give(actor=request.user, question=question, text=text),
        success="Your answer is on the page",
        back=_public_url(question.commitment_id) + "#questions",
    )


@roles_required(ALL_ROLES)
def flag(request, pk):
    contribution = get_object_or_404(Contribution.objects.select_related("commitment"), pk=pk)
    return _form_page(
        request,
        form=FlagForm(request.POST or None),
        commitment=contribution.commitment,
        heading="Report this to a moderator",
        intro="A facilitator will read it and may hide it, saying why.",
        quote="" if contribution.hidden else contribution.text,
        service=lambda reason: scrutiny.contribution_flag(
            actor=request.user, contribution=contribution, reason=reason
        ),
        success="Thank you: a facilitator will look at it",
        back=_public_url(contribution.commitment_id) + "#questions",
    )


def _moderated(request, pk) -> Contribution:
    contribution = get_object_or_404(Contribution.objects.select_related("commitment"), pk=pk)
    if not scrutiny.may_moderate(request.user, contribution.commitment):
        raise deny(request, "contribution out of scope")
    return contribution


@roles_required(MODERATORS)
def hide(request, pk):
    contribution = _moderated(request, pk)
    return _form_page(
        request,
        form=HideForm(request.POST or None),
        commitment=contribution.commitment,
        heading="Hide it",
        intro="It stays in the record; the public page says it was hidden.",
        quote=contribution.text,
        service=lambda reason: scrutiny.contribution_hide(
            actor=request.user, contribution=contribution, reason=reason
        ),
        success="Hidden",
        back=reverse("commitments:moderation"),
    )


@roles_required(MODERATORS)
def restore(request, pk):
    contribution = _moderated(request, pk)
    return _form_page(
        request,
        form=RestoreForm(request.POST or None),
        commitment=contribution.commitment,
        heading="Show it again",
        intro=f"It was hidden because: {contribution.hidden_reason}"
        if contribution.hidden
        else "It is not hidden.",
        quote=contribution.text,
        service=lambda: scrutiny.contribution_restore(
            actor=request.user, contribution=contribution
        ),
        success="Shown again",
        back=reverse("commitments:moderation"),
    )


@roles_required(MODERATORS)
def moderation(request):
    return render(
        request,
        "commitments/moderation.html",
        {
            "contributions": list(selectors.moderation_queue(request.user)[:200]),
            "breadcrumbs": [
                ("Home", reverse("core:home")),
                ("Commitments", reverse("commitments:list")),
                ("Moderation", None),
            ],
        },
    )
