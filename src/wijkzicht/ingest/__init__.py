"""Files, folders and zips → validate → pseudonymise → store; quarantine; resumable.

The entry point is :func:`wijkzicht.ingest.run.ingest`; ``wijkzicht ingest`` wraps it.
"""

from wijkzicht.ingest.run import ingest
from wijkzicht.ingest.writer import Counts

__all__ = ["Counts", "ingest"]
