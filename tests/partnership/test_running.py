"""Running the partnership from its own pages (issue 14, item 4): organisations, members and
their neighbourhoods, ending a membership, and invitations (the join pages: tests/people)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from hct.core.models import AuditEvent
from hct.core.roles import Role
from hct.core.services import user_create
from hct.partnership import codes, selectors, services
from hct.partnership.models import CharterRevision, Invitation, Membership, PastMembership, Sector
from hct.places.models import Neighbourhood

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough password 42"


def _errors(error: pytest.ExceptionInfo) -> dict:
    return error.value.message_dict


def _staff(username, role=Role.FACILITATOR, email=""):
    return user_create(actor=None, username=username, password=PASSWORD, role=role, email=email)


# Codes ---------------------------------------------------------------------------------------


def test_a_new_code_is_eight_characters_from_the_alphabet_and_reads_in_two_groups():
    code = codes.code_new()
    assert len(code) == 8 and set(code) <= set(codes.ALPHABET)
    assert codes.code_display(code) == f"{code[:4]}-{code[4:]}"
    assert not set("0O1ILU") & set(codes.ALPHABET)


@given(
    code=st.text(alphabet=codes.ALPHABET, min_size=8, max_size=8),
    lower=st.lists(st.booleans(), min_size=8, max_size=8),
    gaps=st.lists(st.sampled_from(["", " ", "-", "  ", " - "]), min_size=9, max_size=9),
)
def test_a_code_comes_back_whatever_the_case_and_spacing(code, lower, gaps):
    typed = gaps[0] + "".join(
        (c.lower() if low else c) + gap for c, low, gap in zip(code, lower, gaps[1:], strict=True)
    )
    assert codes.code_parse(typed) == code


@given(st.text(max_size=30))
def test_anything_typed_is_either_a_code_or_refused_with_a_message(text):
    try:
        code = codes.code_parse(text)
    except ValueError as error:
        assert str(error) in (codes.ERROR_CODE_LENGTH, codes.ERROR_CODE_CHARACTERS)
    else:
        assert len(code) == 8 and set(code) <= set(codes.ALPHABET)


def test_a_code_with_a_confusable_character_says_which_ones_are_never_used():
    with pytest.raises(ValueError, match="never O, 0"):
        codes.code_parse("KQ7M-4TX0")
    with pytest.raises(ValueError, match="8 letters"):
        codes.code_parse("KQ7M-4TX")


# Partnerships and organisations -----------------------------------------------------------------


def test_an_administrator_sets_up_a_partnership_and_adds_its_organisations(demo, client_for):
    client = client_for(Role.ADMIN)
    response = client.post(
        reverse("partnership:create"), {"name": "Healthy Foleshill", "description": "Second"}
    )
    assert response.status_code == 302
    partnership = selectors.Partnership.objects.get(name="Healthy Foleshill")
    url = reverse("partnership:organisations", args=[partnership.slug])
    assert response["Location"] == url
    for name, sector in [
        ("Foleshill Community Centre", Sector.COMMUNITY),
        ("Coventry City Council", Sector.COUNCIL),
        ("CWPT", Sector.NHS),
        ("Grapevine", Sector.VOLUNTARY),
    ]:
        assert client.post(url, {"name": name, "sector": sector}).status_code == 302
    assert partnership.partners.count() == 4
    assert AuditEvent.objects.filter(verb="partner.add", details__partnership=partnership.pk)


def test_an_organisation_twice_or_a_reserved_name_is_refused_and_nothing_saved(demo, client_for):
    client = client_for(Role.BOARD)  # the demo partnership's lead
    existing = demo.partnership.partners.first()
    url = reverse("partnership:organisations", args=[demo.partnership.slug])
    before = demo.partnership.partners.count()
    response = client.post(url, {"name": existing.name, "sector": Sector.NHS})
    assert response.status_code == 200 and response.context["form"].errors
    assert demo.partnership.partners.count() == before
    with pytest.raises(ValidationError) as error:
        services.partnership_create(actor=demo.users["admin"], name="New")
    assert "name" in _errors(error)


def test_a_member_who_does_not_lead_sees_the_organisations_but_cannot_add_one(demo, client_for):
    client = client_for(Role.FACILITATOR)
    url = reverse("partnership:organisations", args=[demo.partnership.slug])
    page = client.get(url)
    assert page.status_code == 200 and page.context["form"] is None
    before = demo.partnership.partners.count()
    assert client.post(url, {"name": "Sneaky Ltd", "sector": Sector.COUNCIL}).status_code == 403
    assert demo.partnership.partners.count() == before


# Members: neighbourhoods, leads, ending -----------------------------------------------------------


def test_the_lead_assigns_a_facilitator_to_neighbourhoods(demo, client_for):
    membership = demo.facilitator_membership
    chosen = list(Neighbourhood.objects.order_by("name")[:2])
    response = client_for(Role.BOARD).post(
        reverse("partnership:membership", args=[demo.partnership.slug, membership.pk]),
        {
            "partner": membership.partner_id,
            "title": "Organiser",
            "neighbourhoods": [n.pk for n in chosen],
        },
    )
    assert response.status_code == 302
    assert set(selectors.neighbourhoods_in_scope(demo.users["facilitator"])) == set(chosen)
    assert AuditEvent.objects.filter(verb="membership.update", subject_id=str(membership.pk))


def test_the_last_lead_cannot_stop_leading_or_leave(demo, client_for):
    lead = Membership.objects.get(partnership=demo.partnership, is_lead=True)
    with pytest.raises(ValidationError) as error:
        services.membership_update(
            actor=demo.users["admin"],
            membership=lead,
            partner=None,
            title="Chair",
            neighbourhoods=[],
            is_lead=False,
        )
    assert "is_lead" in _errors(error)
    with pytest.raises(ValidationError) as error:
        services.membership_end(actor=demo.users["admin"], membership=lead)
    assert "last person leading" in error.value.messages[0]
    response = client_for(Role.ADMIN).post(
        reverse("partnership:membership-end", args=[demo.partnership.slug, lead.pk]), {}
    )
    assert response.status_code == 200
    assert "last person leading" in response.content.decode()
    lead.refresh_from_db()  # still there
    assert not PastMembership.objects.filter(partnership=demo.partnership).exists()
    # With a second lead, the first may go.
    facilitator = demo.facilitator_membership
    services.membership_update(
        actor=demo.users["admin"],
        membership=facilitator,
        partner=facilitator.partner,
        title="",
        neighbourhoods=[],
        is_lead=True,
    )
    services.membership_end(actor=demo.users["admin"], membership=lead)
    assert not Membership.objects.filter(pk=lead.pk).exists()


def test_ending_a_membership_refuses_the_next_request_and_keeps_the_organisation(demo, client_for):
    partner_user = demo.users["partner"]
    client = client_for(Role.PARTNER)
    detail = reverse("partnership:detail", args=[demo.partnership.slug])
    assert client.get(detail).status_code == 200
    membership = Membership.objects.get(user=partner_user, partnership=demo.partnership)
    organisation = membership.partner
    response = client_for(Role.BOARD).post(
        reverse("partnership:membership-end", args=[demo.partnership.slug, membership.pk]),
        {"reason": "Moved to another trust"},
    )
    assert response.status_code == 302
    # The partner's very next request: their account is off (it was their only
    # partnership), so they are signed out and sent to sign in.
    after = client.get(detail)
    assert after.status_code == 302 and after["Location"].startswith(reverse("core:sign-in"))
    partner_user.refresh_from_db()
    assert not partner_user.is_active
    assert not selectors.neighbourhoods_in_scope(partner_user).exists()
    # What they recorded stays theirs, and their work is still attributed to their organisation.
    assert selectors.organisation_of(partner_user, demo.partnership) == organisation
    # The charter revision they wrote (demo: revision 2) is still theirs, in the history.
    assert CharterRevision.objects.filter(author=partner_user, partnership=demo.partnership)
    past = PastMembership.objects.get(user=partner_user)
    assert past.reason == "Moved to another trust" and past.partner == organisation
    assert AuditEvent.objects.filter(verb="membership.end", details__user=partner_user.pk)
    page = client_for(Role.BOARD).get(reverse("partnership:members", args=[demo.partnership.slug]))
    assert "Moved to another trust" in page.content.decode()


def test_ending_one_of_two_memberships_keeps_the_account_but_not_that_partnership(demo):
    user = _staff("two-hats")
    other = services.partnership_create(actor=demo.users["admin"], name="Elsewhere")
    services.membership_add(actor=demo.users["admin"], partnership=demo.partnership, user=user)
    kept = services.membership_add(actor=demo.users["admin"], partnership=other, user=user)
    ended = Membership.objects.get(user=user, partnership=demo.partnership)
    services.membership_end(actor=demo.users["admin"], membership=ended)
    user.refresh_from_db()
    assert user.is_active
    assert list(selectors.partnerships_for(user)) == [kept.partnership]


# Invitations ----------------------------------------------------------------------------------------


def test_an_invitation_keeps_only_hashes_and_is_found_by_its_link_or_its_code(demo):
    issued = services.invitation_create(
        actor=demo.users["board"],
        partnership=demo.partnership,
        role=Role.FACILITATOR,
        invitee="Priya",
    )
    invitation = issued.invitation
    assert issued.token not in (invitation.token_hash, invitation.code_hash)
    assert issued.code not in (invitation.token_hash, invitation.code_hash)
    assert selectors.invitation_for_secret(issued.token) == invitation
    assert selectors.invitation_for_secret(issued.code) == invitation
    assert selectors.invitation_for_secret(codes.code_new()) is None
    assert invitation.expires_at - timezone.now() > dt.timedelta(days=13)


def test_accepting_makes_the_account_and_membership_and_a_used_one_is_refused(demo):
    chosen = list(Neighbourhood.objects.order_by("name")[:1])
    partner = demo.partnership.partners.first()
    issued = services.invitation_create(
        actor=demo.users["board"],
        partnership=demo.partnership,
        role=Role.PARTNER,
        invitee="Dr Okafor",
        partner=partner,
        title="GP lead",
        neighbourhoods=chosen,
    )
    user = services.invitation_accept(
        invitation=issued.invitation, username="okafor", password=PASSWORD
    )
    assert user.role == Role.PARTNER
    membership = Membership.objects.get(user=user, partnership=demo.partnership)
    assert membership.partner == partner and membership.title == "GP lead"
    assert list(membership.neighbourhoods.all()) == chosen
    with pytest.raises(ValidationError) as error:
        services.invitation_accept(
            invitation=issued.invitation, username="okafor2", password=PASSWORD
        )
    assert services.ERROR_INVITATION_USED in error.value.messages
    assert not type(user).objects.filter(username="okafor2").exists()
    rows = selectors.invitations_page(demo.partnership)
    assert [i.status for i in rows if i.pk == issued.invitation.pk] == ["joined"]


def test_expired_and_cancelled_invitations_cannot_be_used(demo):
    issued = services.invitation_create(
        actor=demo.users["facilitator"],
        partnership=demo.partnership,
        role=Role.COMMUNITY,
        invitee="Lynne",
    )
    Invitation.objects.filter(pk=issued.invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    issued.invitation.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        services.invitation_accept(
            invitation=issued.invitation, username="lynne", password=PASSWORD
        )
    assert "ran out" in error.value.messages[0]
    with pytest.raises(ValidationError):
        services.invitation_cancel(actor=demo.users["facilitator"], invitation=issued.invitation)
    fresh = services.invitation_create(
        actor=demo.users["facilitator"],
        partnership=demo.partnership,
        role=Role.COMMUNITY,
        invitee="Lynne",
    )
    services.invitation_cancel(actor=demo.users["facilitator"], invitation=fresh.invitation)
    with pytest.raises(ValidationError) as error:
        services.invitation_accept(invitation=fresh.invitation, username="lynne", password=PASSWORD)
    assert services.ERROR_INVITATION_CANCELLED in error.value.messages
    assert not type(demo.users["board"]).objects.filter(username="lynne").exists()


def test_inviting_someone_already_a_member_is_refused_on_the_email(demo, client_for):
    member = demo.users["partner"]
    member.email = "head.of.iapt@example.org"
    member.save(update_fields=["email"])
    before = Invitation.objects.count()
    response = client_for(Role.BOARD).post(
        reverse("partnership:invitation-new", args=[demo.partnership.slug]),
        {"invitee": "Again", "role": Role.PARTNER, "email": "Head.of.IAPT@example.org", "days": 14},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [services.ERROR_ALREADY_MEMBER]
    assert Invitation.objects.count() == before


def test_a_facilitator_invites_community_members_only(demo, client_for):
    facilitator = demo.users["facilitator"]
    with pytest.raises(ValidationError) as error:
        services.invitation_create(
            actor=facilitator, partnership=demo.partnership, role=Role.BOARD, invitee="X"
        )
    assert "role" in _errors(error)
    with pytest.raises(ValidationError):
        services.invitation_create(
            actor=demo.users["board"], partnership=demo.partnership, role=Role.ADMIN, invitee="X"
        )
    page = client_for(Role.FACILITATOR).get(
        reverse("partnership:invitation-new", args=[demo.partnership.slug])
    )
    assert [value for value, _ in page.context["form"].fields["role"].choices] == [Role.COMMUNITY]


def test_the_code_and_link_are_shown_once_then_only_where_the_invitation_stands(demo, client_for):
    client = client_for(Role.FACILITATOR)
    response = client.post(
        reverse("partnership:invitation-new", args=[demo.partnership.slug]),
        {"invitee": "Sam's neighbour", "role": Role.COMMUNITY, "days": 7},
        follow=True,
    )
    code = response.context["code"]
    assert code and code in response.content.decode()
    assert selectors.invitation_for_secret(codes.code_parse(code)) == response.context["invitation"]
    again = client.get(response.redirect_chain[-1][0])
    assert again.context["code"] is None and code not in again.content.decode()
    listing = client.get(reverse("partnership:invitations", args=[demo.partnership.slug]))
    assert "Sam&#x27;s neighbour" in listing.content.decode()


def test_a_lead_sets_up_another_partnership_and_leads_it_and_a_facilitator_cannot(demo, client_for):
    response = client_for(Role.BOARD).post(
        reverse("partnership:create"), {"name": "Second programme"}
    )
    assert response.status_code == 302
    partnership = selectors.Partnership.objects.get(name="Second programme")
    assert selectors.may_manage(demo.users["board"], partnership)
    assert Membership.objects.get(partnership=partnership).user == demo.users["board"]
    refused = client_for(Role.FACILITATOR).post(reverse("partnership:create"), {"name": "Mine"})
    assert refused.status_code == 403
    assert not selectors.Partnership.objects.filter(name="Mine").exists()
