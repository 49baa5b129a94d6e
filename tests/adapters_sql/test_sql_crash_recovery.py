"""Crash injection: a service call and the outbox dispatch, stopped at every step.

The service is the renewal scheduler: in one unit of work it saves the
contracts whose term ended (renewed), adds one alert per due contract to the
ledger, and sends one notification per alert -- here into the outbox. The
dispatcher then delivers each to the "mail server" (a list that outlives the
crash, as an external system does) and marks it delivered.

Each test stops the run at one step (after each write, around the commit,
before and after each delivery), then restarts as a host would: a new engine,
the scheduler run again, the dispatcher run again. After the crash the stored
state is exactly before or exactly after the whole service call, and after the
restart every notification has reached the mail server, exactly once once
de-duplicated by key (a crash between delivering and marking delivers twice:
at least once).

The in-process crash raises an exception the code under test does not catch
(a ``BaseException``); one more test kills a real process with ``os._exit``
at the worst moments, leaving SQLite to recover its files.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path
from typing import Any, cast

import pytest
import sqlalchemy as sa
from sql_support import private_folder, sqlite_engine

from kamcore.accounts import Client
from kamcore.adapters.clock import FixedClock
from kamcore.adapters.sql import (
    OutboxDispatcher,
    OutboxNotifier,
    SqlUnitOfWork,
    upgrade,
)
from kamcore.kernel import ClientId, ManagerId
from kamcore.ports import Notification, UnitOfWork
from kamcore.services import run_renewal_scheduler
from kamcore.testing._contract_samples import active_contract
from kamcore.testing._harness import snapshot

NOV_1 = dt.datetime(2026, 11, 1, 6, 0, tzinfo=dt.UTC)


class Crash(BaseException):
    """The process dies here: nothing in kamcore catches it."""


class Steps:
    """Counts the steps of a run and crashes at step ``crash_at`` (never if None)."""

    def __init__(self, crash_at: int | None = None) -> None:
        self.crash_at = crash_at
        self.taken: list[str] = []

    def step(self, name: str) -> None:
        self.taken.append(name)
        if len(self.taken) == self.crash_at:
            raise Crash(name)


class _Repository:
    """A repository whose writes are steps."""

    def __init__(self, inner: Any, steps: Steps, name: str) -> None:
        self._inner, self._steps, self._name = inner, steps, name

    def __getattr__(self, attribute: str) -> Any:
        found = getattr(self._inner, attribute)
        if attribute not in ("add", "save"):
            return found

        def write(aggregate: Any) -> Any:
            result = found(aggregate)
            self._steps.step(f"{self._name}.{attribute}({aggregate.id})")
            return result

        return write


class CrashingUnitOfWork:
    """A unit of work whose writes and commit are steps."""

    def __init__(self, inner: SqlUnitOfWork, steps: Steps) -> None:
        self._inner, self._steps = inner, steps

    def __getattr__(self, name: str) -> Any:
        return _Repository(getattr(self._inner, name), self._steps, name)

    def __enter__(self) -> CrashingUnitOfWork:
        self._inner.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._inner.__exit__(*exc)

    def commit(self) -> None:
        self._steps.step("commit")
        self._inner.commit()
        self._steps.step("committed")


class CrashingOutbox:
    """The outbox notifier, each send a step."""

    def __init__(self, outbox: OutboxNotifier, steps: Steps) -> None:
        self._outbox, self._steps = outbox, steps

    def send(self, notification: Notification, /) -> None:
        self._outbox.send(notification)
        self._steps.step(f"outbox.send({notification.key})")


class MailServer:
    """The outside world: it keeps what it received across crashes."""

    def __init__(self) -> None:
        self.received: list[str] = []


class Delivery:
    """Delivers to the mail server; before and after each delivery is a step."""

    def __init__(self, server: MailServer, steps: Steps) -> None:
        self._server, self._steps = server, steps

    def send(self, notification: Notification, /) -> None:
        self._steps.step(f"deliver({notification.key})")
        self._server.received.append(notification.key)
        self._steps.step(f"delivered({notification.key})")


def portfolio(engine: sa.Engine) -> None:
    """Two managers' clients and four contracts, one of them renewing itself."""
    uow = SqlUnitOfWork(engine)
    with uow:
        for client_id, manager in (("acme", "m.rossi"), ("globex", "j.smith")):
            uow.clients.add(
                Client(
                    id=ClientId(client_id),
                    name=client_id.title(),
                    currency="EUR",
                    locale="en_GB",
                    account_manager=ManagerId(manager),
                )
            )
        uow.contracts.add(active_contract("k-1", client="acme"))
        uow.contracts.add(
            active_contract(
                "k-2", client="acme", start=dt.date(2025, 11, 1), auto_renew=True
            )
        )
        uow.contracts.add(active_contract("k-3", client="globex"))
        uow.contracts.add(
            active_contract("k-4", client="globex", start=dt.date(2025, 12, 1))
        )
        uow.commit()


def run(engine: sa.Engine, server: MailServer, steps: Steps) -> None:
    """The host's job: the scheduler, then the dispatcher."""
    uow = SqlUnitOfWork(engine)
    crashing = cast(UnitOfWork, CrashingUnitOfWork(uow, steps))
    outbox = CrashingOutbox(OutboxNotifier(uow), steps)
    run_renewal_scheduler(crashing, outbox, FixedClock(NOV_1))
    OutboxDispatcher(engine, Delivery(server, steps)).dispatch()


