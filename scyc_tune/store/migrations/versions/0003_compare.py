"""Comparison runs (Table 2) and gradient / hidden-representation distributions.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scyc_compare_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("study_id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("row", sa.String(length=255), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("cycle", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("percent_remaining", sa.Float(), nullable=False),
        sa.Column("max_lr", sa.Float(), nullable=False),
        sa.Column("diverged", sa.Boolean(), nullable=False),
        sa.Column("val_acc", sa.Float(), nullable=False),
        sa.Column("test_acc", sa.Float(), nullable=False),
        sa.Column("train_loss", sa.Float(), nullable=True),
        sa.Column("wall_time", sa.Float(), nullable=False),
        sa.Column("reused", sa.Boolean(), nullable=False),
        sa.Column("artifact", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["study_id"],
            ["scyc_studies.id"],
            name=op.f("fk_scyc_compare_runs_study_id_scyc_studies"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scyc_compare_runs")),
        sa.UniqueConstraint("study_id", "key", name=op.f("uq_scyc_compare_runs_study_id_key")),
    )
    op.create_index(
        op.f("ix_scyc_compare_runs_study_id"), "scyc_compare_runs", ["study_id"], unique=False
    )
    op.create_table(
        "scyc_distributions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("study_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=255), nullable=False),
        sa.Column("cycle", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("percent_remaining", sa.Float(), nullable=False),
        sa.Column("artifact", sa.String(length=64), nullable=False),
        sa.Column("stats", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "kind IN ('weight_grad', 'hidden')", name=op.f("ck_scyc_distributions_kind")
        ),
        sa.ForeignKeyConstraint(
            ["study_id"],
            ["scyc_studies.id"],
            name=op.f("fk_scyc_distributions_study_id_scyc_studies"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scyc_distributions")),
        sa.UniqueConstraint(
            "study_id",
            "source",
            "cycle",
            "kind",
            name=op.f("uq_scyc_distributions_study_id_source_cycle_kind"),
        ),
    )


def downgrade() -> None:
    op.drop_table("scyc_distributions")
    op.drop_index(op.f("ix_scyc_compare_runs_study_id"), table_name="scyc_compare_runs")
    op.drop_table("scyc_compare_runs")
