"""From parsed JSON documents and CSV tables to flat records, each checked against its schema and
converted to the values the database keeps, with every problem tied to where it is.

A JSON record nested in another (a service's schedules) becomes a record of its own that points at
its parent; a record that appears more than once (the same organisation under every service of a
page) is merged, and only a real disagreement is a problem.
"""

import csv
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

from hct.directory import oruk_schemas
from hct.directory.importer.kinds import (
    KINDS,
    NOT_IN_PROFILE,
    Kind,
    kind_for_file_name,
    kind_from_fields,
)
from hct.directory.importer.sources import SourceError, SourceFile, decode_text, parse_json
from hct.directory.importer.values import (
    ERROR_NOT_NUMBER,
    as_uuid,
    convert,
    parse_number,
    schema_errors,
    short,
    tabular_validator,
)

ERROR_NOT_RECORD = "should be an ORUK record (a JSON object), not {what}"
ERROR_NOT_DOCUMENT = "should hold an ORUK record, a list of records or a page with 'contents'"
ERROR_CONTENTS = "'contents' should be a list of records"
ERROR_UNKNOWN_KIND = (
    "cannot tell which kind of ORUK record this is (service, organization, taxonomy, "
    "taxonomy term or service at location): name the file after its kind, or choose the kind"
)
ERROR_CONFLICT = "{field} is {given} here, but the record it is nested in says {implied}"
ERROR_DUPLICATE = (
    "the {kind} {id} appears again, with a different {field} ({first} at {first_where})"
)
ERROR_DUPLICATE_HEADER = "the column {column!r} appears twice in the header"
ERROR_ROW_LENGTH = "has {found} cells; the header has {expected}"
ERROR_NO_HEADER = "has no header row"
ERROR_CSV = "is not a readable CSV file ({message})"
WARNING_UNKNOWN_COLUMNS = "columns not in the UK profile's {kind} table, ignored: {columns}"
WARNING_UNKNOWN_TABLE = "is not a table of the Open Referral UK profile; ignored"
WARNING_IGNORED_FILE = "is neither JSON nor CSV; ignored"
WARNING_LATITUDE = (
    "{value} is not a {what} on Earth: the location is kept, but left out of distances"
)


@dataclass(frozen=True)
class Problem:
    file: str
    where: str  # a JSON pointer ("/schedules/0/byday") or "row 3, column 'byday'"; "" for a file
    message: str
    record: str = ""  # "service ac148810-…", when one record is at fault

    def as_dict(self) -> dict:
        return {
            "file": self.file,
            "where": self.where,
            "record": self.record,
            "message": self.message,
        }

    def __str__(self) -> str:
        where = f", {self.where}" if self.where else ""
        return f"{self.file}{where}: {self.message}"


@dataclass(frozen=True)
class Origin:
    """Where a record appears: its file, its place there, and the top-level record it belongs
    to (what is skipped together when importing only the valid records)."""

    file: str
    at: str  # JSON pointer of the record, or "row N"
    root: str
    csv: bool = False

    def where(self, name: str = "") -> str:
        if not name:
            return self.at or "/"
        if self.csv:
            return f"{self.at}, column '{name}'"
        return f"{self.at}/{name}"


@dataclass
class Entity:
    kind: str
    id: uuid.UUID
    fields: dict = field(default_factory=dict)  # only what the data gave (None: an empty cell)
    origins: list[Origin] = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{self.kind.replace('_', ' ')} {self.id}"


@dataclass
class TopRecord:
    root: str
    file: str
    at: str
    label: str


