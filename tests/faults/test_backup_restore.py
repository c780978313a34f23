"""Backups: a restore of a backup into an empty database gives the identical export."""

from __future__ import annotations

import gzip
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from postmortems.exchange import kb_dumps, kb_export
from postmortems.models import Event, Incident, PostmortemRevision, Service, Source

pytestmark = pytest.mark.django_db(transaction=True)


def _counts() -> dict[str, int]:
    models = (Incident, Event, Service, Source, PostmortemRevision)
    return {model.__name__: model.objects.count() for model in models}


def _empty_the_database() -> None:
    call_command("flush", interactive=False, verbosity=0)
    assert not Incident.objects.exists()


def test_restoring_a_backup_of_the_demo_into_an_empty_database_gives_the_same_export(
    demo, tmp_path: Path
) -> None:
    original = kb_dumps(kb_export()).encode()
    counts_before = _counts()
    output = StringIO()
    call_command("backup", "--directory", str(tmp_path), "--gzip", stdout=output)
    (backup,) = tmp_path.glob("cascade-backup-*.json.gz")
    assert gzip.decompress(backup.read_bytes()) == original
    assert f"{Incident.objects.count()} incidents" in output.getvalue()

    _empty_the_database()
    call_command("restore", str(backup), stdout=StringIO())

    assert kb_dumps(kb_export()).encode() == original
    assert _counts() == counts_before


def test_restore_refuses_a_database_that_is_not_empty_unless_forced(demo, tmp_path: Path) -> None:
    backup = tmp_path / "kb.json"
    call_command("backup", "-o", str(backup), stdout=StringIO())
    incident = Incident.objects.order_by("slug").first()
    incident.title = "Changed after the backup"
    incident.save()

    with pytest.raises(CommandError, match="not empty"):
        call_command("restore", str(backup), stdout=StringIO())
    assert Incident.objects.get(pk=incident.pk).title == "Changed after the backup"

    call_command("restore", str(backup), "--force", stdout=StringIO())
    assert Incident.objects.get(pk=incident.pk).title != "Changed after the backup"
    assert kb_dumps(kb_export()).encode() == backup.read_bytes()


def test_a_broken_backup_restores_nothing(demo, tmp_path: Path) -> None:
    backup = tmp_path / "kb.json"
    call_command("backup", "-o", str(backup), stdout=StringIO())
    _empty_the_database()
    # Cut off half-way, as a full disk or an interrupted copy would leave it.
    backup.write_bytes(backup.read_bytes()[: backup.stat().st_size // 2])

    with pytest.raises(CommandError, match="Not JSON"):
        call_command("restore", str(backup), stdout=StringIO())
    assert not Incident.objects.exists()


def test_a_restore_that_fails_half_way_leaves_the_database_empty(demo, tmp_path: Path) -> None:
    backup = tmp_path / "kb.json"
    call_command("backup", "-o", str(backup), stdout=StringIO())
    _empty_the_database()
    document = json.loads(backup.read_text())
    # The last incident names a service the backup does not have: found only after
    # everything before it was written.
    document["incidents"][-1]["impacts"][0]["service"] = ["Nobody", "nothing"]
    backup.write_text(kb_dumps(document))

    with pytest.raises(CommandError, match="Nothing was restored"):
        call_command("restore", str(backup), stdout=StringIO())
    assert not Incident.objects.exists()
