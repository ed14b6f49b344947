"""Semantics pinned by the input-pipeline speed-ups (dataperf): element structures,
batching of per-element pipelines, and TFRecord reading with block-wise checksums."""

import gzip
import struct

import numpy as np
import pytest
import torch

import tork as tf
from tork.data import _structure as nest
from tork.data import _tfrecord as data_tfrecord

# --- structures ---------------------------------------------------------------


def test_flatten_flat_tuple_and_dict_order():
    a, b, c = torch.tensor(1), torch.tensor(2), torch.tensor(3)
    flat = nest.flatten((a, b))
    assert isinstance(flat, list) and flat[0] is a and flat[1] is b
    # Mappings flatten in sorted key order, nested tuples depth first.
    flat = nest.flatten({"z": a, "a": (b, c)})
    assert [int(t) for t in flat] == [2, 3, 1]
    # A tuple holding a non-tensor is still flattened leaf by leaf.
    assert nest.flatten((a, [1, 2])) == [a, [1, 2]]


def test_packer_dict_keeps_template_key_order():
    pack = nest.packer({"b": 0, "a": 1})
    out = pack(["va", "vb"])  # leaves come in sorted key order
    assert list(out) == ["b", "a"]
    assert out == {"a": "va", "b": "vb"}


def test_normalize_output_dict_is_a_new_dict_in_same_order():
    value = {"y": torch.tensor(1), "x": tf.constant([b"s"])}
    out = nest.normalize_output(value, "Dataset.map")
    assert out == value and out is not value
    assert list(out) == ["y", "x"]
    # A Python number in a dict still becomes a tensor (float32, as in TF).
    out = nest.normalize_output({"a": 1.5}, "Dataset.map")
    assert out["a"].dtype == torch.float32


def test_map_dict_then_batch_values_order_and_remainder():
    x = np.arange(10 * 3, dtype=np.uint8).reshape(10, 3)
    y = np.arange(10, dtype=np.int64)
    ds = tf.data.Dataset.from_tensor_slices((x, y)).map(lambda a, b: {"label": b, "image": a})
    batches = list(ds.batch(4))
    assert [list(b) for b in batches] == [["label", "image"]] * 3
    assert [tuple(b["image"].shape) for b in batches] == [(4, 3), (4, 3), (2, 3)]
    assert batches[0]["image"].dtype == torch.uint8
    assert batches[0]["label"].dtype == torch.int64
    np.testing.assert_array_equal(torch.cat([b["image"] for b in batches]).numpy(), x)
    np.testing.assert_array_equal(torch.cat([b["label"] for b in batches]).numpy(), y)
    dropped = list(ds.batch(4, drop_remainder=True))
    assert len(dropped) == 2


def test_map_batch_keeps_order_under_seeded_shuffle():
    x = np.arange(50, dtype=np.float32)

    def pipeline(fn):
        ds = tf.data.Dataset.from_tensor_slices(x).shuffle(20, seed=3)
        return torch.cat(list(ds.map(fn).batch(7))).numpy()

    plain = torch.cat(list(tf.data.Dataset.from_tensor_slices(x).shuffle(20, seed=3).batch(7)))
    # The per-element path (map) gives the same order as the vectorised one.
    np.testing.assert_array_equal(pipeline(lambda v: v), plain.numpy())
    np.testing.assert_array_equal(pipeline(lambda v: v * 2), plain.numpy() * 2)
    assert sorted(plain.tolist()) == x.tolist()


def test_batch_of_varying_shapes_still_reports_the_component():
    ds = tf.data.Dataset.range(3).map(lambda i: (tf.zeros([i + 1]), i))
    with pytest.raises(
        ValueError, match=r"Cannot batch tensors with different shapes in component \[0\]"
    ):
        list(ds.batch(3))


def test_batch_strings_and_nested_tuples():
    ds = tf.data.Dataset.from_tensor_slices(["a", "bb", "ccc"]).map(
        lambda s: ((s, tf.strings.length(s)), s)
    )
    (strings, lengths), again = next(iter(ds.batch(3)))
    assert strings.tolist() == [b"a", b"bb", b"ccc"]
    assert lengths.tolist() == [1, 2, 3]
    assert again.tolist() == [b"a", b"bb", b"ccc"]


# --- TFRecord -----------------------------------------------------------------

_CRC_CHECK = 0xE3069283  # CRC-32C of b"123456789", the published check value


def _masked(crc):
    return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF


