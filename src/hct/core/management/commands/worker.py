from django.core.management.base import BaseCommand

from hct.core.jobs import work


class Command(BaseCommand):
    help = "Run background jobs (imports, matching runs, reports) as they are queued."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run what is queued, then stop")
        parser.add_argument(
            "--poll", type=float, default=1.0, help="seconds between looks at the queue"
        )

    def handle(self, *args, **options):
        done = work(once=options["once"], poll_seconds=options["poll"])
        if options["once"]:
            self.stdout.write(f"Ran {done} job(s).")
