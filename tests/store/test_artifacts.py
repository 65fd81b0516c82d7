"""ArtifactStore: content addressing, weights_only round trip, atomic writes, clear errors."""

import os

import pytest
import torch

from scyc_tune.errors import ScycError
from scyc_tune.store import ArtifactStore
from scyc_tune.store.artifacts import ArtifactError


def files_under(root):
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def assert_same_state(a, b):
    assert a.cycle == b.cycle
    for section in ("weights", "mask", "rewind_weights"):
        x, y = getattr(a, section), getattr(b, section)
        assert sorted(x) == sorted(y)
        for name in x:
            assert x[name].dtype == y[name].dtype
            assert torch.equal(x[name], y[name])


def test_put_get_round_trip(tmp_path, make_state):
    root = tmp_path / "not" / "yet" / "there"
    store = ArtifactStore(root)
    state = make_state(cycle=2)
    key = store.put(state)
    assert key == state.digest()
    assert files_under(root) == [f"{key[:2]}/{key}.pt"]
    loaded = store.get(key)
    assert loaded.digest() == key
    assert_same_state(loaded, state)
    raw = torch.load(root / key[:2] / f"{key}.pt", weights_only=True)
    assert set(raw) == {"weights", "mask", "cycle", "rewind_weights"}


def test_same_state_same_key_one_file(tmp_path, make_state, monkeypatch):
    store = ArtifactStore(tmp_path)
    key = store.put(make_state())

    def no_second_write(*args, **kwargs):
        raise AssertionError("an existing artifact was written again")

    monkeypatch.setattr(torch, "save", no_second_write)
    assert store.put(make_state()) == key
    monkeypatch.undo()
    other = store.put(make_state(offset=1.0))
    assert other != key
    assert files_under(tmp_path) == sorted([f"{key[:2]}/{key}.pt", f"{other[:2]}/{other}.pt"])
    assert store.exists(key) and store.exists(other)


def test_a_partial_temp_file_is_not_the_artifact(tmp_path, make_state):
    store = ArtifactStore(tmp_path)
    state = make_state()
    key = state.digest()
    (tmp_path / key[:2]).mkdir()
    partial = tmp_path / key[:2] / f".{key}.deadbeef.tmp"
    partial.write_bytes(b"PK\x03\x04 half of a zip")
    assert not store.exists(key)
    with pytest.raises(ScycError, match="is missing"):
        store.get(key)
    assert store.put(state) == key
    assert store.get(key).digest() == key
    assert partial.read_bytes() == b"PK\x03\x04 half of a zip"


def test_a_write_that_dies_leaves_no_file(tmp_path, make_state, monkeypatch):
    store = ArtifactStore(tmp_path)

    def dies_halfway(obj, f, *args, **kwargs):
        f.write(b"PK\x03\x04 partial")
        raise OSError("No space left on device")

    monkeypatch.setattr(torch, "save", dies_halfway)
    state = make_state()
    with pytest.raises(OSError, match="No space left"):
        store.put(state)
    assert not store.exists(state.digest())
    assert files_under(tmp_path) == []


def test_put_writes_through_a_temp_file_and_a_rename(tmp_path, make_state, monkeypatch):
    replaced = []
    real_replace = os.replace

    def spy(src, dst):
        replaced.append((os.path.dirname(src), os.path.basename(src), str(dst)))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", spy)
    key = ArtifactStore(tmp_path).put(make_state())
    [(src_dir, src_name, dst)] = replaced
    assert dst == str(tmp_path / key[:2] / f"{key}.pt")
    assert src_dir == str(tmp_path / key[:2])
    assert src_name.startswith(f".{key}.") and src_name.endswith(".tmp")


def test_missing_key_is_a_one_line_scyc_error(tmp_path):
    key = "0" * 64
    with pytest.raises(ScycError) as info:
        ArtifactStore(tmp_path).get(key)
    assert str(tmp_path / "00" / f"{key}.pt") in str(info.value)
    assert "\n" not in str(info.value)
    assert not ArtifactStore(tmp_path).exists(key)


def test_corrupt_artifact_is_quarantined_with_one_line(tmp_path, make_state):
    store = ArtifactStore(tmp_path)
    key = store.put(make_state())
    path = tmp_path / key[:2] / f"{key}.pt"
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(ArtifactError) as info:
        store.get(key)
    message = str(info.value)
    assert message.startswith(f"artifact {key[:12]} is corrupt (")
    assert "moved to" in message and "\n" not in message
    assert not path.exists()
    [moved] = (tmp_path / "quarantine").iterdir()
    assert moved.name.startswith(key) and moved.read_bytes() != b""
    with pytest.raises(ArtifactError, match="is missing"):
        store.get(key)  # gone: the caller trains it again


def test_a_swapped_artifact_fails_its_hash_check(tmp_path, make_state):
    """Another valid state under a key is caught: its content hashes to another key."""
    store = ArtifactStore(tmp_path)
    key = store.put(make_state())
    other = store.put(make_state(offset=1.0))
    path = tmp_path / key[:2] / f"{key}.pt"
    path.write_bytes((tmp_path / other[:2] / f"{other}.pt").read_bytes())
    with pytest.raises(ArtifactError, match=f"failed its hash check .*hashes to {other[:12]}"):
        store.get(key)
    assert not path.exists() and store.get(other).digest() == other


def test_put_replaces_a_stored_file_that_fails_its_check(tmp_path, make_state):
    store = ArtifactStore(tmp_path)
    state = make_state()
    key = store.put(state)
    path = tmp_path / key[:2] / f"{key}.pt"
    data = bytearray(path.read_bytes())
    data[-200] ^= 0xFF  # a flipped byte inside the tensors' data
    path.write_bytes(bytes(data))
    assert store.put(state) == key  # not trusted as it was: checked, quarantined, rewritten
    assert store.get(key).digest() == key
    assert len(list((tmp_path / "quarantine").iterdir())) == 1


def test_a_corrupt_run_index_entry_is_quarantined(tmp_path):
    from scyc_tune.store.runs import RunIndex

    index = RunIndex(tmp_path)
    rid = "ab" * 32
    index.put(rid, {"val_acc": 0.5}, None)
    assert index.get(rid) == {"record": {"val_acc": 0.5}, "artifact": None}
    (tmp_path / index.name(rid)).write_text('{"record": {"val_')
    with pytest.raises(ArtifactError, match=f"run index entry {rid[:12]} is unreadable"):
        index.get(rid)
    assert index.get(rid) is None  # quarantined: not indexed any more, so trained again
    assert len(list((tmp_path / "quarantine").iterdir())) == 1


@pytest.mark.parametrize("key", ["../../etc/passwd", "A" * 64, None])
def test_a_key_that_is_not_a_digest_is_refused(tmp_path, key):
    with pytest.raises(ScycError, match="not a 64-character lowercase sha256 hex"):
        ArtifactStore(tmp_path).get(key)
