"""CompositeUnitOfWork: the order of its stores' steps, and what a failure says."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kamcore.accounts import Client
from kamcore.adapters.composite import CompositeUnitOfWork
from kamcore.adapters.memory import InMemoryUnitOfWork
from kamcore.errors import (
    ConcurrencyConflictError,
    PartialCommitError,
    TransactionError,
    ValidationError,
)
from kamcore.kernel import ClientId


class RefusedError(Exception):
    pass


class Store:
    """A store that logs each step in a shared journal and fails where told."""

    def __init__(self, name: str, journal: list[str], fails: set[str] | None = None):
        self.name = name
        self.journal = journal
        self.fails = fails or set()

    def _step(self, step: str) -> None:
        self.journal.append(f"{self.name}.{step}")
        if step in self.fails:
            raise RefusedError(f"{self.name} refuses {step}")

    def __enter__(self) -> Self:
        self._step("enter")
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._step("exit")

    def commit(self) -> None:
        self._step("commit")

    def rollback(self) -> None:
        self._step("rollback")


class CrmStore(Store):
    pass


class BaseStore(Store):
    """Stands for kamcore's unit of work: a store with every repository."""

    def __getattr__(self, name: str) -> Any:
        return f"base.{name}"


def _composite(journal: list[str], **fails: set[str]) -> CompositeUnitOfWork:
    base = BaseStore("base", journal, fails.get("base", set()))
    stores = [
        CrmStore("crm", journal, fails.get("crm", set())),
        Store("ledger", journal, fails.get("ledger", set())),
    ]
    return CompositeUnitOfWork(base, stores=stores, clients="crm.clients")  # type: ignore[arg-type]


def test_repositories_not_given_come_from_base() -> None:
    uow = _composite([])
    found: tuple[object, ...] = (uow.clients, uow.invoices, uow.memberships)
    assert found == (
        "crm.clients",
        "base.invoices",
        "base.memberships",
    )


def test_a_block_enters_base_first_commits_it_last_and_leaves_it_last() -> None:
    journal: list[str] = []
    uow = _composite(journal)
    with uow:
        uow.commit()
    assert journal == [
        "base.enter",
        "crm.enter",
        "ledger.enter",
        "crm.commit",
        "ledger.commit",
        "base.commit",
        "ledger.exit",
        "crm.exit",
        "base.exit",
    ]


def test_when_the_first_store_refuses_the_rest_roll_back_and_it_is_raised() -> None:
    journal: list[str] = []
    uow = _composite(journal, crm={"commit"})
    with uow:
        journal.clear()
        with pytest.raises(RefusedError, match="crm refuses commit"):
            uow.commit()
    assert journal[:3] == ["crm.commit", "ledger.rollback", "base.rollback"]


def test_when_a_later_store_refuses_the_partial_commit_is_named() -> None:
    journal: list[str] = []
    uow = _composite(journal, ledger={"commit"})
    with uow:
        journal.clear()
        with pytest.raises(PartialCommitError) as caught:
            uow.commit()
    error = caught.value
    assert (error.committed, error.failed, error.rolled_back) == (
        ("CrmStore",),
        "Store",
        ("BaseStore",),
    )
    assert isinstance(error.__cause__, RefusedError)
    assert str(error) == (
        "the block was committed in part: stored in CrmStore; not stored in "
        "Store, BaseStore, because Store refused its commit "
        "(RefusedError: ledger refuses commit)"
    )
    assert journal[:3] == ["crm.commit", "ledger.commit", "base.rollback"]


def test_a_failing_rollback_after_a_refusal_is_noted_on_the_refusal() -> None:
    journal: list[str] = []
    uow = _composite(journal, crm={"commit"}, base={"rollback"})
    with uow, pytest.raises(RefusedError) as caught:
        uow.commit()
    assert caught.value.__notes__ == [
        "rolling back BaseStore failed: RefusedError('base refuses rollback')"
    ]
    assert "ledger.rollback" in journal


def test_a_store_that_cannot_enter_leaves_the_block_unentered() -> None:
    journal: list[str] = []
    uow = _composite(journal, ledger={"enter"})
    with pytest.raises(RefusedError):
        uow.__enter__()
    assert journal == [
        "base.enter",
        "crm.enter",
        "ledger.enter",
        "crm.exit",
        "base.exit",
    ]
    with pytest.raises(TransactionError):
        uow.commit()


