import datetime as dt
from html.parser import HTMLParser

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


def _plan_post(demo, **changes):
    data = {
        "neighbourhood": demo.other_neighbourhood.pk,
        "started_on": "2027-01-11",
        "participants": [demo.users["partner"].pk],
        "poolside_start": "2027-01-11",
        "poolside_end": "2027-02-05",
        "dive_in_start": "2027-02-08",
        "dive_in_end": "2027-03-26",
        "note": "",
    }
    return {**data, **changes}


def test_a_facilitator_starts_a_cycle_with_its_plan_and_lands_on_its_lessons(client_for, demo):
    client = client_for(Role.FACILITATOR)
    url = reverse("partnership:cycle-start", args=[demo.partnership.slug])
    page = client.get(url, {"neighbourhood": demo.other_neighbourhood.pk})
    assert f'value="{demo.other_neighbourhood.pk}" selected' in page.content.decode()
    response = client.post(url, _plan_post(demo))
    cycle = demo.partnership.cycles.get(neighbourhood=demo.other_neighbourhood)
    assert response.status_code == 302
    assert response["Location"] == reverse("learning:cycle", args=[cycle.pk])
    stages = {s.stage: s for s in cycle.stages.all()}
    assert stages["poolside"].started_on == dt.date(2027, 1, 11)
    assert stages["dive_in"].planned_start == dt.date(2027, 2, 8)
    assert stages["dive_in"].planned_end == dt.date(2027, 3, 26)
    assert set(cycle.participants.all()) == {demo.users["facilitator"], demo.users["partner"]}
    # Taking part brings the neighbourhood into each participant's scope, so the cycle is
    # at once theirs wherever a cycle is chosen.
    assert demo.other_neighbourhood in selectors.neighbourhoods_in_scope(demo.users["partner"])
    assert AuditEvent.objects.filter(verb="cycle.start", subject_id=str(cycle.pk)).exists()


