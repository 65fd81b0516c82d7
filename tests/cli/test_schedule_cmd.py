"""`scyc-tune schedule`: JSON output with per-cycle lambda and max_lr."""

import json

import pytest

from scyc_tune.cli.main import main


def run(capsys, *argv):
    code = main(list(argv))
    out = capsys.readouterr()
    return code, out.out, out.err


def test_scyc_json_per_cycle(capsys):
    code, out, _ = run(
        capsys,
        "schedule",
        "scyc",
        "--epsilon",
        "0.04",
        "--delta",
        "0.06",
        "--q",
        "1",
        "--beta",
        "4",
        "--rate",
        "0.2",
        "--cycles",
        "4",
    )
    assert code == 0
    data = json.loads(out)
    assert data["schedule"] == "scyc"
    assert [c["cycle"] for c in data["cycles"]] == [0, 1, 2, 3]
    assert [c["lambda"] for c in data["cycles"]] == pytest.approx([100, 80, 64, 51.2])
    assert f"{data['cycles'][3]['max_lr']:.4g}" == "0.04546"
    assert "lr" not in data["cycles"][0]


def test_iterations_adds_lr_lists(capsys):
    code, out, _ = run(
        capsys,
        "schedule",
        "warmup",
        "--a",
        "0.1",
        "--b",
        "2",
        "--c",
        "3",
        "--d",
        "Nil",
        "--cycles",
        "2",
        "--iterations",
        "5",
    )
    assert code == 0
    cycles = json.loads(out)["cycles"]
    assert cycles[1]["lr"] == pytest.approx([0.0, 0.05, 0.1, 0.01, 0.01])


@pytest.mark.parametrize(
    ("argv", "needle"),
    [
        (["schedule", "scyc", "--beta", "9"], "beta"),
        (["schedule", "warmup", "--a", "-1"], "--a"),
        (["schedule", "constant", "--rate", "1.5"], "--rate"),
        (["schedule", "finetune"], "--iterations"),
    ],
)
def test_bad_flags_exit_2(capsys, argv, needle):
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == ""
    assert needle in err and len(err.strip().splitlines()) == 1


def test_unknown_schedule_is_usage_error(capsys):
    with pytest.raises(SystemExit) as info:
        main(["schedule", "sigmoid"])
    assert info.value.code == 2


def test_the_lr_range_test_previews_with_a_given_suggestion(capsys):
    argv = ["--range-test-lr", "0.07", "--b", "2", "--c", "3", "--d", "Nil", "--cycles", "2"]
    code, out, _ = run(capsys, "schedule", "lr_range_test", *argv, "--iterations", "4")
    assert code == 0
    data = json.loads(out)
    assert [c["max_lr"] for c in data["cycles"]] == [0.07, 0.07]
    assert data["cycles"][0]["lr"] == pytest.approx([0.0, 0.035, 0.07, 0.007])
    assert data["params"]["rule"] == "steepest" and data["params"]["steps"] == 100
    code, _, err = run(capsys, "schedule", "lr_range_test", "--cycles", "2")
    assert code == 2
    assert "LR range test on the network at each cycle's start" in err
    assert "--range-test-lr" in err and len(err.strip().splitlines()) == 1
