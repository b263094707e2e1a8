"""Values from ORUK data as the database keeps them, and the schema's complaints in plain words.

Every converter raises ValueError with a message fit for the person who made the file.
"""

import datetime as dt
import math
import re
import uuid
from decimal import Decimal, InvalidOperation

from django.db import models
from jsonschema import Draft202012Validator

from hct.directory import oruk_schemas
from hct.directory.importer.kinds import Kind
from hct.directory.models import Attribute
from hct.directory.schedules import ScheduleError, parse_byday, parse_bymonthday, parse_time

TEXT_LIMIT = 100_000  # characters in a free-text field
MAX_AGE = 150
ERROR_TOO_LONG = "is {length:,} characters long; at most {limit:,} are allowed"
ERROR_NUL = "contains a NUL character, which no text may hold"
ERROR_SURROGATE = "contains a character that is not valid Unicode"
ERROR_NOT_DATE = "{value!r} is not a date: use YYYY-MM-DD"
ERROR_NOT_DATETIME = "{value!r} is not a date and time: use ISO 8601, like 2023-03-15T10:30:45Z"
ERROR_NOT_NUMBER = "{value!r} is not a number"
ERROR_NOT_FINITE = "{value!r} is not a finite number"
ERROR_AGE = "{value} is not an age (0 to {limit})"
ERROR_AMOUNT = "{value} is too large an amount"
ERROR_INTERVAL = "the interval must be a whole number from 1 to 1000"
ERROR_NOT_UUID = "{value!r} is not a UUID"
ERROR_LINK_ENTITY = "{value!r} is not a kind of record an attribute can describe ({kinds})"
MAX_ERRORS_PER_RECORD = 25


def short(value, limit: int = 40) -> str:
    text = value if isinstance(value, str) else repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def as_uuid(value) -> uuid.UUID | None:
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def parse_number(text: str) -> float | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


# -- schema messages ------------------------------------------------------------------------------

_TYPE_WORDS = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "object": "an object",
    "array": "a list",
    "boolean": "true or false",
    "null": "null",
}


def _json_type(value) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return "null"


def _message(error) -> tuple[str, str]:
    """(the field it is about, a plain message) for one jsonschema error."""
    path = "".join(f"/{part}" for part in error.absolute_path)
    if error.validator == "required":
        match = re.match(r"^'(.*)' is a required property$", error.message)
        name = match.group(1) if match else "?"
        return f"{path}/{name}", f"the required field '{short(name)}' is missing"
    if error.validator == "type":
        wanted = error.validator_value
        wanted = wanted if isinstance(wanted, list) else [wanted]
        words = " or ".join(_TYPE_WORDS.get(str(w), str(w)) for w in wanted)
        return path, (
            f"should be {words}, not {_json_type(error.instance)} ({short(error.instance)})"
        )
    if error.validator == "enum":
        options = ", ".join(str(o) for o in error.validator_value)
        return path, f"{short(error.instance)!r} is not one of: {options}"
    if error.validator == "format":
        what = "UUID" if error.validator_value == "uuid" else error.validator_value
        return path, f"{short(error.instance)!r} is not a {what}"
    return path, short(error.message, 200)


def schema_errors(validator: Draft202012Validator, instance, csv_row: bool = False):
    """Every schema error (up to a cap per record), each as (where, message). For a CSV row the
    where is the column name."""
    found = []
    for error in sorted(validator.iter_errors(instance), key=lambda e: list(e.absolute_path)):
        path, message = _message(error)
        if csv_row:
            path = path.lstrip("/").split("/", 1)[0]
        found.append((path, message))
        if len(found) >= MAX_ERRORS_PER_RECORD:
            found.append(
                (
                    "",
                    f"… and perhaps more problems in this record (first {MAX_ERRORS_PER_RECORD} shown)",
                )
            )
            break
    return found


