"""A role per association: what an account may do on an association is the role it was
given there (`account_associations.role`: curator, head or member), not its role
elsewhere — «пригласить как члена МО» gave a head of another association full head
rights.  Existing grants take their account's role (head and member as they were, a
curator's named associations «curator»); offers from «Состав» are for heads.

Revision ID: 0008_association_roles
Revises: 0007_desk
Create Date: 2026-11-30
"""
import sqlalchemy as sa
from alembic import op

revision = "0008_association_roles"
down_revision = "0007_desk"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("account_associations", sa.Column("role", sa.String(20), nullable=False, server_default="head"))
    op.get_bind().execute(sa.text(
        "UPDATE account_associations SET role = (SELECT CASE accounts.role WHEN 'member' THEN 'member' "
        "WHEN 'curator' THEN 'curator' ELSE 'head' END FROM accounts "
        "WHERE accounts.id = account_associations.account_id) WHERE state = 'granted'"))


def downgrade() -> None:
    with op.batch_alter_table("account_associations") as batch:
        batch.drop_column("role")
