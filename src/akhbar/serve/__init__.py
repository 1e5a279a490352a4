"""The edges: the akhbar command, the REST API and the web reader. Settings from the environment are read here."""

from __future__ import annotations

import os

# Where the search index of the archive lives: needed for a PostgreSQL archive (one per server, following the
# archive's change log); a SQLite archive's is beside its file unless this says otherwise.
SEARCH_INDEX_ENV = "AKHBAR_SEARCH_INDEX"


def search_index_folder() -> str | None:
    return os.environ.get(SEARCH_INDEX_ENV) or None
