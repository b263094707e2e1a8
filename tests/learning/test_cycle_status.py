"""Where a cycle stands, computed from a small hand-made world with known answers: a
neighbourhood of its own with one cycle, and each kind of work recorded in it a known number of
times (and some just outside it: before the cycle began, in another neighbourhood, merged,
declined), so every line of the cycle's page has one right answer."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from hct.commitments.models import Commitment, Status
from hct.conversations.models import (
    AttendeeSector,
    Conversation,
    IcebergItem,
    IcebergLevel,
    Participant,
    Plan,
    PlanAction,
    VisionRevision,
)
from hct.core.roles import Role
from hct.learning import cycle_status
from hct.learning.models import AssetFound, FieldNote
from hct.matching.models import Match
from hct.partnership.models import CharterRevision, Cycle, CycleStage, Partner, Stage
from hct.people.models import Consent, Need, Purpose
from tests.learning.helpers import neighbourhood, person, spare_lsoas, story

pytestmark = pytest.mark.django_db

BEGAN = dt.date(2026, 3, 2)


def _cycle(demo, place, number: int) -> Cycle:
    cycle = Cycle.objects.create(
        partnership=demo.partnership,
        neighbourhood=place,
        number=number,
        current_stage=Stage.BIG_CONVERSATION_2,
    )
    for stage in Stage:
        CycleStage.objects.create(
            cycle=cycle,
            stage=stage,
            started_on=BEGAN if stage == Stage.POOLSIDE else None,
            planned_start=BEGAN + dt.timedelta(days=30) if stage == Stage.STORY else None,
        )
    return cycle


def _backdate(model, pk, day: dt.date):
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    model.objects.filter(pk=pk).update(created_at=moment)


def _participants(conversation, community: int, statutory: int, *, here: bool):
    at = timezone.now() if here else None
    for i in range(community):
        Participant.objects.create(
            conversation=conversation,
            name=f"Neighbour {i}",
            key=f"n{i}",
            sector=AttendeeSector.COMMUNITY_MEMBER,
            code=f"C{i}",
            attended_at=at,
        )
    for i in range(statutory):
        Participant.objects.create(
            conversation=conversation,
            name=f"Officer {i}",
            key=f"o{i}",
            sector=AttendeeSector.NHS,
            code=f"S{i}",
            attended_at=at,
        )


@pytest.fixture
def world(demo):
    """One cycle in a neighbourhood of its own, begun on 2 March 2026, and its work."""
    facilitator = demo.users["facilitator"]
    lsoas = spare_lsoas(3)
    place = neighbourhood("Status Town", lsoas[:2])
    elsewhere = neighbourhood("Other Town", lsoas[2:])
    cycle = _cycle(demo, place, 50)
    before = BEGAN - dt.timedelta(days=10)

    # Charter: revisions made before the cycle do not count as revisiting it; one after does.
    latest = CharterRevision.objects.filter(partnership=demo.partnership).order_by("-number")
    base = latest.first()
    for extra, day in ((1, before), (2, BEGAN + dt.timedelta(days=3))):
        revision = CharterRevision.objects.create(
            partnership=demo.partnership,
            number=base.number + extra,
            author=facilitator,
            **{name: getattr(base, name) for name, _ in CharterRevision.SECTIONS},
        )
        _backdate(CharterRevision, revision.pk, day)
    # Every earlier revision (the demo's, made when the test database was loaded) is older.
    for older in CharterRevision.objects.filter(
        partnership=demo.partnership, number__lte=base.number
    ):
        _backdate(CharterRevision, older.pk, before)

    # Dive in: two field notes, three assets.
    for n, assets in ((1, 2), (2, 1)):
        note = FieldNote.objects.create(
            cycle=cycle, written_on=BEGAN, where_useful="Ran the tea", author=facilitator
        )
        for a in range(assets):
            AssetFound.objects.create(
                field_note=note,
                name=f"Asset {n}.{a}",
                kind=AssetFound.Kind.COMMUNITY_GROUP,
                lsoa=place.lsoas.first(),
            )

    # Stories: three heard here since the cycle began, one of them told with consent; one
    # heard before it began, one elsewhere (with consent), neither counted.
    tellers = [person(lsoas[0], f"T{i}") for i in range(3)]
    for teller in tellers:
        story(teller)
    Consent.objects.create(
        person=tellers[0],
        purpose=Purpose.STORY_AT_CONVERSATION,
        given_on=BEGAN,
        how=Consent.How.IN_PERSON,
    )
    old = story(person(lsoas[1], "Early"))
    _backdate(type(old), old.pk, before)
    far = person(lsoas[2], "Far")
    story(far)
    Consent.objects.create(
        person=far, purpose=Purpose.STORY_AT_CONVERSATION, given_on=BEGAN, how="in_person"
    )

    # Big Conversations: 1 held (2 community, 3 statutory in the room) with the story at the
    # centre; 2 planned for later (4 community and 1 statutory invited); no 3.
    first = Conversation.objects.create(
        cycle=cycle,
        number=1,
        purpose="Meet",
        date=dt.date(2026, 4, 1),
        story=tellers[0].stories.first(),
    )
    _participants(first, 2, 3, here=True)
    second = Conversation.objects.create(
        cycle=cycle, number=2, purpose="Make sense", date=timezone.localdate() + dt.timedelta(9)
    )
    _participants(second, 4, 1, here=False)

    # Iceberg: two events (a third merged into one of them), one pattern.
    kept = IcebergItem.objects.create(conversation=second, level=IcebergLevel.EVENTS, text="A")
    IcebergItem.objects.create(conversation=second, level=IcebergLevel.EVENTS, text="B")
    IcebergItem.objects.create(
        conversation=second, level=IcebergLevel.EVENTS, text="A again", merged_into=kept
    )
    IcebergItem.objects.create(conversation=second, level=IcebergLevel.PATTERNS, text="C")
    VisionRevision.objects.create(conversation=second, number=1, text="Better", author=facilitator)
    VisionRevision.objects.create(conversation=second, number=2, text="Best", author=facilitator)

    # The plan: three actions, one at the surface, two below it.
    plan = Plan.objects.create(conversation=second)
    for level in (IcebergLevel.EVENTS, IcebergLevel.STRUCTURES, IcebergLevel.MENTAL_MODELS):
        PlanAction.objects.create(plan=plan, title=f"Act on {level}", level=level)

    # Commitments: three made here since the cycle began, one kept; one made before it.
    owner = Partner.objects.filter(partnership=demo.partnership).first()
    for made_on, status in (
        (BEGAN, Status.DONE),
        (BEGAN, Status.IN_PROGRESS),
        (BEGAN + dt.timedelta(days=5), Status.NOT_STARTED),
        (before, Status.DONE),
    ):
        Commitment.objects.create(
            partnership=demo.partnership,
            neighbourhood=place,
            title="A promise",
            owner=owner,
            lead_role="Lead",
            made_on=made_on,
            due_on=made_on + dt.timedelta(days=60),
            status=status,
        )

    # Matches: two made for people living here (one active, one ended), one declined.
    for status in (Match.Status.ACTIVE, Match.Status.ENDED, Match.Status.DECLINED):
        need = Need.objects.create(
            person=tellers[1], kind=Need.Kind.COMPANIONSHIP, in_their_words="Company"
        )
        other = Need.objects.create(
            person=tellers[2], kind=Need.Kind.COMPANIONSHIP, in_their_words="Company"
        )
        Match.objects.create(need=need, partner_need=other, distance_m=100, status=status)
    return {"cycle": cycle, "place": place, "elsewhere": elsewhere, "first": first}


def _figures(cycle):
    cycle = (
        Cycle.objects.prefetch_related("stages").select_related("neighbourhood").get(pk=cycle.pk)
    )
    return cycle_status.cycles_figures([cycle])[0]


def test_each_figure_has_its_known_answer(world):
    f = _figures(world["cycle"])
    assert f.began == BEGAN
    assert (f.charter_revisits, f.field_notes, f.assets_found) == (1, 2, 3)
    assert (f.stories, f.stories_with_consent) == (3, 1)
    assert f.centre.pk == world["first"].pk
    assert [(c.number, c.held, c.community, c.statutory) for c in f.conversations] == [
        (1, True, 2, 3),
        (2, False, 4, 1),
    ]
    assert f.iceberg == {"events": 2, "patterns": 1, "structures": 0, "mental_models": 0}
    assert f.visions == 2
    assert (f.plan_actions, f.actions_below_surface) == (3, 2)
    assert (f.commitments_made, f.commitments_kept) == (3, 1)
    assert f.matches_made == 2


def test_the_lines_say_what_is_done_and_what_is_missing(world):
    cycle = (
        Cycle.objects.prefetch_related("stages")
        .select_related("neighbourhood", "partnership")
        .get(pk=world["cycle"].pk)
    )
    lines = {line.label: line for line in cycle_status.cycle_status(cycle, exact=True)}
    assert lines["Stories heard with consent"].text == (
        "3 stories heard, 1 with consent to be told at a Big Conversation"
    )
    first = lines["Big Conversation 1"]
    assert first.done
    assert first.text == (
        "Held on 1 April 2026: 2 from the community, 3 from statutory services in the room "
        f"({cycle_status.FEWER_COMMUNITY})"
    )
    assert first.url == reverse("conversations:detail", args=[world["first"].pk])
    assert not lines["Big Conversation 2"].done  # planned, not yet held
    assert lines["Big Conversation 3"].text == cycle_status.MISSING_CONVERSATION
    assert lines["Iceberg items by level"].text == (
        "Events 2, patterns 1, structures 0, mental models 0"
    )
    assert lines["A plan with actions below the surface"].text == "3 actions, 2 below the surface"
    assert lines["Commitments made and kept"].text == "3 commitments made, 1 kept"
    assert lines["Matches made"].text == "2 matches made for people living in Status Town"
    # Counts of people go through disclosure control for anyone but a facilitator.
    shown = {line.label: line for line in cycle_status.cycle_status(cycle, exact=False)}
    assert shown["Stories heard with consent"].text == (
        "* stories heard, * with consent to be told at a Big Conversation"
    )
    assert shown["Matches made"].text.startswith("* matches made")
    assert shown["Field notes written"].text == "2 field notes written"  # not people


def test_what_is_missing_is_said_plainly(world):
    Consent.objects.filter(purpose=Purpose.STORY_AT_CONVERSATION).update(withdrawn_on=BEGAN)
    Conversation.objects.filter(cycle=world["cycle"]).update(story=None)
    PlanAction.objects.filter(level__in=["structures", "mental_models"]).delete()
    cycle = (
        Cycle.objects.prefetch_related("stages")
        .select_related("neighbourhood", "partnership")
        .get(pk=world["cycle"].pk)
    )
    lines = {line.label: line for line in cycle_status.cycle_status(cycle, exact=True)}
    stories = lines["Stories heard with consent"]
    assert not stories.done
    assert stories.text == f"{cycle_status.MISSING_CONSENT} (3 stories heard)"
    assert lines["The story at the centre"].text == cycle_status.MISSING_CENTRE
    assert lines["A plan with actions below the surface"].text == (
        f"{cycle_status.MISSING_BELOW} (1 action)"
    )


def test_cycles_read_together_keep_their_own_work(demo, world):
    """Two cycles in one call: each has only its own neighbourhood's work."""
    fresh = _cycle(demo, world["elsewhere"], 51)
    cycles = list(
        Cycle.objects.filter(pk__in=[world["cycle"].pk, fresh.pk])
        .prefetch_related("stages")
        .select_related("neighbourhood", "partnership")
        .order_by("number")
    )
    here, there = cycle_status.cycles_figures(cycles)
    assert (here.stories, here.field_notes, here.commitments_made) == (3, 2, 3)
    assert (there.stories, there.stories_with_consent) == (1, 1)  # the story told elsewhere
    lines = cycle_status.status_lines(there, exact=True)
    done = {line.label for line in lines if line.done}
    assert done == {"Poolside charter revisited", "Stories heard with consent"}
    texts = {line.label: line.text for line in lines}
    assert texts["Field notes written"] == cycle_status.MISSING_FIELD_NOTES
    assert texts["The story at the centre"] == cycle_status.MISSING_CENTRE
    assert texts["Iceberg items by level"] == cycle_status.MISSING_ICEBERG
    assert texts["A plan with actions below the surface"] == cycle_status.MISSING_PLAN
    assert texts["Commitments made and kept"] == cycle_status.MISSING_COMMITMENTS.format(
        neighbourhood="Other Town"
    )


