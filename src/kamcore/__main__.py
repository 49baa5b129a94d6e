"""``python -m kamcore``: the ``kamcore`` command (see :mod:`kamcore.cli`)."""

from __future__ import annotations

import sys

from kamcore.cli import main

__all__ = ["main"]

if __name__ == "__main__":
    sys.exit(main())
