"""Schemathesis with 4 concurrent workers against a threaded server on SQLite.

SQLite is the embedded default (``make run``); a threaded server gives each thread its own
connection, so concurrent writes meet in the database file. Run by ``.ci/schemathesis``:

    .venv/bin/python -m tests.api.schemathesis_threaded

It migrates a fresh SQLite file, loads the demo, makes an admin token, starts gunicorn
(2 processes x 4 threads) and runs the schemathesis CLI with ``--workers 4`` and the
``not_a_server_error`` check (the schema itself is checked by schemathesis_check.py).
Exit status 0 only with 0 server errors.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
EXAMPLES = os.environ.get("SCHEMATHESIS_THREADED_EXAMPLES", "20")
TOKEN_SCRIPT = """
from rest_framework.authtoken.models import Token
from postmortems.services import user_create
user = user_create(username="schemathesis", password="schemathesis-pw-0xA7", role="admin")
print(Token.objects.create(user=user).key)
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _manage(env: dict[str, str], *args: str) -> str:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout


def _wait_until_up(url: str, server: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise SystemExit(f"gunicorn exited with {server.returncode}")
        try:
            urllib.request.urlopen(url, timeout=2)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"gunicorn did not answer {url} within {seconds} s")


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="cascade-sqlite-") as directory:
        env = {
            key: value
            for key, value in os.environ.items()
            if key not in {"DATABASE_URL", "REDIS_URL"}
        }
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.test",
            DATABASE_URL=f"sqlite:///{directory}/db.sqlite3",
            API_THROTTLE_USER="1000000/min",
            API_THROTTLE_ANON="1000000/min",
            DATABASE_CONN_MAX_AGE="0",
        )
        _manage(env, "migrate", "--noinput", "-v", "0")
        _manage(env, "load_demo", "--password", "demo-pw-for-schemathesis")
        token = _manage(env, "shell", "-c", TOKEN_SCRIPT).strip().splitlines()[-1]
        port = _free_port()
        base = f"http://127.0.0.1:{port}"
        server = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "config.wsgi:application",
                f"--bind=127.0.0.1:{port}",
                "--workers=2",
                "--worker-class=gthread",
                "--threads=4",
                "--log-level=warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            _wait_until_up(f"{base}/healthz", server)
            run = subprocess.run(
                [
                    str(BIN / "schemathesis"),
                    "run",
                    f"{base}/api/v1/schema/?format=json",
                    "--workers=4",
                    "--checks=not_a_server_error",
                    f"--max-examples={EXAMPLES}",
                    "--phases=examples,fuzzing",
                    "--generation-deterministic",
                    "--request-timeout=30",
                    f"--header=Authorization: Token {token}",
                    "--no-color",
                ],
                cwd=directory,  # its caches and reports stay out of the tree
                env=env,
                check=False,
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    print(f"schemathesis (threaded server on SQLite, 4 workers): exit status {run.returncode}")
    return run.returncode


if __name__ == "__main__":
    sys.exit(main())
