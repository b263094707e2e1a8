"""A person's story in their own words, the passages they agree may be quoted, and the story as
it would be told at a Big Conversation (only with their consent)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hct.core.access import roles_required
from hct.core.formviews import form_page
from hct.core.roles import Role
from hct.journeys import selectors, services
from hct.journeys.forms import QuoteForm, StoryForm, StoryHelpForm
from hct.journeys.models import Quote, StoryHelpRequest
from hct.journeys.views.common import crumbs, story_for
from hct.people.access import person_for
from hct.people.models import Purpose
from hct.people.selectors import Access, has_consent, person_for_user

WRITERS = (Role.FACILITATOR, Role.COMMUNITY)


@roles_required(WRITERS)
def story_create(request, person_pk):
    """A named facilitator writes the story down with the person, or the person writes it."""
    person, access = person_for(request, person_pk, need="writes_story")
    own = access is Access.OWN
    return form_page(
        request,
        StoryForm(request.POST or None, own=own),
        save=lambda data: services.story_create(actor=request.user, person=person, **data),
        done="Your story has been saved, just as you wrote it."
        if own
        else "The story has been saved, as typed.",
        next_url=lambda story: reverse("journeys:story", args=[story.pk]),
        context={
            "title": "My story" if own else "Their story",
            "caption": "My record" if own else person.alias,
            "intro": "In your own words. Write as much or as little as you like."
            if own
            else "In their own words, as they tell it.",
            "button": "Save my story" if own else "Save the story",
            "breadcrumbs": crumbs(request, person, ("My story" if own else "Their story", None)),
        },
    )


@roles_required(Role.FACILITATOR, Role.COMMUNITY)
def story_detail(request, pk):
    story, access = story_for(request, pk)
    quotes = list(story.quotes.all())
    return render(
        request,
        "journeys/story_detail.html",
        {
            "story": story,
            "person": story.person,
            "access": access,
            "quotes": quotes,
            "story_html": selectors.story_html(story.text, [q.text for q in quotes]),
            "shares_with_partners": has_consent(story.person, Purpose.SHARE_WITH_PARTNERS),
            "quote_form": QuoteForm() if access.can_edit else None,
            "asks_meaning": access.writes_story and bool(selectors.signifiers_for_story(story)),
            "breadcrumbs": crumbs(request, story.person, (story.title or "Their story", None)),
        },
    )


def _story_crumbs(request, story, last: str):
    return crumbs(
        request,
        story.person,
        (story.title or "Their story", reverse("journeys:story", args=[story.pk])),
        (last, None),
    )


@roles_required(WRITERS)
def story_edit(request, pk):
    story, access = story_for(request, pk, need="writes_story")
    own = access is Access.OWN
    return form_page(
        request,
        StoryForm(
            request.POST or None,
            own=own,
            initial={"title": story.title, "text": story.text, "told_on": story.told_on},
        ),
        save=lambda data: services.story_update(actor=request.user, story=story, **data),
        done="Your story has been saved, just as you wrote it."
        if own
        else "The story has been saved, as typed.",
        next_url=reverse("journeys:story", args=[story.pk]),
        context={
            "title": "Change my story" if own else "Change the story",
            "caption": "My story" if own else story.person.alias,
            "button": "Save my story" if own else "Save the story",
            "breadcrumbs": _story_crumbs(request, story, "Change"),
        },
    )


@roles_required(Role.FACILITATOR)
def quote_add(request, pk):
    story, _ = story_for(request, pk, need="can_edit")
    return form_page(
        request,
        QuoteForm(request.POST or None),
        save=lambda data: services.quote_add(actor=request.user, story=story, **data),
        done="The passage is marked as a quote they agree to share.",
        next_url=reverse("journeys:story", args=[story.pk]),
        context={
            "title": "Mark a quote",
            "caption": story.person.alias,
            "intro": "A passage of the story, word for word, that they agree may be quoted.",
            "button": "Mark as a quote",
            "breadcrumbs": _story_crumbs(request, story, "Mark a quote"),
        },
    )


@roles_required(Role.FACILITATOR)
@require_POST
def quote_remove(request, pk, quote_pk):
    story, _ = story_for(request, pk, need="can_edit")
    quote = Quote.objects.filter(story=story, pk=quote_pk).first()
    if quote is None:
        raise Http404("No such quote")
    services.quote_remove(actor=request.user, quote=quote)
    messages.success(request, "The quote mark has been removed; the story is unchanged.")
    return redirect("journeys:story", pk=story.pk)


@roles_required(Role.FACILITATOR)
def story_conversation(request, pk):
    """The story as it would be told at a Big Conversation: only with the person's consent."""
    story, _ = story_for(request, pk)
    try:
        selectors.story_for_conversation(story)
        refused = ""
    except ValidationError as error:
        refused = error.messages[0]
    quotes = list(story.quotes.all())
    return render(
        request,
        "journeys/story_conversation.html",
        {
            "story": story,
            "person": story.person,
            "refused": refused,
            "story_html": ""
            if refused
            else selectors.story_html(story.text, [q.text for q in quotes]),
            "breadcrumbs": _story_crumbs(request, story, "For a Big Conversation"),
        },
        status=409 if refused else 200,
    )


@roles_required(Role.COMMUNITY)
def story_help_ask(request):
    """The person asks their facilitator to write down or change their story with them. It names
    no person: it is only ever about the person linked to the signed-in account."""
    person = person_for_user(request.user)
    trail = [("Home", reverse("core:home")), ("My record", reverse("people:mine"))]
    if person is None:
        return render(
            request, "people/mine_empty.html", {"breadcrumbs": trail, "title": "Ask for help"}
        )
    return form_page(
        request,
        StoryHelpForm(request.POST or None),
        save=lambda data: services.story_help_ask(actor=request.user, person=person, **data),
        done="We have told your facilitator. They will be in touch to do it with you.",
        next_url=reverse("people:mine") + "#story",
        context={
            "title": "Ask my facilitator to help with my story",
            "intro": (
                "Your facilitator can sit with you and write down your story or your journey, "
                "or change it, in your words. Nothing changes until you have done it together."
            ),
            "button": "Ask for help",
            "breadcrumbs": [*trail, ("Ask for help", None)],
        },
    )


@roles_required(Role.FACILITATOR)
@require_POST
def story_help_done(request, person_pk, help_pk):
    person, _ = person_for(request, person_pk, need="can_edit")
    help_request = StoryHelpRequest.objects.filter(person=person, pk=help_pk).first()
    if help_request is None:
        raise Http404("No such request")
    services.story_help_done(actor=request.user, help_request=help_request)
    messages.success(
        request, f"Marked as done: {person.alias}'s request for help with their story."
    )
    return redirect(reverse("people:detail", args=[person.pk]) + "#story")
