"""The "Random number generation" guide's stateless ops (shapes/dtypes/errors from TF 2.21).

Values differ from TF (torch's generators); the distributions are checked against
closed-form means (truncated-normal means from SciPy's `truncnorm.mean`).
"""

import numpy as np
import pytest

import tork as tf


def test_stateless_binomial_shape_dtype_and_determinism():
    kwargs = dict(shape=[2, 3], seed=[123, 456], counts=[10.0, 20.0, 30.0], probs=[0.8])
    x = tf.random.stateless_binomial(**kwargs)
    assert x.dtype == tf.int32 and tuple(x.shape) == (2, 3)
    np.testing.assert_array_equal(x.numpy(), tf.random.stateless_binomial(**kwargs).numpy())
    assert (x.numpy() <= np.array([10, 20, 30])).all() and (x.numpy() >= 0).all()
    big = tf.random.stateless_binomial([20000], seed=[1, 2], counts=10.0, probs=0.3)
    assert abs(float(np.mean(big.numpy())) - 3.0) < 0.05
    f = tf.random.stateless_binomial([3], seed=[1, 2], counts=5, probs=0.5, output_dtype=tf.float32)
    assert f.dtype == tf.float32


def test_stateless_gamma_and_poisson():
    g = tf.random.stateless_gamma(shape=[10, 2], seed=[12, 34], alpha=[0.5, 1.5])
    assert g.dtype == tf.float32 and tuple(g.shape) == (10, 2)
    np.testing.assert_array_equal(
        g.numpy(), tf.random.stateless_gamma(shape=[10, 2], seed=[12, 34], alpha=[0.5, 1.5]).numpy()
    )
    # beta is a rate: mean alpha / beta = 0.5 (TF 2.21 gave 0.496 for this call).
    x = tf.random.stateless_gamma(shape=[20000], seed=[1, 2], alpha=2.0, beta=4.0)
    assert abs(float(np.mean(x.numpy())) - 0.5) < 0.02
    assert tf.random.stateless_gamma([3], seed=[1, 2], alpha=1.0, dtype=tf.float64).dtype == (
        tf.float64
    )
    p = tf.random.stateless_poisson(shape=[10, 2], seed=[12, 34], lam=[5, 15])
    assert p.dtype == tf.int32 and tuple(p.shape) == (10, 2)
    p = tf.random.stateless_poisson(shape=[20000], seed=[3, 4], lam=5.0, dtype=tf.float32)
    assert p.dtype == tf.float32 and abs(float(np.mean(p.numpy())) - 5.0) < 0.1


@pytest.mark.parametrize(
    "call",
    [
        lambda: tf.random.stateless_gamma(shape=[10, 3], seed=[12, 34], alpha=[0.5, 1.5]),
        lambda: tf.random.stateless_poisson(shape=[10, 3], seed=[12, 34], lam=[5, 15]),
        lambda: tf.random.stateless_binomial(
            shape=[2, 3], seed=[123, 456], counts=[10.0, 20.0], probs=[0.8]
        ),
    ],
)
def test_stateless_shape_must_end_with_parameter_shape(call):
    # TF 2.21: InvalidArgumentError "Shape passed in must end with broadcasted shape."
    with pytest.raises(tf.errors.InvalidArgumentError, match="must end with broadcasted shape"):
        call()


def test_stateless_parameterized_truncated_normal():
    x = tf.random.stateless_parameterized_truncated_normal(
        shape=[10, 2],
        seed=[12, 34],
        means=[0.0, 1.0],
        stddevs=[1.0, 2.0],
        minvals=[-1.0, 0.0],
        maxvals=[1.0, 3.0],
    )
    assert x.dtype == tf.float32 and tuple(x.shape) == (10, 2)
    v = x.numpy()
    assert (v[:, 0] >= -1).all() and (v[:, 0] <= 1).all()
    assert (v[:, 1] >= 0).all() and (v[:, 1] <= 3).all()
    big = tf.random.stateless_parameterized_truncated_normal(
        shape=[50000], seed=[12, 34], means=1.0, stddevs=2.0, minvals=3.0, maxvals=9.0
    ).numpy()
    assert big.min() >= 3.0 and big.max() <= 9.0
    assert abs(big.mean() - 4.049192184324529) < 0.03  # scipy truncnorm.mean(1, 4, 1, 2)
    tail = tf.random.stateless_parameterized_truncated_normal(
        shape=[50000], seed=[5, 6], minvals=8.0, maxvals=9.0
    ).numpy()
    assert abs(tail.mean() - 8.121188992979867) < 0.01  # scipy truncnorm.mean(8, 9)
    wide = tf.random.stateless_parameterized_truncated_normal(
        [4], seed=[1, 2], means=tf.constant(0.0, tf.float64)
    )
    assert wide.dtype == tf.float64


def test_index_shuffle_is_a_seeded_permutation():
    perm = tf.random.experimental.index_shuffle(tf.range(10), [5, 8], 9)
    # TF 2.21 keeps the index dtype (int32 here); its permutation values differ from tork's.
    assert perm.dtype == tf.int32 and sorted(perm.tolist()) == list(range(10))
    again = tf.random.experimental.index_shuffle(tf.range(10), [5, 8], 9)
    assert perm.tolist() == again.tolist()
    big = tf.random.experimental.index_shuffle(tf.range(1000, dtype=tf.int64), [1, 2], 999)
    assert big.dtype == tf.int64 and sorted(big.tolist()) == list(range(1000))
    assert big.tolist() != list(range(1000))
    scalar = tf.random.experimental.index_shuffle(3, [5, 8], 9)
    assert scalar.shape == () and 0 <= int(scalar) <= 9
    assert tf.random.experimental.index_shuffle(tf.range(1), [1, 2], 0).tolist() == [0]


def test_index_shuffle_errors_as_tf():
    shuffle = tf.random.experimental.index_shuffle
    with pytest.raises(tf.errors.InvalidArgumentError, match="max_index must be >= index"):
        shuffle(12, [1, 2], 9)
    with pytest.raises(tf.errors.InvalidArgumentError, match="max_index must be >= 0"):
        shuffle(3, [1, 2], -1)
    with pytest.raises(tf.errors.InvalidArgumentError, match="index must be int32"):
        shuffle(3.0, [1, 2], 9)


def test_stateless_shuffle():
    x = tf.constant([[1, 2], [3, 4], [5, 6]])
    a = tf.random.experimental.stateless_shuffle(x, seed=[1, 2])
    b = tf.random.experimental.stateless_shuffle(x, seed=[1, 2])
    assert a.tolist() == b.tolist()
    assert sorted(a.tolist()) == [[1, 2], [3, 4], [5, 6]]
    # TF 2.21 returns a scalar unchanged.
    assert int(tf.random.experimental.stateless_shuffle(tf.constant(3), seed=[1, 2])) == 3
