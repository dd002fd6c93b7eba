"""files_search: by name glob, and by content (a plain substring or a regular
expression over text files), bounded in files, bytes, matches and time."""

import time
from typing import Annotated, Any

import regex
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from pydantic import Field

from accounts.records import Principal
from files.errors import FileNotFound
from files.paths import parse_path
from files.selectors import encode_cursor, file_list
from mcp_server.errors import tool_errors
from mcp_server.principal import principal_of
from mcp_server.reading import as_text, file_bytes
from mcp_server.tools.files import missing
from mcp_server.tools.sessions import READ_ONLY, SessionId
from mcp_server.tools.shapes import SearchMatch, SearchResult

MAX_MATCHES = 200
FILE_MAX_BYTES = 1024 * 1024  # larger files are skipped by a content search
TOTAL_MAX_BYTES = 16 * 1024 * 1024  # content read by one search
MAX_FILES = 2000  # files looked at by one search
TIME_BUDGET_S = 5.0
PAGE = 200
LINE_CHARS = 200


@tool_errors
def files_search(
    ctx: Context,
    sessionId: SessionId,
    glob: Annotated[
        str | None, Field(description="Only paths (relative to `path`) matching this: **/*.py")
    ] = None,
    query: Annotated[
        str | None,
        Field(max_length=1000, description="Text to find in the files' content (text files)."),
    ] = None,
    isRegex: Annotated[bool, Field(description="Read query as a regular expression.")] = False,
    ignoreCase: bool = False,
    path: Annotated[str, Field(description="Search under this directory; empty: all.")] = "",
    limit: Annotated[int, Field(ge=1, le=MAX_MATCHES)] = 50,
    cursor: Annotated[str | None, Field(description="nextCursor of the previous call.")] = None,
) -> SearchResult:
    """Find files by name (glob) and/or content (substring or regex), in one session.
    Bounded: 2,000 files, 16 MiB and 5 s per call; nextCursor resumes where it stopped."""
    if not glob and not query:
        raise ToolError("give a glob, a query, or both")
    principal = principal_of(ctx)
    base = parse_path(path, allow_root=True)
    matcher = _matcher(query, is_regex=isRegex, ignore_case=ignoreCase) if query else None
    search = _Search(principal, sessionId, base, glob, matcher, limit)
    try:
        return search.run(cursor)
    except FileNotFound:
        raise missing(path) from None


def _matcher(query: str, *, is_regex: bool, ignore_case: bool) -> Any:
    flags = regex.MULTILINE | (regex.IGNORECASE if ignore_case else 0)
    try:
        return regex.compile(query if is_regex else regex.escape(query), flags)
    except regex.error as exc:
        raise ToolError(f"invalid regular expression: {exc}") from None


class _Search:
    def __init__(self, principal: Principal, session_id: str, base, glob, matcher, limit) -> None:
        self.principal, self.session_id, self.base = principal, session_id, base
        self.glob, self.matcher, self.limit = glob, matcher, limit
        self.matches: list[SearchMatch] = []
        self.scanned = self.read_bytes = 0
        self.deadline = time.monotonic() + TIME_BUDGET_S
        self.resume: str | None = None  # a cursor after the last file looked at
        self.timed_out = False

    def run(self, cursor: str | None) -> SearchResult:
        self.resume = cursor
        while True:
            listing = file_list(
                principal=self.principal,
                session_id=self.session_id,
                parts=self.base,
                recursive=True,
                limit=PAGE,
                cursor=cursor,
                glob=self.glob,
            )
            for item_path, entry in listing.items:
                if entry.is_dir:
                    continue
                stop = self._bound()
                if stop:
                    return self._result(self.resume, stop)
                self._look(item_path, entry)
                self.resume = encode_cursor(tuple(item_path.split("/"))[len(self.base) :])
                if len(self.matches) >= self.limit:
                    return self._result(self.resume, "match limit reached")
                if self.timed_out:
                    return self._result(self.resume, f"{TIME_BUDGET_S:g} s spent in {item_path}")
            if listing.next_cursor is None:
                return self._result(None, None)
            cursor = self.resume = listing.next_cursor
            stop = self._bound()
            if stop:
                return self._result(self.resume, stop)

    def _bound(self) -> str | None:
        if self.scanned >= MAX_FILES:
            return f"{MAX_FILES} files looked at"
        if self.read_bytes >= TOTAL_MAX_BYTES:
            return f"{TOTAL_MAX_BYTES} bytes read"
        if time.monotonic() >= self.deadline:
            return f"{TIME_BUDGET_S:g} s spent"
        return None

    def _look(self, item_path: str, entry) -> None:
        self.scanned += 1
        if self.matcher is None:
            self.matches.append({"path": item_path, "line": None, "text": None})
            return
        if entry.size > FILE_MAX_BYTES:
            return
        chunk = file_bytes(
            principal=self.principal,
            session_id=self.session_id,
            parts=tuple(item_path.split("/")),
            offset=0,
            length=FILE_MAX_BYTES,
        )
        self.read_bytes += len(chunk.data)
        text = as_text(chunk.data, length=len(chunk.data))
        if text is None:
            return
        self._grep(item_path, text[0])

    def _grep(self, item_path: str, text: str) -> None:
        remaining = max(0.01, self.deadline - time.monotonic())
        try:
            for found in self.matcher.finditer(text, timeout=remaining):
                start = text.rfind("\n", 0, found.start()) + 1
                end = text.find("\n", found.start())
                line = text[start : end if end >= 0 else len(text)]
                self.matches.append(
                    {
                        "path": item_path,
                        "line": text.count("\n", 0, found.start()) + 1,
                        "text": line[:LINE_CHARS],
                    }
                )
                if len(self.matches) >= self.limit:
                    return
        except TimeoutError:  # the regular expression used up the time budget
            self.timed_out = True

    def _result(self, next_cursor: str | None, stopped: str | None) -> SearchResult:
        note = None
        if stopped:
            note = f"stopped early ({stopped}); pass nextCursor to go on, or narrow glob/path"
        return {
            "matches": self.matches,
            "scannedFiles": self.scanned,
            "complete": stopped is None,
            "nextCursor": next_cursor,
            "note": note,
        }


def register(server: MCPServer) -> None:
    server.add_tool(files_search, name="files_search", annotations=READ_ONLY)
