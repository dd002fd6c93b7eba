"""schemathesis against the API's own schema (/api/v5/schema/), in process through WSGI.

Every documented operation is fuzzed twice: with a valid bearer token and
without one. Generated requests come from the examples, coverage (boundary
values) and fuzzing phases, positive and negative, and each response goes
through every schemathesis check: no 5xx, a documented status, content type
and headers, a body that matches the documented schema, an operation that
really enforces its auth (``ignored_auth``), schema-invalid input refused and
schema-valid input accepted.

Three choices, each because the schema cannot say it:

* a schema-invalid body may be refused with 413 rather than 400 when it is
  also larger than the JSON endpoints' 64 KiB (the schema has no size limit
  for a whole body); any other refusal status stays as schemathesis expects.
* ``allow-x00: false`` -- NUL characters in text are refused by design (DRF
  refuses them, and ``tests/hostile/test_json_bodies.py`` proves it field by
  field); JSON Schema has no way to say so short of a pattern on every string.
* register's schema-valid bodies may be 400: Django's password validators
  (too common, all digits, like the user's name) cannot be written in JSON
  Schema; nor can the list's ``cursor``, an opaque token that only a page's
  ``meta.nextCursor`` makes (a random string is schema-valid, and a 400); nor
  the files API's path rules (no ``..``, no empty segment, ...) and its cursor;
  nor an API key's ``expiresAt``, which must lie in the future.
  The same for the self-service password change (the validators again) and
  ``PATCH /auth/me`` (an ``email`` needs ``currentPassword``: OpenAPI 3.0 has
  no ``dependentRequired``), and the avatar upload (no schema says "a
  decodable image", so schema-valid bytes are mostly a 400 ``invalid_image``).
  (A name of only whitespace, blank once trimmed, the schema does say:
  ``pattern: \\S``, from ``config/api/autoschema.py``.)
  Every other operation must accept every schema-valid request.

With ``RELIABILITY_FIGURES=dir`` the request count per run, operation and
status goes to ``dir/schemathesis.json`` (the figures in docs/RELIABILITY.md);
``FUZZ_EXAMPLES=200`` runs a deeper search than the suite's 25 per operation.
"""

from __future__ import annotations

import os
from collections import Counter

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from hypothesis import HealthCheck, settings

from tests.support.api import bearer, register, token_of
from tests.support.figures import record

MAX_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))  # more for a deeper local run

# schemathesis's default statuses for schema-valid input, plus 400 (see above).
ACCEPTED_OR_400 = ["2xx", "3xx", "400", "401", "403", "404", "409", "429", "5xx"]
# Its default statuses for schema-invalid input, plus 413: an invalid body can also
# be too large (over the JSON endpoints' 64 KiB), refused before it is parsed.
REFUSED = [
    *("400", "401", "403", "404", "405", "406", "409", "413"),
    *("415", "422", "428", "429", "5xx"),  # a 5xx fails not_a_server_error on its own
]


def load_schema(*, with_security_parameters: bool):
    """The schema, fetched from the app, with the run's generation settings.

    The token run supplies ``Authorization`` itself, so its cases must not
    mutate that header (a "negative" case without it would be sent with the
    token all the same); the run without a token does generate bogus ones."""
    config = schemathesis.Config.from_dict(
        {
            "generation": {
                "allow-x00": False,
                "with-security-parameters": with_security_parameters,
            },
            "phases": {"stateful": {"enabled": False}},
            "checks": {"negative_data_rejection": {"expected-statuses": REFUSED}},
            "operations": [
                {
                    "include-operation-id": operation_id,
                    "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED_OR_400}},
                }
                for operation_id in (
                    "auth_register_create",
                    "sessions_list",
                    # workspace files (issue 11): path rules and cursors
                    "files_list",
                    "files_get",
                    "files_put",
                    "files_delete",
                    "files_move",
                    "files_copy",
                    # issue 10: opaque cursors; an API key's expiry must be in the future
                    "tenants_list",
                    "tenants_members_list",
                    "tenants_invitations_list",
                    "tenants_api_keys_list",
                    "tenants_api_keys_create",
                    # profile, password and avatar (issue 9)
                    "auth_password_create",
                    "auth_me_partial_update",
                    "auth_me_avatar_update",
                )
            ],
        }
    )
    return schemathesis.openapi.from_wsgi(
        "/api/v5/schema/?format=json", get_wsgi_application(), config=config
    )


schema = load_schema(with_security_parameters=False)
schema_without_token = load_schema(with_security_parameters=True)
FUZZ = settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
TALLY: Counter[tuple[str, str, int]] = Counter()


@pytest.fixture(scope="module", autouse=True)
def tally():
    yield TALLY
    rows = [
        {"run": run, "operation": op, "status": status, "requests": n}
        for (run, op, status), n in sorted(TALLY.items())
    ]
    record("schemathesis", rows)


@pytest.fixture
def token(api) -> str:
    return token_of(register(api))


@schema.parametrize()
@FUZZ
def test_every_operation_with_a_valid_token(case, token):
    response = case.call_and_validate(headers={"Authorization": f"Bearer {token}"})
    TALLY["token", case.operation.label, response.status_code] += 1


@schema_without_token.parametrize()
@FUZZ
def test_every_operation_without_a_token(case, api):
    response = case.call_and_validate()
    TALLY["no token", case.operation.label, response.status_code] += 1


def test_real_sessions_conform_to_the_schema(api, token):
    """Fuzzed ids never hit a real session: list, get and delete real ones, checked."""
    headers = {"Authorization": f"Bearer {token}"}
    for name in ("one", "two", "three"):
        api.post("/api/v5/sessions", {"name": name}, format="json", **bearer(token))
    listed = schema["/api/v5/sessions"]["GET"].Case(query={"limit": 2})
    page = listed.call_and_validate(headers=headers).json()
    cursor = schema["/api/v5/sessions"]["GET"].Case(query={"cursor": page["meta"]["nextCursor"]})
    assert len(cursor.call_and_validate(headers=headers).json()["data"]) == 1
    sid = page["data"][0]["id"]
    for method, status in (("GET", 200), ("DELETE", 204), ("GET", 404), ("DELETE", 404)):
        case = schema["/api/v5/sessions/{sessionId}"][method].Case(
            path_parameters={"sessionId": sid}
        )
        response = case.call_and_validate(headers=headers)
        assert response.status_code == status
        TALLY["token", case.operation.label, status] += 1
