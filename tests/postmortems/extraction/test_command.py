"""`manage.py extract_timeline` on an empty catalogue, and on a database never migrated."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

ROOT = Path(__file__).resolve().parents[3]
ARTICLE = "All times are UTC.\nOn October 20, 2025 at 09:35 Azure Front Door recovered.\n"


@pytest.mark.django_db
def test_a_migrated_but_empty_database_is_not_an_error(tmp_path: Path, capsys) -> None:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    call_command("extract_timeline", str(path), "--format", "json")
    output = json.loads(capsys.readouterr().out)
    (event,) = output["events"]
    assert event["at"] == "2025-10-20T09:35:00Z"
    assert event["services"] == []  # nothing in the catalogue yet
    assert event["new_services"] == [{"name": "Azure Front Door", "provider": "Microsoft Azure"}]
    assert event["zone_evidence"].startswith("zone from the preamble: UTC")


def test_an_unmigrated_database_says_to_run_migrate(tmp_path: Path) -> None:
    path = tmp_path / "article.txt"
    path.write_text(ARTICLE, encoding="utf-8")
    # A fresh SQLite file: the database exists but has no tables.
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.base",
        "DATABASE_URL": f"sqlite:///{tmp_path / 'fresh.sqlite3'}",
        "SECRET_KEY": "test-only",
        "DEBUG": "1",
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "extract_timeline", str(path)],
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert "python manage.py migrate" in result.stderr
    assert result.stdout == ""
