"""tf.autodiff.ForwardAccumulator, checked against TF 2.21 (numbers written as constants)."""

import numpy as np
import pytest
import torch

import tork as tf


def _dense(units, kernel, bias, activation=None):
    layer = tf.keras.layers.Dense(units, activation=activation)
    layer.build([None, np.asarray(kernel).shape[0]])
    layer.set_weights([np.asarray(kernel, np.float32), np.asarray(bias, np.float32)])
    return layer


def test_namespace():
    assert tf.autodiff.GradientTape is tf.GradientTape
    assert tf.autodiff.ForwardAccumulator.__name__ == "ForwardAccumulator"


def test_jvp_of_a_keras_loss_matches_backprop():
    # The ForwardAccumulator API docs' examples, with fixed weights.
    x = tf.constant([[2.0, 3.0], [1.0, 4.0]])
    targets = tf.constant([[1.0], [-1.0]])
    dense = _dense(1, [[0.5], [-0.25]], [0.1])
    tangent = tf.constant([[1.0], [0.0]])
    with tf.autodiff.ForwardAccumulator(primals=dense.kernel, tangents=tangent) as acc:
        loss = tf.reduce_sum((dense(x) - targets) ** 2.0)
    assert acc.jvp(loss).item() == pytest.approx(-1.4)  # TF 2.21

    def loss_fn():
        return tf.reduce_sum((dense(x) - targets) ** 2.0)

    kernel_fprop = []
    for t in ([[1.0], [0.0]], [[0.0], [1.0]]):
        with tf.autodiff.ForwardAccumulator(dense.kernel, tf.constant(t)) as acc:
            kernel_fprop.append(acc.jvp(loss_fn()))
    with tf.autodiff.ForwardAccumulator(dense.bias, tf.constant([1.0])) as acc:
        bias_fprop = acc.jvp(loss_fn())
    with tf.GradientTape() as tape:
        loss = loss_fn()
    kernel_grad, bias_grad = tape.gradient(loss, (dense.kernel, dense.bias))
    np.testing.assert_allclose(kernel_grad.numpy(), [[-1.4], [0.9]], rtol=1e-6)
    np.testing.assert_allclose(bias_grad.numpy(), [-0.1], rtol=1e-5)
    np.testing.assert_allclose(kernel_grad.numpy(), torch.stack(kernel_fprop)[:, None].numpy())
    np.testing.assert_allclose(bias_grad.numpy(), bias_fprop[None].numpy())


def test_forward_over_backward_hessian_vector_products():
    v = tf.Variable([1.0, 2.0])
    with tf.autodiff.ForwardAccumulator(v, tf.constant([1.0, 0.0])) as acc:
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(v**3.0)
        backward = tape.gradient(y, v)
    assert backward.numpy().tolist() == [3.0, 12.0]
    assert acc.jvp(backward).numpy().tolist() == [6.0, 0.0]
    # A Keras model's HVP, through MeanSquaredError (torch's fused mse_loss has no
    # forward-mode rule for its backward; tork's loss avoids it while recording).
    x = tf.constant([[2.0, 3.0], [1.0, 4.0]])
    targets = tf.constant([[1.0], [-1.0]])
    dense = _dense(1, [[0.5], [-0.25]], [0.1])
    loss_fn = tf.keras.losses.MeanSquaredError()
    tangents = (tf.constant([[1.0], [0.0]]), tf.constant([1.0]))
    with tf.autodiff.ForwardAccumulator((dense.kernel, dense.bias), tangents) as acc:
        with tf.GradientTape() as tape:
            loss = loss_fn(targets, dense(x))
        kernel_grad, bias_grad = tape.gradient(loss, (dense.kernel, dense.bias))
    np.testing.assert_allclose(acc.jvp(kernel_grad).numpy(), [[8.0], [17.0]])  # TF 2.21
    np.testing.assert_allclose(acc.jvp(bias_grad).numpy(), [5.0])


def test_backward_over_forward():
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        with tf.autodiff.ForwardAccumulator(x, tf.constant([1.0, 1.0, 0.0])) as acc:
            y = tf.reduce_sum(tf.sin(x) * x)
        jvp = acc.jvp(y)
    assert jvp.item() == pytest.approx(1.4588, abs=1e-4)  # TF 2.21
    # d/dx of sum((sin x + x cos x) * t): (2 cos x - x sin x) * t
    np.testing.assert_allclose(tape.gradient(jvp, x).numpy(), [0.2391, -2.6509, 0.0], atol=1e-4)


