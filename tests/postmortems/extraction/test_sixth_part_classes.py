"""Classes of kinds and of proposed moments found on the sixth held-out part once it joined
the development part: titles before names, published notices, deadlines moved and
forecasts, the service coming back in words the lexicon lacked.

Each test uses a short text written for it; none is taken from the labelled articles.
"""

from __future__ import annotations

import pytest

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
