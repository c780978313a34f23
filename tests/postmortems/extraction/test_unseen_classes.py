"""Classes of text found on the first sealed part (issue 11, second round).

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

import re
from datetime import date

import pytest

from postmortems.ingest.extraction import extract_timeline, kinds
from postmortems.ingest.extraction.model import KINDS
from tests.postmortems.extraction.test_classes import instants, utc

# --------------------------------------------------------------------------- date forms


def test_year_first_slashed_date_dates_the_time_after_it() -> None:
    text = (
        "Build service incident\n\nPublished Mar 3, 2019\n\n"
        "At 2019/03/02 7pm UTC, the build queue stopped draining.\n"
        "At 2019/03/02 8:15pm UTC, we restarted the schedulers."
    )
    assert instants(extract_timeline(text)) == [
        utc("2019-03-02T19:00"),
        utc("2019-03-02T20:15"),
    ]


def test_asctime_stamp_reads_its_year_and_zone_after_the_clock() -> None:
    text = (
        "The signing key expired, and every client failed its checks:\n\n"
        "    Expires: Jun 14 09:30:00 2022 GMT\n"
    )
    (event,) = extract_timeline(text).events
    assert event.at == utc("2022-06-14T09:30")
    assert event.zone_basis == "stated"


def test_ish_after_a_time_is_a_hedge_and_the_zone_still_applies() -> None:
    text = "On 4 May 2023 at 9pm-ish CEST the queue backed up."
    (event,) = extract_timeline(text).events
    assert (event.at, event.precision) == (utc("2023-05-04T19:00"), "approximate")


# --------------------------------------------------------------------------- non-moments


def test_window_of_lost_data_is_not_a_moment() -> None:
    text = (
        "On 9 Feb 2020 at 14:05 UTC the primary database was wiped by mistake. "
        "Orders (baskets, refunds, etc.) created between 08:10 UTC and 14:05 UTC are lost. "
        "We restored the copy that was made at 08:10 UTC, and at 16:30 UTC the shop was back online."
    )
    assert instants(extract_timeline(text)) == [utc("2020-02-09T14:05"), utc("2020-02-09T16:30")]


def test_writers_own_clock_is_not_a_moment() -> None:
    text = (
        "On March 2, 2024 the mail relay went down at 4:10am ET. "
        "At the time of writing (9:20pm ET), the vendor has not named a cause."
    )
    assert instants(extract_timeline(text)) == [utc("2024-03-02T09:10")]


def test_certificate_not_before_field_is_not_a_moment() -> None:
    text = (
        "The intermediate certificate ran out on 2 Aug 2023:\n\n"
        "    Not Before: Aug  2 10:00:00 2013 GMT\n"
        "    Not After : Aug  2 10:00:00 2023 GMT\n"
    )
    assert instants(extract_timeline(text)) == [utc("2023-08-02T10:00")]


def test_counting_window_is_not_a_moment() -> None:
    text = (
        "Am 8. Mai 2024 fiel der Dienst um 9:12 Uhr aus. Zwischen 10 und 11 Uhr gingen mehr "
        "als 20.000 Meldungen ein. Um 11:40 Uhr lief er wieder."
    )
    assert instants(extract_timeline(text)) == [utc("2024-05-08T07:12"), utc("2024-05-08T09:40")]


# --------------------------------------------------------------------------- days elsewhere


def test_date_line_under_the_headline_dates_a_weekday_in_the_story() -> None:
    text = (
        "Payments down for an hour\n\nMarch 8, 2024\n\n"
        "Card payments failed across Europe on Thursday. "
        "The outage began at 10:05 a.m. CET and ended at 11:10 a.m. CET."
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2024-03-07T09:05"), utc("2024-03-07T10:10")]
    # The date line says when the piece was written: no date-only event of its own.
    assert all(not event.date_only for event in extraction.events)


def test_byline_date_before_a_separator_is_not_an_event() -> None:
    text = (
        "# Queue outage review\n\n*May 30, 2024 · Review of the incident on May 2nd, 2024*\n\n"
        "On May 2nd, 2024 the queue stopped at 6:00am ET and recovered at 9:30am ET."
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2024-05-02T10:00"), utc("2024-05-02T13:30")]


def test_german_report_line_is_a_publication_stamp() -> None:
    text = (
        "Stromausfall im Rechenzentrum\n\nMeldung vom Freitag, 12.04.2024, 16:20:11 Uhr\n\n"
        "Am Freitagmorgen um 1:15 Uhr fiel die Stromversorgung aus. "
        "Um 5:40 Uhr liefen alle Systeme wieder."
    )
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc("2024-04-11T23:15"), utc("2024-04-12T03:40")]


# --------------------------------------------------------------------------- midnight


def test_time_inside_a_stated_range_does_not_cross_midnight() -> None:
    text = (
        "On June 3rd, 2024, our API was down from 2:10am ET to 7:45pm ET.\n\n"
        "The upstream provider was unreachable from around 2:30am ET, because of its DNS."
    )
    assert instants(extract_timeline(text)) == [
        utc("2024-06-03T06:10"),
        utc("2024-06-03T23:45"),
        utc("2024-06-03T06:30"),
    ]


# --------------------------------------------------------------------------- kinds


def kinds_of(text: str) -> list[str]:
    return [event.kind for event in extract_timeline(text).events]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "On 3 May 2024 the vendor said at 10:05 UTC that it had restored the service.",
            "recovery",
        ),
        (
            'On 3 May 2024 the CDN said at about 10:05 UTC: "We have implemented a fix."',
            "mitigation",
        ),
        (
            "Am 3. Mai 2024 meldete der Betreiber um 11:20 Uhr, das Feuer sei gelöscht.",
            "mitigation",
        ),
        ("On 3 May 2024 at 10:05 UTC the vendor said it would share more soon.", "communication"),
    ],
)
def test_reported_speech_takes_the_kind_of_what_was_said(text: str, kind: str) -> None:
    assert kinds_of(text) == [kind]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("On 7 June 2022 at 01:12 UTC a fire broke out in the battery room.", "trigger"),
        ("Am 7. Juni 2022 um 3:12 Uhr war ein Feuer im Batterieraum ausgebrochen.", "trigger"),
        ("On 7 June 2022 at 01:14 UTC the checkout came to a halt.", "impact"),
        ("Am 7. Juni 2022 um 3:14 Uhr funktionierte der Checkout nicht mehr.", "impact"),
        ("On 7 June 2022 at 01:30 UTC the operator terminated the runaway job.", "mitigation"),
        ("7 June 2022 02:05 UTC | Incident closed.", "recovery"),
        ("The root certificate expired on 7 June 2022 at 02:10 UTC.", "trigger"),
    ],
)
def test_cue_lexicon_names_the_moment_in_either_language(text: str, kind: str) -> None:
    assert kinds_of(text) == [kind]


def test_a_range_of_a_state_that_goes_on_is_a_note_at_both_ends() -> None:
    text = "On 7 June 2022:\n\n- 09:10–09:40 UTC: dashboards still degraded for some users\n"
    assert kinds_of(text) == ["note", "note"]


def test_every_cue_row_has_one_shape_for_both_languages() -> None:
    for row in kinds.LEXICON:
        assert row.kind in (
            *KINDS,
            kinds.CHANGE,
            kinds.WORSE,
            kinds.CAUSE,
            kinds.BLAME,
            kinds.ATTACK,
            kinds.START,
            kinds.MISTAKE,
            kinds.UNTIL,
        )
        assert row.english or row.german
        assert re.compile(row.pattern, re.IGNORECASE)


# --------------------------------------------------------------------------- restated moments


def test_german_coordinated_universal_time_is_utc() -> None:
    text = "Am 4. März 2024 habe man ab 9:40 Uhr koordinierter Weltzeit (UTC) Fehler bemerkt."
    (event,) = extract_timeline(text).events
    assert (event.at, event.zone_basis) == (utc("2024-03-04T09:40"), "stated")


def test_a_promised_update_time_is_not_a_moment() -> None:
    text = (
        "Mar 4, 2024 09:10 UTC: We are investigating errors on the login service "
        "and will provide an update by 10:00 UTC."
    )
    assert instants(extract_timeline(text)) == [utc("2024-03-04T09:10")]


def test_a_summary_time_without_a_cue_is_not_proposed_again() -> None:
    text = (
        "On 4 March 2024 at 10:02 UTC a bad rule reached the proxies. "
        "Traffic was largely flowing by 12:30.\n\n"
        "| 10:02 | Rule deployed | The rule reaches all proxies. |\n"
        "| 12:30 | Main impact resolved | Traffic is back to normal. |\n"
    )
    events = extract_timeline(text).events
    assert [(e.at, e.kind) for e in events] == [
        (utc("2024-03-04T10:02"), "trigger"),
        (utc("2024-03-04T12:30"), "recovery"),
    ]


def test_quoted_status_text_stamped_with_a_stated_minute_is_one_moment() -> None:
    text = (
        "On Jan 9, 2024 the chat service told its users at 2.05pm GMT on its status page:\n\n"
        '"Some users cannot connect at this time. We are looking into it."\n'
        "Jan 9, 2:05 PM GMT\n"
    )
    events = extract_timeline(text).events
    assert [(e.at, e.kind) for e in events] == [(utc("2024-01-09T14:05"), "communication")]


# --------------------------------------------------------------------------- relative moments


def test_moments_counted_from_the_start_of_the_incident() -> None:
    text = (
        "The incident began at 2024-02-06 09:00 and ended at 2024-02-06 11:30 (all times UTC).\n\n"
        "Within 12 minutes, the cause was identified. Within some 3 minutes the team was "
        "looking at it. The status page was updated ~1h after the start of the outage."
    )
    events = extract_timeline(text).events
    assert [(e.at, e.date_basis) for e in events] == [
        (utc("2024-02-06T09:00"), "stated"),
        (utc("2024-02-06T11:30"), "stated"),
        (utc("2024-02-06T09:12"), "relative"),
        (utc("2024-02-06T10:00"), "relative"),
    ]
    assert events[3].precision == "approximate"
    assert '"Within 12 minutes" counted from "09:00"' in events[2].date_evidence


# --------------------------------------------------------------------------- years and days


def test_a_founding_year_does_not_date_the_incident() -> None:
    text = (
        "The game platform, launched in 2008, went dark for a day. "
        "Its servers went down at around 9:15 am AEDT on March 3."
    )
    extraction = extract_timeline(text)
    assert extraction.events == ()
    assert "date_without_year" in extraction.warning_codes()
    # With the incident's day the same text is placed.
    (event,) = extract_timeline(text, reference_date=date(2022, 3, 2)).events
    assert event.at == utc("2022-03-02T22:15")


def test_second_date_of_a_sentence_is_its_own_day_moment() -> None:
    text = (
        "The vendor's report says that sync errors began on March 3rd, 2022, fully resolving "
        "on March 6th, 2022."
    )
    events = extract_timeline(text).events
    assert [(e.at.date(), e.precision, e.kind) for e in events] == [
        (date(2022, 3, 3), "day", "impact"),
        (date(2022, 3, 6), "day", "recovery"),
    ]


def test_a_window_restating_two_dated_moments_is_not_proposed_again() -> None:
    text = (
        "On Friday, May 3, 2024 at 08:10 UTC a faulty rule file was released. "
        "It was reverted on Friday, May 3, 2024 09:02 UTC.\n\n"
        "Hosts that were online between Friday, May 3, 2024 08:10 UTC and "
        "Friday, May 3, 2024 09:02 UTC may be affected."
    )
    events = extract_timeline(text).events
    assert [(e.at, e.kind) for e in events] == [
        (utc("2024-05-03T08:10"), "trigger"),
        (utc("2024-05-03T09:02"), "mitigation"),
    ]


def test_a_table_row_that_reduces_impact_is_the_mitigation_the_prose_names() -> None:
    text = (
        "On 4 March 2024 the proxies failed from 10:02 UTC. The rollback began at 11:15.\n\n"
        "| 11:15 | Impact reduced | The queue bypasses the proxy, which lowers its error rates. |\n"
    )
    events = extract_timeline(text).events
    assert [(e.at, e.kind) for e in events] == [
        (utc("2024-03-04T10:02"), "impact"),
        (utc("2024-03-04T11:15"), "mitigation"),
    ]


# --------------------------------------------------------------------------- status pages


def test_status_state_on_its_own_line_gives_the_kind_unless_the_update_names_one() -> None:
    text = (
        "Checkout errors\n\n"
        "Resolved\nThis incident has been resolved.\nPosted Mar 14, 2023 - 11:02 PDT\n\n"
        "Monitoring\nA fix has been implemented and we are monitoring the results.\n"
        "Posted Mar 14, 2023 - 10:31 PDT\n\n"
        "Monitoring\nWe are now seeing recovery of most payments.\n"
        "Posted Mar 14, 2023 - 10:20 PDT\n\n"
        "Investigating\nWe are looking into failed card payments.\n"
        "Posted Mar 14, 2023 - 09:58 PDT"
    )
    assert kinds_of(text) == ["recovery", "mitigation", "recovery", "detection"]


# --------------------------------------------------------------------------- narrative


def test_a_change_going_out_is_the_trigger_before_the_incident_and_the_fix_after() -> None:
    text = (
        "At 1:50 pm ET on 14 Feb 2024 a new proxy build was deployed. At 2:05 pm errors rose "
        "on every edge. At 2:19 pm, monitoring alerted our on-call engineers. At 3:02 pm, the "
        "previous build was deployed and at 3:10 pm all services were operating normally."
    )
    assert kinds_of(text) == ["trigger", "impact", "detection", "mitigation", "recovery"]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("The event lasted from 23:10 UTC to 23:55 UTC on 12 March 2024.", ["impact", "recovery"]),
        ("On July 8, 2022 customers lost service at 4:45 a.m. ET.", ["impact"]),
        ("13.03.2024 09:30 MEZ Ursache gefunden", ["detection"]),
    ],
)
def test_more_cues_of_start_and_identify(text: str, kinds: list[str]) -> None:
    assert kinds_of(text) == kinds


def test_a_promised_update_with_its_own_date_is_not_a_moment() -> None:
    text = (
        "Between 07:08 UTC and 12:43 UTC on 25 January 2023 logins failed. We will provide an "
        "update by Thursday, 2023-01-26 09:00 US/Pacific."
    )
    assert len(extract_timeline(text).events) == 2


# --------------------------------------------------------------------------- zones


@pytest.mark.parametrize(
    ("text", "at"),
    [
        ("On 3 March 2024 at 8:10 am Singapore time the network failed.", "2024-03-03T00:10"),
        ("On 3 March 2024 at 8:10 p.m. Japan time the network failed.", "2024-03-03T11:10"),
        (
            "On March 3, 2024 at 8:10 a.m. local time in Toronto, the network failed.",
            "2024-03-03T13:10",
        ),
        ("On 3 March 2024 at 8:10 pm IST (UTC+5:30) the network failed.", "2024-03-03T14:40"),
    ],
)
def test_a_zone_named_by_its_place_or_followed_by_its_offset(text: str, at: str) -> None:
    extraction = extract_timeline(text)
    assert instants(extraction) == [utc(at)]
    assert "time_without_zone" not in extraction.warning_codes()


def test_author_line_stamp_and_story_update_are_not_moments() -> None:
    text = (
        "Chat app down for thousands\n\nBy Jane Doe\nJune 5, 2023 3:12 PM EDT\n\n"
        "Shortly after 11 a.m. ET on Monday, users began reporting problems. By 2:30 p.m., "
        "the company said service was fully restored.\n\n"
        "This story was updated at 3:10 p.m. ET with the company's statement."
    )
    events = extract_timeline(text).events
    assert [(e.at, e.kind) for e in events] == [
        (utc("2023-06-05T15:00"), "impact"),
        (utc("2023-06-05T18:30"), "recovery"),
    ]
    assert events[0].date_basis == "weekday"


def test_a_sentence_opening_with_by_and_a_day_is_not_an_author_line() -> None:
    text = "Outage report\n\nBy Tuesday, March 5, 2024 at 09:00 UTC all regions were restored."
    (event,) = extract_timeline(text).events
    assert (event.at, event.kind) == (utc("2024-03-05T09:00"), "recovery")


def test_german_range_to_the_next_morning_is_one_range() -> None:
    text = (
        "Meldung vom 12.03.2024\n\n"
        "Die Störung begann am Montagabend gegen 22 Uhr und dauerte bis Dienstagfrüh um 4.30 Uhr."
    )
    events = extract_timeline(text).events
    assert [(e.at, e.kind, e.range_role) for e in events] == [
        (utc("2024-03-11T21:00"), "impact", "start"),
        (utc("2024-03-12T03:30"), "recovery", "end"),
    ]


def test_services_back_to_normal_is_a_recovery() -> None:
    text = "Incident of 2025\n\n- 3:01 PM PDT (Oct 20): all services normal"
    assert kinds_of(text) == ["recovery"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        (
            "On 5 May 2024 at 10:12 UTC we applied mitigations and are observing early signs "
            "of recovery.",
            "mitigation",
        ),
        ("On 5 May 2024 at 10:40 UTC we began to see recovery across all regions.", "recovery"),
        ("On 5 May 2024 at 09:58 UTC the database team had an incident call open.", "escalation"),
    ],
)
def test_signs_of_recovery_and_incident_calls(text: str, kind: str) -> None:
    assert kinds_of(text) == [kind]


def test_one_sentence_giving_one_instant_in_two_zones_is_one_moment() -> None:
    text = "On 3 March 2024 the outage began at 10:00 CET, or 09:00 UTC, when our alerts fired."
    events = extract_timeline(text).events
    assert [(e.at, e.kind) for e in events] == [(utc("2024-03-03T09:00"), "impact")]


def test_a_local_time_restated_in_brackets_in_another_zone_is_one_moment() -> None:
    text = (
        "Am 24.08.2020 begannen die Probleme gegen 9 Uhr US-Ostküstenzeit (15 Uhr MESZ). "
        "Der Dienst fiel um 4 Uhr morgens Ortszeit (10 Uhr MESZ) erneut aus."
    )
    events = extract_timeline(text).events
    assert [e.at for e in events] == [utc("2020-08-24T13:00"), utc("2020-08-24T08:00")]
    assert events[0].zone_evidence == "zone written with the time: US-Ostküstenzeit"


def test_mixed_case_dateline_city_dates_the_piece_and_its_weekdays() -> None:
    text = (
        "Netz gestört\n\nHamburg, 9. Mai 2024 (dpa) - Der Anbieter war am Mittwoch gestört. "
        "Die Störung begann um 14:05 Uhr."
    )
    (event,) = [e for e in extract_timeline(text).events if not e.date_only]
    assert (event.at, event.date_basis) == (utc("2024-05-08T12:05"), "carried")


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("On 21 Oct 2016 the first attack began at 7:00 a.m. EDT.", "impact"),
        ("On 21 Oct 2016 a third wave was repelled at 4:00 p.m. EDT.", "mitigation"),
    ],
)
def test_attacks_begin_and_are_repelled(text: str, kind: str) -> None:
    assert kinds_of(text) == [kind]


def test_a_yearless_date_is_never_read_as_a_clock_time() -> None:
    text = "Between 11:49 PM PDT on October 19 and 2:24 AM PDT on October 20 errors rose."
    extraction = extract_timeline(text)
    assert extraction.events == ()
    (warning,) = [w for w in extraction.warnings if w.code == "time_without_date"]
    assert warning.message.startswith("2 times cannot be tied")
    # With the incident's day, the range is placed and still has two ends only.
    placed = extract_timeline(text, reference_date=date(2025, 10, 19)).events
    assert [e.at for e in placed] == [utc("2025-10-20T06:49"), utc("2025-10-20T09:24")]
