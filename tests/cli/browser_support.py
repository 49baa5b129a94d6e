"""A real browser for the HTML report's tests: Chromium, headless, driven over
the DevTools protocol with the standard library only.

Chromium started with ``--remote-debugging-pipe`` reads protocol commands from
its file descriptor 3 and writes answers and events to its descriptor 4, each
message one JSON document ended by a NUL byte. :class:`Browser` starts it on
two pipes (bash moves them to descriptors 3 and 4) and opens a tab;
:meth:`Browser.load` loads a page with scripts disabled, gathers what the
console says, and takes a screenshot. No WebDriver, no download: Debian's
``chromium`` package is all it needs (``.ci/run`` installs it).
"""

from __future__ import annotations

import base64
import fcntl
import json
import os
import queue
import shutil
import subprocess
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple

CHROMIUM = Path("/usr/bin/chromium")
"""Where Debian's ``chromium`` package puts the browser."""

TIMEOUT = 60.0
"""Seconds to wait for any one answer of the browser."""

FLAGS = (
    "--headless",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-sync",
    "--no-default-browser-check",
    "--no-first-run",
    "--hide-scrollbars",
    "--mute-audio",
    "--remote-debugging-pipe",
)
"""Headless, and nothing that would reach the network by itself."""


def chromium() -> Path | None:
    """Chromium's path, if it is installed."""
    found = shutil.which("chromium") or (str(CHROMIUM) if CHROMIUM.exists() else None)
    return None if found is None else Path(found)


class BrowserError(RuntimeError):
    """The browser answered a command with an error, or not in time."""


class Loaded(NamedTuple):
    """A page as the browser loaded it.

    Attributes:
        console: Every error and warning the console shows (console calls,
            uncaught exceptions, the browser's own log: a refused load, a
            Content-Security-Policy violation), as ``"level: text"``.
        title: The document's title.
        size: The page's width and height in CSS pixels.
        png: A screenshot of the whole page.
        values: What each expression asked for gave.
    """

    console: list[str]
    title: str
    size: tuple[int, int]
    png: bytes
    values: list[Any]


