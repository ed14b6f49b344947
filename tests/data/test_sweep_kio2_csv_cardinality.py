"""`make_csv_dataset` has an unknown length, as TF's does (TF reads the files as it goes):
keras.io's "Memory-efficient embeddings" and "Wide, Deep, and Cross networks" examples.
Expected values from TF 2.21 (/tmp/tfenv)."""

import pytest

import tork as tf


def _csv(tmp_path):
    path = tmp_path / "ratings.csv"
    path.write_text("".join(f"user_{i % 3}|movie_{i % 4}|{i % 5}.0\n" for i in range(20)))
    return str(path)


def test_cardinality_is_unknown(tmp_path):
    ds = tf.data.experimental.make_csv_dataset(
        _csv(tmp_path),
        batch_size=8,
        column_names=["user_id", "movie_id", "rating"],
        label_name="rating",
        num_epochs=1,
        header=False,
        field_delim="|",
        shuffle=False,
    )
    # TF 2.21: -2 (UNKNOWN_CARDINALITY) for the dataset and after .cache(); len() raises.
    assert int(tf.data.experimental.cardinality(ds)) == -2
    assert int(ds.cache().cardinality()) == -2
    with pytest.raises(TypeError, match="length is unknown"):
        len(ds)
    # The elements are unchanged: 3 batches (8, 8, 4), the last one partial.
    sizes = [int(y.shape[0]) for _, y in ds]
    assert sizes == [8, 8, 4]
    first = next(iter(ds))
    assert first[0]["user_id"].numpy().tolist()[:3] == [b"user_0", b"user_1", b"user_2"]
    assert first[1].numpy().tolist()[:3] == [0.0, 1.0, 2.0]


def test_repeated_dataset_is_still_unknown_or_infinite(tmp_path):
    ds = tf.data.experimental.make_csv_dataset(
        _csv(tmp_path),
        batch_size=8,
        column_names=["u", "m", "r"],
        num_epochs=2,
        header=False,
        field_delim="|",
        shuffle=False,
    )
    assert int(ds.cardinality()) == -2  # TF 2.21
    assert sum(1 for _ in ds) == 5  # 40 rows: 8, 8, 8, 8, 8
    endless = tf.data.experimental.make_csv_dataset(
        _csv(tmp_path),
        batch_size=8,
        column_names=["u", "m", "r"],
        num_epochs=None,
        header=False,
        field_delim="|",
        shuffle=False,
    )
    assert int(endless.cardinality()) == -1  # TF 2.21: INFINITE_CARDINALITY
