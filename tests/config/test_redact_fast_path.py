"""``redact()`` skips its regexes on lines that cannot match: the skip changes nothing."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from config.logging import _BEARER, _FIELD, _JWT, REDACTED, _quoted, redact

PIECES = [
    "eyJhbGciOiJIUzI1NiJ9", ".", "eyJzdWIiOiIxMjM0NSJ9", "Bearer ", "BEARER\t", "token", "Token",
    "password", "PassWD", "secret", "Authorization", "api_key", "apiKey", "access", "refresh",
    "=", ":", '"', "'", " ", ",", "&", "/api/v5/sessions", "abcdefgh12", "\u212a", "\u017f", "é",
    "{", "}", "-", "_", "\\",
]  # fmt: skip
lines = st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=25).map("".join)


def regexes_only(text: str) -> str:
    text = _JWT.sub(REDACTED, text)
    text = _BEARER.sub(lambda m: f"{m.group(1)}{m.group(2)}{REDACTED}", text)
    return _FIELD.sub(lambda m: f"{m.group(1)}{_quoted(m.group(2))}", text)


@given(lines)
def test_redact_equals_running_every_regex(text):
    assert redact(text) == regexes_only(text)


def test_non_ascii_look_alikes_still_take_the_regexes():
    # The Kelvin sign matches "k" and the long s matches "s" under re.IGNORECASE.
    for text in ("api\u212aey=abcdefgh", "pa\u017f\u017fword=abcdefgh"):
        assert redact(text) == regexes_only(text) != text


def test_a_request_line_without_triggers_is_returned_unchanged():
    line = '{"message": "GET /api/v5/sessions 200 1.20ms", "tenant_id": "0192f3a4"}'
    assert redact(line) is line
