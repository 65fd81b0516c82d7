"""Run a matrix plan (see conftest.py) in one process: each command through the real CLI
entry point (`scyc_tune.cli.main.main`), its stdout and stderr captured, one Ray instance
for all of them. Writes results.json beside the plan."""

from __future__ import annotations

import contextlib
import io
import json
import sys
import time
from pathlib import Path

from scyc_tune.cli.main import main


def run(plan_path: str) -> None:
    plan = json.loads(Path(plan_path).read_text())
    results: dict = {}
    for cell in plan:
        steps = results.setdefault(cell["cell"], {"_study": cell["study"]})
        for step, argv, expected in cell["commands"]:
            out, err = io.StringIO(), io.StringIO()
            t0 = time.monotonic()
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                try:
                    rc = main(argv)
                except SystemExit as exc:  # argparse
                    rc = exc.code
                except BaseException as exc:  # noqa: BLE001 - a traceback is a failed cell
                    import traceback

                    rc = f"traceback: {exc!r}"
                    err.write(traceback.format_exc())
            steps[step] = {
                "rc": rc,
                "expected": expected,
                "out": out.getvalue(),
                "err": err.getvalue(),
                "seconds": round(time.monotonic() - t0, 2),
            }
            print(f"{cell['cell']} {step}: rc {rc} in {steps[step]['seconds']} s", flush=True)
    Path(plan_path).with_name("results.json").write_text(json.dumps(results))


if __name__ == "__main__":
    run(sys.argv[1])
