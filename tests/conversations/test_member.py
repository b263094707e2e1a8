"""Big Conversations for a community member (issue 13, item 5): the services once, reached from
both the facilitator's and the member's pages, and the role matrix of the member's own pages:
a member reaches only their own places, whichever conversation's id they try."""

import datetime as dt
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from hct.conversations import selectors, services
from hct.conversations.models import AttendeeSector, Participant
from hct.core.models import AuditEvent
from hct.core.roles import Role
from hct.core.services import user_create
from hct.people.services import person_create
from tests.people.helpers import signed_in

pytestmark = pytest.mark.django_db

COMING, WAITING, NOT_COMING, NONE = (
    Participant.Reply.COMING,
    Participant.Reply.WAITING,
    Participant.Reply.NOT_COMING,
    Participant.Reply.NONE,
)


@pytest.fixture
def jo(demo):
    return demo.users["facilitator"]


def _soon(days: int = 14) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


@pytest.fixture
def open_one(demo, jo):
    """A conversation still to come, open to the first neighbourhood, with one place."""
    return services.conversation_create(
        actor=jo,
        cycle=demo.first_cycle,
        number=5,
        title="What happened next",
        purpose="Back together to see what changed",
        venue="St Mary's church hall",
        date=_soon(),
        starts_at=dt.time(18),
        places=1,
        open_to_neighbourhood=True,
    )


@pytest.fixture
def closed_one(demo, jo):
    """A conversation still to come that only those invited may come to."""
    return services.conversation_create(
        actor=jo,
        cycle=demo.first_cycle,
        number=6,
        purpose="For those invited",
        date=_soon(21),
        starts_at=dt.time(18),
    )


def _member(jo, demo, username: str, *, elsewhere: bool = False):
    """Another community member with an account and a record, living in the first
    neighbourhood (or in one with no cycle)."""
    where = demo.other_neighbourhood if elsewhere else demo.first_neighbourhood
    user = user_create(
        actor=None, username=username, password="a-long-enough-password-1", role=Role.COMMUNITY
    )
    person = person_create(
        actor=jo, alias=username.title(), home_lsoa=where.lsoas.first(), user=user
    )
    return user, person


@pytest.fixture
def lynne(jo, demo):
    return _member(jo, demo, "lynne")


@pytest.fixture
def sam_client(client_for):
    return client_for(Role.COMMUNITY)


# The services, once --------------------------------------------------------------------------


def test_signing_up_takes_a_place_once_and_a_second_time_saves_nothing(demo, open_one):
    sam = demo.sam
    participant = services.participant_register(
        actor=demo.users["sam"], conversation=open_one, person=sam
    )
    assert (participant.reply, participant.person, participant.invited) == (COMING, sam, False)
    assert participant.sector == AttendeeSector.COMMUNITY_MEMBER
    assert len(participant.code) == 6
    event = AuditEvent.objects.filter(verb="conversation.register").latest("id")
    assert event.details == {"conversation": open_one.pk, "reply": COMING}

    events = AuditEvent.objects.count()
    with pytest.raises(ValidationError, match="already signed up"):
        services.participant_register(actor=demo.users["sam"], conversation=open_one, person=sam)
    assert open_one.participants.count() == 1
    assert AuditEvent.objects.count() == events


def test_a_full_room_means_the_waiting_list_and_a_cancellation_moves_it_up(demo, open_one, lynne):
    lynne_user, lynne_person = lynne
    first = services.participant_register(
        actor=lynne_user, conversation=open_one, person=lynne_person
    )
    second = services.participant_register(
        actor=demo.users["sam"], conversation=open_one, person=demo.sam
    )
    assert (first.reply, second.reply) == (COMING, WAITING)
    with pytest.raises(ValidationError, match="already on the waiting list"):
        services.participant_register(
            actor=demo.users["sam"], conversation=open_one, person=demo.sam
        )

    services.participant_reply(actor=lynne_user, participant=first, coming=False)
    second.refresh_from_db()
    first.refresh_from_db()
    assert (first.reply, second.reply) == (NOT_COMING, COMING)
    # Coming back after giving the place up is the same place again, not a second one.
    again = services.participant_register(
        actor=lynne_user, conversation=open_one, person=lynne_person
    )
    assert (again.pk, again.reply) == (first.pk, WAITING)


def test_only_those_invited_or_living_there_may_sign_up(demo, jo, open_one, closed_one):
    with pytest.raises(ValidationError, match="not open for you"):
        services.participant_register(
            actor=demo.users["sam"], conversation=closed_one, person=demo.sam
        )
    _, far = _member(jo, demo, "farah", elsewhere=True)
    with pytest.raises(ValidationError, match="not open for you"):
        services.participant_register(actor=far.user, conversation=open_one, person=far)
    # Invited by name on the record, Sam may answer a closed one.
    services.participant_invite(
        actor=jo, conversation=closed_one, name="", sector="community_member", person=demo.sam
    )
    assert (
        services.participant_register(
            actor=demo.users["sam"], conversation=closed_one, person=demo.sam
        ).reply
        == COMING
    )
    assert not open_one.participants.exists()


