"""A scenario's inputs and results as JSON and CSV, and a service description read from JSON.

The JSON import is checked whole before anything is written: every problem names its field,
and one problem means nothing is saved.
"""

import csv
import datetime as dt
import io
import json

from django.core.exceptions import ValidationError

from hct.flexibility import simulation
from hct.flexibility.models import ChangeRule, DnaRule, Scenario
from hct.flexibility.services import Figures

FORMAT = "hct-flexibility-service/1"
NOT_JSON = "The file is not JSON: {error}"
NOT_OBJECT = "The file must hold one JSON object describing a service"
MISSING = "This field is missing"
NOT_A_NUMBER = "Must be a number"
NOT_A_WHOLE_NUMBER = "Must be a whole number"
NOT_TEXT = "Must be text"
NOT_A_DATE = "Must be a date written YYYY-MM-DD"
NOT_A_CHOICE = "Must be one of: {choices}"

_NUMBERS = {"referrals_per_week", "change_percent", "notice_days", "dna_percent"}
_OPTIONAL_NUMBERS = {"held_back_percent"}
_WHOLE = {"sessions_per_course", "dna_limit"}
_OPTIONAL_WHOLE = {"held_back_days"}
_TEXT = {"name", "sources"}
_OPTIONAL_TEXT = {"source_url"}


def scenario_document(scenario: Scenario) -> dict:
    description = scenario.description
    return {
        "format": "hct-flexibility-scenario/1",
        "service": description.service.name,
        "neighbourhood": description.service.neighbourhood.name,
        "description_version": description.number,
        "described_on": description.described_on.isoformat(),
        "sources": description.sources,
        "source_url": description.source_url,
        "scenario": scenario.name,
        "library": scenario.library_version,
        "ran_at": scenario.ran_at.isoformat() if scenario.ran_at else None,
        "inputs": scenario.inputs,
        "results": scenario.results,
    }


def scenario_json(scenario: Scenario) -> str:
    return json.dumps(scenario_document(scenario), indent=2)


def scenario_csv(scenario: Scenario) -> str:
    """One row per input and per measure (mean, 95% interval), then the list week by week."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["section", "name", "value", "ci_low", "ci_high"])
    for name, value in scenario.inputs.items():
        shown = ";".join(str(v) for v in value) if isinstance(value, list) else value
        writer.writerow(["input", name, shown, "", ""])
    writer.writerow(["run", "library", scenario.library_version, "", ""])
    writer.writerow(["run", "seeds", ";".join(map(str, scenario.results.get("seeds", []))), "", ""])
    for name, cell in scenario.results.get("measures", {}).items():
        writer.writerow(["measure", name, cell["mean"], cell["low"], cell["high"]])
    for point in scenario.results.get("list_over_time", []):
        writer.writerow(
            ["list_size", f"week {point['week']}", point["mean"], point["low"], point["high"]]
        )
    return out.getvalue()


def service_from_json(document: str | bytes) -> tuple[str, Figures]:
    """(service name, figures) from a JSON document; ValidationError naming each bad field."""
    try:
        data = json.loads(document)
    except (ValueError, UnicodeDecodeError) as error:
        raise ValidationError({"file": NOT_JSON.format(error=error)}) from None
    if not isinstance(data, dict):
        raise ValidationError({"file": NOT_OBJECT})
    errors: dict[str, str] = {}
    values: dict = {}

    def take(name, check, *, required=True):
        if name not in data or data[name] is None:
            if required:
                errors[name] = MISSING
            return
        value = data[name]
        try:
            values[name] = check(value)
        except ValueError as error:
            errors[name] = str(error)

    def number(value):
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ValueError(NOT_A_NUMBER)
        return float(value)

    def whole(value):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError(NOT_A_WHOLE_NUMBER)
        return value

    def text(value):
        if not isinstance(value, str):
            raise ValueError(NOT_TEXT)
        return value

    def day(value):
        try:
            return dt.date.fromisoformat(text(value))
        except ValueError:
            raise ValueError(NOT_A_DATE) from None

    def profile(value):
        if isinstance(value, list):
            value = ", ".join(str(v) for v in value)
        simulation.parse_profile(text(value))
        return value

    def choice(kind):
        def check(value):
            if value not in kind.values:
                raise ValueError(NOT_A_CHOICE.format(choices=", ".join(kind.values)))
            return value

        return check

    for name in _NUMBERS:
        take(name, number)
    for name in _OPTIONAL_NUMBERS:
        take(name, number, required=False)
    for name in _WHOLE:
        take(name, whole)
    for name in _OPTIONAL_WHOLE:
        take(name, whole, required=False)
    for name in _TEXT:
        take(name, text)
    for name in _OPTIONAL_TEXT:
        take(name, text, required=False)
    take("described_on", day)
    take("sessions_per_week", profile)
    take("change_rule", choice(ChangeRule))
    take("dna_rule", choice(DnaRule))
    if errors:
        raise ValidationError(errors)
    name = values.pop("name")
    return name, Figures(**values)
