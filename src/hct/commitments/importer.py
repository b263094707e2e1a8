"""Import commitments from CSV (Decidim Accountability imports its results the same way).

The columns are those of the open data export (`/commitments/public/commitments.csv`), so a
partnership can move its commitments from one hct to another, or start from a spreadsheet:

    ref, parent_ref, title, description, neighbourhood, owner, partners, lead_role, made_on,
    due_on, status, progress, done_on, dropped_reason, weight, answers

Only `title`, `neighbourhood`, `owner`, `lead_role`, `made_on` and `due_on` are required.
`ref` names a row so that another row's `parent_ref` can make it a part (the export's `id` and
`parent_id` columns are read as `ref` and `parent_ref`). `partners` are organisation names
separated by `;`. Other columns are ignored.

The whole file is checked first; every problem is reported with the file, line and field, and
if there is any problem nothing is written. Otherwise every row is written in one transaction,
parents before their parts, with the status and progress recorded as an update "imported".
"""

import csv
import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from hct.commitments import services
from hct.commitments.models import Commitment, Status
from hct.partnership.models import Partner, Partnership
from hct.places.models import Neighbourhood

REQUIRED = ("title", "neighbourhood", "owner", "lead_role", "made_on", "due_on")
ALIASES = {"id": "ref", "parent_id": "parent_ref"}
MAX_ROWS = 20_000


@dataclass
class Problem:
    file: str
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}, line {self.line}" + (f", {self.field}" if self.field else "")
        return f"{where}: {self.message}"


@dataclass
class Row:
    line: int
    ref: str
    parent_ref: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass
class ImportResult:
    problems: list[Problem]
    created: list[Commitment] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text.strip())