def test_slippage_against_the_plan(world):
    cycle = Cycle.objects.prefetch_related("stages").get(pk=world["cycle"].pk)
    cycle.current_stage = Stage.STORY  # planned to start 30 days after BEGAN, not started
    late = cycle_status.slippage(cycle, today=BEGAN + dt.timedelta(days=40))
    assert (late.days, late.text) == (10, "10 days after its planned start")
    on_time = cycle_status.slippage(cycle, today=BEGAN + dt.timedelta(days=20))
    assert (on_time.days, on_time.text) == (0, "On plan")


def test_the_cycle_page_shows_where_it_stands(client_for, demo, world):
    from hct.partnership.models import Membership

    Membership.objects.get(
        user=demo.users["facilitator"], partnership=demo.partnership
    ).neighbourhoods.add(world["place"])
    page = client_for(Role.FACILITATOR).get(reverse("learning:cycle", args=[world["cycle"].pk]))
    body = page.content.decode()
    assert "Where the cycle stands" in body
    assert "3 stories heard, 1 with consent to be told at a Big Conversation" in body
    shown = client_for(Role.BOARD).get(reverse("learning:cycle", args=[world["cycle"].pk]))
    assert "* stories heard, * with consent" in shown.content.decode()


def test_the_cycle_status_takes_a_constant_number_of_queries(demo, world):
    """However much work a cycle holds: the hand-made cycle and the demo's first cycle (with
    all of the demo's work) take the same queries; a cycle with no conversation yet skips
    the one that reads their rooms."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = []
    for pk in (world["cycle"].pk, demo.first_cycle.pk, _cycle(demo, world["elsewhere"], 52).pk):
        cycle = (
            Cycle.objects.prefetch_related("stages")
            .select_related("neighbourhood", "partnership")
            .get(pk=pk)
        )
        with CaptureQueriesContext(connection) as queries:
            cycle_status.cycle_status(cycle, exact=True)
        counts.append(len(queries))
    assert counts[0] == counts[1] == counts[2] + 1
    assert counts[0] <= 10


def _page_queries(client, *, afresh: bool = True):
    """The all-cycles page's queries, made afresh (nothing kept from before) unless `afresh` is
    false."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    if afresh:
        cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("learning:cycles"))
    assert response.status_code == 200
    return len(queries), response.content.decode()


