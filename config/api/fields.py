"""Serializer fields for text that must survive storage as UTF-8.

JSON can carry lone surrogates (``"\\ud800"``) that Python accepts as a ``str``
but that cannot be encoded as UTF-8: stored or hashed, they would fail deep
inside the store or the password hasher. These fields refuse them at the
edge, with a 400, like the NUL characters DRF already refuses.
"""

from __future__ import annotations

from rest_framework import serializers


def reject_surrogates(value: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise serializers.ValidationError("Text must be valid Unicode.") from None


class StrictTextMixin:
    """Only JSON strings are text: DRF would otherwise turn ``5`` into ``"5"``.

    ``max_length`` holds for the text as sent, as the schema's ``maxLength``
    says: DRF would check it only after trimming surrounding whitespace."""

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        max_length = getattr(self, "max_length", None)
        if max_length is not None and len(data) > max_length:
            self.fail("max_length", max_length=max_length)
        return super().to_internal_value(data)


class TextField(StrictTextMixin, serializers.CharField):
    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.validators.append(reject_surrogates)


class EmailField(StrictTextMixin, serializers.EmailField):
    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("max_length", 254)
        super().__init__(**kwargs)
        self.validators.insert(0, reject_surrogates)


class CursorField(TextField):
    """A page cursor from a query string: empty means the first page.

    Not trimmed: DRF answers a whitespace-only value of a trimming field as
    blank before any length check, so 513 spaces would pass as "no cursor"
    where the schema's ``maxLength`` says 400; a cursor is never spaces."""

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)
