"""Hypothesis: the official examples broken in every way we could think of. Whatever the input,
the importer either imports it or refuses it with messages that name the file and the place,
and a refusal writes nothing. It never fails in any other way."""

import json
import uuid

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from hct.directory.importer.sources import SourceFile
from hct.directory.oruk_schemas import registry
from hct.directory.services import ImportRefused, oruk_import
from tests.directory.conftest import directory_counts, example, new_ids, source

pytestmark = pytest.mark.django_db

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# (example file, the schema its record follows)
EXAMPLES = (
    ("service_full.json", "service.json"),
    ("organization_full.json", "organization.json"),
    ("service_at_location_full.json", "service_at_location.json"),
    ("taxonomy.json", "taxonomy.json"),
    ("taxonomy_term.json", "taxonomy_term.json"),
)


def _resolve(schema: dict, resolver):
    while "$ref" in schema:
        resolved = resolver.lookup(schema["$ref"])
        schema, resolver = resolved.contents, resolved.resolver
    return schema, resolver


def places(document, schema_name: str):
    """Every object (pointer, required keys) and every field (pointer, declared type) in a
    document, found by walking it beside its schema (and the schemas it refers to)."""
    objects, fields = [], []
    resolver = registry().resolver(base_uri=schema_name)
    top, resolver = _resolve({"$ref": schema_name}, resolver)

    def walk(value, schema, resolver, pointer):
        schema, resolver = _resolve(schema, resolver)
        if isinstance(value, dict):
            objects.append((pointer, [k for k in schema.get("required", []) if k in value]))
            for key, item in value.items():
                spec = schema.get("properties", {}).get(key)
                if spec is None:
                    continue
                spec, inner = _resolve(spec, resolver)
                fields.append((f"{pointer}/{key}", spec.get("type")))
                walk(item, spec, inner, f"{pointer}/{key}")
        elif isinstance(value, list):
            items = schema.get("items", {})
            for index, item in enumerate(value):
                walk(item, items, resolver, f"{pointer}/{index}")

    walk(document, top, resolver, "")
    return objects, fields


def _parts(pointer: str) -> list:
    return [int(p) if p.isdigit() else p for p in pointer.strip("/").split("/") if p != ""]


def get(document, pointer):
    for part in _parts(pointer):
        document = document[part]
    return document


def put(document, pointer, value):
    *parents, last = _parts(pointer)
    get(document, "/" + "/".join(map(str, parents)))[last] = value


def remove(document, pointer):
    *parents, last = _parts(pointer)
    del get(document, "/" + "/".join(map(str, parents)))[last]


def import_or_refuse(sources, **options):
    """The property every input must have: imported, or refused with located problems and
    nothing written."""
    before = directory_counts()
    try:
        result = oruk_import(actor=None, sources=sources, **options)
    except ImportRefused as refused:
        assert directory_counts() == before
        problems = refused.result.plan.problems
        assert problems
        for problem in problems:
            assert problem.file and problem.message
        return problems
    assert result.imported
    return None


@st.composite
def broken_example(draw, mutation):
    name, schema_name = draw(st.sampled_from(EXAMPLES))
    document = new_ids(example(name))
    objects, fields = places(document, schema_name)
    return name, document, mutation(draw, document, objects, fields)


def _missing_required(draw, document, objects, fields):
    candidates = [(pointer, key) for pointer, keys in objects for key in keys]
    pointer, key = draw(st.sampled_from(candidates))
    remove(document, f"{pointer}/{key}")
    return pointer, key


@SETTINGS
@given(broken_example(_missing_required))
def test_a_missing_required_field_is_named(case):
    name, document, (pointer, key) = case
    problems = import_or_refuse([source(name, document)])
    assert problems is not None
    assert any(
        p.where == f"{pointer}/{key}" and p.message == f"the required field '{key}' is missing"
        for p in problems
    ), [str(p) for p in problems]


WRONG = {
    "string": st.one_of(st.integers(), st.booleans(), st.lists(st.integers(), max_size=2)),
    "number": st.one_of(st.text(min_size=1, max_size=5), st.booleans(), st.just({})),
    "array": st.one_of(st.text(max_size=5), st.integers(), st.just({})),
}


def _wrong_type(draw, document, objects, fields):
    candidates = [(pointer, kind) for pointer, kind in fields if kind in WRONG]
    pointer, kind = draw(st.sampled_from(candidates))
    put(document, pointer, draw(WRONG[kind]))
    return pointer


@SETTINGS
@given(broken_example(_wrong_type))
def test_a_value_of_the_wrong_type_is_named(case):
    name, document, pointer = case
    problems = import_or_refuse([source(name, document)])
    assert problems is not None
    assert any(p.where == pointer and p.message.startswith("should be ") for p in problems), [
        str(p) for p in problems
    ]


def _huge_string(draw, document, objects, fields):
    candidates = [
        pointer
        for pointer, kind in fields
        if kind == "string"
        and not pointer.endswith("id")
        and isinstance(get(document, pointer), str)
    ]
    pointer = draw(st.sampled_from(candidates))
    size = draw(st.sampled_from([501, 5_000, 100_001, 1_000_000]))
    put(document, pointer, draw(st.sampled_from("xé😀")) * size)
    return pointer, size


@SETTINGS
@given(broken_example(_huge_string))
def test_a_huge_string_is_refused_where_it_is_or_kept_whole(case):
    name, document, (pointer, size) = case
    problems = import_or_refuse([source(name, document)])
    if size > 100_000:
        assert problems is not None
    if problems is not None:
        assert any(p.where == pointer and "characters long" in p.message for p in problems) or any(
            "is not" in p.message for p in problems
        ), [str(p) for p in problems]


