"""Step 5a, kinds: families of words and forms of text that decide a moment's kind.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

import pytest

from tests.postmortems.extraction.test_unseen_classes import kinds_of

# --------------------------------------------------------------------------- fields


@pytest.mark.parametrize(
    "text",
    [
        "Billing portal incident\n\n- **Reported:** 4 March 2022 08:10 UTC\n"
        "- **Resolved:** 4 March 2022 09:40 UTC",
        "Carrier notice\nOutage Start: March 4, 2022 08:10 GMT\nOutage Clear: March 4, 2022 09:40 GMT",
        "On 4 March 2022 the log read: start time: 08:10 (UTC) end time: 09:40 (UTC).",
        "Störung am 4. März 2022\nBeginn: 08:10 Uhr\nEnde: 09:40 Uhr",
    ],
)
def test_a_field_named_for_a_moment_gives_its_time_that_kind(text: str) -> None:
    assert kinds_of(text) == ["impact", "recovery"]
