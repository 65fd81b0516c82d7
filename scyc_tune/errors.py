"""User-facing errors: each carries one line that names the problem and the fix."""


class ScycError(Exception):
    """An error shown to the user as one line, without a traceback."""

    exit_code = 1


class UsageError(ScycError):
    """Bad input from the user (study file, flags, paths): exit code 2."""

    exit_code = 2


class StudyError(UsageError):
    """A study file that does not validate."""


class DatasetError(UsageError):
    """A dataset that is missing, corrupt or unknown."""


def describe(exc: BaseException) -> str:
    """One line for an exception raised in a trial: its type, message and the innermost frame
    of the traceback (``RuntimeError: boom (at engine/state.py:59 in digest)``), so a failure
    that recurs on every run is reported as what it is."""
    import traceback

    message = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    text = f"{type(exc).__name__}: {message}" if message else type(exc).__name__
    frames = traceback.extract_tb(exc.__traceback__)
    if frames:
        last = frames[-1]
        parts = last.filename.replace("\\", "/").split("/")
        where = "/".join(
            parts[parts.index("scyc_tune") + 1 :] if "scyc_tune" in parts else parts[-2:]
        )
        text += f" (at {where}:{last.lineno} in {last.name})"
    return text


def environmental(exc: BaseException) -> ScycError | None:
    """The one-line error for a fault of the environment somewhere in ``exc``'s chain: the
    database locked or read-only, a disk full or read-only, a file not permitted; None for
    anything else (a bug keeps its traceback). Nothing is imported: exceptions are matched by
    type and errno, so this stays cheap for every command."""
    import errno

    seen: set[int] = set()
    e: BaseException | None = exc
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        text = str(e).strip().splitlines()[0] if str(e).strip() else ""
        if type(e).__module__.startswith("sqlalchemy") and type(e).__name__ == "OperationalError":
            if "locked" in text:
                return ScycError(
                    "the database is locked by another process and stayed locked past the "
                    "busy timeout (60 s); re-run when the other command has finished "
                    "(finished trials are kept)"
                )
            if "readonly" in text or "read-only" in text:
                return ScycError(
                    "the database is read-only; give --storage a database you can write "
                    "(or $SCYC_STORAGE), or fix its permissions"
                )
            return ScycError(f"database error: {text[:200]}")
        if isinstance(e, OSError) and e.errno in (errno.ENOSPC, errno.EDQUOT):
            where = f" writing {e.filename}" if e.filename else ""
            return ScycError(
                f"no space left on the device{where}; free some space and re-run "
                "(finished work is kept)"
            )
        if isinstance(e, OSError) and e.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            where = f" {e.filename}" if e.filename else ""
            reason = "read-only file system" if e.errno == errno.EROFS else "permission denied"
            return ScycError(
                f"cannot write{where} ({reason}); point --storage/--artifacts at a writable "
                "directory, or fix its permissions"
            )
        e = e.__cause__ or e.__context__
    return None
