"""Dataset.load of a directory written by TensorFlow's Dataset.save (fuzzdata4).

TF 2.21's `Dataset.save` writes `dataset_spec.pb`, `snapshot.metadata` and shard
folders (seen in /tmp/fuzzdata4/x4/tfsaved); tork cannot read that format and said only
that its own metadata file was missing.
"""

import pytest

import tork as tf


def test_load_of_tf_saved_dir_names_the_format(tmp_path):
    saved = tmp_path / "tfsaved"
    saved.mkdir()
    (saved / "dataset_spec.pb").write_bytes(b"\n\x00")
    (saved / "snapshot.metadata").write_bytes(b"")
    with pytest.raises(tf.errors.NotFoundError, match="saved by TensorFlow .dataset_spec.pb."):
        tf.data.Dataset.load(str(saved))


def test_load_of_missing_dir_and_round_trip(tmp_path):
    with pytest.raises(tf.errors.NotFoundError, match="no saved dataset at"):
        tf.data.Dataset.load(str(tmp_path / "nothing"))
    tf.data.Dataset.range(3).save(str(tmp_path / "ok"))
    assert [int(x) for x in tf.data.Dataset.load(str(tmp_path / "ok"))] == [0, 1, 2]
