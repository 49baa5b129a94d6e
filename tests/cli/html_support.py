"""The HTML report's tests: reading a page back with the standard library's
parser (its elements, its texts, its tables by id), and the demo portfolio in
memory under any names."""

from __future__ import annotations

import datetime as dt
from html.parser import HTMLParser
from typing import NamedTuple

import attrs

from cli.cli_support import AS_OF, clock_at
from kamcore._demo import build_demo_portfolio
from kamcore.adapters.ids import SequentialIdSource
from kamcore.adapters.memory import InMemoryStore, InMemoryUnitOfWork
from kamcore.cli._report_html import member_standings, report_page
from kamcore.kernel import ManagerId
from kamcore.metrics import AccountSelection
from kamcore.services import load_portfolio_state, weekly_report

Tag = tuple[str, tuple[tuple[str, str | None], ...]]
"""A start tag: its name and its attributes, in order."""


class Page(NamedTuple):
    """What a page is made of.

    Attributes:
        tags: Every start tag, in order (the page's structure).
        texts: Every text between two tags (not blank), entities decoded.
        headings: The texts of the ``h1``, ``h2`` and ``h3`` headings.
        tables: Each table's rows of cell texts (heading row first), by the
            table's ``id``.
        figures: The key figures: each ``dt`` text with its ``dd`` text.
    """

    tags: list[Tag]
    texts: list[str]
    headings: list[str]
    tables: dict[str, list[list[str]]]
    figures: dict[str, str]


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.page = Page([], [], [], {}, {})
        self._text = ""
        self._open: list[str] = []
        self._table = ""
        self._cell: str | None = None
        self._row: list[str] | None = None
        self._term = ""

    def _flush(self) -> None:
        if self._text.strip():
            self.page.texts.append(self._text)
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush()
        self.page.tags.append((tag, tuple(attrs)))
        if tag not in {"meta", "br", "hr", "col"}:
            self._open.append(tag)
        if tag == "table":
            self._table = dict(attrs).get("id") or ""
            self.page.tables[self._table] = []
        elif tag == "tr":
            self._row = []
        elif tag in {"td", "th"}:
            self._cell = ""

    def handle_endtag(self, tag: str) -> None:
        text = self._text
        self._flush()
        assert self._open, tag
        assert self._open[-1] == tag, (self._open, tag)
        self._open.pop()
        if tag in {"h1", "h2", "h3"}:
            self.page.headings.append(text)
        elif tag in {"td", "th"} and self._row is not None and self._cell is not None:
            self._row.append(self._cell)
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self.page.tables[self._table].append(self._row)
            self._row = None
        elif tag == "dt":
            self._term = text
        elif tag == "dd":
            self.page.figures[self._term] = text

    def handle_data(self, data: str) -> None:
        self._text += data
        if self._cell is not None:
            self._cell += data

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._flush()
        self.page.tags.append((tag, tuple(attrs)))


def parse_page(html: str) -> Page:
    """The page's structure and texts; every element must be closed in order
    (the renderer writes no optional end tag away)."""
    reader = _Reader()
    reader.feed(html)
    reader.close()
    assert reader._open == [], reader._open
    return reader.page


class Names(NamedTuple):
    """Every name a test gives the demo portfolio's records.

    Attributes:
        clients: The clients' names, in id order (six).
        products: The products' names, in id order.
        opportunities: The opportunities' titles, in id order (four).
        contracts: The contracts' titles, in id order.
        manager: Every client's account manager.
        programme: The loyalty programme's name.
        tiers: Its tiers' names, lowest first (three).
    """

    clients: tuple[str, ...]
    products: tuple[str, ...]
    opportunities: tuple[str, ...]
    contracts: tuple[str, ...]
    manager: str
    programme: str
    tiers: tuple[str, ...]


