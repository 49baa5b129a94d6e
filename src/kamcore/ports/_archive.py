"""The document archive: where signed contracts are filed.

kamcore never keeps the file itself, only the :class:`DocumentReference` the
archive hands back (SPEC §4: "archived document reference").
"""

from __future__ import annotations

from typing import Protocol

from kamcore.contracts import DocumentReference

__all__ = ["DocumentArchive"]


class DocumentArchive(Protocol):
    """Stores documents and says where they are."""

    def store(self, *, name: str, content: bytes, media_type: str) -> DocumentReference:
        """File ``content`` under ``name``; return where it is and its digest.

        The same content stored twice may return two references; the digest
        (``"sha256:..."``) is the same.
        """
        ...
