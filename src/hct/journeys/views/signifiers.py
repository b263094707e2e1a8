"""Signifiers, SenseMaker-style: the questions a cycle asks every story (set by its
facilitators and the partnership's leads), the person placing their own story (or a named
facilitator with them), and the pattern across many stories, through disclosure control."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hct.core.access import deny, roles_required
from hct.core.formviews import form_page, form_posted
from hct.core.roles import Role
from hct.journeys import selectors, services
from hct.journeys.forms import SignifierForm, SignifyForm
from hct.journeys.views.common import crumbs, story_for
from hct.people.selectors import Access

STAFF = (Role.FACILITATOR, Role.PARTNER, Role.BOARD, Role.ADMIN)
SIGNIFIED_OWN = "Saved. Thank you for saying what your story means to you."
SIGNIFIED_WITH = "Saved: where they placed their story."


def _cycle_for(request, cycle_pk: int):
    cycle, exists = selectors.signifier_cycle(request.user, cycle_pk)
    if cycle is None:
        if not exists:
            raise Http404("No such cycle")
        raise deny(request, "cycle not visible")
    return cycle


def _cycle_crumbs(cycle, *more):
    return [
        ("Home", reverse("core:home")),
        (
            str(cycle),
            reverse("partnership:cycle", args=[cycle.partnership.slug, cycle.number]),
        ),
        *more,
    ]


def _signifier_add(request, cycle):
    def save(data):
        labels = [data["label_a"], data["label_b"], data["label_c"]]
        return services.signifier_add(
            actor=request.user,
            cycle=cycle,
            kind=data["kind"],
            question=data["question"],
            labels=labels,
        )

    return save


@roles_required(STAFF)
def signifier_list(request, cycle_pk):
    """The questions this cycle asks of every story; its facilitators and leads add more."""
    cycle = _cycle_for(request, cycle_pk)
    may_set = selectors.may_set_signifiers(request.user, cycle)
    if request.method == "POST" and not may_set:
        raise deny(request, "may not set signifiers")
    form = SignifierForm(request.POST or None) if may_set else None
    answered = form is not None and form_posted(
        request,
        form,
        save=_signifier_add(request, cycle),
        done="The question has been added. Stories of this cycle can be placed on it now.",
        next_url=reverse("journeys:signifiers", args=[cycle.pk]),
    )
    if answered:
        return answered
    crumb = ("Questions about what stories mean", None)
    return render(
        request,
        "journeys/signifiers.html",
        {"cycle": cycle, "signifiers": selectors.signifiers_of(cycle), "form": form}
        | {"may_set": may_set, "breadcrumbs": _cycle_crumbs(cycle, crumb)},
    )


@roles_required(STAFF)
@require_POST
def signifier_remove(request, cycle_pk, pk):
    cycle = _cycle_for(request, cycle_pk)
    signifier = selectors.signifier_of(cycle, pk)
    if signifier is None:
        raise Http404("No such question")
    try:
        services.signifier_remove(actor=request.user, signifier=signifier)
    except ValidationError:
        raise deny(request, "may not set signifiers") from None
    messages.success(request, f"Removed the question “{signifier.question}” and its answers.")
    return redirect("journeys:signifiers", cycle_pk=cycle.pk)


@roles_required(Role.FACILITATOR, Role.COMMUNITY)
def story_signify(request, pk):
    """The person places their own story on the cycle's questions (or a named facilitator
    does it with them): the same page and the same service for both."""
    story, access = story_for(request, pk, need="writes_story")
    own = access is Access.OWN
    signifiers = selectors.signifiers_for_story(story)
    form = SignifyForm(
        request.POST or None,
        signifiers=signifiers,
        field_name=services.field_name,
        answered=selectors.significations_of(story),
    )
    return form_page(
        request,
        form,
        save=lambda data: services.story_signify(
            actor=request.user, story=story, signifiers=signifiers, answers=data
        ),
        done=SIGNIFIED_OWN if own else SIGNIFIED_WITH,
        next_url=reverse("journeys:story", args=[story.pk]),
        template="journeys/story_signify.html",
        context=_signify_context(request, story, own, signifiers),
    )


def _signify_context(request, story, own: bool, signifiers) -> dict:
    title = "What my story means to me" if own else "What the story means to them"
    story_crumb = (story.title or "My story", reverse("journeys:story", args=[story.pk]))
    return {
        "title": title,
        "story": story,
        "own": own,
        "signifiers": signifiers,
        "breadcrumbs": crumbs(request, story.person, story_crumb, (title, None)),
    }


@roles_required(STAFF)
def signifier_patterns(request, cycle_pk):
    """Across the cycle's stories: where people placed them, in counts that pass disclosure
    control, as a picture with a table beside it."""
    cycle = _cycle_for(request, cycle_pk)
    return render(
        request,
        "journeys/signifier_patterns.html",
        {
            "cycle": cycle,
            "patterns": selectors.signifier_patterns(cycle),
            "breadcrumbs": _cycle_crumbs(cycle, ("What stories mean, across the cycle", None)),
        },
    )
