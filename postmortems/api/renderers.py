"""The API's JSON renderer: DRF's output, written by orjson.

DRF's ``JSONRenderer`` goes through ``json.dumps`` and a Python ``default`` hook; on a
timeline of ten thousand events that is most of the request after the database. orjson
writes the same compact UTF-8 text several times faster. Anything it does not know
natively (datetimes, decimals, lazy strings, querysets) goes through DRF's own encoder
hook, so every value is written as before; an indented answer (``Accept:
application/json; indent=2``, the browsable API) and any value orjson refuses (an
integer beyond 64 bits) fall back to DRF's renderer.
"""

from __future__ import annotations

from typing import Any

import orjson
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.encoders import JSONEncoder

_ENCODER = JSONEncoder()
# Datetimes go through DRF's hook too: it writes "Z" for UTC, orjson "+00:00".
_OPTIONS = orjson.OPT_PASSTHROUGH_DATETIME
# Keys other than strings (an integer key) need OPT_NON_STR_KEYS, which makes every dict
# slower to write (9 ms instead of 6 for a timeline of 10,000 events): it is asked for
# only when the plain pass refuses a key.
_ANY_KEYS = _OPTIONS | orjson.OPT_NON_STR_KEYS


def _default(value: Any) -> Any:
    return _ENCODER.default(value)


class FastJSONRenderer(JSONRenderer):
    def writes_plain_json(
        self, accepted_media_type: str | None, renderer_context: dict[str, Any] | None = None
    ) -> bool:
        """Return True when the answer is compact UTF-8 JSON written by orjson.

        Then JSON already rendered the same way may be answered as it is (the timeline
        API's cached answers), or passed in as an ``orjson.Fragment``; DRF's own
        renderer cannot take one.
        """
        if self.ensure_ascii or not self.compact:
            return False
        return self.get_indent(accepted_media_type or "", renderer_context or {}) is None

    def render(
        self,
        data: Any,
        accepted_media_type: str | None = None,
        renderer_context: dict[str, Any] | None = None,
    ) -> bytes:
        if data is None:
            return b""
        if not self.writes_plain_json(accepted_media_type, renderer_context):
            return super().render(data, accepted_media_type, renderer_context)
        try:
            text = orjson.dumps(data, default=_default, option=_OPTIONS)
        except orjson.JSONEncodeError:
            try:
                text = orjson.dumps(data, default=_default, option=_ANY_KEYS)
            except orjson.JSONEncodeError:
                return super().render(data, accepted_media_type, renderer_context)
        return javascript_safe(text)


def javascript_safe(text: bytes) -> bytes:
    """Return UTF-8 JSON with U+2028 and U+2029 escaped, as DRF writes it.

    JSON that is also a strict JavaScript subset. The three-byte search costs about 1 ms
    per megabyte (two of them were as long as orjson's encoding of a timeline); the last
    byte of each (0xA8, 0xA9) is looked for first, with memchr, and most answers have
    neither (they do come with è and é, and then the full search runs).
    """
    if b"\xa8" in text and b"\xe2\x80\xa8" in text:
        text = text.replace(b"\xe2\x80\xa8", b"\\u2028")
    if b"\xa9" in text and b"\xe2\x80\xa9" in text:
        text = text.replace(b"\xe2\x80\xa9", b"\\u2029")
    return text