def test_every_store_is_left_even_when_one_fails_to_leave() -> None:
    journal: list[str] = []
    uow = _composite(journal, crm={"exit"})
    with pytest.raises(RefusedError), uow:
        pass
    assert journal[-3:] == ["ledger.exit", "crm.exit", "base.exit"]


def test_rollback_rolls_back_every_store() -> None:
    journal: list[str] = []
    uow = _composite(journal)
    with uow:
        journal.clear()
        uow.rollback()
    assert journal[:3] == ["base.rollback", "crm.rollback", "ledger.rollback"]


def test_outside_the_block_commit_and_rollback_raise_and_reentry_too() -> None:
    uow = _composite([])
    with pytest.raises(TransactionError):
        uow.commit()
    with pytest.raises(TransactionError):
        uow.rollback()
    with uow, pytest.raises(TransactionError):
        uow.__enter__()


def test_a_repository_without_its_store_is_refused() -> None:
    crm = InMemoryUnitOfWork()
    with pytest.raises(ValidationError) as caught:
        CompositeUnitOfWork(InMemoryUnitOfWork(), clients=crm.clients)
    [problem] = caught.value.errors
    assert (problem.path, problem.value) == ("stores", ["clients"])


def test_base_among_the_stores_or_a_store_twice_is_refused() -> None:
    base, crm = InMemoryUnitOfWork(), InMemoryUnitOfWork()
    with pytest.raises(ValidationError, match="base is entered and committed"):
        CompositeUnitOfWork(base, stores=[base])
    with pytest.raises(ValidationError, match="a store is given twice"):
        CompositeUnitOfWork(base, stores=[crm, crm], clients=crm.clients)


def test_two_stores_of_one_type_are_told_apart_in_errors() -> None:
    kamcore, crm = InMemoryUnitOfWork(), InMemoryUnitOfWork()
    uow = CompositeUnitOfWork(kamcore, stores=[crm], clients=crm.clients)
    acme = Client(id=ClientId("acme"), name="Acme", currency="EUR", locale="en")
    with kamcore:
        kamcore.clients.add(acme)
        kamcore.commit()
    with uow:
        uow.clients.add(acme)  # in the CRM's store
        stale = kamcore.clients.get(ClientId("acme"))
        kamcore.clients.save(stale)  # in kamcore's, based on version 1
        with InMemoryUnitOfWork(kamcore.store) as rival:
            rival.clients.save(stale)
            rival.commit()
        with pytest.raises(PartialCommitError) as caught:
            uow.commit()
    assert (caught.value.committed, caught.value.failed) == (
        ("InMemoryUnitOfWork #1",),
        "InMemoryUnitOfWork #2",
    )
    assert isinstance(caught.value.__cause__, ConcurrencyConflictError)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.sampled_from(["commit", "rollback"]), max_size=3),
    st.integers(min_value=0, max_value=2),
)
def test_a_refused_commit_is_never_silent_and_never_half_reported(
    other_failures: list[str], refusing: int
) -> None:
    # Whichever store refuses, and whatever else fails meanwhile: the block
    # raises; what it says was stored is exactly the stores that committed.
    journal: list[str] = []
    names = ["crm", "ledger", "base"]
    fails = {name: set(other_failures) - {"commit"} for name in names}
    fails[names[refusing]] = fails[names[refusing]] | {"commit"}
    uow = _composite(journal, **fails)
    with uow:
        journal.clear()
        with pytest.raises((RefusedError, PartialCommitError)) as caught:
            uow.commit()
    committed = [entry.split(".")[0] for entry in journal if entry.endswith("commit")]
    stored = committed[:-1]  # the last commit in the journal is the refused one
    assert stored == names[:refusing]
    if refusing == 0:
        assert isinstance(caught.value, RefusedError)
    else:
        assert isinstance(caught.value, PartialCommitError)
        types = {"crm": "CrmStore", "ledger": "Store", "base": "BaseStore"}
        assert caught.value.committed == tuple(types[n] for n in stored)
