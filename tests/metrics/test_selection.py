"""Which accounts a metric covers: AccountSelection resolved over client records."""

from __future__ import annotations

import pytest
from sample_portfolio import CLIENTS, DACH, ROSSI, client

from kamcore.errors import ValidationError
from kamcore.kernel import ClientGroupId, ClientId, ManagerId
from kamcore.metrics import AccountSelection, ExclusionReason, SelectionKind

OTHER = client("zeta", manager="m.verdi")


def test_a_group_covers_its_key_accounts_and_says_why_the_others_are_out() -> None:
    resolved = AccountSelection.group(DACH).resolve([*CLIENTS, OTHER])
    assert resolved.ids == ("acme", "bolt", "cora", "dyna", "euro", "zeta")
    assert [(e.client, e.reason) for e in resolved.excluded] == [
        ("fizz", ExclusionReason.NOT_KEY_ACCOUNT),
        ("gone", ExclusionReason.ACCOUNT_CLOSED),
    ]
    assert resolved.description == "group dach"


def test_a_manager_covers_only_their_portfolio() -> None:
    resolved = AccountSelection.manager(ManagerId("m.verdi")).resolve([*CLIENTS, OTHER])
    assert (resolved.ids, resolved.excluded) == (("zeta",), ())
    assert AccountSelection.manager(ROSSI).resolve([OTHER]).ids == ()


def test_all_key_accounts_leaves_smaller_clients_unmentioned() -> None:
    resolved = AccountSelection.key_accounts().resolve(CLIENTS)
    assert "fizz" not in resolved.ids
    assert [e.client for e in resolved.excluded] == ["gone"]
    assert resolved.description == "all key accounts"


def test_chosen_ids_without_a_client_record_are_unknown() -> None:
    resolved = AccountSelection.clients([ClientId("acme"), ClientId("nobody")]).resolve(
        CLIENTS
    )
    assert resolved.ids == ("acme",)
    [missing] = resolved.excluded
    assert (missing.client, missing.reason) == (
        "nobody",
        ExclusionReason.UNKNOWN_ACCOUNT,
    )
    assert missing.row() == {
        "client": "nobody",
        "reason": "unknown_account",
        "detail": "no client record for 'nobody'",
    }


def test_an_empty_group_is_nobody() -> None:
    resolved = AccountSelection.group(ClientGroupId("nordics")).resolve(CLIENTS)
    assert (resolved.ids, resolved.excluded) == ((), ())


def test_a_group_selection_needs_a_group() -> None:
    with pytest.raises(ValidationError) as raised:
        AccountSelection(SelectionKind.GROUP)
    assert raised.value.errors[0].path == "group_id"


def test_names_are_kept_by_id() -> None:
    resolved = AccountSelection.key_accounts().resolve(CLIENTS)
    assert resolved.names[ClientId("acme")] == "Acme"
    assert str(SelectionKind.MANAGER) == "manager"
    assert str(ExclusionReason.OTHER_CURRENCY) == "other_currency"
