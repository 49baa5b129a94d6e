"""Conformance test ids: one word for ``pytest -k``, each naming one thing."""

from __future__ import annotations

import re

from kamcore.testing._kinds import KINDS
from kamcore.testing._query_case import safe_id
from kamcore.testing._query_cases import QUERY_CASES

# What pytest's -k grammar reads as one identifier, less the characters that
# have a meaning in it or in a shell ([, ], :, +, \\, /).
ONE_WORD = re.compile(r"[A-Za-z0-9_.-]+")


def test_every_query_case_id_is_one_word_and_unique() -> None:
    ids = [case.id for case in QUERY_CASES]
    assert [i for i in ids if not ONE_WORD.fullmatch(i)] == []
    assert len(set(ids)) == len(ids) == 192


def test_a_query_case_id_names_its_query_then_its_filters() -> None:
    ids = {case.id for case in QUERY_CASES}
    assert {
        "clients.find-empty",
        "clients.find-all",
        "clients.find-manager-m-1",
        "invoices.outstanding-as_of-2026-04-15",
    } <= ids


def test_every_repository_name_is_one_word_and_part_of_no_other() -> None:
    names = [kind.attribute for kind in KINDS]
    assert all(ONE_WORD.fullmatch(name) for name in names)
    assert [(a, b) for a in names for b in names if a != b and a in b] == []
    # -k NAME selects only that repository's query cases.
    for name in names:
        selected = {case.repository for case in QUERY_CASES if name in case.id}
        assert selected <= {name}


def test_safe_id_keeps_what_k_reads_and_joins_the_rest_into_one_dash() -> None:
    assert safe_id("clients.find:manager=m-1,status=active") == (
        "clients.find-manager-m-1-status-active"
    )
    assert safe_id("tickets.find:open_at=2026-03-10 12:00:00+00:00") == (
        "tickets.find-open_at-2026-03-10-12-00-00-00-00"
    )
    assert safe_id("a:=b:") == "a-b"
