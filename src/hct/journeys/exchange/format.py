"""The `hct-journeys` format (docs/journeys-format.md): its columns, limits and errors, and
what a file reads into before anything is written."""

import uuid
from dataclasses import dataclass, field
from typing import Any

FORMAT = "hct-journeys"
VERSION = 1
CSV_COLUMNS = [
    "journey",
    "journey_title",
    "person_id",
    "person_alias",
    "person_lsoa",
    "person_synthetic",
    "record",
    "ref",
    "when",
    "actor_name",
    "actor_kind",
    "actor_sector",
    "what",
    "felt",
    "before",
    "after",
    "gap_kind",
    "note",
]
MAX_JOURNEYS = 50_000
MAX_TOUCHPOINTS = 1_000_000
LIMITS = {"title": 200, "alias": 120, "name": 200, "ref": 60, "note": 5000, "when": 60}

ERROR_NOT_JSON = "is not JSON: {error}"
ERROR_NOT_CSV = "is not a CSV file of journeys: {error}"
ERROR_FORMAT = f'must say "format": "{FORMAT}" and "version": {VERSION}'
ERROR_COLUMNS = "is missing the column(s) {columns}"
ERROR_REQUIRED = "is required"
ERROR_TEXT = "must be text"
ERROR_NUL = "must not contain a NUL character (PostgreSQL cannot store one)"
ERROR_LIST = "must be a list"
ERROR_OBJECT = "must be an object"
ERROR_TOO_LONG = "is longer than {limit} characters"
ERROR_CHOICE = "“{value}” is not one of: {choices}"
ERROR_UUID = "“{value}” is not an id (a UUID)"
ERROR_BOOLEAN = "must be true or false"
ERROR_NO_LSOA = "there is no LSOA with the code “{value}”"
ERROR_LSOA_SCOPE = "LSOA {value} is not in a neighbourhood you work in"
ERROR_PERSON_NOT_YOURS = "this person is not one you are named for"
ERROR_PERSON_OTHER_PARTNERSHIP = "this person belongs to another partnership"
ERROR_PERSON_ERASED = "this person was erased: they cannot be imported again"
ERROR_PERSON_DIFFERS = "differs from an earlier row of the same journey"
ERROR_JOURNEY_EXISTS = "a journey with this id is already held"
ERROR_DUPLICATE = "“{value}” is used twice"
ERROR_NO_REF = "“{value}” is not a touchpoint of this journey"
ERROR_GAP_ORDER = "a gap goes from an earlier touchpoint to a later one"
ERROR_RECORD = "must be touchpoint or gap"
ERROR_TOO_MANY = "holds more than {limit} {what}"
ERROR_EMPTY_FILE = "holds no journeys"
ERROR_PERSON_NEEDS = "needs an alias and an LSOA (or the id of someone already held)"


class ImportProblem(Exception):
    """What is wrong with an import, and exactly where."""

    def __init__(self, file: str, where: str | None, field_name: str | None, message: str):
        self.file, self.where, self.field, self.message = file, where, field_name, message
        parts = [file]
        if where:
            parts.append(where)
        if field_name:
            parts.append(f"field “{field_name}”")
        super().__init__(f"{', '.join(parts)}: {message}")


@dataclass
class PlannedTouchpoint:
    ref: str
    when: Any  # dates.When
    actor_name: str
    actor_kind: str
    actor_sector: str
    what: str
    felt: str
    note: str
    where: str


@dataclass
class PlannedGap:
    before: str
    after: str
    kind: str
    note: str


@dataclass
class PlannedJourney:
    where: str
    journey_id: uuid.UUID | None
    title: str
    person_id: uuid.UUID | None
    alias: str
    lsoa: str
    synthetic: bool
    touchpoints: list[PlannedTouchpoint] = field(default_factory=list)
    gaps: list[PlannedGap] = field(default_factory=list)


@dataclass
class ImportSummary:
    journeys: int = 0
    people_created: int = 0
    touchpoints: int = 0
    gaps: int = 0
    actors_created: int = 0
