"""During and after the meeting: the story at the centre, contributions captured in seconds,
the closing report (printable, and as PDF), contributions as CSV."""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hct.conversations import exports, selectors, services
from hct.conversations.forms import CentreForm, ClosingForm, ContributionForm
from hct.conversations.models import Contribution
from hct.conversations.views.common import READERS, conversation_for, crumbs, page, pdf_response
from hct.core.access import roles_required
from hct.core.disclosure import publish_count
from hct.core.formviews import form_page, form_posted
from hct.core.roles import Role
from hct.core.services import audit_record
from hct.journeys.models import Journey
from hct.journeys.selectors import story_html
from hct.journeys.timeline import timeline
from hct.people.selectors import person_access


@roles_required(Role.FACILITATOR)
def centre_choose(request, pk):
    conversation = conversation_for(request, pk)
    stories = selectors.stories_to_choose(request.user, conversation)
    journeys = Journey.objects.filter(person__in=stories.values("person")).select_related("person")
    form = CentreForm(
        request.POST or None,
        stories=stories,
        journeys=journeys,
        initial={"story": conversation.story_id, "journey": conversation.journey_id},
    )
    return form_page(
        request,
        form,
        save=lambda data: services.centre_set(
            actor=request.user, conversation=conversation, **data
        ),
        done="The story is at the centre of the conversation.",
        next_url=reverse("conversations:detail", args=[pk]),
        context=page(
            conversation,
            title="The story at the centre",
            button="Put it at the centre",
            intro="Choose the story told at this conversation, in the person's own words, and their "
            "journey. Only people who have agreed to their story being told at a Big "
            "Conversation are listed; if they withdraw, the story is no longer shown.",
        ),
    )


@roles_required(Role.FACILITATOR)
def centre(request, pk):
    """The story, the person's chosen quotes and their journey's timeline, full-screen for the
    room: only while their consent is current."""
    conversation = conversation_for(request, pk)
    found = selectors.story_at_centre(conversation)
    if found.story is None:
        raise Http404("No story at the centre")
    access = person_access(request.user, found.story.person)
    if not access.sees_story:
        from hct.core.access import deny

        raise deny(request, "story not visible")
    context = {
        "conversation": conversation,
        "centre": found,
        "person": found.story.person,
        "breadcrumbs": crumbs(conversation, ("The story at the centre", None)),
    }
    if not found.refused:
        audit_record(
            actor=request.user,
            verb="conversation.centre_shown",
            subject=found.story,
            details={"conversation": conversation.pk},
        )
        context["story_html"] = story_html(found.story.text, [q.text for q in found.quotes])
        if found.touchpoints:
            context["timeline"] = timeline(
                found.touchpoints, found.gaps, sees_private=access.sees_private_names
            )
            context["journey"] = conversation.journey
    return render(
        request, "conversations/centre.html", context, status=409 if found.refused else 200
    )


@roles_required(*READERS)
def contributions(request, pk):
    conversation = conversation_for(request, pk)
    facilitator = request.user.role == Role.FACILITATOR
    form = ContributionForm(request.POST or None) if facilitator else None
    done = form_posted(
        request,
        form,
        save=lambda data: services.contribution_add(
            actor=request.user, conversation=conversation, **data
        ),
        done="Captured, as typed.",
        next_url=reverse("conversations:contributions", args=[pk]) + "#id_text",
    )
    if done:
        return done
    return render(
        request,
        "conversations/contributions.html",
        {
            "conversation": conversation,
            "contributions": list(selectors.contributions(conversation).reverse()),
            "form": form,
            "facilitator": facilitator,
            "breadcrumbs": crumbs(conversation, ("Contributions", None)),
        },
    )


@roles_required(Role.FACILITATOR)
@require_POST
def contribution_remove(request, pk, contribution_pk):
    conversation = conversation_for(request, pk)
    contribution = Contribution.objects.filter(
        conversation=conversation, pk=contribution_pk
    ).first()
    if contribution is None:
        raise Http404("No such contribution")
    services.contribution_remove(actor=request.user, contribution=contribution)
    messages.success(request, "The contribution has been removed.")
    return redirect("conversations:contributions", pk=pk)


@roles_required(Role.FACILITATOR)
def contributions_csv(request, pk):
    conversation = conversation_for(request, pk)
    body, rows = exports.contributions_csv(conversation)
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="big-conversation-{conversation.number}-contributions.csv"'
    )
    audit_record(
        actor=request.user,
        verb="conversation.contributions_export",
        subject=conversation,
        details={"rows": rows},
    )
    return response


@roles_required(Role.FACILITATOR)
def closing_write(request, pk):
    conversation = conversation_for(request, pk)
    report = getattr(conversation, "closing", None)
    form = ClosingForm(
        request.POST or None,
        initial={"summary": report.summary, "produced": report.produced} if report else None,
    )
    return form_page(
        request,
        form,
        save=lambda data: services.closing_write(
            actor=request.user, conversation=conversation, **data
        ),
        done="The closing report has been saved.",
        next_url=reverse("conversations:report", args=[pk]),
        context=page(
            conversation,
            title="Close the conversation",
            button="Save the closing report",
            intro="The closing report says who came, which organisations, how many contributions, "
            "and what the conversation produced. Attendance and contributions are counted for you.",
        ),
    )


def _report_context(request, conversation) -> dict:
    figures = selectors.closing_figures(conversation)
    exact = request.user.role == Role.FACILITATOR
    kinds = [
        (
            label,
            figures["by_kind"].get(kind, 0)
            if exact
            else publish_count(figures["by_kind"].get(kind, 0)),
        )
        for kind, label in Contribution.Kind.choices
    ]
    return {
        "conversation": conversation,
        "closing": getattr(conversation, "closing", None),
        "attendees": figures["attendees"] if exact else publish_count(figures["attendees"]),
        "contributions": figures["contributions"]
        if exact
        else publish_count(figures["contributions"]),
        "kinds": kinds,
        "organisations": figures["organisations"],
        "items": figures["items"],
        "vision": figures["vision"],
        "plan": figures["plan"],
        "exact": exact,
        "breadcrumbs": crumbs(conversation, ("Closing report", None)),
    }


@roles_required(*READERS)
def report(request, pk):
    conversation = conversation_for(request, pk)
    return render(request, "conversations/report.html", _report_context(request, conversation))


@roles_required(*READERS)
def report_pdf(request, pk):
    conversation = conversation_for(request, pk)
    return pdf_response(
        request,
        "conversations/report.html",
        _report_context(request, conversation),
        f"big-conversation-{conversation.number}-closing-report.pdf",
    )
