"""Documents summarise past a stated number of events; JSON and CSV stay complete."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta

import pytest

from postmortems.models import Incident
from tests.factories import EventFactory
from timelines import digest, exports
from timelines.cascade import EventRecord
from timelines.digest import event_digest

DEMO_SLUG = "aws-us-east-1-dynamodb-dns-2025-10-20"
START = datetime(2025, 10, 20, 6, 0, tzinfo=UTC)
KINDS = ("impact", "note", "trigger", "recovery")


def _events(count: int) -> list[EventRecord]:
    return [
        EventRecord(id=n, at=START + timedelta(minutes=n), kind=KINDS[n % 4], service_ids=())
        for n in range(count)
    ]


def test_at_most_the_limit_every_event_is_listed_and_nothing_is_said() -> None:
    events = _events(10)
    summary = event_digest(events, limit=10)
    assert summary.listed == tuple(events)
    assert not summary.summarised
    assert summary.windows == ()
    assert summary.note == ""


def test_past_the_limit_key_events_are_listed_spread_over_the_incident() -> None:
    summary = event_digest(_events(400), limit=50)
    assert summary.summarised
    assert len(summary.listed) <= 50
    assert {event.kind for event in summary.listed} <= {"trigger", "recovery"}
    # Spread: the listed events reach from the first hour to the last.
    assert summary.listed[0].at - START < timedelta(minutes=10)
    assert START + timedelta(minutes=390) - summary.listed[-1].at < timedelta(minutes=20)
    assert list(summary.listed) == sorted(summary.listed, key=lambda e: (e.at, e.id))


def test_past_the_limit_windows_count_every_event_by_kind() -> None:
    summary = event_digest(_events(400), limit=50)
    assert sum(window.count for window in summary.windows) == 400
    totals: dict[str, int] = {}
    for window in summary.windows:
        assert window.count == sum(count for _, count in window.kinds)
        for kind, count in window.kinds:
            totals[kind] = totals.get(kind, 0) + count
    assert totals == {"impact": 100, "note": 100, "trigger": 100, "recovery": 100}
    assert len(summary.windows) <= digest.SUMMARY_WINDOWS


def test_the_note_states_the_limit_and_where_the_complete_record_is() -> None:
    note = event_digest(_events(400), limit=50).note
    assert "400 accepted events" in note
    assert "50" in note
    assert "JSON and CSV" in note


def test_events_all_at_one_moment_are_one_window() -> None:
    events = [EventRecord(id=n, at=START, kind="impact", service_ids=()) for n in range(30)]
    summary = event_digest(events, limit=10)
    assert [(w.count, w.started_at, w.ended_at) for w in summary.windows] == [(30, START, START)]


# ------------------------------------------------------------------------- exports


@pytest.fixture
def summarised(demo: dict[str, int], monkeypatch: pytest.MonkeyPatch) -> exports.Account:
    """The demo incident with 40 more events, and documents that list at most 10."""
    monkeypatch.setattr(digest, "DOCUMENT_EVENT_LIMIT", 10)
    incident = Incident.objects.get(slug=DEMO_SLUG)
    for n in range(40):
        EventFactory(
            incident=incident,
            occurred_at=incident.started_at + timedelta(minutes=n),
            kind="impact" if n % 2 else "mitigation",
            title=f"Bulk event {n:02d}",
        )
    return exports.account_for(incident, audience=exports.Audience.INTERNAL)


def test_html_export_past_the_limit_says_so_and_lists_at_most_the_limit(
    summarised: exports.Account,
) -> None:
    html = exports.html_export(summarised)
    total = len(summarised.timeline.events)
    assert f"This incident has {total:,} accepted events" in html
    assert html.count('<tr class="kind-') <= 10
    assert 'class="grid event-windows"' in html


def test_markdown_export_past_the_limit_lists_at_most_the_limit(
    summarised: exports.Account,
) -> None:
    text = exports.markdown_export(summarised)
    assert "JSON and CSV exports hold every event" in text
    assert sum("Bulk event" in line for line in text.splitlines()) <= 10


def test_json_and_csv_stay_the_complete_record(summarised: exports.Account) -> None:
    total = len(summarised.timeline.events)
    assert total > 40
    assert len(json.loads(exports.json_export(summarised))["events"]) == total
    rows = list(csv.reader(io.StringIO(exports.csv_export(summarised))))
    assert len(rows) == total + 1


def test_json_export_is_written_as_json_dumps_would_write_it(
    summarised: exports.Account,
) -> None:
    from timelines import payloads

    expected = json.dumps(
        payloads.timeline_payload(summarised.timeline), indent=2, ensure_ascii=False
    )
    assert exports.json_export(summarised) == expected + "\n"


def test_the_pdf_lists_fewer_events_than_the_other_documents(
    summarised: exports.Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "PDF_EVENT_LIMIT", 4)
    printed = exports.html_export(summarised, for_print=True)
    assert printed.count('<tr class="kind-') <= 4
    assert "more than the 4 a document lists" in printed
    assert exports.html_export(summarised).count('<tr class="kind-') > 4


def test_the_pdf_leaves_out_pictures_of_too_many_lanes_and_says_where_they_are(
    summarised: exports.Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert "<svg" in exports.html_export(summarised, for_print=True)
    monkeypatch.setattr(exports, "PDF_PICTURE_LANES", 1)
    printed = exports.html_export(summarised, for_print=True)
    assert "<svg" not in printed
    assert "SVG exports" in printed
    assert "<svg" in exports.html_export(summarised)


def test_the_pdf_lists_the_first_impacted_services_and_counts_the_rest(
    summarised: exports.Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "PDF_IMPACT_LIMIT", 2)
    impacts = summarised.impacts
    assert len(impacts) > 3
    printed = exports.html_export(summarised, for_print=True)
    table = printed[printed.index('class="grid impacts') : printed.index("</table>")]
    rest = impacts[2:]

    assert table.count('<tr><th scope="row"') == 2
    assert impacts[0].service in table
    assert f"And {len(rest)} more impacted service" in printed
    assert f"{sum(line.level == 'outage' for line in rest)} with an outage" in printed
    assert "JSON export lists every service" in printed
    assert 'class="lane-list"' not in printed  # phones' list of lanes: never printed
    document = exports.html_export(summarised)
    assert "more impacted service" not in document
    assert document.count('<tr><th scope="row"') == len(impacts)


def test_documents_group_lanes_past_the_picture_limit_and_say_so(
    summarised: exports.Account, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(exports, "PICTURE_LANES", 2)
    document = exports.html_export(summarised)
    grouped = len(summarised.timeline.reconstruction.windows) - 2

    assert 'class="lane summary"' in document
    assert f"the other {grouped} are grouped by cascade depth" in document
    assert exports.html_export(summarised).count('class="lane-row') == len(summarised.impacts)