DEMO_IDS = Names(
    clients=("acme", "borealis", "fjord", "helvetia", "kleinbau", "lumen"),
    products=("pump-p200", "seal-kit", "sensor-s1", "valve-dn50"),
    opportunities=tuple(f"opportunity-00000{n}" for n in (1, 2, 3, 4)),
    contracts=(
        "K-ACME-SUPPLY",
        "K-BOREALIS-SERVICE",
        "K-FJORD-PILOT",
        "K-HELVETIA-SUPPLY",
        "K-LUMEN-PUMPS",
    ),
    manager="",
    programme="",
    tiers=("member", "silver", "gold"),
)
"""The ids of the demo's records, each in the place of its name in :class:`Names`."""


PLAIN_NAMES = Names(
    clients=tuple(f"Client {n}" for n, _ in enumerate(DEMO_IDS.clients)),
    products=tuple(f"Product {n}" for n, _ in enumerate(DEMO_IDS.products)),
    opportunities=tuple(f"Deal {n}" for n, _ in enumerate(DEMO_IDS.opportunities)),
    contracts=tuple(f"Contract {n}" for n, _ in enumerate(DEMO_IDS.contracts)),
    manager="manager",
    programme="Programme",
    tiers=tuple(f"Tier {n}" for n, _ in enumerate(DEMO_IDS.tiers)),
)
"""Names that are only text, for a page to compare others with."""


class DemoStore:
    """The demo portfolio in memory as of AS_OF, whose names a test changes,
    and its HTML report (about 50 ms a page, so a property can afford it)."""

    def __init__(self) -> None:
        self.uow = InMemoryUnitOfWork(InMemoryStore())
        build_demo_portfolio(
            self.uow, SequentialIdSource(), dt.date.fromisoformat(AS_OF)
        )
        with self.uow:
            ids = Names(
                clients=tuple(c.id for c in self.uow.clients.all()),
                products=tuple(p.id for p in self.uow.products.all()),
                opportunities=tuple(o.id for o in self.uow.opportunities.all()),
                contracts=tuple(c.id for c in self.uow.contracts.all()),
                manager="",
                programme="",
                tiers=tuple(t.code for t in self.uow.programmes.all()[0].tiers),
            )
        assert ids == DEMO_IDS
        # Kept up to date as contracts change, so a page need not read every
        # invoice again.
        self.state = load_portfolio_state(self.uow)

    def rename(self, names: Names) -> None:
        """Give every record its name from ``names``."""
        uow = self.uow
        with uow:
            for client, name in zip(uow.clients.all(), names.clients, strict=True):
                manager = ManagerId(names.manager) if client.account_manager else None
                uow.clients.save(
                    attrs.evolve(client, name=name, account_manager=manager)
                )
            for product, name in zip(uow.products.all(), names.products, strict=True):
                uow.products.save(attrs.evolve(product, name=name))
            deals = zip(uow.opportunities.all(), names.opportunities, strict=True)
            for deal, title in deals:
                uow.opportunities.save(attrs.evolve(deal, title=title))
            for contract, title in zip(
                uow.contracts.all(), names.contracts, strict=True
            ):
                saved = uow.contracts.save(attrs.evolve(contract, title=title))
                self.state.add_contract(saved)
            (programme,) = uow.programmes.all()
            tiers = tuple(
                attrs.evolve(tier, name=name)
                for tier, name in zip(programme.tiers, names.tiers, strict=True)
            )
            uow.programmes.save(
                attrs.evolve(programme, name=names.programme, tiers=tiers)
            )
            uow.commit()

    def page(self, locale: str = "en_GB") -> str:
        """The HTML report of every key account, as ``kamcore report`` makes
        it (loyalty standings included)."""
        report = weekly_report(
            self.uow,
            clock_at(AS_OF),
            selection=AccountSelection.key_accounts(),
            state=self.state,
        )
        members = member_standings(self.uow, clock_at(AS_OF), report)
        return report_page(report, locale, members=members)
