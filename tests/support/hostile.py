"""The hostile inputs thrown at the API, by class, and the endpoints they go to.

Each ``*_cases`` function returns ``(label, payload)`` pairs; the tests in
``tests/hostile/`` send them and ``catalogue_counts`` counts them for
docs/RELIABILITY.md. Bodies are built from one valid body per endpoint so that
each case breaks exactly one thing.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field

from tests.support.api import STRONG_PASSWORD

LONG = 10_000
BODY_LIMIT = 64 * 1024  # DATA_UPLOAD_MAX_MEMORY_SIZE


@dataclass(frozen=True)
class BodyEndpoint:
    """An endpoint that reads a JSON body: its path, a valid body, and its fields."""

    name: str
    path: str
    valid: dict
    required: tuple[str, ...]
    nullable: tuple[str, ...] = ()
    auth: bool = False
    read_only: tuple[str, ...] = field(default=())

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.valid)


REGISTER = BodyEndpoint(
    "register",
    "/api/v5/auth/register",
    {
        "email": "newcomer@example.com",
        "password": STRONG_PASSWORD,
        "firstName": "Nina",
        "lastName": "Newcomer",
        "company": "ACME Corp",
    },
    required=("email", "password", "firstName", "lastName"),
    nullable=("company",),
    read_only=("id", "role", "name", "token", "avatarUrl"),
)
LOGIN = BodyEndpoint(
    "login",
    "/api/v5/auth/login",
    {"email": "alice@example.com", "password": STRONG_PASSWORD},
    required=("email", "password"),
)
SESSION_CREATE = BodyEndpoint(
    "sessions.create",
    "/api/v5/sessions",
    {"name": "My Project", "workspacePath": "/workspace/projects/my-project"},
    required=("name",),
    nullable=("workspacePath",),
    auth=True,
    read_only=("id", "tenantId", "userId", "createdAt", "updatedAt"),
)
PASSWORD_CHANGE = BodyEndpoint(
    "auth.password",
    "/api/v5/auth/password",
    {"currentPassword": STRONG_PASSWORD, "newPassword": "a brand new passphrase"},
    required=("currentPassword", "newPassword"),
    auth=True,
)
BODY_ENDPOINTS = (REGISTER, LOGIN, SESSION_CREATE, PASSWORD_CHANGE)

# Every operation (method, path template, needs a token); {sid} is a session id.
OPERATIONS = (
    ("POST", "/api/v5/auth/register", False),
    ("POST", "/api/v5/auth/login", False),
    ("POST", "/api/v5/auth/logout", True),
    ("GET", "/api/v5/auth/me", True),
    ("PATCH", "/api/v5/auth/me", True),
    ("POST", "/api/v5/auth/password", True),
    ("GET", "/api/v5/sessions", True),
    ("POST", "/api/v5/sessions", True),
    ("GET", "/api/v5/sessions/{sid}", True),
    ("DELETE", "/api/v5/sessions/{sid}", True),
    ("GET", "/api/v5/health", False),
)
PROTECTED = tuple(op for op in OPERATIONS if op[2])


def _without(body: dict, name: str) -> dict:
    return {k: v for k, v in body.items() if k != name}


def _nested(depth: int) -> object:
    value: object = "x"
    for _ in range(depth):
        value = [value]
    return value


# -- JSON bodies: one broken thing each ------------------------------------------------


def missing_cases(ep: BodyEndpoint) -> list[tuple[str, object]]:
    cases: list[tuple[str, object]] = [
        (f"no {name}", _without(ep.valid, name)) for name in ep.required
    ]
    return [*cases, ("empty object", {})]


def extra_cases(ep: BodyEndpoint) -> list[tuple[str, object]]:
    extras = {
        "unknown field": {"unknownField": 1},
        "snake_case twin": {"first_name" if ep is not SESSION_CREATE else "workspace_path": "x"},
        "admin flag": {"isAdmin": True},
        "NUL key": {"\x00": 1},
        "10,000-char key": {"k" * LONG: 1},
        "1,000 unknown keys": {f"k{i}": i for i in range(1000)},
        "prototype pollution": {"__proto__": {"admin": True}, "constructor": {"x": 1}},
    }
    extras |= {f"read-only {name}": {name: str(uuid.uuid4())} for name in ep.read_only}
    return [(label, {**ep.valid, **extra}) for label, extra in extras.items()]


WRONG_TYPES = {
    "number": 5,
    "float": 5.5,
    "boolean": True,
    "array": ["x"],
    "object": {"x": 1},
    "NoSQL operator": {"$ne": None},
}


def wrong_type_cases(ep: BodyEndpoint) -> list[tuple[str, object]]:
    return [
        (f"{name} as {kind}", {**ep.valid, name: value})
        for name in ep.fields
        for kind, value in WRONG_TYPES.items()
    ]


def null_cases(ep: BodyEndpoint) -> list[tuple[str, object]]:
    cases: list[tuple[str, object]] = [
        (f"{name} null", {**ep.valid, name: None}) for name in ep.fields if name not in ep.nullable
    ]
    return [*cases, ("body null", None), ("body array", [ep.valid]), ("body string", "x")]


def nul_cases(ep: BodyEndpoint) -> list[tuple[str, object]]:
    def with_nul(name: str, value: str) -> str:
        return value.replace("@", "\x00@", 1) if name == "email" else value[:2] + "\x00" + value[2:]

    return [
        (f"NUL in {name}", {**ep.valid, name: with_nul(name, ep.valid[name])}) for name in ep.fields
    ]


def long_string_cases(ep: BodyEndpoint) -> list[tuple[str, object]]:
    def long(name: str) -> str:
        return "a" * LONG + "@example.com" if name == "email" else "x" * LONG

    return [(f"10,000-char {name}", {**ep.valid, name: long(name)}) for name in ep.fields]


def nesting_cases(ep: BodyEndpoint) -> list[tuple[str, object]]:
    cases = [(f"{name} nested 50 deep", {**ep.valid, name: _nested(50)}) for name in ep.fields]
    return [*cases, ("body nested 500 deep", _nested(500))]


BODY_CLASSES = {
    "missing fields": missing_cases,
    "extra fields": extra_cases,
    "wrongly typed fields": wrong_type_cases,
    "nulls": null_cases,
    "NUL bytes": nul_cases,
    "10,000-character strings": long_string_cases,
    "nested JSON in fields": nesting_cases,
}


# -- Raw bodies: encodings, nesting past the recursion limit, size, content type -------


def encoded(body: object) -> bytes:
    return json.dumps(body).encode()


def invalid_utf8_cases(ep: BodyEndpoint) -> list[tuple[str, bytes]]:
    text = encoded(ep.valid)
    first = next(iter(ep.valid))
    latin1 = json.dumps({**ep.valid, first: "caf\u00e9"}, ensure_ascii=False).encode("latin-1")
    return [
        ("0xff byte", text.replace(b'"', b'"\xff', 1)),
        ("overlong slash 0xc0 0xaf", text.replace(b'"', b'"\xc0\xaf', 1)),
        ("truncated 3-byte sequence", text[:-2] + b'\xe2\x82"}'),
        ("encoded surrogate 0xed 0xa0 0x80", text.replace(b'"', b'"\xed\xa0\x80', 1)),
        ("lone surrogate escape", encoded({**ep.valid, first: "a\ud800b"})),
        ("UTF-16 body", json.dumps(ep.valid).encode("utf-16")),
        ("UTF-8 BOM", b"\xef\xbb\xbf" + text),
        ("Latin-1 bytes", latin1),
    ]


def malformed_json_cases(ep: BodyEndpoint) -> list[tuple[str, bytes]]:
    return [
        ("empty body", b""),
        ("truncated", encoded(ep.valid)[:-1]),
        ("trailing garbage", encoded(ep.valid) + b"}"),
        ("single quotes", encoded(ep.valid).replace(b'"', b"'")),
        ("NaN", b'{"x": NaN}'),
        ("Infinity", b'{"x": Infinity}'),
        ("5,000-digit number", b'{"x": ' + b"9" * 5000 + b"}"),
        ("nested 20,000 deep (recursion limit)", b"[" * 20_000 + b"]" * 20_000),
        ("objects nested 5,000 deep", b'{"a":' * 5000 + b"1" + b"}" * 5000),
    ]


def oversize_cases(ep: BodyEndpoint) -> list[tuple[str, bytes]]:
    first = next(iter(ep.valid))
    padding = "x" * (BODY_LIMIT + 1 - len(encoded({**ep.valid, first: ""})))
    exactly_over = encoded({**ep.valid, first: padding})
    assert len(exactly_over) == BODY_LIMIT + 1
    return [
        ("limit + 1 byte", exactly_over),
        ("1 MiB string", encoded({**ep.valid, first: "x" * 2**20})),
        ("nested 100,000 deep", b"[" * 100_000 + b"]" * 100_000),
        ("1 MiB of garbage", b"\xff" * 2**20),
    ]


CONTENT_TYPES = (
    "text/plain",
    "application/x-www-form-urlencoded",
    "multipart/form-data; boundary=xyz",
    "application/xml",
    "application/json-patch+json",
    "application/vnd.api+json",
    "text/json",
    "application/javascript",
    "////",
    "",
)


RAW_CLASSES = {
    "invalid UTF-8 and other encodings": invalid_utf8_cases,
    "malformed and deeply nested JSON": malformed_json_cases,
    "bodies over the size limit": oversize_cases,
}


# -- Headers, ids, query strings ---------------------------------------------------------


def authorization_cases(valid_token: str) -> list[tuple[str, str | None]]:
    flipped = valid_token[:-3] + ("A" if valid_token[-3] != "A" else "B") + valid_token[-2:]
    return [
        ("no header", None),
        ("empty", ""),
        ("scheme only", "Bearer"),
        ("scheme and spaces", "Bearer    "),
        ("Basic", "Basic YWxpY2U6cGFzc3dvcmQ="),
        ("Token scheme", f"Token {valid_token}"),
        ("JWT scheme", f"JWT {valid_token}"),
        ("two tokens", f"Bearer {valid_token} {valid_token}"),
        ("token without scheme", valid_token),
        ("not a JWT", "Bearer not-a-jwt"),
        ("two segments", "Bearer a.b"),
        ("empty segments", "Bearer .."),
        ("bad base64", "Bearer !!!.@@@.###"),
        ("JSON null", "Bearer null"),
        ("undefined", "Bearer undefined"),
        ("10,000 characters", "Bearer " + "a" * LONG),
        ("NUL", "Bearer \x00"),
        ("Latin-1 bytes", "Bearer \xff\xfe\xe9"),
        ("CRLF", "Bearer x\r\nX-Injected: 1"),
        ("truncated token", f"Bearer {valid_token[:-5]}"),
        ("token with a flipped byte", f"Bearer {flipped}"),
    ]


BAD_IDS = (
    ("word", "nope"),
    ("digits", "12345"),
    ("uuid without a digit", "123e4567-e89b-12d3-a456-42661417400"),
    ("uuid with a letter past f", "123e4567-e89b-12d3-a456-42661417400g"),
    ("NUL", "%00"),
    ("percent-encoded 0xff", "%ff"),
    ("unicode", "s\u00e9ance-\u2603"),
    ("SQL", "1'%20OR%20'1'='1"),
    ("10,000 characters", "x" * LONG),
    ("dot segment", ".."),
    ("encoded slash traversal", "..%2F..%2Fauth%2Fme"),
    ("JSON", "%7B%22%24ne%22%3Anull%7D"),
    ("template", "%7B%7B7*7%7D%7D"),
    ("nil uuid", "00000000-0000-0000-0000-000000000000"),
    ("max uuid", "ffffffff-ffff-ffff-ffff-ffffffffffff"),
)

BAD_QUERIES = (
    ("limit word", "limit=ten"),
    ("limit zero", "limit=0"),
    ("limit negative", "limit=-1"),
    ("limit 101", "limit=101"),
    ("limit float", "limit=1.5"),
    ("limit exponent", "limit=1e3"),
    ("limit 5,000 digits", "limit=" + "9" * 5000),
    ("limit empty", "limit="),
    ("limit NUL", "limit=%00"),
    ("cursor garbage", "cursor=garbage"),
    ("cursor NUL", "cursor=%00"),
    ("cursor 0xff", "cursor=%ff"),
    ("cursor 10,000 characters", "cursor=" + "x" * LONG),
    ("cursor SQL", "cursor=1'%20OR%20'1'='1"),
    ("cursor of another space", "cursor=AhRjb2RpdGVjdAAC"),
)


# -- Emails -------------------------------------------------------------------------------

# Refused by the email validator (or its length limit) with a 400.
BAD_EMAILS = (
    ("non-ASCII local part", "\u00fc@example.com"),
    ("sharp s", "Stra\u00dfe@example.com"),
    ("fullwidth letter", "\uff41@example.com"),
    ("zero-width space local part", "\u200b@example.com"),
    ("emoji", "\U0001f600@example.com"),
    ("RTL override", "\u202eevil@example.com"),
    ("255 characters", "a@" + "b" * 248 + ".com"),
    ("10,000 characters", "a" * LONG + "@example.com"),
    ("no domain", "alice@"),
    ("no at", "alice.example.com"),
    ("two ats", "a@b@example.com"),
    ("space", "a b@example.com"),
    ("quoted local part", '"a b"@example.com'),
    ("header injection", "a@example.com\r\nBcc: victim@example.com"),
    ("SQL", "x@e.com' OR '1'='1"),
    ("script", "<script>@example.com"),
    ("blank", "   "),
)

# Valid addresses, unusual but accepted: stored normalised, log in as typed.
ODD_VALID_EMAILS = (
    ("upper case", "Mixed.Case@Example.COM", "mixed.case@example.com"),
    ("surrounding spaces", "  padded@example.com  ", "padded@example.com"),
    ("IDN domain", "a@b\u00fccher.de", "a@b\u00fccher.de"),
    ("punycode domain", "a@xn--bcher-kva.de", "a@xn--bcher-kva.de"),
    ("plus tag", "a+tag@example.com", "a+tag@example.com"),
    ("apostrophe", "o'brien@example.com", "o'brien@example.com"),
    ("64-char local part", "a" * 64 + "@example.com", "a" * 64 + "@example.com"),
)


# -- Payloads that look like injection, in free-text fields (valid: stored verbatim) ------

INJECTION_TEXTS = (
    ("SQL", "Robert'); DROP TABLE users;--"),
    ("SQL union", "' UNION SELECT password_hash FROM users --"),
    ("NoSQL", '{"$gt": ""}'),
    ("template", "{{7*7}} ${7*7} <%= 7*7 %>"),
    ("log4shell", "${jndi:ldap://127.0.0.1/a}"),
    ("HTML", "<script>alert(1)</script><img src=x onerror=alert(1)>"),
    ("path traversal", "../../../../etc/passwd"),
    ("CRLF", "line\r\nSet-Cookie: a=b"),
    ("tuple-layer key bytes", "\x02users\xff\x01\x14"),
    ("shell", "$(rm -rf /); `id`"),
    ("format string", "%s%s%s%n %x"),
    ("unicode bidi", "\u202egnp.exe"),
)


def catalogue_counts() -> dict[str, int]:
    """How many cases each input class holds, over every endpoint it applies to."""
    counts = {
        name: sum(len(build(ep)) for ep in BODY_ENDPOINTS) for name, build in BODY_CLASSES.items()
    }
    counts |= {
        name: sum(len(build(ep)) for ep in BODY_ENDPOINTS) for name, build in RAW_CLASSES.items()
    }
    counts["wrong content types"] = len(CONTENT_TYPES) * len(BODY_ENDPOINTS)
    counts["malformed Authorization headers"] = len(authorization_cases("a.b.c")) * len(PROTECTED)
    counts["ids that are not UUIDs"] = len(BAD_IDS) * 2
    counts["hostile query strings"] = len(BAD_QUERIES)
    counts["unicode and over-long emails"] = (len(BAD_EMAILS) + len(ODD_VALID_EMAILS)) * 2
    counts["payloads that look like injection"] = len(INJECTION_TEXTS) * 2
    return counts
