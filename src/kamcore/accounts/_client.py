"""The client record (the account) and client groups."""

from __future__ import annotations

import enum

import attrs

from kamcore.kernel import (
    Checks,
    ClientGroupId,
    ClientId,
    DiscountGroupId,
    ManagerId,
    MembershipId,
    PriceListId,
    validate_currency,
    validate_locale,
)

__all__ = ["Client", "ClientGroup", "ClientStatus"]


class ClientStatus(enum.Enum):
    """Where the account stands commercially."""

    PROSPECT = "prospect"
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    CLOSED = "closed"


@attrs.frozen(kw_only=True)
class Client:
    """A client account: who it is, who manages it and how it is priced.

    Attributes:
        id: The account's id.
        name: Display name.
        currency: ISO 4217 code the account is invoiced in.
        locale: Babel locale for what the client reads (``"de_DE"``).
        key_account: Whether this is a key account; key accounts need a manager.
        account_manager: The key account manager responsible for it.
        groups: Client groups it belongs to (portfolio segmentation, group prices).
        discount_group: Discount group whose rules apply to it.
        price_list: Its dedicated price list, if it has one.
        membership: Its loyalty membership, if enrolled.
        status: Commercial status.
        version: Optimistic-locking version; 0 until first stored.
    """

    id: ClientId
    name: str
    currency: str
    locale: str
    key_account: bool = False
    account_manager: ManagerId | None = None
    groups: frozenset[ClientGroupId] = frozenset()
    discount_group: DiscountGroupId | None = None
    price_list: PriceListId | None = None
    membership: MembershipId | None = None
    status: ClientStatus = ClientStatus.ACTIVE
    version: int = 0

    def __attrs_post_init__(self) -> None:
        checks = Checks("Client")
        checks.text("id", self.id)
        checks.text("name", self.name)
        checks.capture(lambda: validate_currency(self.currency, subject="Client"))
        checks.capture(lambda: validate_locale(self.locale, subject="Client"))
        checks.instance("key_account", self.key_account, bool)
        checks.optional_text("account_manager", self.account_manager)
        if self.key_account is True and self.account_manager is None:
            checks.fail(
                "account_manager", "a key account needs an account manager", None
            )
        checks.each("groups", self.groups, str, checks.text, container=frozenset)
        checks.optional_text("discount_group", self.discount_group)
        checks.optional_text("price_list", self.price_list)
        checks.optional_text("membership", self.membership)
        checks.instance("status", self.status, ClientStatus)
        checks.version(self.version)
        checks.raise_if_any()


@attrs.frozen(kw_only=True)
class ClientGroup:
    """A portfolio segment, optionally with its own price list.

    Attributes:
        id: The group's id.
        name: Display name.
        priority: Higher wins when several groups price the same product.
        price_list: The group's price list, if any.
        version: Optimistic-locking version.
    """

    id: ClientGroupId
    name: str
    priority: int = 0
    price_list: PriceListId | None = None
    version: int = 0

    def __attrs_post_init__(self) -> None:
        checks = Checks("ClientGroup")
        checks.text("id", self.id)
        checks.text("name", self.name)
        checks.instance("priority", self.priority, int)
        checks.optional_text("price_list", self.price_list)
        checks.version(self.version)
        checks.raise_if_any()
