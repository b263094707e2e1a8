from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from hct.core.roles import Role
from hct.journeys.exchange import ImportProblem, import_journeys, read_file
from hct.partnership.models import Partnership
from hct.partnership.selectors import is_member

ERROR_NO_PARTNERSHIP = "--partnership: there is no partnership with the slug “{slug}”"
ERROR_NOT_A_MEMBER = "--partnership: {username} is not a member of {partnership}"


def facilitator(username: str):
    user = get_user_model().objects.filter(username=username, role=Role.FACILITATOR).first()
    if user is None:
        raise CommandError(f"--as must name a facilitator's account; “{username}” is not one")
    return user


def partnership_named(slug: str | None, user) -> Partnership | None:
    """The partnership the imported people and journeys are to belong to, if one is named."""
    if not slug:
        return None
    found = Partnership.objects.filter(slug=slug).first()
    if found is None:
        raise CommandError(ERROR_NO_PARTNERSHIP.format(slug=slug[:60]))
    if not is_member(user, found):
        raise CommandError(ERROR_NOT_A_MEMBER.format(username=user.username, partnership=found))
    return found


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
        parser.add_argument(
            "--partnership",
            default=None,
            help="the slug of the partnership the people and journeys belong to (needed when "
            "the facilitator is in more than one)",
        )

    def handle(self, *args, path: Path, username: str, partnership=None, **options):
        actor = facilitator(username)
        chosen = partnership_named(partnership, actor)
        try:
            content = path.read_bytes()
        except OSError as error:
            raise CommandError(f"{path}: {error.strerror}") from None
        try:
            summary = import_journeys(
                read_file(content, file=path.name),
                actor=actor,
                file=path.name,
                partnership=chosen,
            )
        except ImportProblem as problem:
            raise CommandError(f"{problem}. Nothing was imported.") from None
        except ValidationError as error:  # a facilitator in several partnerships named none
            raise CommandError(
                f"{' '.join(error.messages)} (--partnership). Nothing was imported."
            ) from None
        self.stdout.write(
            f"Imported {summary.journeys} journeys ({summary.touchpoints} touchpoints, "
            f"{summary.gaps} gaps; {summary.people_created} new people)."
        )
