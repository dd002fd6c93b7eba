"""The file tools and the session-file resources, through the official SDK client
against the production server, checked against the REST files API."""

from __future__ import annotations

import asyncio
import base64
import http.client
import time
from urllib.parse import quote, urlsplit

import pytest

from tests.mcp_server.support import mcp_client
from tests.support.http import call, token_for


def run(coro):
    return asyncio.run(coro)


def rest_file(base: str, token: str, method: str, sid: str, path: str, body: bytes | None = None):
    url = urlsplit(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=60)
    headers = {"Authorization": f"Bearer {token}", "Connection": "close"}
    if body is not None:
        headers["Content-Type"] = "application/octet-stream"
    try:
        conn.request(method, f"/api/v5/sessions/{sid}/files/{quote(path)}", body, headers)
        response = conn.getresponse()
        status, content = response.status, response.read()
    finally:
        conn.close()
    assert method != "PUT" or status in (200, 201), (status, content[:300])
    return status, content


@pytest.fixture(scope="module")
def alice(mcp_server):
    token = token_for(mcp_server.base_url, "mcp-files@example.com")
    sid = call(mcp_server.base_url, "POST", "/api/v5/sessions", {"name": "files"}, token=token)
    return token, sid.data["id"]


def tools(mcp_server, token, scenario, mode="2026-07-28"):
    async def go():
        async with mcp_client(mcp_server.base_url, token, mode=mode) as client:
            return await scenario(client)

    return run(go())


@pytest.mark.parametrize("mode", ["2026-07-28", "legacy"])
def test_text_written_by_mcp_reads_back_in_rest_and_the_reverse(mcp_server, alice, mode):
    token, sid = alice
    text = "print('héllo')\n" * 3

    async def scenario(client):
        wrote = await client.call_tool(
            "file_write", {"sessionId": sid, "path": f"src/{mode}/app.py", "content": text}
        )
        assert not wrote.is_error, wrote.content
        assert wrote.structured_content["size"] == len(text.encode())
        assert wrote.structured_content["uri"].endswith(f"/files/src/{mode}/app.py")
        status, _ = rest_file(mcp_server.base_url, token, "PUT", sid, "rest.md", b"# from REST")
        assert status in (200, 201)
        read_back = await client.call_tool("file_read", {"sessionId": sid, "path": "rest.md"})
        return read_back

    read_back = tools(mcp_server, token, scenario, mode)
    assert read_back.content[0].text == "# from REST"
    assert read_back.structured_content["encoding"] == "utf-8"
    status, body = rest_file(mcp_server.base_url, token, "GET", sid, f"src/{mode}/app.py")
    assert status == 200 and body.decode() == text


def test_a_binary_file_comes_back_as_a_resource_never_as_text(mcp_server, alice):
    token, sid = alice
    data = bytes(range(256)) * 4
    rest_file(mcp_server.base_url, token, "PUT", sid, "img/logo.png", data)

    async def scenario(client):
        return await client.call_tool("file_read", {"sessionId": sid, "path": "img/logo.png"})

    result = tools(mcp_server, token, scenario)
    block = result.content[0]
    assert block.type == "resource"
    assert base64.b64decode(block.resource.blob) == data
    assert result.structured_content["encoding"] == "base64"


def test_a_large_file_is_read_in_byte_ranges(mcp_server, alice):
    token, sid = alice
    data = ("0123456789abcdé\n" * 20_000).encode()  # 340,000 bytes, 2-byte characters

    async def scenario(client):
        wrote = await client.call_tool(
            "file_write", {"sessionId": sid, "path": "big.txt", "content": data.decode()}
        )
        assert wrote.structured_content["size"] == len(data)
        pieces, offset = [], 0
        while offset is not None:
            result = await client.call_tool(
                "file_read", {"sessionId": sid, "path": "big.txt", "offset": offset}
            )
            assert not result.is_error, result.content
            pieces.append(result.content[0].text)
            offset = result.structured_content["nextOffset"]
        ranges = {}
        for offset, length in ((13, 2), (14, 1), (15, 2)):
            got = await client.call_tool(
                "file_read",
                {"sessionId": sid, "path": "big.txt", "offset": offset, "length": length},
            )
            meta = got.structured_content
            ranges[offset, length] = (got.content[0].text, meta["offset"], meta["length"])
        return pieces, ranges

    pieces, ranges = tools(mcp_server, token, scenario)
    assert len(pieces) == 2 and "".join(pieces) == data.decode()
    # "d" then "é" (2 bytes): a range never cuts a character in two
    assert ranges[13, 2] == ("d", 13, 1)  # stops before the straddling character
    assert ranges[14, 1] == ("é", 14, 2)  # or takes it whole when it is all the range holds
    assert ranges[15, 2] == ("\n", 16, 1)  # an offset inside it starts after it


