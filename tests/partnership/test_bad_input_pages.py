"""Issue 14's bad input, as a user meets it on the pages (the services' own tests are in
test_partnership.py and test_running.py): going back a stage without a reason, and the last lead
untick 'leads the partnership' on the membership page. Each says why and saves nothing."""

import datetime as dt

import pytest
from django.urls import reverse

from hct.core.models import AuditEvent
from hct.core.roles import Role
from hct.partnership import services
from hct.partnership.models import Membership

pytestmark = pytest.mark.django_db


def test_going_back_a_stage_on_the_cycle_page_without_a_reason_is_refused(demo, client_for):
    cycle = demo.first_cycle
    earlier = services.STAGE_ORDER[cycle.stage_index - 1]
    url = reverse("partnership:cycle", args=[demo.partnership.slug, cycle.number])
    events = AuditEvent.objects.filter(verb="cycle.advance").count()
    response = client_for(Role.FACILITATOR).post(
        url, {"stage": earlier, "on": "2027-06-01", "reason": "   "}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["reason"] == [services.ERROR_BACKWARDS_NEEDS_REASON]
    assert services.ERROR_BACKWARDS_NEEDS_REASON in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.current_stage != earlier
    assert not cycle.stages.get(stage=earlier).returned_because
    assert AuditEvent.objects.filter(verb="cycle.advance").count() == events
    # With a reason it goes back, and the reason is kept on the stage.
    response = client_for(Role.FACILITATOR).post(
        url, {"stage": earlier, "on": "2027-06-01", "reason": "The room was not ready"}
    )
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.current_stage == earlier
    assert cycle.stages.get(stage=earlier).returned_because == "The room was not ready"
    assert cycle.stages.get(stage=earlier).started_on == dt.date(2027, 6, 1)


def test_the_last_lead_cannot_stop_leading_on_the_membership_page(demo, client_for):
    lead = Membership.objects.get(partnership=demo.partnership, is_lead=True)
    url = reverse("partnership:membership", args=[demo.partnership.slug, lead.pk])
    title = lead.title
    response = client_for(Role.ADMIN).post(
        url,
        {
            "partner": lead.partner_id or "",
            "title": "Chair of the board",
            "neighbourhoods": [n.pk for n in lead.neighbourhoods.all()],
            # "is_lead" left unticked
        },
    )
    assert response.status_code == 200
    assert "last person leading" in response.content.decode()
    assert response.context["form"].errors["is_lead"]
    lead.refresh_from_db()
    assert lead.is_lead
    assert lead.title == title  # nothing saved, the title neither


def test_a_second_invitation_to_the_same_person_cannot_make_a_second_member(demo):
    """Invited twice (both sent before either was used): the first makes the membership; the
    second, once they are a member, is refused at the join page and makes no account."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from hct.partnership.models import Invitation

    partner = demo.partnership.partners.first()
    issued = [
        services.invitation_create(
            actor=demo.users["board"],
            partnership=demo.partnership,
            role=Role.PARTNER,
            invitee="Dr Okafor",
            email="okafor@example.org",
            partner=partner,
        )
        for _ in range(2)
    ]
    password = "a long enough password 42"

    def join(token: str, username: str):
        client = Client()
        client.get(reverse("people:join-link", args=[token]))
        return client.post(
            reverse("people:join-details"),
            {"username": username, "password": password, "password_again": password},
        )

    assert join(issued[0].token, "okafor").status_code == 302
    accounts = get_user_model().objects.count()
    response = join(issued[1].token, "okafor-again")
    assert response.status_code == 200
    assert services.ERROR_ALREADY_MEMBER in response.content.decode()
    assert get_user_model().objects.count() == accounts
    assert (
        Membership.objects.filter(
            partnership=demo.partnership, user__email__iexact="okafor@example.org"
        ).count()
        == 1
    )
    assert Invitation.objects.get(pk=issued[1].invitation.pk).accepted_at is None
