"""A client's fast-path plan, prepared once per client configuration.

The plan (:data:`~kamcore.pricing._fastpath.Plan`) is the codes of a client's
precedence levels and its discount group's rule chain: what
:meth:`~kamcore.pricing.PricingIndex.resolve` reads for every line of the
client. It depends on the client's configuration only (dedicated list, groups,
currency, discount group), so clients configured alike share one.
"""

from __future__ import annotations

from kamcore.accounts import Client
from kamcore.kernel import ClientGroupId, ClientId, DiscountGroupId, PriceListId
from kamcore.pricing._fastpath import FastTables, Plan, RuleStep
from kamcore.pricing._precedence import Precedence
from kamcore.pricing._resolved import ask_for

__all__ = ["KnownPlan", "Plans"]

KnownPlan = tuple[Client, tuple[str, ...], DiscountGroupId | None, RuleStep | None]
"""A client and its fast-path :data:`~kamcore.pricing._fastpath.Plan`."""

Configuration = tuple[
    PriceListId | None, frozenset[ClientGroupId], str, DiscountGroupId | None
]
"""What a plan depends on: dedicated list, groups, currency, discount group."""


class Plans:
    """The plans of one index: by configuration, and by the client last seen.

    ``by_client`` holds the plan of the last Client object seen with each id.
    A Client is immutable, so the same object always has the same plan:
    checking identity reads nothing but the client, where a lookup by its
    configuration hashes four of its fields on every line. Neither cache ever
    changes an answer.
    """

    def __init__(self, precedence: Precedence, fast: FastTables) -> None:
        self._precedence = precedence
        self._fast = fast
        self._by_configuration: dict[Configuration, Plan] = {}
        self.by_client: dict[ClientId, KnownPlan] = {}

    def plan(
        self,
        client: object,
        product: object,
        quantity: object,
        on: object,
        currency: object,
    ) -> KnownPlan:
        """The fast path's plan for ``client``, prepared once per configuration.

        Raises what the general routine raises for a missing reference or a
        foreign-currency list: it goes through the same checks and levels; and
        for something else than a client, the same :class:`ValidationError`.
        """
        if not isinstance(client, Client):
            ask_for(client, product, quantity, on, currency)
        assert isinstance(client, Client)  # noqa: S101 - ask_for refuses the rest
        key = (client.price_list, client.groups, client.currency, client.discount_group)
        plan = self._by_configuration.get(key)
        if plan is None:
            # The first line of a configuration is checked in full, so that a
            # missing reference is reported with the product if it is one.
            self._precedence.check_references(
                client, ask_for(client, product, quantity, on, currency).product
            )
            levels = self._precedence.levels(client)
            plan = self._fast.plan(
                ([indexed for indexed, _ in level] for level in levels),
                client.discount_group,
            )
            self._by_configuration[key] = plan
        known = (client, *plan)
        self.by_client[client.id] = known
        return known
