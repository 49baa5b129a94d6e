"""The rules of ``kamcore import`` that span records, checked before any write.

Each record is valid on its own once the converter has built it; these checks
look at records together -- the ones imported and the ones already stored --
so that every command works on whatever ``import`` accepted:

* text: no NUL character and no lone surrogate in any text field (neither
  PostgreSQL nor UTF-8 can store them), and ids at most 255 characters
  (PostgreSQL cannot index longer ones): a file that imports into SQLite
  imports into PostgreSQL too;
* price lists: the imported lists with the stored ones pass
  :func:`kamcore.pricing.validate_price_lists` (one base list per currency,
  derived lists in their base's currency, no derivation cycle);
* invoices are in their client's currency, and so are the price lists a
  client prices from (its own and its groups');
* a membership and its client point at each other, and the programme is in
  the client's currency; its ledger's invoices exist and belong to the client,
  and its balance never goes below zero;
* a contract's status is where its history leads: a contract imported as
  active has the status change that made it active.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any

from kamcore.cli._references import references
from kamcore.contracts import TRANSITIONS, ContractStatus
from kamcore.errors import KamcoreError
from kamcore.pricing import PricingConfigurationError, validate_price_lists
from kamcore.serialization import unstructure

__all__ = ["Fetch", "cross_checks", "lookup", "shown"]

Fetch = Callable[[str, Iterable[str]], Mapping[str, Any]]
"""Given a kind and ids, the stored records among them, by id."""

_BAD_TEXT = re.compile("[\x00\ud800-\udfff]")
_MOST = 60
"""The most characters of a value quoted in a message."""

LONGEST_ID = 255
"""The most characters of an id, or of another indexed text: PostgreSQL cannot
index a longer text once it passes 2,704 bytes (4 bytes a character at worst,
two in one index)."""

# Indexed text fields that are not ids or references.
_INDEXED = {
    "clients": ("account_manager",),
    "products": ("category",),
    "opportunities": ("owner",),
    "renewal_alerts": ("recipient",),
}


def shown(value: object) -> str:
    """``value`` quoted for a message, cut short when long."""
    text = repr(value)
    if len(text) > _MOST:
        text = f"{text[: _MOST - 5]}...{text[-1]} ({len(str(value)):,} characters)"
    return text


def _texts(data: object, path: str = "") -> Iterator[tuple[str, str]]:
    """(path suffix, text) for every string in unstructured ``data``."""
    if isinstance(data, str):
        yield path, data
    elif isinstance(data, dict):
        for key, value in data.items():
            if isinstance(key, str) and _BAD_TEXT.search(key):
                yield path, key
            yield from _texts(value, f"{path}.{key}")
    elif isinstance(data, (list, tuple)):
        for index, value in enumerate(data):
            yield from _texts(value, f"{path}[{index}]")


def _text_problems(records: Sequence[Any]) -> Iterator[str]:
    for record in records:
        for suffix, text in _texts(unstructure(record.entity)):
            found = _BAD_TEXT.search(text)
            if found is None:
                continue
            what = (
                "a NUL character"
                if found.group() == "\x00"
                else f"a lone surrogate ({found.group().encode('unicode_escape')!r})"
            )
            yield (
                f"{record.origin.at(suffix)}: {what} at position {found.start()} of "
                f"{shown(text)}: text must be valid Unicode without NUL characters"
            )


def _identifier_problems(records: Sequence[Any]) -> Iterator[str]:
    for record in records:
        fields = [(".id", record.entity.id)]
        fields += [
            (suffix, ident)
            for suffix, _, ident in references(record.kind, record.entity)
        ]
        fields += [
            (f".{name}", getattr(record.entity, name))
            for name in _INDEXED.get(record.kind, ())
            if getattr(record.entity, name) is not None
        ]
        for suffix, text in fields:
            if len(text) > LONGEST_ID:
                yield (
                    f"{record.origin.at(suffix)}: {shown(text)} is too long: an id "
                    f"(or other indexed text) has at most {LONGEST_ID} characters, "
                    "so that PostgreSQL can index it"
                )


def _price_list_problems(records: Sequence[Any], stored: Sequence[Any]) -> list[str]:
    imported = {r.entity.id: r for r in records if r.kind == "price_lists"}
    if not imported:
        return []
    lists = [r.entity for r in imported.values()]
    lists += [entity for entity in stored if entity.id not in imported]
    try:
        validate_price_lists(lists)
    except PricingConfigurationError as error:
        messages: list[str] = []
        for conflict in error.conflicts:
            where = next(
                (
                    imported[source.split(".", 1)[0]].origin.at(
                        "." + source.split(".", 1)[1] if "." in source else ""
                    )
                    for source in conflict.sources
                    if source.split(".", 1)[0] in imported
                ),
                None,
            )
            if where is not None:
                messages.append(f"{where}: {conflict}")
        return messages
    except KamcoreError as error:
        return [f"price lists: {str(error).splitlines()[0]}"]
    return []


def lookup(
    records: Sequence[Any], fetch: Fetch, kind: str, ids: Iterable[str]
) -> dict[str, Any]:
    """The records of ``kind`` with ``ids``: imported ones first, then stored."""
    wanted = set(ids)
    found = {
        r.entity.id: r.entity
        for r in records
        if r.kind == kind and r.entity.id in wanted
    }
    missing = wanted - set(found)
    if missing:
        found |= dict(fetch(kind, missing))
    return found


def _currency_problems(records: Sequence[Any], fetch: Fetch) -> Iterator[str]:
    invoices = [r for r in records if r.kind == "invoices"]
    clients = lookup(records, fetch, "clients", (r.entity.client for r in invoices))
    for record in invoices:
        client = clients.get(record.entity.client)
        if client is not None and client.currency != record.entity.currency:
            yield (
                f"{record.origin.at('.currency')}: "
                f"{shown(record.entity.currency)} is not the currency of client "
                f"{shown(client.id)} ({shown(client.currency)}): invoices are in "
                "their client's currency"
            )


def _client_list_problems(records: Sequence[Any], fetch: Fetch) -> Iterator[str]:
    """A client prices from its own list and its groups' lists: each in the
    client's currency (kamcore converts nothing)."""
    clients = [r for r in records if r.kind == "clients"]
    groups = lookup(
        records, fetch, "client_groups", (g for r in clients for g in r.entity.groups)
    )
    # (record, where, list id, what the list is to the client)
    uses: list[tuple[Any, str, str, str]] = []
    for record in clients:
        client = record.entity
        if client.price_list is not None:
            uses.append((record, ".price_list", client.price_list, "its price list"))
        for group_id in sorted(client.groups):
            group = groups.get(group_id)
            if group is not None and group.price_list is not None:
                what = f"the price list of its group {shown(group_id)}"
                uses.append((record, ".groups", group.price_list, what))
    lists = lookup(records, fetch, "price_lists", (use[2] for use in uses))
    for record, where, list_id, what in uses:
        client, price_list = record.entity, lists.get(list_id)
        if price_list is not None and price_list.currency != client.currency:
            yield (
                f"{record.origin.at(where)}: {what}, {shown(list_id)}, is in "
                f"{shown(price_list.currency)}, client {shown(client.id)} in "
                f"{shown(client.currency)}: a client prices from lists in its "
                "own currency"
            )