def _read(name: str, data: bytes) -> tuple[list[dict], list[Problem]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        return [], [Problem(name, 1, "", f"not UTF-8 text (byte {error.start})")]
    if "\x00" in text:
        return [], [Problem(name, 1, "", "not a CSV file: it holds NUL characters")]
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        header = [ALIASES.get(h.strip(), h.strip()) for h in (reader.fieldnames or [])]
    except csv.Error as error:
        return [], [Problem(name, 1, "", f"not a CSV file: {error}")]
    missing = [column for column in REQUIRED if column not in header]
    if missing:
        return [], [Problem(name, 1, "", f"missing column(s): {', '.join(missing)}")]
    reader.fieldnames = header
    rows: list[dict[str, Any]] = []
    try:
        for record in reader:
            if len(rows) >= MAX_ROWS:
                return [], [Problem(name, reader.line_num, "", f"more than {MAX_ROWS:,} rows")]
            if None in record:
                return [], [Problem(name, reader.line_num, "", "more cells than columns")]
            rows.append(
                {**{k: (v or "").strip() for k, v in record.items()}, "_line": reader.line_num}
            )
    except csv.Error as error:
        return [], [Problem(name, reader.line_num, "", f"not a CSV file: {error}")]
    return rows, []


def check(name: str, data: bytes, *, partnership: Partnership) -> tuple[list[Row], list[Problem]]:
    """Every row parsed and checked against the partnership, or the problems found."""
    records, problems = _read(name, data)
    if problems:
        return [], problems
    owners = {p.name.casefold(): p for p in Partner.objects.filter(partnership=partnership)}
    places = {}
    for n in Neighbourhood.objects.only("pk", "name", "slug"):
        places[n.slug.casefold()] = n
        places[n.name.casefold()] = n
    rows: list[Row] = []
    refs: dict[str, int] = {}
    for record in records:
        line = record["_line"]

        def problem(column: str, message: str, line=line) -> None:
            problems.append(Problem(name, line, column, message))

        values: dict[str, Any] = {}
        for column in REQUIRED:
            if not record.get(column):
                problem(column, "is empty")
        values["title"] = record.get("title", "")[:300]
        values["description"] = record.get("description", "")
        values["lead_role"] = record.get("lead_role", "")[:200]
        values["answers"] = record.get("answers", "")[:300]
        if record.get("neighbourhood"):
            values["neighbourhood"] = places.get(record["neighbourhood"].casefold())
            if values["neighbourhood"] is None:
                problem("neighbourhood", f"no neighbourhood called “{record['neighbourhood']}”")
        if record.get("owner"):
            values["owner"] = owners.get(record["owner"].casefold())
            if values["owner"] is None:
                problem("owner", f"“{record['owner']}” is not a partner of {partnership.name}")
        values["partners"] = []
        for partner_name in filter(
            None, (p.strip() for p in record.get("partners", "").split(";"))
        ):
            partner = owners.get(partner_name.casefold())
            if partner is None:
                problem("partners", f"“{partner_name}” is not a partner of {partnership.name}")
            else:
                values["partners"].append(partner)
        for column in ("made_on", "due_on", "done_on"):
            if record.get(column):
                try:
                    values[column] = _date(record[column])
                except ValueError:
                    problem(column, f"“{record[column]}” is not a date like 2026-06-18")
        if values.get("made_on") and values.get("due_on") and values["due_on"] < values["made_on"]:
            problem("due_on", "the due date is before the day the commitment was made")
        status = record.get("status") or Status.NOT_STARTED
        if status not in Status.values:
            problem("status", f"“{status}” is not one of {', '.join(Status.values)}")
        values["status"] = status
        if status == Status.DROPPED and not record.get("dropped_reason"):
            problem("dropped_reason", "say why the commitment was dropped")
        values["dropped_reason"] = record.get("dropped_reason", "")
        values["progress"] = None
        if record.get("progress"):
            try:
                values["progress"] = int(record["progress"])
            except ValueError:
                problem("progress", f"“{record['progress']}” is not a whole number")
            else:
                if not 0 <= values["progress"] <= 100:
                    problem("progress", "progress is a percentage from 0 to 100")
        values["weight"] = None
        if record.get("weight"):
            try:
                values["weight"] = Decimal(record["weight"])
                if not values["weight"].is_finite() or not 0 <= values["weight"] < 10_000:
                    raise InvalidOperation
            except InvalidOperation:
                problem("weight", f"“{record['weight']}” is not a weight from 0 to 9999")
        ref = record.get("ref", "")
        if ref:
            if ref in refs:
                problem("ref", f"“{ref}” is also the ref of line {refs[ref]}")
            refs[ref] = line
        rows.append(Row(line, ref, record.get("parent_ref", ""), values))
    for row in rows:
        if row.parent_ref and row.parent_ref not in refs:
            problems.append(
                Problem(name, row.line, "parent_ref", f"no row has the ref “{row.parent_ref}”")
            )
    problems.extend(_loops(name, rows))
    return rows, problems


def _loops(name: str, rows: list[Row]) -> list[Problem]:
    parent_of = {row.ref: row.parent_ref for row in rows if row.ref}
    found = []
    for row in rows:
        seen, ref = set(), row.ref
        while ref and ref in parent_of:
            if ref in seen:
                found.append(
                    Problem(name, row.line, "parent_ref", "the parts make a loop back to this row")
                )
                break
            seen.add(ref)
            ref = parent_of[ref]
    return found


def _in_order(rows: list[Row]) -> list[Row]:
    """Parents before their parts."""
    by_ref = {row.ref: row for row in rows if row.ref}
    ordered, placed = [], set()

    def place(row: Row) -> None:
        if id(row) in placed:
            return
        if row.parent_ref:
            place(by_ref[row.parent_ref])
        placed.add(id(row))
        ordered.append(row)

    for row in rows:
        place(row)
    return ordered


def import_commitments(
    *, actor: Any, partnership: Partnership, name: str, data: bytes
) -> ImportResult:
    """Check the whole file, then write every row in one transaction, or nothing."""
    rows, problems = check(name, data, partnership=partnership)
    if problems:
        return ImportResult(problems)
    created: dict[str, Commitment] = {}
    result = ImportResult([])
    try:
        with transaction.atomic():
            for row in _in_order(rows):
                v = row.values
                commitment = services.commitment_create(
                    actor=actor,
                    partnership=partnership,
                    neighbourhood=v["neighbourhood"],
                    title=v["title"],
                    owner=v["owner"],
                    lead_role=v["lead_role"],
                    made_on=v["made_on"],
                    due_on=v["due_on"],
                    description=v["description"],
                    partners=v["partners"],
                    answers=v["answers"],
                    parent=created.get(row.parent_ref) if row.parent_ref else None,
                    weight=v["weight"],
                )
                if v["status"] != Status.NOT_STARTED or v["progress"]:
                    # The import records the state the partnership already knew of, as of the
                    # day it was done (or made): the system reports it, not the importer.
                    services.commitment_report(
                        actor=None,
                        commitment=commitment,
                        status=v["status"],
                        progress=v["progress"],
                        note="Imported",
                        dropped_reason=v["dropped_reason"],
                        on=v.get("done_on") or v["made_on"],
                    )
                if row.ref:
                    created[row.ref] = commitment
                result.created.append(commitment)
    except ValidationError as error:
        return ImportResult([Problem(name, row.line, "", "; ".join(error.messages))])
    return result
