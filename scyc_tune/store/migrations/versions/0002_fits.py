"""Fitted S-Cyc parameters: one row per (study, fit mode).

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scyc_fits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("study_id", sa.Integer(), nullable=False),
        sa.Column("mode", sa.String(length=16), nullable=False),
        sa.Column("params", sa.Text(), nullable=False),
        sa.Column("value", sa.Float(), nullable=False),
        sa.Column("optuna_study", sa.String(length=255), nullable=False),
        sa.Column("trials", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("mode IN ('oracle', 'accuracy')", name=op.f("ck_scyc_fits_mode")),
        sa.ForeignKeyConstraint(
            ["study_id"], ["scyc_studies.id"], name=op.f("fk_scyc_fits_study_id_scyc_studies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scyc_fits")),
        sa.UniqueConstraint("study_id", "mode", name=op.f("uq_scyc_fits_study_id_mode")),
    )


def downgrade() -> None:
    op.drop_table("scyc_fits")