def test_a_member_cannot_change_their_place_after_the_day(demo, jo):
    # Sam is invited to the demo's first conversation, which has happened.
    past = demo.conversation
    mine = past.participants.get(person=demo.sam)
    with pytest.raises(ValidationError, match="already happened"):
        services.participant_reply(actor=demo.users["sam"], participant=mine, coming=False)
    mine.refresh_from_db()
    assert mine.reply == COMING
    # A facilitator may still record a reply from a paper list after the day.
    services.participant_reply(actor=jo, participant=mine, coming=False)
    mine.refresh_from_db()
    assert mine.reply == NOT_COMING


def test_the_same_record_cannot_be_invited_twice(demo, jo, closed_one):
    first = services.participant_invite(
        actor=jo, conversation=closed_one, name="", sector="community_member", person=demo.sam
    )
    assert (first.name, first.person) == (demo.sam.alias, demo.sam)
    with pytest.raises(ValidationError, match="already on the list"):
        services.participant_invite(
            actor=jo,
            conversation=closed_one,
            name="Samuel",
            sector="community_member",
            person=demo.sam,
        )
    # Two different people may share an alias: a name alone is not the record.
    services.participant_invite(
        actor=jo, conversation=closed_one, name=demo.sam.alias, sector="community_member"
    )
    assert closed_one.participants.count() == 2


def test_a_member_sees_theirs_the_open_ones_and_the_past_ones_they_were_on(
    demo, open_one, closed_one
):
    seen = selectors.my_conversations(demo.sam)
    assert [p.conversation for p in seen["open"]] == [open_one]
    assert seen["mine"] == []
    assert demo.conversation in [p.conversation for p in seen["past"]]
    assert closed_one not in [p.conversation for p in seen["open"] + seen["mine"]]
    assert selectors.my_conversations(None) == {"mine": [], "open": [], "past": []}


# The pages: the same services from the facilitator's and the member's side --------------------


def test_a_facilitator_invites_a_record_and_the_member_answers_it_themselves(
    demo, jo, client_for, sam_client, closed_one
):
    staff = client_for(Role.FACILITATOR)
    url = reverse("conversations:participants", args=[closed_one.pk])
    response = staff.post(url, {"person": demo.sam.pk, "sector": "community_member"})
    assert response.status_code == 302
    invited = closed_one.participants.get()
    assert (invited.person, invited.name, invited.reply) == (demo.sam, demo.sam.alias, NONE)

    page = sam_client.get(reverse("conversations:mine"))
    assert closed_one.purpose not in page.content.decode()  # the list shows titles and dates
    assert reverse("conversations:mine-detail", args=[closed_one.pk]) in page.content.decode()
    detail = sam_client.get(reverse("conversations:mine-detail", args=[closed_one.pk]))
    assert "Yes, I will come" in detail.content.decode()

    answered = sam_client.post(
        reverse("conversations:mine-reply", args=[closed_one.pk]), {"reply": "coming"}, follow=True
    )
    invited.refresh_from_db()
    assert invited.reply == COMING
    assert invited.code in answered.content.decode()
    assert AuditEvent.objects.filter(
        verb="conversation.reply", actor=demo.users["sam"], subject_id=str(invited.pk)
    ).exists()

    # The facilitator's reply button reaches the same service and the same place.
    staff.post(
        reverse("conversations:reply", args=[closed_one.pk, invited.pk]), {"reply": "not_coming"}
    )
    invited.refresh_from_db()
    assert invited.reply == NOT_COMING
    detail = sam_client.get(reverse("conversations:mine-detail", args=[closed_one.pk]))
    assert "I can come after all" in detail.content.decode()


def test_a_member_signs_up_gets_the_calendar_and_gives_the_place_up(
    demo, sam_client, open_one, lynne
):
    lynne_user, lynne_person = lynne
    detail_url = reverse("conversations:mine-detail", args=[open_one.pk])
    assert "Sign me up" in sam_client.get(detail_url).content.decode()

    signed = sam_client.post(reverse("conversations:mine-register", args=[open_one.pk]))
    assert signed.status_code == 302
    mine = open_one.participants.get(person=demo.sam)
    page = sam_client.get(detail_url).content.decode()
    assert mine.code in page and "Your code for the door" in page

    twice = sam_client.post(reverse("conversations:mine-register", args=[open_one.pk]), follow=True)
    assert "already signed up" in twice.content.decode()
    assert open_one.participants.count() == 1

    ics = sam_client.get(reverse("conversations:mine-ics", args=[open_one.pk]))
    assert ics["Content-Type"].startswith("text/calendar")
    assert "SUMMARY:Big Conversation 5: What happened next" in ics.content.decode()

    # Lynne waits; Sam gives his place up and it is hers.
    waiting = services.participant_register(
        actor=lynne_user, conversation=open_one, person=lynne_person
    )
    assert waiting.reply == WAITING
    lynne_page = signed_in(lynne_user).get(detail_url).content.decode()
    assert "On the waiting list (number 1)" in lynne_page
    gave_up = sam_client.post(
        reverse("conversations:mine-reply", args=[open_one.pk]),
        {"reply": "not_coming"},
        follow=True,
    )
    assert "You have given up your place" in gave_up.content.decode()
    waiting.refresh_from_db()
    assert waiting.reply == COMING