def test_every_cycle_running_in_a_constant_number_of_queries(client_for, demo):
    """The demo's seven cycles and then one alone: the same queries for the page, made afresh
    and kept."""
    board = client_for(Role.BOARD)
    seven, body = _page_queries(board)
    kept_seven, kept_body = _page_queries(board, afresh=False)
    assert _main(kept_body) == _main(body)
    assert body.count("Still to do") == 1
    for cycle in demo.partnership.cycles.all():
        assert escape(f"Cycle {cycle.number}: {cycle.neighbourhood.name}") in body
    Cycle.objects.filter(partnership=demo.partnership).exclude(pk=demo.first_cycle.pk).delete()
    one, body = _page_queries(board)
    kept_one, _ = _page_queries(board, afresh=False)
    assert seven == one
    assert kept_seven == kept_one < one
    assert "Cycle 2:" not in body


def _main(body: str) -> str:
    """The page's own content (the form tokens around it differ from request to request)."""
    return body[body.index('<h1 class="govuk-heading-xl">') : body.index("</main>")]


def _still_to_do(body: str, cycle) -> str:
    """What is still to do in this cycle, from its heading under 'Still to do' to the next."""
    rest = body[body.index("Still to do") :]
    heading = escape(f"Cycle {cycle.number}: {cycle.neighbourhood.name}") + "</h3>"
    rest = rest[rest.index(heading) :]
    return rest[: rest.index("</ul>")]


