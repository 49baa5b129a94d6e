"""The tables, declared once per aggregate kind and built as of a schema version.

Every aggregate kind gets one table: ``id`` (primary key), ``version`` (the
optimistic lock), ``document`` (the whole aggregate as kamcore's JSON, exact to
the last digit) and one typed column per value a port query filters or sorts
on, each computed from the aggregate when it is written. A multi-valued filter
(a client's groups) gets a side table ``<table>__<name>`` of (owner, value)
rows. Every declaration carries the schema version that introduced it
(``since``), so that :func:`build_schema` can rebuild the layout of any past
version and the migrations can compute what each version adds.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Callable, Iterable
from typing import Any

import attrs
import sqlalchemy as sa

from kamcore.accounts import (
    Activity,
    Client,
    ClientGroup,
    Invoice,
    Order,
    Product,
    Ticket,
)
from kamcore.adapters.sql._types import IDENTIFIER, UtcInstant
from kamcore.contracts import Contract, RenewalAlert, RenewalCase
from kamcore.loyalty import Membership, Programme
from kamcore.opportunities import Opportunity
from kamcore.pricing import DiscountGroup, PriceList
from kamcore.proposals import Proposal

__all__ = [
    "KIND_TABLES",
    "Field",
    "KindTable",
    "Schema",
    "ValueSet",
    "build_schema",
    "column_value",
    "settled_from",
]


def column_value(value: object) -> object:
    """What a column stores for a Python value: an enum's value, else the value."""
    return value.value if isinstance(value, enum.Enum) else value


@attrs.frozen
class Field:
    """A typed column computed from the aggregate, for queries to filter and sort.

    Attributes:
        name: Column name.
        type: Its SQL type.
        value: Computes the column's value from the aggregate.
        nullable: Whether the value may be ``None``.
        since: The schema version that added it. Columns added after their
            table must be nullable: existing rows get the value by backfill.
    """

    name: str
    type: sa.types.TypeEngine[Any]
    value: Callable[[Any], object]
    nullable: bool = False
    since: int = 1


@attrs.frozen
class ValueSet:
    """A multi-valued filter, stored as (owner, value) rows in a side table."""

    name: str
    values: Callable[[Any], Iterable[str]]
    since: int = 1


@attrs.frozen
class KindTable:
    """The declaration of one aggregate kind's table.

    Attributes:
        name: Table name, the unit of work's attribute (``"invoices"``).
        entity: The aggregate class its documents are structured into.
        fields: Typed query columns.
        value_sets: Multi-valued query columns (side tables).
        indexes: Column tuples to index; each index exists from the version
            of its newest column on.
        since: The schema version that created the table.
    """

    name: str
    entity: type[Any]
    fields: tuple[Field, ...] = ()
    value_sets: tuple[ValueSet, ...] = ()
    indexes: tuple[tuple[str, ...], ...] = ()
    since: int = 1

    def fields_at(self, version: int) -> tuple[Field, ...]:
        """The fields that exist at schema ``version``."""
        return tuple(f for f in self.fields if f.since <= version)

    def value_sets_at(self, version: int) -> tuple[ValueSet, ...]:
        """The side tables that exist at schema ``version``."""
        return tuple(s for s in self.value_sets if s.since <= version)


def _text(name: str, value: Callable[[Any], object], *, since: int = 1) -> Field:
    return Field(name, IDENTIFIER, value, since=since)


def _optional_text(name: str, value: Callable[[Any], object]) -> Field:
    return Field(name, IDENTIFIER, value, nullable=True)


def _choice(name: str, value: Callable[[Any], enum.Enum]) -> Field:
    return Field(name, sa.String(), lambda a: value(a).value)


def _day(name: str, value: Callable[[Any], object]) -> Field:
    return Field(name, sa.Date(), value)


def _flag(name: str, value: Callable[[Any], bool]) -> Field:
    return Field(name, sa.Boolean(), value)


def _instant(name: str, value: Callable[[Any], object], *, nullable: bool) -> Field:
    return Field(name, UtcInstant(), value, nullable=nullable)


def settled_from(invoice: Invoice) -> object:
    """The day from which ``invoice`` owes nothing, for good; ``None`` if not known.

    :meth:`Invoice.settled_on <kamcore.accounts.Invoice.settled_on>`: the
    first day a payment or credit note brought the balance to zero or below.
    A balance only goes down as payments and credit notes arrive, so on any
    day from then on the invoice is not outstanding, and the outstanding
    query leaves it out in SQL. ``None`` keeps the invoice a candidate, which
    :meth:`Invoice.balance <kamcore.accounts.Invoice.balance>` then decides
    on (an invoice of a zero total, for one, is never outstanding).
    """
    return invoice.settled_on()


