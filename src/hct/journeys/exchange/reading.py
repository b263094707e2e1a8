"""Reading a JSON or CSV file of journeys, checked field by field: the first problem is raised
with the file, the row (CSV) or path (JSON) and the field."""

import csv
import io
import json
import uuid

from hct.journeys.dates import WhenError, parse_when
from hct.journeys.exchange.format import (
    CSV_COLUMNS,
    ERROR_BOOLEAN,
    ERROR_CHOICE,
    ERROR_COLUMNS,
    ERROR_DUPLICATE,
    ERROR_EMPTY_FILE,
    ERROR_FORMAT,
    ERROR_GAP_ORDER,
    ERROR_LIST,
    ERROR_NO_REF,
    ERROR_NOT_CSV,
    ERROR_NOT_JSON,
    ERROR_NUL,
    ERROR_OBJECT,
    ERROR_PERSON_DIFFERS,
    ERROR_RECORD,
    ERROR_REQUIRED,
    ERROR_TEXT,
    ERROR_TOO_LONG,
    ERROR_TOO_MANY,
    ERROR_UUID,
    FORMAT,
    LIMITS,
    MAX_JOURNEYS,
    MAX_TOUCHPOINTS,
    VERSION,
    ImportProblem,
    PlannedGap,
    PlannedJourney,
    PlannedTouchpoint,
)
from hct.journeys.models import Felt, Gap, What
from hct.journeys.services import ERROR_OUT_OF_ORDER
from hct.systemmap.models import Actor, Sector


class Reader:
    """Field checks shared by the JSON and CSV readers; each problem names where it is."""

    def __init__(self, file: str):
        self.file = file

    def problem(self, where, name, message) -> ImportProblem:
        return ImportProblem(self.file, where, name, message)

    def text(self, data: dict, name: str, where: str, *, required=True, limit_key=None) -> str:
        value = data.get(name)
        if value is None or value == "":
            if required:
                raise self.problem(where, name, ERROR_REQUIRED)
            return ""
        if not isinstance(value, str):
            raise self.problem(where, name, ERROR_TEXT)
        if "\x00" in value:
            raise self.problem(where, name, ERROR_NUL)
        limit = LIMITS.get(limit_key or name)
        if limit and len(value) > limit:
            raise self.problem(where, name, ERROR_TOO_LONG.format(limit=limit))
        if required and not value.strip():
            raise self.problem(where, name, ERROR_REQUIRED)
        return value

    def choice(self, data: dict, name: str, where: str, choices, *, required=True) -> str:
        value = self.text(data, name, where, required=required, limit_key="ref")
        if not value and not required:
            return ""
        allowed = [c.value for c in choices]
        if value not in allowed:
            raise self.problem(
                where, name, ERROR_CHOICE.format(value=value[:40], choices=", ".join(allowed))
            )
        return value

    def uuid(self, data: dict, name: str, where: str) -> uuid.UUID | None:
        value = self.text(data, name, where, required=False, limit_key="ref")
        if not value:
            return None
        try:
            return uuid.UUID(value)
        except ValueError:
            raise self.problem(where, name, ERROR_UUID.format(value=value[:40])) from None

    def boolean(self, data: dict, name: str, where: str) -> bool:
        value = data.get(name, False)
        if value in (None, "", False, "false", "False", "no", "0"):
            return False
        if value in (True, "true", "True", "yes", "1"):
            return True
        raise self.problem(where, name, ERROR_BOOLEAN)

    def when(self, data: dict, where: str):
        text = self.text(data, "when", where)
        try:
            return parse_when(text)
        except WhenError as error:
            raise self.problem(where, "when", str(error)) from None

    def touchpoint(self, data: dict, where: str, index: int) -> PlannedTouchpoint:
        return PlannedTouchpoint(
            ref=self.text(data, "ref", where, required=False) or str(index + 1),
            when=self.when(data, where),
            actor_name=self.text(data, "actor_name", where, limit_key="name").strip(),
            actor_kind=self.choice(data, "actor_kind", where, Actor.Kind),
            actor_sector=self.choice(data, "actor_sector", where, Sector, required=False),
            what=self.choice(data, "what", where, What),
            felt=self.choice(data, "felt", where, Felt, required=False) or Felt.NEITHER,
            note=self.text(data, "note", where, required=False),
            where=where,
        )

    def gap(self, data: dict, where: str) -> PlannedGap:
        return PlannedGap(
            before=self.text(data, "before", where, limit_key="ref"),
            after=self.text(data, "after", where, limit_key="ref"),
            kind=self.choice(data, "gap_kind", where, Gap.Kind),
            note=self.text(data, "note", where, required=False),
        )

    def check_journey(self, journey: PlannedJourney, gap_places: list[str]) -> None:
        refs: dict[str, int] = {}
        for index, touchpoint in enumerate(journey.touchpoints):
            if touchpoint.ref in refs:
                raise self.problem(
                    touchpoint.where, "ref", ERROR_DUPLICATE.format(value=touchpoint.ref[:40])
                )
            refs[touchpoint.ref] = index
        latest = None
        for touchpoint in journey.touchpoints:
            if latest is not None and touchpoint.when.end < latest.when.start:
                raise self.problem(
                    touchpoint.where,
                    "when",
                    # Touchpoints named by their refs: an error message (kept with a background
                    # job) must not carry the names of a person's family or friends.
                    ERROR_OUT_OF_ORDER.format(
                        later=f"touchpoint {touchpoint.ref}",
                        later_when=touchpoint.when.text,
                        earlier=f"touchpoint {latest.ref}",
                        earlier_when=latest.when.text,
                    ),
                )
            if latest is None or touchpoint.when.start > latest.when.start:
                latest = touchpoint
        for gap, where in zip(journey.gaps, gap_places, strict=True):
            for name in ("before", "after"):
                if getattr(gap, name) not in refs:
                    raise self.problem(
                        where, name, ERROR_NO_REF.format(value=getattr(gap, name)[:40])
                    )
            if refs[gap.before] >= refs[gap.after]:
                raise self.problem(where, "after", ERROR_GAP_ORDER)


