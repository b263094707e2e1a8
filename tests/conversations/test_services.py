"""Services of Big Conversations against the real database: dates, numbers, the door, balance,
places held, consent for the story at the centre, contributions, the iceberg, vision and plan."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from hct.conversations import selectors, services
from hct.conversations.models import (
    AttendeeSector,
    Contribution,
    Conversation,
    Evidence,
    IcebergItem,
    IcebergLevel,
    Participant,
    PlanAction,
)
from hct.core.models import AuditEvent
from hct.partnership.models import Partnership
from hct.partnership.services import cycle_start, partner_add, partnership_create
from hct.people.models import Purpose
from hct.people.services import consent_withdraw

pytestmark = pytest.mark.django_db

S = AttendeeSector


@pytest.fixture
def jo(demo):
    return demo.users["facilitator"]


@pytest.fixture
def fresh(demo, jo):
    """A fourth conversation of the first cycle, with nobody on its list."""
    return services.conversation_create(
        actor=jo,
        cycle=demo.first_cycle,
        number=4,
        purpose="Coming back together",
        date=dt.date(2026, 7, 1),
        starts_at=dt.time(18),
        places=4,
    )


def _withdraw(demo, jo):
    consent_withdraw(
        actor=jo, person=demo.sam, purpose=Purpose.STORY_AT_CONVERSATION, on=dt.date.today()
    )


def _invite(jo, conversation, name, sector, organisation=""):
    return services.participant_invite(
        actor=jo, conversation=conversation, name=name, sector=sector, organisation=organisation
    )


# Dates and numbers ------------------------------------------------------------------------------


def test_a_conversation_before_its_cycle_started_is_refused(demo, jo):
    with pytest.raises(ValidationError) as error:
        services.conversation_create(
            actor=jo, cycle=demo.first_cycle, number=5, purpose="x", date=dt.date(2025, 8, 31)
        )
    assert error.value.message_dict == {
        "date": [services.ERROR_BEFORE_CYCLE.format(start="1 September 2025")]
    }
    assert not Conversation.objects.filter(number=5).exists()


def test_a_conversation_after_a_finished_cycle_is_refused(demo, jo):
    from hct.partnership.services import cycle_advance

    cycle_advance(actor=jo, cycle=demo.first_cycle, stage="act", on=dt.date(2026, 9, 1))
    cycle_advance(
        actor=jo,
        cycle=demo.first_cycle,
        stage="bc3",
        on=dt.date(2026, 9, 30),
        reason="The plan needs another go",
    )
    demo.first_cycle.refresh_from_db()
    stage = demo.first_cycle.stages.get(stage="bc3")
    stage.ended_on = dt.date(2026, 10, 1)
    stage.save()
    with pytest.raises(ValidationError) as error:
        services.conversation_create(
            actor=jo, cycle=demo.first_cycle, number=5, purpose="x", date=dt.date(2026, 10, 2)
        )
    assert error.value.message_dict == {
        "date": [services.ERROR_AFTER_CYCLE.format(end="1 October 2026")]
    }


def test_a_number_is_its_cycles_only_one(demo, jo):
    with pytest.raises(ValidationError) as error:
        services.conversation_create(
            actor=jo, cycle=demo.first_cycle, number=2, purpose="x", date=dt.date(2026, 5, 1)
        )
    assert error.value.message_dict == {
        "number": [services.ERROR_NUMBER_TAKEN.format(cycle=1, number=2)]
    }


def test_an_end_before_the_start_is_refused(demo, jo):
    with pytest.raises(ValidationError) as error:
        services.conversation_create(
            actor=jo,
            cycle=demo.first_cycle,
            number=5,
            purpose="x",
            date=dt.date(2026, 5, 1),
            starts_at=dt.time(18),
            ends_at=dt.time(17),
        )
    assert "ends_at" in error.value.message_dict


def test_an_invitation_without_a_time_is_refused(demo, jo):
    conversation = services.conversation_create(
        actor=jo, cycle=demo.first_cycle, number=5, purpose="x", date=dt.date(2026, 5, 1)
    )
    from hct.conversations.ics import ERROR_NO_TIME

    with pytest.raises(ValidationError) as error:
        services.invitation_ics(conversation)
    assert error.value.messages == [ERROR_NO_TIME]


def test_the_invitation_is_an_icalendar_event_in_utc(demo):
    text = services.invitation_ics(demo.conversation, host="example.org")
    lines = text.split("\r\n")
    assert lines[0] == "BEGIN:VCALENDAR" and lines[-2] == "END:VCALENDAR"
    # 18:00 in London on 12 February (GMT) is 18:00 UTC.
    assert "DTSTART:20260212T180000Z" in lines
    assert "DTEND:20260212T203000Z" in lines
    assert f"UID:conversation-{demo.conversation.pk}@example.org" in lines
    assert any(line.startswith("LOCATION:St Mary's church hall\\, Side door") for line in lines)
    assert all(len(line.encode()) <= 75 for line in lines)


def test_summer_times_are_given_in_utc(demo):
    # 18:00 in London on 25 June is British Summer Time: 17:00 UTC.
    assert "DTSTART:20260625T170000Z" in services.invitation_ics(demo.plan_conversation)


# The door and the balance ----------------------------------------------------------------------


def test_nobody_is_counted_twice_at_the_door(fresh, jo):
    ray = _invite(jo, fresh, "Ray", S.COMMUNITY_GROUP, "The Men's Shed")
    services.participant_attend(actor=jo, participant=ray)
    with pytest.raises(ValidationError) as error:
        services.participant_attend(actor=jo, participant=ray)
    assert error.value.messages == [services.ERROR_ALREADY_HERE.format(name="Ray")]
    # Nor can he walk in again under the same name and group, however it is typed.
    with pytest.raises(ValidationError) as error:
        services.participant_walk_in(
            actor=jo,
            conversation=fresh,
            name="  ray ",
            organisation="the men's  shed",
            sector=S.COMMUNITY_GROUP,
        )
    assert "name" in error.value.message_dict
    assert selectors.balance(fresh).present == {S.COMMUNITY_GROUP: 1}


def test_the_same_name_twice_on_the_list_is_refused(fresh, jo):
    _invite(jo, fresh, "Helen", S.COUNCIL, "Public health")
    with pytest.raises(ValidationError) as error:
        _invite(jo, fresh, "HELEN", S.COUNCIL, "Public Health")
    assert error.value.message_dict == {
        "name": [services.ERROR_COUNTED_TWICE.format(name="HELEN", organisation="Public Health")]
    }
    # Another Helen, from another organisation, is someone else.
    _invite(jo, fresh, "Helen", S.COMMUNITY_MEMBER)


def test_balance_warns_when_community_voices_are_fewer(fresh, jo):
    steve = _invite(jo, fresh, "Steve", S.NHS, "IAPT")
    gp = _invite(jo, fresh, "Dr Shah", S.GP, "Practice")
    sam = _invite(jo, fresh, "Sam", S.COMMUNITY_MEMBER)
    _invite(jo, fresh, "Jo", S.VOLUNTARY, "Grapevine")  # on neither side
    balance = selectors.balance(fresh)
    assert (balance.community_invited, balance.statutory_invited) == (1, 2)
    assert balance.warning == selectors.WARNING_FEWER_COMMUNITY.format(community=1, statutory=2)
    # In the room, the room's balance is what counts.
    for person in (steve, sam):
        services.participant_attend(actor=jo, participant=person)
    balance = selectors.balance(fresh)
    assert (balance.community_present, balance.statutory_present) == (1, 1)
    assert balance.warning == ""
    services.participant_attend(actor=jo, participant=gp)
    assert selectors.balance(fresh).warning


def test_a_no_is_not_invited_but_counts_if_they_come(fresh, jo):
    steve = _invite(jo, fresh, "Steve", S.NHS, "IAPT")
    services.participant_reply(actor=jo, participant=steve, coming=False)
    assert selectors.balance(fresh).invited == {}
    services.participant_attend(actor=jo, participant=steve)
    assert selectors.balance(fresh).present == {S.NHS: 1}


def test_held_places_go_to_their_sector_and_the_rest_wait(fresh, jo):
    # The room holds 4; 2 are held for community members.
    services.places_hold(actor=jo, conversation=fresh, held={S.COMMUNITY_MEMBER: 2})
    leaders = [_invite(jo, fresh, f"Leader {i}", S.NHS, "Trust") for i in range(3)]
    replies = [services.participant_reply(actor=jo, participant=p, coming=True) for p in leaders]
    assert [p.reply for p in replies] == ["coming", "coming", "waiting"]
    sam = _invite(jo, fresh, "Sam", S.COMMUNITY_MEMBER)
    lorraine = _invite(jo, fresh, "Lorraine", S.COMMUNITY_MEMBER)
    jas = _invite(jo, fresh, "Jas", S.COMMUNITY_MEMBER)
    assert services.participant_reply(actor=jo, participant=sam, coming=True).reply == "coming"
    assert services.participant_reply(actor=jo, participant=lorraine, coming=True).reply == "coming"
    assert services.participant_reply(actor=jo, participant=jas, coming=True).reply == "waiting"
    # A leader says no after all: the first on the waiting list who fits takes the place.
    services.participant_reply(actor=jo, participant=leaders[0], coming=False)
    leaders[2].refresh_from_db()
    assert leaders[2].reply == "coming"


def test_more_places_held_than_the_room_holds_is_refused(fresh, jo):
    with pytest.raises(ValidationError) as error:
        services.places_hold(
            actor=jo, conversation=fresh, held={S.COMMUNITY_MEMBER: 3, S.COMMUNITY_GROUP: 2}
        )
    assert error.value.messages == [services.ERROR_HELD_TOO_MANY.format(held=5, places=4)]


def test_an_organisation_of_another_partnership_is_refused(fresh, jo):
    other = partnership_create(actor=jo, name="Elsewhere")
    partner = partner_add(actor=jo, partnership=other, name="Other trust", sector="nhs")
    with pytest.raises(ValidationError) as error:
        services.participant_invite(
            actor=jo, conversation=fresh, name="Pat", sector=S.NHS, partner=partner
        )
    assert error.value.message_dict == {"partner": [services.ERROR_PARTNER_OTHER]}


# The story at the centre ---------------------------------------------------------------------


def test_the_story_is_shown_only_while_consent_is_current(demo, jo):
    centre = selectors.story_at_centre(demo.conversation)
    assert centre.story == demo.sam_story and centre.refused == ""
    assert centre.quotes and centre.touchpoints
    _withdraw(demo, jo)
    centre = selectors.story_at_centre(demo.conversation)
    assert centre.refused.startswith(f"{demo.sam.alias} has not agreed")
    assert centre.quotes == [] and centre.touchpoints == []


def test_a_story_without_consent_cannot_be_put_at_the_centre(demo, jo, fresh):
    _withdraw(demo, jo)
    with pytest.raises(ValidationError):
        services.centre_set(actor=jo, conversation=fresh, story=demo.sam_story)
    fresh.refresh_from_db()
    assert fresh.story is None


def test_the_journey_at_the_centre_is_the_storytellers(demo, jo, fresh):
    from hct.journeys.models import Journey

    other = Journey.objects.exclude(person=demo.sam).first()
    with pytest.raises(ValidationError) as error:
        services.centre_set(actor=jo, conversation=fresh, story=demo.sam_story, journey=other)
    assert error.value.message_dict == {"journey": [services.ERROR_JOURNEY_NOT_THEIRS]}


# Contributions ----------------------------------------------------------------------------------


def test_a_speaker_is_named_only_with_their_agreement(fresh, jo):
    with pytest.raises(ValidationError) as error:
        services.contribution_add(actor=jo, conversation=fresh, text="Hello", speaker_name="Ray")
    assert "speaker_name" in error.value.message_dict
    named = services.contribution_add(
        actor=jo, conversation=fresh, text="Hello", speaker_name="Ray", name_agreed=True
    )
    assert named.speaker_name == "Ray"


def test_contributions_are_kept_exactly_as_typed(fresh, jo):
    text = "  <script>alert(1)</script>\n\t= SUM(A1)  "
    saved = services.contribution_add(actor=jo, conversation=fresh, text=text)
    saved.refresh_from_db()
    assert saved.text == text
    event = AuditEvent.objects.filter(verb="conversation.contribution").latest("id")
    assert "script" not in str(event.details)


def test_closing_figures_count_attendees_organisations_and_contributions(demo):
    figures = selectors.closing_figures(demo.conversation)
    assert figures["attendees"] == 15
    assert "The Men's Shed" in figures["organisations"]
    assert "St Mary's" not in figures["organisations"]  # invited, did not come
    assert figures["contributions"] == 8


# The iceberg ------------------------------------------------------------------------------------


def test_items_move_between_levels(demo, jo):
    item = demo.iceberg_item
    services.item_move(actor=jo, item=item, level=IcebergLevel.STRUCTURES)
    levels = selectors.iceberg_board(demo.sensemaking_conversation)
    assert item in levels[2]["items"]
    assert [level["prompt"] for level in levels] == [
        "What just happened?",
        "What trends over time?",
        "What structures influence the patterns?",
        "What beliefs keep the system in place?",
    ]


def test_merging_moves_evidence_and_links_and_leaves_the_board(demo, jo):
    board = demo.sensemaking_conversation
    first, second = IcebergItem.objects.filter(conversation=board).order_by("id")[:2]
    shared = Evidence.objects.filter(item=first).first().contribution
    services.evidence_add(actor=jo, item=second, contribution=shared)  # cited by both
    action = PlanAction.objects.filter(items=second).first()
    before = set(
        Evidence.objects.filter(item__in=[first, second]).values_list("contribution", flat=True)
    )
    services.item_merge(actor=jo, item=second, into=first)
    after = set(Evidence.objects.filter(item=first).values_list("contribution", flat=True))
    assert after == before
    second.refresh_from_db()
    assert second.merged_into == first
    assert second not in [i for level in selectors.iceberg_board(board) for i in level["items"]]
    if action is not None:
        assert first in action.items.all()


def test_a_merge_across_boards_is_refused(demo, jo):
    here = demo.iceberg_item
    there = services.item_add(
        actor=jo, conversation=demo.plan_conversation, level="events", text="Elsewhere"
    )
    with pytest.raises(ValidationError) as error:
        services.item_merge(actor=jo, item=here, into=there)
    assert error.value.messages == [services.ERROR_ACROSS_BOARDS]
    with pytest.raises(ValidationError) as error:
        services.item_merge(actor=jo, item=here, into=here)
    assert error.value.messages == [services.ERROR_MERGE_ITSELF]


def test_evidence_from_another_partnership_is_refused(demo, jo):
    other = partnership_create(actor=jo, name="Elsewhere")
    cycle = cycle_start(
        actor=jo,
        partnership=other,
        neighbourhood=demo.other_neighbourhood,
        started_on=dt.date(2026, 1, 1),
    )
    theirs = services.conversation_create(
        actor=jo, cycle=cycle, number=1, purpose="x", date=dt.date(2026, 2, 1)
    )
    said = services.contribution_add(actor=jo, conversation=theirs, text="Not ours")
    with pytest.raises(ValidationError) as error:
        services.evidence_add(actor=jo, item=demo.iceberg_item, contribution=said)
    assert error.value.messages == [services.ERROR_OTHER_PARTNERSHIP]
    # Sam's touchpoints and gaps are this partnership's; and a contribution is cited once.
    services.evidence_add(actor=jo, item=demo.iceberg_item, touchpoint=demo.sam_touchpoint)
    services.evidence_add(actor=jo, item=demo.iceberg_item, gap=demo.sam_gap)
    with pytest.raises(ValidationError) as error:
        services.evidence_add(actor=jo, item=demo.iceberg_item, gap=demo.sam_gap)
    assert error.value.messages == [services.ERROR_ALREADY_CITED]
    assert Partnership.objects.count() == 2


def test_accepting_a_theme_puts_it_on_the_board_with_its_contributions(demo, jo):
    board = demo.sensemaking_conversation
    suggestions = services.themes_suggest(actor=jo, conversation=board)
    assert suggestions
    chosen = next(s for s in suggestions if any(p["source"] == "contribution" for p in s.passages))
    item = services.theme_accept(
        actor=jo, suggestion=chosen, text="Services wait for people", level="structures"
    )
    cited = set(item.evidence.values_list("contribution", flat=True))
    assert cited == {p["id"] for p in chosen.passages if p["source"] == "contribution"}
    with pytest.raises(ValidationError):
        services.theme_drop(actor=jo, suggestion=chosen)
    # Suggesting again keeps what was decided and replaces only the open suggestions.
    again = services.themes_suggest(actor=jo, conversation=board)
    assert chosen.label not in {s.label for s in again}


def test_themes_leave_out_a_story_whose_consent_is_withdrawn(demo, jo):
    board = demo.sensemaking_conversation
    assert any(source == "story" for source, _, _ in selectors.theme_corpus(board))
    _withdraw(demo, jo)
    assert not any(source == "story" for source, _, _ in selectors.theme_corpus(board))


# Vision and plan --------------------------------------------------------------------------------


def test_each_vision_is_a_new_revision(demo, jo):
    board = demo.sensemaking_conversation
    item = demo.iceberg_item
    second = services.vision_write(
        actor=jo, conversation=board, text="Better still", answers=[item]
    )
    assert second.number == 2
    assert [r.number for r in selectors.vision_revisions(board)] == [2, 1]
    with pytest.raises(ValidationError) as error:
        services.vision_write(actor=jo, conversation=board, text="   ")
    assert "text" in error.value.message_dict


def test_a_vision_cannot_answer_another_cycles_items(demo, jo):
    other = partnership_create(actor=jo, name="Elsewhere")
    cycle = cycle_start(actor=jo, partnership=other, neighbourhood=demo.other_neighbourhood)
    theirs = services.conversation_create(
        actor=jo, cycle=cycle, number=1, purpose="x", date=dt.date(2026, 2, 1)
    )
    foreign = services.item_add(actor=jo, conversation=theirs, level="events", text="x")
    with pytest.raises(ValidationError) as error:
        services.vision_write(
            actor=jo, conversation=demo.sensemaking_conversation, text="x", answers=[foreign]
        )
    assert error.value.message_dict == {"answers": [services.ERROR_ITEM_OTHER_CYCLE]}
    with pytest.raises(ValidationError):
        services.items_of_cycle(demo.plan_conversation, [foreign.pk])


def test_the_plan_warns_when_every_action_is_at_the_surface(demo, jo, fresh):
    plan = services.plan_for(actor=jo, conversation=fresh)
    assert selectors.plan_detail(fresh).warning == ""  # no actions yet: nothing to warn about
    services.action_add(actor=jo, plan=plan, title="Tea after", level=IcebergLevel.EVENTS)
    assert selectors.plan_detail(fresh).warning == selectors.WARNING_SURFACE_ONLY
    services.action_add(
        actor=jo, plan=plan, title="Change the rules", level=IcebergLevel.STRUCTURES
    )
    assert selectors.plan_detail(fresh).warning == ""
    # The demo's plan reaches every level below the surface.
    assert selectors.plan_detail(demo.plan_conversation).warning == ""


def test_an_action_owned_by_another_partnerships_organisation_is_refused(demo, jo):
    other = partnership_create(actor=jo, name="Elsewhere")
    partner = partner_add(actor=jo, partnership=other, name="Other trust", sector="nhs")
    plan = demo.plan_conversation.plan
    with pytest.raises(ValidationError) as error:
        services.action_add(actor=jo, plan=plan, title="x", level="events", owner_partner=partner)
    assert error.value.message_dict == {"owner_partner": [services.ERROR_PARTNER_OTHER]}


def test_the_demo_loads_three_conversations_once(demo):
    from hct.demo.conversations import conversations_demo_load

    before = Conversation.objects.count(), Contribution.objects.count(), Participant.objects.count()

    class Summary:
        created: list = []

    conversations_demo_load(Summary())
    after = Conversation.objects.count(), Contribution.objects.count(), Participant.objects.count()
    assert before == after
    assert list(demo.first_cycle.conversations.values_list("number", flat=True)) == [1, 2, 3]


def test_a_suggestion_keeps_no_copy_of_a_storys_words(demo, jo):
    from hct.conversations.models import ThemeSuggestion

    board = demo.sensemaking_conversation
    services.themes_suggest(actor=jo, conversation=board)
    stored = [p for s in ThemeSuggestion.objects.filter(conversation=board) for p in s.passages]
    story_passages = [p for p in stored if p["source"] == "story"]
    assert story_passages, "the demo's story should carry a theme"
    assert all("text" not in p for p in story_passages)
    shown = [p for s in selectors.theme_suggestions(board) for p in s.passages]
    for passage in (p for p in shown if p["source"] == "story"):
        assert passage["text"] in demo.sam_story.text
    _withdraw(demo, jo)
    shown = [p for s in selectors.theme_suggestions(board) for p in s.passages]
    assert not [p for p in shown if p["source"] == "story"]


def test_dots_order_the_board_and_add_up_when_merged(demo, jo):
    board = demo.sensemaking_conversation
    a = services.item_add(actor=jo, conversation=board, level="events", text="A")
    b = services.item_add(actor=jo, conversation=board, level="events", text="B")
    for _ in range(3):
        b = services.item_vote(actor=jo, item=b, change=1)
    a = services.item_vote(actor=jo, item=a, change=-1)
    assert (a.votes, b.votes) == (0, 3)
    events = selectors.iceberg_board(board)[0]["items"]
    assert events.index(b) < events.index(a)
    services.item_vote(actor=jo, item=a, change=1)
    into = services.item_merge(actor=jo, item=a, into=b)
    into.refresh_from_db()
    assert into.votes == 4


def test_each_of_the_three_belongs_to_its_stage_of_the_cycle(demo, fresh):
    assert demo.conversation.stage == "bc1"
    assert demo.sensemaking_conversation.stage == "bc2"
    assert demo.plan_conversation.stage == "bc3"
    assert fresh.stage is None


def _shared_actors(demo):
    return list(selectors.map_actors(demo.iceberg_item.conversation.cycle.neighbourhood)[:2])


def test_marking_a_link_puts_what_was_said_on_the_map_and_cites_it(demo, jo):
    from hct.systemmap.models import LinkEvidence

    item = demo.iceberg_item
    gp, therapies = _shared_actors(demo)
    cited = services.map_link_mark(
        actor=jo,
        item=item,
        from_actor=gp,
        to_actor=therapies,
        kind="referral",
        status="broken",
        note="The GP never hears back",
    )
    link = cited.link
    assert (link.from_actor, link.to_actor, link.kind) == (gp, therapies, "referral")
    said = LinkEvidence.objects.get(link=link, source="conversation")
    assert (said.status, said.note) == ("broken", "The GP never hears back")
    assert AuditEvent.objects.filter(verb="link.evidence").exists()
    # Said again: one more piece of evidence on the map, still one citation on the item.
    again = services.map_link_mark(
        actor=jo,
        item=item,
        from_actor=gp,
        to_actor=therapies,
        kind="referral",
        status="strained",
    )
    assert again.pk == cited.pk
    assert LinkEvidence.objects.filter(link=link, source="conversation").count() == 2
    assert item.evidence.filter(link=link).count() == 1


def test_an_actor_of_another_neighbourhood_is_refused_on_its_field(demo, jo):
    from hct.systemmap.models import Actor, Link

    item = demo.iceberg_item
    here, _ = _shared_actors(demo)
    there = Actor.objects.create(
        name="Far Away Surgery",
        kind=Actor.Kind.LOCAL_SERVICE,
        sector=Actor.DEFAULT_SECTOR[Actor.Kind.LOCAL_SERVICE],
        neighbourhood=demo.other_neighbourhood,
    )
    links = Link.objects.count()
    with pytest.raises(ValidationError) as error:
        services.map_link_mark(
            actor=jo, item=item, from_actor=here, to_actor=there, kind="referral", status="missing"
        )
    assert set(error.value.message_dict) == {"to_actor"}
    assert (
        "Far Away Surgery is on another neighbourhood's map"
        in error.value.message_dict["to_actor"][0]
    )
    assert Link.objects.count() == links
    assert not item.evidence.filter(link__to_actor=there).exists()
