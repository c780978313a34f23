"""``manage.py backup [-o FILE] [--gzip]``: the whole knowledge base as a timestamped JSON file."""

from __future__ import annotations

import gzip
import hashlib
import os
import tempfile
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connection, transaction
from django.utils import timezone

from postmortems.exchange import kb_dumps, kb_export, kb_loads


def backup_read(path: Path) -> str:
    """Return the text of a backup file, gzipped or not (told apart by its first bytes)."""
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data.decode("utf-8")


class Command(BaseCommand):
    help = (
        "Write the whole knowledge base (the export_kb document) to a timestamped JSON file. "
        "Accounts, passwords and roles are not in it: see Deployment in README.md."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "-o",
            "--output",
            metavar="FILE",
            help="Write here (default: cascade-backup-<UTC time>.json[.gz] in --directory). "
            "A name ending in .gz is gzipped.",
        )
        parser.add_argument(
            "--directory", metavar="DIR", default=".", help="Where a default name goes."
        )
        parser.add_argument(
            "--gzip", action="store_true", dest="compress", help="Compress with gzip."
        )

    def handle(
        self, *args: Any, output: str | None, directory: str, compress: bool, **options: Any
    ) -> None:
        if output:
            path = Path(output)
            compress = compress or path.suffix == ".gz"
        else:
            stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
            path = Path(directory) / f"cascade-backup-{stamp}.json{'.gz' if compress else ''}"

        text = _export_snapshot()
        data = text.encode("utf-8")
        if compress:
            data = _gzip(data)
        _write_atomically(path, data)

        # Read back what landed on disk before saying it is a backup.
        if backup_read(path) != text:
            raise CommandError(f"{path} does not read back as written; the disk is suspect.")
        document = kb_loads(text)
        self.stdout.write(
            f"Wrote {path} ({len(data):,} bytes, sha256 {hashlib.sha256(data).hexdigest()}): "
            f"{len(document['incidents'])} incidents, {len(document['services'])} services, "
            f"{len(document['sources'])} sources."
        )


def _export_snapshot() -> str:
    """Return the export as one consistent snapshot, even while others write."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return kb_dumps(kb_export())


def _gzip(data: bytes) -> bytes:
    # mtime=0: the same knowledge base gives the same bytes, so backups can be compared.
    return gzip.compress(data, mtime=0)


def _write_atomically(path: Path, data: bytes) -> None:
    """Write via a temporary file in the same directory, so a crash never leaves half a backup."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
