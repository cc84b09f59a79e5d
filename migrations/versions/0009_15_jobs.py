"""more jobs: a job without a visit (recap) and with parameters; job_file (recap PDFs, uploads)

Revision ID: 0009_15_jobs
Revises: 0008_11_lockout
Create Date: 2026-12-06 17:45:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0009_15_jobs'
down_revision = '0008_11_lockout'
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.alter_column('visit_id', existing_type=sa.Integer(), nullable=True)
        batch_op.add_column(sa.Column('params', sa.JSON(), nullable=True))
    op.create_table('job_file',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('kind', sa.String(length=10), nullable=False),
                    sa.Column('key', sa.String(length=80), nullable=False),
                    sa.Column('filename', sa.String(length=200), nullable=False),
                    sa.Column('body', sa.LargeBinary(), nullable=False),
                    sa.Column('created_at', sa.DateTime(), nullable=False),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_file')),
                    sa.UniqueConstraint('kind', 'key', name=op.f('uq_job_file_kind_key')))


def downgrade():
    op.drop_table('job_file')
    # Jobs of no visit (recaps) cannot live in the older table: they are only a cache's history.
    job = sa.table('job', sa.column('visit_id', sa.Integer))
    op.get_bind().execute(job.delete().where(job.c.visit_id.is_(None)))
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.drop_column('params')
        batch_op.alter_column('visit_id', existing_type=sa.Integer(), nullable=False)
