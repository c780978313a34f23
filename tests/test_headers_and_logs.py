"""Security headers, the gunicorn access log, and the health endpoint behind a TLS proxy."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

from django.test import Client
from gunicorn.config import Config

from config.gunicorn_logging import JsonAccessLogger

SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"
PRODUCTION = Path(__file__).resolve().parents[1] / "config" / "settings" / "production.py"


def test_pages_send_a_content_security_policy_without_inline_scripts(
    demo: dict[str, int], viewer_client: Client
) -> None:
    response = viewer_client.get(f"/incidents/{SLUG}/timeline/")
    policy = response["Content-Security-Policy"]
    assert "script-src 'self';" in policy + ";"
    assert "unsafe-inline" not in policy
    assert "unsafe-eval" not in policy
    # The pictures' own <style> carries the nonce the header names.
    nonce = re.search(r"'nonce-([^']+)'", policy).group(1)
    page = response.content.decode()
    assert page.count(f'<style nonce="{nonce}">') == page.count("<style") >= 1


def test_templates_have_no_inline_scripts_or_handlers() -> None:
    root = Path(__file__).resolve().parents[1]
    offenders = []
    handler = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)
    inline_script = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(ld\+)?json)[^>]*>")
    for path in root.glob("*/templates/**/*.html"):
        text = path.read_text()
        if handler.search(text) or inline_script.search(text):
            offenders.append(str(path.relative_to(root)))
    for path in (root / "templates").glob("**/*.html"):
        text = path.read_text()
        if handler.search(text) or inline_script.search(text):
            offenders.append(str(path.relative_to(root)))
    assert not offenders


def _log_line(path: str, user_agent: str = "probe") -> dict:
    config = Config()
    config.set("accesslog", "-")
    logger = JsonAccessLogger(config)
    stream = io.StringIO()
    logger.access_log.handlers = [logging.StreamHandler(stream)]
    logger.access_log.setLevel(logging.INFO)
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": 'q="x\\y"',
        "REMOTE_ADDR": "10.0.0.1",
        "HTTP_USER_AGENT": user_agent,
        "RAW_URI": path,
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    response = SimpleNamespace(status="200 OK", sent=1234, headers=[])
    logger.access(response, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=12))
    (line,) = stream.getvalue().splitlines()
    return json.loads(line)


def test_the_access_log_writes_valid_json_with_a_numeric_pid() -> None:
    record = _log_line("/search/", user_agent='Quote " and backslash \\ agent')
    assert isinstance(record["pid"], int)
    assert record["status"] == 200
    assert record["user_agent"] == 'Quote " and backslash \\ agent'
    assert record["query"] == 'q="x\\y"'


def test_the_access_log_never_stores_a_share_token() -> None:
    token = "Zq3-secret-share-token_0123456789abcdef"
    record = _log_line(f"/s/{token}/export.pdf")
    assert token not in json.dumps(record)
    digest = hashlib.sha256(token.encode()).hexdigest()[:12]
    assert record["path"] == f"/s/sha256:{digest}…/export.pdf"


def test_production_settings_exempt_the_health_endpoint_from_the_https_redirect(
    db: None, settings
) -> None:
    namespace: dict = {}
    exempt = re.search(r"SECURE_REDIRECT_EXEMPT = (\[.*\])", PRODUCTION.read_text())
    assert exempt, "production settings lack SECURE_REDIRECT_EXEMPT"
    exec(f"value = {exempt.group(1)}", namespace)
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = namespace["value"]
    client = Client()
    assert client.get("/healthz").status_code == 200
    assert client.get("/login/").status_code == 301
