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