_BY = "client"

KIND_TABLES: tuple[KindTable, ...] = (
    KindTable(
        "clients",
        Client,
        fields=(
            _optional_text("account_manager", lambda c: c.account_manager),
            _flag("key_account", lambda c: c.key_account),
            _choice("status", lambda c: c.status),
        ),
        value_sets=(ValueSet("groups", lambda c: c.groups),),
        indexes=(("account_manager",), ("key_account",), ("status",)),
    ),
    KindTable("client_groups", ClientGroup),
    KindTable(
        "products",
        Product,
        fields=(
            _text("category", lambda p: p.category),
            _flag("active", lambda p: p.active),
        ),
        indexes=(("category", "active"),),
    ),
    KindTable(
        "price_lists",
        PriceList,
        fields=(
            _choice("kind", lambda pl: pl.kind),
            _text("currency", lambda pl: pl.currency),
        ),
        indexes=(("kind", "currency"), ("currency",)),
    ),
    KindTable("discount_groups", DiscountGroup),
    KindTable(
        "orders",
        Order,
        fields=(
            _text(_BY, lambda o: o.client),
            _day("order_date", lambda o: o.order_date),
            _choice("status", lambda o: o.status),
            Field(
                "closed_on", sa.Date(), lambda o: o.closed_on, nullable=True, since=5
            ),
        ),
        indexes=(
            (_BY, "order_date"),
            ("order_date",),
            ("status", "order_date"),
            ("status", "closed_on"),
        ),
    ),
    KindTable(
        "invoices",
        Invoice,
        fields=(
            _text(_BY, lambda i: i.client),
            _day("issue_date", lambda i: i.issue_date),
            _day("due_date", lambda i: i.due_date),
            _choice("status", lambda i: i.status),
            Field("settled_from", sa.Date(), settled_from, nullable=True, since=2),
            Field(
                "cancelled_on",
                sa.Date(),
                lambda i: i.cancelled_on,
                nullable=True,
                since=5,
            ),
        ),
        indexes=(
            (_BY, "issue_date"),
            ("issue_date",),
            ("status", "settled_from", "due_date"),
        ),
    ),
    KindTable(
        "tickets",
        Ticket,
        fields=(
            _text(_BY, lambda t: t.client),
            _instant("opened_at", lambda t: t.opened_at, nullable=False),
            _instant("resolved_at", lambda t: t.resolved_at, nullable=True),
        ),
        indexes=((_BY, "opened_at"), ("opened_at",), ("resolved_at",)),
    ),
    KindTable(
        "activities",
        Activity,
        fields=(
            _text(_BY, lambda a: a.client),
            _optional_text("opportunity", lambda a: a.opportunity),
            _optional_text("contract", lambda a: a.contract),
            _instant("occurred_at", lambda a: a.occurred_at, nullable=False),
        ),
        indexes=(
            (_BY, "occurred_at"),
            ("occurred_at",),
            ("opportunity",),
            ("contract",),
        ),
    ),
    KindTable(
        "contracts",
        Contract,
        fields=(
            _text(_BY, lambda c: c.client),
            _choice("status", lambda c: c.status),
            _day("term_end", lambda c: c.end),
        ),
        indexes=((_BY,), ("status", "term_end"), ("term_end",)),
    ),
    KindTable(
        "renewal_alerts",
        RenewalAlert,
        fields=(
            _text("contract", lambda a: a.contract),
            _text("recipient", lambda a: a.recipient),
            _choice("kind", lambda a: a.kind),
            _day("raised_on", lambda a: a.raised_on),
            _flag("acted", lambda a: a.first_action is not None),
        ),
        indexes=(("contract",), ("recipient", "raised_on"), ("raised_on",)),
    ),
    KindTable(
        "renewal_cases",
        RenewalCase,
        fields=(
            _text("contract", lambda c: c.contract),
            _text(_BY, lambda c: c.client),
            _choice("stage", lambda c: c.stage),
            _flag("is_open", lambda c: c.is_open),
            _day("term_end", lambda c: c.term_end),
        ),
        indexes=(("contract",), (_BY,), ("stage",), ("is_open", "term_end")),
    ),
    KindTable(
        "proposals",
        Proposal,
        fields=(
            _text(_BY, lambda p: p.client),
            _choice("status", lambda p: p.status),
            _optional_text("contract", lambda p: p.contract),
            _optional_text("opportunity", lambda p: p.opportunity),
        ),
        indexes=((_BY,), ("status",), ("contract",), ("opportunity",)),
    ),
    KindTable(
        "opportunities",
        Opportunity,
        fields=(
            _text(_BY, lambda o: o.client),
            _text("owner", lambda o: o.owner),
            _choice("kind", lambda o: o.kind),
            _choice("outcome", lambda o: o.outcome),
            _day("close_date", lambda o: o.close_date),
        ),
        indexes=(
            (_BY, "close_date"),
            ("owner", "close_date"),
            ("outcome", "close_date"),
            ("close_date",),
        ),
    ),
    KindTable("programmes", Programme),
    KindTable(
        "memberships",
        Membership,
        fields=(
            _text(_BY, lambda m: m.client),
            _text("programme", lambda m: m.programme),
        ),
        indexes=((_BY,), ("programme",)),
    ),
)