def read_json(content: bytes | str, *, file: str = "journeys.json") -> list[PlannedJourney]:
    reader = Reader(file)
    try:
        document = json.loads(content)
    except (ValueError, RecursionError) as error:
        raise reader.problem(None, None, ERROR_NOT_JSON.format(error=str(error)[:200])) from None
    if not isinstance(document, dict):
        raise reader.problem(None, None, ERROR_FORMAT)
    if document.get("format") != FORMAT or document.get("version") != VERSION:
        raise reader.problem(None, None, ERROR_FORMAT)
    items = document.get("journeys")
    if not isinstance(items, list):
        raise reader.problem("journeys", None, ERROR_LIST)
    if not items:
        raise reader.problem("journeys", None, ERROR_EMPTY_FILE)
    if len(items) > MAX_JOURNEYS:
        raise reader.problem(
            "journeys", None, ERROR_TOO_MANY.format(limit=MAX_JOURNEYS, what="journeys")
        )
    planned, touchpoint_total = [], 0
    for j, item in enumerate(items):
        where = f"journeys[{j}]"
        if not isinstance(item, dict):
            raise reader.problem(where, None, ERROR_OBJECT)
        person = item.get("person")
        if not isinstance(person, dict):
            raise reader.problem(where, "person", ERROR_OBJECT)
        person_where = f"{where}.person"
        journey = PlannedJourney(
            where=where,
            journey_id=reader.uuid(item, "id", where),
            title=reader.text(item, "title", where).strip(),
            person_id=reader.uuid(person, "id", person_where),
            alias=reader.text(person, "alias", person_where, required=False).strip(),
            lsoa=reader.text(person, "lsoa", person_where, required=False, limit_key="ref").strip(),
            synthetic=reader.boolean(person, "synthetic", person_where),
        )
        touchpoints = item.get("touchpoints")
        if not isinstance(touchpoints, list):
            raise reader.problem(where, "touchpoints", ERROR_LIST)
        touchpoint_total += len(touchpoints)
        if touchpoint_total > MAX_TOUCHPOINTS:
            raise reader.problem(
                where,
                "touchpoints",
                ERROR_TOO_MANY.format(limit=MAX_TOUCHPOINTS, what="touchpoints"),
            )
        for t, data in enumerate(touchpoints):
            place = f"{where}.touchpoints[{t}]"
            if not isinstance(data, dict):
                raise reader.problem(place, None, ERROR_OBJECT)
            actor = data.get("actor")
            if not isinstance(actor, dict):
                raise reader.problem(place, "actor", ERROR_OBJECT)
            flat = {
                **data,
                "actor_name": actor.get("name"),
                "actor_kind": actor.get("kind"),
                "actor_sector": actor.get("sector"),
            }
            journey.touchpoints.append(reader.touchpoint(flat, place, t))
        gaps = item.get("gaps", [])
        if not isinstance(gaps, list):
            raise reader.problem(where, "gaps", ERROR_LIST)
        places = []
        for g, data in enumerate(gaps):
            place = f"{where}.gaps[{g}]"
            if not isinstance(data, dict):
                raise reader.problem(place, None, ERROR_OBJECT)
            journey.gaps.append(reader.gap({**data, "gap_kind": data.get("kind")}, place))
            places.append(place)
        reader.check_journey(journey, places)
        planned.append(journey)
    return planned


