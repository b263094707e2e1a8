"""The `hct` command: the demo, the production server, data loads and Django's own commands.

Each sub-command has `--help`. Django is set up only once a sub-command needs it, so `hct --help`
works anywhere.
"""

import argparse
import os
import subprocess
import sys
from pathlib import Path

DEFAULT_DEMO_PASSWORD = "healthy-communities-demo"  # noqa: S105 - the demo holds no real data


def _django():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hct.settings")
    import django

    django.setup()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hct",
        description="Healthy Communities Together: a platform for place-based health partnerships.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = commands.add_parser(
        "demo",
        help="set up the Coventry demo and serve it on 127.0.0.1",
        description=(
            "Migrate the database (SQLite under var/ unless DATABASE_URL says otherwise), load "
            "Coventry's places and the demo partnership (running it again changes nothing), print "
            "how to sign in, and serve on 127.0.0.1. The demo password is "
            f"'{DEFAULT_DEMO_PASSWORD}' unless HCT_DEMO_PASSWORD sets another."
        ),
    )
    demo.add_argument("--port", type=int, default=8000, help="port to serve on (default 8000)")
    demo.add_argument("--reset", action="store_true", help="start again from an empty database")
    demo.add_argument("--no-serve", action="store_true", help="set up the demo, then exit")
    demo.add_argument(
        "--synthetic",
        type=int,
        metavar="PEOPLE",
        help=(
            "also build a synthetic city of this many made-up people, each with a journey of "
            "about 20 touchpoints (every record marked synthetic; replaces an earlier city)"
        ),
    )
    demo.add_argument(
        "--seed",
        type=int,
        default=1,
        help="the synthetic city's seed: the same seed, the same city",
    )

    serve = commands.add_parser(
        "serve",
        help="run the production server (gunicorn)",
        description=(
            "Serve hct with gunicorn on the database DATABASE_URL names: 2 x cores + 1 worker "
            "processes (at most 8; HCT_WEB_WORKERS says otherwise) of 4 threads each "
            "(HCT_WEB_THREADS), its pid file and control socket under HCT_VAR_DIR "
            "(docs/operations.md)."
        ),
    )
    serve.add_argument("--bind", default=os.environ.get("HCT_BIND", "127.0.0.1:8000"))
    serve.add_argument(
        "--workers", type=int, default=None, help="worker processes (default: from the cores)"
    )

    places = commands.add_parser(
        "load-places",
        help="(re)load the geography and indicators",
        description=(
            "Load LSOAs, wards, MSOAs, IoD2019 indicators, boundaries, GP practices and life "
            "expectancy from a folder of data files. Everything is checked first; a bad file "
            "changes nothing and the error names the file, line and column."
        ),
    )
    places.add_argument(
        "--dir",
        type=Path,
        default=None,
        help="folder of data files (default: the bundled Coventry data)",
    )

    oruk = commands.add_parser(
        "import-oruk",
        help="import Open Referral UK data (JSON or CSV; a file, folder or zip)",
        description=(
            "Import Open Referral UK (HSDS 3.0 UK profile) data into the directory: a JSON file "
            "(a record, a list, or a page with 'contents'), a CSV table named as the standard "
            "names it, or a folder or zip of them. Every record is checked against the "
            "standard's schemas first; every problem is printed with its file and JSON pointer "
            "or row and column. By default any problem stops the import and nothing is written. "
            "Records already in the directory (the same id) are updated in place."
        ),
    )
    oruk.add_argument("path", type=Path)
    oruk.add_argument(
        "--valid-only", action="store_true", help="import the valid records, skip the others"
    )
    oruk.add_argument(
        "--kind",
        choices=["service", "organization", "service_at_location", "taxonomy", "taxonomy_term"],
        help="what a JSON file holds, when its name does not say",
    )
    oruk.add_argument("--quiet", action="store_true", help="print no warnings")
    imports = commands.add_parser(
        "import-journeys",
        help="import journeys from a JSON or CSV file",
        description=(
            "Import journeys in the format of docs/journeys-format.md. The whole file is checked "
            "first; a problem names the file, row and field, and nothing is written."
        ),
    )
    imports.add_argument("path", type=Path)
    imports.add_argument(
        "--as", dest="username", required=True, help="the facilitator the import is recorded as"
    )
    imports.add_argument(
        "--partnership",
        default=None,
        help="slug of the partnership the people and journeys belong to, if several",
    )
    exports = commands.add_parser(
        "export-journeys",
        help="export the journeys a facilitator may see, as JSON or CSV",
        description="Export journeys in the format of docs/journeys-format.md.",
    )
    exports.add_argument("--as", dest="username", required=True, help="the facilitator")
    exports.add_argument("--format", choices=["json", "csv"], default="json")
    exports.add_argument("--output", type=Path, default=None, help="file (default: stdout)")

    commitments_import = commands.add_parser(
        "import-commitments",
        help="import commitments from a CSV file (the open data export's columns)",
        description=(
            "Import commitments as a member of a partnership. The whole file is checked first; a "
            "problem names the file, line and field, and nothing is written."
        ),
    )
    commitments_import.add_argument("path", type=Path)
    commitments_import.add_argument("--as", dest="username", required=True)
    commitments_import.add_argument("--partnership", default=None, help="its slug, if several")
    reminders = commands.add_parser(
        "remind",
        help="email owners of commitments due soon or overdue (safe to run from cron)",
        description=(
            "Email the owners of each commitment due within --days days, or overdue, and post a "
            "note on it. Each reminder goes once: running it again sends nothing twice."
        ),
    )
    reminders.add_argument("--days", type=int, default=14, help="days before the due date")
    reminders.add_argument("--today", default=None, help="remind as of this day, YYYY-MM-DD")

    matching = commands.add_parser(
        "match",
        help="propose matches between open needs and offers of help, with a summary",
        description=(
            "Run the matching engine over the open needs of people who consent to matching and "
            "the active offers. It proposes; a facilitator reviews each proposal at /matching/."
        ),
    )
    matching.add_argument(
        "--as", dest="username", default=None, help="a facilitator: only their neighbourhoods"
    )
    simulate = commands.add_parser(
        "simulate",
        help="run a waiting-list scenario again, exactly (the same inputs and seed, the same numbers)",
        description=(
            "Run the flexibility scenario with this id in the foreground with its stored inputs "
            "(or with --seed, another seed), keep its results, and print them as JSON."
        ),
    )
    simulate.add_argument("scenario", type=int, help="the scenario's id (shown on its page)")
    simulate.add_argument("--seed", type=int, default=None, help="the first replication's seed")
    simulate.add_argument(
        "--no-save", action="store_true", help="print the results without keeping them"
    )
    worker = commands.add_parser(
        "worker",
        help="run background jobs (imports, matching runs, reports)",
        description=(
            "Run queued background jobs until stopped. Several workers (here with --processes, "
            "or on other machines) share the queue; one that dies has its job taken up again "
            "by another, and a worker waits out a database outage (docs/jobs.md)."
        ),
    )
    worker.add_argument(
        "--processes",
        type=int,
        default=int(os.environ.get("HCT_WORKER_PROCESSES", "1")),
        help="how many worker processes to run side by side (default 1)",
    )
    worker.add_argument("--once", action="store_true", help="run what is queued, then stop")

    manage = commands.add_parser(
        "manage",
        help="run a Django management command (migrate, createsuperuser, check …)",
        description="Pass the rest of the line to Django's manage.py.",
    )
    manage.add_argument("args", nargs=argparse.REMAINDER)
    return parser


