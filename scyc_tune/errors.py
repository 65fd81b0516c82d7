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
