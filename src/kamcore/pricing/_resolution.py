"""The pricing index and its fast path (SPEC §3, "Batches").

:class:`PricingIndex` is built once from the catalogue; :meth:`PricingIndex.resolve`
then answers the common lines from per-product records
(:mod:`kamcore.pricing._fastpath`) and hands everything else — and every
explanation — to the one general routine (:mod:`kamcore.pricing._general`).
Property tests hold the two to the same answers.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
from collections.abc import Callable, Iterable
from decimal import Decimal

from kamcore.accounts import Client, ClientGroup, PriceExplanation, Product
from kamcore.kernel import (
    EXACT,
    ROUNDING,
    ClientGroupId,
    DiscountGroupId,
    PriceListId,
    ProductId,
    trusted_money,
)
from kamcore.pricing._build import build_tables, collector_paused
from kamcore.pricing._discounts import DiscountGroup
from kamcore.pricing._fastpath import FastTables
from kamcore.pricing._general import GeneralRoutine
from kamcore.pricing._index import PricingOptions, Tables
from kamcore.pricing._lists import PriceList
from kamcore.pricing._plans import Plans
from kamcore.pricing._precedence import Precedence
from kamcore.pricing._refresh import plan_refresh
from kamcore.pricing._resolved import Ask, ResolvedPrice, ask_for
from kamcore.pricing._trace import Trace, explanation

__all__ = ["PricingIndex"]

_ZERO = Decimal(0)
_DECIMAL = Decimal
_DATE = dt.date
_multiply = EXACT.multiply
_new_tuple = tuple.__new__
_NO_RECORD = ("",)


class PricingIndex:
    """Price lists, client groups and discount groups, indexed once for resolution.

    Build it from the whole catalogue (it is validated as a whole on the way),
    then resolve any number of lines against it without touching storage.

    Args:
        price_lists: Every list that may be consulted (base, group, client).
        client_groups: The groups clients belong to (priorities, group lists).
        discount_groups: The discount groups clients may be assigned.
        products: The catalogue. Given, every product priced must be in it
            (an unknown one is a configuration error) and category discounts
            read its categories. Left out (``None``), products are not
            checked, and a line that a category rule might discount is
            refused: its category is unknown.
        options: Unit-price rounding.

    Raises:
        ValidationError: an argument holds something else than its kind
            (``price_lists[2]``, ``products``...).
        PricingConfigurationError: listing every conflict in the catalogue
            (the lists' own are those :func:`validate_price_lists` finds).
    """

    def __init__(
        self,
        price_lists: Iterable[PriceList],
        *,
        client_groups: Iterable[ClientGroup] = (),
        discount_groups: Iterable[DiscountGroup] = (),
        products: Iterable[Product] | None = None,
        options: PricingOptions | None = None,
    ) -> None:
        self.options = options or PricingOptions()
        with collector_paused():
            tables = build_tables(
                price_lists, client_groups, discount_groups, products, self.options
            )
            self._setup(tables, FastTables(tables))

    def _setup(self, tables: Tables, fast: FastTables) -> None:
        """Read ``tables`` through ``fast``; every cache starts empty."""
        self._quantum = self.options.unit_quantum
        self._rounding = self.options.rounding
        self._tables = tables
        self._precedence = Precedence(self._tables)
        self._routine = GeneralRoutine(
            self._tables, self._precedence, self.options, self
        )
        # The same rounding as the general routine's quantize; the context's own
        # method when the modes match, as it skips the keyword arguments.
        self._quantize: Callable[[Decimal, Decimal], Decimal] = (
            ROUNDING.quantize
            if self._rounding == ROUNDING.rounding
            else functools.partial(
                Decimal.quantize, rounding=self._rounding, context=ROUNDING
            )
        )
        self._fast = fast
        self._records = self._fast.records
        self._plans = Plans(self._precedence, fast)
        # Read on every line: the plan of the last Client object seen per id.
        self._client_plans = self._plans.by_client

    # -- public -------------------------------------------------------------
    def refreshed(
        self,
        *,
        price_lists: Iterable[PriceList] = (),
        client_groups: Iterable[ClientGroup] = (),
        discount_groups: Iterable[DiscountGroup] = (),
        products: Iterable[Product] = (),
        removed_price_lists: Iterable[PriceListId] = (),
        removed_client_groups: Iterable[ClientGroupId] = (),
        removed_discount_groups: Iterable[DiscountGroupId] = (),
        removed_products: Iterable[ProductId] = (),
    ) -> PricingIndex:
        """A new index with these added or replaced (by id), those removed.

        It answers every line exactly as an index built from the resulting
        catalogue would, errors included; this index is left as it is, so
        requests already reading it finish on it. Changed price lists and
        client groups are refreshed in place of a rebuild: only the changed
        lists, the lists deriving from them and the products they price are
        indexed again (one client list of a large catalogue: milliseconds).
        Discount groups and products, or a change that may conflict, build
        the index from the resulting catalogue in full.

        Args:
            price_lists: Lists added, or replacing the list of their id.
            client_groups: Groups added or replacing.
            discount_groups: Discount groups added or replacing.
            products: Products added or replacing (an index built with a
                catalogue only).
            removed_price_lists: Ids of lists to drop; likewise
                ``removed_client_groups``, ``removed_discount_groups`` and
                ``removed_products``.

        Raises:
            ValidationError: an argument of the wrong kind, an id to remove
                that the index does not have or that is also given, products
                for an index built without a catalogue.
            PricingConfigurationError: the resulting catalogue conflicts, as
                a rebuild would say.
        """
        plan = plan_refresh(
            self._tables,
            self.options,
            price_lists=price_lists,
            client_groups=client_groups,
            discount_groups=discount_groups,
            products=products,
            removed_price_lists=removed_price_lists,
            removed_client_groups=removed_client_groups,
            removed_discount_groups=removed_discount_groups,
            removed_products=removed_products,
        )
        if plan.catalogue is not None:
            catalogue = plan.catalogue
            return type(self)(
                catalogue.price_lists,
                client_groups=catalogue.client_groups,
                discount_groups=catalogue.discount_groups,
                products=catalogue.products,
                options=self.options,
            )
        assert plan.tables is not None  # noqa: S101 - no catalogue: tables
        fast = self._fast.refreshed(plan.tables, plan.touched)
        index = type(self).__new__(type(self))
        index.options = self.options
        index._setup(plan.tables, fast)
        return index

    def resolve(  # noqa: PLR0912 - the fast path is inlined on purpose, see below
        self,
        client: Client,
        product: ProductId,
        quantity: Decimal,
        on: dt.date,
        *,
        currency: str | None = None,
    ) -> ResolvedPrice:
        """The unit price ``client`` pays for ``quantity`` of ``product`` on ``on``.

        Prices are in the client's currency.

        Args:
            client: The client priced for.
            product: The product's id.
            quantity: How many units: a positive, finite ``Decimal``.
            on: The pricing date: a ``date``, not a ``datetime``.
            currency: The currency the price is wanted in (a document's);
                ``None`` takes the client's. kamcore does no conversion: any
                other currency than the client's lists' is refused.

        Raises:
            ValidationError: an argument of the wrong type or value (a float
                or string quantity, a quantity of zero or less, a datetime, a
                blank product, a malformed currency), naming every one.
            PriceNotFoundError: no list prices it (never zero by default).
            PricingConfigurationError: two equal-priority groups give different
                net prices, or two items of one list tie; both sources are
                named.
            CurrencyMismatchError: ``currency`` is not the client's, or the
                client's or a group's list is in another currency than the
                client.
        """
        # The fast path, inlined: it runs once per priced line. The product's
        # record holds every block (item) that may price it (see _fastpath);
        # for each of the client's levels in precedence order, the first of
        # the level's blocks that applies wins (blocks are highest break first,
        # and a validated list never has two applicable ones with one break).
        # Blocks and rule steps are plain tuples read with literal indexes: see
        # Entry in _index and RuleStep in _fastpath for their fields. Whatever
        # this cannot answer exactly goes to the general routine, which gives
        # the same answer (property tests hold the two together) and explains.
        # Type checks only: a Decimal is not parsed again. Anything else, or
        # a quantity that is not finite and positive, is for the general
        # routine to refuse by name.
        if (
            type(quantity) is not _DECIMAL
            or type(on) is not _DATE
            or not quantity.is_finite()
            or quantity <= _ZERO
        ):
            return self._general(client, product, quantity, on, currency)
        try:
            known = self._client_plans.get(client.id)
            # A product no list prices has no record: the empty one matches
            # nothing.
            record = self._records.get(product, _NO_RECORD)
        except (AttributeError, TypeError):  # not a client; an unhashable product
            return self._general(client, product, quantity, on, currency)
        if known is None or known[0] is not client:
            known = self._plans.plan(client, product, quantity, on, currency)
            # A new plan may have merged a level into the product's record.
            record = self._records.get(product, _NO_RECORD)
        _, levels, group, default = known
        if currency is not None and currency != client.currency:
            levels = ()  # no level answers: the general routine refuses it
        codes = record[0]
        for level in levels:
            # "in" first: str.index parses its arguments the slow way, and most
            # levels have no block for the product.
            if level not in codes:
                continue
            at = codes.index(level)
            block = record[at + 2]
            while not (block[1] <= on <= block[2] and block[0] <= quantity):
                at += 1
                if not codes.startswith(level, at):
                    break  # none of the level's blocks applies: next level
                block = record[at + 2]
            else:
                break
        else:
            return self._general(client, product, quantity, on, currency)
        # From here on the arguments are known good (typed, the product has a
        # record, the client's references were checked with its plan).
        _, _, _, listed, source, kind, discountable, unit, _ = block
        if unit is None:
            return self._general(client, product, quantity, on, None, checked=True)
        percentage = None
        if group is not None and discountable:
            rule = record[1].get(group, default)
            while rule is not None:
                if rule[1] <= on <= rule[2] and rule[0] <= quantity:
                    percentage = rule[3]
                    try:
                        net = _multiply(listed.amount, rule[4])
                    except decimal.Inexact:
                        return self._general(
                            client, product, quantity, on, None, checked=True
                        )
                    unit = trusted_money(
                        self._quantize(net, self._quantum), client.currency
                    )
                    break
                rule = rule[5]
        # tuple.__new__ is what the named tuple's own __new__ calls, minus the
        # Python-level frame in between.
        return _new_tuple(
            ResolvedPrice,
            (
                unit,
                listed,
                percentage,
                source,
                kind,
                client,
                product,
                quantity,
                on,
                self,
            ),
        )

    def _general(
        self,
        client: Client,
        product: ProductId,
        quantity: Decimal,
        on: dt.date,
        currency: str | None,
        *,
        checked: bool = False,
    ) -> ResolvedPrice:
        """The general routine, untraced: every shape, every error.

        ``checked``: the fast path found a block for the line, so its
        arguments and the client's references are known good; they are not
        checked again.
        """
        if checked:
            ask = Ask(product, quantity, on, client.currency, client.id)
        else:
            ask = ask_for(client, product, quantity, on, currency)
        return self._routine.resolve(client, ask, None, checked=checked)

    def resolve_explained(
        self,
        client: Client,
        product: ProductId,
        quantity: Decimal,
        on: dt.date,
        *,
        currency: str | None = None,
    ) -> tuple[ResolvedPrice, PriceExplanation]:
        """:meth:`resolve` and its explanation, from one traced pass.

        What document pricing uses: each line keeps its explanation, and this
        costs one resolution per line instead of two. Takes and checks the
        same arguments as :meth:`resolve`, and raises the same errors.
        """
        trace = Trace()
        resolved = self.resolve_traced(
            client, product, quantity, on, trace, currency=currency
        )
        return resolved, explanation(resolved, trace)

    def resolve_traced(
        self,
        client: Client,
        product: ProductId,
        quantity: Decimal,
        on: dt.date,
        trace: Trace,
        *,
        currency: str | None = None,
    ) -> ResolvedPrice:
        """:meth:`resolve`, recording what an explanation needs into ``trace``."""
        return self._routine.resolve(
            client, ask_for(client, product, quantity, on, currency), trace
        )

    @property
    def has_catalogue(self) -> bool:
        """Whether the index was built with ``products=`` (floors, costs)."""
        return self._tables.products is not None

    def product(self, product_id: ProductId) -> Product | None:
        """The catalogue entry the index was built with, if any (floors, costs)."""
        products = self._tables.products
        return None if products is None else products.get(product_id)

    def price_list(self, list_id: PriceListId) -> PriceList | None:
        """A list the index was built with, if any."""
        indexed = self._tables.lists.get(list_id)
        return None if indexed is None else indexed.list
