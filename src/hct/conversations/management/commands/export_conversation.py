import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hct.conversations import exports, selectors
from hct.core.services import audit_record
from hct.journeys.management.commands.import_journeys import facilitator


class Command(BaseCommand):
    help = (
        "Export a Big Conversation as a facilitator may: its contributions as CSV, or its "
        "cycle's iceberg, vision and plan as PDF (`hct manage export_conversation ID --as USER "
        "--format csv|pdf --output FILE`)."
    )

    def add_arguments(self, parser):
        parser.add_argument("conversation", type=int, help="the conversation's number in its URL")
        parser.add_argument("--as", dest="username", required=True, help="the facilitator")
        parser.add_argument("--format", choices=["csv", "pdf"], default="csv")
        parser.add_argument("--output", type=Path, default=None, help="file (default: stdout)")

    def handle(self, *args, conversation: int, username: str, format: str, output, **options):
        actor = facilitator(username)
        found = selectors.conversations_visible(actor).filter(pk=conversation).first()
        if found is None:
            raise CommandError(
                f"There is no conversation {conversation} in {username}'s neighbourhoods"
            )
        if format == "csv":
            body, rows = exports.contributions_csv(found)
            data = body.encode()
            details = {"rows": rows, "via": "command"}
        else:
            data = exports.pdf(
                "conversations/sensemaking.html", exports.sensemaking_context(found.cycle)
            )
            details = {"format": "pdf", "via": "command"}
        audit_record(actor=actor, verb="conversation.export", subject=found, details=details)
        if output is None:
            if format == "pdf" and sys.stdout.isatty():
                raise CommandError("A PDF goes to a file: give --output")
            sys.stdout.buffer.write(data)
        else:
            output.write_bytes(data)
            self.stderr.write(f"Wrote {output}")
