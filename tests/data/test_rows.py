"""Tests for the vectorised in-memory path: speed, no per-element loops, the training-loop hook."""

import time

import numpy as np
import pytest
import torch

import tork as tf
from tork.data import _rows, _transforms

Dataset = tf.data.Dataset


@pytest.fixture(scope="module")
def mnist_like():
    # Zeros are cheap to allocate; the first column makes every row distinct.
    x = np.zeros((60_000, 784), dtype=np.float32)
    x[:, 0] = np.arange(60_000)
    x[:, 783] = -np.arange(60_000)
    y = np.arange(60_000, dtype=np.int64) % 10
    return x, y


def _one_pass(ds):
    rows = 0
    for xb, _ in ds:
        rows += xb.shape[0]
    return rows


def _best_time(ds, expected_rows, attempts=3):
    """Best wall time of a few passes: robust to other processes sharing the CPU."""
    best = float("inf")
    for _ in range(attempts):
        start = time.perf_counter()
        rows = _one_pass(ds)
        best = min(best, time.perf_counter() - start)
        assert rows == expected_rows
        if best < 0.5:
            break
    return best


def test_shuffle_batch_of_60000_rows_takes_well_under_a_second(mnist_like):
    x, y = mnist_like
    ds = Dataset.from_tensor_slices((x, y)).shuffle(60_000).batch(128)
    elapsed = _best_time(ds, 60_000)
    assert elapsed < 1.0, f"one pass took {elapsed:.3f}s"


def test_full_pipeline_with_map_after_batch_is_fast(mnist_like):
    x, y = mnist_like
    ds = (
        Dataset.from_tensor_slices((x, y))
        .shuffle(60_000)
        .batch(128)
        .map(lambda a, b: (a, b + 1))
        .prefetch(tf.data.AUTOTUNE)
        .repeat(2)
        .take(700)
    )
    # One epoch of 469 batches (the last has 96 rows), then 231 full batches.
    elapsed = _best_time(ds, 60_000 + 231 * 128)
    assert elapsed < 1.0, f"700 batches took {elapsed:.3f}s"


@pytest.fixture
def no_per_element_loops(monkeypatch):
    def forbidden(*args, **kwargs):
        raise AssertionError("per-element iteration used on an in-memory pipeline")

    monkeypatch.setattr(_rows, "iter_elements", forbidden)
    monkeypatch.setattr(_transforms._BatchDataset, "_generic", forbidden)


def test_in_memory_pipelines_never_loop_per_element(no_per_element_loops):
    x = np.arange(200, dtype=np.float32).reshape(100, 2)
    y = np.arange(100)
    base = Dataset.from_tensor_slices((x, y))
    pipelines = [
        base.batch(16),
        base.shuffle(100).batch(16),
        base.shuffle(10).batch(16),
        base.shuffle(100).batch(16).map(lambda a, b: (a * 1, b)).prefetch(2),
        base.shuffle(100).repeat(3).batch(16, drop_remainder=True),
        base.repeat().shuffle(50).batch(16).take(30),
        base.take(50).skip(10).batch(8),
        base.cache().shuffle(100).batch(16),
        Dataset.zip(Dataset.from_tensor_slices(x), Dataset.from_tensor_slices(y))
        .shuffle(100)
        .batch(16),
    ]
    for ds in pipelines:
        batches = list(ds)
        assert batches
        for xb, yb in batches:
            # Row i is [2i, 2i + 1] and its label is i: pairs survive every reordering.
            np.testing.assert_array_equal(xb[:, 0].numpy() / 2, yb.numpy())
    ranged = torch.cat(list(Dataset.range(1000).shuffle(1000).batch(100)))
    assert sorted(ranged.tolist()) == list(range(1000))


def test_unshuffled_batches_are_exact_slices(mnist_like):
    x, y = mnist_like
    batches = list(Dataset.from_tensor_slices((x, y)).batch(1000))
    assert len(batches) == 60
    np.testing.assert_array_equal(batches[7][0].numpy(), x[7000:8000])
    np.testing.assert_array_equal(batches[59][1].numpy(), y[59000:60000])


def test_repeat_before_batch_crosses_epochs_in_order():
    ds = Dataset.from_tensor_slices(np.arange(5)).repeat(3).batch(4)
    got = [b.tolist() for b in ds]
    flat = list(range(5)) * 3
    assert got == [flat[i : i + 4] for i in range(0, 15, 4)]


# --- the training-loop hook ------------------------------------------------------


def test_tork_slices_describes_a_shuffled_batched_pipeline():
    x = np.arange(40, dtype=np.float32).reshape(20, 2)
    y = np.arange(20)
    ds = Dataset.from_tensor_slices((x, y)).shuffle(20).batch(6).prefetch(1)
    source = ds._tork_slices()
    columns, batch_size, shuffle, drop_remainder = source
    assert (batch_size, shuffle, drop_remainder) == (6, True, False)
    np.testing.assert_array_equal(columns[0].numpy(), x)
    np.testing.assert_array_equal(columns[1].numpy(), y)
    first, second = source.order(), source.order()
    assert sorted(first.tolist()) == list(range(20)) and first.dtype == torch.int64
    assert first.tolist() != second.tolist()


