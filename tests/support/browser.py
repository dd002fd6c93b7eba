"""Headless Chromium driven through chromedriver's W3C WebDriver HTTP protocol.

Debian's ``chromium`` and ``chromium-driver`` (installed by
``scripts/setup-system.sh``). WebDriver is JSON over HTTP, so the standard
library is the whole client: start a session, open a URL, run a script, quit.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest

from tests.support.server import free_port

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
FLAGS = [
    "--headless",
    "--no-sandbox",  # running as root in CI
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
START_TIMEOUT_S = 60


class WebDriverError(AssertionError):
    pass


class Browser:
    """One WebDriver session."""

    def __init__(self, driver_url: str) -> None:
        self.driver_url = driver_url
        self.session = ""

    def command(self, method: str, path: str, body: dict | None = None) -> Any:
        """Send one command of this session (``path`` after ``/session/<id>``)."""
        return self.send(method, f"/session/{self.session}{path}", body)

    def send(self, method: str, path: str, body: dict | None = None) -> Any:
        """Send one WebDriver request; return its ``value``."""
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(  # noqa: S310 -- chromedriver on loopback
            self.driver_url + path,
            data=data,
            method=method,
            headers={"Content-Type": "application/json"},
        )
        try:
            with urllib.request.urlopen(request, timeout=START_TIMEOUT_S) as response:  # noqa: S310
                return json.loads(response.read())["value"]
        except urllib.error.HTTPError as error:
            raise WebDriverError(f"{method} {path}: {error.read().decode()[:2000]}") from None

    def start(self, profile: Path) -> None:
        options = {"binary": str(CHROMIUM), "args": [*FLAGS, f"--user-data-dir={profile}"]}
        capabilities = {
            "browserName": "chrome",
            "goog:chromeOptions": options,
            "goog:loggingPrefs": {"browser": "ALL"},
        }
        value = self.send("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})
        self.session = value["sessionId"]

    def open(self, url: str) -> None:
        self.command("POST", "/url", {"url": url})

    def run(self, script: str, *args: Any) -> Any:
        """Run ``script`` (a function body) in the page; return what it returns."""
        return self.command("POST", "/execute/sync", {"script": script, "args": list(args)})

    def wait_for(self, script: str, timeout: float = 60) -> Any:
        """Run ``script`` until it returns something truthy; return that."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = self.run(script)
            if value:
                return value
            time.sleep(0.1)
        raise WebDriverError(f"the page did not get there in {timeout}s: {script}")

    def console(self) -> list[str]:
        """The page's console messages so far (chromedriver's log endpoint)."""
        with suppress(WebDriverError):
            entries = self.command("POST", "/se/log", {"type": "browser"})
            return [entry["message"] for entry in entries]
        return []

    def quit(self) -> None:
        if self.session:
            with suppress(WebDriverError, OSError):
                self.command("DELETE", "")
            self.session = ""


@contextmanager
def chromium(directory: Path) -> Iterator[Browser]:
    """A headless Chromium with a fresh profile in ``directory``; always shut down."""
    for binary in (CHROMIUM, CHROMEDRIVER):
        if not os.access(binary, os.X_OK):
            pytest.fail(f"{binary} is missing: run scripts/setup-system.sh (as root)")
    port = free_port()
    log_path = directory / "chromedriver.log"
    with log_path.open("ab") as log:
        driver = subprocess.Popen(
            [str(CHROMEDRIVER), f"--port={port}"],
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # chromedriver and every Chromium process it starts
        )
    browser = Browser(f"http://127.0.0.1:{port}")
    try:
        _wait_until_ready(browser, driver, log_path)
        browser.start(directory / "profile")
        yield browser
    finally:
        browser.quit()
        with suppress(ProcessLookupError):
            os.killpg(driver.pid, signal.SIGTERM)
        try:
            driver.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with suppress(ProcessLookupError):
                os.killpg(driver.pid, signal.SIGKILL)
            driver.wait(timeout=10)


def _wait_until_ready(browser: Browser, driver: subprocess.Popen, log_path: Path) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if driver.poll() is not None:
            pytest.fail(f"chromedriver exited with {driver.returncode}:\n{log_path.read_text()}")
        with suppress(OSError, ValueError, WebDriverError):
            if browser.send("GET", "/status")["ready"]:
                return
        time.sleep(0.1)
    pytest.fail(f"chromedriver was not ready within {START_TIMEOUT_S}s:\n{log_path.read_text()}")
