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


def _locked(path: Path) -> dict[str, str]:
    from packaging.utils import canonicalize_name

    pins = {}
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if not line or line.startswith("-"):
            continue
        assert "==" in line, f"{path.name}: {line!r} is not pinned"
        name, version = line.split("==")
        pins[canonicalize_name(name.split("[")[0])] = version.split(";")[0].strip()
    return pins


def _requirements_of(name: str, extras: set[str]) -> list[tuple[str, set[str]]]:
    from importlib.metadata import requires

    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    found = []
    for text in requires(name) or []:
        requirement = Requirement(text)
        environment = [{"extra": extra} for extra in extras or {""}]
        if requirement.marker and not any(requirement.marker.evaluate(e) for e in environment):
            continue
        found.append((canonicalize_name(requirement.name), set(requirement.extras)))
    return found


def test_requirements_txt_locks_every_package_a_production_install_needs() -> None:
    # Walk the dependencies of what requirements.in names, as installed here: each one,
    # transitive ones included, must be pinned in requirements.txt.
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    locked = _locked(ROOT / "requirements.txt")
    direct = [
        Requirement(line.split("#")[0].strip())
        for line in (ROOT / "requirements.in").read_text().splitlines()
        if line.split("#")[0].strip() and not line.startswith("-")
    ]
    missing = set()
    seen: set[tuple[str, frozenset[str]]] = set()
    todo = [(canonicalize_name(r.name), set(r.extras)) for r in direct]
    while todo:
        name, extras = todo.pop()
        if (name, frozenset(extras)) in seen:
            continue
        seen.add((name, frozenset(extras)))
        if name not in locked:
            missing.add(name)
        todo.extend(_requirements_of(name, extras))
    assert not missing, f"not pinned in requirements.txt: {sorted(missing)}"
    assert "lxml-html-clean" in locked  # the HTML import's cleaner, once only an extra's


def test_the_dev_lock_pins_runtime_packages_as_the_runtime_lock_does() -> None:
    runtime, dev = _locked(ROOT / "requirements.txt"), _locked(ROOT / "requirements-dev.txt")
    assert {name: dev.get(name) for name in runtime} == runtime
