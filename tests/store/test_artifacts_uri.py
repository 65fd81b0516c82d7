"""The artifact store and the run index on a filesystem URI (issue 15, item 4): an S3 bucket on
moto's S3-compatible server on loopback, through pyarrow.fs, with the same content addressing,
whole-object writes, digest checks on read and quarantine as on a local directory; and the
faults an operator meets (an unreachable endpoint, an unknown protocol) as one line."""

import io

import pytest
import torch

from scyc_tune.errors import ScycError, UsageError
from scyc_tune.store import ArtifactStore
from scyc_tune.store.artifacts import ArtifactError
from scyc_tune.store.blobs import Blobs, is_uri, resolve_root, shown
from scyc_tune.store.runs import RunIndex


def put_object(server, path, data: bytes) -> None:
    with server.filesystem().open_output_stream(path) as f:
        f.write(data)


def get_object(server, path) -> bytes:
    with server.filesystem().open_input_stream(path) as f:
        return f.read()


def test_states_round_trip_through_a_bucket(s3, make_state):
    server, bucket = s3
    store = ArtifactStore(server.uri(bucket, "art"))
    state = make_state(cycle=1)
    key = store.put(state)
    assert key == state.digest()
    assert server.objects(bucket) == [f"art/{key[:2]}/{key}.pt"]
    assert store.exists(key) and not store.exists("0" * 64)
    loaded = store.get(key)
    assert loaded.digest() == key and loaded.cycle == 1
    raw = torch.load(io.BytesIO(get_object(server, f"{bucket}/art/{key[:2]}/{key}.pt")),
                     weights_only=True)  # fmt: skip
    assert set(raw) == {"weights", "mask", "cycle", "rewind_weights"}
    # a second store on the same URI (another worker) reads it, and does not write it again
    again = ArtifactStore(server.uri(bucket, "art"))
    assert again.put(make_state(cycle=1)) == key
    assert server.objects(bucket) == [f"art/{key[:2]}/{key}.pt"]


def test_a_corrupt_object_is_quarantined_in_the_bucket(s3, make_state):
    server, bucket = s3
    store = ArtifactStore(server.uri(bucket))
    key = store.put(make_state())
    path = f"{bucket}/scyc/{key[:2]}/{key}.pt"
    put_object(server, path, get_object(server, path)[:100])
    with pytest.raises(ArtifactError) as info:
        store.get(key)
    message = str(info.value)
    assert message.startswith(f"artifact {key[:12]} is corrupt (")
    assert f"moved to s3://{bucket}/scyc/quarantine/{key}." in message
    assert "\n" not in message and "endpoint_override" not in message
    [moved] = [k for k in server.objects(bucket) if k.startswith("scyc/quarantine/")]
    assert server.objects(bucket) == [moved]
    with pytest.raises(ArtifactError, match="is missing"):
        store.get(key)  # gone: the caller trains it again
    assert store.put(make_state()) == key and store.get(key).digest() == key


def test_a_swapped_object_fails_its_hash_check(s3, make_state):
    server, bucket = s3
    store = ArtifactStore(server.uri(bucket))
    key, other = store.put(make_state()), store.put(make_state(offset=1.0))
    put_object(server, f"{bucket}/scyc/{key[:2]}/{key}.pt",
               get_object(server, f"{bucket}/scyc/{other[:2]}/{other}.pt"))  # fmt: skip
    with pytest.raises(ArtifactError, match=f"failed its hash check .*hashes to {other[:12]}"):
        store.get(key)
    assert not store.exists(key) and store.get(other).digest() == other


def test_the_run_index_in_a_bucket(s3):
    server, bucket = s3
    index = RunIndex(server.uri(bucket))
    rid = "cd" * 32
    assert index.get(rid) is None
    index.put(rid, {"val_acc": 0.25, "diverged": False}, "ef" * 32)
    assert server.objects(bucket) == [f"scyc/runs/cd/{rid}.json"]
    assert index.get(rid) == {"record": {"val_acc": 0.25, "diverged": False}, "artifact": "ef" * 32}
    put_object(server, f"{bucket}/scyc/runs/cd/{rid}.json", b'{"record": {"val_')
    with pytest.raises(ArtifactError, match=f"run index entry {rid[:12]} is unreadable"):
        index.get(rid)
    assert index.get(rid) is None  # quarantined: not indexed any more, so trained again
    assert [k.split("/")[1] for k in server.objects(bucket)] == ["quarantine"]


def test_an_unreachable_endpoint_is_one_line_without_the_query(s3_server_on_loopback):
    store = ArtifactStore("s3://nowhere/scyc?endpoint_override=127.0.0.1:9&scheme=http")
    with pytest.raises(ScycError) as info:
        store.get("a" * 64)
    message = str(info.value)
    assert message.startswith(f"cannot read s3://nowhere/scyc/aa/{'a' * 64}.pt: ")
    assert "\n" not in message and "endpoint_override" not in message


def test_a_query_pyarrow_does_not_take_is_a_usage_error():
    """Credentials do not go in the URI (pyarrow refuses them there): the environment's."""
    with pytest.raises(UsageError) as info:
        ArtifactStore("s3://b/p?endpoint_override=127.0.0.1:9&secret_key=do-not-print")
    message = str(info.value)
    assert "Unexpected query parameter in S3 URI: 'secret_key'" in message
    assert "\n" not in message and "do-not-print" not in message


def test_a_protocol_nothing_knows_is_a_usage_error():
    with pytest.raises(UsageError) as info:
        ArtifactStore("nosuchfs://bucket/x")
    assert str(info.value).startswith("--artifacts nosuchfs://bucket/x: neither pyarrow (")
    assert "\n" not in str(info.value)


def test_file_uris_and_relative_paths_are_local_directories(tmp_path, make_state, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert not is_uri("file:///x") and not is_uri("storage/artifacts") and is_uri("gs://b/p")
    assert resolve_root("storage/artifacts") == str(tmp_path / "storage" / "artifacts")
    assert resolve_root(f"file://{tmp_path}/a") == str(tmp_path / "a")
    assert resolve_root("s3://b/p?x=1") == "s3://b/p?x=1"  # a Path would collapse the //
    assert shown("s3://b/p/?secret_key=s") == "s3://b/p"
    key = ArtifactStore(f"file://{tmp_path}/a").put(make_state())
    assert ArtifactStore(tmp_path / "a").get(key).digest() == key
    assert Blobs(tmp_path / "a").exists(f"{key[:2]}/{key}.pt")