@SETTINGS
@given(st.uuids(), st.sampled_from(EXAMPLES[:2]))
def test_an_unknown_taxonomy_term_is_refused(term_id, case):
    name, _ = case
    document = new_ids(example(name))
    service = document if name == "service_full.json" else document["services"][0]
    prefix = "" if name == "service_full.json" else "/services/0"
    attribute = service["attributes"][0]
    del attribute["taxonomy_term"]
    attribute["taxonomy_term_id"] = str(term_id)
    problems = import_or_refuse([source(name, document)])
    assert problems is not None
    assert [p.where for p in problems] == [f"{prefix}/attributes/0/taxonomy_term_id"]


def _records_with_ids(document, pointer=""):
    if isinstance(document, dict):
        if isinstance(document.get("id"), str):
            yield pointer
        for key, value in document.items():
            yield from _records_with_ids(value, f"{pointer}/{key}")
    elif isinstance(document, list):
        for index, value in enumerate(document):
            yield from _records_with_ids(value, f"{pointer}/{index}")


FREE_TEXT = {
    "name",
    "description",
    "title",
    "source",
    "option",
    "notes",
    "attending_type",
    "alert",
    "accreditations",
    "fees",
    "amount_description",
    "service_area",
    "details",
    "identifier",
    "attention",
    "address_1",
    "city",
}


@SETTINGS
@given(st.data())
def test_one_id_used_for_two_different_records_is_refused(data):
    document = new_ids(example("service_full.json"))
    pointers = list(_records_with_ids(document))
    first = data.draw(st.sampled_from(pointers))
    copy = json.loads(json.dumps(document))
    # The same service again in a second file, with one field of one record changed.
    record = get(copy, first)
    texts = [k for k, v in record.items() if isinstance(v, str) and k in FREE_TEXT]
    if not texts:
        return
    key = data.draw(st.sampled_from(texts))
    record[key] = record[key] + " (changed)"
    problems = import_or_refuse(
        [source("first_service.json", document), source("second_service.json", copy)]
    )
    assert problems is not None
    assert any(
        p.file == "second_service.json"
        and p.where.endswith(f"/{key}")
        and "appears again" in p.message
        for p in problems
    ), [str(p) for p in problems]


@SETTINGS
@given(st.binary(max_size=300))
def test_any_bytes_are_imported_or_refused_cleanly(data):
    for name in ("upload.json", "services.csv", "upload.zip", "upload"):
        import_or_refuse([SourceFile(name, data)])


@SETTINGS
@given(st.text(max_size=200))
def test_any_text_is_imported_or_refused_cleanly(text):
    import_or_refuse([SourceFile("service.json", text.encode("utf-8", "surrogatepass"))])


@SETTINGS
@given(
    st.sampled_from(["utf-16", "utf-16-le", "utf-32", "latin-1", "cp1252"]),
    st.sampled_from(EXAMPLES),
)
def test_a_file_in_another_encoding_is_refused(encoding, case):
    name, _ = case
    document = new_ids(example(name))
    document["description"] = "Café for everyone, £2 a cup"
    data = json.dumps(document, ensure_ascii=False).encode(encoding)
    problems = import_or_refuse([SourceFile(name, data)])
    assert problems is not None
    assert any("UTF-8" in p.message for p in problems), [str(p) for p in problems]


HOSTILE = st.sampled_from(
    [
        "\x00",
        "\ud800",
        "<script>alert(1)</script>",
        "javascript:alert(1)",
        "' OR 1=1 --",
        "\u202etxt.exe",
        "line\nbreak\r\n",
        "💥" * 3,
    ]
)


@SETTINGS
@given(HOSTILE, st.data())
def test_hostile_text_is_refused_or_kept_exactly(text, data):
    document = new_ids(example("service_full.json"))
    _, fields = places(document, "service.json")
    candidates = [
        p for p, kind in fields if kind == "string" and not p.endswith("id") and "/" not in p[1:]
    ]
    pointer = data.draw(st.sampled_from(candidates))
    put(document, pointer, text)
    raw = json.dumps(document).encode("utf-8", "surrogatepass")
    problems = import_or_refuse([SourceFile("service_full.json", raw)])
    if problems is not None:
        assert any(p.where == pointer for p in problems), [str(p) for p in problems]
    else:
        from hct.directory.models import Service

        service = Service.objects.get(id=document["id"])
        assert getattr(service, pointer.strip("/")) == text


@SETTINGS
@given(st.integers(min_value=2, max_value=6), st.data())
def test_csv_rows_with_a_broken_cell_are_named_by_row_and_column(rows, data):
    header = ["id", "organization_id", "name", "status", "minimum_age"]
    lines = [",".join(header)]
    broken_row = data.draw(st.integers(min_value=2, max_value=rows + 1))
    broken = data.draw(st.sampled_from(["id", "status", "minimum_age", "organization_id"]))
    bad_value = {"id": "nope", "status": "shut", "minimum_age": "old", "organization_id": "x"}
    for row in range(2, rows + 2):
        values = {
            "id": str(uuid.uuid4()),
            "organization_id": "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610",
            "name": f"Service {row}",
            "status": "active",
            "minimum_age": "18",
        }
        if row == broken_row:
            values[broken] = bad_value[broken]
        lines.append(",".join(values[c] for c in header))
    problems = import_or_refuse([SourceFile("services.csv", "\n".join(lines).encode())])
    assert problems is not None
    assert [(p.file, p.where) for p in problems] == [
        ("services.csv", f"row {broken_row}, column '{broken}'")
    ]
