"""API errors as MCP tool errors: a message a model can act on, never a traceback.

Services raise the API's own errors (``ApiError`` subclasses); ``tool_errors``
turns each into ``ToolError``, which the SDK answers as a ``CallToolResult``
with ``isError`` set. Anything else goes through the REST handler's
``as_api_error`` (which logs a genuine bug with its traceback, server side)."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, TypeVar

from mcp.server.mcpserver.exceptions import ToolError

from config.api.handlers import as_api_error

F = TypeVar("F", bound=Callable[..., Any])


def message_of(exc: BaseException) -> str:
    """One line for a model: the API's message, then its field errors if any."""
    error = as_api_error(exc)
    text = error.message.rstrip(".")
    if isinstance(error.details, dict):
        fields = [
            f"{name}: {_join(value).rstrip('.')}"
            for name, value in error.details.items()
            if name != "rule" and _join(value).rstrip(".") not in text  # no echo of the message
        ]
        if fields:
            text = f"{text}: {'; '.join(fields)}"
    return text


def _join(value: Any) -> str:
    if isinstance(value, list):
        return " ".join(_join(item) for item in value)
    if isinstance(value, dict):
        return "; ".join(f"{key}: {_join(item)}" for key, item in value.items())
    return str(value)


def tool_errors(fn: F) -> F:
    """Run ``fn``; any exception but ``ToolError`` becomes a ``ToolError`` with
    ``message_of`` it. The wrapper keeps ``fn``'s signature (the tool's schema), and
    stays a coroutine function when ``fn`` is one (the SDK awaits it on the loop)."""
    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
            try:
                return await fn(*args, **kwargs)
            except ToolError:
                raise
            except Exception as exc:
                raise ToolError(message_of(exc)) from exc

        return async_wrapper  # type: ignore[return-value]

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except ToolError:
            raise
        except Exception as exc:
            raise ToolError(message_of(exc)) from exc

    return wrapper  # type: ignore[return-value]
