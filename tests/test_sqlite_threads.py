"""SQLite, the embedded default, under a threaded server: concurrent writers wait, never fail."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from django.db import connections, transaction

from config.database import database_settings

WRITERS = 8
ROUNDS = 15


@pytest.fixture
def sqlite_file(tmp_path: Path, django_db_blocker) -> str:
    alias = "threaded_sqlite"
    file_settings = database_settings(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    connections.settings[alias] = connections.configure_settings(
        {"default": dict(file_settings), alias: file_settings}
    )[alias]
    with django_db_blocker.unblock():
        with connections[alias].cursor() as cursor:
            cursor.execute("CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER)")
            cursor.execute("INSERT INTO counter VALUES (1, 0)")
        connections[alias].close()
        yield alias
        connections[alias].close()
    del connections[alias]
    del connections.settings[alias]


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(sqlite_file: str, django_db_blocker) -> None:
    with django_db_blocker.unblock(), connections[sqlite_file].cursor() as cursor:
        assert cursor.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert cursor.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000
    assert connections[sqlite_file].transaction_mode == "IMMEDIATE"


def test_concurrent_read_then_write_transactions_all_land(
    sqlite_file: str, django_db_blocker
) -> None:
    # Read, then write, in one transaction: what a service does. With SQLite's default
    # deferred transactions two of these deadlock and one fails with "database is locked".
    errors: list[BaseException] = []
    start = threading.Barrier(WRITERS)

    def writer() -> None:
        try:
            with django_db_blocker.unblock():
                start.wait()
                for _ in range(ROUNDS):
                    with transaction.atomic(using=sqlite_file):
                        cursor = connections[sqlite_file].cursor()
                        (value,) = cursor.execute("SELECT value FROM counter").fetchone()
                        cursor.execute("UPDATE counter SET value = %s", [value + 1])
                connections[sqlite_file].close()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=writer) for _ in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:3]
    with django_db_blocker.unblock(), connections[sqlite_file].cursor() as cursor:
        assert cursor.execute("SELECT value FROM counter").fetchone()[0] == WRITERS * ROUNDS


def test_postgresql_iterates_choices_without_a_server_side_cursor() -> None:
    settings = database_settings("postgres://postgres@127.0.0.1:5432/cascade")
    assert settings["DISABLE_SERVER_SIDE_CURSORS"] is True
