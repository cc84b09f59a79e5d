"""report cache: one rendered visit report per state version

Revision ID: 0003_reports
Revises: 0002_sync_prereg
Create Date: 2026-11-28 09:00:00

"""
from alembic import op
import sqlalchemy as sa


# revision identifiers, used by Alembic.
revision = '0003_reports'
down_revision = '0002_sync_prereg'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('report_cache',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('state_version', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('pdf', sa.LargeBinary(), nullable=False),
    sa.Column('size', sa.Integer(), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('summary', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_report_cache_visit_id_visit')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_report_cache')),
    sa.UniqueConstraint('visit_id', 'state_version', name=op.f('uq_report_cache_visit_id_state_version'))
    )
    with op.batch_alter_table('report_cache', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_report_cache_visit_id'), ['visit_id'], unique=False)


def downgrade():
    with op.batch_alter_table('report_cache', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_report_cache_visit_id'))

    op.drop_table('report_cache')
