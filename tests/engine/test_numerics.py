"""[training] precision, channels_last and compile: each off by default and then changing
nothing (run ids included), each on giving a run of its own whose numbers stay close to fp32's,
with float32 weights, optimizer state, masks and BatchNorm statistics."""

import pytest
import torch

from scyc_tune.engine import cycle_job, initial_state, train_cycle
from scyc_tune.engine.fused import train_population
from scyc_tune.engine.numerics import layout, resident
from scyc_tune.errors import UsageError
from scyc_tune.runs.identity import run_id
from scyc_tune.schedules.warmup import WarmupParams
from scyc_tune.study.load import parse_study

WARM = WarmupParams(type="warmup", a=0.05, b=5, c=15, d="Nil", e="Nil")
CUDA = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")


def with_training(study, **kw):
    return study.model_copy(update={"training": study.training.model_copy(update=kw)})


@pytest.fixture
def fc_bn(study_factory):
    return study_factory(
        model={"name": "fc", "hidden": [32, 32], "batchnorm": True},
        training={"iterations": 40, "batch_size": 16, "eval_every": 20},
    )


def run(study, device=None):
    start = initial_state(study.data, study.model, study.seed)
    job = cycle_job(study, 0, schedule=WARM, start=start)
    return job, start, train_cycle(job, start, device=device)


def gap(a: dict, b: dict) -> float:
    return max((a[k].double() - b[k].double()).abs().max().item() for k in a)


def drift(a: dict, b: dict) -> float:
    """||a - b|| / ||a|| over all the weights: how far another rounding took the training."""
    keys = [k for k in a if a[k].is_floating_point()]
    num = sum(((a[k].double() - b[k].double()) ** 2).sum() for k in keys)
    den = sum((a[k].double() ** 2).sum() for k in keys)
    return float((num / den).sqrt())


def test_defaults_change_no_run_id(fc_bn):
    """The new fields at their defaults are not hashed: the pinned run ids still hold (see
    tests/runs/test_identity.py); set, each names another run."""
    job, start, _ = run(with_training(fc_bn, iterations=1))
    base = run_id(job, start.digest())
    ids = {base}
    for kw in ({"precision": "bf16"}, {"compile": True}, {"channels_last": True}):
        other = job.model_copy(update={"training": job.training.model_copy(update=kw)})
        ids.add(run_id(other, start.digest()))
    assert len(ids) == 4


def test_bf16_trains_close_to_fp32_with_fp32_state(fc_bn):
    _, _, fp32 = run(fc_bn)
    _, _, bf16 = run(with_training(fc_bn, precision="bf16"))
    w32, w16 = fp32.state.weights, bf16.state.weights
    assert all(w16[k].dtype == w32[k].dtype for k in w32)  # float32 weights and BN statistics
    stats = [k for k in w16 if k.endswith("running_var")]
    assert stats and all(w16[k].dtype == torch.float32 for k in stats)
    differs = drift(w32, w16)
    assert 0 < differs < 0.05, differs  # another rounding, not another training
    assert abs(bf16.record.val_acc - fp32.record.val_acc) <= 0.15


def test_bf16_in_the_fused_engine_matches_bf16_alone(fc_bn):
    """A fused bf16 population's member is close to the same member trained alone in bf16."""
    study = with_training(fc_bn, precision="bf16", engine="fused")
    start = initial_state(study.data, study.model, study.seed)
    jobs = [cycle_job(study, 0, schedule=WARM.model_copy(update={"a": a}), start=start)
            for a in (0.02, 0.05)]  # fmt: skip
    fused = train_population(jobs, [start, start])
    alone = train_population(jobs[1:], [start])
    assert gap(fused[1].state.weights, alone[0].state.weights) == 0.0
    single = train_cycle(jobs[1], start)
    assert drift(fused[1].state.weights, single.state.weights) < 0.05


def test_channels_last_is_a_cuda_layout_and_changes_nothing_on_cpu(
    study_factory, tmp_path, monkeypatch
):
    """On CPU, torch 2.14.1's NHWC backward of ResNet-20's 1x1 stride-2 projection segfaults
    on the development machine (AVX2): the option leaves a CPU run in NCHW, bit for bit."""
    from tests.matrix.conftest import write_cifar10

    write_cifar10(tmp_path, per_file=40)
    monkeypatch.setenv("SCYC_DATA_DIR", str(tmp_path))
    study = study_factory(
        model={"name": "resnet20", "width": 0.25},
        data={"name": "cifar10"},
        training={"iterations": 2, "batch_size": 16, "eval_every": 2},
    )
    _, _, nchw = run(study)
    _, _, asked = run(with_training(study, channels_last=True))
    assert gap(nchw.state.weights, asked.state.weights) == 0.0
    nhwc = with_training(study, channels_last=True).training
    x = torch.zeros(2, 3, 8, 8)
    assert layout(x, nhwc) is x and layout(x, study.training) is x
    if torch.cuda.is_available():
        on = layout(x.cuda(), nhwc)
        assert on.is_contiguous(memory_format=torch.channels_last)


def test_compile_matches_eager(fc_bn):
    study = with_training(fc_bn, iterations=20, eval_every=10)
    _, _, eager = run(study)
    _, _, comp = run(with_training(study, compile=True))
    assert gap(eager.state.weights, comp.state.weights) < 1e-4
    assert comp.record.iterations_run == eager.record.iterations_run == 20


def test_cpu_splits_stay_where_they_are(fc_bn):
    from scyc_tune.data import load_splits

    splits = load_splits(fc_bn.data, fc_bn.seed)
    assert resident(splits, torch.device("cpu")) is splits


@pytest.mark.parametrize(
    ("training", "says"),
    [
        ('engine = "fused"\noptimizer = "adam"', "trains SGD only"),
        ('engine = "fused"\nchannels_last = true', "drop channels_last"),
        ('precision = "fp16"', "precision"),
    ],
)
def test_options_the_engine_cannot_honour_are_refused(training, says):
    import tomllib

    raw = tomllib.loads(f'name = "x"\n[training]\n{training}\n')
    with pytest.raises(UsageError, match=says):
        parse_study(raw)


@CUDA
def test_cuda_resident_bf16_fused(fc_bn):
    """On a GPU: splits moved once, bf16 under autocast, the fused members close to alone."""
    study = with_training(fc_bn, precision="bf16", engine="fused", device="cuda")
    start = initial_state(study.data, study.model, study.seed)
    jobs = [cycle_job(study, 0, schedule=WARM.model_copy(update={"a": a}), start=start)
            for a in (0.02, 0.05, 0.1, 0.2)]  # fmt: skip
    out = train_population(jobs, [start] * 4)
    alone = train_cycle(jobs[2], start)
    assert all(r.record.device.startswith("cuda") for r in out)
    assert drift(out[2].state.weights, alone.state.weights) < 0.05


@CUDA
def test_cuda_channels_last_single(study_factory, tmp_path, monkeypatch):
    from tests.matrix.conftest import write_cifar10

    write_cifar10(tmp_path, per_file=40)
    monkeypatch.setenv("SCYC_DATA_DIR", str(tmp_path))
    study = study_factory(
        model={"name": "resnet20", "width": 0.25},
        data={"name": "cifar10", "augment": True},
        training={"iterations": 4, "batch_size": 16, "eval_every": 2, "device": "cuda",
                  "channels_last": True, "precision": "bf16"},
    )  # fmt: skip
    _, _, out = run(study)
    assert out.record.device.startswith("cuda") and out.state is not None
