"""A live Cascade for fault tests and the load script: gunicorn subprocesses and HTTP clients.

The app runs as it does in production: ``config/gunicorn.py``, production settings, DEBUG
off, static files from whitenoise's manifest. The clients talk to it as the TLS proxy in
front would (``X-Forwarded-Proto: https``), so secure cookies, the SSL redirect and the
CSRF referer check stay on.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[2]
PYTHON = sys.executable
GUNICORN = str(Path(sys.executable).with_name("gunicorn"))
SECRET_KEY = "fault-tests-" + secrets.token_hex(24)
PASSWORD = "faults-" + secrets.token_hex(6)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 40) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"Timed out after {timeout:.0f} s waiting for {what}")


def production_env(database_url: str, redis_url: str = "", **extra: str) -> dict[str, str]:
    """Return the environment of a production process on this machine, DEBUG off."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "REDIS_URL", "DATABASE_URL", "DJANGO_SETTINGS_MODULE"}
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=SECRET_KEY,
        DATABASE_URL=database_url,
        ALLOWED_HOSTS="127.0.0.1,localhost",
        LOG_FORMAT="json",
        LOG_LEVEL="WARNING",
        DEMO_PASSWORD=PASSWORD,
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(extra)
    return env


def manage(*args: str, env: Mapping[str, str], timeout: float = 300) -> str:
    """Run ``manage.py`` with ``env``; return its output, raising with it on failure."""
    result = subprocess.run(
        [PYTHON, "manage.py", *args],
        cwd=ROOT,
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if result.returncode != 0:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
    return result.stdout


def collectstatic(env: Mapping[str, str]) -> None:
    """Build the static manifest production settings serve from (whitenoise)."""
    manage("collectstatic", "--noinput", "-v", "0", env=env)


class Gunicorn:
    """``gunicorn -c config/gunicorn.py config.wsgi`` on a spare port, in a session of its own."""

    def __init__(
        self, env: Mapping[str, str], log: Path, *, workers: int = 2, threads: int = 1
    ) -> None:
        self.port = free_port()
        self.log = log
        self.env = {
            **env,
            "GUNICORN_BIND": f"127.0.0.1:{self.port}",
            "WEB_CONCURRENCY": str(workers),
            "GUNICORN_THREADS": str(threads),
            "GUNICORN_ACCESS_LOG": str(log.with_suffix(".access.log")),
        }
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> Gunicorn:
        with self.log.open("ab") as output:
            self.process = subprocess.Popen(
                [GUNICORN, "-c", "config/gunicorn.py", "config.wsgi"],
                cwd=ROOT,
                env=self.env,
                stdout=output,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

        def answering() -> bool:
            if self.process is not None and self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited:\n{self.tail()}")
            with contextlib.suppress(requests.RequestException):
                requests.get(self.base_url + "/healthz", timeout=2, headers=PROXY_HEADERS)
                return True
            return False

        wait_for(answering, "gunicorn to answer", timeout=60)
        return self

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def tail(self, lines: int = 30) -> str:
        if not self.log.exists():
            return ""
        return "\n".join(
            line[:400] for line in self.log.read_text(errors="replace").splitlines()[-lines:]
        )

    def __enter__(self) -> Gunicorn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


class Browser:
    """One user's session: cookies, CSRF token and the headers the TLS proxy adds."""

    def __init__(self, base_url: str, *, timeout: float = 15) -> None:
        self.base_url = base_url
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers.update(PROXY_HEADERS)

    def login(self, username: str, password: str) -> Browser:
        self.get("/login/")
        response = self.post("/login/", data={"username": username, "password": password})
        if response.status_code != 302:
            raise AssertionError(f"login as {username} answered {response.status_code}")
        return self

    def _cookies(self) -> dict[str, str]:
        # The cookies are Secure; requests keeps them off this plain hop, the proxy does not.
        return {"Cookie": "; ".join(f"{c.name}={c.value}" for c in self.session.cookies)}

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        kwargs.setdefault("allow_redirects", False)
        headers = {**self._cookies(), **kwargs.pop("headers", {})}
        return self.session.get(
            self.base_url + path, headers=headers, timeout=self.timeout, **kwargs
        )

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        headers = {
            **self._cookies(),
            "X-CSRFToken": self.session.cookies.get("csrftoken", ""),
            # Django checks the referer of a secure POST against the host.
            "Referer": f"https://{self.base_url.split('://', 1)[1]}{path}",
            **kwargs.pop("headers", {}),
        }
        kwargs.setdefault("allow_redirects", False)
        return self.session.post(
            self.base_url + path, headers=headers, timeout=self.timeout, **kwargs
        )


class ApiClient:
    """Token-authenticated API calls (no cookies, no CSRF)."""

    def __init__(self, base_url: str, token: str, *, timeout: float = 15) -> None:
        self.base_url = base_url
        self.timeout = timeout
        self.session = requests.Session()
        self.session.headers.update({**PROXY_HEADERS, "Authorization": f"Token {token}"})

    def get(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.get(self.base_url + path, timeout=self.timeout, **kwargs)

    def post(self, path: str, **kwargs: Any) -> requests.Response:
        return self.session.post(self.base_url + path, timeout=self.timeout, **kwargs)


def hidden_input(html: str, name: str) -> str:
    """Return the value of the form field ``name`` in ``html``."""
    match = re.search(rf'<input[^>]*name="{re.escape(name)}"[^>]*>', html)
    if not match:
        raise AssertionError(f"no input named {name!r} in the page")
    value = re.search(r'value="([^"]*)"', match.group(0))
    return value.group(1) if value else ""
