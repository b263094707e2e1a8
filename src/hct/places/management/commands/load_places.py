from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hct.places import loader
from hct.places.services import places_load


class Command(BaseCommand):
    help = "Load (or reload) LSOAs, wards, MSOAs, IoD2019 indicators and GP-practice figures."

    def add_arguments(self, parser):
        parser.add_argument(
            "--dir", type=Path, default=loader.DATA_DIR, help="folder of data files"
        )

    def handle(self, *args, **options):
        try:
            summary = places_load(actor=None, directory=options["dir"])
        except loader.PlacesDataError as error:
            raise CommandError(f"{error}. Nothing was changed.") from None
        deciles = ", ".join(f"{d}:{n}" for d, n in summary.decile_counts.items())
        self.stdout.write(
            f"Loaded {summary.lsoas} LSOAs, {summary.wards} wards, {summary.msoas} MSOAs, "
            f"{summary.practices} GP practices ({summary.life_expectancy_rows} life expectancy rows).\n"
            f"IMD deciles (national): {deciles}"
        )
