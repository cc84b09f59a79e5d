"""incremental sync: sync_event.target_id (the event an undo annuls); job queue: job, slips_file

Revision ID: 0006_15_incremental
Revises: 0005_12_season
Create Date: 2026-12-06 11:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0006_15_incremental'
down_revision = '0005_12_season'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('job',
                    sa.Column('id', sa.String(length=32), nullable=False),
                    sa.Column('kind', sa.String(length=10), nullable=False),
                    sa.Column('visit_id', sa.Integer(), nullable=False),
                    sa.Column('key', sa.String(length=80), nullable=False),
                    sa.Column('locale', sa.String(length=5), nullable=False),
                    sa.Column('state', sa.String(length=10), nullable=False),
                    sa.Column('error', sa.Text(), nullable=True),
                    sa.Column('created_at', sa.DateTime(), nullable=False),
                    sa.Column('started_at', sa.DateTime(), nullable=True),
                    sa.Column('finished_at', sa.DateTime(), nullable=True),
                    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_job_visit_id_visit')),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_job')))
    with op.batch_alter_table('job', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_visit_id'), ['visit_id'], unique=False)
    op.create_table('slips_file',
                    sa.Column('id', sa.Integer(), nullable=False),
                    sa.Column('visit_id', sa.Integer(), nullable=False),
                    sa.Column('key', sa.String(length=80), nullable=False),
                    sa.Column('pdf', sa.LargeBinary(), nullable=False),
                    sa.Column('created_at', sa.DateTime(), nullable=False),
                    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'],
                                            name=op.f('fk_slips_file_visit_id_visit')),
                    sa.PrimaryKeyConstraint('id', name=op.f('pk_slips_file')),
                    sa.UniqueConstraint('visit_id', 'key', name=op.f('uq_slips_file_visit_id_key')))
    with op.batch_alter_table('slips_file', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_slips_file_visit_id'), ['visit_id'], unique=False)
    with op.batch_alter_table('sync_event', schema=None) as batch_op:
        batch_op.add_column(sa.Column('target_id', sa.String(length=200), nullable=True))
        batch_op.create_index(batch_op.f('ix_sync_event_target_id'), ['target_id'], unique=False)
    # Backfill from the stored bodies (undos are few; JSON operators differ between databases).
    conn = op.get_bind()
    event = sa.table('sync_event', sa.column('pos', sa.BigInteger), sa.column('type', sa.String),
                     sa.column('body', sa.JSON), sa.column('target_id', sa.String))
    rows = conn.execute(sa.select(event.c.pos, event.c.body).where(event.c.type == 'undo')).all()
    for pos, body in rows:
        target = body.get('target') if isinstance(body, dict) else None
        if isinstance(target, str):
            conn.execute(event.update().where(event.c.pos == pos).values(target_id=target))


def downgrade():
    op.drop_table('slips_file')
    op.drop_table('job')
    with op.batch_alter_table('sync_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_event_target_id'))
        batch_op.drop_column('target_id')
