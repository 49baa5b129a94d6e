"""``kamcore loyalty``: members, tiers, points, and what to spend for a tier."""

from __future__ import annotations

import argparse
from typing import Any

from kamcore.cli._common import (
    CommandError,
    ExitCode,
    add_as_of,
    add_database,
    add_locale,
    add_timezone,
    clock_for,
    open_database,
    say,
)
from kamcore.cli._json_views import add_format, json_text, membership_document
from kamcore.cli._views import membership_text
from kamcore.kernel import ClientId
from kamcore.services import tier_report

__all__ = ["register", "run"]

DESCRIPTION = """\
The loyalty members as of a date (or one client with --client): the tier in
effect and the qualifying spend behind it, the points usable, pending and
reserved, what may be redeemed now, points about to expire, and what the
client must still spend to reach the next tier, or to hold each tier in the
next qualification period.
"""


def register(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``loyalty`` to the command parsers."""
    parser = commands.add_parser(
        "loyalty",
        help="loyalty members: tiers, points, what to spend for a tier",
        description=DESCRIPTION,
    )
    add_database(parser)
    parser.add_argument("--client", metavar="C", help="only client C")
    add_as_of(parser, what="the report")
    add_locale(parser)
    add_format(parser)
    add_timezone(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> ExitCode:
    """Print each member's standing."""
    clock = clock_for(args.as_of, args.timezone)
    lines: list[str] = []
    documents: list[dict[str, Any]] = []
    with open_database(args.db, read_only=True) as db:
        uow = db.uow
        with uow:
            if args.client is not None:
                members = [uow.clients.get(ClientId(args.client))]
            else:
                members = [c for c in uow.clients.all() if c.membership is not None]
            names = {p.id: p.name for p in uow.programmes.all()}
            memberships = {
                c.id: uow.memberships.get(c.membership)
                for c in members
                if c.membership is not None
            }
        if args.client is not None and not memberships:
            msg = f"client {args.client!r} is not a loyalty member"
            raise CommandError(msg, ExitCode.NOT_FOUND)
        for client in members:
            report = tier_report(uow, clock, client=client.id)
            programme = names[memberships[client.id].programme]
            lines += membership_text(client, programme, report, args.locale)
            documents.append(membership_document(client, programme, report))
    if args.format == "json":
        say(json_text({"members": documents}))
        return ExitCode.OK
    if not lines:
        lines = ["No loyalty members."]
    say("\n".join(lines))
    return ExitCode.OK