def read_csv(content: bytes | str, *, file: str = "journeys.csv") -> list[PlannedJourney]:
    reader = Reader(file)
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise reader.problem(None, None, ERROR_NOT_CSV.format(error=str(error)[:200])) from None
    try:
        rows = csv.DictReader(io.StringIO(content, newline=""))
        header = rows.fieldnames or []
        missing = [c for c in CSV_COLUMNS if c not in header]
        if missing:
            raise reader.problem(None, None, ERROR_COLUMNS.format(columns=", ".join(missing)))
        journeys: dict[str, PlannedJourney] = {}
        gap_places: dict[str, list[str]] = {}
        touchpoint_total = 0
        for number, row in enumerate(rows, start=2):
            where = f"row {number}"
            if None in row:  # more cells than columns
                raise reader.problem(where, None, ERROR_NOT_CSV.format(error="too many cells"))
            for column, cell in row.items():
                if cell and "\x00" in cell:
                    raise reader.problem(where, column, ERROR_NUL)
            key = reader.text(row, "journey", where, limit_key="ref")
            journey_id = reader.uuid(row, "journey", where) if _looks_like_uuid(key) else None
            planned = PlannedJourney(
                where=where,
                journey_id=journey_id,
                title=reader.text(row, "journey_title", where, limit_key="title").strip(),
                person_id=reader.uuid(row, "person_id", where),
                alias=reader.text(
                    row, "person_alias", where, required=False, limit_key="alias"
                ).strip(),
                lsoa=reader.text(
                    row, "person_lsoa", where, required=False, limit_key="ref"
                ).strip(),
                synthetic=reader.boolean(row, "person_synthetic", where),
            )
            journey = journeys.setdefault(key, planned)
            if journey is not planned:
                for name, column in (
                    ("title", "journey_title"),
                    ("person_id", "person_id"),
                    ("alias", "person_alias"),
                    ("lsoa", "person_lsoa"),
                    ("synthetic", "person_synthetic"),
                ):
                    if getattr(journey, name) != getattr(planned, name):
                        raise reader.problem(where, column, ERROR_PERSON_DIFFERS)
            record = (row.get("record") or "").strip()
            if record == "touchpoint":
                touchpoint_total += 1
                if touchpoint_total > MAX_TOUCHPOINTS:
                    raise reader.problem(
                        where,
                        None,
                        ERROR_TOO_MANY.format(limit=MAX_TOUCHPOINTS, what="touchpoints"),
                    )
                journey.touchpoints.append(reader.touchpoint(row, where, len(journey.touchpoints)))
            elif record == "gap":
                journey.gaps.append(reader.gap(row, where))
                gap_places.setdefault(key, []).append(where)
            else:
                raise reader.problem(where, "record", ERROR_RECORD)
            if len(journeys) > MAX_JOURNEYS:
                raise reader.problem(
                    where, None, ERROR_TOO_MANY.format(limit=MAX_JOURNEYS, what="journeys")
                )
    except csv.Error as error:
        raise reader.problem(None, None, ERROR_NOT_CSV.format(error=str(error)[:200])) from None
    if not journeys:
        raise reader.problem(None, None, ERROR_EMPTY_FILE)
    for key, journey in journeys.items():
        reader.check_journey(journey, gap_places.get(key, []))
    return list(journeys.values())


def _looks_like_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True


def read_file(content: bytes | str, *, file: str) -> list[PlannedJourney]:
    """Read a JSON or CSV file of journeys, chosen by its name."""
    if file.lower().endswith(".json"):
        return read_json(content, file=file)
    if file.lower().endswith(".csv"):
        return read_csv(content, file=file)
    raise ImportProblem(file, None, None, "must be a .json or .csv file")
