"""A one-line progress display for long operator commands.

Hand-written rather than ``tqdm``: the commands need one line redrawn on a
terminal and nothing at all otherwise, which is thirty lines, not a runtime
dependency for the API server to carry. It draws only when the stream is a
terminal, so pipes, files, cron logs and ``call_command`` stay clean.
"""

from __future__ import annotations

import time
from typing import IO, Any

from django.core.management.base import OutputWrapper


class Progress:
    """Counts work done; shows ``label [####....] 40% 400/1,000`` (or a count).

    ``total`` None shows a running count. ``timer`` is swappable in tests."""

    timer = staticmethod(time.monotonic)
    WIDTH = 30
    EVERY_S = 0.1

    def __init__(self, stream: IO[str] | Any, label: str, total: int | None = None) -> None:
        isatty = getattr(stream, "isatty", None)
        self.enabled = bool(isatty and isatty())
        self.stream, self.label, self.total = stream, label, total
        self.done = 0
        self._drawn_at = float("-inf")

    def advance(self, n: int = 1) -> None:
        self.done += n
        if self.enabled and self.timer() - self._drawn_at >= self.EVERY_S:
            self._draw()

    def close(self) -> None:
        if self.enabled:
            self._draw()
            self._emit("\n")

    def render(self) -> str:
        if not self.total:
            return f"{self.label}: {self.done:,}"
        share = min(self.done / self.total, 1.0)
        bar = "#" * int(share * self.WIDTH)
        return f"{self.label} [{bar:.<{self.WIDTH}}] {share:4.0%} {self.done:,}/{self.total:,}"

    def _draw(self) -> None:
        self._drawn_at = self.timer()
        self._emit("\r" + self.render())

    def _emit(self, text: str) -> None:
        if isinstance(self.stream, OutputWrapper):
            # A command's stderr would add a newline and colour the bar as an error.
            self.stream.write(text, style_func=lambda s: s, ending="")
        else:
            self.stream.write(text)
        self.stream.flush()
