"""Unit tests of the timeline extraction core: each form it reads, each warning it raises."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from postmortems.ingest.extraction import (
    CatalogueEntry,
    Extraction,
    ProposedEvent,
    detect_language,
    extract_timeline,
    extraction_to_json,
)

CATALOGUE = (
    CatalogueEntry("DynamoDB", ("Amazon DynamoDB", "DDB")),
    CatalogueEntry("EC2", ("Amazon EC2", "EC2-Instanz")),
    CatalogueEntry("Route 53"),
    CatalogueEntry("Network Load Balancer", ("NLB", "Load Balancer")),
    CatalogueEntry("Lambda", ("AWS Lambda",)),
    CatalogueEntry("Slack"),
    CatalogueEntry("Atlassian"),
    CatalogueEntry("Snapchat"),
    CatalogueEntry("Starbucks"),
)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def instants(extraction: Extraction) -> list[datetime]:
    return [event.at for event in extraction.events]


def only_event(extraction: Extraction) -> ProposedEvent:
    assert len(extraction.events) == 1, extraction.events
    return extraction.events[0]


# --------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("sentence", "language"),
    [
        ("On October 20, 2025 at 09:35 UTC the service recovered.", "en"),
        ("On Oct 20 at 09:35 UTC the service recovered.", "en"),
        ("On Oct. 20 at 09:35 UTC the service recovered.", "en"),
        ("On 20 October at 09:35 UTC the service recovered.", "en"),
        ("On Monday, Oct. 20 at 09:35 UTC the service recovered.", "en"),
        ("On 2025-10-20 at 09:35 UTC the service recovered.", "en"),
        ("Am 20. Oktober 2025 um 09:35 UTC war der Dienst wiederhergestellt.", "de"),
        ("Am 20.10.2025 um 09:35 UTC war der Dienst wiederhergestellt.", "de"),
        ("Am Montag, 20. Oktober, um 09:35 UTC war der Dienst wiederhergestellt.", "de"),
    ],
)
def test_each_date_form_dates_the_time(sentence: str, language: str) -> None:
    extraction = extract_timeline(sentence, reference_date=date(2025, 10, 22))
    event = only_event(extraction)
    assert event.at == utc("2025-10-20T09:35")
    assert extraction.language == language


def test_german_day_with_year_is_read() -> None:
    event = only_event(extract_timeline("Am 7. Dezember 2021 um 12:35 UTC begann der Ausfall."))
    assert event.at == utc("2021-12-07T12:35")


def test_yearless_date_takes_the_year_of_the_previous_date() -> None:
    text = "On December 30, 2021 the outage began at 22:00 UTC. On Jan 2 at 10:00 UTC it ended."
    assert instants(extract_timeline(text)) == [utc("2021-12-30T22:00"), utc("2022-01-02T10:00")]


def test_yearless_date_without_context_is_a_warning_not_a_guess() -> None:
    extraction = extract_timeline("On Oct 20 at 09:35 UTC the service recovered.")
    assert extraction.events == ()
    assert {"date_without_year", "time_without_date"} <= extraction.warning_codes()


def test_iso_timestamp_is_one_moment() -> None:
    event = only_event(extract_timeline("2025-10-20T09:35:00Z service restored"))
    assert event.at == utc("2025-10-20T09:35")
    assert event.source_timezone == "UTC"


def test_lower_case_may_is_a_verb_not_a_month() -> None:
    extraction = extract_timeline("Requests may 5 times fail at 09:35 UTC.")
    assert extraction.events == ()


# --------------------------------------------------------------------------- times and zones


@pytest.mark.parametrize(
    ("text", "expected", "zone"),
    [
        (
            "On October 19, 2025 at 11:48 PM PDT errors began.",
            "2025-10-20T06:48",
            "America/Los_Angeles",
        ),
        (
            "On October 20, 2025 at 2:25 a.m. PT errors began.",
            "2025-10-20T09:25",
            "America/Los_Angeles",
        ),
        (
            "On December 7, 2021 at 2:25 a.m. PT errors began.",
            "2021-12-07T10:25",
            "America/Los_Angeles",
        ),
        ("On October 20, 2025 at 09:35 UTC errors began.", "2025-10-20T09:35", "UTC"),
        ("Am 19. Juli 2024 um 14:30 MESZ begann der Ausfall.", "2024-07-19T12:30", "Europe/Berlin"),
        ("On June 8, 2021 at 17:45 GMT errors began.", "2021-06-08T17:45", "UTC"),
        (
            "Am 7. Dezember 2021 um 8:50 Uhr MEZ begann der Ausfall.",
            "2021-12-07T07:50",
            "Europe/Berlin",
        ),
        (
            "On October 20, 2025 at 7:11 AM EDT errors began.",
            "2025-10-20T11:11",
            "America/New_York",
        ),
        ("On October 20, 2025 at 10:11 BST errors began.", "2025-10-20T09:11", "Europe/London"),
        ("On October 20, 2025 at 14:41 IST errors began.", "2025-10-20T09:11", "Asia/Kolkata"),
        ("On October 20, 2025 at 11:11 UTC+2 errors began.", "2025-10-20T09:11", "Etc/GMT-2"),
        ("On October 20, 2025 at 3 PM ET errors began.", "2025-10-20T19:00", "America/New_York"),
    ],
)
def test_time_with_zone_becomes_utc(text: str, expected: str, zone: str) -> None:
    event = only_event(extract_timeline(text))
    assert event.at == utc(expected)
    assert event.source_timezone == zone


def test_german_uhr_time_without_zone_is_berlin_with_warning() -> None:
    extraction = extract_timeline("Am 7. Dezember 2021 um 12:35 Uhr begann der Ausfall.")
    event = only_event(extraction)
    assert event.at == utc("2021-12-07T11:35")
    assert event.source_timezone == "Europe/Berlin"
    assert "time_without_zone" in extraction.warning_codes()


def test_english_time_without_any_zone_is_utc_with_warning() -> None:
    extraction = extract_timeline("On October 20, 2025 at 3:01 PM the service recovered.")
    assert only_event(extraction).at == utc("2025-10-20T15:01")
    assert only_event(extraction).source_timezone == "UTC"
    assert "time_without_zone" in extraction.warning_codes()


def test_default_timezone_applies_without_warning() -> None:
    extraction = extract_timeline(
        "On October 20, 2025 at 3:01 PM the service recovered.", default_timezone="America/Chicago"
    )
    assert only_event(extraction).at == utc("2025-10-20T20:01")
    assert "time_without_zone" not in extraction.warning_codes()


def test_unknown_default_timezone_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown time zone"):
        extract_timeline("x", default_timezone="Mars/Olympus")


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # US daylight saving ended on 2 November 2025 at 2:00 local time.
        ("November 1, 2025", "2025-11-01T16:00"),
        ("November 3, 2025", "2025-11-03T17:00"),
    ],
)
def test_pacific_time_follows_the_daylight_saving_change(day: str, expected: str) -> None:
    event = only_event(extract_timeline(f"On {day} at 9:00 AM PT errors began."))
    assert event.at == utc(expected)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # Berlin moved to summer time on 30 March 2025.
        ("29. März 2025", "2025-03-29T08:00"),
        ("31. März 2025", "2025-03-31T07:00"),
    ],
)
def test_berlin_time_follows_the_daylight_saving_change(day: str, expected: str) -> None:
    extraction = extract_timeline(
        f"Alle Zeiten in deutscher Zeit. Am {day} um 9:00 Uhr begann der Ausfall."
    )
    assert only_event(extraction).at == utc(expected)


def test_summer_label_in_winter_is_read_as_written_and_says_so() -> None:
    # The text names UTC-7; a guess that the writer meant the wall clock (UTC-8) does not
    # override it, it is the warning's question.
    extraction = extract_timeline("On December 7, 2021 at 7:30 AM PDT errors began.")
    assert only_event(extraction).at == utc("2021-12-07T14:30")
    assert "zone_label_mismatch" in extraction.warning_codes()


def test_zone_carries_forward_from_the_last_stated_zone() -> None:
    text = "On July 2, 2019 at 13:42 UTC a change was deployed. At 13:45 the first alert fired."
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2019-07-02T13:42"), utc("2019-07-02T13:45")]
    assert "time_without_zone" not in extraction.warning_codes()


def test_dotted_german_time_needs_uhr() -> None:
    extraction = extract_timeline(
        "Am 8. Juni 2021 um 11.47 Uhr MESZ fiel Fastly aus. Version 11.47 hilft."
    )
    assert instants(extraction) == [utc("2021-06-08T09:47")]


def test_ip_addresses_and_ratios_are_not_times() -> None:
    text = "On October 4, 2021 the resolver 1.1.1.1 answered 10.0.0.1:53 with a 1:1 ratio."
    # No clock time; whether the dated sentence is a moment is the day's question.
    assert [e for e in extract_timeline(text).events if e.precision != "day"] == []


# --------------------------------------------------------------------------- zone declarations


@pytest.mark.parametrize(
    ("declaration", "zone", "expected"),
    [
        ("All times PDT.", "America/Los_Angeles", "2025-10-20T16:00"),
        ("All times are in Pacific Time.", "America/Los_Angeles", "2025-10-20T16:00"),
        # MEZ names UTC+1 even on a summer-time day: read as written, and warned.
        ("Alle Zeiten in MEZ.", "Europe/Berlin", "2025-10-20T08:00"),
        ("(alle Zeitangaben in UTC)", "UTC", "2025-10-20T09:00"),
    ],
)
def test_document_zone_declaration_applies_to_unzoned_times(
    declaration: str, zone: str, expected: str
) -> None:
    text = f"{declaration}\nOn October 20, 2025 at 9:00 the errors began."
    extraction = extract_timeline(text, language="en")
    event = only_event(extraction)
    assert event.source_timezone == zone
    assert event.at == utc(expected)
    assert "time_without_zone" not in extraction.warning_codes()


def test_declaration_at_the_end_still_applies() -> None:
    text = "Am 19. Juli 2024 um 6:09 Uhr wurde das Update verteilt.\n\nAlle Zeitangaben in MESZ."
    extraction = extract_timeline(text)
    assert only_event(extraction).at == utc("2024-07-19T04:09")
    assert "time_without_zone" not in extraction.warning_codes()


# --------------------------------------------------------------------------- ranges


def test_between_range_with_dates_gives_start_and_end_events() -> None:
    text = (
        "Between 11:49 PM PDT on October 19 and 2:24 AM PDT on October 20, 2025, we "
        "experienced increased error rates."
    )
    extraction = extract_timeline(text)
    start, end = extraction.events
    assert (start.at, end.at) == (utc("2025-10-20T06:49"), utc("2025-10-20T09:24"))
    assert (start.range_role, end.range_role) == ("start", "end")
    assert (start.kind, end.kind) == ("impact", "recovery")
    assert start.quote == end.quote == text


def test_from_to_range_shares_the_zone_written_at_its_end() -> None:
    text = "On October 20, 2025, from 06:48 to 09:40 UTC, DynamoDB returned errors."
    extraction = extract_timeline(text, catalogue=CATALOGUE)
    assert instants(extraction) == [utc("2025-10-20T06:48"), utc("2025-10-20T09:40")]
    assert "time_without_zone" not in extraction.warning_codes()
    assert all(event.services == ("DynamoDB",) for event in extraction.events)


def test_german_zwischen_range() -> None:
    text = "Am 20. Oktober 2025 gab es zwischen 8:49 und 11:24 Uhr Fehler bei DynamoDB."
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2025-10-20T06:49"), utc("2025-10-20T09:24")]
    assert [e.range_role for e in extraction.events] == ["start", "end"]


def test_range_over_midnight_ends_the_next_day() -> None:
    text = "On October 19, 2025, from 23:10 to 01:30 UTC, requests failed."
    assert instants(extract_timeline(text)) == [utc("2025-10-19T23:10"), utc("2025-10-20T01:30")]


def test_range_that_ends_before_it_starts_is_flagged() -> None:
    text = "On October 20, 2025, from 14:00 to 09:00 UTC, requests failed."
    assert "contradictory_times" in extract_timeline(text).warning_codes()


def test_range_start_takes_the_day_before_when_it_runs_over_midnight() -> None:
    text = "Between 11:49 PM and 2:24 AM PDT on October 20, 2025, errors were elevated."
    assert instants(extract_timeline(text)) == [utc("2025-10-20T06:49"), utc("2025-10-20T09:24")]


# --------------------------------------------------------------------------- carried dates


def test_time_without_date_takes_the_last_stated_date() -> None:
    text = "On October 20, 2025, DynamoDB failed.\nAt 09:35 UTC the service was restored."
    # The failure told by its day alone is a day event of its own beside the timed fix.
    timed = [e for e in extract_timeline(text).events if not e.date_only]
    assert len(timed) == 1, timed
    event = timed[0]
    assert event.at == utc("2025-10-20T09:35")
    assert event.date_basis == "carried"


def test_clock_going_back_past_midnight_means_the_next_day() -> None:
    text = (
        "On October 19, 2025 at 11:48 PM PDT errors began. At 12:38 AM PDT engineers "
        "identified the cause. By 1:15 AM PDT mitigations were in place."
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [
        utc("2025-10-20T06:48"),
        utc("2025-10-20T07:38"),
        utc("2025-10-20T08:15"),
    ]
    assert extraction.events[1].date_basis == "rollover"
    assert "ambiguous_rollover" not in extraction.warning_codes()


def test_a_modest_step_back_in_the_same_paragraph_is_an_ambiguous_rollover() -> None:
    text = "On October 20, 2025 at 21:00 UTC errors began. At 10:30 UTC the service recovered."
    extraction = extract_timeline(text)
    assert instants(extraction)[1] == utc("2025-10-21T10:30")
    assert "ambiguous_rollover" in extraction.warning_codes()


def test_a_short_step_back_is_a_flashback_on_the_same_day() -> None:
    text = (
        "On October 20, 2025 at 10:30 UTC we identified the cause. "
        "At 09:15 UTC a change was deployed."
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2025-10-20T10:30"), utc("2025-10-20T09:15")]
    assert "ambiguous_rollover" not in extraction.warning_codes()


def test_a_summary_restating_earlier_times_in_a_new_paragraph_does_not_roll_over() -> None:
    text = (
        "On December 7, 2021 at 7:30 AM PST the event began. At 2:22 PM PST all devices "
        "recovered.\n\nEC2 APIs were impaired from 7:30 AM PST until 2:40 PM PST."
    )
    extraction = extract_timeline(text, catalogue=CATALOGUE)
    assert utc("2021-12-07T22:40") in instants(extraction)
    assert all(event.at.date() == date(2021, 12, 7) for event in extraction.events)


def test_undated_evening_time_before_a_dated_morning_belongs_to_the_evening_before() -> None:
    text = (
        "Between 5:30 AM and 2:09 PM PDT on October 20, 2025, NLB errors were elevated.\n"
        "At 11:48 PM PDT, DynamoDB DNS failed. At 12:38 AM PDT on October 20 we identified it."
    )
    extraction = extract_timeline(text, catalogue=CATALOGUE)
    assert utc("2025-10-20T06:48") in instants(extraction)
    assert utc("2025-10-21T06:48") not in instants(extraction)


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("30 minutes later", "2025-10-20T10:05"),
        ("An hour later", "2025-10-20T10:35"),
        ("Eine Stunde später", "2025-10-20T10:35"),
        ("20 Minuten danach", "2025-10-20T09:55"),
        ("Fifteen minutes later", "2025-10-20T09:50"),
    ],
)
def test_relative_phrase_is_anchored_to_the_previous_moment(phrase: str, expected: str) -> None:
    text = f"On October 20, 2025 at 09:35 UTC errors began. {phrase}, the service recovered."
    extraction = extract_timeline(text, language="en")
    assert instants(extraction) == [utc("2025-10-20T09:35"), utc(expected)]
    assert extraction.events[1].date_basis == "relative"


def test_relative_phrase_with_nothing_before_it_is_a_warning() -> None:
    extraction = extract_timeline("30 minutes later, the service recovered.")
    assert extraction.events == ()
    assert "relative_without_anchor" in extraction.warning_codes()


def test_time_with_no_date_anywhere_is_a_warning_not_an_event() -> None:
    extraction = extract_timeline("At 09:35 UTC the service recovered.")
    assert extraction.events == ()
    assert "time_without_date" in extraction.warning_codes()


def test_reference_date_supplies_the_missing_date() -> None:
    extraction = extract_timeline(
        "At 09:35 UTC the service recovered.", reference_date=date(2025, 10, 20)
    )
    event = only_event(extraction)
    assert event.at == utc("2025-10-20T09:35")
    assert event.date_basis == "reference"
    assert "time_without_date" not in extraction.warning_codes()


def test_glued_sidebar_dates_are_not_incident_dates() -> None:
    text = "22/10/2025Andrej Karpathy sagt etwas\n22/10/2025Der Ausfall begann um 09:35 UTC."
    extraction = extract_timeline(text)
    assert all(event.date_basis == "context" for event in extraction.events)
    assert "date_inferred" in extraction.warning_codes()


def test_publication_line_times_are_not_events() -> None:
    text = "Stand: 19.07.2024 18:30 Uhr\n\nAm 19. Juli 2024 um 6:09 Uhr MESZ begann der Ausfall."
    assert instants(extract_timeline(text)) == [utc("2024-07-19T04:09")]


def test_date_only_sentence_with_a_clear_cue_is_a_day_event() -> None:
    text = "On October 21, 2025, AWS published a summary of the event."
    event = only_event(extract_timeline(text))
    assert (event.precision, event.kind, event.at) == (
        "day",
        "communication",
        utc("2025-10-21T00:00"),
    )
    assert event.date_only


def test_day_event_is_dropped_when_the_day_has_precise_times() -> None:
    text = "On October 20, 2025, DynamoDB had an outage. At 06:48 UTC errors began."
    extraction = extract_timeline(text)
    assert [event.precision for event in extraction.events] == ["minute"]


def test_date_without_a_cue_is_not_an_event() -> None:
    assert extract_timeline("The meeting is on October 21, 2025.").events == ()


# --------------------------------------------------------------------------- services


@pytest.mark.parametrize(
    ("sentence", "services"),
    [
        ("Die DynamoDB-Abhängigkeit versagte.", ("DynamoDB",)),
        ("EC2-Instanzen begannen zu versagen.", ("EC2",)),
        ("Die Drosselung von EC2-Instanz-Starts half.", ("EC2",)),
        ("Slacking engineers noticed nothing.", ()),
        ("Users of Slack, Atlassian and Snapchat saw errors.", ("Slack", "Atlassian", "Snapchat")),
        ("amazon dynamodb and ddb errors rose.", ("DynamoDB",)),
        ("Some Network Load Balancers (NLB) failed.", ("Network Load Balancer",)),
        ("AWS Lambda and Route 53 failed.", ("Lambda", "Route 53")),
        ("Route53 is not how the catalogue spells it.", ()),
        ("The Lambdaexpress app is not Lambda.", ("Lambda",)),
    ],
)
def test_services_are_matched_by_whole_word_name_or_alias(
    sentence: str, services: tuple[str, ...]
) -> None:
    text = f"On October 20, 2025 at 09:00 UTC: {sentence}"
    event = only_event(extract_timeline(text, catalogue=CATALOGUE, language="en"))
    assert event.services == services


# --------------------------------------------------------------------------- kinds


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        # Reviewers label the start of an outage as impact; the change that caused it
        # is the trigger (issue 11's labelled set).
        ("the outage began", "impact"),
        ("an engineer ran a command with a typo", "trigger"),
        ("a faulty change triggered the event", "trigger"),
        ("monitoring detected the problem", "detection"),
        ("engineers identified the root cause", "detection"),
        ("an alarm fired for the API", "detection"),
        ("customers saw elevated errors", "impact"),
        ("the incident was escalated to the on-call director", "escalation"),
        ("the team throttled new launches", "mitigation"),
        ("the change was rolled back", "mitigation"),
        ("the issue was mitigated", "mitigation"),
        ("all services recovered", "recovery"),
        ("the service was restored", "recovery"),
        ("error rates returned to normal", "recovery"),
        ("we posted an update to the status page", "communication"),
        ("engineers rebooted a coffee machine", "note"),
    ],
)
def test_english_cue_words_give_the_kind(sentence: str, kind: str) -> None:
    text = f"On October 20, 2025 at 09:00 UTC {sentence}."
    assert only_event(extract_timeline(text)).kind == kind


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("begann der Ausfall", "impact"),
        ("wurde der Fehler durch ein Update ausgelöst", "trigger"),
        ("wurde das Problem bemerkt", "detection"),
        ("wurde die Ursache festgestellt", "detection"),
        ("sahen Nutzer Fehlerseiten", "impact"),
        ("kam es zum Ausfall von DynamoDB", "impact"),
        ("begann die Drosselung neuer Starts", "mitigation"),
        ("war der Fehler behoben", "recovery"),  # the trouble told as fixed (d28883a)
        ("war der Dienst wiederhergestellt", "recovery"),
        ("stellten die Ingenieure den Dienst wieder her", "recovery"),
        ("wurde den Kunden mitgeteilt, dass gearbeitet wird", "communication"),
    ],
)
def test_german_cue_words_give_the_kind(sentence: str, kind: str) -> None:
    text = f"Am 20. Oktober 2025 um 09:00 UTC {sentence}."
    assert only_event(extract_timeline(text)).kind == kind


def test_each_time_takes_the_cue_nearest_to_it() -> None:
    text = (
        "The event started at 11:48 PM UTC on October 19, 2025 "
        "and ended at 2:20 PM UTC on October 20."
    )
    assert [e.kind for e in extract_timeline(text).events] == ["trigger", "recovery"]


def test_status_page_timestamp_line_takes_the_entry_above_it() -> None:
    text = (
        "Investigating - We are investigating errors for DynamoDB.\nOct 20, 2025 - 07:11 UTC\n\n"
        "Resolved - This incident has been resolved.\nOct 20, 2025 - 16:04 UTC"
    )
    first, second = extract_timeline(text, catalogue=CATALOGUE).events
    assert (first.kind, first.services) == ("detection", ("DynamoDB",))
    assert first.quote.startswith("Investigating - ")
    assert second.kind == "recovery"


# --------------------------------------------------------------------------- warnings


def test_dates_of_two_incidents_are_flagged_with_both_dates() -> None:
    text = (
        "On December 7, 2021 at 15:30 UTC the network failed.\n"
        "On October 20, 2025 at 06:48 UTC DynamoDB failed."
    )
    extraction = extract_timeline(text)
    warning = next(w for w in extraction.warnings if w.code == "multiple_incidents")
    assert "2021-12-07" in warning.message
    assert "2025-10-20" in warning.message


def test_a_multi_day_incident_is_one_incident() -> None:
    text = (
        "On April 5, 2022 at 07:38 UTC sites went down. On April 7, 2022 at 10:00 UTC some "
        "recovered. On April 9, 2022 at 12:00 UTC more recovered. On April 11, 2022 at "
        "09:00 UTC all were restored."
    )
    assert "multiple_incidents" not in extract_timeline(text).warning_codes()


def test_recovery_before_the_start_it_follows_is_contradictory() -> None:
    text = "On October 20, 2025 at 12:35 UTC the outage began. At 09:35 UTC services were restored."
    assert "contradictory_times" in extract_timeline(text).warning_codes()


def test_recovery_after_the_start_is_not_contradictory() -> None:
    text = "On October 20, 2025 at 06:48 UTC the outage began. At 09:35 UTC services were restored."
    assert "contradictory_times" not in extract_timeline(text).warning_codes()


def test_newest_first_status_log_is_not_contradictory() -> None:
    text = (
        "Resolved - Services recovered.\nOct 20, 2025 - 16:00 UTC\n\n"
        "Update - Errors continue.\nOct 20, 2025 - 12:00 UTC\n\n"
        "Identified - The outage began after a deploy.\nOct 20, 2025 - 09:00 UTC"
    )
    assert "contradictory_times" not in extract_timeline(text).warning_codes()


def test_every_warning_carries_a_message() -> None:
    extraction = extract_timeline("At 09:35 the service recovered. 30 minutes later, all good.")
    assert extraction.warnings
    assert all(warning.message for warning in extraction.warnings)


# --------------------------------------------------------------------------- language and output


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Die Dienste waren nicht erreichbar, weil der Ausfall sich ausbreitete.", "de"),
        ("The services were unavailable because the outage spread.", "en"),
        ("", "en"),
        ("12:35 09:35", "en"),
    ],
)
def test_language_is_detected_by_function_words(text: str, language: str) -> None:
    assert detect_language(text) == language


def test_explicit_language_wins_and_unknown_language_is_rejected() -> None:
    assert extract_timeline("The outage", language="de").language == "de"
    with pytest.raises(ValueError, match="unsupported language"):
        extract_timeline("x", language="fr")


def test_dry_run_json_keeps_the_agreed_keys_and_adds_the_evidence() -> None:
    text = "Am 20. Oktober 2025 um 11:35 Uhr stellten die Ingenieure DynamoDB wieder her."
    payload = extraction_to_json(extract_timeline(text, catalogue=CATALOGUE))
    assert set(payload) == {"language", "events", "warnings"}
    assert payload["language"] == "de"
    (event,) = payload["events"]
    assert set(event) == {
        "at",
        "precision",
        "kind",
        "services",
        "quote",
        "start",
        "end",
        "confidence",
        # added by the document-context pipeline; the keys above keep their meaning
        "source_timezone",
        "date_basis",
        "date_evidence",
        "zone_basis",
        "zone_evidence",
        "new_services",
    }
    assert event["date_evidence"] == 'date written with the time: "20. Oktober 2025"'
    assert event["zone_basis"] == "language"
    assert event["at"] == "2025-10-20T09:35:00Z"
    assert (event["kind"], event["services"], event["precision"]) == (
        "recovery",
        ["DynamoDB"],
        "minute",
    )
    assert text[event["start"] : event["end"]] == event["quote"]
    assert all(set(w) == {"code", "message"} for w in payload["warnings"])
    assert [w["code"] for w in payload["warnings"]] == ["time_without_zone"]


def test_html_markup_is_ignored_but_offsets_point_into_the_html() -> None:
    html = "<p>On <b>October 20, 2025</b> at 09:35 UTC the service was restored.</p><p>Next.</p>"
    event = only_event(extract_timeline(html))
    assert event.at == utc("2025-10-20T09:35")
    assert html[event.start : event.end] == event.quote
    assert event.kind == "recovery"


def test_events_are_in_text_order() -> None:
    text = "On October 20, 2025 at 09:35 UTC it recovered. It had begun at 06:48 UTC."
    extraction = extract_timeline(text)
    assert [e.start for e in extraction.events] == sorted(e.start for e in extraction.events)
    assert instants(extraction) == [utc("2025-10-20T09:35"), utc("2025-10-20T06:48")]


def test_year_first_date_heading_dates_the_time() -> None:
    event = only_event(
        extract_timeline("### 2018 October 21 22:52 UTC\n\nA network partition began.")
    )
    assert event.at == utc("2018-10-21T22:52")


def test_midnight_after_an_evening_time_is_the_next_day() -> None:
    text = (
        "Am 4. Oktober 2021 um 23:30 Uhr MESZ war Facebook wieder erreichbar. "
        "Gegen Mitternacht lief alles wieder."
    )
    assert instants(extract_timeline(text))[1] == utc("2021-10-04T22:00")


def test_narrative_after_a_two_day_range_is_placed_inside_the_range() -> None:
    text = (
        "Between 15:41 UTC on 29 October and 00:05 UTC on 30 October 2025, requests failed.\n\n"
        "At 17:30 UTC, we blocked configuration changes. At 00:05 UTC the impact was mitigated."
    )
    # The second 00:05 repeats the range's end and is dropped as a duplicate.
    assert instants(extract_timeline(text)) == [
        utc("2025-10-29T15:41"),
        utc("2025-10-30T00:05"),
        utc("2025-10-29T17:30"),
    ]
