"""Step 5a, kinds: classes of phrasing seen on write-ups the cue table was not tuned on.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

import pytest

from tests.postmortems.extraction.test_unseen_classes import kinds_of

# --------------------------------------------------------------------------- statements


@pytest.mark.parametrize(
    "text",
    [
        # An "Update" heading over an entry that only says the work goes on.
        "Update\nOur team is still looking into slow page loads.\nPosted Mar 3, 2021 - 14:20 UTC",
        "Update\nA write-up of the incident is now on our engineering blog.\n"
        "Posted Mar 5, 2021 - 09:00 UTC",
        # The same heading inline, stamped with its own time.
        "On 3 March 2021 the portal stalled.\n\nUpdate 14:20 UTC: The cause is not yet known.",
        # A verb of speech over a state that goes on: the statement is the moment.
        "On 3 March 2021 a post at 14:20 UTC said engineers were still investigating.",
    ],
)
def test_a_status_post_that_only_says_work_goes_on_is_a_communication(text: str) -> None:
    assert kinds_of(text)[-1] == "communication"


def test_an_update_heading_gives_way_to_what_the_entry_reports() -> None:
    text = "Update\nWe have restored access for every customer.\nPosted Mar 3, 2021 - 16:05 UTC"
    assert kinds_of(text) == ["recovery"]


@pytest.mark.parametrize(
    "text",
    [
        "On 3 March 2021 at 14:20 UTC the bank confirmed the outage on its website.",
        "On 3 March 2021 at 14:20 UTC the carrier owned up to a routing problem.",
        "On 3 March 2021 at 14:20 UTC the operator released a short statement.",
        "On 3 March 2021 the first post came at 13:50 UTC. A further update followed at 14:20 UTC.",
        "Am 3. März 2021 bestätigte der Anbieter um 14:20 Uhr MEZ die Störung.",
    ],
)
def test_owning_up_to_an_outage_is_a_communication(text: str) -> None:
    assert kinds_of(text)[-1] == "communication"


def test_pushing_back_an_update_is_no_change_going_out() -> None:
    text = "On 3 March 2021 at 14:20 UTC the provider pushed back its next status update."
    assert kinds_of(text) == ["communication"]


# --------------------------------------------------------------------------- spreading


@pytest.mark.parametrize(
    "text",
    [
        "On 3 March 2021 payments failed from 09:00 UTC. At 09:40 UTC the mobile app was now "
        "also having trouble.",
        "On 3 March 2021 payments failed from 09:00 UTC. By 09:40 UTC the errors had spread to "
        "the mobile app.",
        "Am 3. März 2021 gab es ab 9 Uhr MEZ Störungen bei Zahlungen. Um 9:40 Uhr MEZ weitete sich die "
        "Störung auf die App aus.",
    ],
)
def test_a_failure_spreading_to_more_services_is_an_escalation(text: str) -> None:
    assert kinds_of(text) == ["impact", "escalation"]
