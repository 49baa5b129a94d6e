"""The columns of the CSV files ``kamcore import`` reads, and a file's kind
from its name.

Apart from :mod:`kamcore.cli._csv` (which reads the files), so that the
``import`` command's options name the kinds without loading what reading
needs.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["BOOL", "COLUMNS", "CSV_KINDS", "INT", "LIST", "MONEY", "TEXT", "csv_kind"]

# column -> how its cells are read; "*" marks a column the header must have.
TEXT, BOOL, INT, LIST, MONEY = "text", "bool", "int", "list", "money"

COLUMNS: dict[str, dict[str, str]] = {
    "clients": {
        "id*": TEXT,
        "name*": TEXT,
        "currency*": TEXT,
        "locale*": TEXT,
        "key_account": BOOL,
        "account_manager": TEXT,
        "groups": LIST,
        "discount_group": TEXT,
        "price_list": TEXT,
        "membership": TEXT,
        "status": TEXT,
    },
    "memberships": {
        "id*": TEXT,
        "client*": TEXT,
        "programme*": TEXT,
        "enrolled_on*": TEXT,
    },
    "client_groups": {
        "id*": TEXT,
        "name*": TEXT,
        "priority": INT,
        "price_list": TEXT,
    },
    "products": {
        "id*": TEXT,
        "name*": TEXT,
        "category*": TEXT,
        "unit": TEXT,
        "active": BOOL,
        "currency": TEXT,
        "cost": MONEY,
        "floor_price": MONEY,
    },
    "invoices": {
        "invoice*": TEXT,
        "client*": TEXT,
        "issue_date*": TEXT,
        "due_date*": TEXT,
        "currency*": TEXT,
        "product*": TEXT,
        "quantity*": TEXT,
        "unit_price*": MONEY,
        "description": TEXT,
        "status": TEXT,
        "cancelled_on": TEXT,
    },
    "orders": {
        "order*": TEXT,
        "client*": TEXT,
        "order_date*": TEXT,
        "currency*": TEXT,
        "product*": TEXT,
        "quantity*": TEXT,
        "unit_price*": MONEY,
        "description": TEXT,
        "status": TEXT,
        "closed_on": TEXT,
    },
    "payments": {
        "payment*": TEXT,
        "invoice*": TEXT,
        "received_on*": TEXT,
        "amount*": MONEY,
        "reference": TEXT,
    },
}
"""The columns of each kind of CSV file (``*``: the header must have it) and
how their cells are read."""

CSV_KINDS = tuple(COLUMNS)
"""The kinds of CSV file, in the order they are read."""


def csv_kind(path: Path) -> str | None:
    """The kind of records a CSV file holds, from its name; ``None`` if unknown."""
    stem = path.stem.lower()
    for kind in CSV_KINDS:
        if stem == kind or stem.startswith(f"{kind}-"):
            return kind
    return None
