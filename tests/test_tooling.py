"""The checks CI runs before the suites: ruff (lint with the DTZ rules, and format) and mypy."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent


def _run(*command: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        command, cwd=ROOT, capture_output=True, text=True, timeout=300, check=False
    )


def test_naive_datetimes_are_lint_errors_and_the_tree_has_none() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert "DTZ" in config["tool"]["ruff"]["lint"]["select"]
    result = _run(str(BIN / "ruff"), "check", "--select", "DTZ", ".")
    assert result.returncode == 0, result.stdout


def test_the_tree_is_formatted() -> None:
    result = _run(str(BIN / "ruff"), "format", "--check", ".")
    assert result.returncode == 0, result.stdout


def test_mypy_checks_the_app_packages_with_the_django_and_drf_plugins() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["mypy"]
    assert {"config", "postmortems", "timelines"} <= set(config["files"])
    assert "mypy_django_plugin.main" in config["plugins"]
    assert "mypy_drf_plugin.main" in config["plugins"]
    result = _run(str(BIN / "mypy"))
    assert result.returncode == 0, result.stdout[-3000:]


def test_ci_runs_the_format_check_and_mypy() -> None:
    ci = (ROOT / ".ci" / "run").read_text()
    assert ".venv/bin/ruff format --check ." in ci
    assert ".venv/bin/mypy" in ci
