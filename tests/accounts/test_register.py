"""POST /api/v5/auth/register, end to end."""

from __future__ import annotations

import threading
import uuid

import jwt
import pytest
from django.conf import settings
from rest_framework.test import APIClient

from accounts.repositories import users
from fdbstore import errors
from fdbstore.connection import use_database
from fdbstore.keys import keyspace
from tenancy.records import self_tenant_id
from tests.support.api import STRONG_PASSWORD, error_of, register
from tests.support.recording import RecordingDatabase


def test_it_creates_the_user_and_answers_201_with_token_and_user(api):
    response = register(
        api, "user@example.com", first_name="John", last_name="Doe", company="ACME Corp"
    )

    assert response.status_code == 201
    body = response.json()
    assert body["success"] is True
    assert set(body["data"]) == {"token", "user"}
    user = body["data"]["user"]
    assert user == {
        "id": user["id"],
        "email": "user@example.com",
        "name": "John Doe",
        "firstName": "John",
        "lastName": "Doe",
        "role": "owner",
        "company": "ACME Corp",
        "avatarUrl": None,
    }
    assert uuid.UUID(user["id"]).version == 4


def test_company_is_optional_and_null_when_absent(api):
    assert register(api).json()["data"]["user"]["company"] is None


def test_the_token_carries_the_guides_claims(api):
    data = register(api, "user@example.com").json()["data"]
    header = jwt.get_unverified_header(data["token"])
    claims = jwt.decode(data["token"], settings.SIMPLE_JWT["SIGNING_KEY"], algorithms=["HS256"])

    assert header["alg"] == "HS256"
    assert set(claims) == {"sub", "tenant_id", "email", "exp", "iat", "jti"}
    assert claims["sub"] == data["user"]["id"]
    assert claims["tenant_id"] == str(self_tenant_id(uuid.UUID(data["user"]["id"])))
    assert claims["email"] == "user@example.com"
    assert claims["exp"] - claims["iat"] == 24 * 3600


def test_it_writes_user_email_index_tenant_and_membership_in_the_store(api, store):
    user_id = uuid.UUID(register(api, "user@example.com").json()["data"]["user"]["id"])
    tenant_id = self_tenant_id(user_id)
    ks = keyspace()
    keys = [
        ks.user(user_id),
        ks.user_by_email("user@example.com"),
        ks.tenant(tenant_id),
        ks.membership(user_id, tenant_id),
        ks.tenant_member(tenant_id, user_id),
    ]
    assert all(value is not None for value in store.transact(lambda tr: tr.get_many(keys)))
    stored = store.transact(lambda tr: users.get(tr, user_id))
    assert stored.password_hash.startswith("argon2$argon2id$")


def test_it_normalises_the_email_and_refuses_a_duplicate_with_409(api):
    first = register(api, "  Alice@Example.COM ")
    duplicate = register(api, "alice@example.com")

    assert first.json()["data"]["user"]["email"] == "alice@example.com"
    assert duplicate.status_code == 409
    assert error_of(duplicate) == {
        "code": "email_taken",
        "message": "An account with this email already exists.",
    }


def test_missing_fields_are_400_with_field_errors_in_camel_case(api):
    response = api.post("/api/v5/auth/register", {}, format="json")

    assert response.status_code == 400
    error = error_of(response)
    assert error["code"] == "validation_error"
    assert set(error["details"]) == {"email", "password", "firstName", "lastName"}


def test_an_invalid_email_is_400(api):
    response = register(api, "not-an-email")
    assert response.status_code == 400
    assert "email" in error_of(response)["details"]


def test_django_password_validators_messages_are_in_details(api):
    response = register(api, password="password123")  # the guide's example: too common

    assert response.status_code == 400
    assert error_of(response)["details"]["password"] == ["This password is too common."]
    short = register(api, "b@example.com", password="12345")
    assert set(error_of(short)["details"]["password"]) == {
        "This password is too short. It must contain at least 8 characters.",
        "This password is too common.",
        "This password is entirely numeric.",
    }


def test_a_password_like_the_users_name_is_refused(api):
    response = register(api, "margaret.hamilton@example.com", password="margaret.hamilton")
    assert response.status_code == 400
    assert "too similar" in error_of(response)["details"]["password"][0]


def test_non_object_json_and_wrong_types_are_400_not_500(api):
    for body in ([1, 2], "text", 42, None, {"email": 5, "password": [], "firstName": {}}):
        response = api.post("/api/v5/auth/register", body, format="json")
        assert response.status_code == 400, body


def test_unpaired_surrogates_and_nul_are_400_not_500(api):
    raw = '{"email":"a@example.com","password":"\\ud800abcdefgh","firstName":"A","lastName":"B"}'
    response = api.post("/api/v5/auth/register", raw, content_type="application/json")
    assert response.status_code == 400
    assert "password" in error_of(response)["details"]
    response = register(api, first_name="Al\x00ice")
    assert response.status_code == 400


# Every maybe-committed code (1021 commit_unknown_result, 1039 cluster_version_changed).
@pytest.mark.parametrize("code", sorted(errors.MAYBE_COMMITTED))
def test_a_retry_after_commit_unknown_result_neither_duplicates_nor_fails(api, store, code):
    flaky = RecordingDatabase(store)
    flaky.fail_once(writing=keyspace().users.key(), code=code, landed=True)
    with use_database(flaky):
        response = register(api, "retry@example.com")

    assert response.status_code == 201
    assert ("on_error", code) in flaky.operations
    user_id = uuid.UUID(response.json()["data"]["user"]["id"])
    users_space = keyspace().users.range()
    rows = store.transact(lambda tr: tr.get_range(users_space.start, users_space.stop))
    assert [users.codec.decode(row.value).id for row in rows] == [user_id]


@pytest.mark.parametrize("code", sorted(errors.MAYBE_COMMITTED))
def test_a_retry_after_a_commit_that_did_not_land_creates_the_user(api, store, code):
    flaky = RecordingDatabase(store)
    flaky.fail_once(writing=keyspace().users.key(), code=code, landed=False)
    with use_database(flaky):
        response = register(api, "retry@example.com")
    assert response.status_code == 201


def test_concurrent_registrations_of_one_email_give_one_201_and_409_for_the_rest(api):
    count = 8
    barrier = threading.Barrier(count)
    statuses: list[int] = []

    def attempt(i: int) -> None:
        client = APIClient()
        barrier.wait()
        statuses.append(register(client, "Race@Example.com", first_name=f"R{i}").status_code)

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [201] + [409] * (count - 1)
    assert register(api, "race@example.com", password=STRONG_PASSWORD).status_code == 409
