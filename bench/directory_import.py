"""Issue 7 (directory half): importing an ORUK feed end to end (read, check every record
against the schemas, check references, write in one transaction) ÷ validating the same records
against the schema alone, the least any importer must do."""

import json
import time
import uuid

from bench.harness import Figure


def _feed(count: int) -> dict:
    term = str(uuid.uuid4())
    organization = {"id": str(uuid.uuid4()), "name": "Bench organisation", "description": "x"}
    services = []
    for index in range(count):
        services.append(
            {
                "id": str(uuid.uuid4()),
                "name": f"Service {index}",
                "description": "A service made up for the benchmark.",
                "status": "active",
                "organization": organization,
                "schedules": [
                    {
                        "id": str(uuid.uuid4()),
                        "freq": "WEEKLY",
                        "byday": "MO,WE",
                        "opens_at": "09:00",
                        "closes_at": "17:00",
                    }
                ],
                "service_at_locations": [
                    {
                        "id": str(uuid.uuid4()),
                        "location": {
                            "id": str(uuid.uuid4()),
                            "location_type": "physical",
                            "latitude": 52.4 + index / 10_000,
                            "longitude": -1.5,
                        },
                    }
                ],
                "attributes": [
                    {
                        "id": str(uuid.uuid4()),
                        "taxonomy_term": {"id": term, "name": "Bench", "description": "x"},
                    }
                ],
            }
        )
    return {"contents": services}


def run(count: int = 1000) -> list[Figure]:
    from hct.directory.importer.sources import SourceFile
    from hct.directory.oruk_schemas import validator
    from hct.directory.services import oruk_import

    feed = _feed(count)
    data = json.dumps(feed).encode()
    check = validator("service.json")

    start = time.perf_counter()
    for record in json.loads(data)["contents"]:
        list(check.iter_errors(record))
    baseline = time.perf_counter() - start

    start = time.perf_counter()
    result = oruk_import(actor=None, sources=[SourceFile("service_list.json", data)])
    first = time.perf_counter() - start
    written = sum(result.counts["created"].values())

    start = time.perf_counter()
    oruk_import(actor=None, sources=[SourceFile("service_list.json", data)])
    again = time.perf_counter() - start
    return [
        Figure(
            f"ORUK import of {count} services ({written} records created), end to end",
            f"{first:.2f} s ({written / first:,.0f} records/s)",
            f"schema validation alone {baseline:.2f} s",
            first / baseline,
            "≤ 10×",
        ),
        Figure(
            f"The same {count} services imported again (all unchanged)",
            f"{again:.2f} s",
            f"schema validation alone {baseline:.2f} s",
            again / baseline,
            "≤ 5×",
        ),
    ]