def test_tork_slices_order_follows_the_seeded_iteration_order():
    x = np.arange(30)

    def make():
        return Dataset.from_tensor_slices(x).shuffle(30, seed=5).batch(7)

    iterated = torch.cat(list(make())).tolist()
    hooked = make()._tork_slices().order().tolist()
    assert hooked == iterated


def test_tork_slices_for_plain_and_truncated_pipelines():
    x = np.arange(10)
    plain = Dataset.from_tensor_slices(x).batch(4, drop_remainder=True)._tork_slices()
    assert (plain.batch_size, plain.shuffle, plain.drop_remainder) == (4, False, True)
    assert plain.order() is None and plain.columns.tolist() == list(range(10))
    unbatched = Dataset.from_tensor_slices({"a": x})._tork_slices()
    assert unbatched.batch_size is None and unbatched.columns["a"].tolist() == list(range(10))
    taken = Dataset.from_tensor_slices(x).take(6).batch(4)._tork_slices()
    assert taken.columns.tolist() == list(range(6)) and taken.num_rows == 6


def test_tork_slices_is_none_for_per_element_or_infinite_pipelines():
    x = np.arange(10)
    base = Dataset.from_tensor_slices(x)
    assert base.map(lambda v: v).batch(2)._tork_slices() is None
    assert base.filter(lambda v: v > 2).batch(2)._tork_slices() is None
    assert base.batch(2).map(lambda v: v)._tork_slices() is None
    assert base.repeat().batch(2)._tork_slices() is None
    gen = Dataset.from_generator(
        lambda: iter(range(3)), output_signature=tf.data.TensorSpec((), torch.int64)
    )
    assert gen.batch(2)._tork_slices() is None


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")
def test_gpu_columns_batch_on_the_gpu():
    x = torch.arange(1000, device="cuda", dtype=torch.float32).reshape(500, 2)
    y = torch.arange(500, device="cuda")
    batches = list(Dataset.from_tensor_slices((x, y)).shuffle(500).batch(64))
    assert all(b[0].device.type == "cuda" for b in batches)
    xs = torch.cat([b[0] for b in batches])
    ys = torch.cat([b[1] for b in batches])
    torch.testing.assert_close(xs[:, 0], ys.to(torch.float32) * 2)
    assert sorted(ys.tolist()) == list(range(500))
    source = Dataset.from_tensor_slices((x, y)).shuffle(500).batch(64)._tork_slices()
    assert source.order().device.type == "cuda"


@pytest.mark.parametrize("drop_remainder", [False, True])
@pytest.mark.parametrize("buffer", [1000, 100])
def test_one_gather_per_iteration_gives_the_same_batches(monkeypatch, drop_remainder, buffer):
    # On accelerators a reordered pipeline is gathered once per iteration and then sliced
    # (a gather per batch costs a kernel launch per column per step). Forced here on the
    # CPU: the batches must be those of the per-batch gathers, iteration after iteration.
    x = np.arange(1000 * 3, dtype=np.float32).reshape(1000, 3)
    y = np.arange(1000)

    def batches():
        ds = Dataset.from_tensor_slices((x, y)).shuffle(buffer, seed=3).batch(64, drop_remainder)
        return [[(a.numpy(), b.numpy()) for a, b in ds] for _ in range(2)]

    per_batch = batches()
    calls = []
    monkeypatch.setattr(_rows, "_epoch_gather_wanted", lambda cols: calls.append(1) or True)
    per_iteration = batches()
    assert calls
    assert len(per_iteration[0]) == (15 if drop_remainder else 16)
    for want_epoch, got_epoch in zip(per_batch, per_iteration):
        for (wa, wb), (ga, gb) in zip(want_epoch, got_epoch, strict=True):
            np.testing.assert_array_equal(ga, wa)
            np.testing.assert_array_equal(gb, wb)
    assert not np.array_equal(per_iteration[0][0][1], per_iteration[1][0][1])  # reshuffled


@pytest.mark.parametrize("dtype", [torch.float32, torch.int64, torch.bool, torch.float16])
def test_gathers_on_and_off_the_main_thread_agree(dtype):
    """The main thread gathers with index_select, other threads with NumPy: same rows."""
    import threading

    column = (torch.arange(60, dtype=torch.float64).reshape(20, 3) % 7).to(dtype)
    index = torch.tensor([5, 0, 19, 5, 3])
    on_main = _rows.gather(column, index)
    result = {}
    worker = threading.Thread(target=lambda: result.update(rows=_rows.gather(column, index)))
    worker.start()
    worker.join()
    assert torch.equal(on_main, column[index])
    assert torch.equal(result["rows"], column[index])
    assert on_main.dtype == result["rows"].dtype == dtype