class Collector:
    """Everything read so far: records, problems (each against its top-level record) and
    warnings, plus the parent-child sets the data declares in full."""

    def __init__(self):
        self.entities: dict[tuple[str, uuid.UUID], Entity] = {}
        self.problems: list[tuple[str, Problem]] = []  # (root or "", problem)
        self.warnings: list[Problem] = []
        self.declared: dict[tuple[str, str, uuid.UUID], set[uuid.UUID]] = {}
        self.tops: list[TopRecord] = []
        self.files: list[str] = []
        self.flagged: set[str] = set()  # pointers the schema has already complained about
        self._queue: list[tuple[Callable[[], None], int]] = []
        # For each CSV table read: (link field, parent id) -> the ids of the rows that name it.
        self.tables: dict[str, dict[tuple[str, uuid.UUID], set[uuid.UUID]]] = {}
        # Ids of CSV rows too broken to become records (never pruned when skipped).
        self.unread: dict[str, set[uuid.UUID]] = {}
        self._progress: Callable[[int], None] = lambda done: None

    # -- problems ------------------------------------------------------------------------------

    def problem(self, origin: Origin | None, where: str, message: str, record: str = "", file=""):
        root = origin.root if origin else ""
        self.problems.append(
            (root, Problem(origin.file if origin else file, where, message, record))
        )

    def warn(self, file: str, where: str, message: str, record: str = ""):
        self.warnings.append(Problem(file, where, message, record))

    # -- reading -------------------------------------------------------------------------------

    def read(self, source: SourceFile, kind_hint: str | None = None) -> None:
        """Parse a file and queue its records; `process` checks them. Parsing first lets the
        progress bar know how many records there are."""
        self.files.append(source.name)
        try:
            if source.suffix == "json" or (source.suffix != "csv" and _looks_like_json(source)):
                self._queue_document(source, parse_json(source), kind_hint)
            elif source.suffix == "csv":
                self._queue_table(source)
            else:
                self.warn(source.name, "", WARNING_IGNORED_FILE)
        except SourceError as error:
            self.problem(None, error.where, error.message, file=error.file)

    def on_progress(self, callback: Callable[[int], None]) -> None:
        self._progress = callback

    @property
    def total(self) -> int:
        return sum(count for _, count in self._queue)

    def process(self) -> None:
        for work, _ in self._queue:
            try:
                work()
            except SourceError as error:
                self.problem(None, error.where, error.message, file=error.file)
        self._queue = []

    def _queue_document(self, source: SourceFile, document, kind_hint: str | None) -> None:
        hint = kind_hint or kind_for_file_name(source.name)
        if isinstance(document, dict) and "contents" in document:
            items = document["contents"]
            if not isinstance(items, list):
                self.problem(None, "/contents", ERROR_CONTENTS, file=source.name)
                return
            records = [(f"/contents/{i}", item) for i, item in enumerate(items)]
        elif isinstance(document, list):
            records = [(f"/{i}", item) for i, item in enumerate(document)]
        elif isinstance(document, dict):
            records = [("", document)]
        else:
            self.problem(None, "", ERROR_NOT_DOCUMENT, file=source.name)
            return
        self._queue.append((lambda: self._records(source, records, hint), len(records)))

    def _records(self, source: SourceFile, records: list, hint: str | None) -> None:
        for at, item in records:
            origin = Origin(source.name, at, f"{source.name}#{at or '/'}")
            kind = hint or (kind_from_fields(item) if isinstance(item, dict) else None)
            label = f"{kind.replace('_', ' ') if kind else 'record'} {short(_id_of(item), 60)}"
            self.tops.append(TopRecord(origin.root, source.name, at or "/", label))
            if not isinstance(item, dict):
                what = type(item).__name__.replace("str", "text").replace("NoneType", "null")
                self.problem(origin, origin.where(), ERROR_NOT_RECORD.format(what=what))
            elif kind is None:
                self.problem(origin, origin.where(), ERROR_UNKNOWN_KIND)
            else:
                # Read on past schema problems, so every problem of the record is reported at
                # once; the record is not written either way.
                self._validate(origin, KINDS[kind].schema, item, at)
                self._record(KINDS[kind], item, origin, at)
            self._progress(len(self.tops))

    def _validate(self, origin: Origin, schema: str, item, at: str) -> bool:
        """Schema problems at their JSON pointers; True when there were none."""
        errors = schema_errors(oruk_schemas.validator(schema), item)
        for path, message in errors:
            where = at + path or "/"
            self.flagged.add(where)
            self.problem(origin, where, message, f"{_kind_of(schema)} {_id_of(item)}")
        return not errors

    def _record(
        self,
        kind: Kind,
        data: dict,
        origin: Origin,
        at: str,
        # The parent a nested record belongs to: its id, or for an attribute (id, entity kind).
        link: tuple[str, uuid.UUID | tuple[uuid.UUID, str]] | None = None,
    ) -> uuid.UUID | None:
        """One JSON record and everything nested in it; returns its id."""
        if not isinstance(data, dict):
            return None  # the schema has said why
        record_id = as_uuid(data.get("id"))
        if record_id is None:
            return None  # the schema has said why
        here = Origin(origin.file, at, origin.root)
        fields = self._convert(kind, data, here, record_id)
        if link is not None:
            name, value = link
            if isinstance(value, tuple):
                fields["link_id"], fields["link_entity"] = value
            else:
                given = fields.get(name)
                if given is not None and given != value:
                    self.problem(
                        here,
                        here.where(name),
                        ERROR_CONFLICT.format(field=name, given=given, implied=value),
                        f"{kind.name} {record_id}",
                    )
                fields[name] = value
        for nest in kind.nests:
            if nest.key not in data:
                continue
            value, nest_at = data[nest.key], f"{at}/{nest.key}"
            child_kind = KINDS[nest.kind]
            if not nest.many:
                if nest.schema:
                    self._validate(here, nest.schema, value, nest_at)
                child_id = self._record(child_kind, value, here, nest_at)
                if child_id is not None:
                    given = fields.get(nest.link)
                    if given is not None and given != child_id:
                        self.problem(
                            here,
                            here.where(nest.link),
                            ERROR_CONFLICT.format(field=nest.link, given=given, implied=child_id),
                            f"{kind.name} {record_id}",
                        )
                    fields[nest.link] = child_id
                continue
            if not isinstance(value, list):
                continue  # the schema has said why
            children = set()
            back: uuid.UUID | tuple[uuid.UUID, str] = (
                (record_id, kind.name) if nest.link == "attribute" else record_id
            )
            for index, item in enumerate(value):
                item_at = f"{nest_at}/{index}"
                if nest.schema:
                    self._validate(here, nest.schema, item, item_at)
                child_id = self._record(child_kind, item, here, item_at, link=(nest.link, back))
                if child_id is not None:
                    children.add(child_id)
            if nest.prune:
                link_field = "link_id" if nest.link == "attribute" else nest.link
                self.declared[(nest.kind, link_field, record_id)] = children
        self._add(kind, record_id, fields, here)
        return record_id

    def _add(self, kind: Kind, record_id: uuid.UUID, fields: dict, origin: Origin) -> None:
        key = (kind.name, record_id)
        entity = self.entities.get(key)
        if entity is None:
            self.entities[key] = Entity(kind.name, record_id, fields, [origin])
            return
        for name, value in fields.items():
            if name in entity.fields and entity.fields[name] != value:
                first = entity.origins[0]
                self.problem(
                    origin,
                    origin.where(name),
                    ERROR_DUPLICATE.format(
                        kind=kind.name.replace("_", " "),
                        id=record_id,
                        field=name,
                        first=short(_show(entity.fields[name])),
                        first_where=f"{first.file} {first.where(name)}",
                    ),
                    entity.label,
                )
            else:
                entity.fields[name] = value
        entity.origins.append(origin)

    # -- values ---------------------------------------------------------------------------------

    def _convert(self, kind: Kind, data: dict, origin: Origin, record_id) -> dict:
        fields = {}
        for name in (*kind.fields, *kind.extensions):
            if name not in data or origin.where(name) in self.flagged:
                continue
            try:
                fields.update(convert(kind, name, data[name]))
            except ValueError as error:
                self.problem(origin, origin.where(name), str(error), f"{kind.name} {record_id}")
            else:
                self._warn_on(kind, name, fields, origin, record_id)
        return fields

    def _warn_on(self, kind: Kind, name: str, fields: dict, origin: Origin, record_id) -> None:
        value = fields.get(name)
        if kind.name == "location" and name in ("latitude", "longitude") and value is not None:
            limit = 90 if name == "latitude" else 180
            if not -limit <= value <= limit:
                self.warn(
                    origin.file,
                    origin.where(name),
                    WARNING_LATITUDE.format(value=value, what=name),
                    f"location {record_id}",
                )

    # -- CSV ------------------------------------------------------------------------------------

    def _queue_table(self, source: SourceFile) -> None:
        base = source.name.rsplit("/", 1)[-1].lower()
        kind_name = kind_for_file_name(base) if base.endswith(".csv") else None
        if kind_name is None or base not in (KINDS[kind_name].table, *KINDS[kind_name].aliases):
            message = WARNING_UNKNOWN_TABLE
            if base in NOT_IN_PROFILE:
                message += " (HSDS 3.0 has it; the UK profile does not)"
            self.warn(source.name, "", message)
            return
        text = decode_text(source)
        try:
            rows = list(csv.reader(io.StringIO(text, newline="")))
        except csv.Error as error:
            raise SourceError(source.name, ERROR_CSV.format(message=error)) from None
        count = sum(1 for cells in rows[1:] if any(cell.strip() for cell in cells))
        self._queue.append((lambda: self._table(source, KINDS[kind_name], rows), count))

    def _table(self, source: SourceFile, kind: Kind, rows: list[list[str]]) -> None:
        if not rows or not any(cell.strip() for cell in rows[0]):
            raise SourceError(source.name, ERROR_NO_HEADER, "row 1")
        header = [cell.strip() for cell in rows[0]]
        seen = set()
        for column in header:
            if column in seen:
                raise SourceError(
                    source.name, ERROR_DUPLICATE_HEADER.format(column=column[:40]), "row 1"
                )
            seen.add(column)
        known = {"id", *kind.fields, *kind.extensions}
        unknown = [c for c in header if c not in known]
        if unknown:
            self.warn(
                source.name,
                "row 1",
                WARNING_UNKNOWN_COLUMNS.format(
                    kind=kind.name.replace("_", " "), columns=", ".join(short(c) for c in unknown)
                ),
            )
        validator = tabular_validator(kind)
        types = oruk_schemas.schema(kind.schema)["properties"]
        parents = [ref for ref in kind.refs if ref.hard]
        table_children: dict[tuple[str, uuid.UUID], set[uuid.UUID]] = {}
        for number, cells in enumerate(rows[1:], start=2):
            if not any(cell.strip() for cell in cells):
                continue
            at = f"row {number}"
            origin = Origin(source.name, at, f"{source.name}#{at}", csv=True)
            raw_id = (
                cells[header.index("id")].strip()
                if "id" in header and len(cells) == len(header)
                else ""
            )
            self.tops.append(
                TopRecord(origin.root, source.name, at, f"{kind.name} {short(raw_id, 60)}")
            )
            self._progress(len(self.tops))
            if len(cells) != len(header):
                self.problem(
                    origin, at, ERROR_ROW_LENGTH.format(found=len(cells), expected=len(header))
                )
                continue
            row = {c: v for c, v in zip(header, cells, strict=True) if c in known}
            instance: dict[str, object] = {}
            typed_ok = True
            for column, value in row.items():
                if not value.strip():
                    continue
                if types.get(column, {}).get("type") == "number":
                    number_value = parse_number(value)
                    if number_value is None:
                        self.problem(
                            origin,
                            origin.where(column),
                            ERROR_NOT_NUMBER.format(value=short(value)),
                            f"{kind.name} {raw_id}",
                        )
                        typed_ok = False
                        continue
                    instance[column] = number_value
                else:
                    instance[column] = value
            errors = schema_errors(validator, instance, csv_row=True)
            flagged = {column for column, _ in errors}
            for column, message in errors:
                where = origin.where(column) if column else at
                self.problem(origin, where, message, f"{kind.name} {raw_id}")
            fields: dict[str, object] = {}
            for column in row:
                if column == "id" or column in flagged:
                    continue
                if column not in instance:
                    fields[column] = None  # an empty cell clears the field
                    continue
                try:
                    fields.update(convert(kind, column, instance[column]))
                except ValueError as error:
                    self.problem(origin, origin.where(column), str(error), f"{kind.name} {raw_id}")
                else:
                    self._warn_on(kind, column, fields, origin, raw_id)
            record_id = as_uuid(raw_id)
            if record_id is None or not (typed_ok and not errors):
                if record_id is not None:
                    self.unread.setdefault(kind.name, set()).add(record_id)
                continue
            if fields.get("link_entity") is None:
                fields.pop("link_entity", None)
            self._add(kind, record_id, fields, origin)
            for name in [ref.field for ref in parents] + (
                ["link_id"] if kind.name == "attribute" else []
            ):
                parent = fields.get(name)
                if isinstance(parent, uuid.UUID):
                    table_children.setdefault((name, parent), set()).add(record_id)
        self.tables[kind.name] = table_children


def _looks_like_json(source: SourceFile) -> bool:
    return source.data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[")


def _id_of(item) -> str:
    return str(item.get("id", "")) if isinstance(item, dict) else ""


def _kind_of(schema: str) -> str:
    return schema.rsplit("/", 1)[-1].removesuffix(".json").replace("_", " ")


def _show(value) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