def test_unconnected_nests_primals_and_ops_after_the_block():
    x = tf.constant([1.0, 2.0, 3.0])
    z = tf.constant(5.0)
    with tf.autodiff.ForwardAccumulator(x, tf.ones(3)) as acc:
        w = z * 2.0
        q = x * 2.0
    after = x * 3.0
    assert acc.jvp(w) is None
    assert acc.jvp(w, unconnected_gradients=tf.UnconnectedGradients.ZERO).item() == 0.0
    assert acc.jvp(w, unconnected_gradients="zero").item() == 0.0
    out = acc.jvp({"a": q, "b": [w, x]})
    assert out["a"].numpy().tolist() == [2.0, 2.0, 2.0]
    assert out["b"][0] is None
    assert out["b"][1].numpy().tolist() == [1.0, 1.0, 1.0]  # a primal's JVP is its tangent
    assert acc.jvp(after) is None  # TF: not recorded after the block
    assert acc.jvp(tf.constant([1, 2])) is None


def test_forward_mode_jacobian_columns_match_reverse_mode():
    def f(a):
        return tf.stack([a[0] * a[1], tf.sin(a[0]), a[1] ** 2])

    a = tf.constant([0.5, 2.0])
    columns = []
    for i in range(2):
        with tf.autodiff.ForwardAccumulator(a, tf.one_hot(i, 2)) as acc:
            out = f(a)
        columns.append(acc.jvp(out))
    expected = [[2.0, 0.5], [np.cos(0.5), 0.0], [0.0, 4.0]]
    np.testing.assert_allclose(torch.stack(columns, dim=1).numpy(), expected, rtol=1e-6)


def test_layer_jvp_with_respect_to_its_input():
    layer = _dense(3, [[0.1, 0.2, -0.3], [0.4, -0.5, 0.6]], [0.0, 0.0, 0.0], "tanh")
    inputs = tf.constant([[1.0, -2.0]])
    with tf.autodiff.ForwardAccumulator(inputs, tf.constant([[1.0, 0.0]])) as acc:
        out = layer(inputs)
    np.testing.assert_allclose(acc.jvp(out).numpy(), [[0.0635, 0.061, -0.0542]], atol=1e-4)


def test_accumulator_leaves_no_forward_mode_behind():
    v = tf.Variable([1.0, 2.0])
    with tf.autodiff.ForwardAccumulator(v, tf.constant([1.0, 0.0])) as acc:
        y = v * 3.0
    assert tf.autodiff._open_ref is None
    # torch.func.jvp needs the (single) forward-mode level: free again after the block.
    out = torch.func.jvp(lambda a: a * a, (torch.tensor(3.0),), (torch.tensor(1.0),))
    assert [t.item() for t in out] == [9.0, 6.0]
    with tf.GradientTape() as tape:  # the variable trains as before
        loss = tf.reduce_sum(v * v)
    assert tape.gradient(loss, v).numpy().tolist() == [2.0, 4.0]
    with tf.autodiff.ForwardAccumulator(v, tf.constant([0.0, 1.0])) as acc2:
        y2 = v * 3.0
    assert acc2.jvp(y2).numpy().tolist() == [0.0, 3.0]
    assert acc.jvp(y).numpy().tolist() == [3.0, 0.0]  # the first one's results are kept


def test_errors():
    a = tf.constant([1.0, 2.0])
    b = tf.constant(3.0)
    with pytest.raises(ValueError, match="don't have the same nested structure"):
        tf.autodiff.ForwardAccumulator([a, b], [tf.ones(2)])
    with pytest.raises(ValueError, match="was specified as a primal multiple times"):
        tf.autodiff.ForwardAccumulator([a, a], [tf.ones(2), tf.ones(2)])
    with pytest.raises(ValueError, match=r"Tangent \(3,\) shape does not match"):
        tf.autodiff.ForwardAccumulator(a, tf.ones(3))
    with pytest.raises(ValueError, match="primals must be tensors or variables"):
        tf.autodiff.ForwardAccumulator([1.0], [tf.ones(())])
    with pytest.raises(NotImplementedError, match="Nested tf.autodiff.ForwardAccumulator"):
        with tf.autodiff.ForwardAccumulator(a, tf.ones(2)):
            with tf.autodiff.ForwardAccumulator(b, tf.ones(())):
                pass
    assert tf.autodiff._open_ref is None
    with tf.autodiff.ForwardAccumulator(a, tf.ones(2)) as acc:  # usable after the error
        y = a * a
    assert acc.jvp(y).numpy().tolist() == [2.0, 4.0]


@pytest.mark.parametrize("module_name", ["tork.tape", "tork.autodiff"])
def test_docstring_examples(module_name):
    import doctest
    import importlib

    module = importlib.import_module(module_name)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    attempted = 0
    for test in doctest.DocTestFinder().find(module, globs={"tf": tf, "np": np}):
        result = runner.run(test, out=lambda text: None)
        assert result.failed == 0, test.name
        attempted += result.attempted
    assert attempted >= 7
