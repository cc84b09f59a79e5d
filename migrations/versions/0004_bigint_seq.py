"""seq columns as BIGINT: a phone's seq is any integer below 2^53 (protocol), not only int4

Revision ID: 0004_bigint_seq
Revises: 0003_reports
"""
import sqlalchemy as sa
from alembic import op

revision = "0004_bigint_seq"
down_revision = "0003_reports"
branch_labels = None
depends_on = None

COLUMNS = [("device", "max_seq", False), ("device", "contiguous_seq", False),
           ("sync_event", "seq", False), ("rejected_event", "seq", True)]


def upgrade():
    for table, column, nullable in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, type_=sa.BigInteger(), existing_type=sa.Integer(),
                               existing_nullable=nullable)


def downgrade():
    for table, column, nullable in COLUMNS:
        with op.batch_alter_table(table) as batch:
            batch.alter_column(column, type_=sa.Integer(), existing_type=sa.BigInteger(),
                               existing_nullable=nullable)
