import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from hct.core.models import AuditEvent
from hct.core.roles import Role
from hct.core.services import user_create
from hct.partnership import selectors, services
from hct.partnership.models import CharterRevision, Stage
from hct.places.models import Neighbourhood

pytestmark = pytest.mark.django_db


def _sections(**changes):
    base = {name: f"{name} text" for name, _ in CharterRevision.SECTIONS}
    return {**base, **changes}


def test_revisions_are_numbered_and_an_unchanged_charter_is_refused(demo):
    latest = selectors.charter_latest(demo.partnership)
    same = {name: getattr(latest, name) for name, _ in CharterRevision.SECTIONS}
    with pytest.raises(ValidationError) as error:
        services.charter_revise(actor=demo.users["partner"], partnership=demo.partnership, **same)
    assert services.ERROR_CHARTER_UNCHANGED in error.value.messages
    revision = services.charter_revise(
        actor=demo.users["partner"],
        partnership=demo.partnership,
        **{**same, "felt_purpose": "Love, even."},
    )
    assert revision.number == latest.number + 1


def test_compare_marks_words_added_and_removed_and_escapes_text(demo):
    earlier = services.charter_revise(
        actor=demo.users["partner"],
        partnership=demo.partnership,
        **_sections(felt_purpose="keep <b>our</b> word"),
    )
    later = services.charter_revise(
        actor=demo.users["partner"],
        partnership=demo.partnership,
        **_sections(felt_purpose="keep your word"),
    )
    diff = {s.label: s for s in selectors.charter_compare(earlier, later)}
    felt = diff["Our felt purpose"]
    assert felt.changed
    assert "<del>&lt;b&gt;our&lt;/b&gt;</del>" in felt.html
    assert "<ins>your</ins>" in felt.html
    assert not diff["Our stated purpose"].changed


def test_the_compare_page_shows_the_differences(client_for, demo):
    response = client_for(Role.BOARD).get(
        reverse("partnership:charter-compare", args=[demo.partnership.slug]),
        {"earlier": 1, "later": 2},
    )
    body = response.content.decode()
    assert "<ins>" in body and "unchanged" in body


def test_comparing_a_revision_with_itself_is_refused(client_for, demo):
    response = client_for(Role.BOARD).get(
        reverse("partnership:charter-compare", args=[demo.partnership.slug]),
        {"earlier": 1, "later": 1},
    )
    assert "Choose two different revisions" in response.content.decode()


def test_a_partner_revises_the_charter_through_the_page(client_for, demo):
    data = _sections(note="After the away day")
    response = client_for(Role.PARTNER).post(
        reverse("partnership:charter-revise", args=[demo.partnership.slug]), data
    )
    assert response.status_code == 302
    latest = selectors.charter_latest(demo.partnership)
    assert latest.note == "After the away day"
    assert latest.author.username == "partner"
    assert AuditEvent.objects.filter(verb="charter.revise", subject_id=str(latest.pk)).exists()


def test_an_empty_section_is_refused_with_the_error_summary(client_for, demo):
    response = client_for(Role.PARTNER).post(
        reverse("partnership:charter-revise", args=[demo.partnership.slug]),
        _sections(felt_purpose=""),
    )
    body = response.content.decode()
    assert "There is a problem" in body
    assert "Write something for" in body


def test_the_partnership_page_shows_every_cycle_at_a_glance(client_for, demo):
    body = (
        client_for(Role.BOARD)
        .get(reverse("partnership:detail", args=[demo.partnership.slug]))
        .content.decode()
    )
    assert body.count("Cycle ") >= 7
    assert demo.first_neighbourhood.name in body
    assert "(current stage)" in body


def test_a_facilitator_moves_a_cycle_on_and_the_dates_follow(client_for, demo):
    cycle = demo.first_cycle
    response = client_for(Role.FACILITATOR).post(
        reverse("partnership:cycle", args=[demo.partnership.slug, cycle.number]),
        {"stage": Stage.ACT_AND_REVIEW, "on": "2026-10-01"},
    )
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.current_stage == Stage.ACT_AND_REVIEW
    stages = {s.stage: s for s in cycle.stages.all()}
    assert stages[Stage.BIG_CONVERSATION_3].ended_on == dt.date(2026, 10, 1)
    assert stages[Stage.ACT_AND_REVIEW].started_on == dt.date(2026, 10, 1)


def test_a_stage_cannot_end_before_it_started(demo):
    with pytest.raises(ValidationError) as error:
        services.cycle_advance(
            actor=demo.users["facilitator"],
            cycle=demo.first_cycle,
            stage=Stage.ACT_AND_REVIEW,
            on=dt.date(2020, 1, 1),
        )
    assert "cannot move on before" in str(error.value)
    demo.first_cycle.refresh_from_db()
    assert demo.first_cycle.current_stage == Stage.BIG_CONVERSATION_3


def test_a_partner_cannot_move_a_cycle_on(client_for, demo):
    response = client_for(Role.PARTNER).post(
        reverse("partnership:cycle", args=[demo.partnership.slug, demo.first_cycle.number]),
        {"stage": Stage.ACT_AND_REVIEW, "on": "2026-10-01"},
    )
    assert response.status_code == 403


def test_someone_outside_the_partnership_cannot_see_it(client, demo):
    outsider = user_create(
        actor=None, username="outsider", password="a-long-enough-password", role=Role.PARTNER
    )
    client.force_login(outsider)
    from hct.core.middleware import SIGNED_IN_AT

    session = client.session
    session[SIGNED_IN_AT] = 10**10
    session.save()
    assert (
        client.get(reverse("partnership:detail", args=[demo.partnership.slug])).status_code == 403
    )
    assert (
        client.get(reverse("partnership:charter", args=[demo.partnership.slug])).status_code == 403
    )


def test_scope_follows_memberships(demo):
    facilitator, partner, board = (demo.users[n] for n in ("facilitator", "partner", "board"))
    assert set(selectors.neighbourhoods_in_scope(partner)) == {demo.first_neighbourhood}
    assert demo.first_neighbourhood in selectors.neighbourhoods_in_scope(facilitator)
    assert selectors.neighbourhoods_in_scope(facilitator).count() == 7
    assert set(selectors.neighbourhoods_in_scope(board)) == set(
        Neighbourhood.objects.filter(cycles__partnership=demo.partnership)
    )
    assert not selectors.neighbourhoods_in_scope(demo.users["sam"]).exists()
