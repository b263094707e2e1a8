"""The demo's community directory: the official Open Referral UK examples, imported through the
importer, and Sam's neighbourhood as the brief tells it — the daily cup of tea at the community
centre, the Men's Shed, the Social Club with its raffle, the charity shop, the church hall where
the Big Conversations are held, talking therapies (IAPT) and the GP.

Every neighbourhood entry is illustrative (marked so, in the data and on the page): the brief
names no real venue. None has a street address: each stands at the population-weighted centre of
an LSOA in the first cycle's neighbourhood. Loading twice changes nothing.
"""

import datetime as dt
import json
import uuid
from typing import Any

from django.db import transaction

from hct.directory.importer.sources import SourceFile, read_path
from hct.directory.models import Service, Taxonomy, TaxonomyTerm
from hct.directory.oruk_schemas import EXAMPLES_DIR
from hct.directory.services import (
    Opening,
    community_asset_create,
    oruk_import,
    services_mark_illustrative,
)
from hct.partnership.models import Cycle

NAMESPACE = uuid.UUID("0f3c51a4-8d2e-4f5e-9c0e-636f76656e74")
EXAMPLE_SERVICE = uuid.UUID("ac148810-d857-441c-9679-408f346de14b")
ILLUSTRATIVE = (
    "Illustrative: made up for the hct demo from the story in the brief, not a real listing."
)


def demo_id(key: str) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, key)


TAXONOMY = demo_id("taxonomy")
# (key, name, parent key, description)
TERMS = (
    ("health", "Health and wellbeing", None, "Services that look after health"),
    ("talking", "Mental health and talking therapies", "health", "Counselling, CBT, IAPT"),
    ("gp", "GP and primary care", "health", "Family doctors and practice nurses"),
    ("company", "Company and connection", None, "Somewhere to be with people who value you"),
    ("tea", "A cup of tea and a chat", "company", "Drop in, no need to book"),
    ("club", "Social clubs and groups", "company", "Clubs, raffles, regular groups"),
    ("shed", "Men's Sheds and making things", "company", "Working side by side"),
    ("practical", "Practical help", None, "Help with everyday things"),
    ("shopping", "Shopping and carrying", "practical", "Help to get to the shops"),
    ("pets", "Looking after pets", "practical", "Someone to look after a dog"),
    ("goods", "Low-cost goods", "practical", "Clothes and things for the home"),
    ("giving", "Giving back", None, "Volunteering: a chance to give as well as receive"),
    ("places", "Places to meet", None, "Halls and rooms where people gather"),
)


def term_id(key: str) -> uuid.UUID:
    return demo_id(f"term:{key}")


def _taxonomy_document() -> dict:
    return {
        "id": str(TAXONOMY),
        "name": "hct community directory categories (illustrative)",
        "description": "Categories for the demo's community directory, in the words people use.",
        "version": "1",
        "taxonomy_terms": [
            {
                "id": str(term_id(key)),
                "name": name,
                "description": description,
                "taxonomy_id": str(TAXONOMY),
                "taxonomy": "hct community directory categories (illustrative)",
                **({"parent_id": str(term_id(parent))} if parent else {}),
            }
            for key, name, parent, description in TERMS
        ],
    }


def _weekdays(opens: str, closes: str, key: str, days: str = "MO,TU,WE,TH,FR") -> dict:
    return {
        "id": str(demo_id(f"schedule:{key}")),
        "freq": "WEEKLY",
        "interval": 1,
        "byday": days,
        "opens_at": opens,
        "closes_at": closes,
    }


def _formal_services(lsoas: list) -> list[dict]:
    """Talking therapies and the GP, as an ORUK publisher would send them."""
    services = []
    for index, (key, name, organization, description, schedule, term, age) in enumerate(
        (
            (
                "iapt",
                "Talking therapies (IAPT)",
                "Coventry and Warwickshire Partnership NHS Trust",
                "Improving Access to Psychological Therapies: counselling and cognitive "
                "behavioural therapy for anxiety and depression. You can refer yourself.",
                _weekdays("09:00", "17:00", "iapt"),
                "talking",
                16,
            ),
            (
                "gp",
                "The neighbourhood GP practice",
                "Neighbourhood GP practice",
                "The family doctors, practice nurses and social prescribing link worker.",
                _weekdays("08:00", "18:30", "gp"),
                "gp",
                None,
            ),
        )
    ):
        lsoa = lsoas[index % len(lsoas)]
        service: dict[str, Any] = {
            "id": str(demo_id(f"service:{key}")),
            "name": name,
            "description": f"{description} {ILLUSTRATIVE}",
            "status": "active",
            "organization": {
                "id": str(demo_id(f"organization:{key}")),
                "name": organization,
                "description": f"Provides {name.lower()} in the neighbourhood.",
            },
            "schedules": [schedule],
            "service_at_locations": [
                {
                    "id": str(demo_id(f"service_at_location:{key}")),
                    "location": {
                        "id": str(demo_id(f"location:{key}")),
                        "location_type": "physical",
                        "name": f"{name}, {lsoa.name}",
                        "description": "Shown at the centre of its small area, not at an address.",
                        "latitude": lsoa.latitude,
                        "longitude": lsoa.longitude,
                    },
                }
            ],
            "attributes": [
                {
                    "id": str(demo_id(f"attribute:{key}")),
                    "taxonomy_term_id": str(term_id(term)),
                    "link_type": "category",
                    "taxonomy_term": {
                        "id": str(term_id(term)),
                        "name": dict((k, n) for k, n, *_ in TERMS)[term],
                        "description": dict((k, d) for k, _, _, d in TERMS)[term],
                    },
                }
            ],
        }
        if age is not None:
            service["minimum_age"] = age
        services.append(service)
    return services


