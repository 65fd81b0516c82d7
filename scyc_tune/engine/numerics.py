"""How a cycle's arithmetic runs on its device: precision, memory layout, compilation, and
where the data live. Shared by ``train_cycle`` and the fused engine, so both read the study's
``[training]`` options the same way.

- ``precision = "bf16"``: the forward and the loss under ``torch.autocast`` in bfloat16;
  parameters, gradients, the optimizer's state, masks and BatchNorm statistics stay float32
  (autocast keeps BatchNorm in float32 and casts only matmul / convolution inputs).
- ``channels_last = true``: conv nets' weights and 4-d inputs in NHWC (tensor cores' layout),
  on CUDA only. On CPU the option is ignored: torch 2.14.1's CPU backward of a 1x1 stride-2
  convolution in NHWC (ResNet-20's projection shortcut, batch 16 x 4 channels x 32 x 32)
  segfaults or corrupts the heap on the AVX2 development machine, and a corrupt heap could
  just as well give wrong numbers; NHWC buys nothing on CPU.
- ``compile = true``: ``torch.compile`` on the model (``train_cycle``) or on the stacked loss
  (the fused engine).
- On CUDA the splits are moved to the device once per cycle (images stay uint8 and are
  normalised on the device by the batch transform); minibatches are then gathered there.

Each option left at its default changes nothing, and is not part of a run's identity; set, it
is (``runs.identity`` hashes the training section's non-default fields): bf16, NHWC kernels
and compiled kernels round differently.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from dataclasses import replace

import torch

from scyc_tune.data import Split, Splits
from scyc_tune.study.specs import TrainingSpec


def autocast(training: TrainingSpec, device: torch.device) -> contextlib.AbstractContextManager:
    """The context the forward pass and loss run in: autocast to bf16, or nothing."""
    if training.precision == "bf16":
        return torch.autocast(device_type=device.type, dtype=torch.bfloat16)
    return contextlib.nullcontext()


def layout(x: torch.Tensor, training: TrainingSpec) -> torch.Tensor:
    """``x`` in the memory format of the run (channels_last for 4-d and 5-d batches on CUDA;
    never on CPU, see the module's docstring)."""
    if not training.channels_last or x.dim() < 4 or x.device.type != "cuda":
        return x
    fmt = torch.channels_last if x.dim() == 4 else torch.channels_last_3d
    return x.contiguous(memory_format=fmt)


def prepare_model(model: torch.nn.Module, training: TrainingSpec) -> torch.nn.Module:
    """The model in the run's memory format (in place; the same module is returned): NHWC
    only for a model on CUDA."""
    on_cuda = any(p.device.type == "cuda" for p in model.parameters())
    if training.channels_last and on_cuda:
        model.to(memory_format=torch.channels_last)
    return model


def compiled(fn: Callable, training: TrainingSpec) -> Callable:
    """``torch.compile(fn)`` when the run asks for it, else ``fn``."""
    if not training.compile:
        return fn
    return torch.compile(fn, dynamic=False)


def resident(splits: Splits, device: torch.device) -> Splits:
    """The splits with their tensors on ``device`` (once, not once per minibatch); on the CPU
    the splits themselves."""
    if device.type == "cpu":
        return splits

    def moved(s: Split) -> Split:
        return Split(s.x.to(device), s.y.to(device))

    return replace(
        splits, train=moved(splits.train), val=moved(splits.val), test=moved(splits.test)
    )
