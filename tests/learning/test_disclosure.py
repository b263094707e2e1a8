"""Disclosure control of everything learning publishes, as properties over random figures: no
published count from 1 to 7, counts rounded to 5, and no hidden cell recoverable from a total."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from hct.core.disclosure import Published
from hct.journeys.models import Gap
from hct.learning import opendata
from hct.learning.figures import MEASURES, NeighbourhoodFigures, Period, Wellbeing
from hct.learning.present import publish_column, side_by_side
from hct.places.models import Neighbourhood

PERIOD = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
KINDS = [kind for kind, _ in Gap.Kind.choices]
counts = st.integers(min_value=0, max_value=60)


@st.composite
def city(draw):
    size = draw(st.integers(min_value=1, max_value=7))
    figures = []
    for index in range(size):
        pairs = draw(counts)
        figures.append(
            NeighbourhoodFigures(
                neighbourhood=Neighbourhood(name=f"N{index}", slug=f"n{index}"),
                people_heard=draw(counts),
                gaps={kind: draw(counts) for kind in KINDS},
                field_notes=draw(counts),
                assets_found=draw(counts),
                lessons=draw(counts),
                wellbeing=Wellbeing(
                    pairs=pairs,
                    baselines=draw(counts),
                    change={m: draw(st.floats(-10, 10)) for m in MEASURES} if pairs else {},
                    lonely_before=draw(st.integers(0, pairs)),
                    lonely_after=draw(st.integers(0, pairs)),
                ),
            )
        )
    return figures


def _safe_count(published: Published) -> None:
    if not published.suppressed:
        assert not 1 <= published.value <= 7
        assert published.value % 5 == 0


def _line_safe(cells: list[Published], total: Published) -> None:
    """One hidden cell beside a shown total could be had by subtraction."""
    hidden = sum(cell.suppressed for cell in cells)
    assert hidden != 1 or total.suppressed


@settings(max_examples=150, deadline=None)
@given(figures=city())
def test_every_published_count_passes_disclosure_control(figures):
    side = side_by_side(figures, PERIOD)
    columns = [
        ([r.people_heard for r in side.rows], side.people_heard_total),
        ([r.field_notes for r in side.rows], side.field_notes_total),
        ([r.assets_found for r in side.rows], side.assets_found_total),
        ([r.lessons for r in side.rows], side.lessons_total),
        ([r.wellbeing.pairs for r in side.rows], side.wellbeing_total.pairs),
        ([r.wellbeing.baselines for r in side.rows], side.wellbeing_total.baselines),
    ]
    for cells, total in columns:
        for cell in [*cells, total]:
            _safe_count(cell)
        _line_safe(cells, total)
    for row in side.rows:
        for cell in [*row.gaps, row.gap_total]:
            _safe_count(cell)
        _line_safe(row.gaps, row.gap_total)
    for index, total in enumerate(side.gap_kind_totals):
        _safe_count(total)
        _line_safe([row.gaps[index] for row in side.rows], total)
    _line_safe(side.gap_kind_totals, side.gap_total)
    _line_safe([row.gap_total for row in side.rows], side.gap_total)
    # A mean change is shown only where the people behind it are.
    for row in [*side.rows]:
        for value in row.wellbeing.change.values():
            assert value == "*" or not row.wellbeing.pairs.suppressed
        for share in (row.wellbeing.lonely_before, row.wellbeing.lonely_after):
            assert share.suppressed or not row.wellbeing.pairs.suppressed


@settings(max_examples=100, deadline=None)
@given(figures=city())
def test_open_data_carries_only_published_values(figures):
    side = side_by_side(figures, PERIOD)
    for record in opendata.rows(side):
        for column in opendata.dictionary():
            value = record[column["column"]]
            if column["type"] == "count" and value != "*":
                assert isinstance(value, int) and value % 5 == 0 and not 1 <= value <= 7


@given(st.lists(counts, max_size=10))
def test_a_column_hides_at_least_two_cells_or_its_total(column):
    cells, total = publish_column(column)
    _line_safe(cells, total)
