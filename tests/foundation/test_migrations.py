"""Migrations build exactly the models' schema, and go down and up again."""
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import downgrade, upgrade

from webapp.extensions import db


def test_models_match_migrations(ctx):
    with db.engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), db.metadata)
    assert diff == []


def test_downgrade_to_base_and_back(app):
    with app.app_context():
        downgrade(revision="base")
        upgrade(revision="heads")
        from webapp.regions.loader import load_regions

        assert load_regions() == (8, 43)


def test_0009_down_drops_only_the_jobs_of_no_visit(demo):
    """0009_15_jobs down: a recap job (no visit) cannot live in the older table; a visit's job stays."""
    import sqlalchemy as sa

    from webapp.jobs.models import Job
    from webapp.visits.models import Visit

    visit_id = db.session.execute(sa.select(Visit.id)).scalars().first()
    db.session.add_all([Job(id="report1", kind="report", visit_id=visit_id, key="v1", locale="id"),
                        Job(id="recap1", kind="recap", visit_id=None, key="k", locale="id",
                            params={"from": None, "to": None, "basis": "school"})])
    db.session.commit()
    db.session.remove()
    downgrade(revision="0008_11_lockout")
    try:
        with db.engine.connect() as conn:
            assert conn.execute(sa.text("SELECT id FROM job")).scalars().all() == ["report1"]
            assert "job_file" not in sa.inspect(conn).get_table_names()
    finally:
        upgrade(revision="heads")
    assert db.session.get(Job, "report1").params is None
