"""The journey page, and recording a journey quickly. With htmx the journey body is swapped in
place (focus and an announcement follow); without JavaScript every control is a plain form post.
"""

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hct.core.access import roles_required
from hct.core.forms import add_service_errors
from hct.core.formviews import form_page
from hct.core.roles import Role
from hct.journeys import analysis, selectors, services
from hct.journeys.forms import GapForm, JourneyForm, MoveForm, TouchpointForm
from hct.journeys.models import Felt, Gap, Journey, Touchpoint
from hct.journeys.timeline import timeline
from hct.journeys.views.common import crumbs, journey_for
from hct.people.access import person_for
from hct.people.selectors import Access
from hct.systemmap.selectors import actors_for_person

VIEWERS = (Role.FACILITATOR, Role.PARTNER, Role.COMMUNITY)
# A named facilitator with the person, or the person themselves: the same views and services.
WRITERS = (Role.FACILITATOR, Role.COMMUNITY)


# Lists


@roles_required(VIEWERS)
def journey_list(request):
    journeys = selectors.journey_list(selectors.journeys_visible(request.user))
    page = Paginator(journeys, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "journeys/journey_list.html",
        {
            "page": page,
            "can_import": request.user.role == Role.FACILITATOR,
            "breadcrumbs": [("Home", reverse("core:home")), ("Journeys", None)],
        },
    )


# The journey page and quick recording


def _body_context(journey: Journey, access: Access, **forms) -> dict:
    touchpoints, gaps = selectors.journey_detail(journey)
    sees_private = access.sees_private_names
    rows: list[dict[str, Any]] = [
        {
            "touchpoint": t,
            "actor": t.actor.label_for(sees_private),
            "sector": t.actor.get_sector_display(),
            "gaps_after": [g for g in gaps if g.before_id == t.pk],
        }
        for t in touchpoints
    ]
    context = {
        "journey": journey,
        "person": journey.person,
        "access": access,
        "rows": rows,
        "gaps": [
            {
                "gap": g,
                "before": g.before,
                "after": g.after,
                "before_actor": g.before.actor.label_for(sees_private),
                "after_actor": g.after.actor.label_for(sees_private),
            }
            for g in gaps
        ],
        "helped": [r for r in rows if r["touchpoint"].felt == Felt.HELPED],
        "hindered": [r for r in rows if r["touchpoint"].felt == Felt.HINDERED],
        "timeline": timeline(touchpoints, gaps, sees_private=sees_private),
        "figures": analysis.present(
            analysis.gap_analysis(Journey.objects.filter(pk=journey.pk)), suppressed=False
        ),
    }
    if access.writes_story:
        context["touchpoint_form"] = forms.get("touchpoint_form") or TouchpointForm(
            actors=actors_for_person(journey.person), prefix_ids="touchpoint"
        )
        context["gap_form"] = forms.get("gap_form") or GapForm(touchpoints=touchpoints)
        context["form"] = forms.get("touchpoint_form") or forms.get("gap_form") or forms.get("form")
    return context


@roles_required(VIEWERS)
def journey_detail(request, pk):
    journey, access = journey_for(request, pk)
    return render(
        request,
        "journeys/journey_detail.html",
        {
            **_body_context(journey, access),
            "stories": selectors.stories_of(journey.person) if access.sees_story else [],
            "breadcrumbs": crumbs(request, journey.person, (journey.title, None)),
        },
    )


def _after_edit(request, journey, access, *, done: str = "", focus: str = "", **forms):
    """Answer an edit: htmx gets the journey body back (with focus and an announcement);
    without JavaScript, success redirects to the page and a problem re-renders it."""
    failed = any(form is not None and form.errors for form in forms.values())
    if request.htmx:
        response = render(
            request, "journeys/_journey_body.html", _body_context(journey, access, **forms)
        )
        response["HX-Trigger-After-Settle"] = json.dumps(
            {
                "hct-journey": {
                    "target": "body",
                    "announce": "There is a problem: see the error summary" if failed else done,
                    "focus": "journey-error-summary" if failed else focus,
                }
            }
        )
        return response
    if failed:
        return render(
            request,
            "journeys/journey_detail.html",
            {
                **_body_context(journey, access, **forms),
                "stories": selectors.stories_of(journey.person),
                "breadcrumbs": crumbs(request, journey.person, (journey.title, None)),
            },
        )
    if done:
        messages.success(request, done)
    return redirect(reverse("journeys:detail", args=[journey.pk]) + "#journey-editor")


@roles_required(WRITERS)
def journey_create(request, person_pk):
    person, access = person_for(request, person_pk, need="writes_story")
    own = access is Access.OWN
    return form_page(
        request,
        JourneyForm(request.POST or None),
        save=lambda data: services.journey_create(actor=request.user, person=person, **data),
        done="The journey has started. Add its touchpoints below.",
        next_url=lambda journey: reverse("journeys:detail", args=[journey.pk]) + "#journey-editor",
        context={
            "title": "Start a journey",
            "caption": "My journey" if own else person.alias,
            "intro": (
                "Your journey is the times you met people and services, in order, and where "
                "things went wrong between them. You can add them one at a time."
                if own
                else "A journey is the touchpoints of someone's life with the system, in time "
                "order, and the gaps between them."
            ),
            "button": "Start the journey",
            "breadcrumbs": crumbs(request, person, ("Start a journey", None)),
        },
    )