def test_every_cycle_running_shows_each_change_at_once(client_for, demo, world):
    """The page is kept between requests, and any change to what it is made from is on the
    next one: work recorded through the ordinary saves, a stage's dates, a cycle removed."""
    board = client_for(Role.BOARD)
    cycle = world["cycle"]
    _, before = _page_queries(board)
    assert f"Cycle {cycle.number}: {cycle.neighbourhood.name}" in before
    conversation = Conversation.objects.get(cycle=cycle, number=2)
    assert "No iceberg items yet" not in _still_to_do(before, cycle)
    # Iceberg items merged away: the line goes back to missing once none is left standing.
    IcebergItem.objects.filter(conversation__cycle=cycle).delete()
    _, after = _page_queries(board, afresh=False)
    assert "No iceberg items yet" in _still_to_do(after, cycle)
    IcebergItem.objects.create(
        conversation=conversation, level=IcebergLevel.PATTERNS, text="Nobody is asked twice"
    )
    _, again = _page_queries(board, afresh=False)
    assert "No iceberg items yet" not in _still_to_do(again, cycle)
    # A stage's planned dates (read through the cycle itself).
    stage = cycle.stages.get(stage=Stage.BIG_CONVERSATION_2)
    stage.planned_end = dt.date(2030, 1, 1)
    stage.save()
    _, planned = _page_queries(board, afresh=False)
    assert "1 Jan 2030" in planned
    Cycle.objects.filter(pk=cycle.pk).delete()
    _, gone = _page_queries(board, afresh=False)
    assert f"Cycle {cycle.number}: {cycle.neighbourhood.name}" not in gone


