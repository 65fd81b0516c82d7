"""The index of trained cycles by run id, beside the artifacts: ``root/runs/<id[:2]>/<id>.json``.

Workers read and write it (it lives on the storage the artifacts do, which every worker
reaches), so a trial can reuse any cycle already trained with the same inputs without opening
the database. An entry is written whole (temporary file, fsync, rename) after its artifact, so
a reader sees a complete entry whose artifact exists, or none.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from scyc_tune.errors import ScycError
from scyc_tune.store.artifacts import ArtifactError
from scyc_tune.store.blobs import Blobs

_RUN_ID = re.compile(r"[0-9a-f]{64}")


class RunIndex:
    def __init__(self, artifact_root: str | Path) -> None:
        self.blobs = Blobs(artifact_root)

    def name(self, run_id: str) -> str:
        if not isinstance(run_id, str) or not _RUN_ID.fullmatch(run_id):
            raise ScycError(f"run id {run_id!r} is not a 64-character lowercase sha256 hex")
        return f"runs/{run_id[:2]}/{run_id}.json"

    def get(self, run_id: str) -> dict | None:
        """``{"record": CycleRecord dict, "artifact": key or None}``, or None if not indexed;
        ArtifactError for an entry that does not parse (it is quarantined, as artifacts are)."""
        name = self.name(run_id)
        data = self.blobs.read(name)
        if data is None:
            return None
        try:
            entry = json.loads(data.decode("utf-8"))
            reason = "not a run index entry"
        except ValueError as e:  # UnicodeDecodeError is one
            entry, reason = None, str(e).splitlines()[0][:120]
        if isinstance(entry, dict) and isinstance(entry.get("record"), dict):
            return entry
        moved = self.blobs.quarantine(name)
        raise ArtifactError(
            f"run index entry {run_id[:12]} is unreadable ({reason}); moved to {moved}"
        )

    def put(self, run_id: str, record: dict, artifact: str | None) -> None:
        text = json.dumps({"record": record, "artifact": artifact}, allow_nan=True)
        self.blobs.write(self.name(run_id), text.encode("utf-8"))
