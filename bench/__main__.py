"""`make bench`: run each benchmark the issues name and print each figure beside its baseline."""

import sys

from bench.harness import setup_django


def main() -> int:
    workdir = setup_django()
    print(
        f"hct benchmarks (database: {__import__('os').environ['DATABASE_URL'].split('@')[-1]}, work: {workdir})"
    )
    from bench import directory_import, gap_analysis, profile_page

    for figure in profile_page.run():
        print(figure.line())
    for figure in gap_analysis.run():
        print(figure.line())
    for figure in directory_import.run():
        print(figure.line())
    return 0


if __name__ == "__main__":
    sys.exit(main())