def test_every_cycle_running_is_kept_apart_for_facilitators_and_everyone_else(client_for, demo):
    """Facilitators see counts of people exact, the board through disclosure control: each is
    kept on its own, whichever asked first."""
    board, facilitator = client_for(Role.BOARD), client_for(Role.FACILITATOR)
    _, published = _page_queries(board)
    _, exact = _page_queries(facilitator, afresh=False)
    _, published_again = _page_queries(board, afresh=False)
    assert "disclosure control" in published and "disclosure control" not in exact
    assert _main(published_again) == _main(published)


def test_every_cycle_running_publishes_counts_of_people(client_for, demo):
    from hct.learning import selectors

    cycles = list(selectors.cycles_visible(demo.users["board"]))
    published = cycle_status.cycles_compared(cycles, exact=False)
    exact = cycle_status.cycles_compared(cycles, exact=True)
    first = cycles.index(demo.first_cycle)
    before = {t["group"]: t for t in exact.tables}["Before the conversations"]
    labels = [c["label"] for c in before["columns"]]
    stories = labels.index("Stories heard")
    heard = before["rows"][first][1][stories]
    assert 1 <= heard.value <= 7  # the demo's few stories, exact for facilitators …
    shown = {t["group"]: t for t in published.tables}["Before the conversations"]
    assert shown["rows"][first][1][stories].display == "*"  # … hidden for everyone else
    assert shown["columns"][stories]["total"].display == "*"
    # Counts that are not of people are shown as they are.
    assert (
        shown["rows"][first][1][labels.index("Field notes")].display
        == before["rows"][first][1][labels.index("Field notes")].display
    )
