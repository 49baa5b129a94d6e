"""Portfolio records from CSV files, one kind of record per file.

A file's kind is its name: ``clients.csv``, ``client_groups.csv``,
``products.csv``, ``memberships.csv`` (a client's membership of a programme,
with the client's ``membership`` column pointing back at it), ``invoices.csv``
and ``orders.csv`` (one row per line of the document), ``payments.csv`` (one
row per payment, imported with its invoice).
A name may carry a suffix after a dash: ``invoices-2026.csv``. The columns are
listed in :data:`kamcore.cli._csv_columns.COLUMNS` and in ``docs/cli.md``.
Cells are text; an empty cell is a value left out (its default applies, or it
is reported as missing).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

from kamcore.cli._cross_checks import shown
from kamcore.cli._csv_columns import (
    BOOL,
    COLUMNS,
    CSV_KINDS,
    INT,
    LIST,
    MONEY,
    csv_kind,
)
from kamcore.cli._portfolio import Record, structure_record

__all__ = ["CsvOrigin", "read_csv_files"]

# Documents with lines: one row per line, grouped by the document's id column.
_HEADS = {
    "invoices": (
        "invoice",
        ("client", "issue_date", "due_date", "currency", "status", "cancelled_on"),
    ),
    "orders": ("order", ("client", "order_date", "currency", "status", "closed_on")),
}
_LINE_FIELDS = {
    "product": "product",
    "quantity": "quantity",
    "unit_price": "unit_price",
    "description": "description",
}
_PAYMENT_FIELDS = {
    "id": "payment",
    "received_on": "received_on",
    "amount": "amount",
    "reference": "reference",
}
_TRUE, _FALSE = {"true", "yes", "y", "1"}, {"false", "no", "n", "0"}
_SUFFIX = re.compile(r"\.(?P<field>\w+)(\[(?P<index>\d+)\](\.(?P<inner>\w+))?)?")


@attrs.frozen
class CsvOrigin:
    """A record read from CSV rows, to point at a cell in messages.

    Attributes:
        file: The file's name.
        line: The record's (first) line in the file.
        columns: The column of each of the record's fields.
        items: For a document, the line and column map of each line item
            (``"lines"``) and payment (``"payments"``).
    """

    file: str
    line: int
    columns: Mapping[str, str] = attrs.field(factory=dict)
    items: Mapping[str, Sequence[tuple[str, int, Mapping[str, str]]]] = attrs.field(
        factory=dict
    )

    def at(self, suffix: str) -> str:
        """``invoices.csv:7: unit_price`` for ``.lines[2].unit_price.amount``."""
        match = _SUFFIX.match(suffix)
        if match is None:
            return f"{self.file}:{self.line}"
        field, index = match["field"], match["index"]
        if index is not None and field in self.items:
            file, line, columns = self.items[field][int(index)]
            column = columns.get(match["inner"] or "", match["inner"] or "")
            return f"{file}:{line}: {column}" if column else f"{file}:{line}"
        return f"{self.file}:{self.line}: {self.columns.get(field, field)}"


@attrs.frozen
class _Row:
    file: str
    line: int
    cells: dict[str, str]


def _read_rows(path: Path, kind: str, name: str) -> tuple[list[_Row], list[str]]:
    try:
        data = path.read_bytes()
    except OSError as error:
        return [], [f"{name}: cannot be read: {error.strerror}"]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        column = error.start - (data.rfind(b"\n", 0, error.start) + 1) + 1
        byte = data[error.start : error.start + 1]
        return [], [
            f"{name}:{line}: not UTF-8 text: byte {byte!r} at column {column} "
            f"({error.reason}); save the file as UTF-8"
        ]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [cell.strip() for cell in next(reader)]
    except StopIteration:
        return [], [f"{name}:1: no header line"]
    except csv.Error as error:
        return [], [f"{name}:1: {error}"]
    known = {column.rstrip("*"): column for column in COLUMNS[kind]}
    messages = [
        f"{name}:1: missing column {shown(column.rstrip('*'))}"
        for column in COLUMNS[kind]
        if column.endswith("*") and column.rstrip("*") not in header
    ]
    messages += [
        f"{name}:1: unknown column {shown(column)} (columns: {', '.join(known)})"
        for column in header
        if column not in known
    ]
    messages += [
        f"{name}:1: column {shown(column)} appears twice"
        for column in sorted({c for c in header if header.count(c) > 1})
    ]
    if messages:
        return [], messages
    rows: list[_Row] = []
    try:
        for cells in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in cells):
                continue
            if len(cells) != len(header):
                messages.append(
                    f"{name}:{line}: expected {len(header)} cells, got {len(cells)}"
                )
                continue
            rows.append(_Row(name, line, dict(zip(header, cells, strict=True))))
    except csv.Error as error:
        messages.append(f"{name}:{reader.line_num}: {error}")
    return rows, messages


def _value(kind: str, column: str, row: _Row) -> tuple[bool, Any]:
    """Whether the cell holds a value, and the value for the converter."""
    cell = row.cells.get(column, "").strip()
    if not cell:
        return False, None
    how = COLUMNS[kind].get(column) or COLUMNS[kind][f"{column}*"]
    if how == BOOL and cell.lower() in _TRUE | _FALSE:
        return True, cell.lower() in _TRUE
    if how == INT and re.fullmatch(r"-?[0-9]+", cell):
        return True, int(cell)
    if how == LIST:
        return True, [item.strip() for item in cell.split(";") if item.strip()]
    return True, cell  # anything else: the converter says what is wrong with it


def _fields(
    kind: str, row: _Row, columns: Mapping[str, str], currency: str | None
) -> dict[str, Any]:
    """The record fields (``field -> column``) that the row gives a value."""
    data: dict[str, Any] = {}
    for field, column in columns.items():
        present, value = _value(kind, column, row)
        if not present:
            continue
        how = COLUMNS[kind].get(column) or COLUMNS[kind][f"{column}*"]
        data[field] = {"amount": value, "currency": currency} if how == MONEY else value
    return data


def _simple_records(kind: str, rows: list[_Row]) -> tuple[list[Record], list[str]]:
    records: list[Record] = []
    messages: list[str] = []
    # A product's currency column is the currency of its cost and floor price.
    columns = {
        name: name
        for name in (column.rstrip("*") for column in COLUMNS[kind])
        if not (kind == "products" and name == "currency")
    }
    for row in rows:
        currency = row.cells.get("currency", "").strip()
        if kind == "products" and not currency:
            priced = [
                c for c in ("cost", "floor_price") if row.cells.get(c, "").strip()
            ]
            if priced:
                messages.append(
                    f"{row.file}:{row.line}: currency: needed for "
                    f"{' and '.join(priced)}"
                )
                continue
        origin = CsvOrigin(row.file, row.line, columns)
        entity, errors = structure_record(
            kind, _fields(kind, row, columns, currency or None), origin
        )
        messages += errors
        if entity is not None:
            records.append(Record(kind, entity, origin))
    return records, messages


def _document_records(
    kind: str, rows: list[_Row], payments: list[_Row]
) -> tuple[list[Record], list[str]]:
    """Invoices or orders, one per id, from their line rows (and payments)."""
    id_column, head = _HEADS[kind]
    messages: list[str] = []
    grouped: dict[str, list[_Row]] = {}
    for row in rows:
        ident = row.cells[id_column].strip()
        if not ident:
            messages.append(f"{row.file}:{row.line}: {id_column}: required")
            continue
        grouped.setdefault(ident, []).append(row)
    paid: dict[str, list[_Row]] = {}
    for row in payments:
        paid.setdefault(row.cells["invoice"].strip(), []).append(row)
    for ident, unmatched in paid.items():
        if ident not in grouped:
            messages += [
                f"{row.file}:{row.line}: invoice: no invoice {shown(ident)} in the "
                "invoices imported with it (payments come with their invoice)"
                for row in unmatched
            ]
    records: list[Record] = []
    for ident, lines in grouped.items():
        first = lines[0]
        for row in lines[1:]:
            messages += [
                f"{row.file}:{row.line}: {column}: {shown(row.cells.get(column, ''))} "
                f"differs from line {first.line} of {kind.removesuffix('s')} "
                f"{shown(ident)} ({shown(first.cells.get(column, ''))})"
                for column in head
                if row.cells.get(column, "").strip()
                != first.cells.get(column, "").strip()
            ]
        currency = first.cells["currency"].strip()
        data: dict[str, Any] = {"id": ident}
        data |= _fields(kind, first, {c: c for c in head}, currency)
        data["lines"] = [_fields(kind, row, _LINE_FIELDS, currency) for row in lines]
        items: dict[str, list[tuple[str, int, Mapping[str, str]]]] = {
            "lines": [(row.file, row.line, _LINE_FIELDS) for row in lines]
        }
        if ident in paid:
            data["payments"] = [
                _fields("payments", row, _PAYMENT_FIELDS, currency)
                for row in paid[ident]
            ]
            items["payments"] = [
                (row.file, row.line, _PAYMENT_FIELDS) for row in paid[ident]
            ]
        origin = CsvOrigin(
            first.file, first.line, {"id": id_column} | {c: c for c in head}, items
        )
        entity, errors = structure_record(kind, data, origin)
        messages += errors
        if entity is not None:
            records.append(Record(kind, entity, origin))
    return records, messages


def read_csv_files(
    paths: Sequence[Path],
    kinds: Mapping[Path, str] | None = None,
    names: Mapping[Path, str] | None = None,
) -> tuple[list[Record], list[str]]:
    """The records of CSV files, or the messages saying what is wrong.

    Every path must have a kind: given in ``kinds``, or told by its name (see
    :func:`csv_kind`). ``names`` gives a file's name in messages (its own by
    default). Messages read ``"<file>:<line>: <column>: <what is wrong>"``.
    """
    kinds = {} if kinds is None else kinds
    names = {} if names is None else names
    rows: dict[str, list[_Row]] = {kind: [] for kind in CSV_KINDS}
    messages: list[str] = []
    for path in paths:
        kind = kinds.get(path) or csv_kind(path)
        assert kind is not None  # noqa: S101 - the caller checked the names
        found, errors = _read_rows(path, kind, names.get(path, path.name))
        rows[kind] += found
        messages += errors
    records: list[Record] = []
    for kind in ("client_groups", "clients", "products", "memberships"):
        found_records, errors = _simple_records(kind, rows[kind])
        records += found_records
        messages += errors
    for kind in ("orders", "invoices"):
        found_records, errors = _document_records(
            kind, rows[kind], rows["payments"] if kind == "invoices" else []
        )
        records += found_records
        messages += errors
    return records, messages
