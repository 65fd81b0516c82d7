"""--storage / --artifacts / --ray-results: one database URL and two roots (directories or
filesystem URIs), shared by commands."""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass

DEFAULT_STORAGE = "sqlite:///storage/scyc.db"


def add_storage_flags(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--storage",
        default=os.environ.get("SCYC_STORAGE", DEFAULT_STORAGE),
        help="SQLAlchemy URL of the database (default: $SCYC_STORAGE, else "
        f"{DEFAULT_STORAGE}); PostgreSQL works unchanged",
    )
    parser.add_argument(
        "--artifacts",
        default=os.environ.get("SCYC_ARTIFACTS", "storage/artifacts"),
        help="where the content-addressed trained states go: a directory, or a URI every Ray "
        "worker reaches (s3://bucket/prefix, gs://..., any pyarrow.fs or fsspec filesystem); "
        "a directory must be shared by all nodes of a cluster (default: $SCYC_ARTIFACTS, else "
        "storage/artifacts)",
    )
    parser.add_argument(
        "--ray-results",
        default=os.environ.get("SCYC_RAY_RESULTS", "storage/ray"),
        help="Ray Tune's storage_path (its results and mid-cycle checkpoints): a directory or a "
        "URI, as --artifacts (default: $SCYC_RAY_RESULTS, else storage/ray)",
    )


@dataclass(frozen=True)
class StoragePaths:
    """What add_storage_flags gives a command: the storage URL and the two directories."""

    storage: str = DEFAULT_STORAGE
    artifacts: str = "storage/artifacts"
    ray_results: str = "storage/ray"

    @classmethod
    def of(cls, args: argparse.Namespace) -> StoragePaths:
        from scyc_tune.store._engine import url_string  # here: --help imports no store

        # psycopg 3 for postgresql:// (or one line naming the extra), for every consumer:
        # our tables, Optuna's RDBStorage, the fit's studies
        return cls(url_string(args.storage), args.artifacts, args.ray_results)
