"""Study files: every shipped study validates; each kind of bad input is a StudyError naming
the file, the key and what is allowed, and the CLI exits with code 2."""

from pathlib import Path

import pytest

from scyc_tune.cli.main import main
from scyc_tune.errors import StudyError
from scyc_tune.study import load_study

ROOT = Path(__file__).resolve().parents[2]
STUDIES = sorted((ROOT / "studies").glob("*.toml"))

GOOD = """
name = "t"
schedule = "s"
[pruning]
rate = 0.2
[training]
iterations = 10
[schedules.s]
type = "scyc"
epsilon = 0.03
delta = 0.04
q = 1
beta = 5
b = 2
c = 6
d = "Nil"
"""


def write(tmp_path, text):
    path = tmp_path / "study.toml"
    path.write_text(text)
    return path


def test_shipped_studies_validate():
    names = {p.stem for p in STUDIES}
    assert {
        "demo",
        "resnet20_cifar10_global_gradient",
        "vgg19_cifar10_layer_gradient",
        "resnet50_tiny_imagenet_imp",
        "fc_fashion_mnist_global_magnitude",
    } <= names
    for path in STUDIES:
        study = load_study(path)
        assert study.schedule in study.schedules


def test_paper_hyperparameters_in_vgg_study():
    study = load_study(ROOT / "studies" / "vgg19_cifar10_layer_gradient.toml")
    scyc = study.schedules["s-cyc"]
    assert (scyc.epsilon, scyc.delta, scyc.q, scyc.beta) == (4e-2, 6e-2, 1, 4)
    assert (scyc.b, scyc.c, scyc.d, scyc.e) == (10000, 32000, 48000, None)
    assert study.pruning.method == "layer_gradient" and study.model.name == "vgg19_bn"


@pytest.mark.parametrize(
    "name",
    ["resnet20_cifar10_global_gradient", "vgg19_cifar10_layer_gradient",
     "resnet50_tiny_imagenet_imp"],
)  # fmt: skip
def test_the_papers_table_2_studies_run_as_the_paper_does(name):
    """Issue 14, item 7: 25 prunings (26 cycles), 5 comparison seeds, an oracle grid up to
    0.12 (Tables 3 and 8 reach 0.106) resolved coarse to fine to the paper's 0.2e-2 steps."""
    study = load_study(ROOT / "studies" / f"{name}.toml")
    assert study.pruning.cycles == 26 and study.compare.seeds == 5
    oracle = study.oracle
    assert max(oracle.grid_values()) >= 0.12 and len(oracle.grid_values()) <= 12
    assert oracle.refine >= 12 and oracle.resolution == 0.002 and oracle.grow > 0


def test_the_fc_study_trains_on_80_percent_without_augmentation():
    study = load_study(ROOT / "studies" / "fc_fashion_mnist_global_magnitude.toml")
    assert study.data.split[0] == 0.8 and study.data.augment is False
    assert study.pruning.cycles == 11  # Section 3.1: 10 pruning cycles after the unpruned one


def test_good_study_loads(tmp_path):
    study = load_study(write(tmp_path, GOOD))
    assert study.schedules["s"].d is None
    assert study.training.iterations_for(0) == 10 and study.training.iterations_for(3) == 10


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("iterations = 10", 'iterations = "ten"', "training.iterations = 'ten'"),
        ("iterations = 10", "iterations = 10\nbogus = 1", "unknown key 'bogus' in [training]"),
        ("beta = 5", "beta = 7", "allowed: 3 <= beta <= 6"),
        ("beta = 5", "beta = 2.5", "allowed: 3 <= beta <= 6"),
        ("q = 1", "q = 4", "allowed: 0 <= q <= 3"),
        ("q = 1", "q = -1", "allowed: 0 <= q <= 3"),
        ("rate = 0.2", "rate = 1.0", "allowed: 0 < rate < 1"),
        ("rate = 0.2", "rate = 0", "allowed: 0 < rate < 1"),
        ("epsilon = 0.03", "epsilon = -0.03", "schedules.s.epsilon = -0.03"),
        ('type = "scyc"', 'type = "sigmoid"', "expected tags: 'constant'"),
        ('schedule = "s"', 'schedule = "missing"', "names no [schedules.missing] table"),
        ("epsilon = 0.03", "epsilon = 0.03\nalpha = 1", "unknown key 'alpha' in [schedules.s]"),
        ("[pruning]", '[pruning]\nmethod = "magic"', "'global_magnitude', 'layer_magnitude'"),
    ],
)
def test_bad_input_names_file_key_and_allowed(tmp_path, old, new, expected):
    assert old in GOOD
    path = write(tmp_path, GOOD.replace(old, new, 1))
    with pytest.raises(StudyError) as info:
        load_study(path)
    message = str(info.value)
    assert str(path) in message
    assert expected in message


def test_negative_lr_in_warmup_rejected(tmp_path):
    text = GOOD + '\n[schedules.w]\ntype = "warmup"\na = -0.1\n'
    with pytest.raises(StudyError, match=r"schedules\.w\.a = -0\.1.*allowed: 0 <= a"):
        load_study(write(tmp_path, text))


def test_missing_file_and_bad_toml(tmp_path):
    with pytest.raises(StudyError, match="study file not found"):
        load_study(tmp_path / "nope.toml")
    with pytest.raises(StudyError, match="not valid TOML"):
        load_study(write(tmp_path, "name = [unclosed"))


def test_missing_required_key(tmp_path):
    with pytest.raises(StudyError, match="name: required key is missing"):
        load_study(write(tmp_path, GOOD.replace('name = "t"\n', "")))


def test_cli_exits_2_with_one_line_per_problem(tmp_path, capsys):
    path = write(tmp_path, GOOD.replace("beta = 5", "beta = 9"))
    assert main(["prune", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1
    assert err[0].startswith("scyc-tune: error: ") and "beta" in err[0] and str(path) in err[0]


def test_the_validator_resolves_the_oracle_and_fit_labels(tmp_path):
    """Labels are resolved once, on load: None (with no exception to catch) where the study
    has no such schedule; the two methods that need one raise a StudyError naming the fix."""
    only_scyc = load_study(write(tmp_path, GOOD))
    assert only_scyc.fit_label == "s" and only_scyc.oracle_label is None
    with pytest.raises(StudyError, match="the oracle needs a schedule to vary"):
        only_scyc.oracle_schedule_label()
    both = load_study(
        write(tmp_path, GOOD + '[schedules.w]\ntype = "warmup"\na = 0.1\nb = 2\nc = 6\nd = "Nil"\n')
    )
    assert (both.oracle_label, both.fit_label) == ("w", "s")
    assert both.oracle_schedule_label() == "w" and both.fit_schedule_label() == "s"
    chosen = load_study(
        write(
            tmp_path,
            GOOD.replace('schedule = "s"', 'schedule = "s"\n[oracle]\nschedule = "v"')
            + '[schedules.w]\ntype = "warmup"\na = 0.1\nb = 2\nc = 6\nd = "Nil"\n'
            + '[schedules.v]\ntype = "warmup"\na = 0.2\nb = 2\nc = 6\nd = "Nil"\n',
        )
    )
    assert chosen.oracle_label == "v"
