"""What ``kamcore loyalty`` does: members, tiers, points, and what to spend for a
tier."""

from __future__ import annotations

import argparse
from typing import Any

from kamcore.cli._common import CommandError, ExitCode, clock_for, open_database, say
from kamcore.cli._json_views import json_text, membership_document
from kamcore.cli._views import membership_text
from kamcore.i18n import translator
from kamcore.kernel import ClientId
from kamcore.services import tier_report

__all__ = ["run"]


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
        _ = translator(args.locale)
        lines = [_("No loyalty members.")]
    say("\n".join(lines))
    return ExitCode.OK
