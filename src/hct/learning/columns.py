"""More figures per neighbourhood, from the other parts of the method.

An app adds a column to the side-by-side page, the reports and the open data by registering a
`Column`: a label, a group ("Big Conversations", "Commitments" …), a key for the open data, and
one query giving its count per neighbourhood for a period (grouped in SQL, never a loop over
records). Every column is a count and is published like the others (1–7 hidden, the rest
rounded to 5, secondary suppression down the column).

Columns of one group that one statement can give together (conditional aggregation) name that
statement as their `source`: `counts_for` runs each source once for all its columns, so a
report makes one query per group rather than one per column.
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
    # One statement giving this column and others: column key -> neighbourhood id -> count.
    source: Callable[[list[int], Period], dict[str, dict[int, int]]] | None = None


_columns: dict[str, Column] = {}


def register(column: Column) -> None:
    _columns[column.key] = column


def columns() -> list[Column]:
    return sorted(_columns.values(), key=lambda c: (c.order, c.key))


def counts_for(ids: list[int], period: Period) -> list[tuple[Column, dict[int, int]]]:
    """Every column's counts: a shared source once for all its columns, the rest one by one."""
    ran: dict[int, dict[str, dict[int, int]]] = {}
    found = []
    for column in columns():
        if column.source is None:
            found.append((column, column.counts(ids, period)))
            continue
        if id(column.source) not in ran:
            ran[id(column.source)] = column.source(ids, period)
        found.append((column, ran[id(column.source)].get(column.key, {})))
    return found