def _membership_problems(records: Sequence[Any], fetch: Fetch) -> Iterator[str]:
    members = [
        r for r in records if r.kind == "clients" and r.entity.membership is not None
    ]
    memberships = [r for r in records if r.kind == "memberships"]
    held = lookup(records, fetch, "memberships", (r.entity.membership for r in members))
    for record in members:
        membership = held.get(record.entity.membership)
        if membership is not None and membership.client != record.entity.id:
            yield (
                f"{record.origin.at('.membership')}: membership "
                f"{shown(membership.id)} belongs to client {shown(membership.client)}, "
                f"not {shown(record.entity.id)}"
            )
    clients = lookup(records, fetch, "clients", (r.entity.client for r in memberships))
    programmes = lookup(
        records, fetch, "programmes", (r.entity.programme for r in memberships)
    )
    for record in memberships:
        membership = record.entity
        client = clients.get(membership.client)
        if client is not None and client.membership != membership.id:
            yield (
                f"{record.origin.at('.client')}: client {shown(client.id)} does not "
                f"point at membership {shown(membership.id)} (its membership is "
                f"{shown(client.membership)}): set the client's membership to "
                f"{shown(membership.id)}"
            )
        programme = programmes.get(membership.programme)
        if (
            client is not None
            and programme is not None
            and programme.currency != client.currency
        ):
            yield (
                f"{record.origin.at('.programme')}: programme "
                f"{shown(programme.id)} is in {shown(programme.currency)}, client "
                f"{shown(client.id)} in {shown(client.currency)}: a membership is in "
                "its client's currency"
            )
        yield from _ledger_problems(record, records, fetch)


