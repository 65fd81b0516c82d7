"""Replace an Optuna study in the database in one step, so no reader ever finds it missing or
half-copied (``fit --mode oracle`` rebuilds ``<study>/fit-oracle`` on every run).

Optuna has no rename or atomic replace: ``delete_study`` then ``copy_study`` leaves no study at
all if the process dies in between, and a half-copied one if it dies during the copy. Here the
finished study is copied under a temporary name first, then one transaction renames the old
study out of the way and the new one into place (two UPDATEs of Optuna's ``studies`` table; a
study's trials hang off its id, so nothing else moves), and only then is the old one deleted.
A crash at any point leaves the study under its own name either as it was or as it is now;
what is left under a temporary name is deleted by the next replacement.
"""

from __future__ import annotations

import secrets

import optuna
from optuna.storages import BaseStorage
from sqlalchemy import text

from scyc_tune.store.optuna_mirror import _storage

_NEW, _OLD = ".new-", ".old-"


def replace_study(source: BaseStorage, name: str, url: str) -> None:
    """Make the study ``name`` in ``url`` a copy of the study ``name`` in ``source``."""
    storage = _storage(url)
    for leftover in optuna.get_all_study_names(storage):
        if leftover.startswith((name + _NEW, name + _OLD)):
            optuna.delete_study(study_name=leftover, storage=storage)
    token = secrets.token_hex(4)
    staged, retired = name + _NEW + token, name + _OLD + token
    optuna.copy_study(
        from_study_name=name, from_storage=source, to_storage=storage, to_study_name=staged
    )
    rename = text("UPDATE studies SET study_name = :to WHERE study_name = :from_")
    with storage.engine.begin() as conn:  # one transaction: both names change, or neither
        conn.execute(rename, {"from_": name, "to": retired})
        conn.execute(rename, {"from_": staged, "to": name})
    try:
        optuna.delete_study(study_name=retired, storage=storage)
    except KeyError:
        pass  # there was no old study: the first fit
