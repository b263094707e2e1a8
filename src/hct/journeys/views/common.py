"""What the journeys pages share: finding a journey or story the user may see, breadcrumbs."""

from django.http import Http404
from django.urls import reverse

from hct.core.access import deny
from hct.core.roles import Role
from hct.journeys import selectors
from hct.journeys.models import Journey, Story
from hct.people.selectors import Access, person_access


def journey_for(request, pk: int, *, need: str = "sees_person") -> tuple[Journey, Access]:
    """The journey, if this user may see its person in the way `need` says; else 404 or 403."""
    try:
        journey = selectors.journey_get(pk)
    except Journey.DoesNotExist:
        raise Http404("No such journey") from None
    access = person_access(request.user, journey.person)
    if not getattr(access, need):
        raise deny(request, f"journey not visible ({need})")
    return journey, access


def story_for(request, pk: int, *, need: str = "sees_story") -> tuple[Story, Access]:
    try:
        story = selectors.story_get(pk)
    except Story.DoesNotExist:
        raise Http404("No such story") from None
    access = person_access(request.user, story.person)
    if not getattr(access, need):
        raise deny(request, f"story not visible ({need})")
    return story, access


def crumbs(request, person, *more):
    if request.user.role == Role.FACILITATOR:
        start = [
            ("Home", reverse("core:home")),
            ("People", reverse("people:list")),
            (person.alias, reverse("people:detail", args=[person.pk])),
        ]
    elif request.user.role == Role.COMMUNITY:
        start = [("Home", reverse("core:home")), ("My record", reverse("people:mine"))]
    else:
        start = [("Home", reverse("core:home")), ("Journeys", reverse("journeys:list"))]
    return [*start, *more]
