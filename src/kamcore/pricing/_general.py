"""The general routine: every shape of price, every error, every explanation.

Client list, then group lists by priority, then the base list; then the
discount group (SPEC §3). The fast path in :mod:`kamcore.pricing._resolution`
answers the common lines itself and hands everything else here; explanations
re-run this routine with a :class:`~kamcore.pricing._trace.Trace`, so an
explanation always agrees with its price.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from kamcore.accounts import CandidateOutcome, Client
from kamcore.errors import KamcoreError
from kamcore.kernel import EXACT, ROUNDING, exactly, trusted_money
from kamcore.pricing._conflicts import (
    PriceNotFoundError,
    PricingConfigurationError,
    PricingConflict,
)
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
    Tables,
)
from kamcore.pricing._precedence import Level, Precedence
from kamcore.pricing._resolved import Ask, ResolvedPrice
from kamcore.pricing._trace import Trace, outcome, trace_discount

if TYPE_CHECKING:
    from kamcore.pricing._resolution import PricingIndex

__all__ = ["Found", "GeneralRoutine"]

_ZERO = Decimal(0)

Found = tuple[IndexedList, Entry, Decimal]
"""A list item that priced the product: (list, its entry, price before
discounts). A plain tuple: one is built per priced line."""


class GeneralRoutine:
    """Resolves any line against the tables, with or without a trace.

    Args:
        tables: The indexed catalogue.
        precedence: The clients' lists and discount rules over ``tables``.
        options: Unit-price rounding.
        owner: The index answers are from (a :class:`ResolvedPrice` keeps it
            to explain itself).
    """

    def __init__(
        self,
        tables: Tables,
        precedence: Precedence,
        options: PricingOptions,
        owner: PricingIndex,
    ) -> None:
        self._tables = tables
        self._precedence = precedence
        self._quantum = options.unit_quantum
        self._rounding = options.rounding
        self._places = options.unit_places
        self._owner = owner

    def resolve(
        self, client: Client, ask: Ask, trace: Trace | None, *, checked: bool = False
    ) -> ResolvedPrice:
        """The unit price ``ask`` costs ``client``, recording into ``trace`` if
        one is given; ``checked``: the client's references and the product
        are known to be in the index.

        Raises:
            PricingConfigurationError: a missing reference, a conflict.
            PriceNotFoundError: no list prices it.
            CurrencyMismatchError: a list in another currency than the client.
        """
        if not checked:
            self._precedence.check_references(client, ask.product)
        winner: Found | None = None
        for level in self._precedence.levels(client):
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
        self, client: Client, ask: Ask, trace: Trace | None
    ) -> PriceNotFoundError:
        if trace is None:
            # Look again with a trace, so the error says why each list failed.
            trace = Trace()
            for level in self._precedence.levels(client):
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
        self, client: Client, level: Level, ask: Ask, trace: Trace | None
    ) -> Found | None:
        """The winner of a level of equal-priority groups, if any list prices it.

        Each list is looked at with a trace of its own: every list's rejected
        items are candidates, but only the winner's steps are steps.
        """
        priced: list[tuple[str, Found, Trace | None]] = []
        for indexed, group_id in level:
            own = None if trace is None else Trace()
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
        priced: list[tuple[str, Found, Trace | None]],
        ask: Ask,
        trace: Trace | None,
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
    def _trace_winner(winner: Found, ask: Ask, trace: Trace) -> None:
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
            applied = self._precedence.discount(
                client, ask.product, ask.quantity, ask.on
            )
            if applied is not None:
                net = exactly(EXACT.multiply, price, applied[5])
        unit = net.quantize(self._quantum, rounding=self._rounding, context=ROUNDING)
        return discountable, applied, net, unit

    def _finish(
        self, client: Client, ask: Ask, winner: Found, trace: Trace | None
    ) -> ResolvedPrice:
        """Apply the discount group and round the unit price."""
        indexed = winner[0]
        kind = indexed.list.kind
        discountable, applied, net, unit = self._priced(client, winner, ask)
        rule = None if applied is None else applied[4]
        if trace is not None:
            trace_discount(
                trace, client, kind=kind, discountable=discountable, rule=rule, net=net
            )
            trace.steps.append(
                (
                    "unit price",
                    unit,
                    f"{self._places} places, {self._rounding}",
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
            self._owner,
        )

    def _from_list(
        self, indexed: IndexedList, ask: Ask, trace: Trace | None
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

    def _trace_lower(self, indexed: IndexedList, ask: Ask, trace: Trace) -> None:
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
        trace: Trace | None,
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
                        outcome(minimum, start, end, quantity, on),
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
        self, indexed: IndexedList, entry: Entry, ask: Ask, trace: Trace | None
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
