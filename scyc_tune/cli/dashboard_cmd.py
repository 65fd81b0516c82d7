"""`scyc-tune dashboard`: optuna-dashboard on the project's storage, read-only by default.

optuna-dashboard has write endpoints (delete or rename studies, tell trials, notes) and no
authentication, so a thin WSGI layer answers every request other than GET and HEAD with 403
unless the user passes ``--allow-writes``. It binds to 127.0.0.1 unless told otherwise.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterable
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from scyc_tune.cli.storage_flags import add_storage_flags
from scyc_tune.errors import ScycError, UsageError

READ_METHODS = frozenset({"GET", "HEAD"})
WSGIApp = Callable[[dict, Callable], Iterable[bytes]]


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "dashboard",
        help="serve optuna-dashboard on the project's storage (read-only unless asked)",
        description="Start optuna-dashboard on --storage: every oracle cycle and fit is an "
        "Optuna study there. Read-only unless --allow-writes; binds to 127.0.0.1 by default.",
    )
    add_storage_flags(parser)
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=8080, help="port (default 8080)")
    parser.add_argument(
        "--allow-writes",
        action="store_true",
        help="let the dashboard delete/rename studies and tell trials (off by default)",
    )
    parser.add_argument(
        "--allow-writes-from-network",
        action="store_true",
        help="with --allow-writes on a --host other than loopback: yes, anyone who reaches "
        "that address may change the studies",
    )
    parser.set_defaults(handler=run)


def is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def read_only(app: WSGIApp) -> WSGIApp:
    """``app`` with every request other than GET/HEAD refused with 403 before it reaches it."""

    def guarded(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        method = environ.get("REQUEST_METHOD", "GET").upper()
        if method not in READ_METHODS:
            body = (
                f"403 Forbidden: {method} refused, the dashboard is read-only "
                "(restart it with `scyc-tune dashboard --allow-writes` to change studies)\n"
            ).encode()
            start_response(
                "403 Forbidden",
                [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))],
            )
            return [body]
        return app(environ, start_response)

    return guarded


class _ThreadingServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib name
        pass


def run(args: argparse.Namespace) -> int:
    import optuna
    from optuna_dashboard import wsgi

    if not 0 < args.port < 65536:
        raise UsageError(f"--port {args.port}: must be in 1..65535")
    if not is_loopback(args.host):
        if args.allow_writes and not args.allow_writes_from_network:
            raise UsageError(
                f"--allow-writes on --host {args.host}: anyone who reaches it could delete "
                "studies; add --allow-writes-from-network to mean it, or bind to 127.0.0.1"
            )
        print(
            f"scyc-tune: warning: the dashboard listens on {args.host}, not loopback: anyone "
            "who reaches it can read every study",
            file=sys.stderr,
            flush=True,
        )
    from scyc_tune.store._engine import url_string
    from scyc_tune.store.database import shown_url

    shown = shown_url(args.storage)
    url = url_string(args.storage)  # psycopg 3 for postgresql://, or one line naming the extra
    try:
        storage = optuna.storages.RDBStorage(url)
    except Exception as exc:  # noqa: BLE001 - many driver/URL errors; one line for the user
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise ScycError(f"cannot open the storage {shown}: {first}") from exc
    app = wsgi(storage)
    if not args.allow_writes:
        app = read_only(app)
    try:
        server = make_server(
            args.host, args.port, app, server_class=_ThreadingServer, handler_class=_QuietHandler
        )
    except OSError as exc:
        raise ScycError(
            f"cannot listen on {args.host}:{args.port} ({exc.strerror or exc}); "
            "choose another --port"
        ) from exc
    mode = "read-write" if args.allow_writes else "read-only"
    print(
        f"optuna-dashboard ({mode}) on {shown} at http://{args.host}:{server.server_port}/"
        " (Ctrl-C stops it)",
        file=sys.stderr,
        flush=True,
    )
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0
