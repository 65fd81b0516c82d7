"""The oracle's tables: studies, cycles, trials.

Revision ID: 0001
Revises:
Create Date: 2025-01-01

A frozen snapshot: it spells the schema out instead of importing ``tables.py``, so later
changes to the models need a new revision (a test compares the two). Constraint names are final
(``op.f``): env.py's target metadata has a naming convention that would otherwise apply again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _utc() -> sa.DateTime:
    return sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "scyc_studies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=255), nullable=False),
        sa.Column("content", sa.Text(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("created_at", _utc(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scyc_studies")),
        sa.UniqueConstraint("name", name=op.f("uq_scyc_studies_name")),
    )
    op.create_table(
        "scyc_cycles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("study_id", sa.Integer(), nullable=False),
        sa.Column("cycle", sa.Integer(), nullable=False),
        sa.Column("percent_remaining", sa.Float(), nullable=False),
        sa.Column("start_artifact", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("well_tuned_max_lr", sa.Float(), nullable=True),
        sa.Column("region_min", sa.Float(), nullable=True),
        sa.Column("region_max", sa.Float(), nullable=True),
        sa.Column("region_values", sa.Text(), nullable=True),
        sa.Column("region_contiguous", sa.Boolean(), nullable=True),
        sa.Column("best_run_id", sa.String(length=64), nullable=True),
        sa.Column("updated_at", _utc(), nullable=False),
        sa.CheckConstraint(
            "status IN ('running', 'complete', 'failed')", name=op.f("ck_scyc_cycles_status")
        ),
        sa.ForeignKeyConstraint(
            ["study_id"], ["scyc_studies.id"], name=op.f("fk_scyc_cycles_study_id_scyc_studies")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scyc_cycles")),
        sa.UniqueConstraint("study_id", "cycle", name=op.f("uq_scyc_cycles_study_id_cycle")),
    )
    op.create_table(
        "scyc_trials",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("run_id", sa.String(length=64), nullable=False),
        sa.Column("cycle_id", sa.Integer(), nullable=False),
        sa.Column("max_lr", sa.Float(), nullable=False),
        sa.Column("seed", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("val_acc", sa.Float(), nullable=True),
        sa.Column("test_acc", sa.Float(), nullable=True),
        sa.Column("final_val_acc", sa.Float(), nullable=True),
        sa.Column("train_loss", sa.Float(), nullable=True),
        sa.Column("iterations_run", sa.Integer(), nullable=False),
        sa.Column("wall_time", sa.Float(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("artifact", sa.String(length=64), nullable=True),
        sa.Column("metrics", sa.Text(), nullable=True),
        sa.Column("started_at", _utc(), nullable=False),
        sa.Column("finished_at", _utc(), nullable=False),
        sa.CheckConstraint(
            "status IN ('complete', 'diverged', 'failed', 'stopped')",
            name=op.f("ck_scyc_trials_status"),
        ),
        sa.ForeignKeyConstraint(
            ["cycle_id"], ["scyc_cycles.id"], name=op.f("fk_scyc_trials_cycle_id_scyc_cycles")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_scyc_trials")),
        sa.UniqueConstraint("run_id", name=op.f("uq_scyc_trials_run_id")),
    )
    op.create_index(op.f("ix_scyc_trials_cycle_id"), "scyc_trials", ["cycle_id"])


def downgrade() -> None:
    op.drop_index(op.f("ix_scyc_trials_cycle_id"), table_name="scyc_trials")
    op.drop_table("scyc_trials")
    op.drop_table("scyc_cycles")
    op.drop_table("scyc_studies")
