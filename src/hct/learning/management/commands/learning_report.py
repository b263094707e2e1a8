"""`hct manage learning_report`: make a board or funder report as a PDF from the command line."""

import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from hct.learning.models import ReportRun
from hct.learning.reports import report_generate, report_neighbourhoods
from hct.learning.selectors import default_period
from hct.partnership.models import Partnership


class Command(BaseCommand):
    help = "Make the partnership board report or the funder progress report as a PDF."

    def add_arguments(self, parser):
        parser.add_argument("--kind", choices=ReportRun.Kind.values, default="board")
        parser.add_argument("--partnership", help="its slug (default: the only one)")
        parser.add_argument("--from", dest="start", type=dt.date.fromisoformat)
        parser.add_argument("--to", dest="end", type=dt.date.fromisoformat)
        parser.add_argument("--output", type=Path, required=True, help="the PDF file to write")

    def handle(self, *args, kind, partnership, start, end, output, **options):
        partnerships = Partnership.objects.all()
        if partnership:
            partnerships = partnerships.filter(slug=partnership)
        if partnerships.count() != 1:
            raise CommandError("Name one partnership with --partnership (its slug)")
        chosen = partnerships.get()
        first, today = default_period(report_neighbourhoods(chosen))
        from hct.learning.reports import report_request

        try:
            run = report_request(
                actor=None, partnership=chosen, kind=kind, start=start or first, end=end or today
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        run.refresh_from_db()
        if run.status != ReportRun.Status.DONE:  # queued for a worker: make it here instead
            run = report_generate(run)
        if run.pdf is None:
            raise CommandError(f"{run} has no PDF: it did not finish")
        output.write_bytes(bytes(run.pdf))
        self.stdout.write(f"{run} written to {output}")