def test_masked_crcs_match_the_check_value_and_lengths():
    assert data_tfrecord._masked_crcs([b"123456789"]).tolist() == [_masked(_CRC_CHECK)]
    # CRC-32C of nothing is 0, of 32 zero bytes 0x8A9136AA (RFC 3720 test vector).
    assert data_tfrecord._masked_crcs([b"", bytes(32)]).tolist() == [
        _masked(0),
        _masked(0x8A9136AA),
    ]
    # Mixed lengths (several length classes, one beyond the side-by-side limit).
    records = [b"123456789" * k for k in (0, 1, 2, 5, 100, 500)]
    from tork.ops._tfrecord import masked_crc32c

    assert data_tfrecord._masked_crcs(records).tolist() == [masked_crc32c(r) for r in records]


def _frame(data: bytes) -> bytes:
    from tork.ops._tfrecord import masked_crc32c

    length = struct.pack("<Q", len(data))
    return (
        length
        + struct.pack("<I", masked_crc32c(length))
        + data
        + struct.pack("<I", masked_crc32c(data))
    )


def _records(n):
    return [bytes([i % 256]) * (i * 37 % 300) for i in range(n)]


@pytest.mark.parametrize("block", [1 << 20, 64, 7])
def test_tfrecord_reads_every_record_in_order(tmp_path, monkeypatch, block):
    monkeypatch.setattr(data_tfrecord, "_READ_BLOCK", block)
    records = _records(200) + [b"x" * 5000]
    path = tmp_path / "r.tfrecord"
    path.write_bytes(b"".join(_frame(r) for r in records))
    got = [r.numpy() for r in tf.data.TFRecordDataset(str(path))]
    assert got == records


def test_tfrecord_gzip(tmp_path):
    records = _records(50)
    path = tmp_path / "r.gz"
    with gzip.open(path, "wb") as f:
        f.write(b"".join(_frame(r) for r in records))
    got = [r.numpy() for r in tf.data.TFRecordDataset(str(path), compression_type="GZIP")]
    assert got == records


def test_tfrecord_corrupt_record_yields_the_ones_before_then_raises(tmp_path):
    records = _records(20)
    raw = bytearray(b"".join(_frame(r) for r in records))
    # Damage the data of record 10 (its offset: the framed sizes of records 0..9).
    offset = sum(16 + len(r) for r in records[:10])
    raw[offset + 12] ^= 0xFF if len(records[10]) else 0
    path = tmp_path / "bad.tfrecord"
    path.write_bytes(bytes(raw))
    got = []
    with pytest.raises(tf.errors.DataLossError, match=f"Corrupted record 10 at offset {offset}"):
        for r in tf.data.TFRecordDataset(str(path)):
            got.append(r.numpy())
    assert got == records[:10]


def test_tfrecord_truncated_file(tmp_path):
    records = _records(5)
    raw = b"".join(_frame(r) for r in records)
    path = tmp_path / "cut.tfrecord"
    path.write_bytes(raw[:-3])
    got = []
    with pytest.raises(tf.errors.DataLossError, match="Truncated record 4"):
        for r in tf.data.TFRecordDataset(str(path)):
            got.append(r.numpy())
    assert got == records[:4]


def test_tfrecord_missing_file(tmp_path):
    with pytest.raises(tf.errors.NotFoundError, match="No such file"):
        list(tf.data.TFRecordDataset(str(tmp_path / "nope.tfrecord")))


# --- stacked windows and caches -------------------------------------------------


def test_window_flat_map_batch_values():
    ds = tf.data.Dataset.range(7).window(3, shift=2, drop_remainder=True)
    got = [w.numpy().tolist() for w in ds.flat_map(lambda w: w.batch(3))]
    assert got == [[0, 1, 2], [2, 3, 4], [4, 5, 6]]
    ds = tf.data.Dataset.range(5).window(2)  # the last window is short
    got = [w.numpy().tolist() for w in ds.flat_map(lambda w: w.batch(2))]
    assert got == [[0, 1], [2, 3], [4]]


def test_cache_of_varying_or_mixed_elements_replays_them():
    ragged = tf.data.Dataset.range(1, 4).map(lambda n: tf.range(n)).cache()
    for _ in range(2):
        assert [t.tolist() for t in ragged] == [[0], [0, 1], [0, 1, 2]]
    pairs = tf.data.Dataset.from_tensor_slices(
        (np.arange(4, dtype=np.int32), [b"a", b"b", b"c", b"d"])
    )
    windows = pairs.window(2).flat_map(lambda x, s: tf.data.Dataset.zip((x.batch(2), s.batch(2))))
    got = [(x.tolist(), s.tolist()) for x, s in windows]
    assert got == [([0, 1], [b"a", b"b"]), ([2, 3], [b"c", b"d"])]
