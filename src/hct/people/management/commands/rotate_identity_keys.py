from django.core.management.base import BaseCommand, CommandError

from hct.people.identity import IdentityKeyError
from hct.people.services import identity_rotate_all


class Command(BaseCommand):
    help = (
        "Re-encrypt every identity record with the newest key in HCT_IDENTITY_KEYS. Put the new "
        "key first, keep the old ones after it, run this, then drop the old keys."
    )

    def handle(self, *args, **options):
        try:
            done = identity_rotate_all()
        except IdentityKeyError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(f"Re-encrypted {done} identity record{'s' if done != 1 else ''}.")
