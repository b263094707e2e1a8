"""`make load`'s verdict and clean-up (load/run.py), without a server or a database: the table
says per page what the target is and whether it was met, and the run passes only when every
page does; the clean-up leaves nothing behind even when nothing was started."""

import csv
from pathlib import Path

from load import run

FIELDS = ["Type", "Name", "Request Count", "Failure Count", "Requests/s", "50%", "95%", "99%"]


def _row(name: str, p95: float, failures: int = 0) -> dict:
    return {
        "Type": "GET",
        "Name": name,
        "Request Count": "100",
        "Failure Count": str(failures),
        "Requests/s": "1.5",
        "50%": str(p95 / 2),
        "95%": str(p95),
        "99%": str(p95 * 1.5),
    }


def _stats(tmp_path: Path, rows: list[dict]) -> Path:
    path = tmp_path / "locust_stats.csv"
    with path.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=FIELDS)
        writer.writeheader()
        writer.writerows([*rows, {**_row("", 0), "Type": "", "Name": "Aggregated"}])
    return path


def test_every_page_under_a_second_and_no_errors_passes(tmp_path):
    pages, total = run.percentile_table(_stats(tmp_path, [_row("home", 300), _row("map", 1000)]))
    assert run.passed(pages, total)
    table = run.report(pages, total, 120)
    assert "load check: PASSED" in table
    assert "p95<=1000" in table


def test_a_slow_page_or_an_error_fails_and_is_named(tmp_path):
    rows = [_row("home", 300), _row("map", 1001), _row("people", 200, failures=1)]
    pages, total = run.percentile_table(_stats(tmp_path, rows))
    assert not run.passed(pages, total)
    table = run.report(pages, total, 120)
    assert "FAIL (p95)" in table and "FAIL (errors)" in table
    assert "failing: map, people" in table


def test_report_generation_is_exempt_from_the_time_but_not_from_errors(tmp_path):
    (exempt,) = run.EXEMPT
    pages, total = run.percentile_table(_stats(tmp_path, [_row(exempt, 9000)]))
    assert run.passed(pages, total)
    pages, total = run.percentile_table(_stats(tmp_path, [_row(exempt, 9000, failures=2)]))
    assert not run.passed(pages, total)


def test_no_pages_at_all_is_not_a_pass(tmp_path):
    pages, total = run.percentile_table(_stats(tmp_path, []))
    assert not run.passed(pages, total)


def test_clean_up_removes_the_run_folder_or_keeps_it_for_a_failure(tmp_path, capsys):
    passed_run = tmp_path / "passed"
    passed_run.mkdir()
    run.cleanup(None, None, passed_run, keep_logs=False)
    assert not passed_run.exists()
    failed_run = tmp_path / "failed"
    failed_run.mkdir()
    run.cleanup(None, None, failed_run, keep_logs=True)
    assert failed_run.exists()
    assert str(failed_run) in capsys.readouterr().out
