"""The state passed between cycles: weights, mask and the IMP rewind point, all plain tensors.

A CycleState is picklable and saves with ``torch.save`` / loads with
``torch.load(weights_only=True)``, so Ray workers and artifact stores can carry it.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import torch

TensorDict = dict[str, torch.Tensor]


@dataclass(frozen=True)
class CycleState:
    """Network state at a cycle boundary.

    weights: the model's state_dict (parameters and buffers), on CPU.
    mask: ``Mask.state_dict()`` of the pruning mask (the truth about which weights are pruned);
        ``Mask.from_state_dict(state.mask)`` gives the Mask back.
    cycle: m, the number of completed pruning cycles this state is the start of (or the end of,
        for a trained state).
    rewind_weights: the weights IMP rewinds to (initial values or iteration k of cycle 0).
    """

    weights: TensorDict
    mask: TensorDict
    cycle: int
    rewind_weights: TensorDict | None = None

    def to_dict(self) -> dict:
        """Plain containers of tensors and ints, for ``torch.save``."""
        return {
            "weights": self.weights,
            "mask": self.mask,
            "cycle": self.cycle,
            "rewind_weights": self.rewind_weights,
        }

    @classmethod
    def from_dict(cls, d: dict) -> CycleState:
        return cls(d["weights"], d["mask"], int(d["cycle"]), d.get("rewind_weights"))

    def digest(self) -> str:
        """sha256 of the tensors' names, dtypes, shapes and bytes: the state's identity."""
        h = hashlib.sha256()
        h.update(f"cycle={self.cycle}".encode())
        for section, tensors in (
            ("weights", self.weights),
            ("mask", self.mask),
            ("rewind", self.rewind_weights or {}),
        ):
            for name in sorted(tensors):
                h.update(_tensor_bytes(f"{section}/{name}", tensors[name]))
        return h.hexdigest()


def _tensor_bytes(name: str, tensor: torch.Tensor) -> bytes:
    """The digest's bytes for one tensor: its name, dtype and shape, then its elements in
    row-major order. Works for every layout: 0-dim tensors (BatchNorm's ``num_batches_tracked``)
    are flattened before the byte view, which ``Tensor.view(dtype)`` refuses on 0-dim; other
    tensors give the same bytes as before (``test_state_digest`` pins them)."""
    t = tensor.detach().cpu().contiguous()
    head = f"{name}/{t.dtype}/{tuple(t.shape)}".encode()
    if not t.numel():
        return head
    return head + t.reshape(-1).view(torch.uint8).numpy().tobytes()


def cpu_state_dict(model: torch.nn.Module) -> TensorDict:
    """A detached CPU copy of ``model.state_dict()``."""
    return {k: v.detach().to("cpu", copy=True) for k, v in model.state_dict().items()}
