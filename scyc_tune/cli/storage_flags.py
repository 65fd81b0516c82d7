"""--storage / --artifacts / --ray-results: one storage URL and directories, shared by commands."""

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
        default="storage/artifacts",
        help="directory of the content-addressed trained states (must be shared by all Ray "
        "workers on a cluster; default storage/artifacts)",
    )
    parser.add_argument(
        "--ray-results",
        default="storage/ray",
        help="Ray Tune's result directory (default storage/ray)",
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
