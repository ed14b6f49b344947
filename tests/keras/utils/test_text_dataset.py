"""keras.utils.text_dataset_from_directory on small generated folders."""

import os

import pytest

import tork as tf


def _tree(root):
    for label, count in (("neg", 3), ("pos", 5)):
        os.makedirs(os.path.join(root, label))
        for i in range(count):
            with open(os.path.join(root, label, f"{i}.txt"), "w") as f:
                f.write(f"{label} review number {i}")
    with open(os.path.join(root, "pos", "notes.md"), "w") as f:
        f.write("not a text file")


def test_labels_and_texts(tmp_path, capsys):
    _tree(str(tmp_path))
    ds = tf.keras.utils.text_dataset_from_directory(tmp_path, batch_size=3, shuffle=False)
    assert "Found 8 files belonging to 2 classes." in capsys.readouterr().out
    assert ds.class_names == ["neg", "pos"]
    texts, labels = [], []
    for x, y in ds:
        assert x.dtype == tf.string and y.dtype == tf.int32
        texts += x.numpy().tolist()
        labels += y.tolist()
    assert texts[0] == b"neg review number 0" and texts[-1] == b"pos review number 4"
    assert labels == [0, 0, 0, 1, 1, 1, 1, 1]
    assert all(t.startswith(b"pos" if y else b"neg") for t, y in zip(texts, labels))


def test_modes_and_split(tmp_path):
    _tree(str(tmp_path))
    kw = dict(batch_size=None, verbose=False, seed=1)
    binary = tf.keras.utils.text_dataset_from_directory(tmp_path, label_mode="binary", **kw)
    x, y = next(iter(binary))
    assert x.shape == () and tuple(y.shape) == (1,) and float(y[0]) in (0.0, 1.0)
    short = tf.keras.utils.text_dataset_from_directory(
        tmp_path, label_mode=None, max_length=3, **kw
    )
    assert {x.numpy() for x in short} == {b"neg", b"pos"}
    train, val = tf.keras.utils.text_dataset_from_directory(
        tmp_path, validation_split=0.25, subset="both", **kw
    )
    assert len(train.file_paths) == 6 and len(val.file_paths) == 2
    assert not set(train.file_paths) & set(val.file_paths)
    categorical = tf.keras.utils.text_dataset_from_directory(
        tmp_path, label_mode="categorical", batch_size=8, verbose=False, shuffle=False
    )
    assert next(iter(categorical))[1].sum(0).tolist() == [3.0, 5.0]


def test_errors(tmp_path):
    _tree(str(tmp_path))
    fn = tf.keras.utils.text_dataset_from_directory
    with pytest.raises(ValueError, match="is not a directory"):
        fn(os.path.join(tmp_path, "missing"))
    with pytest.raises(ValueError, match="`label_mode` argument must be"):
        fn(tmp_path, label_mode="sparse")
    with pytest.raises(ValueError, match="max_length must be None or a non-negative"):
        fn(tmp_path, max_length=-1)
    with pytest.raises(ValueError, match="must provide a `seed`"):
        fn(tmp_path, validation_split=0.2, subset="training")
    empty = os.path.join(tmp_path, "empty")
    os.makedirs(empty)
    with pytest.raises(
        ValueError, match="No text files found in directory .*Allowed formats: .txt"
    ):
        fn(empty, labels=None, verbose=False)


def test_class_names_order_the_folders(tmp_path):
    _tree(str(tmp_path))
    ds = tf.keras.utils.text_dataset_from_directory(
        tmp_path, class_names=["pos", "neg"], batch_size=None, shuffle=False, verbose=False
    )
    texts, labels = zip(*[(x.numpy(), int(y)) for x, y in ds])
    # As tf.keras 2: files in sorted folder order ("neg" first), labelled by the position of
    # their folder in class_names ("pos" is 0, "neg" is 1).
    assert labels == (1, 1, 1, 0, 0, 0, 0, 0)
    assert texts[0] == b"neg review number 0" and texts[3] == b"pos review number 0"


@pytest.mark.parametrize("kwargs", [{"labels": None}, {"label_mode": None}])
def test_no_labels_is_one_unnamed_class(tmp_path, capsys, kwargs):
    # tf_keras 2.21: labels=None or label_mode=None reads every text file as one
    # unnamed class (class_names == [""]) and yields texts alone.
    _tree(str(tmp_path))
    ds = tf.keras.utils.text_dataset_from_directory(
        tmp_path, batch_size=10, shuffle=False, **kwargs
    )
    assert "Found 8 files belonging to 1 classes." in capsys.readouterr().out
    assert ds.class_names == [""]
    (texts,) = list(ds)
    assert texts.numpy().tolist()[0] == b"neg review number 0" and len(texts.numpy()) == 8
