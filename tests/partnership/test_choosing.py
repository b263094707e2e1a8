"""'Working in' (issue 14 item 5): a member of more than one partnership chooses, in the
header, which one their pages show and what they record belongs to; a partnership they are not
in cannot be chosen; the choice is audited."""

import pytest
from django.urls import reverse

from hct.core.models import AuditEvent
from hct.core.roles import Role
from hct.people.models import Person
from tests.partnership.second import second_partnership

pytestmark = pytest.mark.django_db

HEADER_FORM = 'action="/partnership/choose/"'


def _in_both(demo):
    """The demo's facilitator also works for Bramblewick, in the same ward."""
    ward = demo.first_neighbourhood
    b = second_partnership(ward)
    b.partnership.memberships.create(user=demo.users["facilitator"]).neighbourhoods.add(ward)
    return b


def test_only_a_member_of_several_is_offered_the_choice(demo, client_for):
    facilitator = client_for(Role.FACILITATOR)
    assert HEADER_FORM not in facilitator.get(reverse("core:home")).content.decode()
    b = _in_both(demo)
    page = facilitator.get(reverse("core:home")).content.decode()
    assert HEADER_FORM in page
    assert '<label class="hct-header__label" for="header-partnership">Working in</label>' in page
    assert f'<option value="{demo.partnership.slug}" selected>' in page
    assert f'<option value="{b.partnership.slug}">' in page
    # Nobody else in the demo is in two partnerships.
    assert HEADER_FORM not in client_for(Role.BOARD).get(reverse("core:home")).content.decode()


def test_choosing_a_partnership_scopes_what_comes_next(demo, client_for):
    b = _in_both(demo)
    facilitator = client_for(Role.FACILITATOR)
    response = facilitator.post(
        reverse("partnership:choose"),
        {"partnership": b.partnership.slug, "next": reverse("people:list")},
    )
    assert response.status_code == 302 and response["Location"] == reverse("people:list")
    page = facilitator.get(response["Location"]).content.decode()
    assert f"You are now working in {b.partnership.name}." in page
    assert f'<option value="{b.partnership.slug}" selected>' in page
    event = AuditEvent.objects.filter(verb="partnership.choose").get()
    assert event.actor == demo.users["facilitator"]
    assert event.details == {"partnership": b.partnership.slug}
    # What the facilitator records now belongs to the partnership chosen.
    facilitator.post(
        reverse("people:create"),
        {
            "alias": "Tamsin",
            "home_lsoa": demo.first_neighbourhood.lsoas.first().pk,
            "facilitators": [demo.users["facilitator"].pk],
        },
    )
    assert Person.objects.get(alias="Tamsin").partnership == b.partnership


def test_a_partnership_one_is_not_in_cannot_be_chosen(demo, client_for):
    b = second_partnership(demo.first_neighbourhood)
    board = client_for(Role.BOARD)
    response = board.post(reverse("partnership:choose"), {"partnership": b.partnership.slug})
    assert response.status_code == 200
    assert "You are not a member of this partnership" in response.content.decode()
    assert not AuditEvent.objects.filter(verb="partnership.choose").exists()
    assert response.wsgi_request.session.get("hct.partnership") is None


def test_the_page_goes_back_only_to_our_own_pages(demo, client_for):
    b = _in_both(demo)
    facilitator = client_for(Role.FACILITATOR)
    response = facilitator.post(
        reverse("partnership:choose"),
        {"partnership": b.partnership.slug, "next": "https://elsewhere.example/"},
    )
    assert response["Location"] == reverse("core:home")
