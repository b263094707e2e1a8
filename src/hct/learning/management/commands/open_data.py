"""`hct manage open_data`: the published figures per neighbourhood, as CSV or JSON."""

import json

from django.core.management.base import BaseCommand

from hct.learning import opendata


class Command(BaseCommand):
    help = "Print the open data (published, suppressed figures per neighbourhood) as CSV or JSON."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=["csv", "json"], default="csv")

    def handle(self, *args, format, **options):
        side, period = opendata.published()
        if format == "csv":
            self.stdout.write(opendata.as_csv(side), ending="")
        else:
            self.stdout.write(
                json.dumps(opendata.as_json(side, period), ensure_ascii=False, indent=2)
            )
