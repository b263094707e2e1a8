"""What Big Conversations hold about a person (their places on conversations' lists): their part
of the person page and of their right-of-access export. The places go with the person (a
cascade) on erasure."""

from django.template.loader import render_to_string

from hct.conversations.models import Participant
from hct.people.registry import PersonData, register
from hct.people.selectors import Access


def places_of(person):
    return (
        Participant.objects.filter(person=person)
        .select_related("conversation")
        .order_by("-conversation__date", "pk")
    )


def section(request, person, access: Access) -> str:
    # Where someone is going is for them and their facilitators, not for partners.
    if access not in (Access.NAMED, Access.SCOPE, Access.OWN):
        return ""
    context = {"person": person, "access": access, "places": list(places_of(person))}
    return render_to_string("conversations/_person_section.html", context, request=request)


def export(person) -> list[dict]:
    return [
        {
            "conversation": str(place.conversation),
            "date": place.conversation.date.isoformat(),
            "invited": place.invited,
            "reply": place.reply,
            "code": place.code,
            "came": place.attended_at is not None,
        }
        for place in places_of(person)
    ]


def register_person_data() -> None:
    register(PersonData(key="big_conversations", order=55, export=export, section=section))
