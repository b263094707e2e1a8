"""The Open Referral UK JSON Schemas, loaded from the copies in `oruk/schema/` (never fetched).

The schemas refer to each other by file name (`"$ref": "schedule.json"`), and the official API
description refers to them by their published addresses; a `referencing` registry answers both
from the local files, so validation works offline and always against the same version.
"""

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

ORUK_DIR = Path(__file__).resolve().parent / "oruk"
SCHEMA_DIR = ORUK_DIR / "schema"
EXAMPLES_DIR = ORUK_DIR / "examples"
PUBLISHED = "https://raw.githubusercontent.com/openreferral/uk-profile/main/schema/"
OPENAPI_URI = PUBLISHED + "openapi.json"

# The one format the importer holds data to: ORUK ids are UUIDs (RFC 4122 text form).
FORMATS = FormatChecker(formats=["uuid"])


def _load(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


@cache
def registry() -> Registry:
    resources = []
    for path in sorted(SCHEMA_DIR.rglob("*.json")):
        relative = path.relative_to(SCHEMA_DIR).as_posix()
        resource = Resource.from_contents(_load(path), default_specification=DRAFT202012)
        resources.append((PUBLISHED + relative, resource))
        if "/" not in relative:
            # The modular schemas' own "$ref": "schedule.json" resolve against a bare name.
            resources.append((relative, resource))
    return Registry().with_resources(resources)


@cache
def schema(name: str) -> dict:
    """A schema by its file name, e.g. "service.json" or "compiled/service_list.json"."""
    return _load(SCHEMA_DIR / name)


@cache
def validator(name: str) -> Draft202012Validator:
    """A validator for one schema, resolving its $refs through the local registry. The base
    URI is the bare name so that relative refs find their siblings."""
    contents = dict(schema(name))
    contents.setdefault("$id", name if "/" not in name else PUBLISHED + name)
    return Draft202012Validator(contents, registry=registry(), format_checker=FORMATS)


def openapi() -> dict:
    return _load(SCHEMA_DIR / "openapi.json")
