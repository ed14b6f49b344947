"""PyImageSearch sweep: NumPy arguments of a `tf.function` are tensors inside it.

PyImageSearch's DeepDream tutorial passes a NumPy image (`tf.image.resize(...).numpy()`) to
a `@tf.function` that calls `tape.watch(image)`. TensorFlow traces NumPy arguments as
tensor inputs, so that works; tork passed the array through and the tape refused it.
Reference values: TF 2.21.
"""

import collections

import numpy as np
import torch

import tork as tf


def test_tape_watch_of_a_numpy_argument():
    @tf.function
    def step(image, step_size):
        with tf.GradientTape() as tape:
            tape.watch(image)
            loss = tf.reduce_sum(image * image)
        gradients = tape.gradient(loss, image)
        gradients /= tf.math.reduce_std(gradients) + 1e-8
        return loss, tf.clip_by_value(image + gradients * step_size, -1, 1)

    image = np.array([[0.5, -0.25], [0.1, 0.2]], dtype=np.float32)
    loss, new = step(image, 0.01)
    # d(sum x^2)/dx = 2x, divided by its (population) standard deviation.
    grad = 2 * image
    expected = np.clip(image + grad / (grad.std() + 1e-8) * 0.01, -1, 1)
    np.testing.assert_allclose(float(loss), (image**2).sum(), rtol=1e-6)
    np.testing.assert_allclose(new.numpy(), expected, rtol=1e-5)


def test_nested_numpy_values_become_tensors_python_numbers_stay():
    pair = collections.namedtuple("pair", "a b")
    seen = {}

    @tf.function
    def f(items, mapping, nt, flag, n):
        seen.update(
            items=[type(v) for v in items],
            mapping=type(mapping["k"]),
            nt=(type(nt), type(nt.a), type(nt.b)),
            flag=type(flag),
            n=type(n),
        )
        return items[0]

    f([np.ones(2), 3.0], {"k": np.zeros(1)}, pair(np.ones(1), 2), np.bool_(True), np.int64(3))
    # TF 2.21 inside the trace: [SymbolicTensor, float], SymbolicTensor, P(SymbolicTensor, int),
    # SymbolicTensor, SymbolicTensor.
    assert issubclass(seen["items"][0], torch.Tensor) and seen["items"][1] is float
    assert issubclass(seen["mapping"], torch.Tensor)
    assert seen["nt"][0] is pair and issubclass(seen["nt"][1], torch.Tensor)
    assert seen["nt"][2] is int
    assert issubclass(seen["flag"], torch.Tensor) and issubclass(seen["n"], torch.Tensor)


def test_numpy_dtypes_are_kept_and_the_callers_array_is_not_written():
    @tf.function
    def add_one(x):
        x += 1
        return x

    a = np.array([1.0, 2.0], dtype=np.float32)
    out = add_one(a)
    np.testing.assert_array_equal(a, [1.0, 2.0])  # TF: the caller's array is unchanged
    np.testing.assert_array_equal(out.numpy(), [2.0, 3.0])
    # TF keeps NumPy's dtypes: float64 stays float64, np.int64 stays int64.
    assert add_one(np.array([1.0])).dtype == tf.float64
    assert add_one(np.int64(1)).dtype == tf.int64
    assert add_one(np.float32(1.0)).dtype == tf.float32


def test_numpy_and_tensor_arguments_share_a_trace():
    @tf.function
    def double(x):
        return x * 2

    double(np.ones(2, np.float32))
    double(tf.ones(2))
    double(np.zeros(2, np.float32))
    assert double.experimental_get_tracing_count() == 1  # TF 2.21: 1

    @tf.function
    def inc(x):
        return x + 1

    for v in (1.0, 2.0, 3.0):
        inc(np.float32(v))
    assert inc.experimental_get_tracing_count() == 1  # TF: NumPy scalars are tensors
    inc(1.0)
    inc(2.0)
    assert inc.experimental_get_tracing_count() == 3  # Python floats trace per value


def test_run_functions_eagerly_passes_numpy_arguments_as_given():
    seen = []

    @tf.function
    def f(x):
        seen.append(type(x))
        return x

    tf.config.run_functions_eagerly(True)
    try:
        f(np.ones(2))
    finally:
        tf.config.run_functions_eagerly(False)
    f(np.ones(3))
    # TF 2.21: ndarray when run eagerly, a (symbolic) tensor when traced.
    assert seen[0] is np.ndarray
    assert issubclass(seen[1], torch.Tensor)