def state(engine: sa.Engine) -> tuple[dict[str, list[Any]], list[str]]:
    """Every aggregate, and the keys in the outbox."""
    uow = SqlUnitOfWork(engine)
    with engine.connect() as connection:
        keys = connection.execute(sa.text("SELECT key FROM outbox ORDER BY key")).all()
    return snapshot(lambda: uow), [key for (key,) in keys]


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with private_folder() as path:
        yield path


@pytest.fixture(scope="module")
def template(folder: Path) -> Path:
    """A database with the portfolio, before the scheduler ran."""
    with sqlite_engine(folder, "template.db") as engine:
        upgrade(engine)
        portfolio(engine)
    return folder / "template.db"


def fresh_copy(template: Path, name: str) -> Path:
    target = template.with_name(name)
    target.write_bytes(template.read_bytes())
    return target


@pytest.fixture(scope="module")
def reference(template: Path) -> tuple[list[str], Any, Any]:
    """A run without crash: its steps, and the state before and after it."""
    copy = fresh_copy(template, "reference.db")
    with sqlite_engine(copy.parent, copy.name) as engine:
        before = state(engine)
        steps = Steps()
        server = MailServer()
        run(engine, server, steps)
        after = state(engine)
    assert sorted(server.received) == after[1]
    return steps.taken, before, after


def test_the_run_has_the_steps_the_crash_tests_expect(
    reference: tuple[list[str], Any, Any],
) -> None:
    steps, before, after = reference
    assert before[1] == []
    # Three renewal alerts, and k-2's late alert: its term ended before the
    # first run, which renews it.
    assert len(after[1]) == 4
    assert [s.split("(")[0] for s in steps] == [
        "contracts.save",
        *["renewal_alerts.add"] * 4,
        *["outbox.send"] * 4,
        "commit",
        "committed",
        *["deliver", "delivered"] * 4,
    ]


CRASH_POINTS = list(range(1, 20))


@pytest.mark.parametrize("crash_at", CRASH_POINTS)
def test_after_a_crash_at_any_step_a_restart_delivers_everything_once(
    template: Path, reference: tuple[list[str], Any, Any], crash_at: int
) -> None:
    steps_taken, before, after = reference
    copy = fresh_copy(template, f"crash-{crash_at}.db")
    server = MailServer()
    with sqlite_engine(copy.parent, copy.name) as engine, pytest.raises(Crash):
        run(engine, server, Steps(crash_at))
    with sqlite_engine(copy.parent, copy.name) as restarted:
        crashed_state = state(restarted)
        committed = crash_at > steps_taken.index("commit") + 1
        assert crashed_state == (after if committed else before)
        run(restarted, server, Steps())
        assert state(restarted) == after
        assert OutboxDispatcher(restarted, Delivery(server, Steps())).pending() == []
    assert sorted(set(server.received)) == after[1]
    crashed_step = steps_taken[crash_at - 1]
    twice = (
        [crashed_step[len("delivered(") : -1]]
        if crashed_step.startswith("delivered(")
        else []
    )
    assert sorted(server.received) == sorted(after[1] + twice)


_CHILD = textwrap.dedent(
    """
    import os, sys
    sys.path.insert(0, sys.argv[3])
    import test_sql_crash_recovery as crash
    from kamcore.adapters.sql import create_engine_for

    class Killed(crash.Steps):
        def step(self, name):
            self.taken.append(name)
            if name == sys.argv[2]:
                os._exit(137)  # no clean-up at all: the process is gone

    class FileDelivery:
        def __init__(self, path, steps):
            self.path, self.steps = path, steps
        def send(self, notification, /):
            self.steps.step(f"deliver({notification.key})")
            with open(self.path, "a", encoding="utf-8") as mailbox:
                mailbox.write(notification.key + "\\n")
                mailbox.flush()
                os.fsync(mailbox.fileno())
            self.steps.step(f"delivered({notification.key})")

    engine = create_engine_for(sys.argv[1])
    steps = Killed()
    uow = crash.SqlUnitOfWork(engine)
    crash.run_renewal_scheduler(
        crash.CrashingUnitOfWork(uow, steps),
        crash.CrashingOutbox(crash.OutboxNotifier(uow), steps),
        crash.FixedClock(crash.NOV_1),
    )
    crash.OutboxDispatcher(engine, FileDelivery(sys.argv[4], steps)).dispatch()
    sys.exit(0)
    """
)


@pytest.mark.parametrize(
    "kill_at",
    [
        "renewal_alerts.add(k-3/2026-12-31/renewal)",
        "committed",
        "delivered(renewal_alert:k-1/2026-12-31/renewal)",
    ],
)
def test_a_killed_process_loses_nothing(
    template: Path, reference: tuple[list[str], Any, Any], kill_at: str
) -> None:
    steps_taken, before, after = reference
    assert kill_at in steps_taken
    copy = fresh_copy(template, f"killed-{steps_taken.index(kill_at)}.db")
    mailbox = copy.with_suffix(".mailbox")
    mailbox.touch()
    child = subprocess.run(  # noqa: S603 - our own interpreter and script
        [
            sys.executable,
            "-c",
            _CHILD,
            f"sqlite:///{copy}",
            kill_at,
            str(Path(__file__).parent),
            str(mailbox),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )
    assert child.returncode == 137, child.stderr
    server = MailServer()
    server.received = mailbox.read_text(encoding="utf-8").split()
    with sqlite_engine(copy.parent, copy.name) as restarted:
        committed = steps_taken.index(kill_at) > steps_taken.index("commit")
        assert state(restarted) == (after if committed else before)
        run(restarted, server, Steps())
        assert state(restarted) == after
    assert sorted(set(server.received)) == after[1]
