from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from hct.commitments.importer import import_commitments
from hct.partnership.selectors import partnerships_for


class Command(BaseCommand):
    help = "Import commitments from a CSV file (the open data export's columns)."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument("--as", dest="username", required=True)
        parser.add_argument("--partnership", help="its slug, when the user is in more than one")

    def handle(self, *args, path: Path, username: str, partnership=None, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"no account called {username}")
        partnerships = partnerships_for(user)
        if partnership:
            partnerships = partnerships.filter(slug=partnership)
        if partnerships.count() != 1:
            raise CommandError(
                f"{username} is in {partnerships.count()} partnerships: name one with --partnership"
            )
        try:
            data = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        result = import_commitments(
            actor=user, partnership=partnerships.get(), name=path.name, data=data
        )
        if not result.ok:
            raise CommandError(
                "\n".join(str(p) for p in result.problems) + "\nNothing was imported."
            )
        self.stdout.write(f"Imported {len(result.created)} commitment(s) from {path.name}")