def tabular_validator(kind: Kind) -> Draft202012Validator:
    """The kind's schema with the columns a table must have (`tabular_required`) required too,
    and without the nested lists a table row cannot hold."""
    schema = dict(oruk_schemas.schema(kind.schema))
    extra = [c for c in schema.get("tabular_required", []) if c in schema["properties"]]
    schema["required"] = [*schema.get("required", []), *extra]
    schema["properties"] = {
        name: spec
        for name, spec in schema["properties"].items()
        if spec.get("type") not in ("array", None) or name == "id"
    }
    return Draft202012Validator(schema, format_checker=oruk_schemas.FORMATS)


# -- converting values ----------------------------------------------------------------------------


def _text(value, limit: int) -> str:
    if not isinstance(value, str):
        value = str(value)
    if "\x00" in value:
        raise ValueError(ERROR_NUL)
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValueError(ERROR_SURROGATE) from None
    if len(value) > limit:
        raise ValueError(ERROR_TOO_LONG.format(length=len(value), limit=limit))
    return value


def convert(kind: Kind, name: str, value) -> dict:
    """The database value(s) for one ORUK field; ValueError says what is wrong."""
    if name == "link_entity":
        text = _text(value, 30)
        if text not in Attribute.Entity.values:
            raise ValueError(
                ERROR_LINK_ENTITY.format(
                    value=short(text), kinds=", ".join(Attribute.Entity.values)
                )
            )
        return {name: text}
    if name in ("opens_at", "closes_at"):
        try:
            moment, offset = parse_time(_text(value, 40))
        except ScheduleError as error:
            raise ValueError(str(error)) from None
        return {name: moment, f"{name}_offset": offset}
    if name == "byday":
        text = _text(value, 200)
        try:
            days = parse_byday(text)
        except ScheduleError as error:
            raise ValueError(str(error)) from None
        return {name: ",".join(d.code for d in days)}
    if name == "bymonthday":
        text = _text(value, 200)
        try:
            numbers = parse_bymonthday(text)
        except ScheduleError as error:
            raise ValueError(str(error)) from None
        return {name: ",".join(str(n) for n in numbers)}
    field = kind.model_field(name)
    if isinstance(field, models.ForeignKey | models.UUIDField):
        parsed = as_uuid(value)
        if parsed is None:
            raise ValueError(ERROR_NOT_UUID.format(value=short(value)))
        return {name: parsed}
    if isinstance(field, models.DateTimeField):
        text = _text(value, 40)
        try:
            stamp = dt.datetime.fromisoformat(text)
        except ValueError:
            raise ValueError(ERROR_NOT_DATETIME.format(value=short(text))) from None
        if stamp.tzinfo is None:
            stamp = stamp.replace(tzinfo=dt.UTC)
        return {name: stamp}
    if isinstance(field, models.DateField):
        text = _text(value, 40)
        try:
            return {name: dt.date.fromisoformat(text)}
        except ValueError:
            raise ValueError(ERROR_NOT_DATE.format(value=short(text))) from None
    if isinstance(field, models.PositiveSmallIntegerField):  # a schedule's interval
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise ValueError(ERROR_NOT_NUMBER.format(value=short(value)))
        if not math.isfinite(value) or value != int(value) or not 1 <= value <= 1000:
            raise ValueError(ERROR_INTERVAL)
        return {name: int(value)}
    if isinstance(field, models.FloatField):
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise ValueError(ERROR_NOT_NUMBER.format(value=short(value)))
        if not math.isfinite(value):
            raise ValueError(ERROR_NOT_FINITE.format(value=short(value)))
        if name in ("minimum_age", "maximum_age") and not 0 <= value <= MAX_AGE:
            raise ValueError(ERROR_AGE.format(value=value, limit=MAX_AGE))
        return {name: float(value)}
    if isinstance(field, models.DecimalField):
        if not isinstance(value, int | float) or isinstance(value, bool):
            raise ValueError(ERROR_NOT_NUMBER.format(value=short(value)))
        try:
            amount = Decimal(str(value)).quantize(Decimal("0.01"))
        except InvalidOperation:
            raise ValueError(ERROR_NOT_NUMBER.format(value=short(value))) from None
        if not amount.is_finite() or abs(amount) >= Decimal(10) ** 12:
            raise ValueError(ERROR_AMOUNT.format(value=short(value)))
        return {name: amount}
    limit = field.max_length or TEXT_LIMIT
    return {name: _text(value, limit)}
