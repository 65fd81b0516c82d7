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
from scyc_tune.store._atomic import quarantine, write_atomic
from scyc_tune.store.artifacts import ArtifactError

_RUN_ID = re.compile(r"[0-9a-f]{64}")


class RunIndex:
    def __init__(self, artifact_root: str | Path) -> None:
        self.root = Path(artifact_root) / "runs"

    def path(self, run_id: str) -> Path:
        if not isinstance(run_id, str) or not _RUN_ID.fullmatch(run_id):
            raise ScycError(f"run id {run_id!r} is not a 64-character lowercase sha256 hex")
        return self.root / run_id[:2] / f"{run_id}.json"

    def get(self, run_id: str) -> dict | None:
        """``{"record": CycleRecord dict, "artifact": key or None}``, or None if not indexed;
        ArtifactError for an entry that does not parse (it is quarantined, as artifacts are)."""
        path = self.path(run_id)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return None
        except OSError as e:
            raise ScycError(f"cannot read run index entry {path}: {e.strerror or e}") from e
        try:
            entry = json.loads(text)
            reason = "not a run index entry"
        except ValueError as e:
            entry, reason = None, str(e).splitlines()[0][:120]
        if isinstance(entry, dict) and isinstance(entry.get("record"), dict):
            return entry
        moved = quarantine(path, self.root.parent / "quarantine")
        raise ArtifactError(
            f"run index entry {run_id[:12]} is unreadable ({reason}); moved to {moved}"
        )

    def put(self, run_id: str, record: dict, artifact: str | None) -> None:
        path = self.path(run_id)
        text = json.dumps({"record": record, "artifact": artifact}, allow_nan=True)
        write_atomic(path, lambda f: f.write(text.encode("utf-8")))
