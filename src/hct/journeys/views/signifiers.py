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
from hct.journeys import patterns, selectors, services
from hct.journeys.forms import SignifierForm, SignifyForm
from hct.journeys.models import Signifier
from hct.journeys.views.common import crumbs, story_for
from hct.partnership.models import Cycle
from hct.partnership.selectors import cycles_visible
from hct.people.selectors import Access
from hct.places.models import Neighbourhood

STAFF = (Role.FACILITATOR, Role.PARTNER, Role.BOARD, Role.ADMIN)


def _cycle_for(request, cycle_pk: int) -> Cycle:
    cycle = (
        cycles_visible(request.user)
        .select_related("partnership", "neighbourhood")
        .filter(pk=cycle_pk)
        .first()
    )
    if cycle is None:
        if not Cycle.objects.filter(pk=cycle_pk).exists():
            raise Http404("No such cycle")
        raise deny(request, "cycle not visible")
    return cycle


def _cycle_crumbs(cycle: Cycle, *more):
    return [
        ("Home", reverse("core:home")),
        (
            str(cycle),
            reverse("partnership:cycle", args=[cycle.partnership.slug, cycle.number]),
        ),
        *more,
    ]


@roles_required(STAFF)
def signifier_list(request, cycle_pk):
    """The questions this cycle asks of every story; its facilitators and leads add more."""
    cycle = _cycle_for(request, cycle_pk)
    may_set = selectors.may_set_signifiers(request.user, cycle)
    form = SignifierForm(request.POST or None) if may_set else None
    if request.method == "POST" and not may_set:
        raise deny(request, "may not set signifiers")
    if form is not None:
        answered = form_posted(
            request,
            form,
            save=lambda data: services.signifier_add(
                actor=request.user,
                cycle=cycle,
                kind=data["kind"],
                question=data["question"],
                labels=[data["label_a"], data["label_b"], data["label_c"]],
            ),
            done="The question has been added. Stories of this cycle can be placed on it now.",
            next_url=reverse("journeys:signifiers", args=[cycle.pk]),
        )
        if answered:
            return answered
    return render(
        request,
        "journeys/signifiers.html",
        {
            "cycle": cycle,
            "signifiers": selectors.signifiers_of(cycle),
            "form": form,
            "may_set": may_set,
            "breadcrumbs": _cycle_crumbs(cycle, ("Questions about what stories mean", None)),
        },
    )


@roles_required(STAFF)
@require_POST
def signifier_remove(request, cycle_pk, pk):
    cycle = _cycle_for(request, cycle_pk)
    signifier = Signifier.objects.filter(cycle=cycle, pk=pk).first()
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
    answered = selectors.significations_of(story)
    initial = {}
    for signifier in signifiers:
        answer = answered.get(signifier.pk)
        if answer is None:
            continue
        if signifier.kind == Signifier.Kind.TRIAD:
            for corner, value in enumerate((answer.corner_a, answer.corner_b, answer.corner_c)):
                initial[services.field_name(signifier, corner)] = f"{(value or 0) / 100:g}"
        else:
            initial[services.field_name(signifier)] = f"{(answer.slider or 0) / 10:g}"
    form = SignifyForm(
        request.POST or None,
        signifiers=signifiers,
        field_name=services.field_name,
        initial=initial,
    )
    title = "What my story means to me" if own else "What the story means to them"
    return form_page(
        request,
        form,
        save=lambda data: services.story_signify(
            actor=request.user, story=story, signifiers=signifiers, answers=data
        ),
        done="Saved. Thank you for saying what your story means to you."
        if own
        else "Saved: where they placed their story.",
        next_url=reverse("journeys:story", args=[story.pk]),
        template="journeys/story_signify.html",
        context={
            "title": title,
            "story": story,
            "own": own,
            "signifiers": signifiers,
            "breadcrumbs": crumbs(
                request,
                story.person,
                (story.title or "My story", reverse("journeys:story", args=[story.pk])),
                (title, None),
            ),
        },
    )


@roles_required(STAFF)
def signifier_patterns(request, cycle_pk):
    """Across the cycle's stories: where people placed them, in counts that pass disclosure
    control, as a picture with a table beside it."""
    cycle = _cycle_for(request, cycle_pk)
    stories = selectors.stories_in(Neighbourhood.objects.filter(pk=cycle.neighbourhood_id))
    shown = []
    for signifier in selectors.signifiers_of(cycle):
        answers = selectors.signifier_answers(signifier, stories)
        if signifier.kind == Signifier.Kind.TRIAD:
            shown.append(patterns.triad_pattern(signifier, answers))
        else:
            shown.append(patterns.dyad_pattern(signifier, [a[0] for a in answers]))
    return render(
        request,
        "journeys/signifier_patterns.html",
        {
            "cycle": cycle,
            "patterns": shown,
            "breadcrumbs": _cycle_crumbs(cycle, ("What stories mean, across the cycle", None)),
        },
    )
