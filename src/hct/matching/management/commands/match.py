"""`hct match`: run the matching engine and print a summary. Proposals wait for a facilitator."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from hct.core.roles import Role
from hct.matching.services import match_run
from hct.people.selectors import people_in_scope


class Command(BaseCommand):
    help = "Propose matches between open needs and offers of help"

    def add_arguments(self, parser):
        parser.add_argument(
            "--as",
            dest="username",
            default=None,
            help="a facilitator: match only the people in their neighbourhoods (default: everyone)",
        )

    def handle(self, *args, username=None, **options):
        actor, people = None, None
        if username:
            actor = get_user_model().objects.filter(username=username).first()
            if actor is None or actor.role != Role.FACILITATOR:
                raise CommandError(f"{username} is not a facilitator's account")
            people = people_in_scope(actor)
        run = match_run(actor=actor, people=people)
        self.stdout.write(
            f"Needs considered: {run.needs_considered}\n"
            f"Offers with places: {run.offers_considered}\n"
            f"Candidate pairs: {run.candidate_pairs}\n"
            f"Proposed: {run.proposed} ({run.two_way_pairs} two-way)\n"
            f"Total distance: {run.total_distance_m / 1000:.1f} km\n"
            f"Time: {run.seconds:.2f} s"
        )
        if run.message:
            self.stdout.write(run.message)
        else:
            self.stdout.write("Proposals wait for a facilitator to review them at /matching/.")
