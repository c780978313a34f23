"""The orjson renderer writes exactly what DRF's JSONRenderer writes, or hands over to it."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time, timedelta, timezone
from decimal import Decimal
from uuid import UUID

import orjson
import pytest
from django.utils.translation import gettext_lazy
from rest_framework.renderers import JSONRenderer

from postmortems.api.renderers import FastJSONRenderer

PAYLOAD = {
    "utc": datetime(2025, 10, 20, 6, 48, 12, 500, tzinfo=UTC),
    "berlin": datetime(2025, 10, 20, 8, 48, tzinfo=timezone(timedelta(hours=2))),
    "naive": datetime(2025, 10, 20, 6, 48),
    "day": date(2025, 10, 20),
    "clock": time(6, 48, 5),
    "span": timedelta(minutes=90),
    "amount": Decimal("1.50"),
    "uuid": UUID("12345678-1234-5678-1234-567812345678"),
    "lazy": gettext_lazy("Not found."),
    "separators": "a\u2028b\u2029c",
    "unicode": "Zürich 東京",
    2: "integer key",
    "nested": [{"id": 1, "name": "DynamoDB"}, None, True, 1.25],
}


def test_fast_renderer_writes_the_same_bytes_as_drf() -> None:
    assert FastJSONRenderer().render(PAYLOAD) == JSONRenderer().render(PAYLOAD)


def test_fast_renderer_keeps_json_a_javascript_subset() -> None:
    text = FastJSONRenderer().render({"text": "line\u2028separator\u2029"})
    assert b"\\u2028" in text
    assert b"\\u2029" in text
    assert json.loads(text) == {"text": "line\u2028separator\u2029"}


def test_integers_beyond_64_bits_fall_back_to_drf() -> None:
    huge = {"id": 2**70}
    assert (
        FastJSONRenderer().render(huge)
        == JSONRenderer().render(huge)
        == b'{"id":1180591620717411303424}'
    )


def test_an_indented_answer_is_still_indented() -> None:
    media_type = "application/json; indent=2"
    rendered = FastJSONRenderer().render({"a": [1]}, media_type, {})
    assert rendered == JSONRenderer().render({"a": [1]}, media_type, {})
    assert b"\n  " in rendered


def test_nothing_renders_as_empty_bytes() -> None:
    assert FastJSONRenderer().render(None) == b""


def test_fast_renderer_writes_json_already_rendered_as_it_is() -> None:
    rendered = FastJSONRenderer().render(PAYLOAD)
    assert FastJSONRenderer().render(orjson.Fragment(rendered)) == rendered


def test_fast_renderer_says_when_its_answer_is_plain_json() -> None:
    renderer = FastJSONRenderer()
    assert renderer.writes_plain_json("application/json")
    assert not renderer.writes_plain_json("application/json; indent=2")


@pytest.mark.parametrize(
    "text", ["é and è alone", "é\u2028è", "\u2029 then é", "“quoted” – dashed", "\u2028\u2029"]
)
def test_line_separators_are_escaped_whatever_else_the_text_holds(text: str) -> None:
    # The quick look for their last byte (0xA8, 0xA9) also finds è and é.
    rendered = FastJSONRenderer().render({"text": text})
    assert rendered == JSONRenderer().render({"text": text})
    assert json.loads(rendered) == {"text": text}
