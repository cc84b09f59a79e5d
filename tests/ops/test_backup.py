"""`flask backup` then `flask restore` gives back exactly the rows of the backup (SQLite and PostgreSQL)."""
import pytest
from sqlalchemy import select

from webapp.auth.models import User
from webapp.extensions import db
from webapp.visits.models import Student


def _snapshot():
    """Every row of every table, in primary-key order."""
    db.session.remove()
    with db.engine.connect() as conn:
        return {table.name: conn.execute(select(table).order_by(*table.primary_key.columns)).all()
                for table in db.metadata.sorted_tables}


@pytest.fixture
def cli(app):
    return app.test_cli_runner()


def test_backup_restore_gives_back_the_same_rows(demo, cli, tmp_path):
    before = _snapshot()
    assert len(before["student"]) > 100
    path = tmp_path / "jemput.backup"
    result = cli.invoke(args=["backup", str(path)])
    assert result.exit_code == 0, result.output
    assert path.stat().st_size > 0 and oct(path.stat().st_mode)[-3:] == "600"

    # Life goes on after the backup: a student is deleted, a user changed and one added.
    db.session.delete(db.session.execute(select(Student).limit(1)).scalar_one())
    db.session.execute(select(User).where(User.username == "admin")).scalar_one().full_name = "Diubah"
    extra = User(username="baru", full_name="Baru", role="admin")
    extra.set_password("rahasia-123")
    db.session.add(extra)
    db.session.commit()
    assert _snapshot() != before

    result = cli.invoke(args=["restore", str(path), "--yes"])
    assert result.exit_code == 0, result.output
    assert _snapshot() == before


def test_backup_without_a_path_goes_to_instance_backups(ctx, cli):
    result = cli.invoke(args=["backup"])
    assert result.exit_code == 0, result.output
    written = result.output.split("Backup written: ", 1)[1].strip()
    assert "/backups/jemput-" in written
    import os

    os.remove(written)


def test_restore_asks_first(ctx, cli, tmp_path):
    path = tmp_path / "b"
    assert cli.invoke(args=["backup", str(path)]).exit_code == 0
    result = cli.invoke(args=["restore", str(path)], input="n\n")
    assert result.exit_code != 0 and "Aborted" in result.output
