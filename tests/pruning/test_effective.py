"""Effective lambda (issue 14): the alive weights that still lie on an input-to-output path.
Exact counts on a hand-made network; on ResNet-20 pruned by filter_l1, the weights it calls
ineffective change nothing when perturbed and the effective ones all carry gradient."""

import pytest
import torch
from torch import nn

from scyc_tune.models import build_model
from scyc_tune.models.prunable import prunable_names
from scyc_tune.pruning import Mask, prune
from scyc_tune.pruning.effective import effective_masks, percent_effective
from scyc_tune.study.specs import ModelSpec, PruningSpec


def test_a_unit_without_inputs_or_without_outputs_takes_its_other_side_along():
    net = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    first, second = torch.ones(3, 4, dtype=torch.bool), torch.ones(2, 3, dtype=torch.bool)
    first[0] = False  # hidden unit 0 gets no input: its 2 outgoing weights do nothing
    second[:, 1] = False  # hidden unit 1 feeds nothing: its 4 incoming weights do nothing
    mask = Mask({"0.weight": first, "2.weight": second})
    eff = effective_masks(net, mask, (4,))
    assert eff["0.weight"].sum() == 4 and eff["0.weight"][2].all()  # unit 2's inputs only
    assert eff["2.weight"].sum() == 2 and eff["2.weight"][:, 2].all()
    assert mask.percent_remaining() == pytest.approx(100 * 12 / 18)
    assert percent_effective(net, mask, (4,)) == pytest.approx(100 * 6 / 18)


def test_an_unstructured_mask_of_an_fc_net_is_all_effective_when_every_unit_is_fed():
    torch.manual_seed(0)
    spec = ModelSpec(name="fc", hidden=[32, 32])
    net = build_model(spec, (40,), 10)
    mask = Mask.ones(net, prunable_names(net, spec))
    for _ in range(3):
        mask = prune(PruningSpec(method="global_magnitude", rate=0.2, cycles=4), net, mask)
    assert percent_effective(net, mask, (40,)) == pytest.approx(mask.percent_remaining())


@pytest.fixture(scope="module")
def resnet20_filter_l1():
    torch.manual_seed(0)
    spec = ModelSpec(name="resnet20")
    net = build_model(spec, (3, 32, 32), 10)
    mask = Mask.ones(net, prunable_names(net, spec))
    method = PruningSpec(method="filter_l1", rate=0.2, cycles=6)
    for _ in range(5):
        mask = prune(method, net, mask)
        mask.apply(net)
    return spec, net, mask


def test_filter_l1_on_resnet20_counts_the_kernels_reading_removed_filters_out(resnet20_filter_l1):
    spec, net, mask = resnet20_filter_l1
    assert mask.percent_remaining() == pytest.approx(33.2, abs=0.05)  # what lambda said
    eff = percent_effective(net, mask, (3, 32, 32))
    assert eff == pytest.approx(15.4, abs=0.05)
    # the stem keeps 5 of 16 filters, so block 0's first conv reads 5 of its 16 channels
    masks = effective_masks(net, mask, (3, 32, 32))
    assert int(mask["blocks.0.conv1.weight"].sum()) == 5 * 16 * 9
    assert int(masks["blocks.0.conv1.weight"].sum()) == 5 * 5 * 9


def test_what_it_calls_ineffective_changes_nothing_and_the_rest_all_carry_gradient(
    resnet20_filter_l1,
):
    spec, net, mask = resnet20_filter_l1
    net = net.double().eval()
    torch.manual_seed(1)
    eff = effective_masks(net, mask, (3, 32, 32))
    x = torch.randn(32, 3, 32, 32, dtype=torch.float64)
    net.zero_grad()
    net(x).pow(2).sum().backward()
    carried = sum(int((net.get_parameter(n).grad[e] != 0).sum()) for n, e in eff.items())
    total = sum(int(e.sum()) for e in eff.values())
    assert carried >= 0.99 * total  # the few left sit behind ReLUs off for all 32 inputs
    for name, alive in mask.masks.items():
        assert not net.get_parameter(name).grad[alive & ~eff[name]].any(), name
    with torch.no_grad():
        before = net(x)
        for name, alive in mask.masks.items():  # every alive-but-ineffective weight perturbed
            p = net.get_parameter(name)
            idle = alive & ~eff[name]
            p[idle] += torch.randn(int(idle.sum()), dtype=p.dtype)
        after = net(x)
    assert torch.allclose(before, after, rtol=0, atol=1e-12)


def test_the_oracle_table_shows_effective_lambda_only_where_it_parts_from_lambda():
    from scyc_tune.oracle.region import feasible_region
    from scyc_tune.report.oracle_table import table3
    from scyc_tune.report.tables import oracle_latex, oracle_markdown
    from scyc_tune.store.answer import GridPoint, OracleAnswer
    from scyc_tune.study import parse_study

    study = parse_study({
        "name": "l1", "seed": 0, "schedule": "w", "data": {"name": "digits"},
        "model": {"name": "fc", "hidden": [8]}, "pruning": {"method": "filter_l1", "rate": 0.2},
        "training": {"iterations": 20}, "schedules": {"w": {"type": "constant", "a": 0.01}},
    })  # fmt: skip

    def answers(effective):
        points = (GridPoint(0.01, 0.9), GridPoint(0.02, 0.8))
        region = feasible_region(points)
        return [OracleAnswer(m, lam, points, region, percent_effective=e)
                for m, (lam, e) in enumerate(effective)]  # fmt: skip

    same = oracle_markdown(table3(study, answers([(100, 100), (80, 80.2)]), 2))
    assert "lambda effective" not in same
    parted = table3(study, answers([(100, 100), (33.2, 15.4), (26.6, None)]), 3)
    assert "| lambda effective (%) | 100 | 15.4 | – |" in oracle_markdown(parted)
    assert "lambda effective (\\%) & 100 & 15.4 &" in oracle_latex(parted)
