"""The conversation pages: what each role sees, forms that say what is wrong and where, text
shown as typed, the story gated by consent, the exports (CSV, PDF, .ics) and scope."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse

from hct.conversations import services
from hct.conversations.models import Contribution, IcebergItem, Participant
from hct.people.models import Purpose
from hct.people.services import consent_withdraw
from tests.pdf_checks import assert_tagged

pytestmark = pytest.mark.django_db

HOSTILE = '<script>alert("x")</script> & <b>bold</b>'


@pytest.fixture
def jo(demo):
    return demo.users["facilitator"]


@pytest.fixture
def facilitator(client_for):
    return client_for("facilitator")


def test_the_list_shows_the_cycles_conversations(facilitator, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(15):
        response = facilitator.get(reverse("conversations:list"))
    page = response.content.decode()
    assert "Big Conversation 1: A humanising encounter" in page
    assert reverse("conversations:sensemaking", args=[demo.first_cycle.pk]) in page


def test_the_facilitator_sees_exact_balance_and_partners_see_published_figures(
    facilitator, client_for, demo
):
    url = reverse("conversations:detail", args=[demo.conversation.pk])
    page = facilitator.get(url).content.decode()
    assert "Balance of the room" in page and "15 people" in page
    partner_page = client_for("partner").get(url).content.decode()
    assert "Balance of the room" not in partner_page
    assert "15 people" in partner_page  # 15 rounds to 15; 8 contributions too
    report = client_for("board").get(reverse("conversations:report", args=[demo.conversation.pk]))
    # By kind, the board sees small counts suppressed.
    assert (
        '<td class="govuk-table__cell govuk-table__cell--numeric">*</td>' in report.content.decode()
    )


def test_creating_a_conversation_outside_the_cycle_says_where(facilitator, demo):
    response = facilitator.post(
        reverse("conversations:create"),
        {"cycle": demo.first_cycle.pk, "number": 7, "purpose": "x", "date": "2020-01-01"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert "must fall within the cycle&#x27;s dates" in page
    assert 'href="#id_date"' in page


def test_creating_a_conversation(facilitator, demo):
    response = facilitator.post(
        reverse("conversations:create"),
        {
            "cycle": demo.first_cycle.pk,
            "number": 4,
            "purpose": "Coming back",
            "date": "2026-07-02",
            "starts_at": "18:30",
        },
    )
    conversation = demo.first_cycle.conversations.get(number=4)
    assert response.status_code == 302
    assert response["Location"] == reverse("conversations:detail", args=[conversation.pk])
    assert conversation.starts_at == dt.time(18, 30)


def test_the_ics_is_refused_without_a_time(facilitator, demo, jo):
    conversation = services.conversation_create(
        actor=jo, cycle=demo.first_cycle, number=4, purpose="x", date=dt.date(2026, 7, 2)
    )
    response = facilitator.get(reverse("conversations:ics", args=[conversation.pk]))
    assert response.status_code == 409
    assert "no start time yet" in response.content.decode()
    ok = facilitator.get(reverse("conversations:ics", args=[demo.conversation.pk]))
    assert ok["Content-Type"].startswith("text/calendar")
    assert b"BEGIN:VEVENT" in ok.content


def test_walking_in_twice_is_refused_on_the_form(facilitator, demo):
    url = reverse("conversations:door", args=[demo.conversation.pk])
    data = {
        "form": "walk_in",
        "walk_in-name": "Ray",
        "walk_in-organisation": "The Men's Shed",
        "walk_in-sector": "community_group",
    }
    response = facilitator.post(url, data)
    assert response.status_code == 200
    assert "cannot be counted twice" in response.content.decode()
    assert Participant.objects.filter(conversation=demo.conversation, name="Ray").count() == 1


def test_marking_here_twice_says_so(facilitator, demo):
    ray = demo.conversation.participants.get(name="Ray")
    url = reverse("conversations:attend", args=[demo.conversation.pk, ray.pk])
    response = facilitator.post(url, follow=True)
    assert "Ray is already marked as here" in response.content.decode()


def test_the_balance_fragment_refreshes(facilitator, demo):
    response = facilitator.get(reverse("conversations:balance", args=[demo.conversation.pk]))
    page = response.content.decode()
    assert page.startswith('<div id="balance"') and 'hx-trigger="every 10s"' in page


def test_the_story_at_the_centre_is_refused_once_consent_is_withdrawn(facilitator, demo, jo):
    url = reverse("conversations:centre", args=[demo.conversation.pk])
    page = facilitator.get(url).content.decode()
    assert "hct-centre__quote" in page and "The postman stopping" in page
    assert "<svg" in page  # the journey's timeline, with its table beside it
    consent_withdraw(
        actor=jo, person=demo.sam, purpose=Purpose.STORY_AT_CONVERSATION, on=dt.date.today()
    )
    response = facilitator.get(url)
    assert response.status_code == 409
    assert "The postman stopping" not in response.content.decode()
    detail = facilitator.get(reverse("conversations:detail", args=[demo.conversation.pk]))
    assert "has not agreed" in detail.content.decode()


def test_only_consenting_stories_can_be_chosen(facilitator, demo):
    page = facilitator.get(
        reverse("conversations:centre-choose", args=[demo.conversation.pk])
    ).content.decode()
    assert "My story" in page
    from hct.journeys.models import Story
    from hct.people.selectors import with_consent

    refused = Story.objects.exclude(
        person__in=with_consent(
            demo.sam.__class__.objects.all(), Purpose.STORY_AT_CONVERSATION
        ).values("pk")
    ).first()
    if refused is not None:
        response = facilitator.post(
            reverse("conversations:centre-choose", args=[demo.conversation.pk]),
            {"story": refused.pk},
        )
        assert "Choose one of the stories listed" in response.content.decode()


def test_contributions_are_shown_exactly_as_typed_never_run(facilitator, demo):
    url = reverse("conversations:contributions", args=[demo.conversation.pk])
    response = facilitator.post(url, {"kind": "quote", "text": HOSTILE, "speaker_sector": "nhs"})
    assert response.status_code == 302
    page = facilitator.get(url).content.decode()
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold&lt;/b&gt;" in page
    assert '<script>alert("x")' not in page


def test_a_name_without_agreement_is_refused_on_the_form(facilitator, demo):
    url = reverse("conversations:contributions", args=[demo.conversation.pk])
    response = facilitator.post(url, {"kind": "note", "text": "Hi", "speaker_name": "Ray"})
    assert response.status_code == 200
    assert "Only name the speaker if they agree" in response.content.decode()


def test_contributions_csv_keeps_text_and_defuses_formulas(facilitator, demo, jo):
    services.contribution_add(actor=jo, conversation=demo.conversation, text="=HYPERLINK(1)")
    response = facilitator.get(
        reverse("conversations:contributions-csv", args=[demo.conversation.pk])
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["id", "kind", "text", "speaker_sector", "speaker_name", "recorded_at"]
    assert len(rows) == 1 + Contribution.objects.filter(conversation=demo.conversation).count()
    assert rows[-1][2] == "'=HYPERLINK(1)"


def test_the_closing_report_and_its_pdf(facilitator, demo):
    page = facilitator.get(reverse("conversations:report", args=[demo.conversation.pk]))
    assert "King Crimson" in page.content.decode()
    pdf = facilitator.get(reverse("conversations:report-pdf", args=[demo.conversation.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "Closing report" in text and "Men's Shed" in text
    assert_tagged(pdf.content, title=f"Closing report – {demo.conversation}")


def test_the_sensemaking_page_and_pdf_hold_iceberg_vision_and_plan(client_for, demo):
    partner = client_for("partner")
    page = partner.get(reverse("conversations:sensemaking", args=[demo.first_cycle.pk]))
    html = page.content.decode()
    assert "What beliefs keep the system in place?" in html
    assert "Sam tells his story once" in html
    assert "Rebook without losing your place" in html
    pdf = partner.get(reverse("conversations:sensemaking-pdf", args=[demo.first_cycle.pk]))
    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "better story" in text and "Rebook without losing" in text
    assert_tagged(pdf.content, title=f"Iceberg, vision and plan – cycle {demo.first_cycle.number}")


def test_moving_an_item_by_its_button(facilitator, demo):
    item = demo.iceberg_item
    response = facilitator.post(
        reverse("conversations:item-move", args=[item.conversation_id, item.pk]),
        {"level": "patterns"},
    )
    assert response.status_code == 302 and response["Location"].endswith(f"#item-{item.pk}")
    item.refresh_from_db()
    assert item.level == "patterns"
    bad = facilitator.post(
        reverse("conversations:item-move", args=[item.conversation_id, item.pk]),
        {"level": "basement"},
        follow=True,
    )
    assert "Choose one of the four levels" in bad.content.decode()


def test_merging_an_item_of_another_board_is_refused_on_the_form(facilitator, demo, jo):
    item = demo.iceberg_item
    elsewhere = services.item_add(
        actor=jo, conversation=demo.plan_conversation, level="events", text="Elsewhere"
    )
    response = facilitator.post(
        reverse("conversations:item", args=[item.conversation_id, item.pk]),
        {"form": "merge", "into": elsewhere.pk},
    )
    assert response.status_code == 200
    assert "Choose an item on this board" in response.content.decode()
    assert IcebergItem.objects.get(pk=item.pk).merged_into is None


def test_the_plan_page_warns_when_everything_is_on_the_surface(facilitator, demo, jo):
    conversation = services.conversation_create(
        actor=jo, cycle=demo.first_cycle, number=4, purpose="x", date=dt.date(2026, 7, 2)
    )
    plan = services.plan_for(actor=jo, conversation=conversation)
    services.action_add(actor=jo, plan=plan, title="Tea", level="events")
    page = facilitator.get(reverse("conversations:plan", args=[conversation.pk])).content.decode()
    assert "Every action works at the surface" in page


def test_a_conversation_out_of_scope_is_refused(client_for, demo, jo):
    from hct.partnership.services import cycle_start, partnership_create

    other = partnership_create(actor=jo, name="Elsewhere")
    cycle = cycle_start(actor=jo, partnership=other, neighbourhood=demo.other_neighbourhood)
    theirs = services.conversation_create(
        actor=jo, cycle=cycle, number=1, purpose="x", date=dt.date(2026, 2, 1)
    )
    for role in ("facilitator", "partner", "board"):
        response = client_for(role).get(reverse("conversations:detail", args=[theirs.pk]))
        assert response.status_code == 403, role
    missing = client_for("facilitator").get(reverse("conversations:detail", args=[999999]))
    assert missing.status_code == 404


def test_citing_evidence_on_the_item_page(facilitator, demo):
    item = demo.iceberg_item
    url = reverse("conversations:item", args=[item.conversation_id, item.pk])
    page = facilitator.get(url).content.decode()
    assert "A touchpoint of the journey" in page
    none = facilitator.post(url, {"form": "evidence"})
    assert "Choose exactly one thing to cite" in none.content.decode()
    two = facilitator.post(
        url, {"form": "evidence", "touchpoint": demo.sam_touchpoint.pk, "gap": demo.sam_gap.pk}
    )
    assert "Choose exactly one thing to cite" in two.content.decode()
    done = facilitator.post(url, {"form": "evidence", "touchpoint": demo.sam_touchpoint.pk})
    assert done.status_code == 302
    assert item.evidence.filter(touchpoint=demo.sam_touchpoint).exists()
    again = facilitator.post(url, {"form": "evidence", "touchpoint": demo.sam_touchpoint.pk})
    assert "already cites that evidence" in again.content.decode()


def test_the_code_on_an_invitation_marks_them_here_once(facilitator, demo):
    michael = demo.conversation.participants.get(name="Father Michael")
    url = reverse("conversations:door", args=[demo.conversation.pk])
    typed = f" {michael.code[:3].lower()} {michael.code[3:]} "
    response = facilitator.post(url, {"form": "code", "door-code": typed})
    assert response.status_code == 302 and response["Location"].endswith(f"#p-{michael.pk}")
    michael.refresh_from_db()
    assert michael.attended_at is not None
    again = facilitator.post(url, {"form": "code", "door-code": michael.code})
    assert "already marked as here" in again.content.decode()
    wrong = facilitator.post(url, {"form": "code", "door-code": "ZZZZZZ"})
    page = wrong.content.decode()
    assert "No one on this conversation&#x27;s list has the code ZZZZZZ" in page
    assert 'href="#id_door-code"' in page


def test_a_journeys_moments_are_named_on_the_board_to_facilitators_only(client_for, demo):
    item = demo.iceberg_item
    services.evidence_add(
        actor=demo.users["facilitator"], item=item, touchpoint=demo.sam_touchpoint
    )
    url = reverse("conversations:iceberg", args=[item.conversation_id])
    assert (
        f"Touchpoint {demo.sam_touchpoint.position}:"
        in client_for("facilitator").get(url).content.decode()
    )
    board_page = client_for("board").get(url).content.decode()
    assert "A moment of the journey at the centre" in board_page
    assert demo.sam_touchpoint.when not in board_page


def test_inviting_someone_from_a_partner_organisation(facilitator, demo):
    partner = demo.partnership.partners.get(sector="nhs")
    url = reverse("conversations:participants", args=[demo.conversation.pk])
    response = facilitator.post(url, {"name": "Asha", "partner": partner.pk, "sector": "nhs"})
    assert response.status_code == 302
    asha = demo.conversation.participants.get(name="Asha")
    assert asha.partner == partner and asha.organisation == partner.name
    missing = facilitator.post(url, {"name": "", "sector": ""})
    page = missing.content.decode()
    assert "Enter the name they want to be known by here" in page
    assert "Choose the sector they come from" in page


def test_a_vision_revision_shows_what_changed(facilitator, demo):
    board = demo.sensemaking_conversation
    url = reverse("conversations:vision-write", args=[board.pk])
    response = facilitator.post(
        url, {"text": "Sam tells his story once. <b>Nobody</b> waits.", "note": "Shorter"}
    )
    assert response.status_code == 302
    page = facilitator.get(reverse("conversations:vision", args=[board.pk])).content.decode()
    assert "What changed since revision 1" in page
    assert "<ins>" in page and "<del>" in page
    assert "&lt;b&gt;Nobody&lt;/b&gt;" in page and "<b>Nobody" not in page
    first = facilitator.get(reverse("conversations:vision", args=[board.pk]) + "?revision=1")
    assert "What changed since" not in first.content.decode()


def test_saying_what_the_plan_is_for(facilitator, demo):
    url = reverse("conversations:plan-summary", args=[demo.plan_conversation.pk])
    assert facilitator.post(url, {"summary": "Fewer gaps <i>now</i>"}).status_code == 302
    page = facilitator.get(reverse("conversations:plan", args=[demo.plan_conversation.pk]))
    assert "Fewer gaps &lt;i&gt;now&lt;/i&gt;" in page.content.decode()


def test_the_person_at_the_centre_is_named_to_facilitators_only(client_for, demo):
    url = reverse("conversations:detail", args=[demo.conversation.pk])
    assert demo.sam.alias in client_for("facilitator").get(url).content.decode()
    for role in ("partner", "board"):
        page = client_for(role).get(url).content.decode()
        assert demo.sam.alias not in page, role
        assert "A person's story and journey, told with their agreement" in page


def test_marking_a_link_on_the_map_from_the_item_page(facilitator, demo):
    from hct.conversations.selectors import map_actors
    from hct.systemmap.models import Actor

    item = demo.iceberg_item
    neighbourhood = item.conversation.cycle.neighbourhood
    url = reverse("conversations:item", args=[item.conversation_id, item.pk])
    page = facilitator.get(url).content.decode()
    assert reverse("systemmap:map", args=[neighbourhood.slug]) in page
    one, two = map_actors(neighbourhood)[:2]
    there = Actor.objects.create(
        name="Far Away Surgery",
        kind=Actor.Kind.LOCAL_SERVICE,
        sector=Actor.DEFAULT_SECTOR[Actor.Kind.LOCAL_SERVICE],
        neighbourhood=demo.other_neighbourhood,
    )
    form = {"form": "maplink", "link_kind": "referral", "link_status": "missing"}
    refused = facilitator.post(url, {**form, "from_actor": one.pk, "to_actor": there.pk})
    assert f"Choose an actor on {neighbourhood.name}&#x27;s map" in refused.content.decode()
    assert 'href="#id_to_actor"' in refused.content.decode()
    done = facilitator.post(
        url, {**form, "from_actor": one.pk, "to_actor": two.pk, "link_note": "<b>never</b>"}
    )
    assert done.status_code == 302
    assert item.evidence.filter(link__from_actor=one, link__to_actor=two).exists()


def test_the_map_shows_what_was_said_and_the_pages_link_to_it(client_for, demo):
    from hct.conversations.selectors import map_actors

    item = demo.iceberg_item
    neighbourhood = item.conversation.cycle.neighbourhood
    one, two = map_actors(neighbourhood)[:2]
    services.map_link_mark(
        actor=demo.users["facilitator"],
        item=item,
        from_actor=one,
        to_actor=two,
        kind="referral",
        status="broken",
        note="Nobody <i>calls</i> back",
    )
    board = client_for("board")
    map_url = reverse("systemmap:map", args=[neighbourhood.slug])
    for name in ("conversations:detail", "conversations:iceberg"):
        assert map_url in board.get(reverse(name, args=[item.conversation_id])).content.decode()
    page = board.get(map_url).content.decode()
    assert "Said at Big Conversations" in page
    assert "Nobody &lt;i&gt;calls&lt;/i&gt; back" in page
