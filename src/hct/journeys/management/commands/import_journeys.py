from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from hct.core.roles import Role
from hct.journeys.exchange import ImportProblem, import_journeys, read_file


def facilitator(username: str):
    user = get_user_model().objects.filter(username=username, role=Role.FACILITATOR).first()
    if user is None:
        raise CommandError(f"--as must name a facilitator's account; “{username}” is not one")
    return user


class Command(BaseCommand):
    help = (
        "Import journeys from a JSON or CSV file (docs/journeys-format.md). The whole file is "
        "checked first; a problem names the file, row and field, and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--as",
            dest="username",
            required=True,
            help="the facilitator the import is recorded as; new people get them as facilitator",
        )

    def handle(self, *args, path: Path, username: str, **options):
        actor = facilitator(username)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        try:
            summary = import_journeys(
                read_file(content, file=path.name), actor=actor, file=path.name
            )
        except ImportProblem as problem:
            raise CommandError(f"{problem}. Nothing was imported.") from None
        self.stdout.write(
            f"Imported {summary.journeys} journeys ({summary.touchpoints} touchpoints, "
            f"{summary.gaps} gaps; {summary.people_created} new people)."
        )
