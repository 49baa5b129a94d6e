"""The portfolio document that ``kamcore import`` reads, checked before any write.

A portfolio is one JSON object with a list per kind of record, each record in
kamcore's JSON format (:mod:`kamcore.serialization`)::

    {"clients": [...], "products": [...], "price_lists": [...], "invoices": [...]}

Every key is optional. Importing is all or nothing: every file is parsed and
validated first (each record's fields, ids unique in the import and not already
stored, every reference resolved in the import or the database, every price
list consistent); only then is everything written, in one unit of work.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Protocol

import attrs

from kamcore.accounts import (
    Activity,
    Client,
    ClientGroup,
    Invoice,
    Order,
    Product,
    Ticket,
)
from kamcore.cli._cross_checks import Fetch, cross_checks, shown
from kamcore.cli._references import references
from kamcore.contracts import Contract, RenewalAlert, RenewalCase
from kamcore.errors import FieldError, KamcoreError, NotFoundError, ValidationError
from kamcore.loyalty import Membership, Programme
from kamcore.opportunities import Opportunity
from kamcore.ports import UnitOfWork
from kamcore.pricing import DiscountGroup, PriceList
from kamcore.proposals import Proposal
from kamcore.serialization import from_json, structure

__all__ = [
    "ENTITY_TYPES",
    "KINDS",
    "JsonOrigin",
    "Origin",
    "PortfolioDocument",
    "Record",
    "check_records",
    "read_json_file",
    "stored_records",
    "structure_record",
    "write_records",
]


@attrs.frozen(kw_only=True)
class PortfolioDocument:
    """A whole portfolio, or any part of it, as one document.

    Each attribute is a list of records of one kind, in kamcore's JSON format;
    a document may hold any subset. ``version`` must be left out (or 0) on
    every record: imported records are new. An optional top-level ``"$schema"``
    string (for editors) is ignored. The JSON Schema is
    ``docs/portfolio.schema.json`` (``kamcore schema`` prints it).
    """

    client_groups: tuple[ClientGroup, ...] = ()
    clients: tuple[Client, ...] = ()
    products: tuple[Product, ...] = ()
    price_lists: tuple[PriceList, ...] = ()
    discount_groups: tuple[DiscountGroup, ...] = ()
    programmes: tuple[Programme, ...] = ()
    memberships: tuple[Membership, ...] = ()
    orders: tuple[Order, ...] = ()
    invoices: tuple[Invoice, ...] = ()
    tickets: tuple[Ticket, ...] = ()
    activities: tuple[Activity, ...] = ()
    contracts: tuple[Contract, ...] = ()
    renewal_alerts: tuple[RenewalAlert, ...] = ()
    renewal_cases: tuple[RenewalCase, ...] = ()
    proposals: tuple[Proposal, ...] = ()
    opportunities: tuple[Opportunity, ...] = ()


KINDS: tuple[str, ...] = tuple(field.name for field in attrs.fields(PortfolioDocument))
"""The document's keys, in the order records are written; each is also the
name of its repository on :class:`~kamcore.ports.UnitOfWork`."""

ENTITY_TYPES: dict[str, type[Any]] = {
    "client_groups": ClientGroup,
    "clients": Client,
    "products": Product,
    "price_lists": PriceList,
    "discount_groups": DiscountGroup,
    "programmes": Programme,
    "memberships": Membership,
    "orders": Order,
    "invoices": Invoice,
    "tickets": Ticket,
    "activities": Activity,
    "contracts": Contract,
    "renewal_alerts": RenewalAlert,
    "renewal_cases": RenewalCase,
    "proposals": Proposal,
    "opportunities": Opportunity,
}
"""The record class of each kind."""


class Origin(Protocol):
    """Where a record came from, to point at its fields in messages."""

    def at(self, suffix: str) -> str:
        """The location of the record's field ``suffix`` (``".currency"``,
        ``".lines[1].product"``, ``""`` for the record itself)."""
        ...


@attrs.frozen
class JsonOrigin:
    """A record at ``path`` (``$.clients[2]``) of a JSON file."""

    file: str
    path: str

    def at(self, suffix: str) -> str:
        """``portfolio.json: $.clients[2].currency``."""
        return f"{self.file}: {self.path}{suffix}"


@attrs.frozen
class Record:
    """One record to import: its kind (a :data:`KINDS` key), value and origin."""

    kind: str
    entity: Any
    origin: Origin


def read_json_file(
    path: Path, name: str | None = None
) -> tuple[list[Record], list[str]]:
    """The records of a portfolio JSON file, or the messages saying what is wrong.

    ``name`` is the file's name in messages (its own name by default).

    Returns:
        The records (empty when there are errors) and one message per error,
        ``"<file>: <$-path>: <what is wrong>"``.
    """
    name = path.name if name is None else name
    try:
        text = path.read_bytes()
    except OSError as error:
        return [], [f"{name}: cannot be read: {error.strerror}"]
    try:
        text.decode("utf-8")
    except UnicodeDecodeError as error:
        line = text[: error.start].count(b"\n") + 1
        byte = text[error.start : error.start + 1]
        return [], [f"{name}:{line}: not UTF-8 text: byte {byte!r} ({error.reason})"]
    try:
        # Parsed first as any JSON object, to set an editor's "$schema" aside.
        data = from_json(text, dict[str, Any])
        if isinstance(data.get("$schema"), str):
            del data["$schema"]
        document = structure(data, PortfolioDocument)
    except ValidationError as error:
        return [], [f"{name}: {e.path}: {_with_value(e)}" for e in error.errors]
    records = [
        Record(kind, entity, JsonOrigin(name, f"$.{kind}[{index}]"))
        for kind in KINDS
        for index, entity in enumerate(getattr(document, kind))
    ]
    return records, []


# -- checks across records --------------------------------------------------------


def stored_records(uow: UnitOfWork, kind: str, ids: Iterable[str]) -> dict[str, Any]:
    """The records among ``ids`` that ``kind``'s repository holds, by id (call
    in a block)."""
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    repository = getattr(uow, kind)
    try:
        found = repository.get_many(wanted)
    except NotFoundError as missing:
        absent = {str(i) for i in missing.ids}
        present = [i for i in wanted if i not in absent]
        found = repository.get_many(present) if present else []
    return {str(entity.id): entity for entity in found}


def _with_value(error: FieldError) -> str:
    """The error's message, with the offending value if it does not quote it."""
    value = error.value
    if value is None or isinstance(value, (dict, list, tuple)):
        return error.message
    quoted = shown(value if isinstance(value, (str, int, float)) else str(value))
    if isinstance(value, str) and repr(value) in error.message:
        return error.message.replace(repr(value), quoted)  # long values cut short
    if isinstance(value, str) and len(value) >= 20 and value[:20] in error.message:
        return error.message  # quoted, cut short, by the library itself
    if any(form in error.message for form in (repr(value), str(value), quoted)):
        return error.message
    return f"{error.message}, got {quoted}"


