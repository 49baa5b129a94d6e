"""kamcore's schema in a host's own Alembic environment.

Needs the ``kamcore[alembic]`` extra. A host that already runs Alembic takes
kamcore's tables into its own migration history instead of calling
:func:`kamcore.adapters.sql.upgrade`:

* kamcore's migrations are an Alembic branch labelled ``kamcore``, one
  revision per :data:`~kamcore.adapters.sql.MIGRATIONS` entry, shipped in the
  package (:data:`VERSION_LOCATION`, :func:`versions_directory`). Each applies
  kamcore's migration with the function :func:`~kamcore.adapters.sql.upgrade`
  uses, writes the ``kamcore_schema`` ledger row, and skips a migration the
  ledger already has: a database upgraded by kamcore's own migrator can switch
  to Alembic. There are no downgrades.
* :func:`metadata` is kamcore's ``MetaData`` for the host's
  ``target_metadata``; :func:`include_object` keeps autogenerate off kamcore's
  tables instead.

In the host's ``alembic.ini``::

    version_locations =
        %(here)s/migrations/versions
        kamcore.adapters.sql.alembic:versions
    path_separator = newline

and in its ``env.py``::

    from kamcore.adapters.sql import alembic as kamcore_alembic

    target_metadata = [crm_metadata, kamcore_alembic.metadata()]

A host revision that needs kamcore's tables depends on kamcore's head of the
day (``alembic revision --depends-on kamcore@head`` writes its id), and
``alembic upgrade heads`` applies both branches. See ``docs/alembic.md``.

.. versionadded:: Unreleased
"""

try:
    import alembic as _alembic  # noqa: F401 - only to fail early, naming the extra
except ImportError as _missing:  # pragma: no cover - exercised in a subprocess
    _msg = (
        "kamcore.adapters.sql.alembic needs Alembic: install the extra with "
        "`pip install 'kamcore[alembic]'`"
    )
    raise ImportError(_msg, name="alembic") from _missing

from kamcore.adapters.sql.alembic._branch import (
    BRANCH_LABEL,
    VERSION_LOCATION,
    OfflineMigrationError,
    include_object,
    metadata,
    revision_id,
    versions_directory,
)

__all__ = [
    "BRANCH_LABEL",
    "VERSION_LOCATION",
    "OfflineMigrationError",
    "include_object",
    "metadata",
    "revision_id",
    "versions_directory",
]
