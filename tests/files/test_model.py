"""A Hypothesis state machine drives the file API (put, get, delete, move, copy,
list, usage) and a plain in-memory model side by side, on the memory and the
embedded backends, and asserts the same answers at every step."""

from __future__ import annotations

import tempfile
import uuid
from contextlib import ExitStack

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from rest_framework.test import APIClient

from accounts.records import Principal
from fdbstore.backends.memory import MemoryDatabase
from fdbstore.connection import use_database
from fdbstore.layout import ensure_layout
from sessions_api.services import session_create
from tests.files.support import Files, body_of
from tests.support.stores import open_store

Path = tuple[str, ...]
paths = st.lists(st.sampled_from(["a", "b", "é", "a b"]), min_size=1, max_size=3).map(tuple)
blobs = st.binary(max_size=40)


def principal() -> Principal:
    return Principal(
        user_id=uuid.uuid4(),
        tenant_id=uuid.uuid4(),
        email="model@example.com",
        jti=str(uuid.uuid4()),
        issued_at=0,
        expires_at=2**40,
    )


class FileModel(RuleBasedStateMachine):
    backend = "memory"

    def __init__(self) -> None:
        super().__init__()
        self.stack = ExitStack()
        if self.backend == "memory":
            db = MemoryDatabase()
            ensure_layout(db)
        else:
            folder = self.stack.enter_context(tempfile.TemporaryDirectory())
            db = open_store(f"{folder}/store.sqlite3")
            self.stack.callback(db.close)
        self.stack.enter_context(use_database(db))
        who = principal()
        client = APIClient()
        client.force_authenticate(user=who)
        session = session_create(principal=who, name="model")
        self.api = Files(client, {}, str(session.id))
        self.files: dict[Path, bytes] = {}
        self.dirs: set[Path] = set()

    def teardown(self) -> None:
        self.stack.close()

    # -- the model -----------------------------------------------------------------
    def blocked(self, path: Path) -> bool:
        """A proper prefix of ``path`` is a file."""
        return any(path[:i] in self.files for i in range(1, len(path)))

    def subtree(self, path: Path) -> tuple[list[Path], list[Path]]:
        n = len(path)
        return [p for p in self.files if p[:n] == path], [d for d in self.dirs if d[:n] == path]

    def add_parents(self, path: Path) -> None:
        self.dirs.update(path[:i] for i in range(1, len(path)))

    # -- the rules -----------------------------------------------------------------
    @rule(path=paths, data=blobs)
    def put(self, path: Path, data: bytes) -> None:
        response = self.api.put("/".join(path), data)
        if self.blocked(path):
            assert self.code(response) == (409, "not_a_directory")
        elif path in self.dirs:
            assert self.code(response) == (409, "is_a_directory")
        else:
            assert response.status_code == (200 if path in self.files else 201), response.content
            self.add_parents(path)
            self.files[path] = data

    @rule(path=paths)
    def get(self, path: Path) -> None:
        response = self.api.get("/".join(path))
        if path in self.files:
            assert response.status_code == 200
            assert body_of(response) == self.files[path]
        elif path in self.dirs:
            assert response.status_code == 409
        else:
            assert response.status_code == 404

    @rule(path=paths, recursive=st.booleans())
    def delete(self, path: Path, recursive: bool) -> None:
        response = self.api.delete("/".join(path), "?recursive=true" if recursive else "")
        if path in self.files:
            assert response.status_code == 204
            del self.files[path]
        elif path in self.dirs:
            files, dirs = self.subtree(path)
            if len(files) + len(dirs) > 1 and not recursive:
                assert self.code(response) == (409, "directory_not_empty")
                return
            assert response.status_code == 204
            for p in files:
                del self.files[p]
            self.dirs.difference_update(dirs)
        else:
            assert response.status_code == 404

    @rule(src=paths, dst=paths, overwrite=st.booleans())
    def move(self, src: Path, dst: Path, overwrite: bool) -> None:
        response = self.api.op(
            "move", {"from": "/".join(src), "to": "/".join(dst), "overwrite": overwrite}
        )
        if dst[: len(src)] == src and dst != src:
            assert response.status_code == 400
            return
        if src not in self.files and src not in self.dirs:
            assert response.status_code == 404
            return
        if src == dst:
            assert response.status_code == 200
            return
        if self.blocked(dst):
            assert self.code(response) == (409, "not_a_directory")
            return
        exists = dst in self.files or dst in self.dirs
        if exists and (not overwrite or dst in self.dirs or src in self.dirs):
            assert self.code(response) == (409, "already_exists")
            return
        assert response.status_code == 200, response.content
        self.add_parents(dst)
        files, dirs = self.subtree(src)
        moved = {dst + p[len(src) :]: self.files.pop(p) for p in files}
        self.dirs.difference_update(dirs)
        self.dirs.update(dst + d[len(src) :] for d in dirs)
        self.files.update(moved)

    @rule(src=paths, dst=paths, overwrite=st.booleans())
    def copy(self, src: Path, dst: Path, overwrite: bool) -> None:
        response = self.api.op(
            "copy", {"from": "/".join(src), "to": "/".join(dst), "overwrite": overwrite}
        )
        if src in self.dirs:
            assert self.code(response) == (409, "is_a_directory")
        elif src not in self.files:
            assert response.status_code == 404
        elif self.blocked(dst):
            assert self.code(response) == (409, "not_a_directory")
        elif dst in self.dirs:
            assert self.code(response) == (409, "is_a_directory")
        elif dst in self.files and not overwrite:
            assert self.code(response) == (409, "already_exists")
        else:
            assert response.status_code == (200 if dst in self.files else 201), response.content
            self.add_parents(dst)
            self.files[dst] = self.files[src]

    @rule(path=st.one_of(st.just(()), paths), recursive=st.booleans())
    def listing(self, path: Path, recursive: bool) -> None:
        response = self.api.list(path="/".join(path), recursive=str(recursive).lower(), limit=1000)
        if path and path not in self.dirs:
            assert response.status_code == 404
            return
        n = len(path)
        expected = sorted(
            [
                (p, "file", len(data))
                for p, data in self.files.items()
                if p[:n] == path and len(p) > n
            ]
            + [(d, "directory", 0) for d in self.dirs if d[:n] == path and len(d) > n]
        )
        if not recursive:
            expected = [e for e in expected if len(e[0]) == n + 1]
        got = [(tuple(e["path"].split("/")), e["type"], e["size"]) for e in response.json()["data"]]
        assert got == expected

    @invariant()
    def usage_matches(self) -> None:
        usage = self.api.usage()
        assert (usage["bytes"], usage["files"]) == (
            sum(map(len, self.files.values())),
            len(self.files),
        )

    @staticmethod
    def code(response) -> tuple[int, str]:
        return response.status_code, response.json()["error"]["code"]


class EmbeddedFileModel(FileModel):
    backend = "embedded"


MODEL_SETTINGS = settings(
    max_examples=25, stateful_step_count=30, deadline=None, suppress_health_check=list(HealthCheck)
)
TestFileModelOnMemory = FileModel.TestCase
TestFileModelOnMemory.settings = MODEL_SETTINGS
TestFileModelOnEmbedded = EmbeddedFileModel.TestCase
TestFileModelOnEmbedded.settings = MODEL_SETTINGS
