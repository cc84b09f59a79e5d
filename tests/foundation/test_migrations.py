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