def _ledger_problems(
    record: Any, records: Sequence[Any], fetch: Fetch
) -> Iterator[str]:
    membership = record.entity
    referred: list[tuple[str, str]] = []
    for index, entry in enumerate(membership.entries):
        if entry.source.kind == "invoice":
            referred.append((f".entries[{index}].source.id", entry.source.id))
        if entry.invoice is not None:
            referred.append((f".entries[{index}].invoice", entry.invoice))
    invoices = lookup(records, fetch, "invoices", (i for _, i in referred))
    for suffix, ident in referred:
        invoice = invoices.get(ident)
        if invoice is None:
            yield (
                f"{record.origin.at(suffix)}: no invoice {shown(ident)} in the "
                "import or the database"
            )
        elif invoice.client != membership.client:
            yield (
                f"{record.origin.at(suffix)}: invoice {shown(ident)} is client "
                f"{shown(invoice.client)}'s, not {shown(membership.client)}'s"
            )
    days: list[dt.date] = sorted({entry.on for entry in membership.entries})
    for day in days:
        balance = membership.balance(day)
        if balance < 0:
            index = next(
                i for i, entry in enumerate(membership.entries) if entry.on == day
            )
            yield (
                f"{record.origin.at(f'.entries[{index}]')}: the balance falls to "
                f"{balance} points on {day}: a ledger never goes below zero"
            )
            break


def _contract_problems(records: Sequence[Any]) -> Iterator[str]:
    for record in records:
        if record.kind != "contracts":
            continue
        contract = record.entity
        status = ContractStatus.DRAFT
        broken = False
        for index, change in enumerate(contract.history):
            if change.status not in TRANSITIONS[status]:
                yield (
                    f"{record.origin.at(f'.history[{index}].status')}: a contract "
                    f"cannot go from {status.value!r} to {change.status.value!r}"
                )
                broken = True
                break
            status = change.status
        if broken or status is contract.status:
            continue
        if not contract.history:
            yield (
                f"{record.origin.at('.status')}: {contract.status.value!r} but the "
                "history is empty: give the status changes that led there (a "
                "contract in force has one to 'active' on the day it started)"
            )
        else:
            yield (
                f"{record.origin.at('.status')}: {contract.status.value!r} but the "
                f"history ends in {status.value!r}"
            )


def cross_checks(
    records: Sequence[Any], fetch: Fetch, stored_price_lists: Sequence[Any]
) -> list[str]:
    """Everything wrong across records, as messages (see the module docstring).

    Args:
        records: The records to import, each valid on its own, references
            resolved.
        fetch: Finds stored records of a kind by id.
        stored_price_lists: Every price list already stored.
    """
    return list(
        itertools.chain(
            _text_problems(records),
            _identifier_problems(records),
            _price_list_problems(records, stored_price_lists),
            _currency_problems(records, fetch),
            _client_list_problems(records, fetch),
            _membership_problems(records, fetch),
            _contract_problems(records),
        )
    )
