"""The `scyc-tune` command."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from scyc_tune._version import __version__
from scyc_tune.cli import (
    compare_cmd,
    dashboard_cmd,
    fit_cmd,
    gradients_cmd,
    oracle_cmd,
    prune_cmd,
    report_cmd,
    run_cmd,
    schedule_cmd,
    status_cmd,
)
from scyc_tune.errors import ScycError, environmental


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="scyc-tune",
        description="Learning-rate oracle and S-Cyc schedules for iteratively pruned ReLU nets.",
    )
    parser.add_argument("--version", action="version", version=f"scyc-tune {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    schedule_cmd.register(subparsers)
    prune_cmd.register(subparsers)
    oracle_cmd.register(subparsers)
    fit_cmd.register(subparsers)
    compare_cmd.register(subparsers)
    gradients_cmd.register(subparsers)
    report_cmd.register(subparsers)
    run_cmd.register(subparsers)
    status_cmd.register(subparsers)
    dashboard_cmd.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.handler(args)
    except ScycError as exc:
        print(f"scyc-tune: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("scyc-tune: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        known = environmental(exc)
        if known is None:
            raise  # a bug: its traceback is the report
        print(f"scyc-tune: error: {known}", file=sys.stderr)
        return known.exit_code


if __name__ == "__main__":
    sys.exit(main())