def test_the_calendar_without_a_time_says_why(demo, jo, sam_client, open_one):
    services.conversation_update(actor=jo, conversation=open_one, starts_at=None)
    response = sam_client.get(reverse("conversations:mine-ics", args=[open_one.pk]))
    assert response.status_code == 409
    assert reverse("conversations:mine-detail", args=[open_one.pk]) in response.content.decode()


def test_a_title_with_markup_is_shown_as_text(demo, jo, sam_client, open_one):
    services.conversation_update(actor=jo, conversation=open_one, title="<script>alert(1)</script>")
    for name in ("conversations:mine", "conversations:mine-detail"):
        args = [] if name == "conversations:mine" else [open_one.pk]
        body = sam_client.get(reverse(name, args=args)).content.decode()
        assert "<script>alert(1)</script>" not in body
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body


def test_a_facilitator_opens_a_conversation_to_the_neighbourhood(demo, client_for, closed_one):
    staff = client_for(Role.FACILITATOR)
    form = staff.get(reverse("conversations:edit", args=[closed_one.pk])).content.decode()
    assert "may sign themselves up" in form
    data = {
        "number": 6,
        "purpose": closed_one.purpose,
        "date": closed_one.date.strftime("%d/%m/%Y"),
        "starts_at": "18:00",
        "open_to_neighbourhood": "on",
    }
    response = staff.post(reverse("conversations:edit", args=[closed_one.pk]), data)
    assert response.status_code == 302, response.content.decode()[:2000]
    closed_one.refresh_from_db()
    assert closed_one.open_to_neighbourhood
    assert closed_one in [p.conversation for p in selectors.my_conversations(demo.sam)["open"]]


# The role matrix: a member reaches only their own places --------------------------------------

MEMBER_URLS = (
    ("conversations:mine-detail", "get"),
    ("conversations:mine-register", "post"),
    ("conversations:mine-reply", "post"),
    ("conversations:mine-ics", "get"),
)


@pytest.mark.parametrize(("name", "method"), MEMBER_URLS)
def test_another_persons_conversation_is_refused_on_every_member_url(
    demo, jo, name, method, closed_one, open_one
):
    # Sam is on the list of conversation 1 and of `closed_one`; Farah, who lives elsewhere, on
    # neither, and `open_one` is not open to her neighbourhood.
    services.participant_invite(
        actor=jo, conversation=closed_one, name="", sector="community_member", person=demo.sam
    )
    far_user, _ = _member(jo, demo, "farah", elsewhere=True)
    far = signed_in(far_user)
    before = list(Participant.objects.values_list("pk", "reply").order_by("pk"))
    for conversation in (demo.conversation, closed_one, open_one):
        response = getattr(far, method)(
            reverse(name, args=[conversation.pk]), {"reply": "not_coming"}
        )
        assert response.status_code == 403, (name, conversation.pk, response.status_code)
    assert list(Participant.objects.values_list("pk", "reply").order_by("pk")) == before


@pytest.mark.parametrize(("name", "method"), MEMBER_URLS)
def test_a_member_without_a_record_is_refused_and_told_why(demo, name, method, open_one):
    user = user_create(
        actor=None, username="newcomer", password="a-long-enough-password-1", role=Role.COMMUNITY
    )
    client = signed_in(user)
    assert "no record for you" in client.get(reverse("conversations:mine")).content.decode()
    response = getattr(client, method)(reverse(name, args=[open_one.pk]))
    assert response.status_code == 403


def test_my_record_and_my_export_show_my_places(demo, sam_client, client_for):
    page = sam_client.get(reverse("people:mine")).content.decode()
    assert "Big Conversations" in page
    assert reverse("conversations:mine-detail", args=[demo.conversation.pk]) in page
    exported = json.loads(sam_client.get(reverse("people:mine-export")).content)
    places = [p for p in _find(exported, "big_conversations")]
    assert {"conversation": str(demo.conversation), "came": True}.items() <= places[0][0].items()
    # Partners see a person with consent, but not where they are going.
    partner_page = client_for(Role.PARTNER).get(reverse("people:detail", args=[demo.sam.pk]))
    assert 'id="big-conversations"' not in partner_page.content.decode()


def _find(document, key):
    """Every value under `key`, wherever the export puts its sections."""
    if isinstance(document, dict):
        for name, value in document.items():
            if name == key:
                yield value
            else:
                yield from _find(value, key)
    elif isinstance(document, list):
        for value in document:
            yield from _find(value, key)