class _FormAsSent(HTMLParser):
    """What a browser sends for a page's form left as drawn: each input's value (a checkbox's
    only if ticked), each select's selected option, each textarea's text."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("submit", "button"):
            if attrs.get("type") in ("checkbox", "radio") and "checked" not in attrs:
                return
            self.data.setdefault(name, []).append(attrs.get("value") or "")
        elif tag == "select":
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in attrs:
            self.data[self._select].append(attrs.get("value") or "")
        elif tag == "textarea":
            self._textarea = name
            self.data.setdefault(name, [""])

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data.strip("\n")


def _as_sent(page) -> dict[str, list[str]]:
    parser = _FormAsSent()
    parser.feed(page.content.decode())
    return parser.data


def test_the_untouched_form_starts_the_cycle_today_with_its_starter_taking_part(client_for, demo):
    """The start date is today unless changed, and it must survive the browser: a date box
    shows (and sends back) only an ISO date. The starter takes part without ticking themselves,
    so the cycle page they are sent to is theirs to see."""
    client = client_for(Role.FACILITATOR)
    me = demo.users["facilitator"]
    url = reverse("partnership:cycle-start", args=[demo.partnership.slug])
    page = client.get(url, {"neighbourhood": demo.other_neighbourhood.pk})
    sent = _as_sent(page)
    assert sent["started_on"] == [dt.date.today().isoformat()]
    assert "participants" not in sent  # nobody ticked, the starter not even offered
    assert f"{me.get_full_name()} (Facilitator)" not in page.content.decode()
    response = client.post(url, sent)
    assert response.status_code == 302, response.context["form"].errors
    cycle = demo.partnership.cycles.get(neighbourhood=demo.other_neighbourhood)
    assert cycle.stages.get(stage=Stage.POOLSIDE).started_on == dt.date.today()
    assert list(cycle.participants.all()) == [me]
    assert client.get(response["Location"]).status_code == 200


def test_where_next_and_a_profile_lead_a_facilitator_to_start_a_cycle(client_for, demo):
    client = client_for(Role.FACILITATOR)
    start = reverse("partnership:cycle-start-choose")
    profile = client.get(
        reverse("places:neighbourhood-profile", args=[demo.other_neighbourhood.slug])
    )
    assert f'{start}?neighbourhood={demo.other_neighbourhood.pk}"' in profile.content.decode()
    response = client.get(start, {"neighbourhood": demo.other_neighbourhood.pk})
    assert response["Location"] == (
        reverse("partnership:cycle-start", args=[demo.partnership.slug])
        + f"?neighbourhood={demo.other_neighbourhood.pk}"
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        (
            {"neighbourhood": "first"},
            "neighbourhood",
            "This partnership already has a cycle in {first} that has not finished",
        ),
        (
            {"dive_in_end": "2027-02-01"},
            "dive_in_end",
            "Dive in cannot be planned to end before it starts",
        ),
        (
            {"dive_in_start": "2027-01-01"},
            "dive_in_start",
            "Dive in cannot be planned to start before Poolside starts",
        ),
        ({"started_on": "2027-02-30"}, "started_on", "Enter a real date, like 2027-03-27"),
    ],
)
def test_a_cycle_that_cannot_start_says_why_and_saves_nothing(
    client_for, demo, changes, field, message
):
    if changes.get("neighbourhood") == "first":
        changes = {"neighbourhood": demo.first_neighbourhood.pk}
        message = message.format(first=demo.first_neighbourhood)
    cycles = demo.partnership.cycles.count()
    response = client_for(Role.FACILITATOR).post(
        reverse("partnership:cycle-start", args=[demo.partnership.slug]),
        _plan_post(demo, **changes),
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert demo.partnership.cycles.count() == cycles
    assert demo.other_neighbourhood not in selectors.neighbourhoods_in_scope(demo.users["partner"])


def test_only_members_take_part_in_a_cycle(demo):
    outsider = user_create(
        actor=None, username="outsider", password="x" * 12, role=Role.FACILITATOR
    )
    with pytest.raises(ValidationError) as error:
        services.cycle_start(
            actor=demo.users["facilitator"],
            partnership=demo.partnership,
            neighbourhood=demo.other_neighbourhood,
            participants=[outsider],
        )
    assert error.value.message_dict == {
        "participants": [services.ERROR_NOT_MEMBERS.format(names="outsider")]
    }


def test_going_back_a_stage_needs_a_reason_kept_on_the_stage(demo):
    cycle = demo.first_cycle
    earlier = services.STAGE_ORDER[cycle.stage_index - 1]
    on = dt.date(2027, 6, 1)
    with pytest.raises(ValidationError) as error:
        services.cycle_advance(actor=demo.users["facilitator"], cycle=cycle, stage=earlier, on=on)
    assert error.value.message_dict == {"reason": [services.ERROR_BACKWARDS_NEEDS_REASON]}
    services.cycle_advance(
        actor=demo.users["facilitator"], cycle=cycle, stage=earlier, on=on, reason="Not ready"
    )
    assert cycle.stages.get(stage=earlier).returned_because == "Not ready"
    assert AuditEvent.objects.filter(verb="cycle.advance").latest("id").details["backwards"]


def test_one_rule_says_which_cycles_each_role_sees(demo):
    """partnership's `cycles_visible` is the rule conversations and learning both use."""
    from hct.conversations import selectors as conversations
    from hct.learning import selectors as learning
    from hct.partnership.models import Cycle, Partnership

    other = Partnership.objects.create(name="Elsewhere", slug="elsewhere")
    elsewhere = Cycle.objects.create(
        partnership=other, neighbourhood=demo.first_neighbourhood, number=1
    )
    Cycle.objects.create(  # a cycle out of the facilitator's scope
        partnership=demo.partnership, neighbourhood=demo.other_neighbourhood, number=99
    )
    everyone = set(demo.partnership.cycles.values_list("pk", flat=True))
    in_scope = set(
        demo.partnership.cycles.filter(
            neighbourhood__in=selectors.neighbourhoods_in_scope(demo.users["facilitator"])
        ).values_list("pk", flat=True)
    )
    assert demo.first_cycle.pk in in_scope and in_scope != everyone

    def seen(user):
        return set(selectors.cycles_visible(user).values_list("pk", flat=True))

    assert seen(demo.users["facilitator"]) == in_scope
    assert seen(demo.users["board"]) == everyone  # every cycle of their partnership, no other
    assert seen(demo.users["admin"]) == everyone | {elsewhere.pk}
    assert seen(demo.users["sam"]) == set()
    for user in demo.users.values():
        assert set(conversations.cycles_visible(user).values_list("pk", flat=True)) == seen(user)
        assert {c.pk for c in learning.cycles_visible(user)} == seen(user)
