"""The layout of a journey's timeline, drawn as SVG by `journeys/_timeline.html`.

One lane per sector (person & family, community, local services, acute services); touchpoints
left to right in time order, one column each (approximate dates make a time scale misleading);
the path between them; each gap as a bar beneath the lanes, from the touchpoint before it to the
one after, and as a dashed line between the two. Shape as well as colour says how it felt.
"""

from dataclasses import dataclass, field

from hct.journeys.models import Felt, Gap, Touchpoint, What
from hct.systemmap.models import SECTOR_ORDER

LABEL_WIDTH = 170
COLUMN = 124
LANE = 86
TOP = 16
GAP_ROW = 30
AXIS = 44
MAX_LABEL = 18


# Short words for what happened, so that labels fit a column.
SHORT_WHAT = {
    What.LIFE_EVENT: "Life event",
    What.COMMUNITY_ACT: "Community act",
}


def _short(text: str) -> str:
    return text if len(text) <= MAX_LABEL else text[: MAX_LABEL - 1].rstrip() + "…"


@dataclass
class Point:
    x: int
    y: int
    number: int
    felt: str
    what: str
    actor: str
    actor_short: str
    when: str
    when_short: str


@dataclass
class GapBar:
    x1: int
    x2: int
    y: int
    label: str
    line: tuple[int, int, int, int]  # the dashed line between the two touchpoints

    @property
    def label_x(self) -> int:
        return (self.x1 + self.x2) // 2


@dataclass
class Lane:
    label: str
    y: int
    top: int


@dataclass
class Timeline:
    width: int
    height: int
    lanes: list[Lane] = field(default_factory=list)
    points: list[Point] = field(default_factory=list)
    gaps: list[GapBar] = field(default_factory=list)
    path: str = ""
    lanes_bottom: int = 0
    gaps_top: int = 0
    axis_y: int = 0
    summary: str = ""

    @property
    def helped(self) -> list[Point]:
        return [p for p in self.points if p.felt == Felt.HELPED]

    @property
    def hindered(self) -> list[Point]:
        return [p for p in self.points if p.felt == Felt.HINDERED]


def _rows_for(intervals: list[tuple[int, int]]) -> list[int]:
    """Greedy rows so that no two gap bars overlap (bars sharing an end touch, not overlap)."""
    ends: list[int] = []
    rows = []
    for start, end in intervals:
        for row, last in enumerate(ends):
            if start >= last:
                ends[row] = end
                rows.append(row)
                break
        else:
            ends.append(end)
            rows.append(len(ends) - 1)
    return rows


def timeline(touchpoints: list[Touchpoint], gaps: list[Gap], *, sees_private: bool) -> Timeline:
    lane_index = {sector.value: i for i, sector in enumerate(SECTOR_ORDER)}
    lanes = [
        Lane(sector.label, TOP + i * LANE + LANE // 2, TOP + i * LANE)
        for i, sector in enumerate(SECTOR_ORDER)
    ]
    lanes_bottom = TOP + len(SECTOR_ORDER) * LANE
    columns = {t.pk: LABEL_WIDTH + COLUMN // 2 + i * COLUMN for i, t in enumerate(touchpoints)}
    points = []
    for t in touchpoints:
        actor = t.actor.label_for(sees_private)
        points.append(
            Point(
                x=columns[t.pk],
                y=lanes[lane_index[t.actor.sector]].y,
                number=t.position,
                felt=t.felt,
                what=_short(str(SHORT_WHAT.get(What(t.what), t.get_what_display()))),
                actor=actor,
                actor_short=_short(actor),
                when=t.when,
                when_short=_short(t.when),
            )
        )
    by_id = {t.pk: p for t, p in zip(touchpoints, points, strict=True)}
    ordered = sorted(gaps, key=lambda g: (columns[g.before_id], columns[g.after_id]))
    rows = _rows_for([(columns[g.before_id], columns[g.after_id]) for g in ordered])
    gaps_top = lanes_bottom + 12
    bars = []
    for gap, row in zip(ordered, rows, strict=True):
        a, b = by_id[gap.before_id], by_id[gap.after_id]
        bars.append(
            GapBar(
                x1=a.x,
                x2=b.x,
                y=gaps_top + row * GAP_ROW + GAP_ROW // 2,
                label=gap.get_kind_display(),
                line=(a.x, a.y, b.x, b.y),
            )
        )
    gap_rows = (max(rows) + 1) if rows else 0
    axis_y = gaps_top + gap_rows * GAP_ROW + 8
    width = LABEL_WIDTH + max(len(touchpoints), 1) * COLUMN + 8
    result = Timeline(
        width=width,
        height=axis_y + AXIS,
        lanes=lanes,
        points=points,
        gaps=bars,
        path=" ".join(f"{'M' if i == 0 else 'L'}{p.x},{p.y}" for i, p in enumerate(points)),
        lanes_bottom=lanes_bottom,
        gaps_top=gaps_top,
        axis_y=axis_y,
    )
    result.summary = _summary(result, touchpoints)
    return result


def _summary(result: Timeline, touchpoints: list[Touchpoint]) -> str:
    if not touchpoints:
        return "No touchpoints yet."
    helped, hindered = len(result.helped), len(result.hindered)
    return (
        f"{len(touchpoints)} touchpoint{'s' if len(touchpoints) != 1 else ''} from "
        f"{touchpoints[0].when} to {touchpoints[-1].when}: {helped} helped, {hindered} hindered, "
        f"{len(result.gaps)} gap{'s' if len(result.gaps) != 1 else ''}. The table below gives "
        "every touchpoint and gap."
    )
