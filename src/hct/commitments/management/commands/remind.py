import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from hct.commitments.reminders import DAYS_BEFORE, remind


class Command(BaseCommand):
    help = "Email owners of commitments due soon or overdue, once each (safe to run from cron)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=DAYS_BEFORE,
            help=f"remind this many days before the due date (default {DAYS_BEFORE})",
        )
        parser.add_argument("--today", help="the day to remind as of, YYYY-MM-DD (default: today)")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(
                    f"--today: not a date like 2026-11-27: {options['today']}"
                ) from None
        if options["days"] < 0:
            raise CommandError("--days cannot be negative")
        self.stdout.write(remind(today=today, days_before=options["days"]).describe())