BAD_READS = [
    ({"path": "../etc/passwd"}, "'..' segment"),
    ({"path": "/etc/passwd"}, "starts with '/'"),
    ({"path": "src/..%2F..%2Fx"}, "no such file"),
    ({"path": "nothing/here.txt"}, "no such file: nothing/here.txt"),
    ({"path": "src"}, "names a directory"),
    ({"path": "a\\b"}, "backslash"),
]


@pytest.mark.parametrize(("arguments", "message"), BAD_READS)
def test_bad_reads_are_tool_errors(mcp_server, alice, arguments, message):
    token, sid = alice
    rest_file(mcp_server.base_url, token, "PUT", sid, "src/x.py", b"x")

    async def scenario(client):
        return await client.call_tool("file_read", {"sessionId": sid, **arguments})

    result = tools(mcp_server, token, scenario)
    assert result.is_error and message in result.content[0].text


def test_an_oversized_write_is_refused_cleanly(mcp_server, alice):
    token, sid = alice

    async def scenario(client):
        too_big = await client.call_tool(
            "file_write", {"sessionId": sid, "path": "huge.txt", "content": "a" * (2 * 2**20 + 1)}
        )
        bad64 = await client.call_tool(
            "file_write",
            {"sessionId": sid, "path": "x.bin", "content": "***", "encoding": "base64"},
        )
        return too_big, bad64

    too_big, bad64 = tools(mcp_server, token, scenario)
    assert too_big.is_error and "content too large" in too_big.content[0].text
    assert bad64.is_error and "not valid base64" in bad64.content[0].text
    status, _ = rest_file(mcp_server.base_url, token, "GET", sid, "huge.txt")
    assert status == 404


def test_list_move_delete_and_search(mcp_server, alice):
    token, sid = alice
    for path, body in {
        "proj/a.py": b"import os\nTODO = 1\n",
        "proj/lib/b.py": b"def f():\n    return 'todo later'\n",
        "proj/notes.md": b"nothing to see",
    }.items():
        rest_file(mcp_server.base_url, token, "PUT", sid, path, body)

    async def scenario(client):
        call_ = client.call_tool
        listed = await call_(
            "files_list", {"sessionId": sid, "path": "proj", "recursive": True, "glob": "**/*.py"}
        )
        by_name = await call_("files_search", {"sessionId": sid, "glob": "proj/**/*.md"})
        by_text = await call_(
            "files_search", {"sessionId": sid, "query": "todo", "ignoreCase": True, "path": "proj"}
        )
        by_regex = await call_(
            "files_search", {"sessionId": sid, "query": r"^def \w+\(", "isRegex": True}
        )
        bad_regex = await call_("files_search", {"sessionId": sid, "query": "(", "isRegex": True})
        moved = await call_(
            "file_move", {"sessionId": sid, "path": "proj/lib", "to": "proj/library"}
        )
        deleted = await call_("file_delete", {"sessionId": sid, "path": "proj/notes.md"})
        again = await call_("file_delete", {"sessionId": sid, "path": "proj/notes.md"})
        not_empty = await call_("file_delete", {"sessionId": sid, "path": "proj"})
        return listed, by_name, by_text, by_regex, bad_regex, moved, deleted, again, not_empty

    listed, by_name, by_text, by_regex, bad_regex, moved, deleted, again, not_empty = tools(
        mcp_server, token, scenario
    )
    assert [f["path"] for f in listed.structured_content["files"]] == [
        "proj/a.py",
        "proj/lib/b.py",
    ]
    assert [m["path"] for m in by_name.structured_content["matches"]] == ["proj/notes.md"]
    text_hits = {(m["path"], m["line"]) for m in by_text.structured_content["matches"]}
    assert text_hits == {("proj/a.py", 2), ("proj/lib/b.py", 2)}
    assert by_text.structured_content["complete"] is True
    assert [m["text"] for m in by_regex.structured_content["matches"]] == ["def f():"]
    assert bad_regex.is_error and "invalid regular expression" in bad_regex.content[0].text
    assert moved.structured_content["path"] == "proj/library"
    assert rest_file(mcp_server.base_url, token, "GET", sid, "proj/library/b.py")[0] == 200
    assert deleted.structured_content == {"deleted": True, "path": "proj/notes.md"}
    assert again.is_error and "no such file: proj/notes.md" in again.content[0].text
    assert not_empty.is_error and "not empty" in not_empty.content[0].text


