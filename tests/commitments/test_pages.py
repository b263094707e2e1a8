"""The partnership's commitment pages: forms say what is wrong and where, and change nothing."""

import pytest
from django.urls import reverse
from django.utils.html import escape

from hct.commitments import services
from hct.commitments.models import ERROR_DUE_BEFORE_MADE, ERROR_PROGRESS_RANGE, Commitment, Status
from tests.commitments.helpers import NHS, partner_named
from tests.people.helpers import facilitator, signed_in

pytestmark = pytest.mark.django_db


def _form(demo, **changes):
    data = {
        "neighbourhood": demo.first_neighbourhood.pk,
        "title": "Appointments in the evening at the GP hub",
        "owner": partner_named(demo, NHS).pk,
        "lead_role": "Head of IAPT",
        "made_on": "2026-06-18",
        "due_on": "2026-12-31",
    }
    data.update(changes)
    return data


def test_a_facilitator_records_a_commitment_and_finds_it_in_the_list(demo, client_for):
    client = client_for("facilitator")
    response = client.post(reverse("commitments:create"), _form(demo))
    commitment = Commitment.objects.get(title="Appointments in the evening at the GP hub")
    assert response.url == reverse("commitments:detail", args=[commitment.pk])
    assert commitment.title in client.get(reverse("commitments:list")).content.decode()


def test_a_due_date_before_the_promise_is_shown_against_the_field(demo, client_for):
    before = Commitment.objects.count()
    response = client_for("facilitator").post(
        reverse("commitments:create"), _form(demo, due_on="2026-06-17")
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_due_on"' in html and escape(ERROR_DUE_BEFORE_MADE) in html
    assert Commitment.objects.count() == before


def test_the_owner_reports_progress_and_adds_a_milestone(demo, client_for):
    client = client_for("partner")
    commitment = demo.commitment
    services.commitment_report(
        actor=None, commitment=commitment, status=Status.IN_PROGRESS, progress=50, note="Reopened"
    )
    response = client.post(
        reverse("commitments:report", args=[commitment.pk]),
        {"status": "at_risk", "progress": "55", "note": "Therapist off sick", "on": "2026-11-20"},
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert (commitment.status, commitment.progress) == (Status.AT_RISK, 55)
    response = client.post(
        reverse("commitments:milestone-add", args=[commitment.pk]),
        {"on": "2026-11-21", "title": "Cover arranged", "evidence": "Rota for December"},
    )
    assert response.status_code == 302
    detail = client.get(reverse("commitments:detail", args=[commitment.pk])).content.decode()
    assert "Cover arranged" in detail and "Therapist off sick" in detail


def test_progress_over_100_is_refused_on_the_form(demo, client_for):
    response = client_for("partner").post(
        reverse("commitments:report", args=[demo.commitment.pk]),
        {"status": "in_progress", "progress": "150", "on": "2026-11-20"},
    )
    assert escape(ERROR_PROGRESS_RANGE) in response.content.decode()
    demo.commitment.refresh_from_db()
    assert demo.commitment.progress == 100


def test_someone_outside_the_owning_organisation_is_told_and_nothing_changes(demo, client_for):
    commitment = demo.commitment
    response = client_for("facilitator").post(
        reverse("commitments:report", args=[commitment.pk]),
        {"status": "at_risk", "on": "2026-11-20", "note": "Not mine to say"},
    )
    html = response.content.decode()
    assert escape(services.ERROR_NOT_OWNER.format(owner=NHS)) in html
    assert commitment.updates.filter(note="Not mine to say").count() == 0


def test_a_facilitator_elsewhere_cannot_open_the_commitment(demo):
    elsewhere = signed_in(facilitator(demo, "elsewhere", [demo.other_neighbourhood]))
    response = elsewhere.get(reverse("commitments:detail", args=[demo.commitment.pk]))
    assert response.status_code == 403
    assert demo.commitment.title not in elsewhere.get(reverse("commitments:list")).content.decode()


def test_a_part_cannot_be_moved_under_its_own_part(demo, client_for):
    parent = Commitment.objects.get(title__startswith="No one leaves acute")
    part = parent.children.order_by("id").first()
    response = client_for("facilitator").post(
        reverse("commitments:edit", args=[parent.pk]),
        {
            "title": parent.title,
            "lead_role": parent.lead_role,
            "due_on": parent.due_on.isoformat(),
            "parent": part.pk,
        },
    )
    assert escape(services.ERROR_PARENT_LOOP) in response.content.decode()
    parent.refresh_from_db()
    assert parent.parent_id is None


def test_the_demo_parent_rolls_up_its_weighted_parts(demo):
    parent = Commitment.objects.get(title__startswith="No one leaves acute")
    assert parent.progress == 46  # 0.6 × 60 + 0.4 × 25


def test_plan_actions_with_no_commitment_are_listed_and_prefill_the_form(demo, client_for):
    client = client_for("facilitator")
    html = client.get(reverse("commitments:list")).content.decode()
    waiting = demo.plan_conversation.plan.actions.filter(commitments__isnull=True)
    action = waiting.order_by("position").first()
    assert f"?action={action.pk}" in html
    assert "Commit to: Rebook without losing your place" not in html  # the NHS trust did
    form = client.get(reverse("commitments:create") + f"?action={action.pk}").content.decode()
    assert f'value="{escape(action.title)}"' in form
