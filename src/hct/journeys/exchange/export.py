"""Journeys out, as JSON documents or the CSV rows of the `hct-journeys` format."""

import csv
import io
import json
from collections.abc import Callable, Iterable

from django.db.models import Prefetch, QuerySet

from hct.journeys.exchange.format import CSV_COLUMNS, FORMAT, VERSION
from hct.journeys.models import Gap, Journey, Touchpoint


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
