from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from hct.people.services import erasures_reapply


class Command(BaseCommand):
    help = (
        "After restoring a backup: erase again everyone on the erasure list and in the erasure "
        "ledger (HCT_ERASURE_LEDGER) who the restore brought back."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--ledger", type=Path, default=None, help="a copy of the ledger to read instead"
        )

    def handle(self, *args, ledger=None, **options):
        try:
            again = erasures_reapply(ledger=ledger)
        except ValueError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            f"Erased again: {again} {'person' if again == 1 else 'people'} brought back by the restore."
        )
