import json
import uuid

import pytest
from django.apps import apps

from hct.directory.importer.sources import SourceFile
from hct.directory.oruk_schemas import EXAMPLES_DIR


def directory_counts() -> dict:
    """Rows in every directory table, to show that a refused import wrote nothing."""
    return {
        model._meta.label: model.objects.count()
        for model in apps.get_app_config("directory").get_models()
        if model._meta.model_name != "importrun"
    }


def example(name: str) -> dict:
    return json.loads((EXAMPLES_DIR / name).read_text(encoding="utf-8"))


def source(name: str, document) -> SourceFile:
    data = document if isinstance(document, bytes) else json.dumps(document).encode("utf-8")
    return SourceFile(name, data)


def new_ids(document):
    """The same document with every id (and every reference to it) replaced, so it describes
    records the directory does not hold yet."""
    text = json.dumps(document)
    ids = set()

    def collect(value):
        if isinstance(value, dict):
            for key, item in value.items():
                if (key == "id" or key.endswith("_id")) and isinstance(item, str):
                    ids.add(item)
                collect(item)
        elif isinstance(value, list):
            for item in value:
                collect(item)

    collect(document)
    for old in ids:
        text = text.replace(old, str(uuid.uuid4()))
    return json.loads(text)


@pytest.fixture
def counts():
    return directory_counts
