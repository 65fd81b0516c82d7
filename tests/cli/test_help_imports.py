"""`scyc-tune --help` stays fast: the parser imports neither torch nor Ray (they load lazily,
in the command that needs them)."""

import subprocess
import sys


def test_help_imports_neither_torch_nor_ray():
    code = (
        "import sys, contextlib, io\n"
        "from scyc_tune.cli.main import build_parser\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    build_parser().format_help()\n"
        "heavy = sorted(m for m in ('torch', 'ray', 'optuna', 'plotly', 'sqlalchemy') "
        "if m in sys.modules)\n"
        "print(','.join(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == ""


def test_help_lists_every_command():
    done = subprocess.run(
        [sys.executable, "-m", "scyc_tune", "--help"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0
    for command in ("oracle", "fit", "compare", "gradients", "report", "run", "status", "prune"):
        assert command in done.stdout
