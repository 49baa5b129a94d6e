"""``kamcore import`` at its edges: odd bytes, long values, any text."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from cli.cli_support import open_uow, run_main
from cli.import_support import Target, sample, target, write
from kamcore.kernel import ClientId

__all__ = ["target"]  # the fixture, for pytest


def test_a_long_value_is_quoted_cut_short(target: Target, tmp_path: Path) -> None:
    document = sample()
    document["products"][0]["category"] = ""
    document["clients"][0]["account_manager"] = "m" * 5000
    document["clients"][0]["name"] = "\x00" + "n" * 5000
    code, out, err = run_main(
        "import", write(tmp_path / "long.json", document), "--db", target.db
    )
    assert (code, out) == (3, "")
    lines = err.splitlines()[1:]
    assert lines == [
        "  long.json: $.products[0].category: must not be empty",
    ]
    document["products"][0]["category"] = "valves"
    _, _, err = run_main(
        "import", write(tmp_path / "long.json", document), "--db", target.db
    )
    assert err.splitlines()[2:] == [
        "  long.json: $.clients[0].name: a NUL character at position 0 of "
        "'\\x00nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn...' "
        "(5,001 characters): text must be valid Unicode without NUL characters",
        "  long.json: $.clients[0].account_manager: "
        f"'{'m' * 54}...' (5,000 characters) is too long: an id (or other indexed "
        "text) has at most 255 characters, so that PostgreSQL can index it",
    ]
    assert max(len(line) for line in err.splitlines()) < 240


def test_a_json_file_that_is_not_utf8_names_its_line(
    target: Target, tmp_path: Path
) -> None:
    latin = tmp_path / "latin.json"
    latin.write_bytes('{\n"clients": [\n{"id": "zürich"}]}'.encode("latin-1"))
    code, _, err = run_main("import", latin, "--db", target.db)
    assert code == 3
    assert err.splitlines()[1:] == [
        "  latin.json:3: not UTF-8 text: byte b'\\xfc' (invalid start byte)",
    ]


_TEXT = st.text(min_size=1, max_size=12).filter(lambda t: t.strip() == t)


@settings(max_examples=25, deadline=None)
@given(name=_TEXT)
def test_a_name_imports_exactly_unless_it_cannot_be_stored_anywhere(
    name: str,
) -> None:
    document = sample()
    document["clients"][1]["name"] = name
    storable = "\x00" not in name and not any(0xD800 <= ord(c) <= 0xDFFF for c in name)
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "p.db"
        code, _, err = run_main(
            "import", write(Path(folder) / "p.json", document), "--db", database
        )
        if not storable:
            assert code == 3
            assert not database.exists()
            return
        assert code == 0, err
        with open_uow(database) as uow, uow:
            assert uow.clients.get(ClientId("borealis")).name == name


def test_ids_longer_than_postgresql_indexes_are_refused_everywhere(
    target: Target, tmp_path: Path
) -> None:
    long_id = "".join(chr(ord("a") + (i * 7) % 26) for i in range(256))
    document = sample()
    document["clients"][1]["id"] = long_id
    document["invoices"][2]["client"] = long_id
    code, out, err = run_main(
        "import", write(tmp_path / "ids.json", document), "--db", target.db
    )
    assert (code, out) == (3, "")
    quoted = f"'{long_id[:54]}...' (256 characters)"
    assert err.splitlines()[2:] == [
        f"  ids.json: $.clients[1].id: {quoted} is too long: an id (or other indexed "
        "text) has at most 255 characters, so that PostgreSQL can index it",
        f"  ids.json: $.invoices[2].client: {quoted} is too long: an id (or other "
        "indexed text) has at most 255 characters, so that PostgreSQL can index it",
    ]
    document["invoices"][2]["client"] = long_id[:255] + "z"  # no such client
    document["clients"][1]["id"] = long_id[:255]
    _, _, err = run_main(
        "import", write(tmp_path / "ids.json", document), "--db", target.db
    )
    assert err.splitlines()[2:] == [
        f"  ids.json: $.invoices[2].client: no client '{long_id[:54]}...' (256 "
        "characters) in the import or the database",
    ]
