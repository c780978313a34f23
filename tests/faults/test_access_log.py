"""The production server's access log and health endpoint, under gunicorn behind a TLS proxy."""

from __future__ import annotations

import json

import pytest
import requests

from tests.faults.live import PROXY_HEADERS

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.postgres
def test_gunicorn_logs_json_and_answers_a_plain_http_health_probe(
    live_app, demo_editor: dict[str, str]
) -> None:
    server = live_app(workers=1, threads=2)
    probe = requests.get(f"{server.base_url}/healthz", allow_redirects=False, timeout=10)
    assert probe.status_code == 200
    page = requests.get(f"{server.base_url}/login/", allow_redirects=False, timeout=10)
    assert page.status_code == 301  # everything else still goes to https
    token = "not-a-real-token-but-secret-0123456789"
    requests.get(f"{server.base_url}/s/{token}/", headers=PROXY_HEADERS, timeout=10)
    server.stop()
    text = server.log.with_suffix(".access.log").read_text()
    records = [json.loads(line) for line in text.splitlines() if line.strip()]
    assert len(records) >= 3
    assert all(isinstance(record["pid"], int) for record in records)
    assert token not in text