def _t(text: str) -> dt.time:
    return dt.time.fromisoformat(text)


# (key, name, run by, place, description, term keys, openings)
ASSETS = (
    (
        "tea",
        "Daily cup of tea at the community centre",
        "The community centre",
        "Community centre",
        "A cup of tea and a chat with a friendly face, every weekday morning. Drop in: "
        "nobody needs to book.",
        ("tea",),
        [Opening(["MO", "TU", "WE", "TH", "FR"], _t("10:00"), _t("12:00"))],
    ),
    (
        "shed",
        "The Men's Shed",
        "The Men's Shed",
        "The Men's Shed",
        "Making and mending side by side: fixing curtain poles and TV aerials, and a brew.",
        ("shed", "giving"),
        [Opening(["TU", "TH"], _t("10:00"), _t("15:00"))],
    ),
    (
        "club",
        "The Social Club",
        "The Social Club",
        "The Social Club",
        "The social club, with the raffle called on Friday nights. Visitors welcome.",
        ("club",),
        [Opening(["FR", "SA"], _t("19:00"), _t("23:00"))],
    ),
    (
        "shop",
        "The charity shop",
        "The charity shop",
        "The charity shop",
        "Low-cost clothes and things for the home. Volunteers welcome: a way to give back.",
        ("goods", "giving"),
        [Opening(["MO", "TU", "WE", "TH", "FR", "SA"], _t("09:30"), _t("16:30"))],
    ),
    (
        "church",
        "The church hall",
        "The parish church",
        "The church hall",
        "The hall where the Big Conversations are held. A coffee morning every Wednesday and a "
        "community lunch on the second Monday of the month.",
        ("places", "tea"),
        [
            Opening(["WE"], _t("10:00"), _t("12:00"), description="Coffee morning"),
            Opening(
                ["2MO"],
                _t("12:00"),
                _t("14:00"),
                freq="MONTHLY",
                description="Community lunch, second Monday of the month",
            ),
        ],
    ),
)


def _document_source(name: str, document: dict) -> SourceFile:
    return SourceFile(name, json.dumps(document).encode("utf-8"))


def directory_load(summary) -> None:
    """The official examples, the demo's categories and Sam's neighbourhood's services and
    community assets; each part only when it is missing."""
    if not Service.objects.filter(id=EXAMPLE_SERVICE).exists():
        oruk_import(actor=None, sources=read_path(EXAMPLES_DIR))
        summary.created.append("the official Open Referral UK examples")
    with transaction.atomic():
        if not Taxonomy.objects.filter(id=TAXONOMY).exists():
            oruk_import(
                actor=None,
                sources=[_document_source("demo_taxonomy.json", _taxonomy_document())],
            )
            summary.created.append("the directory's categories")
        cycle = (
            Cycle.objects.select_related("neighbourhood").filter(number=1).order_by("id").first()
        )
        if cycle is None:
            return
        lsoas = list(cycle.neighbourhood.lsoas.order_by("code"))
        if not Service.objects.filter(id=demo_id("service:iapt")).exists():
            oruk_import(
                actor=None,
                sources=[
                    _document_source(
                        "demo_service_list.json", {"contents": _formal_services(lsoas[1:] or lsoas)}
                    )
                ],
                kind="service",
            )
            services_mark_illustrative(
                actor=None, ids=[demo_id("service:iapt"), demo_id("service:gp")]
            )
            summary.created.append("talking therapies and the GP (illustrative)")
        terms = TaxonomyTerm.objects.in_bulk([term_id(key) for key, *_ in TERMS])
        added = 0
        for index, (key, name, run_by, place, description, keys, openings) in enumerate(ASSETS):
            asset_id = demo_id(f"asset:{key}")
            if Service.objects.filter(id=asset_id).exists():
                continue
            community_asset_create(
                actor=None,
                asset_id=asset_id,
                name=name,
                description=f"{description} {ILLUSTRATIVE}",
                run_by=run_by,
                place_name=place,
                lsoa=lsoas[index % len(lsoas)],
                terms=[terms[term_id(k)] for k in keys],
                openings=openings,
                illustrative=True,
            )
            added += 1
        if added:
            summary.created.append(f"{added} community assets in {cycle.neighbourhood.name}")
