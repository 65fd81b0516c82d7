"""VGG-19 with BatchNorm: torchvision's `vgg19_bn` (139,622,218 params at 10 classes, the
paper's "139M"). Needs H, W >= 32 (five 2x2 max-pools); a non-RGB input gets a first conv
with the right number of in-channels (same settings as torchvision's).

``model.width`` < 1 scales every conv's filters and the two 4096-wide classifier layers
(torchvision's ``VGG`` with a scaled configuration "E"; same module names).
"""

from __future__ import annotations

import torch
import torchvision
from torch import nn
from torchvision.models.vgg import VGG, cfgs, make_layers

from scyc_tune.models._first_conv import with_in_channels
from scyc_tune.models._shapes import image_shape
from scyc_tune.models._width import scaled
from scyc_tune.study.specs import ModelSpec


def build(spec: ModelSpec, input_shape: tuple[int, ...], num_classes: int) -> nn.Module:
    channels, _, _ = image_shape("vgg19_bn", input_shape, min_side=32)
    if spec.width == 1.0:
        model = torchvision.models.vgg19_bn(weights=None, num_classes=num_classes)
    else:
        cfg = [v if v == "M" else scaled(int(v), spec.width) for v in cfgs["E"]]
        features = make_layers(cfg, batch_norm=True)
        # VGG's constructor draws the full 4096-wide classifier (120M weights, about 1.6 s on
        # a CPU) that the scaled one below replaces: built on the meta device, it costs
        # nothing (build_model He-initialises every weight afterwards anyway)
        with torch.device("meta"):
            model = VGG(nn.Identity(), num_classes=num_classes, init_weights=False)
        model.features = features
        last, hidden = scaled(512, spec.width), scaled(4096, spec.width)
        model.classifier = nn.Sequential(
            nn.Linear(last * 7 * 7, hidden),
            nn.ReLU(True),
            nn.Dropout(),
            nn.Linear(hidden, hidden),
            nn.ReLU(True),
            nn.Dropout(),
            nn.Linear(hidden, num_classes),
        )
    model.features[0] = with_in_channels(model.features[0], channels)
    return model