def _serve(bind: str, workers: int | None) -> None:
    from hct.serving import gunicorn_arguments, prepare

    prepare()
    args = [sys.executable, "-m", "gunicorn", *gunicorn_arguments(bind, workers)]
    sys.stdout.flush()
    os.execv(sys.executable, args)  # noqa: S606 - replaces this process with gunicorn


def demo(args: argparse.Namespace) -> int:
    if args.reset:
        _reset_database()
    _django()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    password = os.environ.get("HCT_DEMO_PASSWORD") or DEFAULT_DEMO_PASSWORD
    from hct.demo.services import demo_load

    summary = demo_load(password=password, password_given="HCT_DEMO_PASSWORD" in os.environ)
    print(summary.describe(port=args.port, password=password))
    if args.synthetic is not None:
        _synthetic_city(args.synthetic, args.seed)
    if args.no_serve:
        return 0
    # The demo's background jobs run in a worker beside the web server; Ctrl-C stops both.
    subprocess.Popen([sys.executable, "-m", "hct", "worker"])
    _serve(f"127.0.0.1:{args.port}", workers=2)
    return 0


def _synthetic_city(people: int, seed: int) -> None:
    import time

    from hct.demo.synthetic import generate

    started = time.perf_counter()
    city = generate(people=people, seed=seed)
    counts = ", ".join(f"{value:,} {name}" for name, value in city.counts.items())
    print(
        f"Synthetic city (seed {seed}, every record marked synthetic): {counts} "
        f"in {time.perf_counter() - started:.1f} s"
    )


