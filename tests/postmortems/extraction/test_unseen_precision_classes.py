"""Classes of proposed moments no reviewer would list, found on text the extractor had never
seen: tallies read at a clock, page stamps, schedules and deadlines, daily opening times, and
a writer's clock over what had not happened yet.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from postmortems.ingest.extraction import extract_timeline
from tests.postmortems.extraction.test_classes import instants, utc

# --------------------------------------------------------------------------- tallies


def test_a_count_read_at_a_clock_is_no_moment() -> None:
    text = (
        "On 4 March 2025 at 08:10 UTC the payment gateway of Foopay stopped answering.\n\n"
        "As of 11:00 UTC, the airline said it had cancelled 37 flights. By 12:30 UTC, nearly "
        "20,000 reports had reached the outage tracker, and it was still at about 9,000 at "
        "13:40 UTC.\n"
    )
    assert instants(extract_timeline(text)) == [utc("2025-03-04T08:10")]


def test_a_count_read_at_a_clock_is_no_moment_in_german() -> None:
    text = (
        "Am 4. März 2025 um 09:10 Uhr fiel das Bezahlsystem von Foopay aus.\n\n"
        "Bis 12 Uhr waren bereits mehr als 400 Flüge ausgefallen. Kurz vor 13 Uhr zählte das "
        "Portal über 900 Meldungen.\n"
    )
    assert instants(extract_timeline(text)) == [utc("2025-03-04T08:10")]


def test_a_count_that_peaks_or_begins_at_a_clock_stays_a_moment() -> None:
    text = (
        "On 4 March 2025, reports about Foopay began to spike at 08:10 UTC, and more than "
        "23,000 reports came in. The tracker showed a peak of 3,917 people reporting issues "
        "at 09:05 UTC.\n"
    )
    assert instants(extract_timeline(text)) == [utc("2025-03-04T08:10"), utc("2025-03-04T09:05")]


# --------------------------------------------------------------------------- page stamps


def test_an_update_stamp_of_the_page_is_no_moment() -> None:
    text = (
        "LISBON (Wire) -- (Updated 10:32 AM UTC) Customers of Foobank could not log in on "
        "4 March 2025 from 08:10 UTC.\n\n"
        "Page last updated at 15:52 GMT, Tuesday, 4 March 2025\n"
    )
    assert instants(extract_timeline(text)) == [utc("2025-03-04T08:10")]


def test_an_update_stamp_of_the_page_is_no_moment_in_german() -> None:
    text = (
        "Erstveröffentlichung 04.03.2025 · Aktualisiert 05.03.2025, Stand 10 Uhr\n\n"
        "Am 4. März 2025 um 09:10 Uhr fiel das Bezahlsystem von Foopay aus.\n"
    )
    assert instants(extract_timeline(text)) == [utc("2025-03-04T08:10")]


# --------------------------------------------------------------------------- schedules


def test_a_schedule_or_a_deadline_is_no_moment() -> None:
    text = (
        "On 4 March 2025 at 08:10 UTC, the ticket shop of Footix failed. General sales are set "
        "to begin on Friday, March 7th at 10:00 UTC. Customers have until March 9, 2025 at "
        "midnight UTC to claim a refund. The shop said it would notify buyers around 19:30 "
        "UTC.\n"
    )
    assert instants(extract_timeline(text)) == [utc("2025-03-04T08:10")]


def test_a_schedule_or_a_deadline_is_no_moment_in_german() -> None:
    text = (
        "Am 4. März 2025 um 09:10 Uhr fiel der Ticketshop von Footix aus. Wie der Betreiber "
        "mitteilte, wird der Verkauf bis 18 Uhr ausgesetzt.\n"
    )
    assert instants(extract_timeline(text)) == [utc("2025-03-04T08:10")]


def test_a_time_a_step_would_later_take_place_stays_a_moment() -> None:
    text = (
        "On 4 March 2025 at 08:10 UTC, a faulty config reached the Foopay gateways. It would "
        "later take the whole checkout down at 08:25 UTC.\n"
    )
    assert instants(extract_timeline(text)) == [utc("2025-03-04T08:10"), utc("2025-03-04T08:25")]


# --------------------------------------------------------------------------- daily times


def test_a_usual_opening_time_is_no_moment() -> None:
    text = (
        "On 4 March 2025 the Foo Exchange opened at 14:00 UTC rather than the usual 09:30 "
        "UTC, after a fault in its matching engine.\n"
    )
    assert instants(extract_timeline(text)) == [utc("2025-03-04T14:00")]


def test_a_usual_opening_time_is_no_moment_in_german() -> None:
    text = (
        "Die Foo-Börse hatte den Markt am 4. März 2025 wie üblich um 08.00 Uhr eröffnet. "
        "Um 10:15 Uhr fiel das Handelssystem aus.\n"
    )
    timed = [event.at for event in extract_timeline(text).events if not event.date_only]
    assert timed == [utc("2025-03-04T09:15")]


# --------------------------------------------------------------------------- nothing yet


def test_a_writer_s_clock_over_what_had_not_happened_is_no_moment() -> None:
    text = (
        "On 4 March 2025 at 08:10 UTC, Foopay's checkout stopped working. As of 11:45 UTC, "
        "Foopay had not posted another update, and neither had its parent company.\n"
    )
    assert instants(extract_timeline(text)) == [utc("2025-03-04T08:10")]


def test_a_writer_s_clock_over_what_had_not_happened_is_no_moment_in_german() -> None:
    text = (
        "Am 4. März 2025 um 09:10 Uhr fiel das Bezahlsystem von Foopay aus. Stand 23 Uhr hatte "
        "sich das Unternehmen noch nicht zu den Problemen geäußert.\n"
    )
    assert instants(extract_timeline(text)) == [utc("2025-03-04T08:10")]


# --------------------------------------------------------------------------- their day


def test_the_day_of_a_count_or_a_plan_is_no_day_event() -> None:
    text = (
        "On 4 March 2025 at 08:10 UTC, the booking system of Example Air failed.\n\n"
        "As of 14:00 UTC, Example Air had canceled 43 flights on Friday, March 7, 2025.\n\n"
        "We will provide another update by Saturday, 2025-03-08 13:00 UTC.\n"
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2025-03-04T08:10")]


def test_the_day_of_a_count_is_no_day_event_in_german() -> None:
    text = (
        "Am 4. März 2025 um 09:10 Uhr fiel das Buchungssystem von Example Air aus.\n\n"
        "Am Freitag, 7. März 2025, waren bis 14 Uhr bereits 430 Flüge ausgefallen.\n"
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2025-03-04T08:10")]


def test_a_tally_in_its_own_clause_after_a_change_is_no_moment() -> None:
    text = (
        "On 4 March 2025 at 08:10 UTC, the Foopay app stopped loading. Complaints jumped on "
        "Tuesday morning, according to an outage tracker, with more than 40,000 reports as "
        "of 10:59 UTC.\n"
    )
    timed = [event.at for event in extract_timeline(text).events if not event.date_only]
    assert timed == [utc("2025-03-04T08:10")]


# --------------------------------------------------------------------------- deadlines


def test_a_deadline_day_is_no_day_event() -> None:
    text = (
        "On 4 March 2025 at 08:10 UTC, the filing portal of Example Agency went down.\n\n"
        "Comments on the outage are due on or before April 16, 2025, and the agency will "
        "publish its findings after that.\n"
    )
    assert instants(extract_timeline(text)) == [utc("2025-03-04T08:10")]


def test_a_deadline_day_is_no_day_event_in_german() -> None:
    text = (
        "Am 4. März 2025 um 09:10 Uhr fiel das Steuerportal aus.\n\n"
        "Strafen für verspätete Zahlungen würden ohnehin erst ab dem 1. April fällig, "
        "erklärte die Behörde; Betroffene müssten wegen des Ausfalls nichts befürchten.\n"
    )
    assert instants(extract_timeline(text)) == [utc("2025-03-04T08:10")]


# --------------------------------------------------------------------------- bylines


def test_a_byline_s_clock_is_the_filing_time_and_dates_yesterday() -> None:
    text = (
        "Foopay checkout down for hours\n\n"
        "Mar 5, 2025 09:12 GMT · Example Wire\n\n"
        "Foopay's checkout failed yesterday from 08:10 UTC.\n"
    )
    assert instants(extract_timeline(text)) == [utc("2025-03-04T08:10")]


def test_an_author_line_with_an_accented_name_is_the_filing_stamp() -> None:
    text = (
        "Foopay checkout down for hours\n\n"
        "By Órla Ryan Wednesday 5 March 2025, 9:12 AM\n\n"
        "Foopay's checkout failed yesterday from 08:10 UTC.\n"
    )
    assert instants(extract_timeline(text)) == [utc("2025-03-04T08:10")]


def test_a_byline_s_clock_is_the_filing_time_in_german() -> None:
    text = (
        "Foopay-Kasse stundenlang gestört\n\n"
        "05.03.2025 10:12 Uhr · Beispielblatt\n\n"
        "Die Kasse von Foopay fiel gestern um 09:10 Uhr aus.\n"
    )
    assert instants(extract_timeline(text)) == [utc("2025-03-04T08:10")]


def test_a_posted_on_line_under_the_headline_is_no_day_event() -> None:
    text = (
        "Another storage outage\n\n"
        "*Posted on March 6, 2025*\n\n"
        "A quiet week, and then the storage service of Example Cloud failed on 4 March 2025 "
        "at 08:10 UTC.\n"
    )
    assert instants(extract_timeline(text)) == [utc("2025-03-04T08:10")]


def test_a_veroeffentlicht_am_line_under_the_headline_is_no_day_event() -> None:
    text = (
        "Wieder ein Speicherausfall\n\n"
        "*Veröffentlicht am 6. März 2025*\n\n"
        "Eine ruhige Woche, dann fiel der Speicherdienst von Example Cloud am 4. März 2025 um "
        "09:10 Uhr aus.\n"
    )
    assert instants(extract_timeline(text)) == [utc("2025-03-04T08:10")]