#: The outbox arrives with schema version 3.
OUTBOX_SINCE = 3


@attrs.frozen
class Schema:
    """The SQLAlchemy tables of one schema version.

    Attributes:
        version: The schema version.
        metadata: Every table of that version.
        kinds: Each kind's table, by table name.
        value_tables: Each side table, by (kind table name, value set name).
        outbox: The outbox table, if the version has it.
        applied: The migration ledger, ``kamcore_schema``.
    """

    version: int
    metadata: sa.MetaData
    kinds: dict[str, sa.Table]
    value_tables: dict[tuple[str, str], sa.Table]
    outbox: sa.Table | None
    applied: sa.Table


def _index_name(table: str, columns: tuple[str, ...]) -> str:
    return f"ix_{table}_{'_'.join(columns)}"


def _kind_table(metadata: sa.MetaData, kind: KindTable, version: int) -> sa.Table:
    fields = {f.name: f for f in kind.fields_at(version)}
    table = sa.Table(
        kind.name,
        metadata,
        sa.Column("id", IDENTIFIER, primary_key=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        *(sa.Column(f.name, f.type, nullable=f.nullable) for f in fields.values()),
    )
    for columns in kind.indexes:
        if all(name in fields for name in columns):
            sa.Index(_index_name(kind.name, columns), *(table.c[n] for n in columns))
    return table


def _value_table(metadata: sa.MetaData, kind: KindTable, values: ValueSet) -> sa.Table:
    name = f"{kind.name}__{values.name}"
    table = sa.Table(
        name,
        metadata,
        sa.Column("owner", IDENTIFIER, primary_key=True),
        sa.Column("value", IDENTIFIER, primary_key=True),
    )
    sa.Index(_index_name(name, ("value",)), table.c.value)
    return table


def _outbox_table(metadata: sa.MetaData) -> sa.Table:
    table = sa.Table(
        "outbox",
        metadata,
        sa.Column("seq", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key", IDENTIFIER, nullable=False, unique=True),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("recipient_kind", sa.String(), nullable=False),
        sa.Column("recipient", IDENTIFIER, nullable=False),
        sa.Column("document", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, default=0),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("delivered_at", UtcInstant(), nullable=True),
    )
    pending = table.c.delivered_at.is_(None)
    sa.Index(
        "ix_outbox_pending",
        table.c.seq,
        sqlite_where=pending,
        postgresql_where=pending,
    )
    return table


def _applied_table(metadata: sa.MetaData) -> sa.Table:
    return sa.Table(
        "kamcore_schema",
        metadata,
        sa.Column("version", sa.Integer(), primary_key=True, autoincrement=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column(
            "applied_at",
            sa.DateTime(),
            nullable=False,
            server_default=sa.func.current_timestamp(),
        ),
    )


@functools.cache
def build_schema(version: int) -> Schema:
    """The tables as they are at schema ``version`` (0: only the ledger)."""
    metadata = sa.MetaData()
    kinds: dict[str, sa.Table] = {}
    value_tables: dict[tuple[str, str], sa.Table] = {}
    for kind in KIND_TABLES:
        if kind.since > version:
            continue
        kinds[kind.name] = _kind_table(metadata, kind, version)
        for values in kind.value_sets_at(version):
            value_tables[kind.name, values.name] = _value_table(metadata, kind, values)
    outbox = _outbox_table(metadata) if version >= OUTBOX_SINCE else None
    applied = _applied_table(metadata)
    return Schema(version, metadata, kinds, value_tables, outbox, applied)


def kind_table(entity: type[Any]) -> KindTable:
    """The declaration for aggregate class ``entity``."""
    return _BY_ENTITY[entity]


_BY_ENTITY = {kind.entity: kind for kind in KIND_TABLES}
