"""Each session's files as resources: ``coditect://sessions/{sessionId}/files/{+path}``.

``resources/list`` pages through the tenant's sessions, one session's files
per page (at most ``PAGE`` of them, recursively); ``resources/read`` gives a
file whole (text, or base64 for binary content) up to ``READ_MAX_BYTES``;
larger files are read in ranges with the ``file_read`` tool."""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from mcp.server.lowlevel.helper_types import ReadResourceContents
from mcp.server.mcpserver.exceptions import ResourceError, ResourceNotFoundError
from mcp.shared.uri_template import UriTemplate
from mcp_types import Resource, ResourceTemplate

from accounts.records import Principal
from files.errors import FileNotFound
from files.paths import parse_path
from files.selectors import file_list
from mcp_server.errors import message_of
from mcp_server.reading import READ_MAX_BYTES, as_text, file_bytes
from mcp_server.tools.files import file_uri
from sessions_api.errors import SessionNotFound
from sessions_api.selectors import session_list

TEMPLATE = "coditect://sessions/{sessionId}/files/{+path}"
PAGE = 100
_PARSED = UriTemplate.parse(TEMPLATE)

FILE_TEMPLATE = ResourceTemplate(
    uri_template=TEMPLATE,
    name="session_file",
    title="A file of a workspace session",
    description="A file in a session's workspace; path may be nested (src/app/main.py). "
    f"Read whole up to {READ_MAX_BYTES} bytes; larger files with the file_read tool.",
)


def list_page(principal: Principal, cursor: str | None) -> tuple[list[Resource], str | None]:
    """One session's files (the session at ``cursor``), and the cursor of the next page."""
    sessions_cursor, files_cursor = _decode(cursor)
    page = session_list(tenant_id=principal.tenant_id, limit=1, cursor=sessions_cursor)
    if not page.items:
        return [], None
    session = page.items[0]
    sid = str(session.id)
    listing = file_list(
        principal=principal,
        session_id=sid,
        parts=(),
        recursive=True,
        limit=PAGE,
        cursor=files_cursor,
    )
    resources = [
        Resource(
            uri=file_uri(sid, path),
            name=path,
            title=f"{path} ({session.name})",
            mime_type=entry.content_type or None,
            size=entry.size,
        )
        for path, entry in listing.items
        if not entry.is_dir
    ]
    if listing.next_cursor:
        return resources, _encode(sessions_cursor, listing.next_cursor)
    if page.next_cursor:
        return resources, _encode(page.next_cursor, None)
    return resources, None


def read(principal: Principal, uri: str) -> ReadResourceContents:
    """The file ``uri`` names, whole; ``ResourceError`` with a readable message otherwise."""
    params = _PARSED.match(uri)
    if params is None:
        raise ResourceNotFoundError(f"unknown resource: {uri}")
    session_id, path = str(params["sessionId"]), str(params["path"])
    try:
        parts = parse_path(path)
        chunk = file_bytes(
            principal=principal,
            session_id=session_id,
            parts=parts,
            offset=0,
            length=READ_MAX_BYTES + 1,
        )
    except (FileNotFound, SessionNotFound):
        raise ResourceNotFoundError(f"no such file: {path} in session {session_id}") from None
    except Exception as exc:
        raise ResourceError(message_of(exc)) from exc
    if len(chunk.data) > READ_MAX_BYTES:
        raise ResourceError(
            f"{path} is {chunk.entry.size} bytes; read it in ranges with the file_read tool"
        )
    mime = chunk.entry.content_type or None
    text = as_text(chunk.data, length=len(chunk.data))
    content: str | bytes = text[0] if text is not None else chunk.data
    return ReadResourceContents(content=content, mime_type=mime)


def _encode(sessions_cursor: str | None, files_cursor: str | None) -> str:
    raw = json.dumps([sessions_cursor, files_cursor], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode()


def _decode(cursor: str | None) -> tuple[Any, Any]:
    if not cursor:
        return None, None
    try:
        value = json.loads(base64.urlsafe_b64decode(cursor.encode()))
        sessions_cursor, files_cursor = value
        if all(v is None or isinstance(v, str) for v in value):
            return sessions_cursor, files_cursor
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError):
        pass
    raise ResourceError("This cursor is not valid.")
