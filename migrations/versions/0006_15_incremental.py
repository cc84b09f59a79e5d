"""incremental sync: sync_event.target_id (the event an undo annuls)

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
    with op.batch_alter_table('sync_event', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_sync_event_target_id'))
        batch_op.drop_column('target_id')
