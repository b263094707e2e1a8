"""The `hct` command and production settings, run as a newcomer would, in real processes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _run(*args, env=None):
    return subprocess.run(
        [sys.executable, "-m", "hct", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={
            k: v
            for k, v in {**os.environ, **(env or {})}.items()
            if k != "DJANGO_ALLOW_ASYNC_UNSAFE"
        },
        timeout=120,
    )


@pytest.mark.parametrize(
    "command", [[], ["demo"], ["serve"], ["load-places"], ["worker"], ["manage"]]
)
def test_every_command_has_help(command):
    result = _run(*command, "--help")
    assert result.returncode == 0, result.stderr
    assert "usage: hct" in result.stdout


def test_load_places_with_a_bad_folder_names_the_file_and_fails(tmp_path):
    result = _run(
        "load-places",
        "--dir",
        str(tmp_path),
        env={"DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"},
    )
    assert result.returncode == 1
    assert "imd2019_domains_ranks_deciles_coventry_lsoa11.csv: file not found" in result.stderr
    assert "Nothing was changed" in result.stderr


def test_demo_sets_up_twice_and_prints_how_to_sign_in(tmp_path):
    env = {
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.db'}",
        "HCT_DEMO_PASSWORD": "a-password-for-this-test",
    }
    first = _run("demo", "--no-serve", env=env)
    assert first.returncode == 0, first.stderr
    assert "Sign in as one of: facilitator, partner, board, admin, sam" in first.stdout
    assert "a-password-for-this-test" in first.stdout
    second = _run("demo", "--no-serve", env=env)
    assert "The demo was already set up." in second.stdout


PRODUCTION = {
    "HCT_ENV": "production",
    "HCT_SECRET_KEY": "x7#k2!q9" * 8,
    "HCT_ALLOWED_HOSTS": "hct.example.org",
    "HCT_IDENTITY_KEYS": "fl3sTq9o1sxX6mYV0Qf1vT5w2n8Zk4cJmD7bR0eLpUo=",
}


def test_check_deploy_reports_nothing_in_production():
    result = _run("manage", "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = _run("manage", "check", env={**PRODUCTION, "HCT_SECRET_KEY": ""})
    assert result.returncode != 0
    assert "HCT_SECRET_KEY must be set" in result.stderr
