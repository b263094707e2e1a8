from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hct.directory.forms import TOP_LEVEL_KINDS
from hct.directory.importer.sources import SourceError, read_path
from hct.directory.services import ImportRefused, oruk_import


class Command(BaseCommand):
    help = (
        "Import Open Referral UK data: a JSON file (a record, a list, or a page with 'contents'), "
        "a CSV table, or a folder or zip of them. Every record is checked first; by default any "
        "problem stops the import and nothing is written."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--valid-only",
            action="store_true",
            help="import the valid records and skip (and name) the others",
        )
        parser.add_argument(
            "--kind",
            choices=[value for value, _ in TOP_LEVEL_KINDS if value],
            help="what a JSON file holds, when its name does not say",
        )
        parser.add_argument("--quiet", action="store_true", help="print no warnings")

    def handle(self, *args, path: Path, valid_only: bool, kind: str | None, quiet: bool, **options):
        try:
            sources = read_path(path)
        except SourceError as error:
            raise CommandError(str(error)) from None

        def progress(done: int, total: int, message: str) -> None:
            # Only large imports are worth watching; a small one is done before it is read.
            if total >= 500 and (done == total or done % (total // 10) == 0):
                self.stderr.write(f"  {message}")

        try:
            result = oruk_import(
                actor=None, sources=sources, kind=kind, valid_only=valid_only, progress=progress
            )
        except ImportRefused as refused:
            for problem in refused.result.plan.problems:
                self.stderr.write(f"{problem}")
            raise CommandError(refused.result.describe()) from None
        if not quiet:
            for warning in result.plan.warnings:
                self.stderr.write(f"warning: {warning}")
        for item in result.plan.skipped:
            where = f", {item['where']}" if item["where"] else ""
            self.stderr.write(
                f"skipped {item['record']} ({item['file']}{where}): {'; '.join(item['reasons'])}"
            )
        self.stdout.write(result.describe())
