"""Where a cycle stands, stage by stage, read from the work recorded in every part of the
method rather than from ticks: the charter revisited, field notes and assets, stories heard with
consent, the story at the centre, each Big Conversation and the balance of its room, the
iceberg, the vision, the plan, commitments and matches.

`cycles_figures` reads any number of cycles in the same dozen grouped queries (the all-cycles
page shows seven at once); `status_lines` turns one cycle's figures into the lines of its page,
each with a link to where the work is done and, where something is missing, a plain sentence
saying so. A cycle's work is what was recorded from the day it began (its first stage start,
else the day it was started) in its neighbourhood. Counts of people (stories, the room, matches)
go through `hct.core.disclosure` unless the reader is a facilitator, who sees them exact, as on
the conversation pages.
"""

import datetime as dt
import secrets
import time
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils import timezone

from hct.core.disclosure import publish_count
from hct.partnership.models import Cycle, Stage

MISSING_CHARTER = "The partnership has no poolside charter yet"
MISSING_CHARTER_REVISIT = "The poolside charter has not been revisited since this cycle began"
MISSING_FIELD_NOTES = "No field notes written yet"
MISSING_ASSETS = "No community assets found yet: add them to a field note"
MISSING_STORIES = "No story heard yet from anyone living in {neighbourhood}"
MISSING_CONSENT = "No story has consent to be shown at a Big Conversation yet"
MISSING_CENTRE = "No story is chosen for the centre of a Big Conversation yet"
MISSING_CONVERSATION = "Not planned yet"
MISSING_ICEBERG = "No iceberg items yet: they are raised at Big Conversation 2"
MISSING_VISION = "No vision for a better story is written yet"
MISSING_PLAN = "No plan is made yet: it is made at Big Conversation 3"
MISSING_ACTIONS = "The plan has no actions yet"
MISSING_BELOW = (
    "Every action in the plan works at the surface (events): none reaches the patterns, "
    "structures or mental models below it"
)
MISSING_COMMITMENTS = "No commitment made in {neighbourhood} since this cycle began"
MISSING_MATCHES = "No match made yet for anyone living in {neighbourhood}"
FEWER_COMMUNITY = "fewer from the community than from statutory services"

# The three Big Conversations of the method each have a line, planned or not; further ones
# get a line once they are planned.
METHOD_CONVERSATIONS = (1, 2, 3)
# Matches that went ahead (a proposal still waiting, declined or withdrawn is not one made).
MATCHES_MADE = ("confirmed", "active", "ended")


@dataclass
class ConversationHeld:
    pk: int
    number: int
    name: str
    date: dt.date
    held: bool  # on or before today
    in_the_room: bool  # anyone recorded at the door
    community: int  # in the room once anyone is, else invited
    statutory: int
    has_story: bool


@dataclass
class CycleFigures:
    """One cycle's work, exact (never shown as it is to anyone but its facilitators)."""

    cycle: Cycle
    began: dt.date
    charters: int = 0  # revisions of the partnership's charter, ever
    charter_revisits: int = 0  # … made since the cycle began
    field_notes: int = 0
    assets_found: int = 0
    stories: int = 0
    stories_with_consent: int = 0
    conversations: list[ConversationHeld] = field(default_factory=list)
    iceberg: dict[str, int] = field(default_factory=dict)  # level -> items (merged counted once)
    visions: int = 0
    vision_at: int | None = None  # the conversation where the vision is written
    plan_at: int | None = None  # the conversation whose plan it is
    plan_actions: int = 0
    actions_below_surface: int = 0
    commitments_made: int = 0
    commitments_kept: int = 0
    matches_made: int = 0

    @property
    def centre(self) -> ConversationHeld | None:
        return next((c for c in self.conversations if c.has_story), None)

    @property
    def conversations_held(self) -> int:
        return sum(1 for c in self.conversations if c.held)

    @property
    def iceberg_items(self) -> int:
        return sum(self.iceberg.values())


@dataclass
class StatusLine:
    stage: str  # the label of the stage the work belongs to
    label: str
    done: bool
    text: str  # what the data says, or what is missing, in plain words
    url: str
    link_text: str
    # The link leads to a facilitator's page (field notes, people, choosing the story): only
    # facilitators are shown it.
    facilitator_only: bool = False


