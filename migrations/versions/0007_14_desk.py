"""desk: printing on site and blank cards, already-recorded outcomes, the phone of an audit entry

Revision ID: 0007_14_desk
Revises: 0005_12_season
Create Date: 2026-12-06 11:40:00

"""
import sqlalchemy as sa
from alembic import op

revision = '0007_14_desk'
down_revision = '0006_15_incremental'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table('visit_photo',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('visit_id', sa.Integer(), nullable=False),
    sa.Column('jpeg', sa.LargeBinary(), nullable=False),
    sa.Column('width', sa.Integer(), nullable=False),
    sa.Column('height', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('caption', sa.String(length=200), nullable=True),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['created_by_id'], ['user.id'], name=op.f('fk_visit_photo_created_by_id_user')),
    sa.ForeignKeyConstraint(['visit_id'], ['visit.id'], name=op.f('fk_visit_photo_visit_id_visit'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_visit_photo'))
    )
    with op.batch_alter_table('visit_photo', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_visit_photo_visit_id'), ['visit_id'], unique=False)

    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.add_column(sa.Column('device_id', sa.String(length=16), nullable=True))

    with op.batch_alter_table('student_state', schema=None) as batch_op:
        batch_op.add_column(sa.Column('print', sa.String(length=12), nullable=True))
        batch_op.add_column(sa.Column('print_reason', sa.String(length=20), nullable=True))
        # "already_recorded" is longer than the old 10 characters.
        batch_op.alter_column('outcome', existing_type=sa.String(length=10), type_=sa.String(length=20),
                              existing_nullable=True)

    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.add_column(sa.Column('blanks_brought', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('blanks_left', sa.Integer(), nullable=True))


def downgrade():
    with op.batch_alter_table('visit', schema=None) as batch_op:
        batch_op.drop_column('blanks_left')
        batch_op.drop_column('blanks_brought')

    with op.batch_alter_table('student_state', schema=None) as batch_op:
        batch_op.alter_column('outcome', existing_type=sa.String(length=20), type_=sa.String(length=10),
                              existing_nullable=True)
        batch_op.drop_column('print_reason')
        batch_op.drop_column('print')

    with op.batch_alter_table('audit_entry', schema=None) as batch_op:
        batch_op.drop_column('device_id')

    with op.batch_alter_table('visit_photo', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_visit_photo_visit_id'))
    op.drop_table('visit_photo')
