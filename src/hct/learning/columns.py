"""More figures per neighbourhood, from the other parts of the method.

An app adds a column to the side-by-side page, the reports and the open data by registering a
`Column`: a label, a group ("Big Conversations", "Commitments" …), a key for the open data, and
one query giving its count per neighbourhood for a period (grouped in SQL, never a loop over
records). Every column is a count and is published like the others (1–7 hidden, the rest
rounded to 5, secondary suppression down the column).
"""

from collections.abc import Callable
from dataclasses import dataclass

from hct.learning.period import Period


@dataclass(frozen=True)
class Column:
    key: str  # the open data's column name
    label: str
    group: str
    order: int
    description: str  # for the data dictionary
    counts: Callable[[list[int], Period], dict[int, int]]  # neighbourhood id -> count


_columns: dict[str, Column] = {}


def register(column: Column) -> None:
    _columns[column.key] = column


def columns() -> list[Column]:
    return sorted(_columns.values(), key=lambda c: (c.order, c.key))


def counts_for(ids: list[int], period: Period) -> list[tuple[Column, dict[int, int]]]:
    return [(column, column.counts(ids, period)) for column in columns()]
