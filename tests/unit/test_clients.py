"""Client, client group and product records."""

from __future__ import annotations

from typing import Any

import attrs
import pytest

from kamcore.accounts import Client, ClientGroup, ClientStatus, Product
from kamcore.errors import ValidationError
from kamcore.kernel import CategoryId, ClientGroupId, ClientId, ManagerId, ProductId


def make_client(**changes: Any) -> Client:
    client = Client(
        id=ClientId("acme"),
        name="ACME Industrial",
        currency="EUR",
        locale="de_DE",
        key_account=True,
        account_manager=ManagerId("m.rossi"),
        groups=frozenset({ClientGroupId("dach")}),
    )
    return attrs.evolve(client, **changes)


def test_a_valid_client_keeps_its_fields() -> None:
    client = make_client()
    assert client.status is ClientStatus.ACTIVE
    assert client.version == 0
    assert client.groups == frozenset({"dach"})


def test_every_bad_field_is_reported_at_once() -> None:
    with pytest.raises(ValidationError) as caught:
        Client(
            id=ClientId(""),
            name="  ",
            currency="EURO",
            locale="xx-YY",
            key_account=True,
            version=-1,
        )
    assert caught.value.messages == [
        "must not be empty @ id",
        "must not be empty @ name",
        "unknown ISO 4217 currency code 'EURO' @ currency",
        "unknown locale 'xx-YY' (use underscores: 'xx_YY') @ locale",
        "a key account needs an account manager @ account_manager",
        "must not be negative @ version",
    ]


def test_groups_must_be_a_frozenset_of_ids() -> None:
    with pytest.raises(ValidationError) as caught:
        make_client(groups=["dach"])
    assert caught.value.messages == ["expected frozenset, got list @ groups"]


def test_key_account_flag_must_be_a_bool() -> None:
    with pytest.raises(ValidationError) as caught:
        make_client(key_account=1)
    assert caught.value.messages[0] == "expected bool, got int @ key_account"


def test_non_key_account_needs_no_manager() -> None:
    assert make_client(key_account=False, account_manager=None).account_manager is None


def test_client_group_validates_its_fields() -> None:
    assert (
        ClientGroup(id=ClientGroupId("dach"), name="DACH", priority=10).priority == 10
    )
    with pytest.raises(ValidationError) as caught:
        ClientGroup(id=ClientGroupId("dach"), name="", priority="high")  # type: ignore[arg-type]  # under test
    assert caught.value.messages == [
        "must not be empty @ name",
        "expected int, got str @ priority",
    ]


def test_product_validates_its_fields() -> None:
    product = Product(id=ProductId("p1"), name="Valve", category=CategoryId("valves"))
    assert (product.unit, product.active) == ("unit", True)
    with pytest.raises(ValidationError) as caught:
        Product(id=ProductId("p1"), name="Valve", category=CategoryId(""), unit="")
    assert caught.value.messages == [
        "must not be empty @ category",
        "must not be empty @ unit",
    ]


def test_entities_are_immutable_and_hashable() -> None:
    client = make_client()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        client.name = "Other"  # type: ignore[misc]  # frozen: the refusal under test
    assert hash(client) == hash(make_client())
    assert client == make_client()


def test_a_blank_group_id_is_reported_at_the_set() -> None:
    with pytest.raises(ValidationError) as caught:
        make_client(groups=frozenset({ClientGroupId("zeta"), ClientGroupId(" ")}))
    assert caught.value.messages == ["must not be empty @ groups"]


def test_a_very_long_bad_locale_is_shortened_in_the_message() -> None:
    with pytest.raises(ValidationError) as caught:
        make_client(locale="x" * 10_000)
    assert caught.value.messages == [f"unknown locale '{'x' * 36}... @ locale"]
    assert caught.value.errors[0].value == "x" * 10_000
