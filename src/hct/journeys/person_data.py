"""What journeys hold about a person: their part of the person page and of the person's
right-of-access export (registered with `hct.people.registry`)."""

from django.template.loader import render_to_string

from hct.journeys import selectors
from hct.journeys.exchange import export_documents
from hct.journeys.models import Journey
from hct.people.registry import PersonData, register
from hct.people.selectors import Access


def section(request, person, access: Access) -> str:
    if not access.sees_person:
        return ""
    journeys = selectors.journey_list(Journey.objects.filter(person=person))
    context = {
        "person": person,
        "access": access,
        "journeys": list(journeys),
        "stories": selectors.stories_of(person) if access.sees_story else [],
        "quotes": selectors.shared_quotes(person) if access is Access.SHARED else [],
        "help_requests": selectors.story_help_open(person) if access.writes_story else [],
    }
    return render_to_string("journeys/_person_section.html", context, request=request)


def export(person) -> dict:
    return {
        "stories": [
            {
                "title": story.title,
                "text": story.text,
                "told_on": story.told_on.isoformat() if story.told_on else None,
                "quotes": [
                    {"text": q.text, "agreed_on": q.agreed_on.isoformat()}
                    for q in story.quotes.all()
                ],
            }
            for story in selectors.stories_of(person)
        ],
        "journeys": export_documents(
            Journey.objects.filter(person=person), sees_private=lambda journey: True
        ),
    }


def register_person_data() -> None:
    register(PersonData(key="stories_and_journeys", order=20, export=export, section=section))
