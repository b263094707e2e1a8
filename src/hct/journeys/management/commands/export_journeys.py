import sys
from pathlib import Path

from django.core.management.base import BaseCommand

from hct.core.services import audit_record
from hct.journeys.exchange import export_csv, export_json
from hct.journeys.management.commands.import_journeys import facilitator
from hct.journeys.selectors import journeys_visible


class Command(BaseCommand):
    help = (
        "Export the journeys a facilitator may see, as JSON or CSV (docs/journeys-format.md). "
        "Private names (“Sam's sister”) appear only for the people they are named for."
    )

    def add_arguments(self, parser):
        parser.add_argument("--as", dest="username", required=True, help="the facilitator")
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--output", type=Path, default=None, help="file (default: stdout)")

    def handle(self, *args, username: str, format: str, output: Path | None, **options):
        actor = facilitator(username)
        journeys = journeys_visible(actor)
        named = set(journeys.filter(person__facilitators=actor).values_list("pk", flat=True))
        write = export_csv if format == "csv" else export_json
        body = write(journeys, sees_private=lambda journey: journey.pk in named)
        audit_record(
            actor=actor,
            verb="journeys.export",
            subject_type="journeys.journey",
            details={"journeys": journeys.count(), "format": format, "via": "command"},
        )
        if output is None:
            sys.stdout.write(body)
        else:
            output.write_text(body, encoding="utf-8")
            self.stderr.write(f"Wrote {journeys.count()} journeys to {output}")
