"""Seed records with XSS payloads and check that pages render them inert."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import lxml.html

from postmortems.models import Event, Impact, Incident, Postmortem, Service
from tests.postmortems.test_markdown import load_xss_payloads

DANGEROUS_SCHEMES = ("javascript:", "vbscript:", "data:text/html")
URL_ATTRIBUTES = ("href", "src", "action", "formaction", "background", "xlink:href", "data")


def payloads() -> list[str]:
    # PostgreSQL text cannot hold NUL; the forms refuse it (Django's null-character validator).
    return [payload.replace("\0", "") for payload in load_xss_payloads()]


def seed_incident(slug: str = "xss") -> Incident:
    """Return an incident whose title, events and postmortem all carry payloads."""
    all_payloads = payloads()
    start = datetime(2025, 10, 20, 6, 48, tzinfo=UTC)
    incident = Incident.objects.create(
        slug=slug,
        title=all_payloads[1][:200],
        summary="\n".join(all_payloads[:40]),
        started_at=start,
    )
    service = Service.objects.create(name=all_payloads[20][:120], provider="<b>evil</b>")
    Impact.objects.create(incident=incident, service=service, started_at=start)
    for index, payload in enumerate(all_payloads):
        event = Event.objects.create(
            incident=incident,
            occurred_at=start + timedelta(minutes=index),
            kind="impact",
            title=payload[:300],
            description=payload,
            quote=payload,
            review_state="accepted",
        )
        event.services.add(service)
    body = "\n\n".join(
        f"## Payload {index}\n\n{payload}" for index, payload in enumerate(all_payloads)
    )
    Postmortem.objects.create(incident=incident, body=body, published_body=body, status="published")
    return incident


def active_content(html: str) -> list[str]:
    """Return every piece of the page that could run script and is not the app's own."""
    problems = []
    tree = lxml.html.document_fromstring(html)
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue
        tag = element.tag.lower().rsplit("}", 1)[-1]
        if tag == "script":
            source = element.get("src", "")
            if not (source.startswith("/static/") or element.get("type") == "application/json"):
                problems.append(f"script element: {lxml.html.tostring(element)[:120]!r}")
        if tag in {"iframe", "frame", "object", "embed", "applet", "base"}:
            problems.append(f"{tag} element")
        for name, value in element.attrib.items():
            lowered = name.lower()
            if lowered.startswith("on"):
                problems.append(f"{lowered} attribute on {tag}")
            if lowered == "style" and tag not in {"svg"}:
                problems.append(f"style attribute on {tag}: {value[:60]!r}")
            cleaned = "".join(ch for ch in value if ch.isprintable() and not ch.isspace()).lower()
            if lowered in URL_ATTRIBUTES and cleaned.startswith(DANGEROUS_SCHEMES):
                problems.append(f"{lowered}={value[:60]!r} on {tag}")
    return problems