def cycle_began(cycle: Cycle) -> dt.date:
    """The first day a stage started (stages prefetched), else the day the cycle was started."""
    starts = [s.started_on for s in cycle.stages.all() if s.started_on]
    return min(starts) if starts else timezone.localdate(cycle.created_at)


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _since_each(found: list[CycleFigures], home: str, **also: Q) -> dict[str, Count]:
    """One count per cycle (and per `also` condition) of the rows recorded in its
    neighbourhood since it began, all in one grouped query: a row's moment is compared with
    each cycle's first moment, rather than truncated to its day row by row (TruncDate is a
    Python function per row on SQLite, the slow part of the page made afresh)."""
    counts: dict[str, Count] = {}
    for f in found:
        here = Q(**{home: f.cycle.neighbourhood_id}, created_at__gte=_moment(f.began))
        counts[f"n{f.cycle.pk}"] = Count("id", distinct=True, filter=here)
        for name, condition in also.items():
            counts[f"{name}{f.cycle.pk}"] = Count("id", distinct=True, filter=here & condition)
    return counts


def cycles_figures(cycles: list[Cycle]) -> list[CycleFigures]:
    """The figures of every cycle given (with their stages prefetched), in the same ten
    queries however many cycles there are and however much work they hold."""
    from hct.commitments.models import Commitment, Status
    from hct.conversations.models import (
        Conversation,
        IcebergItem,
        IcebergLevel,
        Plan,
        VisionRevision,
    )
    from hct.conversations.selectors import balances_for
    from hct.journeys.models import Story
    from hct.learning.models import FieldNote
    from hct.matching.models import Match
    from hct.partnership.models import CharterRevision
    from hct.people.models import Purpose
    from hct.people.selectors import current_consents

    found = [
        CycleFigures(cycle=c, began=cycle_began(c), iceberg={level: 0 for level in IcebergLevel})
        for c in cycles
    ]
    if not found:
        return []
    by_id = {f.cycle.pk: f for f in found}
    ids = list(by_id)
    partnerships = {f.cycle.partnership_id for f in found}
    neighbourhoods = {f.cycle.neighbourhood_id for f in found}
    earliest = min(f.began for f in found)
    since = _moment(earliest)

    def cycles_at(partnership: int | None, neighbourhood: int | None, day: dt.date):
        """The cycles that the work of a day in a place belongs to."""
        for f in found:
            if (
                (partnership is None or f.cycle.partnership_id == partnership)
                and (neighbourhood is None or f.cycle.neighbourhood_id == neighbourhood)
                and day >= f.began
            ):
                yield f

    for partnership, made in CharterRevision.objects.filter(
        partnership__in=partnerships
    ).values_list("partnership", "created_at"):
        day = timezone.localdate(made)
        for f in found:
            if f.cycle.partnership_id == partnership:
                f.charters += 1
                f.charter_revisits += day >= f.began

    for notes_row in (
        FieldNote.objects.filter(cycle__in=ids)
        .order_by()
        .values("cycle")
        .annotate(notes=Count("id", distinct=True), found=Count("assets", distinct=True))
    ):
        by_id[notes_row["cycle"]].field_notes = notes_row["notes"]
        by_id[notes_row["cycle"]].assets_found = notes_row["found"]

    # A story's neighbourhood is its teller's home LSOA's; counted by the day it was recorded.
    home = "person__home_lsoa__neighbourhoods"
    consented = current_consents(Purpose.STORY_AT_CONVERSATION).filter(
        person_id=OuterRef("person_id")
    )
    stories = (
        Story.objects.filter(**{f"{home}__in": neighbourhoods}, created_at__gte=since)
        .alias(consent=Exists(consented))
        .order_by()
        .aggregate(**_since_each(found, home, agreed=Q(consent=True)))
    )
    for f in found:
        f.stories = stories[f"n{f.cycle.pk}"]
        f.stories_with_consent = stories[f"agreed{f.cycle.pk}"]

    today = timezone.localdate()
    conversations = list(
        Conversation.objects.filter(cycle__in=ids)
        .order_by("cycle", "number")
        .only("pk", "cycle", "number", "title", "date", "story")
    )
    balances = balances_for([c.pk for c in conversations], held_places=False)
    for c in conversations:
        community, statutory = balances[c.pk].sides
        by_id[c.cycle_id].conversations.append(
            ConversationHeld(
                pk=c.pk,
                number=c.number,
                name=str(c),
                date=c.date,
                held=c.date <= today,
                in_the_room=balances[c.pk].in_the_room,
                community=community,
                statutory=statutory,
                has_story=c.story_id is not None,
            )
        )

    for item_row in (
        IcebergItem.objects.filter(conversation__cycle__in=ids, merged_into__isnull=True)
        .order_by()
        .values("conversation__cycle", "level")
        .annotate(n=Count("id"))
    ):
        by_id[item_row["conversation__cycle"]].iceberg[item_row["level"]] = item_row["n"]

    for vision_row in (
        VisionRevision.objects.filter(conversation__cycle__in=ids)
        .order_by()
        .values("conversation__cycle")
        .annotate(n=Count("id"), at=Max("conversation"))
    ):
        by_id[vision_row["conversation__cycle"]].visions = vision_row["n"]
        by_id[vision_row["conversation__cycle"]].vision_at = vision_row["at"]

    # Each plan with its actions counted in the same query: the first plan of a cycle is the
    # one its line links to.
    for plan_row in (
        Plan.objects.filter(conversation__cycle__in=ids)
        .order_by("conversation__number")
        .values("conversation__cycle", "conversation")
        .annotate(
            n=Count("actions"),
            below=Count("actions", filter=~Q(actions__level=IcebergLevel.EVENTS)),
        )
    ):
        here = by_id[plan_row["conversation__cycle"]]
        here.plan_at = here.plan_at or plan_row["conversation"]
        here.plan_actions += plan_row["n"]
        here.actions_below_surface += plan_row["below"]

    for made_row in (
        Commitment.objects.filter(
            partnership__in=partnerships, neighbourhood__in=neighbourhoods, made_on__gte=earliest
        )
        .order_by()
        .values("partnership", "neighbourhood", "made_on")
        .annotate(n=Count("id"), kept=Count("id", filter=Q(status=Status.DONE)))
    ):
        for f in cycles_at(made_row["partnership"], made_row["neighbourhood"], made_row["made_on"]):
            f.commitments_made += made_row["n"]
            f.commitments_kept += made_row["kept"]

    need_home = "need__person__home_lsoa__neighbourhoods"
    matches = (
        Match.objects.filter(
            **{f"{need_home}__in": neighbourhoods},
            status__in=MATCHES_MADE,
            created_at__gte=since,
        )
        .order_by()
        .aggregate(**_since_each(found, need_home))
    )
    for f in found:
        f.matches_made = matches[f"n{f.cycle.pk}"]
    return found


