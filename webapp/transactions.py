"""Slow work (a PDF, a spreadsheet) runs outside any database transaction: docs/transactions.md."""
from webapp.extensions import db


class PendingWrites(RuntimeError):
    """Slow work was about to start while the session held unsaved changes (a bug)."""


def end_transaction():
    """End the request's transaction before slow work, so no lock is held while it runs.

    Pending writes here are a programming error: flushed, they would hold the write lock (all
    of SQLite) for the whole render; committed, they would be half of a request's work.
    """
    session = db.session
    if session.new or session.dirty or session.deleted:
        raise PendingWrites(f"{len(session.new)} new, {len(session.dirty)} changed, "
                            f"{len(session.deleted)} deleted objects before slow work")
    session.commit()
