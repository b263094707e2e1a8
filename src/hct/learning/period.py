"""The period every learning figure is counted over (its own module so that `figures` and the
`columns` other parts of the method add can both use it without importing each other)."""

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Period:
    start: dt.date
    end: dt.date

    def __str__(self) -> str:
        return f"{self.start:%d %B %Y} to {self.end:%d %B %Y}"
