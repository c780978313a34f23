"""Clock times the extractor used to miss or misread: forms, zones and tallies.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from postmortems.ingest.extraction import extract_timeline
from tests.postmortems.extraction.test_classes import instants, utc

# --------------------------------------------------------------------------- hour words


def test_a_german_hour_written_as_a_word_is_a_clock_time() -> None:
    text = (
        "Am Montag, 3. Juni 2024, fiel das Netz der Bank ab etwa acht Uhr aus. "
        "Kurz vor zwölf Uhr funktionierte es wieder.\n"
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2024-06-03T06:00"), utc("2024-06-03T10:00")]
    assert extraction.events[0].precision == "approximate"


def test_a_number_word_without_uhr_is_no_time() -> None:
    text = "Am 3. Juni 2024 fiel das Netz für acht Stunden aus; zwei Uhren zeigten Unsinn.\n"
    extraction = extract_timeline(text)
    assert all(event.date_only for event in extraction.events)


# --------------------------------------------------------------------------- tallies


def test_a_tally_of_reports_read_off_at_a_time_is_no_moment() -> None:
    text = (
        "Am 3. Juni 2024 fiel der Messenger gegen 10 Uhr aus. Um 10.20 Uhr hatten 5200 "
        "Personen eine Störung gemeldet. Gegen 12 Uhr lief er wieder.\n"
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2024-06-03T08:00"), utc("2024-06-03T10:00")]


def test_reports_counted_after_a_time_are_no_moment() -> None:
    text = (
        "On June 3, 2024 the carrier's network failed at 4 a.m. ET. Downdetector logged more "
        "than 12,000 outage reports after 9 a.m. ET. Service was restored at 3 p.m. ET.\n"
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2024-06-03T08:00"), utc("2024-06-03T19:00")]


# --------------------------------------------------------------------------- zone names


def test_mitteleuropaeische_zeit_is_the_local_clock_in_summer_too() -> None:
    text = "Am 3. Juni 2024 fiel der Dienst um 9.30 Uhr mitteleuropäischer Zeit aus.\n"
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2024-06-03T07:30")]
    assert "zone_label_mismatch" not in extraction.warning_codes()


def test_a_country_s_clock_named_in_german_is_the_time_s_zone() -> None:
    text = (
        "Am Freitag, 7. Juni 2024, um 17:00 Uhr Eastern Time fiel der Spieledienst aus. Erste "
        "Beschwerden kamen gegen Mitternacht (französische Zeit). Um 2:46 Uhr morgens in "
        "Frankreich meldete sich der Support auf X.\n"
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [
        utc("2024-06-07T21:00"),
        utc("2024-06-07T22:00"),
        utc("2024-06-08T00:46"),
    ]
    zones = [event.source_timezone for event in extraction.events]
    assert zones[1:] == ["Europe/Paris", "Europe/Paris"]


def test_oestlicher_zeit_is_us_eastern_time() -> None:
    text = "Am 22. Februar 2024 fiel das Mobilfunknetz gegen 4 Uhr morgens östlicher Zeit aus.\n"
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2024-02-22T09:00")]


# --------------------------------------------------------------------------- "Stand" in prose


def test_stand_inside_a_paragraph_is_a_time_of_the_story_not_a_page_stamp() -> None:
    text = (
        "Ausfall beim Cloud-Anbieter\n\n"
        "Stand: 14.12.2023, 16:10 Uhr\n\n"
        "Am 14.12.2023 zeigte die Statusseite zunächst grün. Stand 13:30 Uhr meldete sie dann "
        "bei allen Diensten eine Störung.\n"
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2023-12-14T12:30")]


# --------------------------------------------------------------------------- a place's clock


def test_a_text_about_one_place_reads_its_bare_times_in_that_place_s_clock() -> None:
    text = (
        "Card payments failed across the UK on Saturday 8 June 2024. The fault began at "
        "2.10pm and was fixed by 6.40pm.\n"
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2024-06-08T13:10"), utc("2024-06-08T17:40")]
    assert {event.zone_basis for event in extraction.events} == {"place"}
    codes = extraction.warning_codes()
    assert "zone_from_place" in codes
    assert "time_without_zone" not in codes


def test_a_text_naming_places_in_several_zones_guesses_no_place() -> None:
    text = (
        "Card payments failed across the UK and the US on Saturday 8 June 2024. The fault "
        "began at 2.10pm.\n"
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2024-06-08T14:10")]
    assert "time_without_zone" in extraction.warning_codes()


def test_alerting_a_regulator_is_a_statement_not_a_detection() -> None:
    text = (
        "On 8 June 2024 at 09:05 UTC the operator alerted Ofcom about the failed calls. "
        "At 08:40 UTC engineers were alerted by monitoring.\n"
    )
    extraction = extract_timeline(text)
    assert [(event.at, event.kind) for event in extraction.events] == [
        (utc("2024-06-08T09:05"), "communication"),
        (utc("2024-06-08T08:40"), "detection"),
    ]


def test_monitoring_that_alerted_our_engineers_is_the_detection() -> None:
    text = "On 8 June 2024 at 08:40 UTC monitoring alerted our on-call engineers.\n"
    extraction = extract_timeline(text)
    assert [event.kind for event in extraction.events] == ["detection"]


# --------------------------------------------------------------------------- list labels


def test_list_items_labelled_by_their_span_are_moments() -> None:
    text = (
        "The outage of 8 June 2024, all times UTC:\n\n"
        "- 06:10 to 07:20: errors rose on every payment request.\n"
        "- 07.20 to 8.45: the team tried to switch to its backup data centre.\n"
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [
        utc("2024-06-08T06:10"),
        utc("2024-06-08T07:20"),
        utc("2024-06-08T08:45"),
    ]
    assert extraction.events[-1].kind == "mitigation"


def test_version_numbers_are_no_dotted_times() -> None:
    text = "On 8 June 2024 at 09:00 UTC the client moved from 1.10 to 1.12 and from 2.05 to 2.07.\n"
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2024-06-08T09:00")]


def test_a_disaster_recovery_site_names_no_recovery() -> None:
    text = (
        "On 8 June 2024 at 09:00 UTC the control plane was moved to the disaster recovery site.\n"
    )
    extraction = extract_timeline(text)
    assert [event.kind for event in extraction.events] != ["recovery"]