def test_a_content_search_is_bounded_in_time(mcp_server, alice):
    token, sid = alice
    rest_file(mcp_server.base_url, token, "PUT", sid, "slow/x.txt", b"x" * 50_000)

    async def scenario(client):
        started = time.monotonic()
        result = await client.call_tool(
            "files_search",
            {"sessionId": sid, "path": "slow", "query": "(x+x+)+y", "isRegex": True},
        )
        return result, time.monotonic() - started

    result, elapsed = tools(mcp_server, token, scenario)
    assert not result.is_error
    assert result.structured_content["complete"] is False
    assert "s spent" in result.structured_content["note"]
    assert elapsed < 30


def test_session_files_are_resources(mcp_server, alice):
    token, sid = alice
    rest_file(mcp_server.base_url, token, "PUT", sid, "res/deep/nested/main.py", b"x = 1\n")
    rest_file(mcp_server.base_url, token, "PUT", sid, "res/data.bin", b"\x00\x01\x02")
    base = f"coditect://sessions/{sid}/files/"

    async def scenario(client):
        templates = (await client.list_resource_templates()).resource_templates
        uris = []
        cursor = None
        for _ in range(20):
            page = (
                await client.list_resources(cursor=cursor)
                if cursor
                else (await client.list_resources())
            )
            uris += [str(r.uri) for r in page.resources]
            cursor = page.next_cursor
            if not cursor:
                break
        text = await client.read_resource(base + "res/deep/nested/main.py")
        binary = await client.read_resource(base + "res/data.bin")
        errors = []
        for uri in (base + "res/missing.txt", base + "res/../../etc/passwd"):
            try:
                await client.read_resource(uri)
            except Exception as exc:  # a JSON-RPC error, raised by the client
                errors.append(str(exc))
        return templates, uris, text, binary, errors

    templates, uris, text, binary, errors = tools(mcp_server, token, scenario)
    assert templates[0].uri_template == "coditect://sessions/{sessionId}/files/{+path}"
    assert base + "res/deep/nested/main.py" in uris
    assert text.contents[0].text == "x = 1\n"
    assert base64.b64decode(binary.contents[0].blob) == b"\x00\x01\x02"
    assert len(errors) == 2 and "no such file" in errors[0]


def test_another_tenants_files_are_invisible(mcp_server, alice):
    token, sid = alice
    rest_file(mcp_server.base_url, token, "PUT", sid, "secret.txt", b"alice only")
    charlie = token_for(mcp_server.base_url, "mcp-files-charlie@example.com")

    async def scenario(client):
        read = await client.call_tool("file_read", {"sessionId": sid, "path": "secret.txt"})
        listed = await client.call_tool("files_list", {"sessionId": sid})
        wrote = await client.call_tool(
            "file_write", {"sessionId": sid, "path": "secret.txt", "content": "pwned"}
        )
        return read, listed, wrote

    for result in tools(mcp_server, charlie, scenario):
        assert result.is_error
        assert "not found" in result.content[0].text.lower() or "no such" in result.content[0].text
    assert rest_file(mcp_server.base_url, token, "GET", sid, "secret.txt")[1] == b"alice only"
