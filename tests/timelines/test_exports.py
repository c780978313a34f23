"""Exports of an incident: every format for the demo incident, from the web and the API."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import UTC, timedelta
from html.parser import HTMLParser
from xml.etree import ElementTree

import markdown
import pytest
from django.contrib.auth.models import User
from django.test import Client
from pypdf import PdfReader
from rest_framework.test import APIClient

from postmortems.models import Event, Incident, ReviewState
from tests.factories import EventFactory
from timelines import exports

DEMO_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"
SVG = "{http://www.w3.org/2000/svg}svg"
TRICKY_QUOTE = 'He said, "roll it back", twice;\nthen: "done".\r\nA third line, with a | pipe.'


@pytest.fixture
def incident(demo: dict[str, int]) -> Incident:
    return Incident.objects.get(slug=DEMO_SLUG)


@pytest.fixture
def accepted(incident: Incident) -> list[Event]:
    return list(
        Event.objects.filter(incident=incident, review_state=ReviewState.ACCEPTED).order_by(
            "occurred_at", "id"
        )
    )


def _stakeholder(incident: Incident, *, include_postmortem: bool = False) -> exports.Account:
    return exports.account_for(
        incident, audience=exports.Audience.STAKEHOLDER, include_postmortem=include_postmortem
    )


def _internal(incident: Incident) -> exports.Account:
    return exports.account_for(incident, audience=exports.Audience.INTERNAL)


def _pdf_pages(content: bytes) -> list:
    return list(PdfReader(io.BytesIO(content)).pages)


# --------------------------------------------------------------------------- Markdown


def test_markdown_export_parses_and_holds_every_accepted_event_with_its_time(
    incident: Incident, accepted: list[Event]
) -> None:
    text = exports.markdown_export(_internal(incident))
    html = markdown.markdown(text, extensions=["tables"])
    cells = re.findall(r"<td>(.*?)</td>", html)
    assert len(accepted) > 10
    for event in accepted:
        assert event.title in cells or event.title.replace("&", "&amp;") in cells, event.title
        assert event.occurred_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") in cells
    assert "7. Dezember 2021" not in text  # the demo's rejected event
    assert text.startswith(f"# {incident.title}\n")


def test_markdown_table_survives_pipes_and_newlines_in_titles(incident: Incident) -> None:
    EventFactory(
        incident=incident, title="Failover | part 1\nand more", occurred_at=incident.started_at
    )
    html = markdown.markdown(exports.markdown_export(_internal(incident)), extensions=["tables"])
    assert "<td>Failover | part 1 and more</td>" in html


def test_internal_markdown_holds_the_current_postmortem_with_headings_demoted(
    incident: Incident,
) -> None:
    text = exports.markdown_export(_internal(incident))
    assert "## Postmortem (Draft (not published))" in text
    assert "\n## Postmortem: AWS us-east-1 DynamoDB DNS failure" in text
    assert "\n### Root cause\n" in text
    assert "Load-test DWFM lease recovery after a long DynamoDB outage (ec2 team)" in text


# -------------------------------------------------------------------------------- CSV


def test_csv_round_trips_one_row_per_accepted_event(
    incident: Incident, accepted: list[Event]
) -> None:
    tricky = EventFactory(incident=incident, title="Rollback", quote=TRICKY_QUOTE)
    rows = list(csv.reader(io.StringIO(exports.csv_export(_stakeholder(incident)), newline="")))
    assert rows[0] == list(exports.CSV_HEADER)
    assert len(rows) == len(accepted) + 1 + 1  # the demo's accepted events, the tricky one, header
    assert all(len(row) == len(exports.CSV_HEADER) for row in rows)
    by_title = {row[3]: row for row in rows[1:]}
    assert by_title["Rollback"][7] == TRICKY_QUOTE
    assert by_title["Rollback"][0] == tricky.occurred_at.astimezone(UTC).strftime(
        "%Y-%m-%dT%H:%M:%SZ"
    )
    first = rows[1]
    assert first[:3] == ["2025-10-20T06:48:00Z", "T+00:00", "trigger"]


def test_csv_cells_cannot_start_a_spreadsheet_formula(incident: Incident) -> None:
    EventFactory(incident=incident, title='=HYPERLINK("http://evil.example","x")')
    rows = list(csv.reader(io.StringIO(exports.csv_export(_internal(incident)))))
    titles = [row[3] for row in rows[1:]]
    assert '\'=HYPERLINK("http://evil.example","x")' in titles
    assert not any(title.startswith("=") for title in titles)


# -------------------------------------------------------------------------------- PDF


@pytest.mark.pdf
def test_pdf_has_its_expected_pages_and_holds_the_title(incident: Incident) -> None:
    # The print layout: the facts (one page, a second when the impact table is long, as the
    # demo's 17 services make it), then the timeline and the cascade each on a landscape
    # page, then the events (17 rows: two pages), then the postmortem when there is one.
    pages = _pdf_pages(exports.pdf_export(_stakeholder(incident)))
    assert len(pages) == 6
    landscape = [
        index for index, page in enumerate(pages) if page.mediabox.width > page.mediabox.height
    ]
    assert landscape == [2, 3]
    assert "Timeline" in pages[2].extract_text()
    assert "How the failure spread" in pages[3].extract_text()
    assert pages[4].extract_text().lstrip().startswith("Events")
    first_page = pages[0].extract_text()
    assert "AWS us-east-1: DynamoDB DNS record emptied" in " ".join(first_page.split())


@pytest.mark.pdf
def test_the_pdf_renderer_understands_every_rule_of_the_export_stylesheet(
    incident: Incident, caplog: pytest.LogCaptureFixture
) -> None:
    # WeasyPrint reads media types only: a rule for narrow screens in the print stylesheet
    # was dropped with two warnings in the worker's log on every PDF.
    with caplog.at_level("WARNING", logger="weasyprint"):
        exports.pdf_export(_stakeholder(incident))
    assert [record.getMessage() for record in caplog.records if record.name == "weasyprint"] == []


@pytest.mark.pdf
def test_pdf_grows_with_the_events_and_with_the_postmortem(incident: Incident) -> None:
    base = len(_pdf_pages(exports.pdf_export(_stakeholder(incident))))
    with_postmortem = len(_pdf_pages(exports.pdf_export(_internal(incident))))
    assert with_postmortem >= base + 1  # the postmortem starts a page of its own
    for number in range(60):
        EventFactory(
            incident=incident,
            title=f"Extra event {number}",
            occurred_at=incident.started_at + timedelta(minutes=number),
        )
    assert len(_pdf_pages(exports.pdf_export(_stakeholder(incident)))) > base


@pytest.mark.pdf
def test_pdf_fetches_nothing_from_the_network(incident: Incident) -> None:
    from postmortems.models import Postmortem

    Postmortem.objects.filter(incident=incident).update(
        body="![graph](https://203.0.113.9/graph.png)\n\nText stays."
    )
    text = "".join(
        page.extract_text() for page in _pdf_pages(exports.pdf_export(_internal(incident)))
    )
    assert "Text stays." in text


# -------------------------------------------------------------------------------- SVG


@pytest.mark.parametrize("picture", ["timeline", "cascade"])
def test_svg_exports_are_valid_xml_documents(incident: Incident, picture: str) -> None:
    file = exports.export_file(_stakeholder(incident), f"{picture}.svg")
    root = ElementTree.fromstring(file.content)
    assert root.tag == SVG
    assert file.content.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert file.filename == f"{DEMO_SLUG}-{picture}.svg"
    assert f"cz-{picture}" in root.get("class")


# ------------------------------------------------------------------------------- HTML


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.references: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in {"src", "href", "srcset", "poster", "data", "xlink:href"} and value:
                self.references.append((tag, name, value))


def test_html_export_is_standalone_except_for_links_to_sources(incident: Incident) -> None:
    from postmortems.models import Postmortem

    Postmortem.objects.filter(incident=incident).update(
        body="Look: ![graph](https://images.example/graph.png)\n\n[runbook](https://wiki.example/runbook)"
    )
    account = _internal(incident)
    document = exports.html_export(account)
    parser = _References()
    parser.feed(document)
    source_urls = {source.url for source in account.timeline.sources.values()}
    for tag, name, value in parser.references:
        if not re.match(r"(?i)\s*(https?:)?//", value):
            continue
        assert tag == "a", (tag, name, value)  # only links, never a fetched resource
        assert name == "href"
        assert value in source_urls or value == "https://wiki.example/runbook", value
    assert "<link" not in document
    assert "<script" not in document
    assert "url(" not in document.replace("url(#", "")
    assert document.count("<svg") == 2
    assert "images.example" not in document


# ------------------------------------------------------------------------------- JSON


def test_json_export_is_the_timeline_payload(incident: Incident, viewer: User) -> None:
    exported = json.loads(exports.json_export(_internal(incident)))
    api = APIClient()
    api.force_authenticate(viewer)
    assert exported == api.get(f"/api/v1/incidents/{DEMO_SLUG}/timeline/").json()


# --------------------------------------------------------------------- web and permissions


@pytest.mark.parametrize(
    ("path", "content_type", "filename"),
    [
        ("export.md", "text/markdown; charset=utf-8", "postmortem.md"),
        ("export.json", "application/json", "timeline.json"),
        ("export.csv", "text/csv; charset=utf-8", "timeline.csv"),
        ("export.html", "text/html; charset=utf-8", "postmortem.html"),
        pytest.param("export.pdf", "application/pdf", "postmortem.pdf", marks=pytest.mark.pdf),
        ("timeline.svg", "image/svg+xml", "timeline.svg"),
        ("cascade.svg", "image/svg+xml", "cascade.svg"),
    ],
)
def test_viewer_downloads_every_export_from_the_incident(
    viewer_client: Client, incident: Incident, path: str, content_type: str, filename: str
) -> None:
    response = viewer_client.get(f"/incidents/{DEMO_SLUG}/{path}")
    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{DEMO_SLUG}-{filename}"'
    assert response["Cache-Control"] == "private, no-store"
    assert response.content


def test_anonymous_visitor_is_sent_to_log_in_for_internal_exports(incident: Incident) -> None:
    for path in ("export.md", "export.pdf", "timeline.svg"):
        response = Client().get(f"/incidents/{DEMO_SLUG}/{path}")
        assert response.status_code == 302
        assert response["Location"].startswith("/login/")


def test_unknown_export_format_is_a_404(viewer_client: Client, incident: Incident) -> None:
    assert viewer_client.get(f"/incidents/{DEMO_SLUG}/export.exe").status_code == 404
    assert viewer_client.get(f"/incidents/{DEMO_SLUG}/other.svg").status_code == 404


def test_internal_export_shows_what_stakeholders_do_not_see(
    viewer_client: Client, incident: Incident
) -> None:
    text = viewer_client.get(f"/incidents/{DEMO_SLUG}/export.md").content.decode()
    assert "Load-test DWFM lease recovery" in text  # not public
    assert "dns-automation team" in text  # owners


# ------------------------------------------------------------------------------- API


@pytest.fixture
def api(viewer: User) -> APIClient:
    client = APIClient()
    client.force_authenticate(viewer)
    return client


@pytest.mark.parametrize(
    ("query", "content_type", "filename"),
    [
        ("format=md", "text/markdown", "postmortem.md"),
        ("format=json", "application/json", "timeline.json"),
        ("format=csv", "text/csv", "timeline.csv"),
        ("format=html", "text/html", "postmortem.html"),
        pytest.param("format=pdf", "application/pdf", "postmortem.pdf", marks=pytest.mark.pdf),
        ("format=svg", "image/svg+xml", "timeline.svg"),
        ("format=svg&picture=cascade", "image/svg+xml", "cascade.svg"),
    ],
)
def test_api_exports_every_format(
    api: APIClient, incident: Incident, query: str, content_type: str, filename: str
) -> None:
    response = api.get(f"/api/v1/incidents/{DEMO_SLUG}/export/?{query}")
    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{DEMO_SLUG}-{filename}"'


def test_api_export_follows_the_accept_header(api: APIClient, incident: Incident) -> None:
    response = api.get(f"/api/v1/incidents/{DEMO_SLUG}/export/", HTTP_ACCEPT="text/csv")
    assert response["Content-Type"].startswith("text/csv")
    assert response.content.startswith(b"time_utc,offset,kind")


def test_api_export_needs_authentication_and_answers_json(incident: Incident) -> None:
    response = APIClient().get(f"/api/v1/incidents/{DEMO_SLUG}/export/?format=pdf")
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert isinstance(response.json(), dict)  # the API's error envelope, not a file


def test_api_export_rejects_an_unknown_picture_and_format(
    api: APIClient, incident: Incident
) -> None:
    bad_picture = api.get(f"/api/v1/incidents/{DEMO_SLUG}/export/?format=svg&picture=pie")
    assert bad_picture.status_code == 400
    assert "picture" in json.dumps(bad_picture.json())
    assert api.get(f"/api/v1/incidents/{DEMO_SLUG}/export/?format=exe").status_code == 404
    assert api.get("/api/v1/incidents/no-such-incident/export/?format=md").status_code == 404


def test_api_export_is_described_in_the_openapi_schema(api: APIClient) -> None:
    from drf_spectacular.generators import SchemaGenerator

    schema = SchemaGenerator().get_schema(request=None, public=True)
    operation = schema["paths"]["/api/v1/incidents/{slug}/export/"]["get"]
    content = operation["responses"]["200"]["content"]
    assert set(content) == {
        "application/json",
        "text/markdown",
        "text/csv",
        "text/html",
        "application/pdf",
        "image/svg+xml",
    }
    names = {parameter["name"] for parameter in operation["parameters"]}
    assert {"format", "picture", "slug"} <= names


def test_without_pango_the_pdf_export_is_a_clear_503_and_other_formats_work(
    editor_client, demo, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys

    monkeypatch.setitem(sys.modules, "weasyprint", None)  # what a machine without Pango gives
    response = editor_client.get(f"/incidents/{DEMO_SLUG}/export.pdf")
    assert response.status_code == 503
    assert "PDF export needs the Pango text library" in response.content.decode()
    assert editor_client.get(f"/incidents/{DEMO_SLUG}/export.md").status_code == 200
    api = editor_client.get(f"/api/v1/incidents/{DEMO_SLUG}/export/?format=pdf")
    assert api.status_code == 503
    assert "Pango" in api.content.decode()
