"""Page stamps read as moments: the clock a page, a broadcast or a byline was stamped with.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

from datetime import date

from postmortems.ingest.extraction import extract_timeline
from tests.postmortems.extraction.test_classes import instants, utc

_GERMAN_BODY = (
    "Am Mittwochmorgen fiel in der Leitstelle der Stadtwerke Nordheim gegen 6.10 Uhr das "
    "Netz aus. Die Techniker konnten den Fehler erst nach mehreren Stunden beheben, wie ein "
    "Sprecher der Stadtwerke sagte. Gegen 9.40 Uhr liefen alle Anlagen wieder.\n"
)


def _hours(text: str, reference: date) -> list[tuple[int, int]]:
    extraction = extract_timeline(text, reference_date=reference)
    return [(moment.hour, moment.minute) for moment in instants(extraction)]


def test_a_date_and_clock_line_over_a_later_piece_is_its_stamp() -> None:
    text = (
        "Stromausfall in Nordheim\n\n"
        + _GERMAN_BODY
        + "\nBetroffen waren rund 20.000 Haushalte. Krankenhäuser liefen mit Notstrom. "
        "Die Feuerwehr rückte zu mehreren Einsätzen aus. Schulen blieben am Vormittag zu.\n"
        "\nMittwoch, 12.03.2025, 15:20 Uhr\n\nNach dem Stromausfall fordert der Stadtrat "
        "Aufklärung: Der Netzausfall legte auch Ampeln und Aufzüge lahm.\n"
    )
    assert (14, 20) not in _hours(text, date(2025, 3, 12))


def test_a_date_and_clock_line_opening_the_page_is_its_stamp() -> None:
    text = "Mi., 12.03.2025 , 15:20 Uhr\n\nStromausfall in Nordheim\n\n" + _GERMAN_BODY
    assert (14, 20) not in _hours(text, date(2025, 3, 12))


def test_a_broadcaster_s_programme_note_is_when_the_piece_aired() -> None:
    text = (
        "Stromausfall in Nordheim\n\n"
        + _GERMAN_BODY
        + "\nDieses Thema im Programm: Radio Nord | Regional | 12.03.2025 | 18:00 Uhr\n\n"
        "Sendung: Inforadio, 13.03.2025, 08:20 Uhr\n"
    )
    hours = _hours(text, date(2025, 3, 12))
    assert (17, 0) not in hours
    assert (7, 20) not in hours


def test_a_publication_date_or_last_update_line_is_not_a_moment() -> None:
    text = (
        "Payments outage at Northbank\n\n"
        "Card payments at Northbank failed from 09:10 UTC on March 12, 2025 until 10:45 UTC, "
        "the bank said in a statement.\n\n"
        "Publication date: Wed, 12 Mar 2025 17:05:00 +0000\n\n"
        "Last update of the article: 12.03.2025 at 21:10.\n"
    )
    assert instants(extract_timeline(text, reference_date=date(2025, 3, 12))) == [
        utc("2025-03-12T09:10"),
        utc("2025-03-12T10:45"),
    ]


def test_a_byline_with_a_hyphenated_name_is_a_stamp() -> None:
    text = (
        "Mobile outage hits Northtel users\n\n"
        "Mar. 12, 2025 - 10:05 By Kim Min-ji\n\n"
        "Northtel's mobile data service failed from 08:20 UTC on March 11, 2025 until "
        "09:30 UTC, the company said.\n"
    )
    assert _hours(text, date(2025, 3, 11)) == [(8, 20), (9, 30)]


def test_a_comment_stamp_deep_in_a_status_thread_still_tells_its_moment() -> None:
    text = (
        "FS#1234 - Storage cluster degraded\n\n"
        "Details\nThe storage cluster in our second data centre is degraded.\n\n"
        "Comment by Operations - Wednesday, 12 March 2025, 10:40AM\n"
        "The faulty controller has been replaced and the cluster is recovering.\n\n"
        "Comment by Operations - Wednesday, 12 March 2025, 11:55AM\n"
        "The cluster is healthy again; all volumes are back.\n"
    )
    hours = _hours(text, date(2025, 3, 12))
    assert (10, 40) in hours or (9, 40) in hours
    assert (11, 55) in hours or (10, 55) in hours


def test_a_zoned_stamp_with_a_weekday_or_at_under_the_headline_is_the_page_s() -> None:
    for stamp in ("Jane Holt\nWednesday 12 March 2025 16:05 GMT", "March 12, 2025 at 16:05 GMT"):
        text = (
            "Northbank customers locked out of their accounts\n\n"
            f"{stamp}\n\n"
            "Northbank customers could not log in from 08:15 GMT on March 12, 2025, and the "
            "bank said the fault was fixed at 11:30 GMT.\n"
        )
        assert _hours(text, date(2025, 3, 12)) == [(8, 15), (11, 30)], stamp


def test_a_status_entry_s_zoned_stamp_still_tells_its_moment() -> None:
    text = (
        "Incident: elevated error rates in eu-north\n\n"
        "12 Mar 2025 10:41 UTC\n\n"
        "We are investigating elevated error rates for requests in eu-north.\n\n"
        "12 Mar 2025 12:02 UTC\n\n"
        "The issue has been resolved; error rates are back to normal.\n"
    )
    assert _hours(text, date(2025, 3, 12)) == [(10, 41), (12, 2)]


def test_an_update_note_saying_what_was_added_is_not_a_moment() -> None:
    text = (
        "Exchange platform outage disrupts traffic\n\n"
        "A fault on the exchange's platform disrupted traffic from 10:20 UTC on March 12, "
        "2025; peers were reconnected by 11:05 UTC.\n\n"
        "Update, 14:30: Statement from the exchange added.\n\n"
        "Update, 15:10: More detail on the cause added.\n"
    )
    hours = _hours(text, date(2025, 3, 12))
    assert hours == [(10, 20), (11, 5)]
