"""One test per class of text issue 11 names, each on a short text written for it."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from postmortems.ingest.extraction import CatalogueEntry, Extraction, extract_timeline


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def instants(extraction: Extraction) -> list[datetime]:
    return [event.at for event in extraction.events]


def date_only_days(text: str, *, reference: date) -> set[date]:
    """Return the days of the date-only events extracted with `reference` as the day."""
    extraction = extract_timeline(text, reference_date=reference)
    return {event.at.date() for event in extraction.events if event.date_only}


def hours(text: str, *, reference: date) -> list[tuple[int, int]]:
    """Return the UTC hour and minute of every event extracted with `reference`."""
    extraction = extract_timeline(text, reference_date=reference)
    return [(moment.hour, moment.minute) for moment in instants(extraction)]


# --------------------------------------------------------------------------- a zone stated once


def test_preamble_zone_applies_to_the_bare_times_of_the_list_below_it() -> None:
    text = (
        "All times are Pacific Daylight Time (PDT).\n\n"
        "October 20, 2025\n"
        "- 1:05 AM: error rates rose for the queue service.\n"
        "- 2:40 AM: engineers rolled back the change.\n"
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2025-10-20T08:05"), utc("2025-10-20T09:40")]
    assert all(e.zone_basis == "declared" for e in extraction.events)
    assert "zone from the preamble: Pacific Daylight Time" in extraction.events[0].zone_evidence
    assert "time_without_zone" not in extraction.warning_codes()


def test_zone_stated_with_the_first_time_carries_to_later_bare_times() -> None:
    text = (
        "On 3 March 2024 at 9:00 AM (SAST) the payment gateway stopped answering.\n"
        "At 9:40 AM the team failed over to the standby site.\n"
        "At 11:15 AM all payments were processed again."
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [
        utc("2024-03-03T07:00"),
        utc("2024-03-03T07:40"),
        utc("2024-03-03T09:15"),
    ]
    assert extraction.events[1].zone_basis == "carried"
    assert '"9:00 AM (SAST)"' in extraction.events[1].zone_evidence


def test_a_second_declaration_replaces_the_first_for_the_times_after_it() -> None:
    text = (
        "All times in UTC.\nOn 5 May 2024 at 10:00 the sync job failed.\n\n"
        "For our Berlin office, all times below are in CEST.\n"
        "On 5 May 2024 at 14:00 the office network recovered."
    )
    first, second = extract_timeline(text).events
    assert first.at == utc("2024-05-05T10:00")
    assert second.at == utc("2024-05-05T12:00")
    assert second.source_timezone == "Europe/Berlin"


# --------------------------------------------------------------------------- the date lives elsewhere


def test_headline_date_range_dates_the_bare_times_and_the_midnight_crossing() -> None:
    text = (
        "Storage outage, 19-20 October 2025\n\n"
        "23:49 UTC - replication lag alarms fired.\n"
        "02:24 UTC - the primary was failed over.\n"
        "09:38 UTC - all volumes were fully restored.\n"
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [
        utc("2025-10-19T23:49"),
        utc("2025-10-20T02:24"),
        utc("2025-10-20T09:38"),
    ]
    assert extraction.events[0].date_evidence == 'date from the headline: "19-20 October 2025"'
    assert extraction.events[1].date_basis == "rollover"


def test_publication_date_from_metadata_dates_on_tuesday_in_a_news_item() -> None:
    text = "The video service went dark on Tuesday. At 14:10 UTC on Tuesday viewers saw errors."
    extraction = extract_timeline(text, published_at=date(2025, 3, 12))  # a Wednesday
    (event,) = extraction.events
    assert event.at == utc("2025-03-11T14:10")
    assert event.date_basis == "weekday"
    assert '"Tuesday"' in event.date_evidence


def test_dateline_is_the_publication_date_not_an_event() -> None:
    text = (
        "SEATTLE, Oct 21 (Newswire) - A cloud provider said on Monday that its outage ended. "
        "The outage began at 3:11 a.m. ET on Monday and was resolved by 6:01 p.m. ET."
    )
    extraction = extract_timeline(text, reference_date=date(2025, 10, 20))
    assert instants(extraction) == [utc("2025-10-20T07:11"), utc("2025-10-20T22:01")]


def test_list_entry_date_in_brackets_dates_its_time() -> None:
    text = (
        "Incident log, 2024\n\n"
        "- 22:10 UTC: disk latency alerts paged the on-call engineer (Nov 3)\n"
        "- 04:30 UTC: the array was rebuilt and service restored (Nov 4)\n"
    )
    assert instants(extract_timeline(text)) == [
        utc("2024-11-03T22:10"),
        utc("2024-11-04T04:30"),
    ]


def test_year_from_the_title_metadata_dates_yearless_dates() -> None:
    text = "On Jan 4 at 14:00 UTC the chat service went down for most users."
    extraction = extract_timeline(text, title="Chat outage of January 2021")
    assert instants(extraction) == [utc("2021-01-04T14:00")]
    assert "date_without_year" not in extraction.warning_codes()


def test_year_from_the_url_dates_yearless_dates() -> None:
    text = "On Jan 4 at 14:00 UTC the chat service went down for most users."
    extraction = extract_timeline(text, url="https://example.com/blog/2021/chat-outage")
    assert instants(extraction) == [utc("2021-01-04T14:00")]


# --------------------------------------------------------------------------- midnight


def test_evening_time_before_a_dated_morning_is_on_the_day_before() -> None:
    text = (
        "Our timeline (all times UTC):\n"
        "23:49 - the certificate expired.\n"
        "June 2, 2024 02:24 - the new certificate was deployed.\n"
    )
    assert instants(extract_timeline(text)) == [
        utc("2024-06-01T23:49"),
        utc("2024-06-02T02:24"),
    ]


# --------------------------------------------------------------------------- clock forms


@pytest.mark.parametrize(
    ("sentence", "expected", "precision"),
    [
        ("On 8 June 2021 at 1352 UTC the cache nodes crashed.", "2021-06-08T13:52", "minute"),
        ("On 8 June 2021 at 8:00 p.m. EDT the cache nodes crashed.", "2021-06-09T00:00", "minute"),
        (
            "On 8 June 2021 around 15:40 UTC the cache nodes crashed.",
            "2021-06-08T15:40",
            "approximate",
        ),
        (
            "Am 8. Juni 2021 gegen 9:35 Uhr MESZ fielen die Server aus.",
            "2021-06-08T07:35",
            "approximate",
        ),
        ("Am 8. Juni 2021 um 8.15 Uhr MESZ fielen die Server aus.", "2021-06-08T06:15", "minute"),
        ("On 8 June 2021 at 3.14pm GMT the cache nodes crashed.", "2021-06-08T15:14", "minute"),
    ],
)
def test_clock_forms(sentence: str, expected: str, precision: str) -> None:
    (event,) = extract_timeline(sentence).events
    assert event.at == utc(expected)
    assert event.precision == precision


def test_one_moment_written_in_two_zones_is_one_event() -> None:
    text = "On 12 May 2024 at 15:35 UTC (7:35 am PT) the login service recovered."
    (event,) = extract_timeline(text).events
    assert event.at == utc("2024-05-12T15:35")
    assert event.source_timezone == "UTC"


def test_range_with_one_zone_gives_both_ends_that_zone() -> None:
    text = "On 4 April 2024, 17:51–18:23 IST, payments failed for most customers."
    start, end = extract_timeline(text).events
    assert (start.at, end.at) == (utc("2024-04-04T12:21"), utc("2024-04-04T12:53"))
    assert start.source_timezone == end.source_timezone == "Asia/Kolkata"
    assert (start.range_role, end.range_role) == ("start", "end")


# --------------------------------------------------------------------------- the text wins over a guess


def test_a_stated_date_is_kept_even_far_from_the_cited_sources() -> None:
    text = (
        "Sources: https://example.com/outage-report-march-3-2025\n\n"
        "On 9 January 2023 at 10:00 UTC the same cluster had failed once before."
    )
    extraction = extract_timeline(text)
    (event,) = extraction.events
    assert event.at == utc("2023-01-09T10:00")
    assert event.date_basis == "stated"
    warning = next(w for w in extraction.warnings if w.code == "date_far_from_sources")
    assert "2025-03-03" in warning.message
    assert "kept" in warning.message


def test_a_carried_date_moved_to_the_cited_incident_is_always_warned() -> None:
    text = (
        "Back on 9 January 2023 at 10:00 UTC the same cluster had failed.\n"
        "This time engineers restored the cluster at 09:35 UTC.\n"
        "Sources: https://example.com/outage-report-march-3-2025\n"
    )
    extraction = extract_timeline(text)
    recovery = next(e for e in extraction.events if e.kind == "recovery")
    assert recovery.at == utc("2025-03-03T09:35")
    assert recovery.date_basis == "context"
    assert "a guess" in recovery.date_evidence
    warning = next(w for w in extraction.warnings if w.code == "date_inferred")
    assert "2023-01-09" in warning.message


# --------------------------------------------------------------------------- services


def test_products_the_catalogue_lacks_are_proposed_with_their_provider() -> None:
    text = "On 29 October 2025 at 16:00 UTC Azure Front Door and Entra ID returned errors."
    (event,) = extract_timeline(text, catalogue=[CatalogueEntry("Entra ID")]).events
    assert event.services == ("Entra ID",)
    assert [(s.name, s.provider) for s in event.new_services] == [
        ("Azure Front Door", "Microsoft Azure")
    ]


def test_capitalised_product_phrase_after_a_provider_name_is_proposed() -> None:
    text = "On 3 May 2024 at 10:00 UTC the Acme Cloud team saw AWS Elemental Relay fail."
    (event,) = extract_timeline(text).events
    assert [(s.name, s.provider) for s in event.new_services] == [("AWS Elemental Relay", "AWS")]


@pytest.mark.parametrize(
    "text",
    [
        "On Monday, 3 May 2024 at 10:00 UTC The network failed. October was calm.",
        "Am 3. Mai 2024 um 10:00 UTC meldete AWS Fehler: Die Ingenieure Suchten Die Ursache.",
        "On 3 May 2024 at 10:00 UTC Amazon Engineers In Seattle looked at it.",
    ],
)
def test_ordinary_capitalised_words_are_not_proposed_as_services(text: str) -> None:
    assert all(event.new_services == () for event in extract_timeline(text).events)


# --------------------------------------------------------------------------- kinds


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("we began to see recovery in the eu-west region", "recovery"),
        ("all regions had fully recovered", "recovery"),
        ("we applied a fix to the routing layer", "mitigation"),
        ("we were alerted by synthetic checks", "detection"),
        ("the engineers were alerted to elevated latency", "detection"),
        ("the service was declared fully operational", "recovery"),
        ("users began reporting problems", "impact"),
    ],
)
def test_kind_cues_tell_detection_mitigation_and_recovery_apart(sentence: str, kind: str) -> None:
    (event,) = extract_timeline(f"On 3 May 2024 at 10:00 UTC {sentence}.").events
    assert event.kind == kind


@pytest.mark.parametrize(
    ("entry", "kind"),
    [
        ("Investigating - We are looking into failed logins.", "detection"),
        ("Identified - The cause is a bad certificate.", "detection"),
        ("Monitoring - A fix has been rolled out.", "mitigation"),
        ("Resolved - Logins work normally again.", "recovery"),
    ],
)
def test_status_page_state_words_give_the_kind(entry: str, kind: str) -> None:
    (event,) = extract_timeline(f"{entry}\nMay 3, 2024 - 10:00 UTC").events
    assert event.kind == kind


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("war die Störung vollständig behoben", "recovery"),
        ("wurden die Techniker alarmiert", "detection"),
        ("funktionierten die Dienste für alle Nutzer wieder", "recovery"),
    ],
)
def test_german_kind_cues(sentence: str, kind: str) -> None:
    (event,) = extract_timeline(f"Am 3. Mai 2024 um 10:00 UTC {sentence}.").events
    assert event.kind == kind


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("Between 1:30 and 3:15 p.m. ET on May 3, 2024 logins failed.", ["17:30", "19:15"]),
        ("Between 11:30 and 1:15 p.m. ET on May 3, 2024 logins failed.", ["15:30", "17:15"]),
        ("Between 10 and 11 a.m. PT on May 3, 2024 logins failed.", ["17:00", "18:00"]),
        ("Am 3. Mai 2024 gab es zwischen 8 und 11 Uhr MESZ Störungen.", ["06:00", "09:00"]),
        ("On May 3, 2024, UTC 14:30 - the API failed.", ["14:30"]),
        ("2024-05-03T09:35:00+02:00 service restored", ["07:35"]),
    ],
)
def test_range_and_zone_forms(sentence: str, expected: list[str]) -> None:
    extraction = extract_timeline(sentence)
    assert [f"{e.at:%H:%M}" for e in extraction.events] == expected
    assert all(e.at.date() == date(2024, 5, 3) for e in extraction.events)
    assert "time_without_zone" not in extraction.warning_codes()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Yesterday at 9:35 a.m. ET the bank app failed.", "2024-05-03T13:35"),
        ("Gestern gegen 9:35 Uhr MESZ fiel die App aus.", "2024-05-03T07:35"),
        ("The bank app failed today at 9:35 a.m. ET.", "2024-05-04T13:35"),
    ],
)
def test_yesterday_and_today_count_from_the_publication_date(text: str, expected: str) -> None:
    (event,) = extract_timeline(text, published_at=date(2024, 5, 4)).events
    assert event.at == utc(expected)
    assert "publication date" in event.date_evidence


def test_yesterday_without_a_publication_date_dates_nothing() -> None:
    extraction = extract_timeline("Yesterday at 9:35 a.m. ET the bank app failed.")
    assert extraction.events == ()
    assert "time_without_date" in extraction.warning_codes()


def test_tz_database_zone_declared_after_the_times_and_each_cue_with_its_own_time() -> None:
    text = (
        "Incident began at 2024-05-02 09:05 and ended at 2024-05-02 11:15 "
        "(all times are US/Pacific)."
    )
    start, end = extract_timeline(text).events
    assert (start.at, start.kind) == (utc("2024-05-02T16:05"), "impact")
    assert (end.at, end.kind) == (utc("2024-05-02T18:15"), "recovery")
    assert start.source_timezone == "US/Pacific"


def test_status_page_entries_stamped_posted_are_events_newest_first() -> None:
    text = (
        "Resolved - This incident has been resolved.\nPosted Feb 21, 2024 - 18:02 PST\n\n"
        "Monitoring - A fix has been implemented.\nPosted Feb 21, 2024 - 16:40 PST\n\n"
        "Investigating - We are investigating degraded performance.\nPosted Feb 21, 2024 - 15:12 PST\n"
    )
    extraction = extract_timeline(text)
    assert [(e.at, e.kind) for e in extraction.events] == [
        (utc("2024-02-22T02:02"), "recovery"),
        (utc("2024-02-22T00:40"), "mitigation"),
        (utc("2024-02-21T23:12"), "detection"),
    ]
    assert "contradictory_times" not in extraction.warning_codes()


def test_range_with_a_date_at_each_end() -> None:
    text = "Between 2024-01-08 14:10 and 2024-01-08 16:45 US/Pacific, load balancers returned 502s."
    start, end = extract_timeline(text).events
    assert (start.at, start.range_role, end.at, end.range_role) == (
        utc("2024-01-08T22:10"),
        "start",
        utc("2024-01-09T00:45"),
        "end",
    )


def test_a_time_restated_in_brackets_after_a_m_stays_in_its_sentence() -> None:
    text = "On March 5, 2024 the problems started at about 7:15 a.m. (0715 GMT) and were fixed by 11:30 a.m."
    start, fixed = extract_timeline(text).events
    assert (start.at, start.kind) == (utc("2024-03-05T07:15"), "impact")
    assert (fixed.at, fixed.kind) == (utc("2024-03-05T11:30"), "recovery")
    assert start.quote == fixed.quote


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("Gegen 7 Uhr MEZ meldeten die ersten Nutzer Probleme.", "impact"),
        ("Gegen 10:30 Uhr MEZ war die Störung behoben.", "recovery"),
    ],
)
def test_german_reports_and_resolution(sentence: str, kind: str) -> None:
    (event,) = extract_timeline(f"Am 14. Juni 2023: {sentence}").events
    assert event.kind == kind


def test_alerting_that_notifies_on_call_is_detection() -> None:
    (event,) = extract_timeline(
        "2024-01-08 14:22 UTC - Automated alerting notified on-call engineers."
    ).events
    assert event.kind == "detection"


def test_a_clause_break_keeps_each_cue_with_its_own_time() -> None:
    text = (
        "Shortly after 2 p.m. ET on June 13, 2024, users reported outages; "
        "by 4 p.m. ET the company said it was back."
    )
    first, second = extract_timeline(text).events
    assert (first.kind, second.kind) == ("impact", "recovery")


def test_table_header_declares_the_zone_of_its_column() -> None:
    text = (
        "| Time (UTC) | Event |\n|---|---|\n| 2024-06-03 08:12 | Deploy of version 4.2 started |\n"
    )
    (event,) = extract_timeline(text).events
    assert (event.at, event.zone_basis) == (utc("2024-06-03T08:12"), "declared")


def test_an_apology_on_a_weekday_is_a_communication_day() -> None:
    text = "Am Donnerstag entschuldigte sich der Anbieter ausführlich für den Ausfall."
    (event,) = extract_timeline(text, published_at=date(2017, 3, 3)).events
    assert (event.at, event.precision, event.kind) == (
        utc("2017-03-02T00:00"),
        "day",
        "communication",
    )
