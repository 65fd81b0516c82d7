"""The Mask: which prunable weights are alive. It, not the weights' values, is the truth.

`masks` holds one bool tensor per prunable parameter (True = alive), in parameter order.
`extra` holds bool tensors for parameters that are masked only as a consequence of pruning,
e.g. the BatchNorm weight and bias channels of a filter removed by `filter_l1`; they are
zeroed by `apply` but never counted in lambda. Masks are treated as immutable: every
operation that changes one returns a new Mask.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import torch
from torch import Tensor, nn

_MASK = "mask/"
_EXTRA = "extra/"


def _checked(tensors: Mapping[str, Tensor], what: str) -> dict[str, Tensor]:
    for name, t in tensors.items():
        if not isinstance(t, Tensor) or t.dtype != torch.bool:
            raise TypeError(f"{what} {name!r} must be a bool tensor, got {getattr(t, 'dtype', t)}")
    return dict(tensors)


class Mask:
    def __init__(
        self, masks: Mapping[str, Tensor], extra: Mapping[str, Tensor] | None = None
    ) -> None:
        self.masks: dict[str, Tensor] = _checked(masks, "mask")
        self.extra: dict[str, Tensor] = _checked(extra or {}, "extra mask")

    @classmethod
    def ones(cls, model: nn.Module, names: Iterable[str]) -> Mask:
        """All weights of the named parameters alive, on the parameters' devices."""
        return cls({n: torch.ones_like(_param(model, n), dtype=torch.bool) for n in names})

    @property
    def names(self) -> list[str]:
        return list(self.masks)

    def __getitem__(self, name: str) -> Tensor:
        return self.masks[name]

    def num_prunable(self) -> int:
        return sum(m.numel() for m in self.masks.values())

    def num_remaining(self) -> int:
        return sum(int(m.sum()) for m in self.masks.values())

    def percent_remaining(self) -> float:
        """lambda: 100 * alive / total prunable weights (extras not counted)."""
        total = self.num_prunable()
        if total == 0:
            raise ValueError("the mask holds no prunable weights")
        return 100.0 * self.num_remaining() / total

    @torch.no_grad()
    def apply(self, model: nn.Module) -> None:
        """Zero, in place, every masked-out entry of the model's parameters (extras included)."""
        for name, m in (*self.masks.items(), *self.extra.items()):
            p = _param(model, name)
            p.masked_fill_(~m.to(p.device), 0)

    def to(self, device: torch.device | str) -> Mask:
        return Mask(
            {n: m.to(device) for n, m in self.masks.items()},
            {n: m.to(device) for n, m in self.extra.items()},
        )

    def state_dict(self) -> dict[str, Tensor]:
        """Plain CPU tensors: `torch.save` it and read it back with `weights_only=True`."""
        out = {_MASK + n: m.detach().cpu().clone() for n, m in self.masks.items()}
        out.update({_EXTRA + n: m.detach().cpu().clone() for n, m in self.extra.items()})
        return out

    @classmethod
    def from_state_dict(cls, state: Mapping[str, Tensor]) -> Mask:
        unknown = [k for k in state if not k.startswith((_MASK, _EXTRA))]
        if unknown:
            raise ValueError(f"not a Mask state dict: unexpected keys {unknown[:3]}")
        return cls(
            {k[len(_MASK) :]: v for k, v in state.items() if k.startswith(_MASK)},
            {k[len(_EXTRA) :]: v for k, v in state.items() if k.startswith(_EXTRA)},
        )

    def is_subset_of(self, other: Mask) -> bool:
        """True if every weight alive here is alive in `other` (same prunable names required).

        An extra absent from a mask counts as all alive.
        """
        if self.masks.keys() != other.masks.keys():
            return False
        pairs = [(m, other.masks[n]) for n, m in self.masks.items()]
        for n in self.extra.keys() | other.extra.keys():
            mine, theirs = self.extra.get(n), other.extra.get(n)
            shape = (mine if mine is not None else theirs).shape
            ones = torch.ones(shape, dtype=torch.bool)
            pairs.append((ones if mine is None else mine, ones if theirs is None else theirs))
        return all(a.shape == b.shape and not bool((a.cpu() & ~b.cpu()).any()) for a, b in pairs)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Mask):
            return NotImplemented
        return _same(self.masks, other.masks) and _same(self.extra, other.extra)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return (
            f"Mask({len(self.masks)} tensors, {self.num_remaining()}/{self.num_prunable()} "
            f"alive, {len(self.extra)} extra)"
        )


def _same(a: Mapping[str, Tensor], b: Mapping[str, Tensor]) -> bool:
    return a.keys() == b.keys() and all(torch.equal(a[n].cpu(), b[n].cpu()) for n in a)


def _param(model: nn.Module, name: str) -> nn.Parameter:
    try:
        return model.get_parameter(name)
    except AttributeError as e:
        raise ValueError(f"the model has no parameter named {name!r}") from e
