"""Disclosure control for every published figure (DESIGN.md, NHS Digital's method).

- a count from 1 to 7 is shown as `*`;
- any other count is rounded to the nearest 5 (0 stays 0);
- a suppressed cell must not be recoverable from the totals around it: in any line of a table (a
  row or a column, with its total) where exactly one cell is hidden, the next smallest cell is
  hidden too (secondary suppression), and this repeats until no line gives a hidden cell away;
- a percentage is hidden when its numerator or denominator is.

Published values are `Published` objects: `.display` is what a page shows, `.value` the number a
chart may draw (None when hidden). Nothing else in the code base rounds or hides counts.
"""

from collections.abc import Hashable, Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

K = TypeVar("K", bound=Hashable)  # a series' categories: names, cells, bins

SUPPRESSED = "*"
THRESHOLD = 7
ROUND_TO = 5


@dataclass(frozen=True)
class Published:
    value: int | None  # None when suppressed
    display: str

    @property
    def suppressed(self) -> bool:
        return self.value is None

    def __str__(self) -> str:
        return self.display


HIDDEN = Published(None, SUPPRESSED)


def round_to_five(count: int) -> int:
    # Round half up, as NHS Digital does (2.5 fives -> 3 fives), never to banker's rounding.
    return ((count + ROUND_TO // 2) // ROUND_TO) * ROUND_TO


def publish_count(count: int) -> Published:
    """One count on its own: 1–7 hidden, the rest rounded to 5."""
    if count < 0:
        raise ValueError("a count cannot be negative")
    if 1 <= count <= THRESHOLD:
        return HIDDEN
    rounded = round_to_five(count)
    return Published(rounded, f"{rounded:,}")


def publish_percentage(numerator: int, denominator: int, *, places: int = 0) -> Published:
    """A share, hidden when either side is small; computed from the true counts."""
    if (
        denominator <= 0
        or publish_count(numerator).suppressed
        or publish_count(denominator).suppressed
    ):
        return HIDDEN
    share = 100 * numerator / denominator
    return Published(round(share), f"{share:.{places}f}%")


def _primary(cells: Sequence[Sequence[int]]) -> list[list[bool]]:
    return [[1 <= count <= THRESHOLD for count in row] for row in cells]


def _secondary(cells: Sequence[Sequence[int]], hidden: list[list[bool]]) -> None:
    """Hide more cells until no row or column has exactly one hidden cell among non-zero cells.

    Zeros are not hidden (a published zero gives nothing away), so a line whose only other cells
    are zero cannot protect its hidden cell by hiding more; there the line's total is hidden.
    """
    rows = len(cells)
    cols = len(cells[0]) if rows else 0

    def lines():
        for r in range(rows):
            yield [(r, c) for c in range(cols)]
        for c in range(cols):
            yield [(r, c) for r in range(rows)]

    changed = True
    while changed:
        changed = False
        for line in lines():
            hidden_here = [pos for pos in line if hidden[pos[0]][pos[1]]]
            if len(hidden_here) != 1:
                continue
            candidates = [
                pos for pos in line if not hidden[pos[0]][pos[1]] and cells[pos[0]][pos[1]] > 0
            ]
            if candidates:
                r, c = min(candidates, key=lambda pos: (cells[pos[0]][pos[1]], pos))
                hidden[r][c] = True
                changed = True


@dataclass(frozen=True)
class PublishedTable:
    cells: list[list[Published]]
    row_totals: list[Published]
    column_totals: list[Published]
    total: Published


def publish_table(cells: Sequence[Sequence[int]]) -> PublishedTable:
    """A table of counts with row, column and grand totals, ready to publish.

    A total is itself a count and is published by the same rule. A line whose single hidden cell
    could not be protected by hiding another (all other cells zero) has its total hidden too, so
    the hidden cell can never be had by subtraction.
    """
    rows = [list(map(int, row)) for row in cells]
    if any(count < 0 for row in rows for count in row):
        raise ValueError("a count cannot be negative")
    if rows and any(len(row) != len(rows[0]) for row in rows):
        raise ValueError("every row of a table needs the same number of cells")
    hidden = _primary(rows)
    _secondary(rows, hidden)
    ncols = len(rows[0]) if rows else 0

    def shown(count: int, is_hidden: bool) -> Published:
        return HIDDEN if is_hidden else publish_count(count)

    def total_for(positions: list[tuple[int, int]]) -> Published:
        total = sum(rows[r][c] for r, c in positions)
        if sum(1 for r, c in positions if hidden[r][c]) == 1:
            return HIDDEN
        return publish_count(total)

    published_cells = [
        [shown(rows[r][c], hidden[r][c]) for c in range(ncols)] for r in range(len(rows))
    ]
    row_totals = [total_for([(r, c) for c in range(ncols)]) for r in range(len(rows))]
    column_totals = [total_for([(r, c) for r in range(len(rows))]) for c in range(ncols)]
    grand = publish_count(sum(map(sum, rows)))
    # The grand total with the row (or column) totals is a line too: one hidden total among
    # published ones would be given away by subtraction.
    if sum(t.suppressed for t in row_totals) == 1 or sum(t.suppressed for t in column_totals) == 1:
        grand = HIDDEN
    return PublishedTable(published_cells, row_totals, column_totals, grand)


def publish_series(counts: Mapping[K, int]) -> tuple[dict[K, Published], Published]:
    """A one-line table (categories and their total), e.g. gaps by type."""
    keys = list(counts)
    if not keys:
        return {}, publish_count(0)
    table = publish_table([[counts[key] for key in keys]])
    return dict(zip(keys, table.cells[0], strict=True)), table.row_totals[0]
