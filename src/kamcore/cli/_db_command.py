"""``kamcore db upgrade``: create kamcore's tables, or bring them up to date."""

from __future__ import annotations

import argparse

from kamcore.cli._common import (
    ExitCode,
    add_database,
    add_locale,
    open_database,
    say,
)
from kamcore.i18n import translator

__all__ = ["register", "run_upgrade"]


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``db`` (and ``db upgrade``) to the command parsers."""
    parser = commands.add_parser(
        "db",
        help="database administration: schema migrations",
        description="Database administration.",
    )
    actions = parser.add_subparsers(title="actions", metavar="ACTION")
    upgrade = actions.add_parser(
        "upgrade",
        help="create kamcore's tables, or apply the migrations they lack",
        description="Create kamcore's tables in the database, or apply every "
        "migration it lacks, in order, keeping every row. Safe to run at every "
        "deployment: an up-to-date database is left as it is. A SQLite file is "
        "created if it does not exist.",
    )
    add_database(upgrade)
    add_locale(upgrade)
    upgrade.set_defaults(run=run_upgrade, usage_of=upgrade)
    parser.set_defaults(run=None, usage_of=parser)


def run_upgrade(args: argparse.Namespace) -> ExitCode:
    """Apply the migrations the database lacks."""
    from kamcore.adapters.sql import SCHEMA_VERSION, upgrade  # noqa: PLC0415

    with open_database(args.db, create=True) as db:
        applied = upgrade(db.engine)
    _ = translator(args.locale)
    if applied:
        # Translators: {migrations} are the numbers of the migrations applied
        # ("1, 2, 3"), {version} the schema version reached. The English
        # singular says "migrations" too: write your language's singular.
        text = _.ngettext(
            "{database}: applied migrations {migrations}; schema version {version}",
            "{database}: applied migrations {migrations}; schema version {version}",
            len(applied),
            database=db.url,
            migrations=", ".join(map(str, applied)),
            version=SCHEMA_VERSION,
        )
    else:
        text = _(
            "{database}: up to date (schema version {version})",
            database=db.url,
            version=SCHEMA_VERSION,
        )
    say(text)
    return ExitCode.OK
