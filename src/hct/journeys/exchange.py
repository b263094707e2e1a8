"""Journeys in and out, as JSON and CSV (the format: docs/journeys-format.md).

An import is read and checked whole before anything is written; the first problem is reported
with the file, the row (CSV) or path (JSON) and the field, and nothing is written. Then it is
written in one transaction.
"""

import csv
import io
import json
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Prefetch, QuerySet

from hct.core.services import audit_record
from hct.journeys.dates import WhenError, parse_when
from hct.journeys.models import Felt, Gap, Journey, Touchpoint, What
from hct.journeys.services import ERROR_OUT_OF_ORDER, gap_link_mark
from hct.partnership.selectors import neighbourhoods_in_scope
from hct.people.models import Erasure, Person
from hct.people.selectors import Access, lsoas_in, person_access
from hct.people.services import person_create
from hct.places.models import Lsoa
from hct.systemmap.models import Actor, Sector
from hct.systemmap.selectors import actor_find
from hct.systemmap.services import actor_create, actor_for_person, links_mark_bulk

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
ERROR_LIST = "must be a list"
ERROR_OBJECT = "must be an object"
ERROR_TOO_LONG = "is longer than {limit} characters"
ERROR_CHOICE = "“{value}” is not one of: {choices}"
ERROR_UUID = "“{value}” is not an id (a UUID)"
ERROR_BOOLEAN = "must be true or false"
ERROR_NO_LSOA = "there is no LSOA with the code “{value}”"
ERROR_LSOA_SCOPE = "LSOA {value} is not in a neighbourhood you work in"
ERROR_PERSON_NOT_YOURS = "this person is not one you are named for"
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


# Reading


