"""The figures of `hct.learning.figures` as they may be shown to partners, the board, funders
and the public: every count through `hct.core.disclosure`.

A column of counts across neighbourhoods is published as a table (one cell per neighbourhood,
with its total), so secondary suppression keeps a hidden neighbourhood from being worked out
from the total; gaps by type are one neighbourhood × type table with row and column totals. A
well-being change (a mean) is shown only where the number of people behind it is itself shown.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from hct.core.disclosure import (
    HIDDEN,
    SUPPRESSED,
    Published,
    publish_percentage,
    publish_table,
)
from hct.journeys.models import Gap
from hct.learning.figures import MEASURES, NeighbourhoodFigures, Period, Wellbeing
from hct.partnership.models import Stage

NOT_SHOWN = SUPPRESSED


def publish_column(counts: Sequence[int]) -> tuple[list[Published], Published]:
    """Counts for the rows of one column, and their total, with secondary suppression."""
    if not counts:
        table = publish_table([[0]])
        return [], table.total
    table = publish_table([[count] for count in counts])
    return [row[0] for row in table.cells], table.column_totals[0]


def mean_change(value: float | None, people: Published) -> str:
    """A mean change, signed to one place, or `*` where the people behind it are not shown."""
    if value is None or people.suppressed or not people.value:
        return NOT_SHOWN
    return f"{value:+.1f}"


@dataclass
class PublishedWellbeing:
    pairs: Published
    baselines: Published
    change: dict[str, str]  # measure -> "+0.8" or "*"
    lonely_before: Published  # a percentage of the pairs
    lonely_after: Published


@dataclass
class PublishedRow:
    name: str
    slug: str
    stage: str
    stage_dates: list[tuple[str, str]]  # stage label, started on
    people_heard: Published
    gaps: list[Published]
    gap_total: Published
    field_notes: Published
    assets_found: Published
    lessons: Published
    wellbeing: PublishedWellbeing
    extra: list[Published] = field(default_factory=list)  # in the order of `SideBySide.extra`


@dataclass
class ExtraColumn:
    key: str
    label: str
    group: str
    description: str
    total: Published


@dataclass
class SideBySide:
    period: Period
    rows: list[PublishedRow]
    gap_kinds: list[tuple[str, str]]  # (kind, label)
    gap_kind_totals: list[Published]
    gap_total: Published
    people_heard_total: Published
    field_notes_total: Published
    assets_found_total: Published
    lessons_total: Published
    wellbeing_total: PublishedWellbeing
    has_data: bool = True
    extra: list[ExtraColumn] = field(default_factory=list)

    @property
    def extra_groups(self) -> list[dict]:
        """The registered columns a table per group (Big Conversations, Commitments …), so no
        table is wider than a page: each with its columns and each row's cells of that group."""
        indexes: dict[str, list[int]] = {}
        for index, column in enumerate(self.extra):
            indexes.setdefault(column.group, []).append(index)
        return [
            {
                "group": group,
                "columns": [self.extra[i] for i in found],
                "rows": [(row.name, [row.extra[i] for i in found]) for row in self.rows],
            }
            for group, found in indexes.items()
        ]


def _pooled(figures: list[NeighbourhoodFigures]) -> Wellbeing:
    """Every neighbourhood's pairs together: a mean of means weighted by people, which is the
    mean over everyone."""
    pairs = sum(f.wellbeing.pairs for f in figures)
    pooled = Wellbeing(
        pairs=pairs,
        baselines=sum(f.wellbeing.baselines for f in figures),
        lonely_before=sum(f.wellbeing.lonely_before for f in figures),
        lonely_after=sum(f.wellbeing.lonely_after for f in figures),
    )
    if pairs:
        pooled.change = {
            name: sum((f.wellbeing.change.get(name) or 0.0) * f.wellbeing.pairs for f in figures)
            / pairs
            for name in MEASURES
        }
    return pooled


def _share(numerator: int, wb: Wellbeing, pairs: Published) -> Published:
    # A share of people hidden by secondary suppression is hidden too, or "0% of *" would say
    # something about the hidden count.
    if pairs.suppressed:
        return HIDDEN
    return publish_percentage(numerator, wb.pairs)


def _publish_wellbeing(wb: Wellbeing, pairs: Published, baselines: Published) -> PublishedWellbeing:
    return PublishedWellbeing(
        pairs=pairs,
        baselines=baselines,
        change={name: mean_change(wb.change.get(name), pairs) for name in MEASURES},
        lonely_before=_share(wb.lonely_before, wb, pairs),
        lonely_after=_share(wb.lonely_after, wb, pairs),
    )


def side_by_side(figures: list[NeighbourhoodFigures], period: Period) -> SideBySide:
    from hct.learning.figures import has_data

    kinds = list(Gap.Kind.choices)
    gap_table = publish_table(
        [[f.gaps.get(kind, 0) for kind, _ in kinds] for f in figures] or [[0] * len(kinds)]
    )
    heard, heard_total = publish_column([f.people_heard for f in figures])
    notes, notes_total = publish_column([f.field_notes for f in figures])
    assets, assets_total = publish_column([f.assets_found for f in figures])
    lessons, lessons_total = publish_column([f.lessons for f in figures])
    pairs, pairs_total = publish_column([f.wellbeing.pairs for f in figures])
    baselines, baselines_total = publish_column([f.wellbeing.baselines for f in figures])
    from hct.learning.columns import columns

    extra_columns, extra_cells = [], []
    for column in columns():
        cells, total = publish_column([f.extra.get(column.key, 0) for f in figures])
        extra_columns.append(
            ExtraColumn(column.key, column.label, column.group, column.description, total)
        )
        extra_cells.append(cells)
    rows = []
    for index, f in enumerate(figures):
        stage = ""
        if f.cycle is not None:
            stage = Stage(f.cycle.current_stage).label
        rows.append(
            PublishedRow(
                name=f.neighbourhood.name,
                slug=f.neighbourhood.slug,
                stage=stage or "Not started",
                stage_dates=[
                    (s.get_stage_display(), f"{s.started_on:%d %b %Y}" if s.started_on else "")
                    for s in f.stages
                ],
                people_heard=heard[index],
                gaps=gap_table.cells[index],
                gap_total=gap_table.row_totals[index],
                field_notes=notes[index],
                assets_found=assets[index],
                lessons=lessons[index],
                wellbeing=_publish_wellbeing(f.wellbeing, pairs[index], baselines[index]),
                extra=[cells[index] for cells in extra_cells],
            )
        )
    return SideBySide(
        period=period,
        rows=rows,
        gap_kinds=[(kind, str(label)) for kind, label in kinds],
        gap_kind_totals=gap_table.column_totals,
        gap_total=gap_table.total,
        people_heard_total=heard_total,
        field_notes_total=notes_total,
        assets_found_total=assets_total,
        lessons_total=lessons_total,
        wellbeing_total=_publish_wellbeing(_pooled(figures), pairs_total, baselines_total),
        has_data=has_data(figures),
        extra=extra_columns,
    )