@lru_cache(maxsize=4096)
def _reverse(urlconf: str | None, prefix: str, name: str, args: tuple = ()) -> str:
    # The same few links recur on every cycle's lines; the all-cycles page builds seven sets.
    return reverse(name, urlconf=urlconf, args=args)


def _url(name: str, *args) -> str:
    return _reverse(get_urlconf(), get_script_prefix(), name, args)


def _plural(count: int | str, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


def status_lines(figures: CycleFigures, *, exact: bool) -> list[StatusLine]:
    """The lines of a cycle's page, in the order of the method. `exact`: the reader is a
    facilitator, who sees counts of people as they are; everyone else through disclosure
    control."""
    from hct.conversations.models import Conversation, IcebergLevel

    cycle = figures.cycle
    place = cycle.neighbourhood.name

    def people(count: int) -> int | str:
        return count if exact else publish_count(count).display

    def conversation_url(number: int, name: str, default: str = "conversations:create") -> str:
        at = next((c for c in figures.conversations if c.number == number), None)
        return _url(name, at.pk) if at else _url(default)

    began = f"{figures.began:%-d %B %Y}"
    lines = [
        StatusLine(
            Stage.POOLSIDE.label,
            "Poolside charter revisited",
            figures.charter_revisits > 0,
            f"Revisited {_plural(figures.charter_revisits, 'time', 'times')} since this cycle "
            f"began on {began}"
            if figures.charter_revisits
            else (f"{MISSING_CHARTER_REVISIT} on {began}" if figures.charters else MISSING_CHARTER),
            _url("partnership:charter", cycle.partnership.slug),
            "The poolside charter",
        ),
        StatusLine(
            Stage.DIVE_IN.label,
            "Field notes written",
            figures.field_notes > 0,
            _plural(figures.field_notes, "field note written", "field notes written")
            if figures.field_notes
            else MISSING_FIELD_NOTES,
            _url("learning:field-note-create", cycle.pk),
            "Write a field note",
            True,
        ),
        StatusLine(
            Stage.DIVE_IN.label,
            "Community assets found",
            figures.assets_found > 0,
            _plural(figures.assets_found, "community asset found", "community assets found")
            if figures.assets_found
            else MISSING_ASSETS,
            _url("learning:cycle", cycle.pk) + "#field-notes",
            "Field notes and their assets",
            True,
        ),
    ]
    if not figures.stories:
        stories = MISSING_STORIES.format(neighbourhood=place)
    elif not figures.stories_with_consent:
        heard = _plural(people(figures.stories), "story", "stories")
        stories = f"{MISSING_CONSENT} ({heard} heard)"
    else:
        stories = (
            f"{_plural(people(figures.stories), 'story', 'stories')} heard, "
            f"{people(figures.stories_with_consent)} with consent to be told at a "
            "Big Conversation"
        )
    centre = figures.centre
    lines += [
        StatusLine(
            Stage.STORY.label,
            "Stories heard with consent",
            figures.stories_with_consent > 0,
            stories,
            _url("people:list"),
            "People and their stories",
            True,
        ),
        StatusLine(
            Stage.STORY.label,
            "The story at the centre",
            centre is not None,
            f"Chosen for {centre.name}" if centre else MISSING_CENTRE,
            _url("conversations:centre-choose", (centre or figures.conversations[0]).pk)
            if centre or figures.conversations
            else _url("conversations:create"),
            "Choose the story at the centre",
            True,
        ),
    ]
    numbers = sorted({*METHOD_CONVERSATIONS, *(c.number for c in figures.conversations)})
    for number in numbers:
        held = next((c for c in figures.conversations if c.number == number), None)
        stage = Conversation.STAGES.get(number, Stage.ACT_AND_REVIEW).label
        if held is None:
            lines.append(
                StatusLine(
                    stage,
                    f"Big Conversation {number}",
                    False,
                    MISSING_CONVERSATION,
                    _url("conversations:create"),
                    "Plan a Big Conversation",
                )
            )
            continue
        room = (
            f"{people(held.community)} from the community, {people(held.statutory)} from "
            "statutory services"
        )
        if held.held and held.in_the_room:
            text = f"Held on {held.date:%-d %B %Y}: {room} in the room"
        elif held.held:
            text = f"Held on {held.date:%-d %B %Y}: nobody is recorded at the door yet"
        else:
            text = f"Planned for {held.date:%-d %B %Y}: {room} invited"
        if (held.in_the_room or not held.held) and held.community < held.statutory:
            text += f" ({FEWER_COMMUNITY})"
        lines.append(
            StatusLine(
                stage,
                held.name,
                held.held and held.in_the_room,
                text,
                _url("conversations:detail", held.pk),
                f"Open {held.name}",
            )
        )
    iceberg = ", ".join(
        f"{level.label.lower()} {figures.iceberg.get(level, 0)}" for level in IcebergLevel
    )
    bc2 = Stage.BIG_CONVERSATION_2.label
    lines += [
        StatusLine(
            bc2,
            "Iceberg items by level",
            figures.iceberg_items > 0,
            iceberg[0].upper() + iceberg[1:] if figures.iceberg_items else MISSING_ICEBERG,
            conversation_url(2, "conversations:iceberg"),
            "The iceberg board",
        ),
        StatusLine(
            bc2,
            "A vision for a better story",
            figures.visions > 0,
            f"Written ({_plural(figures.visions, 'revision', 'revisions')})"
            if figures.visions
            else MISSING_VISION,
            _url("conversations:vision", figures.vision_at)
            if figures.vision_at
            else conversation_url(2, "conversations:vision"),
            "The vision",
        ),
    ]
    if figures.plan_at is None:
        plan = MISSING_PLAN
    elif not figures.plan_actions:
        plan = MISSING_ACTIONS
    elif not figures.actions_below_surface:
        plan = f"{MISSING_BELOW} ({_plural(figures.plan_actions, 'action', 'actions')})"
    else:
        plan = (
            f"{_plural(figures.plan_actions, 'action', 'actions')}, "
            f"{figures.actions_below_surface} below the surface"
        )
    act = Stage.ACT_AND_REVIEW.label
    lines += [
        StatusLine(
            Stage.BIG_CONVERSATION_3.label,
            "A plan with actions below the surface",
            figures.actions_below_surface > 0,
            plan,
            _url("conversations:plan", figures.plan_at)
            if figures.plan_at
            else conversation_url(3, "conversations:plan"),
            "The plan",
        ),
        StatusLine(
            act,
            "Commitments made and kept",
            figures.commitments_made > 0,
            f"{_plural(figures.commitments_made, 'commitment', 'commitments')} made, "
            f"{figures.commitments_kept} kept"
            if figures.commitments_made
            else MISSING_COMMITMENTS.format(neighbourhood=place),
            _url("commitments:list"),
            "Commitments",
        ),
        StatusLine(
            act,
            "Matches made",
            figures.matches_made > 0,
            f"{_plural(people(figures.matches_made), 'match', 'matches')} made for people "
            f"living in {place}"
            if figures.matches_made
            else MISSING_MATCHES.format(neighbourhood=place),
            _url("matching:home"),
            "Matching",
        ),
    ]
    return lines


def cycle_status(cycle: Cycle, *, exact: bool) -> list[StatusLine]:
    """Where one cycle stands, line by line (see `status_lines`)."""
    return status_lines(cycles_figures([cycle])[0], exact=exact)


@dataclass
class Slippage:
    days: int  # the most the current stage is behind its plan (0: on plan or ahead)
    text: str


def slippage(cycle: Cycle, today: dt.date | None = None) -> Slippage:
    """How far the current stage is behind its plan: started late, or still going past the day
    it was planned to end."""
    today = today or timezone.localdate()
    stage = next((s for s in cycle.stages.all() if s.stage == cycle.current_stage), None)
    if stage is None or not (stage.planned_start or stage.planned_end):
        return Slippage(0, "No dates planned for this stage")
    late, parts = 0, []
    if stage.slipped_days and stage.slipped_days > 0:
        late = stage.slipped_days
        parts.append(f"started {_plural(late, 'day', 'days')} late")
    if stage.planned_end and not stage.ended_on and today > stage.planned_end:
        over = (today - stage.planned_end).days
        late = max(late, over)
        parts.append(f"{_plural(over, 'day', 'days')} past its planned end")
    if stage.planned_start and not stage.started_on and today > stage.planned_start:
        waiting = (today - stage.planned_start).days
        late = max(late, waiting)
        parts.append(f"{_plural(waiting, 'day', 'days')} after its planned start")
    if not parts:
        return Slippage(0, "On plan")
    text = "; ".join(parts)
    return Slippage(late, text[0].upper() + text[1:])


def grouped(lines: list[StatusLine]) -> list[tuple[str, list[StatusLine]]]:
    """The lines stage by stage, in the method's order."""
    stages: dict[str, list[StatusLine]] = defaultdict(list)
    for line in lines:
        stages[line.stage].append(line)
    return list(stages.items())


# Every cycle running, side by side ------------------------------------------------------------

# (label, figure, a count of people?) for each column; yes/no figures are counted as 1 or 0.
COMPARED = {
    "Before the conversations": [
        ("Charter revisited", lambda f: f.charter_revisits, False),
        ("Field notes", lambda f: f.field_notes, False),
        ("Assets found", lambda f: f.assets_found, False),
        ("Stories heard", lambda f: f.stories, True),
        ("With consent", lambda f: f.stories_with_consent, True),
        ("Story at the centre chosen", lambda f: int(f.centre is not None), False),
    ],
    "The conversations and after": [
        ("Big Conversations held", lambda f: f.conversations_held, False),
        ("Iceberg items", lambda f: f.iceberg_items, False),
        ("Vision written", lambda f: int(f.visions > 0), False),
        ("Plan actions below the surface", lambda f: f.actions_below_surface, False),
        ("Commitments made", lambda f: f.commitments_made, False),
        ("Commitments kept", lambda f: f.commitments_kept, False),
        ("Matches made", lambda f: f.matches_made, True),
    ],
}


@dataclass
class CycleRow:
    cycle: Cycle
    stage: str
    began: dt.date
    planned_end: dt.date | None  # the last planned day of any stage
    slippage: Slippage
    lines: list[StatusLine]

    @property
    def missing(self) -> list[StatusLine]:
        return [line for line in self.lines if not line.done]


@dataclass
class CyclesCompared:
    rows: list[CycleRow]
    # In the shape of the side-by-side page's tables (`learning/_figure_tables.html`): a group,
    # its columns (label, total) and each row's cells.
    tables: list[dict]
    partnerships: int = 1  # how many partnerships the cycles belong to


def cycles_compared(cycles: list[Cycle], *, exact: bool) -> CyclesCompared:
    """Every cycle given, side by side: stage, dates, slippage and the figures of its page.
    Counts of people go down each column through disclosure control (with secondary
    suppression, so a hidden cycle cannot be worked out from the total) unless `exact`."""
    from hct.core.disclosure import Published
    from hct.learning.present import publish_column

    figures = cycles_figures(cycles)
    today = timezone.localdate()
    rows = [
        CycleRow(
            cycle=f.cycle,
            stage=f.cycle.get_current_stage_display(),
            began=f.began,
            planned_end=max(
                (s.planned_end for s in f.cycle.stages.all() if s.planned_end), default=None
            ),
            slippage=slippage(f.cycle, today),
            lines=status_lines(f, exact=exact),
        )
        for f in figures
    ]
    names = [f"Cycle {f.cycle.number}: {f.cycle.neighbourhood.name}" for f in figures]
    tables = []
    for group, columns in COMPARED.items():
        shown, cells = [], []
        for label, figure, of_people in columns:
            counts = [figure(f) for f in figures]
            if of_people and not exact:
                column, total = publish_column(counts)
            else:
                column = [Published(n, str(n)) for n in counts]
                total = Published(sum(counts), str(sum(counts)))
            shown.append({"label": label, "total": total})
            cells.append(column)
        tables.append(
            {
                "group": group,
                "columns": shown,
                "rows": [(name, [column[i] for column in cells]) for i, name in enumerate(names)],
            }
        )
    return CyclesCompared(
        rows=rows, tables=tables, partnerships=len({f.cycle.partnership_id for f in figures})
    )


# The all-cycles page, kept per version of what it is made from ----------------------------------

GENERATION_KEY = "learning:cycles:generation"


def _models_read():
    """Every model the figures are made from (`cycles_figures`), the cycles and their places."""
    from hct.commitments.models import Commitment
    from hct.conversations.models import (
        Conversation,
        IcebergItem,
        Participant,
        Plan,
        PlanAction,
        VisionRevision,
    )
    from hct.journeys.models import Story
    from hct.learning.models import AssetFound, FieldNote
    from hct.matching.models import Match
    from hct.partnership.models import CharterRevision, CycleStage, Partnership
    from hct.people.models import Consent, Need, Person
    from hct.places.models import Neighbourhood

    return (
        CharterRevision,
        Commitment,
        Consent,
        Conversation,
        Cycle,
        CycleStage,
        FieldNote,
        AssetFound,
        IcebergItem,
        Match,
        Need,
        Neighbourhood,
        Participant,
        Partnership,
        Person,
        Plan,
        PlanAction,
        Story,
        VisionRevision,
    )


def figures_changed(**_) -> None:
    """A row the figures are made from was saved or deleted: a new generation, now (so a page
    made later in this transaction is not kept under the old one) and again once the change is
    committed (so a page made from the data before the commit, by another request in the
    meantime, is not kept under the new one)."""
    from django.core.cache import cache
    from django.db import transaction

    def renew() -> None:
        cache.set(GENERATION_KEY, f"{time.time_ns()}-{secrets.token_hex(4)}", timeout=None)

    renew()
    transaction.on_commit(renew)


def watch_figures() -> None:
    """Renew the generation on every save or delete of what the figures are made from (called
    once, when the app is ready)."""
    from django.db.models.signals import post_delete, post_save

    for model in _models_read():
        uid = f"learning.cycles:{model._meta.label}"
        post_save.connect(figures_changed, sender=model, dispatch_uid=f"{uid}:save")
        post_delete.connect(figures_changed, sender=model, dispatch_uid=f"{uid}:delete")


def cycles_version(cycles: QuerySet[Cycle]) -> str | None:
    """What the figures of these cycles are made from, in one light query (the cycles as tuples,
    no objects made): the generation that every save or delete of a row they read renews,
    the cycles' stages and dates among them (`watch_figures`), the day (a conversation is held,
    a stage slips, at midnight), and which cycles the reader sees, with their places. None when
    there are no cycles. Writes that pass the model signals by (bulk loads, `update()`) are not
    seen: the page is kept for ten minutes at most (`learning.views.CYCLES_SECONDS`)."""
    from django.core.cache import cache

    rows = [
        repr(row)
        for row in cycles.prefetch_related(None)
        .order_by("pk")
        .values_list(
            "pk",
            "number",
            "current_stage",
            "neighbourhood_id",
            "neighbourhood__name",
            "partnership_id",
            "partnership__name",
        )
    ]
    if not rows:
        return None
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # Started afresh, or the cache let it go: nothing kept before can be trusted.
        generation = f"{time.time_ns()}-{secrets.token_hex(4)}"
        cache.set(GENERATION_KEY, generation, timeout=None)
    stamped = [generation, timezone.localdate().isoformat(), *rows]
    return "|".join(stamped)
