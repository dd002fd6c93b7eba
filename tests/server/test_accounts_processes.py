"""Profile, password and avatars across two production servers sharing one store.

An email race across processes has one winner; a password change on one
process voids the old token on the other at once; an avatar set on one is
served by the other, byte for byte, with the same ETag; an upload announced
larger than 5 MiB is refused from its headers, before its body is sent.
"""

from __future__ import annotations

import http.client
import socket
from urllib.parse import urlsplit

import pytest

from config.bridge import BUFFER_BYTES
from tests.support import images
from tests.support.http import STRONG_PASSWORD, at_once, call, token_for
from tests.support.server import Server

ME = "/api/v5/auth/me"


@pytest.fixture(scope="module")
def servers(launch_server) -> tuple[Server, Server]:
    env = launch_server.env("accounts", WEB_CONCURRENCY="1")
    return launch_server(env), launch_server(env)


def raw(server: Server, method: str, path: str, body: bytes = b"", headers=None):
    url = urlsplit(server.base_url)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        conn.request(method, path, body=body, headers={"Connection": "close", **(headers or {})})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def test_an_email_race_across_processes_has_one_winner(servers):
    tokens = [token_for(servers[i % 2].base_url, f"racer{i}@example.com") for i in range(4)]
    body = {"email": "prize@example.com", "currentPassword": STRONG_PASSWORD}
    replies = at_once(
        4, lambda i: call(servers[i % 2].base_url, "PATCH", ME, body, token=tokens[i])
    )
    assert sorted(reply.status for reply in replies) == [200, 409, 409, 409]
    winner = next(reply for reply in replies if reply.status == 200)
    for server in servers:
        me = call(server.base_url, "GET", ME, token=winner.data["token"])
        assert me.data["email"] == "prize@example.com"


def test_a_password_change_on_one_process_voids_the_token_on_the_other(servers):
    a, b = servers
    token = token_for(a.base_url, "changer@example.com")
    body = {"currentPassword": STRONG_PASSWORD, "newPassword": "a different passphrase"}
    changed = call(b.base_url, "POST", "/api/v5/auth/password", body, token=token)

    assert changed.status == 200
    assert call(a.base_url, "GET", ME, token=token).error_code == "token_revoked"
    assert call(a.base_url, "GET", ME, token=changed.data["token"]).status == 200


def test_an_avatar_set_on_one_process_is_served_by_the_other(servers):
    a, b = servers
    token = token_for(a.base_url, "painter@example.com")
    auth = {"Authorization": f"Bearer {token}", "Content-Type": "image/jpeg"}
    status, _, body = raw(a, "PUT", ME + "/avatar", images.jpeg_with_gps(), auth)
    assert status == 200, body
    url = call(b.base_url, "GET", ME, token=token).data["avatarUrl"]

    status_a, _, image_a = raw(a, "GET", url)
    status_b, headers_b, image_b = raw(b, "GET", url)
    assert status_a == status_b == 200
    assert image_a == image_b and image_a[:4] == b"RIFF"
    etag = {k.lower(): v for k, v in headers_b.items()}["etag"]
    assert raw(a, "GET", url, headers={"If-None-Match": etag})[0] == 304

    auth["Content-Type"] = "image/png"
    assert raw(b, "PUT", ME + "/avatar", images.png(), auth)[0] == 200
    newer = call(a.base_url, "GET", ME, token=token).data["avatarUrl"]
    assert newer != url
    assert raw(a, "GET", url, headers={"If-None-Match": etag})[0] == 200  # a new image
    assert raw(b, "DELETE", ME + "/avatar", headers={"Authorization": f"Bearer {token}"})[0] == 204
    assert raw(a, "GET", newer)[0] == 404


def test_an_upload_announced_over_5_mib_is_refused_before_its_body_is_sent(servers):
    token = token_for(servers[0].base_url, "bigfoot@example.com")
    url = urlsplit(servers[0].base_url)
    with socket.create_connection((url.hostname, url.port), timeout=20) as sock:
        head = (
            f"PUT {ME}/avatar HTTP/1.1\r\nHost: {url.hostname}\r\n"
            f"Authorization: Bearer {token}\r\nContent-Type: image/jpeg\r\n"
            f"Content-Length: {6 * 1024 * 1024}\r\nConnection: close\r\n\r\n"
        )
        # The server's bridge buffers bodies up to 256 KiB before Django runs (a
        # larger one is streamed to it): send twice that of the announced 6 MiB.
        sock.sendall(head.encode() + bytes(2 * BUFFER_BYTES))
        answer = sock.recv(65536).decode("latin-1")
    assert answer.startswith("HTTP/1.1 413"), answer[:200]
    assert "payload_too_large" in answer


def test_a_5_mib_photo_uploaded_as_a_browser_form_goes_through_the_server(servers):
    # Bodies past the bridge's buffer are streamed into Django (config/bridge.py).
    token = token_for(servers[1].base_url, "photographer@example.com")
    photo = images.photo()
    boundary = "PhotoBoundary"
    form = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="avatar"; '
            f'filename="photo.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
        ).encode()
        + photo
        + f"\r\n--{boundary}--\r\n".encode()
    )
    headers = {
        "Authorization": f"Bearer {token}",
        "Content-Type": f"multipart/form-data; boundary={boundary}",
    }
    status, _, body = raw(servers[1], "PUT", ME + "/avatar", form, headers)
    assert status == 200, body
    url = call(servers[0].base_url, "GET", ME, token=token).data["avatarUrl"]
    status, _, image = raw(servers[0], "GET", url)
    assert status == 200 and len(image) < len(photo) // 100
