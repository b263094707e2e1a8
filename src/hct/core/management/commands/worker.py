from django.core.management.base import BaseCommand, CommandError

from hct.core.jobs import work
from hct.core.worker import Worker, supervise


class Command(BaseCommand):
    help = "Run background jobs (imports, matching runs, reports) as they are queued."

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="run what is queued, then stop")
        parser.add_argument(
            "--poll", type=float, default=1.0, help="seconds between looks at the queue"
        )
        parser.add_argument(
            "--processes",
            type=int,
            default=1,
            help="run this many workers side by side (each its own process), sharing the queue",
        )

    def handle(self, *args, **options):
        if options["processes"] < 1:
            raise CommandError("--processes must be 1 or more")
        if options["once"]:
            done = work(once=True, poll_seconds=options["poll"])
            self.stdout.write(f"Ran {done} job(s).")
        elif options["processes"] > 1:
            supervise(processes=options["processes"], poll_seconds=options["poll"])
        else:
            worker = Worker(poll_seconds=options["poll"])
            worker.configure_signals()
            worker.run()
