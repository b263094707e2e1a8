"""`hct serve`'s gunicorn command line (issue 15 item 4): workers from the cores, threads so a slow
page does not block the rest, timeouts, and per-instance files under HCT_VAR_DIR."""

import subprocess
import sys

import pytest

from hct.serving import MAX_WORKERS, gunicorn_arguments, worker_count


def _options(arguments: list[str]) -> dict[str, str]:
    assert arguments[0] == "hct.wsgi:application"
    pairs = iter(arguments[1:])
    options = {}
    for name in pairs:
        options[name] = "" if name.startswith("--no-") else next(pairs)
    return options


def test_the_command_line_for_one_instance(tmp_path):
    options = _options(gunicorn_arguments("127.0.0.1:9000", environ={"HCT_VAR_DIR": str(tmp_path)}))
    assert options["--bind"] == "127.0.0.1:9000"
    assert options["--worker-class"] == "gthread"
    assert options["--threads"] == "4"
    assert (options["--timeout"], options["--graceful-timeout"], options["--keep-alive"]) == (
        "60",
        "30",
        "5",
    )
    assert options["--pid"] == str(tmp_path / "gunicorn.pid")
    assert options["--control-socket"] == str(tmp_path / "gunicorn.ctl")
    assert options["--worker-tmp-dir"] == str(tmp_path / "gunicorn-tmp")
    assert options["--access-logfile"] == "-"


@pytest.mark.parametrize(("cores", "workers"), [(1, 3), (2, 5), (3, 7), (4, MAX_WORKERS), (64, 8)])
def test_workers_are_two_per_core_and_one_capped(cores, workers):
    assert worker_count({}, cores=cores) == workers


def test_the_environment_and_the_flag_choose_otherwise(tmp_path):
    environ = {
        "HCT_VAR_DIR": str(tmp_path),
        "HCT_WEB_WORKERS": "12",
        "HCT_WEB_THREADS": "8",
        "HCT_WEB_TIMEOUT": "120",
        "HCT_WEB_KEEPALIVE": "75",
    }
    options = _options(gunicorn_arguments("0.0.0.0:80", environ=environ))
    assert (options["--workers"], options["--threads"]) == ("12", "8")
    assert (options["--timeout"], options["--keep-alive"]) == ("120", "75")
    assert (
        _options(gunicorn_arguments("0.0.0.0:80", workers=2, environ=environ))["--workers"] == "2"
    )


def test_two_var_dirs_give_two_instances_files_that_do_not_collide(tmp_path):
    first, second = (
        _options(gunicorn_arguments("127.0.0.1:9000", environ={"HCT_VAR_DIR": str(tmp_path / n)}))
        for n in ("live", "staging")
    )
    for option in ("--pid", "--control-socket", "--worker-tmp-dir"):
        assert first[option] != second[option]
        assert first[option].startswith(str(tmp_path / "live"))


def test_a_var_dir_too_long_for_a_socket_goes_without_the_control_socket(tmp_path):
    options = _options(
        gunicorn_arguments("127.0.0.1:9000", environ={"HCT_VAR_DIR": str(tmp_path / ("x" * 120))})
    )
    assert "--control-socket" not in options
    assert "--no-control-socket" in options


def test_gunicorn_accepts_the_command_line(tmp_path):
    """Every option is one the installed gunicorn knows (--check-config loads the app too)."""
    arguments = gunicorn_arguments("127.0.0.1:9000", environ={"HCT_VAR_DIR": str(tmp_path)})
    (tmp_path / "gunicorn-tmp").mkdir()
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", *arguments],
        capture_output=True,
        text=True,
        env={
            "HCT_VAR_DIR": str(tmp_path),
            "PATH": "/usr/bin:/bin",
            "PYTHONPATH": ":".join(sys.path),
        },
    )
    assert result.returncode == 0, result.stderr
