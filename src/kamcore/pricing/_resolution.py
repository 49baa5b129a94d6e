"""Price resolution: client list -> group lists by priority -> base list, then the
discount group (SPEC §3).

One routine resolves every price. It takes an optional trace: the fast path
(pricing thousands of lines) records nothing, and :meth:`ResolvedPrice.explain`
re-runs the very same routine with a trace to say why. Both therefore always
agree, and the explanation costs nothing until it is asked for.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import NamedTuple

from kamcore.accounts import (
    Candidate,
    CandidateOutcome,
    Client,
    ClientGroup,
    PriceExplanation,
    PricingStep,
    Product,
)
from kamcore.errors import CurrencyMismatchError, KamcoreError
from kamcore.kernel import (
    EXACT,
    ROUNDING,
    CategoryId,
    Checks,
    ClientGroupId,
    ClientId,
    DiscountGroupId,
    Money,
    Percentage,
    PriceListId,
    ProductId,
    exactly,
    trusted_money,
    validate_currency,
)
from kamcore.pricing._conflicts import (
    PriceNotFoundError,
    PricingConfigurationError,
    PricingConflict,
)
from kamcore.pricing._discounts import DiscountGroup, DiscountRule
from kamcore.pricing._fastpath import FastTables, Plan, RuleStep
from kamcore.pricing._index import (
    DISCOUNTABLE,
    END,
    ITEM,
    LABEL,
    LISTED,
    MIN,
    START,
    Entry,
    IndexedList,
    PricingOptions,
    RuleEntry,
    RuleTable,
    Tables,
    build_tables,
)
from kamcore.pricing._lists import PriceList, PriceListKind

__all__ = ["PricingIndex", "ResolvedPrice"]

_ZERO = Decimal(0)
_DECIMAL = Decimal
_DATE = dt.date
_multiply = EXACT.multiply
_new_tuple = tuple.__new__
_NO_RECORD = ("",)

Level = tuple[tuple[IndexedList, str], ...]
"""One precedence level: (list, group id or "") pairs, consulted together."""

KnownPlan = tuple[Client, tuple[str, ...], DiscountGroupId | None, RuleStep | None]
"""A client and its fast-path :data:`~kamcore.pricing._fastpath.Plan`."""

Found = tuple[IndexedList, Entry, Decimal]
"""A list item that priced the product: (list, its entry, price before
discounts). A plain tuple: one is built per priced line."""


class Ask(NamedTuple):
    """What is being priced: one product, quantity, date and currency, for whom."""

    product: ProductId
    quantity: Decimal
    on: dt.date
    currency: str
    client: ClientId


class _Trace:
    """What an explanation needs, collected while resolving."""

    __slots__ = ("candidates", "discount", "steps")

    def __init__(self) -> None:
        self.candidates: list[Candidate] = []
        self.steps: list[tuple[str, Decimal, str]] = []
        self.discount: str | None = None

    def consider(
        self,
        source: str,
        kind: PriceListKind,
        outcome: CandidateOutcome,
        price: Money | None = None,
        detail: str = "",
    ) -> None:
        self.candidates.append(
            Candidate(
                source=source,
                kind=kind.value,
                outcome=outcome,
                unit_price=price,
                detail=detail,
            )
        )


class ResolvedPrice(NamedTuple):
    """The unit price a client pays for a product, and where it came from.

    A named tuple rather than an attrs class: a backend builds one per priced
    line, by the hundred thousand, and a tuple is four times cheaper to build.
    It is immutable and hashable all the same.

    Attributes:
        unit_price: The price charged per unit, rounded to the unit places.
        list_price: The winning list's price before any discount group.
        discount: The discount-group percentage applied, if any.
        source: The winning list item (``"acme-2026.items[3]"``).
        source_kind: The winning list's kind.
        client: The client priced for.
        product: The product.
        quantity: The quantity priced.
        on: The pricing date.
        resolver: The index that resolved it (to explain it).
    """

    unit_price: Money
    list_price: Money
    discount: Percentage | None
    source: str
    source_kind: PriceListKind
    client: Client
    product: ProductId
    quantity: Decimal
    on: dt.date
    resolver: PricingIndex

    def explain(self) -> PriceExplanation:
        """Every list and item considered and why, each step and its rounding."""
        _, explanation = self.resolver.resolve_explained(
            self.client, self.product, self.quantity, self.on
        )
        return explanation


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
        PricingConfigurationError: listing every conflict in the catalogue.
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
        self._quantum = self.options.unit_quantum
        self._rounding = self.options.rounding
        self._tables: Tables = build_tables(
            price_lists, client_groups, discount_groups, products, self.options
        )
        self._level_cache: dict[
            tuple[PriceListId | None, frozenset[ClientGroupId], str], tuple[Level, ...]
        ] = {}
        # The same rounding as the general routine's quantize; the context's own
        # method when the modes match, as it skips the keyword arguments.
        self._quantize: Callable[[Decimal, Decimal], Decimal] = (
            ROUNDING.quantize
            if self._rounding == ROUNDING.rounding
            else functools.partial(
                Decimal.quantize, rounding=self._rounding, context=ROUNDING
            )
        )
        self._fast = FastTables(self._tables)
        self._records = self._fast.records
        self._plans: dict[
            tuple[
                PriceListId | None,
                frozenset[ClientGroupId],
                str,
                DiscountGroupId | None,
            ],
            Plan,
        ] = {}
        # The plan of the last Client object seen with each id. A Client is
        # immutable, so the same object always has the same plan; checking
        # identity reads nothing but the client, where a lookup by its
        # configuration hashes four of its fields on every line.
        self._client_plans: dict[ClientId, KnownPlan] = {}

    # -- public -------------------------------------------------------------
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
            known = self._plan(client, product, quantity, on, currency)
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
        _, _, _, listed, source, kind, discountable, unit, _ = block
        if unit is None:
            return self._general(client, product, quantity, on, currency)
        percentage = None
        if group is not None and discountable:
            rule = record[1].get(group, default)
            while rule is not None:
                if rule[1] <= on <= rule[2] and rule[0] <= quantity:
                    percentage = rule[3]
                    try:
                        net = _multiply(listed.amount, rule[4])
                    except decimal.Inexact:
                        return self._general(client, product, quantity, on, currency)
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

    def _plan(
        self,
        client: object,
        product: object,
        quantity: object,
        on: object,
        currency: object,
    ) -> KnownPlan:
        """The fast path's plan for ``client``, prepared once per configuration.

        Raises what the general routine raises for a missing or foreign-currency
        list: it goes through the same :meth:`_levels`; and for something else
        than a client, the general routine's :class:`ValidationError`.
        """
        if not isinstance(client, Client):
            _ask(client, product, quantity, on, currency)
        assert isinstance(client, Client)  # noqa: S101 - _ask refuses anything else
        key = (client.price_list, client.groups, client.currency, client.discount_group)
        plan = self._plans.get(key)
        if plan is None:
            # The first line of a configuration is checked in full, so that a
            # missing reference is reported with the product if it is one.
            self._check_references(
                client, _ask(client, product, quantity, on, currency).product
            )
            levels = self._levels(client)
            plan = self._fast.plan(
                ([indexed for indexed, _ in level] for level in levels),
                client.discount_group,
            )
            self._plans[key] = plan
        known = (client, *plan)
        self._client_plans[client.id] = known
        return known

    def _general(
        self,
        client: Client,
        product: ProductId,
        quantity: Decimal,
        on: dt.date,
        currency: str | None,
    ) -> ResolvedPrice:
        """The general routine, untraced: every shape, every error."""
        return self._resolve(
            client, _ask(client, product, quantity, on, currency), None
        )

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
        trace = _Trace()
        resolved = self.resolve_traced(
            client, product, quantity, on, trace, currency=currency
        )
        currency = resolved.unit_price.currency
        return resolved, PriceExplanation(
            source=resolved.source,
            source_kind=resolved.source_kind.value,
            candidates=tuple(trace.candidates),
            steps=tuple(
                # Amounts of exact arithmetic on validated prices, in the
                # client's validated currency: no need to check them again.
                PricingStep(
                    label=label,
                    amount=trusted_money(amount, currency),
                    rounding=rounding,
                )
                for label, amount, rounding in trace.steps
            ),
            discount=trace.discount,
        )

    def resolve_traced(
        self,
        client: Client,
        product: ProductId,
        quantity: Decimal,
        on: dt.date,
        trace: _Trace,
        *,
        currency: str | None = None,
    ) -> ResolvedPrice:
        """:meth:`resolve`, recording what an explanation needs into ``trace``."""
        return self._resolve(
            client, _ask(client, product, quantity, on, currency), trace
        )

    def product(self, product_id: ProductId) -> Product | None:
        """The catalogue entry the index was built with, if any (floors, costs)."""
        products = self._tables.products
        return None if products is None else products.get(product_id)

    def price_list(self, list_id: PriceListId) -> PriceList | None:
        """A list the index was built with, if any."""
        indexed = self._tables.lists.get(list_id)
        return None if indexed is None else indexed.list

    # -- resolution ---------------------------------------------------------
    def _levels(self, client: Client) -> tuple[Level, ...]:
        """The lists to consult, by precedence: client, group priorities, base.

        Groups of equal priority form one level; within it, each list comes
        once (with the first of its groups by id), in list-id order: the order
        a tie at one net price is settled in, whatever the groups are called.
        Every list is checked once here: it must exist and be in the client's
        currency. Cached per (dedicated list, groups, currency).
        """
        key = (client.price_list, client.groups, client.currency)
        cached = self._level_cache.get(key)
        if cached is not None:
            return cached
        ids: list[tuple[tuple[PriceListId, str], ...]] = []
        if client.price_list is not None:
            ids.append(((client.price_list, ""),))
        by_priority: dict[int, dict[PriceListId, str]] = {}
        for group_id in sorted(client.groups):
            group = self._tables.groups.get(group_id)
            if group is not None and group.price_list is not None:
                by_priority.setdefault(group.priority, {}).setdefault(
                    group.price_list, group_id
                )
        ids.extend(
            tuple(sorted(by_priority[p].items()))
            for p in sorted(by_priority, reverse=True)
        )
        base = self._tables.base_by_currency.get(client.currency)
        if base is not None:
            ids.append(((base, ""),))
        result = tuple(
            tuple(
                (self._list(list_id, client.currency), group)
                for list_id, group in level
            )
            for level in ids
        )
        self._level_cache[key] = result
        return result

    def _list(self, list_id: PriceListId, currency: str) -> IndexedList:
        indexed = self._tables.lists.get(list_id)
        if indexed is None:
            raise PricingConfigurationError(
                [
                    PricingConflict(
                        detail=f"price list {list_id} does not exist",
                        sources=(list_id,),
                    )
                ]
            )
        if indexed.list.currency != currency:
            raise CurrencyMismatchError(
                currency, indexed.list.currency, f"price from list {list_id}"
            )
        return indexed

    def _check_references(self, client: Client, product: ProductId | None) -> None:
        """Every list, group and discount group ``client`` names, and
        ``product``, must be in the index: one error lists every one missing.

        Raises:
            PricingConfigurationError: each conflict naming the client and the
                missing id.
        """
        tables = self._tables
        missing: list[tuple[str, str]] = []
        if client.price_list is not None and client.price_list not in tables.lists:
            missing.append(
                (f"has dedicated list {client.price_list}", client.price_list)
            )
        missing.extend(
            (f"is in group {group_id}", group_id)
            for group_id in sorted(client.groups)
            if group_id not in tables.groups
        )
        group = client.discount_group
        if group is not None and group not in tables.discounts:
            missing.append((f"is in discount group {group}", group))
        conflicts = [
            PricingConflict(
                detail=f"client {client.id} {what}, which the index does not have",
                sources=(client.id, ref),
            )
            for what, ref in missing
        ]
        if (
            product is not None
            and tables.products is not None
            and product not in tables.products
        ):
            conflicts.append(
                PricingConflict(
                    detail=(
                        f"product {product} is not in the catalogue the index was "
                        "built with"
                    ),
                    sources=(client.id, product),
                )
            )
        if conflicts:
            raise PricingConfigurationError(conflicts)

    def _resolve(self, client: Client, ask: Ask, trace: _Trace | None) -> ResolvedPrice:
        self._check_references(client, ask.product)
        winner: Found | None = None
        for level in self._levels(client):
            if winner is not None:
                if trace is None:
                    break
                for indexed, _ in level:
                    self._trace_lower(indexed, ask, trace)
                continue
            if len(level) == 1:
                # The common case: one list at this precedence level.
                winner = self._from_list(level[0][0], ask, trace)
                if winner is not None and trace is not None:
                    self._trace_winner(winner, ask, trace)
                continue
            winner = self._from_level(client, level, ask, trace)
        if winner is None:
            raise self._not_found(client, ask, trace)
        return self._finish(client, ask, winner, trace)

    def _not_found(
        self, client: Client, ask: Ask, trace: _Trace | None
    ) -> PriceNotFoundError:
        if trace is None:
            # Look again with a trace, so the error says why each list failed.
            trace = _Trace()
            for level in self._levels(client):
                for indexed, _ in level:
                    self._from_list(indexed, ask, trace)
        return PriceNotFoundError(
            client.id,
            ask.product,
            ask.quantity,
            ask.on,
            [str(candidate) for candidate in trace.candidates],
        )

    def _from_level(
        self, client: Client, level: Level, ask: Ask, trace: _Trace | None
    ) -> Found | None:
        """The winner of a level of equal-priority groups, if any list prices it.

        Each list is looked at with a trace of its own: every list's rejected
        items are candidates, but only the winner's steps are steps.
        """
        priced: list[tuple[str, Found, _Trace | None]] = []
        for indexed, group_id in level:
            own = None if trace is None else _Trace()
            found = self._from_list(indexed, ask, own)
            if trace is not None and own is not None:
                trace.candidates.extend(own.candidates)
            if found is not None:
                priced.append((group_id, found, own))
        if not priced:
            return None
        return self._settle_level(client, priced, ask, trace)

    def _settle_level(
        self,
        client: Client,
        priced: list[tuple[str, Found, _Trace | None]],
        ask: Ask,
        trace: _Trace | None,
    ) -> Found:
        """The winner of one precedence level; equal-priority groups must agree.

        They are compared on the net unit price the client would pay (after
        the discount group, as each item's discountable flag says): the same
        list price is a conflict when one item takes the discount and the
        other does not; different list prices agree when they come to the same
        net price. The first list (by id) wins a tie.
        """
        units = [self._priced(client, found, ask)[3] for _, found, _ in priced]
        first_group, first, first_trace = priced[0]
        for (group_id, other, _), unit in zip(priced[1:], units[1:], strict=True):
            if unit != units[0]:
                raise PricingConfigurationError(
                    [
                        PricingConflict(
                            detail=(
                                f"groups {first_group} and {group_id} have the same "
                                f"priority and price {ask.product} at {units[0]} and "
                                f"{unit} net (list prices {first[2]} and {other[2]}) "
                                f"on {ask.on}"
                            ),
                            sources=(first[1][LABEL], other[1][LABEL]),
                        )
                    ]
                )
        if trace is not None and first_trace is not None:
            trace.steps.extend(first_trace.steps)
            self._trace_winner(first, ask, trace)
            for group_id, other, _ in priced[1:]:
                trace.consider(
                    other[1][LABEL],
                    other[0].list.kind,
                    CandidateOutcome.SAME_PRICE_TIE,
                    trusted_money(other[2], ask.currency),
                    f"group {group_id}, net {trusted_money(units[0], ask.currency)}",
                )
        return first

    @staticmethod
    def _trace_winner(winner: Found, ask: Ask, trace: _Trace) -> None:
        trace.consider(
            winner[1][LABEL],
            winner[0].list.kind,
            CandidateOutcome.CHOSEN,
            trusted_money(winner[2], ask.currency),
            winner[1][ITEM].describe(),
        )

    def _priced(
        self, client: Client, found: Found, ask: Ask
    ) -> tuple[bool, RuleEntry | None, Decimal, Decimal]:
        """What ``found`` costs the client: (discountable, the discount rule
        applied, the exact net price, the unit price rounded from it)."""
        _, entry, price = found
        discountable = entry[DISCOUNTABLE]
        applied = None
        net = price
        if discountable and client.discount_group is not None:
            applied = self._discount(client, ask.product, ask.quantity, ask.on)
            if applied is not None:
                net = exactly(EXACT.multiply, price, applied[5])
        unit = net.quantize(self._quantum, rounding=self._rounding, context=ROUNDING)
        return discountable, applied, net, unit

    def _finish(
        self, client: Client, ask: Ask, winner: Found, trace: _Trace | None
    ) -> ResolvedPrice:
        """Apply the discount group and round the unit price."""
        indexed = winner[0]
        kind = indexed.list.kind
        discountable, applied, net, unit = self._priced(client, winner, ask)
        rule = None if applied is None else applied[4]
        if trace is not None:
            _trace_discount(
                trace, client, kind=kind, discountable=discountable, rule=rule, net=net
            )
            trace.steps.append(
                (
                    "unit price",
                    unit,
                    f"{self.options.unit_places} places, {self._rounding}",
                )
            )
        currency = ask.currency
        return ResolvedPrice(
            trusted_money(unit, currency),
            trusted_money(winner[2], currency),
            None if rule is None else rule.percentage,
            winner[1][LABEL],
            kind,
            client,
            ask.product,
            ask.quantity,
            ask.on,
            self,
        )

    def _discount(
        self, client: Client, product: ProductId, quantity: Decimal, on: dt.date
    ) -> RuleEntry | None:
        """The most specific applicable rule of the client's discount group."""
        group = client.discount_group
        if group is None:
            return None
        table = self._tables.discounts[group]  # checked by _check_references
        # Most specific first; the category is only needed when no product
        # rule applies.
        return (
            _applicable(table.by_product.get(product, ()), quantity, on)
            or _applicable(
                _by_category(table, self._tables.categories, product, group),
                quantity,
                on,
            )
            or _applicable(table.for_all, quantity, on)
        )

    def _from_list(
        self, indexed: IndexedList, ask: Ask, trace: _Trace | None
    ) -> Found | None:
        entries = indexed.by_product.get(ask.product)
        if entries is None:
            if trace is not None:
                trace.consider(
                    indexed.list.id, indexed.list.kind, CandidateOutcome.NO_ITEM
                )
            return None
        entry = self._pick(indexed, entries, ask, trace)
        if entry is None:
            return None
        listed = entry[LISTED]
        if listed is not None and trace is None:
            return indexed, entry, listed.amount
        return indexed, entry, self._list_price(indexed, entry, ask, trace)

    def _trace_lower(self, indexed: IndexedList, ask: Ask, trace: _Trace) -> None:
        """Record what a list of lower precedence would have given, if anything."""
        kind = indexed.list.kind
        try:
            found = self._from_list(indexed, ask, None)
        except KamcoreError as error:
            trace.consider(
                indexed.list.id,
                kind,
                CandidateOutcome.LOWER_PRECEDENCE,
                detail=str(error),
            )
            return
        if found is None:
            trace.consider(
                indexed.list.id,
                kind,
                CandidateOutcome.LOWER_PRECEDENCE,
                detail="no price",
            )
        else:
            trace.consider(
                found[1][LABEL],
                kind,
                CandidateOutcome.LOWER_PRECEDENCE,
                trusted_money(found[2], ask.currency),
                found[1][ITEM].describe(),
            )

    @staticmethod
    def _pick(
        indexed: IndexedList,
        entries: tuple[Entry, ...],
        ask: Ask,
        trace: _Trace | None,
    ) -> Entry | None:
        """The applicable item with the highest minimum quantity, or ``None``.

        Items are sorted by minimum quantity, highest first. Two applicable items
        with the same minimum are a conflict; the first applicable item with a
        lower minimum ends the search (it and all after it are smaller breaks).
        """
        on, quantity = ask.on, ask.quantity
        chosen: Entry | None = None
        for entry in entries:
            minimum, start, end = entry[MIN], entry[START], entry[END]
            if not (start <= on <= end and minimum <= quantity):
                if trace is not None:
                    trace.consider(
                        entry[LABEL],
                        indexed.list.kind,
                        _outcome(minimum, start, end, quantity, on),
                        detail=entry[ITEM].describe(),
                    )
                continue
            if chosen is None:
                chosen = entry
                continue
            if minimum == chosen[MIN]:
                raise PricingConfigurationError(
                    [
                        PricingConflict(
                            detail=(
                                f"two items of {indexed.list.id} price {ask.product} "
                                f"from quantity {minimum} on {on}"
                            ),
                            sources=(chosen[LABEL], entry[LABEL]),
                        )
                    ]
                )
            if trace is None:
                break
            trace.consider(
                entry[LABEL],
                indexed.list.kind,
                CandidateOutcome.SMALLER_BREAK,
                detail=entry[ITEM].describe(),
            )
        return chosen

    def _list_price(
        self, indexed: IndexedList, entry: Entry, ask: Ask, trace: _Trace | None
    ) -> Decimal:
        """The item's price: its fixed price, or derived down the chain."""
        here, item = entry[LABEL], entry[ITEM]
        if item.unit_price is not None:
            fixed = item.unit_price.amount
            if trace is not None:
                trace.steps.append((f"list price {here}", fixed, ""))
            return fixed
        listed = entry[LISTED]
        if listed is not None and trace is None:
            return listed.amount
        derivation = item.derived
        assert derivation is not None  # noqa: S101 - an item is fixed or derived
        source = self._tables.lists[derivation.source]
        entries = source.by_product.get(ask.product, ())
        picked = self._pick(source, entries, ask, None)
        if picked is None:
            raise PriceNotFoundError(
                ask.client,
                ask.product,
                ask.quantity,
                ask.on,
                [f"{here} derives from {source.list.id}, which has no price for it"],
            )
        price = derivation.apply(self._list_price(source, picked, ask, trace))
        if price < _ZERO:
            raise PricingConfigurationError(
                [
                    PricingConflict(
                        detail=f"{here} derives a negative price {price}",
                        sources=(here,),
                    )
                ]
            )
        if trace is not None:
            step = derivation.rounding_step
            trace.steps.append(
                (
                    f"derived at {here}: {derivation.describe()}",
                    price,
                    "" if step is None else f"multiple of {step}, ROUND_HALF_UP",
                )
            )
        return price


def _ask(
    client: object,
    product: object,
    quantity: object,
    on: object,
    currency: object,
) -> Ask:
    """What to price, once every argument is checked as ``LineRequest`` does.

    Raises:
        ValidationError: naming every argument of the wrong type or value.
        CurrencyMismatchError: ``currency`` is not the client's.
    """
    checks = Checks("PricingIndex.resolve")
    checks.instance("client", client, Client)
    checks.text("product", product)
    checks.decimal("quantity", quantity, strictly_positive=True)
    checks.date("on", on)
    if currency is not None:
        checks.capture(
            lambda: validate_currency(
                currency, subject="PricingIndex.resolve", path="currency"
            )
        )
    checks.raise_if_any()
    assert isinstance(client, Client)  # noqa: S101 - checked just above
    assert isinstance(product, str)  # noqa: S101
    assert isinstance(quantity, Decimal)  # noqa: S101
    assert isinstance(on, dt.date)  # noqa: S101
    if currency is not None and currency != client.currency:
        raise CurrencyMismatchError(
            str(currency),
            client.currency,
            f"price {product} for client {client.id} from its lists in",
        )
    return Ask(ProductId(product), quantity, on, client.currency, client.id)


def _applicable(
    entries: Iterable[RuleEntry], quantity: Decimal, on: dt.date
) -> RuleEntry | None:
    """The first rule that applies to ``quantity`` on ``on``, if any."""
    for entry in entries:
        if entry[1] <= on <= entry[2] and entry[0] <= quantity:
            return entry
    return None


def _by_category(
    table: RuleTable,
    categories: dict[ProductId, CategoryId],
    product: ProductId,
    group: DiscountGroupId,
) -> Iterable[RuleEntry]:
    """The rules for ``product``'s category, asked once no product rule applied.

    Raises:
        PricingConfigurationError: the category is unknown (the index was
            built without products) while the group has category rules: one
            of them might apply, and skipping it would be a different price.
    """
    category = categories.get(product)
    if category is not None:
        return table.by_category.get(category, ())
    if table.by_category:
        raise PricingConfigurationError(
            [
                PricingConflict(
                    detail=(
                        f"the category of {product} is unknown (the index was "
                        f"built without products) and discount group {group} has "
                        "category rules"
                    ),
                    sources=(product, group),
                )
            ]
        )
    return ()


def _outcome(
    minimum: Decimal, start: dt.date, end: dt.date, quantity: Decimal, on: dt.date
) -> CandidateOutcome:
    if on < start:
        return CandidateOutcome.NOT_YET_VALID
    if on > end:
        return CandidateOutcome.EXPIRED
    if minimum > quantity:
        return CandidateOutcome.QUANTITY_TOO_LOW
    return CandidateOutcome.CHOSEN


def _trace_discount(
    trace: _Trace,
    client: Client,
    *,
    kind: PriceListKind,
    discountable: bool,
    rule: DiscountRule | None,
    net: Decimal,
) -> None:
    """Say whether and which discount-group rule applied."""
    group = client.discount_group
    if group is None:
        return
    if not discountable:
        trace.discount = (
            f"discount group {group} not applied: this {kind.value} list item is net"
        )
    elif rule is None:
        trace.discount = f"discount group {group}: no rule applies"
    else:
        trace.discount = f"discount group {group}: {rule.describe()}"
        trace.steps.append((f"less {rule.percentage}", net, ""))
