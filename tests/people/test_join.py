"""Joining from an invitation (issue 13, item 1; issue 14, item 4): the code or the link, a
username and password under the usual rules, a welcome page, and a recorded person's account
tied to their record only when they say yes."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from hct.core.models import AuditEvent
from hct.core.roles import Role
from hct.partnership import codes
from hct.partnership.models import Invitation, Membership
from hct.partnership.services import ERROR_INVITATION_UNKNOWN, invitation_create
from hct.people import services
from hct.people.models import Person

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "tea at the community centre"


def _invite(demo, role=Role.COMMUNITY, **extra):
    actor = demo.users["facilitator" if role == Role.COMMUNITY else "board"]
    return invitation_create(
        actor=actor, partnership=demo.partnership, role=role, invitee="Newcomer", **extra
    )


def _person(demo):
    return services.person_create(
        actor=demo.users["facilitator"],
        alias="Robin (not their real name)",
        home_lsoa=demo.first_neighbourhood.lsoas.order_by("code").first(),
    )


def _details(client, **data):
    return client.post(
        reverse("people:join-details"),
        {"username": "newcomer", "password": PASSWORD, "password_again": PASSWORD, **data},
    )


def test_someone_types_their_code_chooses_a_password_and_is_welcomed(demo):
    issued = _invite(demo, role=Role.FACILITATOR, partner=demo.partnership.partners.first())
    client = Client()
    typed = codes.code_display(issued.code).lower().replace("-", " ")
    response = client.post(reverse("people:join"), {"code": typed})
    assert response["Location"] == reverse("people:join-details")
    response = _details(client, first_name="Priya")
    assert response["Location"] == reverse("people:welcome")
    welcome = client.get(response["Location"])
    assert welcome.status_code == 200
    assert "Welcome, Priya" in welcome.content.decode()
    user = User.objects.get(username="newcomer")
    assert user.role == Role.FACILITATOR and user.check_password(PASSWORD)
    assert Membership.objects.filter(user=user, partnership=demo.partnership).exists()
    assert AuditEvent.objects.filter(verb="invitation.accept", actor=user)


def test_the_link_goes_straight_to_choosing_a_password_and_works_once(demo):
    issued = _invite(demo)
    client = Client()
    link = reverse("people:join-link", args=[issued.token])
    assert client.get(link)["Location"] == reverse("people:join-details")
    assert _details(client).status_code == 302
    again = Client().get(link)
    assert again.status_code == 200
    assert "already been used" in again.content.decode()


def test_a_bad_code_is_refused_on_the_field_and_too_many_lock_the_page(demo):
    client = Client()
    response = client.post(reverse("people:join"), {"code": "KQ7M-4TX0"})
    assert response.context["form"].errors["code"] == [codes.ERROR_CODE_CHARACTERS]
    response = client.post(reverse("people:join"), {"code": codes.code_new()})
    assert response.context["form"].errors["code"] == [ERROR_INVITATION_UNKNOWN]
    for _ in range(3):
        client.post(reverse("people:join"), {"code": codes.code_new()})
    # Five wrong codes from one address: even the right one waits (the sign-in lockout's rule).
    issued = _invite(demo)
    response = client.post(reverse("people:join"), {"code": issued.code})
    assert response.status_code == 429
    assert not User.objects.filter(username="newcomer").exists()


def test_a_weak_password_or_a_taken_username_is_refused_and_nothing_is_saved(demo):
    issued = _invite(demo)
    client = Client()
    client.post(reverse("people:join"), {"code": issued.code})
    response = _details(client, password="password", password_again="password")
    assert response.status_code == 200
    assert response.context["form"].errors["password"]
    response = _details(client, username="sam")
    assert response.context["form"].errors["username"]
    response = _details(client, password_again="something else entirely")
    assert response.context["form"].errors["password_again"]
    issued.invitation.refresh_from_db()
    assert issued.invitation.accepted_at is None
    assert not User.objects.filter(username="newcomer").exists()


def test_a_recorded_person_is_linked_to_their_record_only_if_they_tick_yes(demo, client_for):
    robin = _person(demo)
    client = client_for(Role.FACILITATOR)
    response = client.post(reverse("people:invite", args=[robin.pk]), {"days": 14}, follow=True)
    code = response.context["code"]
    assert code
    # Without the tick: an account, and the record stays the facilitator's alone.
    joiner = Client()
    joiner.post(reverse("people:join"), {"code": code})
    page = joiner.get(reverse("people:join-details"))
    assert "link_record" in page.context["form"].fields
    assert _details(joiner).status_code == 302
    robin.refresh_from_db()
    assert robin.user is None
    # A second invitation, this time with the tick.
    issued = services.person_invite(actor=demo.users["facilitator"], person=robin)
    other = Client()
    other.post(reverse("people:join"), {"code": issued.code})
    assert _details(other, username="robin", link_record="on").status_code == 302
    robin.refresh_from_db()
    assert robin.user.username == "robin"
    assert AuditEvent.objects.filter(verb="person.account_link", subject_id=str(robin.pk))
    assert other.get(reverse("people:mine")).context["person"] == robin


def test_a_person_with_an_account_is_not_invited_again_and_only_their_facilitator_invites(demo):
    with pytest.raises(ValidationError):
        services.person_invite(actor=demo.users["facilitator"], person=demo.sam)
    robin = _person(demo)
    with pytest.raises(PermissionDenied):
        services.person_invite(actor=demo.users["partner"], person=robin)
    assert not Invitation.objects.filter(invitee=robin.alias).exists()
    assert Person.objects.get(pk=robin.pk).user is None
