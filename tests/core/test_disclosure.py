"""Disclosure control: the rules as examples, and as properties over random tables."""

from hypothesis import given
from hypothesis import strategies as st

from hct.core.disclosure import (
    SUPPRESSED,
    publish_count,
    publish_percentage,
    publish_series,
    publish_table,
    round_to_five,
)


def test_small_counts_are_hidden_and_others_rounded_to_five():
    assert [publish_count(n).display for n in (0, 1, 7, 8, 12, 13, 1234)] == [
        "0",
        SUPPRESSED,
        SUPPRESSED,
        "10",
        "10",
        "15",
        "1,235",
    ]


def test_rounding_is_half_up():
    assert round_to_five(12) == 10
    assert round_to_five(13) == 15
    assert round_to_five(22) == 20
    assert round_to_five(23) == 25


def test_percentage_hidden_when_numerator_or_denominator_is_small():
    assert publish_percentage(3, 100).suppressed
    assert publish_percentage(50, 6).suppressed
    assert publish_percentage(20, 80).display == "25%"


def test_single_hidden_cell_in_a_row_hides_the_next_smallest():
    published, total = publish_series({"long wait": 3, "referral lost": 9, "no follow-up": 40})
    assert published["long wait"].suppressed
    assert published["referral lost"].suppressed  # secondary suppression
    assert published["no follow-up"].display == "40"
    assert total.display == "50"


def test_a_hidden_cell_among_zeros_hides_its_total():
    published, total = publish_series({"a": 0, "b": 4, "c": 0})
    assert published["b"].suppressed
    assert total.suppressed


tables = st.integers(min_value=1, max_value=6).flatmap(
    lambda cols: st.lists(
        st.lists(st.integers(min_value=0, max_value=60), min_size=cols, max_size=cols),
        min_size=1,
        max_size=6,
    )
)


def _lines(table):
    """Each row with its row total, each column with its column total."""
    rows = len(table.cells)
    cols = len(table.cells[0])
    for r in range(rows):
        yield [table.cells[r][c] for c in range(cols)], table.row_totals[r]
    for c in range(cols):
        yield [table.cells[r][c] for r in range(rows)], table.column_totals[c]
    yield table.row_totals, table.total
    yield table.column_totals, table.total


@given(tables)
def test_no_published_count_from_one_to_seven(cells):
    table = publish_table(cells)
    every = (
        [v for row in table.cells for v in row]
        + table.row_totals
        + table.column_totals
        + [table.total]
    )
    for value in every:
        assert value.suppressed or value.value == 0 or value.value > 7
        assert value.suppressed or value.value % 5 == 0


@given(tables)
def test_no_hidden_cell_can_be_recovered_from_its_line(cells):
    table = publish_table(cells)
    for line, total in _lines(table):
        hidden = [v for v in line if v.suppressed]
        # One hidden value beside a published total could be had by subtraction.
        assert len(hidden) != 1 or total.suppressed


@given(tables)
def test_every_true_count_from_one_to_seven_is_hidden(cells):
    table = publish_table(cells)
    for r, row in enumerate(cells):
        for c, count in enumerate(row):
            if 1 <= count <= 7:
                assert table.cells[r][c].suppressed