def _first_lines(error: KamcoreError) -> list[str]:
    errors = getattr(error, "errors", None)
    if errors:
        return [f"{e.message} ({e.path})" for e in errors]
    return [str(error).splitlines()[0]]


def check_records(
    records: Sequence[Record],
    fetch: Fetch,
    stored_price_lists: Sequence[PriceList] = (),
) -> list[str]:
    """Everything wrong across the records, as messages; empty when all is well.

    Args:
        records: The records to import, from every file.
        fetch: Given a kind and ids, the records already in storage, by id.
        stored_price_lists: Every price list already in storage.
    """

    def stored(kind: str, ids: Iterable[str]) -> set[str]:
        return set(fetch(kind, ids))

    messages: list[str] = []
    first: dict[tuple[str, str], Record] = {}
    for record in records:
        key = (record.kind, record.entity.id)
        if record.entity.version != 0:
            messages.append(
                f"{record.origin.at('.version')}: imported records are new: leave "
                f"the version out (or 0), got {record.entity.version}"
            )
        if key in first:
            messages.append(
                f"{record.origin.at('.id')}: {shown(record.entity.id)} appears "
                f"twice in the import (first at {first[key].origin.at('')})"
            )
        else:
            first[key] = record
    by_kind: dict[str, list[Record]] = {}
    for record in records:
        by_kind.setdefault(record.kind, []).append(record)
    for kind, kept in by_kind.items():
        taken = stored(kind, (r.entity.id for r in kept))
        messages.extend(
            f"{record.origin.at('.id')}: {shown(record.entity.id)} is already stored "
            "in the database"
            for record in kept
            if record.entity.id in taken and first[(kind, record.entity.id)] is record
        )
    pointers = [
        (record, suffix, target, ident)
        for record in records
        for suffix, target, ident in references(record.kind, record.entity)
    ]
    wanted: dict[str, set[str]] = {}
    for _, _, target, ident in pointers:
        if (target, ident) not in first:
            wanted.setdefault(target, set()).add(ident)
    found = {target: stored(target, ids) for target, ids in wanted.items()}
    singular = {kind: kind.removesuffix("s").replace("_", " ") for kind in KINDS}
    messages.extend(
        f"{record.origin.at(suffix)}: no {singular[target]} {shown(ident)} in the "
        "import or the database"
        for record, suffix, target, ident in pointers
        if (target, ident) not in first and ident not in found[target]
    )
    for record in by_kind.get("price_lists", []):
        try:
            record.entity.validate()
        except KamcoreError as error:
            messages.extend(
                f"{record.origin.at('')}: {line}" for line in _first_lines(error)
            )
    if messages:
        return messages
    return cross_checks(records, fetch, stored_price_lists)


def write_records(
    uow: UnitOfWork,
    records: Sequence[Record],
    *,
    updates: Sequence[Any] = (),
    progress: Callable[[int, int], None] | None = None,
    every: int = 500,
) -> Counter[str]:
    """Add every record in one unit of work, kind by kind; all or nothing.

    Args:
        uow: The unit of work.
        records: Checked records (see :func:`check_records`).
        updates: Stored memberships to save with them (their new ledger
            entries).
        progress: Called with (written, total) every ``every`` records.
        every: How often to report progress.

    Returns:
        How many records of each kind were written.
    """
    order = {kind: position for position, kind in enumerate(KINDS)}
    ordered = sorted(records, key=lambda r: order[r.kind])
    counts: Counter[str] = Counter()
    with uow:
        for written, record in enumerate(ordered, start=1):
            getattr(uow, record.kind).add(record.entity)
            counts[record.kind] += 1
            if progress is not None and written % every == 0:
                progress(written, len(ordered))
        for membership in updates:
            uow.memberships.save(membership)
        uow.commit()
    return counts


def structure_record(kind: str, data: object, origin: Origin) -> tuple[Any, list[str]]:
    """One record of ``kind`` from JSON-like ``data``, or what is wrong with it."""
    try:
        return structure(data, ENTITY_TYPES[kind]), []
    except ValidationError as error:
        return None, [
            f"{origin.at(e.path.removeprefix('$'))}: {_with_value(e)}"
            for e in error.errors
        ]