def _journeys_command(name: str, *args: str) -> int:
    _django()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("migrate", interactive=False, verbosity=0)
    try:
        call_command(name, *args)
    except CommandError as error:
        print(f"hct {name.replace('_', '-')}: {error}", file=sys.stderr)
        return 1
    return 0


def _reset_database() -> None:
    import dj_database_url

    url = os.environ.get("DATABASE_URL", "")
    if url and not url.startswith("sqlite"):
        # A shared database is never dropped by a demo command: empty it through Django instead.
        _django()
        from django.core.management import call_command

        call_command("flush", interactive=False, verbosity=0)
        return
    from hct import settings

    name = dj_database_url.parse(url)["NAME"] if url else str(settings.VAR_DIR / "hct.sqlite3")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{name}{suffix}").unlink(missing_ok=True)


def load_places(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("migrate", interactive=False, verbosity=0)
    try:
        call_command("load_places", *(["--dir", str(args.dir)] if args.dir else []))
    except CommandError as error:
        print(f"hct load-places: {error}", file=sys.stderr)
        return 1
    return 0


def import_oruk(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("migrate", interactive=False, verbosity=0)
    options = ["--valid-only"] if args.valid_only else []
    options += ["--kind", args.kind] if args.kind else []
    options += ["--quiet"] if args.quiet else []
    try:
        call_command("import_oruk", str(args.path), *options)
    except CommandError as error:
        print(f"hct import-oruk: {error}", file=sys.stderr)
        return 1
    return 0


def _match(args: argparse.Namespace) -> int:
    _django()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    call_command("migrate", interactive=False, verbosity=0)
    try:
        call_command("match", *(["--as", args.username] if args.username else []))
    except CommandError as error:
        print(f"hct match: {error}", file=sys.stderr)
        return 1
    return 0


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "demo":
        return demo(args)
    if args.command == "serve":
        _serve(args.bind, args.workers)
        return 0
    if args.command == "load-places":
        return load_places(args)
    if args.command == "import-oruk":
        return import_oruk(args)
    if args.command == "import-journeys":
        extra = ["--partnership", args.partnership] if args.partnership else []
        return _journeys_command("import_journeys", str(args.path), "--as", args.username, *extra)
    if args.command == "export-journeys":
        extra = ["--output", str(args.output)] if args.output else []
        return _journeys_command(
            "export_journeys", "--as", args.username, "--format", args.format, *extra
        )
    if args.command == "import-commitments":
        extra = ["--partnership", args.partnership] if args.partnership else []
        return _journeys_command(
            "import_commitments", str(args.path), "--as", args.username, *extra
        )
    if args.command == "remind":
        extra = ["--today", args.today] if args.today else []
        return _journeys_command("remind", "--days", str(args.days), *extra)
    if args.command == "match":
        return _match(args)
    if args.command == "simulate":
        extra = ["--seed", str(args.seed)] if args.seed is not None else []
        return _journeys_command(
            "simulate", str(args.scenario), *extra, *(["--no-save"] if args.no_save else [])
        )
    if args.command == "worker":
        _django()
        from django.core.management import call_command

        call_command(
            "worker", "--processes", str(args.processes), *(["--once"] if args.once else [])
        )
        return 0
    if args.command == "manage":
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "hct.settings")
        from django.core.management import execute_from_command_line

        execute_from_command_line(["hct manage", *args.args])
        return 0
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