class Browser:
    """Headless Chromium over the DevTools pipe, as a context manager."""

    def __init__(self, executable: Path) -> None:
        self._executable = executable
        self._profile = tempfile.TemporaryDirectory(prefix="kamcore-chromium-")
        self._messages: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self._events: list[dict[str, Any]] = []
        self._next_id = 0

    def __enter__(self) -> Browser:
        commands_read, self._commands = os.pipe()
        self._answers, answers_write = os.pipe()
        # The child's ends, above 3 and 4 whatever os.pipe gave, so that the
        # shell can move them there.
        given = (commands_read, answers_write)
        ends = [fcntl.fcntl(end, fcntl.F_DUPFD_CLOEXEC, 10) for end in given]
        for end in given:
            os.close(end)
        flags = [*FLAGS, f"--user-data-dir={self._profile.name}"]
        if os.geteuid() == 0:
            flags.append("--no-sandbox")  # Chromium refuses to run as root otherwise
        read, write = ends
        pipes = f'exec "$@" 3<&{read} 4>&{write} {read}<&- {write}>&-'
        self._process = subprocess.Popen(  # noqa: S603 - the system's Chromium, our flags
            [
                "/bin/bash",
                "-c",
                pipes,
                "bash",
                str(self._executable),
                *flags,
                "about:blank",
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            pass_fds=ends,
        )
        for end in ends:
            os.close(end)
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        try:
            self._send("Browser.close", {}, wait=False)
            self._process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            self._process.kill()
            self._process.wait()
        finally:
            os.close(self._commands)
            self._reader.join(timeout=10)
            os.close(self._answers)
            self._profile.cleanup()

    def _read(self) -> None:
        pending = b""
        while chunk := os.read(self._answers, 1 << 16):
            pending += chunk
            *messages, pending = pending.split(b"\0")
            for message in messages:
                self._messages.put(json.loads(message))
        self._messages.put(None)

    def _send(
        self,
        method: str,
        params: dict[str, Any],
        session: str | None = None,
        *,
        wait: bool = True,
    ) -> dict[str, Any]:
        self._next_id += 1
        command: dict[str, Any] = {"id": self._next_id, "method": method}
        command["params"] = params
        if session is not None:
            command["sessionId"] = session
        os.write(self._commands, json.dumps(command).encode() + b"\0")
        if not wait:
            return {}
        while True:
            message = self._message(f"the answer to {method}")
            if message.get("id") == self._next_id:
                if "error" in message:
                    msg = f"{method}: {message['error']}"
                    raise BrowserError(msg)
                result: dict[str, Any] = message["result"]
                return result
            self._events.append(message)

    def _message(self, what: str) -> dict[str, Any]:
        try:
            message = self._messages.get(timeout=TIMEOUT)
        except queue.Empty:
            message = None
        if message is None:
            msg = f"no {what} from Chromium within {TIMEOUT:g} s"
            raise BrowserError(msg)
        return message

    def _wait_for(self, method: str, session: str) -> None:
        deadline = time.monotonic() + TIMEOUT
        while time.monotonic() < deadline:
            seen = [e for e in self._events if e.get("method") == method]
            if any(e.get("sessionId") == session for e in seen):
                return
            self._events.append(self._message(method))
        msg = f"no {method} within {TIMEOUT:g} s"
        raise BrowserError(msg)

    def load(
        self,
        url: str,
        *,
        width: int,
        scale: float = 1,
        evaluate: Sequence[str] = (),
    ) -> Loaded:
        """Load ``url`` in a new tab ``width`` CSS pixels wide, with the
        page's scripts disabled; once it has loaded, evaluate each of
        ``evaluate`` (JavaScript run by the protocol, not by the page) and
        screenshot the whole page, ``scale`` times its CSS size."""
        target = self._send("Target.createTarget", {"url": "about:blank"})["targetId"]
        session = self._send(
            "Target.attachToTarget", {"targetId": target, "flatten": True}
        )["sessionId"]
        for domain in ("Page", "Runtime", "Log"):
            self._send(f"{domain}.enable", {}, session)
        self._send("Emulation.setScriptExecutionDisabled", {"value": True}, session)
        metrics = {"width": width, "height": 800, "deviceScaleFactor": 1}
        self._send(
            "Emulation.setDeviceMetricsOverride", {**metrics, "mobile": False}, session
        )
        navigated = self._send("Page.navigate", {"url": url}, session)
        if "errorText" in navigated:
            msg = f"{url}: {navigated['errorText']}"
            raise BrowserError(msg)
        self._wait_for("Page.loadEventFired", session)
        layout = self._send("Page.getLayoutMetrics", {}, session)["cssContentSize"]
        size = (int(layout["width"]), int(layout["height"]))
        values = [
            self._send(
                "Runtime.evaluate",
                {"expression": expression, "returnByValue": True},
                session,
            )["result"].get("value")
            for expression in ("document.title", *evaluate)
        ]
        shot = self._send(
            "Page.captureScreenshot",
            {
                "format": "png",
                "captureBeyondViewport": True,
                "clip": {
                    "x": 0,
                    "y": 0,
                    "width": size[0],
                    "height": size[1],
                    "scale": scale,
                },
            },
            session,
        )
        self._send("Target.closeTarget", {"targetId": target})
        mine = [e for e in self._events if e.get("sessionId") == session]
        png = base64.b64decode(shot["data"])
        return Loaded(_console(mine), values[0], size, png, values[1:])


def _console(events: list[dict[str, Any]]) -> list[str]:
    """The errors and warnings among ``events``."""
    said: list[str] = []
    for event in events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params["type"] in {
            "error",
            "warning",
            "assert",
        }:
            texts = [
                str(arg.get("value", arg.get("description"))) for arg in params["args"]
            ]
            said.append(f"{params['type']}: {' '.join(texts)}")
        elif method == "Runtime.exceptionThrown":
            said.append(f"exception: {params['exceptionDetails'].get('text')}")
        elif method == "Log.entryAdded" and params["entry"]["level"] in {
            "error",
            "warning",
        }:
            entry = params["entry"]
            said.append(f"{entry['level']}: {entry['text']} ({entry.get('url', '')})")
    return said
