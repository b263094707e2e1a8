"""Big Conversations for a community member, on their own pages: the ones they are invited to
and the ones open to their neighbourhood; saying yes or no, signing up or joining the waiting
list, the calendar file and the code for the door, and giving a place up (issue 13, item 5).

Every URL names a conversation only: the person is always the signed-in member's own record,
so no URL can reach anyone else's place. The writes are the services the facilitator's pages
use (`participant_reply`), and `participant_register` for signing oneself up.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hct.conversations import selectors, services
from hct.conversations.models import Participant
from hct.conversations.views.common import ics_response
from hct.core.access import deny, roles_required
from hct.core.roles import Role
from hct.people.models import Person
from hct.people.selectors import person_for_user

TITLE = "Big Conversations"
DONE = {
    Participant.Reply.COMING: "You have a place. Your code for the door is {code}.",
    Participant.Reply.WAITING: "The room is full, so you are on the waiting list. "
    "If someone gives up their place, it is yours and we show it here.",
    Participant.Reply.NOT_COMING: "You have given up your place. Thank you for telling us.",
}


def _trail(*more):
    return [("Home", reverse("core:home")), (TITLE, reverse("conversations:mine")), *more]


def _my_place(request, pk: int) -> tuple[selectors.MyPlace, Person]:
    """The conversation as this member sees it, if it is theirs to see (403 otherwise)."""
    person = person_for_user(request.user)
    place = selectors.my_place(person, pk) if person is not None else None
    if place is None or person is None:
        raise deny(request, "conversation not open to this member")
    return place, person


@roles_required(Role.COMMUNITY)
def mine(request):
    person = person_for_user(request.user)
    return render(
        request,
        "conversations/mine.html",
        {
            "person": person,
            **selectors.my_conversations(person),
            "breadcrumbs": [("Home", reverse("core:home")), (TITLE, None)],
        },
    )


@roles_required(Role.COMMUNITY)
def mine_detail(request, pk):
    place, _ = _my_place(request, pk)
    return render(
        request,
        "conversations/mine_detail.html",
        {
            "place": place,
            "conversation": place.conversation,
            "participant": place.participant,
            "breadcrumbs": _trail((str(place.conversation), None)),
        },
    )


def _done(request, pk, participant: Participant):
    messages.success(
        request, DONE[Participant.Reply(participant.reply)].format(code=participant.code)
    )
    return redirect("conversations:mine-detail", pk=pk)


@roles_required(Role.COMMUNITY)
@require_POST
def mine_register(request, pk):
    place, person = _my_place(request, pk)
    try:
        participant = services.participant_register(
            actor=request.user, conversation=place.conversation, person=person
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("conversations:mine-detail", pk=pk)
    return _done(request, pk, participant)


@roles_required(Role.COMMUNITY)
@require_POST
def mine_reply(request, pk):
    """Yes or no to an invitation, and giving a place up: the facilitator's reply service."""
    place, _ = _my_place(request, pk)
    if place.participant is None:
        messages.error(request, "You are not on the list for this conversation yet.")
        return redirect("conversations:mine-detail", pk=pk)
    try:
        participant = services.participant_reply(
            actor=request.user,
            participant=place.participant,
            coming=request.POST.get("reply") == "coming",
        )
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("conversations:mine-detail", pk=pk)
    return _done(request, pk, participant)


@roles_required(Role.COMMUNITY)
def mine_ics(request, pk):
    place, _ = _my_place(request, pk)
    return ics_response(
        request,
        place.conversation,
        back=reverse("conversations:mine-detail", args=[pk]),
        breadcrumbs=_trail(
            (str(place.conversation), reverse("conversations:mine-detail", args=[pk])),
            ("Calendar", None),
        ),
    )
