"""Tiny-ImageNet from its folder tree: labels through wnids.txt and val_annotations.txt."""

import numpy as np
import pytest
import torch
from PIL import Image

from scyc_tune.data import BatchTransform, load_splits
from scyc_tune.data import tiny_imagenet as tiny_module
from scyc_tune.data.tiny_imagenet import MEAN, STD, load_tiny_imagenet
from scyc_tune.errors import DatasetError
from scyc_tune.study.specs import DataSpec

SPEC = DataSpec(name="tiny_imagenet")
COLOURS = torch.tensor([(250, 0, 0), (0, 250, 0), (0, 0, 250)])  # class k's colour in tiny_dir


def mean_colour(images: torch.Tensor) -> torch.Tensor:
    return images.float().mean(dim=(2, 3))


def test_train_labels_follow_wnids_order_and_val_follows_annotations(tiny_dir):
    pooled = load_tiny_imagenet(SPEC, tiny_dir)
    assert pooled.x.dtype == torch.uint8 and pooled.x.shape == (9, 3, 64, 64)
    assert (pooled.num_classes, pooled.input_shape) == (3, (3, 64, 64))
    assert pooled.y.tolist() == [0, 0, 1, 1, 2, 2, 2, 0, 1]
    colours = mean_colour(pooled.x[:8])  # the last val image is grayscale
    expected = COLOURS[pooled.y[:8]].float()
    torch.testing.assert_close(colours, expected, rtol=0, atol=3.0)


def test_pixels_are_what_pil_decodes_and_grayscale_becomes_rgb(tiny_dir):
    pooled = load_tiny_imagenet(SPEC, tiny_dir)
    folder = tiny_dir / "tiny-imagenet-200"
    with Image.open(folder / "train" / "n01629819" / "images" / "n01629819_1.JPEG") as img:
        decoded = torch.from_numpy(np.asarray(img.convert("RGB")).copy()).permute(2, 0, 1)
    assert torch.equal(pooled.x[3], decoded)
    gray = pooled.x[8]
    assert torch.equal(gray[0], gray[1]) and torch.equal(gray[1], gray[2])
    assert abs(gray.float().mean().item() - 128) < 2


def test_splits_use_crop_4_and_flip(tiny_dir):
    splits = load_splits(DataSpec(name="tiny_imagenet", data_dir=str(tiny_dir)), seed=0)
    assert (len(splits.train), len(splits.val), len(splits.test)) == (5, 1, 3)
    assert splits.batch_transform == BatchTransform(MEAN, STD, crop_padding=4, flip=True)


@pytest.mark.parametrize("missing", ["wnids.txt", "val/val_annotations.txt"])
def test_missing_index_files_are_one_line(tiny_dir, missing, one_line_error):
    (tiny_dir / "tiny-imagenet-200" / missing).unlink()
    with pytest.raises(DatasetError) as excinfo:
        load_tiny_imagenet(SPEC, tiny_dir)
    text = one_line_error(excinfo, tiny_dir / "tiny-imagenet-200")
    assert text.startswith("Tiny-ImageNet not found") and f"(missing: {missing});" in text
    assert "data.download = true" in text


def test_missing_class_folder_is_one_line(tiny_dir, one_line_error):
    images = tiny_dir / "tiny-imagenet-200" / "train" / "n01641577" / "images"
    for path in images.iterdir():
        path.unlink()
    images.rmdir()
    with pytest.raises(DatasetError) as excinfo:
        load_tiny_imagenet(SPEC, tiny_dir)
    one_line_error(excinfo, images)


def test_unknown_wnid_in_val_annotations_names_file_and_line(tiny_dir, one_line_error):
    annotations = tiny_dir / "tiny-imagenet-200" / "val" / "val_annotations.txt"
    lines = annotations.read_text().splitlines()
    lines[1] = "val_1.JPEG\tn99999999\t0\t0\t63\t63"
    annotations.write_text("\n".join(lines))
    with pytest.raises(DatasetError) as excinfo:
        load_tiny_imagenet(SPEC, tiny_dir)
    text = one_line_error(excinfo, annotations)
    assert " line 2: " in text and "n99999999" in text


def _not_a_jpeg(path):
    path.write_bytes(b"definitely not a jpeg")


def _cut_in_half(path):
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


@pytest.mark.parametrize("damage", [_not_a_jpeg, _cut_in_half, lambda path: path.unlink()])
def test_unreadable_or_missing_image_names_the_file(tiny_dir, damage, one_line_error):
    path = tiny_dir / "tiny-imagenet-200" / "val" / "images" / "val_1.JPEG"
    damage(path)
    with pytest.raises(DatasetError) as excinfo:
        load_tiny_imagenet(SPEC, tiny_dir)
    assert "is unreadable" in one_line_error(excinfo, path)


def test_image_of_the_wrong_size_names_the_file(tiny_dir, one_line_error):
    path = tiny_dir / "tiny-imagenet-200" / "train" / "n01443537" / "images" / "n01443537_0.JPEG"
    Image.new("RGB", (32, 64)).save(path, format="JPEG")
    with pytest.raises(DatasetError) as excinfo:
        load_tiny_imagenet(SPEC, tiny_dir)
    assert "is 32 x 64, expected 64 x 64" in one_line_error(excinfo, path)


def test_download_only_when_asked(tmp_path, monkeypatch, one_line_error):
    calls = []
    monkeypatch.setattr(tiny_module, "_download", calls.append)
    with pytest.raises(DatasetError):
        load_tiny_imagenet(SPEC, tmp_path)
    assert calls == []
    with pytest.raises(DatasetError) as excinfo:
        load_tiny_imagenet(DataSpec(name="tiny_imagenet", download=True), tmp_path)
    assert calls == [tmp_path]
    one_line_error(excinfo, tmp_path / "tiny-imagenet-200" / "wnids.txt")


def test_duplicate_wnids_are_an_error(tiny_dir, one_line_error):
    wnids = tiny_dir / "tiny-imagenet-200" / "wnids.txt"
    wnids.write_text("n01443537\nn01629819\nn01443537\n")
    with pytest.raises(DatasetError) as excinfo:
        load_tiny_imagenet(SPEC, tiny_dir)
    assert "distinct wnids" in one_line_error(excinfo, wnids)