class _Reader:
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
                    ERROR_OUT_OF_ORDER.format(
                        later=touchpoint.actor_name,
                        later_when=touchpoint.when.text,
                        earlier=latest.actor_name,
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
    reader = _Reader(file)
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
    reader = _Reader(file)
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


# Checking against the database, then writing


@dataclass
class _Resolved:
    person: Person | None
    lsoa: Lsoa | None


def check(planned: list[PlannedJourney], *, actor: Any, file: str) -> dict[int, _Resolved]:
    """Everything an import needs from the database, or the first problem with it."""
    reader = _Reader(file)
    codes = {j.lsoa for j in planned if j.lsoa}
    lsoas = {lsoa.code: lsoa for lsoa in Lsoa.objects.filter(code__in=codes)}
    scope_codes = set(lsoas_in(neighbourhoods_in_scope(actor)).values_list("code", flat=True))
    person_ids = {j.person_id for j in planned if j.person_id}
    people = {p.uuid: p for p in Person.objects.filter(uuid__in=person_ids)}
    erased = set(
        Erasure.objects.filter(person_uuid__in=person_ids).values_list("person_uuid", flat=True)
    )
    journey_ids = {j.journey_id for j in planned if j.journey_id}
    held = set(Journey.objects.filter(uuid__in=journey_ids).values_list("uuid", flat=True))
    seen_journeys: set[uuid.UUID] = set()
    resolved: dict[int, _Resolved] = {}
    for index, journey in enumerate(planned):
        where = journey.where
        if journey.journey_id:
            if journey.journey_id in held or journey.journey_id in seen_journeys:
                raise reader.problem(where, "id", ERROR_JOURNEY_EXISTS)
            seen_journeys.add(journey.journey_id)
        if journey.person_id in erased:
            raise reader.problem(where, "person", ERROR_PERSON_ERASED)
        person = people.get(journey.person_id) if journey.person_id else None
        if person is not None:
            if person_access(actor, person) is not Access.NAMED:
                raise reader.problem(where, "person", ERROR_PERSON_NOT_YOURS)
            resolved[index] = _Resolved(person, None)
            continue
        if not journey.alias or not journey.lsoa:
            raise reader.problem(where, "person", ERROR_PERSON_NEEDS)
        lsoa = lsoas.get(journey.lsoa)
        if lsoa is None:
            raise reader.problem(where, "lsoa", ERROR_NO_LSOA.format(value=journey.lsoa[:20]))
        if lsoa.code not in scope_codes:
            raise reader.problem(where, "lsoa", ERROR_LSOA_SCOPE.format(value=lsoa.code))
        resolved[index] = _Resolved(None, lsoa)
    return resolved


def import_journeys(
    planned: list[PlannedJourney],
    *,
    actor: Any,
    file: str,
    report: Callable[[int, int], None] | None = None,
) -> ImportSummary:
    """Write checked journeys, all or nothing. New people get the importer as their named
    facilitator; gaps mark links on the system map as recording them by hand does."""
    resolved = check(planned, actor=actor, file=file)
    summary = ImportSummary()
    with transaction.atomic():
        new_people: dict[uuid.UUID | str, Person] = {}
        actor_cache: dict[tuple, Actor] = {}
        marks = []
        for index, journey in enumerate(planned):
            target = resolved[index]
            person = target.person
            if person is None:
                key = journey.person_id or f"{journey.alias}|{journey.lsoa}|{index}"
                person = new_people.get(key)
                if person is None:
                    person = person_create(
                        actor=actor,
                        alias=journey.alias,
                        home_lsoa=target.lsoa,
                        synthetic=journey.synthetic,
                        synthetic_batch="import" if journey.synthetic else "",
                        person_uuid=journey.person_id,
                    )
                    new_people[key] = person
                    summary.people_created += 1
            record = Journey(person=person, title=journey.title, created_by=actor)
            if journey.journey_id:
                record.uuid = journey.journey_id
            record.full_clean()
            record.save()
            own = actor_for_person(actor=actor, person=person)
            touchpoints = []
            for position, planned_touchpoint in enumerate(journey.touchpoints, start=1):
                who = _actor_for(planned_touchpoint, person, own, actor, actor_cache, summary)
                touchpoints.append(
                    Touchpoint(
                        journey=record,
                        position=position,
                        when=planned_touchpoint.when.text,
                        starts_on=planned_touchpoint.when.start,
                        ends_on=planned_touchpoint.when.end,
                        precision=planned_touchpoint.when.precision,
                        actor=who,
                        what=planned_touchpoint.what,
                        felt=planned_touchpoint.felt,
                        note=planned_touchpoint.note.strip(),
                    )
                )
            Touchpoint.objects.bulk_create(touchpoints)
            by_ref = {
                t.ref: created for t, created in zip(journey.touchpoints, touchpoints, strict=True)
            }
            gaps = []
            for planned_gap in journey.gaps:
                before, after = by_ref[planned_gap.before], by_ref[planned_gap.after]
                gaps.append(
                    Gap(
                        journey=record,
                        before=before,
                        after=after,
                        kind=planned_gap.kind,
                        note=planned_gap.note.strip(),
                    )
                )
                mark = gap_link_mark(before, after, planned_gap.kind, own)
                if mark is not None:
                    marks.append(mark)
            Gap.objects.bulk_create(gaps)
            summary.journeys += 1
            summary.touchpoints += len(touchpoints)
            summary.gaps += len(gaps)
            if report is not None:
                report(index + 1, len(planned))
        links_mark_bulk(actor=actor, marks=marks)
        audit_record(
            actor=actor,
            verb="journeys.import",
            subject_type="journeys.journey",
            details={
                "journeys": summary.journeys,
                "people_created": summary.people_created,
                "touchpoints": summary.touchpoints,
                "gaps": summary.gaps,
            },
        )
    return summary


def _actor_for(planned, person, own, actor, cache, summary) -> Actor:
    kind = Actor.Kind(planned.actor_kind)
    if kind == Actor.Kind.PERSON:
        return own
    personal = kind in Actor.PERSONAL_KINDS
    key = (planned.actor_name.lower(), kind, person.pk if personal else None)
    if key not in cache:
        found = actor_find(name=planned.actor_name, kind=kind, person=person if personal else None)
        if found is None:
            found = actor_create(
                actor=actor,
                name=planned.actor_name,
                kind=kind,
                sector=planned.actor_sector,
                person=person if personal else None,
            )
            summary.actors_created += 1
        cache[key] = found
    return cache[key]


# Export


def _journeys_for_export(journeys: QuerySet[Journey]) -> list[Journey]:
    return list(
        journeys.select_related("person__home_lsoa")
        .prefetch_related(
            Prefetch(
                "touchpoints",
                queryset=Touchpoint.objects.select_related("actor").order_by("position"),
            ),
            Prefetch("gaps", queryset=Gap.objects.order_by("id")),
        )
        .order_by("id")
    )


def _journey_document(journey: Journey, sees_private: bool) -> dict:
    touchpoints = list(journey.touchpoints.all())
    refs = {t.pk: f"t{t.position}" for t in touchpoints}
    return {
        "id": str(journey.uuid),
        "title": journey.title,
        "person": {
            "id": str(journey.person.uuid),
            "alias": journey.person.alias,
            "lsoa": journey.person.home_lsoa.code,
            "synthetic": journey.person.synthetic,
        },
        "touchpoints": [
            {
                "ref": refs[t.pk],
                "when": t.when,
                "actor": {
                    "name": t.actor.label_for(sees_private),
                    "kind": t.actor.kind,
                    "sector": t.actor.sector,
                },
                "what": t.what,
                "felt": t.felt,
                "note": t.note,
            }
            for t in touchpoints
        ],
        "gaps": [
            {"before": refs[g.before_id], "after": refs[g.after_id], "kind": g.kind, "note": g.note}
            for g in journey.gaps.all()
        ],
    }


def export_documents(
    journeys: QuerySet[Journey], *, sees_private: Callable[[Journey], bool]
) -> list[dict]:
    return [_journey_document(j, sees_private(j)) for j in _journeys_for_export(journeys)]


def export_json(journeys: QuerySet[Journey], *, sees_private: Callable[[Journey], bool]) -> str:
    document = {
        "format": FORMAT,
        "version": VERSION,
        "journeys": export_documents(journeys, sees_private=sees_private),
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def csv_rows(documents: Iterable[dict]) -> Iterable[dict]:
    for document in documents:
        common = {
            "journey": document["id"],
            "journey_title": document["title"],
            "person_id": document["person"]["id"],
            "person_alias": document["person"]["alias"],
            "person_lsoa": document["person"]["lsoa"],
            "person_synthetic": "true" if document["person"]["synthetic"] else "false",
        }
        for t in document["touchpoints"]:
            yield {
                **common,
                "record": "touchpoint",
                "ref": t["ref"],
                "when": t["when"],
                "actor_name": t["actor"]["name"],
                "actor_kind": t["actor"]["kind"],
                "actor_sector": t["actor"]["sector"],
                "what": t["what"],
                "felt": t["felt"],
                "note": t["note"],
            }
        for g in document["gaps"]:
            yield {
                **common,
                "record": "gap",
                "before": g["before"],
                "after": g["after"],
                "gap_kind": g["kind"],
                "note": g["note"],
            }


def export_csv(journeys: QuerySet[Journey], *, sees_private: Callable[[Journey], bool]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for row in csv_rows(export_documents(journeys, sees_private=sees_private)):
        writer.writerow(row)
    return out.getvalue()
