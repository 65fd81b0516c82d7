"""Leases: one driver per (study, job) at a time.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scyc_leases",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("study_id", sa.Integer(), nullable=False),
        sa.Column("job", sa.String(length=16), nullable=False),
        sa.Column("holder", sa.String(length=255), nullable=False),
        sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("renewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["study_id"], ["scyc_studies.id"], name=op.f("fk_scyc_leases_study_id_scyc_studies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scyc_leases")),
        sa.UniqueConstraint("study_id", "job", name=op.f("uq_scyc_leases_study_id_job")),
    )


def downgrade() -> None:
    op.drop_table("scyc_leases")
