"""The study's S-Cyc schedule (the fit's starting point and warmup shape) and that schedule
with other (epsilon, delta, beta, q): what the fit searches and what its rows train."""

from __future__ import annotations

from scyc_tune.schedules.scyc import SCycParams
from scyc_tune.study.schema import Study

#: the S-Cyc parameters the fit searches
PARAMS = ("epsilon", "delta", "beta", "q")


def base_schedule(study: Study) -> SCycParams:
    """The study's S-Cyc schedule (``Study.fit_label``); StudyError where it has none."""
    params = study.schedule_params(study.fit_schedule_label())
    assert isinstance(params, SCycParams)  # checked by the study's validation
    return params


def with_params(study: Study, values: dict) -> SCycParams:
    """The study's S-Cyc schedule (its warmup shape) with these (epsilon, delta, beta, q)."""
    update = {k: values[k] for k in PARAMS}
    return SCycParams.model_validate({**base_schedule(study).model_dump(), **update})
