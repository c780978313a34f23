"""Classes of text found on the development articles added in the second round.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

import pytest

from postmortems.ingest.extraction import extract_timeline
from postmortems.ingest.extraction.dates import find_dates, find_relatives
from tests.postmortems.extraction.test_classes import instants, utc
from tests.postmortems.extraction.test_unseen_classes import kinds_of

# --------------------------------------------------------------------------- date forms


@pytest.mark.parametrize("written", ["2019-Mar-04", "04-Mar-2019", "2019-MAR-4"])
def test_a_dashed_date_with_a_month_name_is_a_full_date(written: str) -> None:
    (mention,) = find_dates(f"Queue stalled ({written}).", "en")
    assert (mention.year, mention.month, mention.day) == (2019, 3, 4)


def test_a_dashed_date_gives_the_year_to_yearless_dates_around_it() -> None:
    text = (
        "Between 09:12 UTC on Monday, March 4 and 10:40 UTC Monday, March 4, uploads failed.\n"
        "- Webhooks: delayed from 09:05 UTC until 09:58 UTC (2019-Mar-04)."
    )
    assert instants(extract_timeline(text)) == [
        utc("2019-03-04T09:12"),
        utc("2019-03-04T10:40"),
        utc("2019-03-04T09:05"),
        utc("2019-03-04T09:58"),
    ]


def test_a_dashed_fragment_without_a_year_is_not_a_date() -> None:
    assert find_dates("ticket Mar-04 and build 12-Mar", "en") == []


# --------------------------------------------------------------------------- relative moments


def test_an_offset_written_before_its_clause_counts_from_the_moment_before() -> None:
    text = (
        "On 2 June 2022 at 11:20 UTC the scheduler failed. "
        "After about 20 minutes the backlog cleared by itself."
    )
    events = extract_timeline(text).events
    assert [(e.at, e.kind) for e in events] == [
        (utc("2022-06-02T11:20"), "impact"),
        (utc("2022-06-02T11:40"), "recovery"),
    ]
    assert events[1].date_basis == "relative"


@pytest.mark.parametrize(
    "text", ["After 20 minutes of debugging we gave up.", "after 10 minutes into the call"]
)
def test_a_span_of_work_after_a_number_is_no_offset(text: str) -> None:
    assert find_relatives(text) == []


# --------------------------------------------------------------------------- non-moments


def test_an_announced_window_is_a_plan_not_a_moment() -> None:
    text = (
        "The bank had told customers that the app would be offline between 5pm on Friday "
        "7 June 2019 and 8pm on Sunday 9 June 2019. "
        "On Monday 10 June 2019 at 08:15 BST customers could not log in."
    )
    events = extract_timeline(text).events
    assert [(e.at, e.precision) for e in events] == [(utc("2019-06-10T07:15"), "minute")]


# --------------------------------------------------------------------------- kinds


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("On 3 May 2021 complaints peaked at 14:20 UTC.", "escalation"),
        ("Am 3. Mai 2021 erreichten die Meldungen um 14:20 Uhr ihren Höchststand.", "escalation"),
        ("Am 3. Mai 2021 steigen die Meldungen seit 6 Uhr wieder an.", "escalation"),
        ("Am 3. Mai 2021 häuften sich ab 13 Uhr die Meldungen über Ausfälle.", "impact"),
        ("On 3 May 2021 at 14:20 UTC the API began returning a few errors.", "impact"),
        ("On 3 May 2021 at 14:20 UTC the problem cleared by itself.", "recovery"),
    ],
)
def test_peaks_reports_and_self_clearing_problems(text: str, kind: str) -> None:
    assert kinds_of(text) == [kind]


def test_a_period_beginning_and_ending_at_two_times_is_impact_then_recovery() -> None:
    text = (
        "During a period beginning 15:02 UTC on Friday, May 7, 2021 and ending at "
        "16:40 UTC Friday, May 7, 2021, the console was unreachable."
    )
    assert kinds_of(text) == ["impact", "recovery"]


def test_a_window_without_a_word_for_it_is_the_outage() -> None:
    text = "Notifications: the window of notable impact ran from 15:11 UTC until 16:48 UTC on 7 May 2021."
    assert kinds_of(text) == ["impact", "recovery"]


def test_a_leading_phrase_about_an_earlier_fix_does_not_make_a_range_a_fix() -> None:
    text = (
        "On 5 July 2024 a fix went out at 14:00 UTC. After that first fix, a second problem "
        "from 15:21 to 17:14 UTC delayed builds."
    )
    assert kinds_of(text)[-2:] == ["impact", "recovery"]


def test_a_spokesperson_saying_something_still_goes_on_is_a_statement() -> None:
    text = (
        "Bank outage drags on\n\nPublished 24 April 2018\n\n"
        "The bank said on Tuesday it was still seeing issues with logins."
    )
    (event,) = extract_timeline(text).events
    assert (event.at, event.precision, event.kind) == (
        utc("2018-04-24T00:00"),
        "day",
        "communication",
    )


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        (
            "Bank migration goes wrong\n\nPublished 24 April 2018\n\n"
            "The bank started moving its customer records to a new platform on Friday "
            "(April 20). On Monday 23 April 2018 at 09:00 BST customers could not log in.",
            ["trigger", "impact"],
        ),
        (
            "On 4 March 2020 at 10:00 UTC the primary region failed. "
            "At 10:40 UTC we started migrating traffic to the second region.",
            ["impact", "mitigation"],
        ),
    ],
)
def test_a_migration_getting_under_way_is_a_change(text: str, kinds: list[str]) -> None:
    assert kinds_of(text) == kinds


def test_things_getting_worse_is_an_escalation_once_the_incident_is_under_way() -> None:
    text = (
        "On 8 March 2022 at 14:05 UTC some message sends failed. "
        "By 14:40 UTC users could not send messages at all. "
        "At 15:30 UTC the queues were restored."
    )
    assert kinds_of(text) == ["impact", "escalation", "recovery"]


def test_things_getting_worse_with_nothing_before_is_how_it_began() -> None:
    text = "On 8 March 2022 at 14:40 UTC users could not send messages at all."
    assert kinds_of(text) == ["impact"]


def test_german_worsening_is_an_escalation_after_the_start() -> None:
    text = (
        "Am 8. März 2022 um 9 Uhr meldeten Kunden erste Störungen. "
        "Gegen 10 Uhr ging bei vielen gar nichts mehr."
    )
    assert kinds_of(text) == ["impact", "escalation"]


def test_a_time_used_as_a_name_is_no_new_moment_and_frees_the_other_end() -> None:
    text = (
        "On 9 May 2023 at 08:10 UTC we were alerted that jobs were stuck. "
        "Between the 08:10 incident and the next one, which began at 11:30 UTC, we found the "
        "lock contention."
    )
    events = extract_timeline(text).events
    assert [(e.at, e.kind, e.range_role) for e in events] == [
        (utc("2023-05-09T08:10"), "detection", None),
        (utc("2023-05-09T11:30"), "impact", None),
    ]


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        (
            "On 3 May 2021, between 02:10 and 02:40 UTC, errors steadily increased.",
            ["impact", "escalation"],
        ),
        (
            "On 3 May 2021, between 02:10 and 02:40 UTC, errors were elevated.",
            ["impact", "recovery"],
        ),
        (
            "On 3 May 2021, between 02:10 and 02:40 UTC, errors gradually fell back to normal.",
            ["recovery", "recovery"],
        ),
    ],
)
def test_a_range_over_which_things_got_steadily_worse_ends_worse(
    text: str, kinds: list[str]
) -> None:
    assert kinds_of(text) == kinds
