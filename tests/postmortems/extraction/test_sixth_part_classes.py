"""Classes of kinds and of proposed moments found on the sixth held-out part once it joined
the development part: titles before names, published notices, deadlines moved and
forecasts, the service coming back in words the lexicon lacked.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

import pytest

from postmortems.ingest.extraction import extract_timeline
from tests.postmortems.extraction.test_classes import instants, utc
from tests.postmortems.extraction.test_unseen_classes import kinds_of

# --------------------------------------------------------------------------- sentences


@pytest.mark.parametrize(
    "text",
    [
        "On 4 March 2022 at 08:10 UTC the county's siren system failed. At 08:40 UTC Gov. Smith "
        "tweeted a correction.",
        "On 4 March 2022 at 08:10 UTC the county's siren system failed. At 08:40 UTC Sen. "
        "Baker tweeted a correction.",
    ],
)
def test_a_title_before_a_name_does_not_end_the_sentence(text: str) -> None:
    assert kinds_of(text) == ["impact", "communication"]


# --------------------------------------------------------------------------- kinds


@pytest.mark.parametrize(
    "text",
    [
        # the service back in words of its own
        "On 4 March 2022 at 08:10 UTC the ticket shop failed. The shop appeared to be back up and "
        "running around 09:45 UTC.",
        "On 4 March 2022 at 08:10 UTC the ticket shop failed. Its owner put the end of the "
        "outage at 09:45 UTC.",
        "Am 4. März 2022 um 8:10 Uhr fiel der Ticketshop aus. Gegen 9:45 Uhr war der Schaden "
        "weitgehend behoben.",
        "Am 4. März 2022 um 8:10 Uhr fiel in der Stadt der Strom aus. Um 9:45 Uhr gingen in den "
        "Häusern die Lichter wieder an.",
        "Am 4. März 2022 um 8:10 Uhr fiel in der Stadt der Strom aus. Um 9:45 Uhr waren die "
        "meisten Häuser wieder am Netz.",
        # the business starting again, not a part rebooted
        "On 4 March 2022 at 08:10 UTC the exchange halted all trading. Trading restarted at "
        "09:45 UTC.",
        "On 4 March 2022 at 08:10 UTC the carmaker's paint shop failed. At 09:45 UTC the "
        "carmaker restarted production.",
        "On 4 March 2022 at 08:10 UTC the airline's check-in system failed. At 09:45 UTC the "
        "airline was able to lift the ground stop.",
    ],
)
def test_the_service_or_business_back_in_words_of_its_own_is_the_recovery(text: str) -> None:
    assert kinds_of(text)[-1] == "recovery"


@pytest.mark.parametrize(
    "text",
    [
        # a notice put out is a statement, not something noticed
        "On 4 March 2022 at 08:10 UTC the siren system failed. At 08:40 UTC the agency posts a "
        "public notice of the fault on its website.",
        "On 4 March 2022 at 08:10 UTC the siren system failed. At 08:40 UTC the agency issued an "
        "alert that there were problems in the northern districts.",
        # a post that passes on a notice or work going on
        "On 4 March 2022 at 08:10 UTC the siren system failed. At 08:40 UTC the mayor retweets "
        "Smith's cancellation notice.",
        "On 4 March 2022 at 08:10 UTC the mail service failed. The dashboard noted at 08:40 UTC "
        "that the company was looking into reports of failures.",
        "On 4 March 2022 at 08:10 UTC the mail service failed. At 08:40 UTC the company said it "
        'was "continuing to investigate".',
    ],
)
def test_a_notice_put_out_or_passed_on_is_a_communication(text: str) -> None:
    assert kinds_of(text) == ["impact", "communication"]


@pytest.mark.parametrize(
    "text",
    [
        # something giving way
        "On 4 March 2022, the regional blackout struck at 08:10 UTC.",
        "Am 4. März 2022 um 8:10 Uhr kollabierte das Zahlungssystem.",
        "Am 4. März 2022 kam es gegen 8:10 Uhr zu einem landesweiten Blackout.",
        # trouble told without a verb of failing
        "On 4 March 2022 a check found the booking pages not working as of 08:10 UTC.",
        "On 4 March 2022 anomalies had already shown up at 08:10 UTC in the western region.",
        "On 4 March 2022 at 08:10 UTC -- Thousands of homes without power.",
        "On 4 March 2022, around 08:10 UTC, the processor reported limited availability of its "
        "card services.",
        "Am 4. März 2022 gegen 9:10 Uhr beschwerten sich erste Kunden auf Twitter.",
        "Am 4. März 2022 wurde um 9:10 Uhr eine Flugsperre für alle Abflüge der Airline verhängt.",
        # downtime or a ground stop that begins
        "On 4 March 2022 the downtime began around 08:10 UTC.",
        "Am 4. März 2022 begann um 9:10 Uhr ein Bodenstopp für alle Flüge der Airline.",
    ],
)
def test_trouble_in_words_of_its_own_is_the_impact(text: str) -> None:
    assert kinds_of(text) == ["impact"]


# --------------------------------------------------------------------------- not moments


@pytest.mark.parametrize(
    "text",
    [
        "On 4 March 2025 at 08:10 UTC the tax portal failed. The agency extended the filing day "
        "to 23:00 UTC.",
        "On 4 March 2025 at 08:10 UTC the tax portal failed. The agency pushed the payment "
        "deadline back to 23:00 UTC.",
        "On 4 March 2025 at 08:10 UTC the tax portal failed. Later the agency announced a "
        "measure that gives filers until 23:00 UTC.",
        "On 4 March 2025 at 08:10 UTC the tax portal failed. The portal had been expected to "
        "open at 07:00 UTC.",
        "On 4 March 2025 at 08:10 UTC the grid failed. Power is estimated to be restored by "
        "23:00 UTC.",
        "On 4 March 2025 at 08:10 UTC the port's terminal system failed. Staff are working with "
        "the aim of having it back by 23:00 UTC.",
        "On 4 March 2025 at 08:10 UTC the music players froze. Owners should restart them "
        "after 23:00 UTC.",
        "On 4 March 2025 at 08:10 UTC the exchange failed. The main index was down 1.2 per cent "
        "at 18,050.40 as of 11:00 UTC.",
    ],
)
def test_a_deadline_a_forecast_or_a_price_is_no_moment(text: str) -> None:
    assert instants(extract_timeline(text)) == [utc("2025-03-04T08:10")]


@pytest.mark.parametrize(
    "text",
    [
        "Payment network stumbles\n\nTue Mar 4, 2025 1:37pm EST\n\nBy Jane Roe and John Doe\n\n"
        "The card network failed at 08:10 UTC on Tuesday.",
        "Payment network stumbles\n\nFoo Daily\n\nTrade desk\n\n"
        "Mar 4, 2025 21:38 IST | By News Desk\n\nThe card network failed at 08:10 UTC on "
        "Tuesday.",
    ],
)
def test_a_zoned_stamp_over_or_before_the_author_is_the_page_s(text: str) -> None:
    assert instants(extract_timeline(text)) == [utc("2025-03-04T08:10")]


@pytest.mark.parametrize(
    "entry",
    [
        "09:40 AM PST We continue our work on the upload path.",
        "09:40 AM PST An update: we are still testing the new configuration.",
        "09:40 AM PST - We're in the process of checking each storage node.",
    ],
)
def test_a_log_line_in_the_operator_s_voice_that_goes_on_is_a_communication(entry: str) -> None:
    text = f"March 4, 2022\n\n08:10 AM PST Uploads are failing for many customers.\n\n{entry}\n"
    assert kinds_of(text) == ["impact", "communication"]
