"""Which parameters a pruning method may remove weights from."""

from __future__ import annotations

from fnmatch import fnmatchcase

from torch import nn

from scyc_tune.errors import UsageError
from scyc_tune.study.specs import ModelSpec

PRUNABLE_MODULES = (nn.Conv1d, nn.Conv2d, nn.Linear)


def prunable_names(model: nn.Module, spec: ModelSpec) -> list[str]:
    """Names of the prunable parameters, in `model.named_parameters()` order.

    Default: the `weight` of every Conv1d, Conv2d and Linear module (never biases, never
    BatchNorm). With `spec.prunable` set, the parameter names matching any of its fnmatch
    patterns instead (case-sensitive); a pattern that matches nothing is a UsageError.
    """
    names = [name for name, _ in model.named_parameters()]
    if spec.prunable is None:
        weights = {
            f"{module_name}.weight" if module_name else "weight"
            for module_name, module in model.named_modules()
            if isinstance(module, PRUNABLE_MODULES)
        }
        return [name for name in names if name in weights]
    if not spec.prunable:
        raise UsageError("model.prunable is an empty list; leave it out to use the default")
    for pattern in spec.prunable:
        if not any(fnmatchcase(name, pattern) for name in names):
            examples = ", ".join(names[:5]) + (", ..." if len(names) > 5 else "")
            raise UsageError(
                f"model.prunable pattern {pattern!r} matches no parameter of {spec.name!r}; "
                f"parameter names look like: {examples}"
            )
    return [name for name in names if any(fnmatchcase(name, p) for p in spec.prunable)]