@roles_required(WRITERS)
@require_POST
def touchpoint_add(request, pk):
    journey, access = journey_for(request, pk, need="writes_story")
    form = TouchpointForm(
        request.POST, actors=actors_for_person(journey.person), prefix_ids="touchpoint"
    )
    if form.is_valid():
        try:
            touchpoint = services.touchpoint_add(
                actor=request.user, journey=journey, **form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _after_edit(
                request,
                journey,
                access,
                done=f"Touchpoint added at number {touchpoint.position}: {services.describe(touchpoint)} ({touchpoint.when})",
                focus="touchpoint-when",
            )
    return _after_edit(request, journey, access, touchpoint_form=form)


def _touchpoint(journey: Journey, pk: int) -> Touchpoint:
    touchpoint = (
        Touchpoint.objects.select_related("actor", "journey__person")
        .filter(journey=journey, pk=pk)
        .first()
    )
    if touchpoint is None:
        raise Http404("No such touchpoint")
    return touchpoint


@roles_required(WRITERS)
@require_POST
def touchpoint_move(request, pk, touchpoint_pk):
    journey, access = journey_for(request, pk, need="writes_story")
    touchpoint = _touchpoint(journey, touchpoint_pk)
    form = MoveForm(request.POST)
    direction = form.cleaned_data["direction"] if form.is_valid() else "down"
    try:
        services.touchpoint_move(actor=request.user, touchpoint=touchpoint, direction=direction)
    except ValidationError as error:
        add_service_errors(form, error)
        return _after_edit(request, journey, access, form=form)
    touchpoint.refresh_from_db(fields=["position"])
    count = journey.touchpoints.count()
    focus = f"move-{direction}-{touchpoint.pk}"
    if (direction == "up" and touchpoint.position == 1) or (
        direction == "down" and touchpoint.position == count
    ):
        focus = f"move-{'down' if direction == 'up' else 'up'}-{touchpoint.pk}"
    return _after_edit(
        request,
        journey,
        access,
        done=f"Moved {direction}: {services.describe(touchpoint)} is now number {touchpoint.position} of {count}",
        focus=focus,
    )


@roles_required(WRITERS)
def touchpoint_edit(request, pk, touchpoint_pk):
    journey, _ = journey_for(request, pk, need="writes_story")
    touchpoint = _touchpoint(journey, touchpoint_pk)
    form = TouchpointForm(
        request.POST or None,
        actors=actors_for_person(journey.person),
        initial={
            "when": touchpoint.when,
            "who": touchpoint.actor_id,
            "what": touchpoint.what,
            "felt": touchpoint.felt,
            "note": touchpoint.note,
        },
    )
    return form_page(
        request,
        form,
        save=lambda data: services.touchpoint_update(
            actor=request.user, touchpoint=touchpoint, **data
        ),
        done="The touchpoint has been changed.",
        next_url=reverse("journeys:detail", args=[journey.pk]) + "#journey-editor",
        context={
            "title": f"Change touchpoint {touchpoint.position}",
            "caption": journey.title,
            "button": "Save touchpoint",
            "breadcrumbs": crumbs(
                request,
                journey.person,
                (journey.title, reverse("journeys:detail", args=[journey.pk])),
                (f"Touchpoint {touchpoint.position}", None),
            ),
        },
    )


@roles_required(WRITERS)
@require_POST
def touchpoint_remove(request, pk, touchpoint_pk):
    journey, access = journey_for(request, pk, need="writes_story")
    touchpoint = _touchpoint(journey, touchpoint_pk)
    described = services.describe(touchpoint)
    services.touchpoint_remove(actor=request.user, touchpoint=touchpoint)
    return _after_edit(
        request, journey, access, done=f"Removed: {described}", focus="touchpoint-when"
    )


@roles_required(WRITERS)
@require_POST
def gap_add(request, pk):
    journey, access = journey_for(request, pk, need="writes_story")
    touchpoints = list(journey.touchpoints.select_related("actor").order_by("position"))
    form = GapForm(request.POST, touchpoints=touchpoints)
    if form.is_valid():
        by_id = {t.pk: t for t in touchpoints}
        try:
            gap = services.gap_add(
                actor=request.user,
                journey=journey,
                before=by_id[form.cleaned_data["before"]],
                after=by_id[form.cleaned_data["after"]],
                kind=form.cleaned_data["kind"],
                note=form.cleaned_data["note"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _after_edit(
                request,
                journey,
                access,
                done=f"Gap recorded: {gap.get_kind_display()}, between {gap.before.position} and {gap.after.position}",
                focus="gap-before",
            )
    return _after_edit(request, journey, access, gap_form=form)


@roles_required(WRITERS)
@require_POST
def gap_remove(request, pk, gap_pk):
    journey, access = journey_for(request, pk, need="writes_story")
    gap = Gap.objects.filter(journey=journey, pk=gap_pk).first()
    if gap is None:
        raise Http404("No such gap")
    label = gap.get_kind_display()
    services.gap_remove(actor=request.user, gap=gap)
    return _after_edit(request, journey, access, done=f"Gap removed: {label}", focus="gap-before")
