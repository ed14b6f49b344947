"""tf.Variable dtype checks and tf.function variable creation, as TF 2.21 (tfcore2 sweep).

Expected types and messages are TF 2.21's, from the same code run with TensorFlow.
"""

import numpy as np
import pytest
import torch

import tork as tf

# -- tf.Variable(initial_value, dtype=...) ---------------------------------------------------


def test_variable_from_tensor_of_another_dtype_raises():
    # TF: ValueError "initial_value: Tensor conversion requested dtype float32 for Tensor
    # with dtype int32: <tf.Tensor ...>".
    with pytest.raises(
        ValueError,
        match=r"^initial_value: Tensor conversion requested dtype float32 for Tensor with "
        r"dtype int32",
    ):
        tf.Variable(tf.constant([1, 2]), dtype=tf.float32)
    with pytest.raises(ValueError, match="requested dtype float64 for Tensor with dtype float32"):
        tf.Variable(tf.constant([1.0, 2.0]), dtype=tf.float64)
    with pytest.raises(ValueError, match="requested dtype int64 for Tensor with dtype int32"):
        tf.Variable(tf.constant([1, 2]), dtype=tf.int64)
    # A callable's result is checked too.
    with pytest.raises(ValueError, match="requested dtype float32 for Tensor with dtype int32"):
        tf.Variable(lambda: tf.constant([1, 2]), dtype=tf.float32)


def test_variable_from_variable_of_another_dtype_raises():
    v = tf.Variable([1.0, 2.0], dtype=tf.float64)
    with pytest.raises(
        ValueError,
        match=r"^Incompatible type conversion requested to type float32 for `tf.Variable of "
        r"type float64",
    ):
        tf.Variable(v, dtype=tf.float32)
    assert tf.Variable(v, dtype=tf.float64).dtype == torch.float64


def test_variable_from_python_and_numpy_values_converts():
    # TF converts Python numbers and NumPy arrays to the requested dtype.
    assert tf.Variable([1, 2], dtype=tf.float32).numpy().tolist() == [1.0, 2.0]
    v = tf.Variable(3, dtype=tf.float64)
    assert v.dtype == torch.float64 and float(v) == 3.0
    assert tf.Variable(np.array([1, 2]), dtype=tf.float32).dtype == torch.float32
    assert tf.Variable(np.array([1.0, 2.0]), dtype=tf.float32).dtype == torch.float32
    assert tf.Variable(np.array([1.5, 2.0]), dtype=tf.int32).numpy().tolist() == [1, 2]
    assert tf.Variable(tf.constant([1.0]), dtype=tf.float32).dtype == torch.float32


def test_variable_from_python_float_for_int_dtype_raises():
    with pytest.raises(TypeError, match=r"Cannot convert \[1.5, 2\] to EagerTensor of dtype int32"):
        tf.Variable([1.5, 2], dtype=tf.int32)


def test_keras3_initializer_argument_still_casts():
    # keras.Variable(initializer=..., dtype=...) casts (Keras 3 behaviour).
    v = tf.Variable(initializer=tf.constant([1, 2]), dtype="float32")
    assert v.dtype == torch.float32 and v.numpy().tolist() == [1.0, 2.0]


# -- assign with another dtype ------------------------------------------------------------------


@pytest.mark.parametrize("method", ["assign", "assign_add", "assign_sub"])
def test_assign_float32_tensor_to_float64_variable_raises(method):
    v = tf.Variable([1.0, 2.0], dtype=tf.float64)
    with pytest.raises(
        ValueError,
        match=r"^Tensor conversion requested dtype float64 for Tensor with dtype float32",
    ):
        getattr(v, method)(tf.constant([3.0, 4.0]))
    assert v.numpy().tolist() == [1.0, 2.0]  # unchanged


def test_assign_other_widths_raise():
    w = tf.Variable([1, 2])
    with pytest.raises(ValueError, match="requested dtype int32 for Tensor with dtype int64"):
        w.assign(tf.constant([3, 4], dtype=tf.int64))
    h = tf.Variable([1.0, 2.0], dtype=tf.float16)
    with pytest.raises(ValueError, match="requested dtype float16 for Tensor with dtype float32"):
        h.assign(tf.constant([3.0, 4.0]))


def test_assign_python_and_numpy_values_convert():
    v = tf.Variable([1.0, 2.0], dtype=tf.float64)
    assert v.assign([3.0, 4.0]).numpy().tolist() == [3.0, 4.0]
    assert v.assign(np.array([5.0, 6.0], dtype=np.float32)).numpy().tolist() == [5.0, 6.0]
    assert v.assign(np.array([7, 8])).numpy().tolist() == [7.0, 8.0]
    assert v.assign(tf.constant([1.0, 2.0], dtype=tf.float64)).dtype == torch.float64
    w = tf.Variable([1, 2])
    assert w.assign(np.array([3.5, 4.0])).numpy().tolist() == [3, 4]
    assert w.assign(np.array([5, 6])).numpy().tolist() == [5, 6]


def test_slice_assign_and_scatter_check_dtype():
    v = tf.Variable([1.0, 2.0], dtype=tf.float64)
    with pytest.raises(ValueError, match="requested dtype float64 for Tensor with dtype float32"):
        v[0].assign(tf.constant(1.0))
    with pytest.raises(ValueError, match="requested dtype float64 for Tensor with dtype float32"):
        v.scatter_update(tf.IndexedSlices(tf.constant([1.0]), tf.constant([0])))
    with pytest.raises(ValueError, match="requested dtype float64 for Tensor with dtype float32"):
        v.scatter_nd_update([[0]], tf.constant([9.0]))
    # Python values convert.
    v[0].assign(5.0)
    v.scatter_update(tf.IndexedSlices(tf.constant([7.0], dtype=tf.float64), tf.constant([1])))
    v.scatter_nd_add([[0]], [1.0])
    assert v.numpy().tolist() == [6.0, 7.0]


# -- tf.function creating variables -------------------------------------------------------------

_SINGLETON = "tf.function only supports singleton tf.Variables created on the first call"


def test_function_with_local_variable_raises_on_first_call():
    calls = []

    @tf.function
    def f(x):
        calls.append(1)
        v = tf.Variable(1.0)
        return v * x

    # TF 2.21 raises on the first call and on every later one.
    for _ in range(2):
        with pytest.raises(ValueError, match=_SINGLETON):
            f(tf.constant(2.0))


def test_function_returning_new_variable_raises_on_first_call():
    @tf.function
    def g():
        return tf.Variable(1.0)

    with pytest.raises(ValueError, match=_SINGLETON):
        g()


def test_function_assigning_a_local_variable_raises_on_first_call():
    @tf.function
    def k(x):
        v = tf.Variable(x)
        v.assign_add(x)
        return v.read_value()

    with pytest.raises(ValueError, match=_SINGLETON):
        k(tf.constant(3.0))


def test_function_keeping_new_variables_each_call_raises_by_second_call():
    # TF raises on the first call; tork cannot tell before the second (documented).
    store = []

    @tf.function
    def h(x):
        store.append(tf.Variable(x))
        return x

    h(tf.constant(1.0))
    with pytest.raises(ValueError, match=_SINGLETON):
        h(tf.constant(1.0))


def test_function_creating_variables_once_runs():
    class Lin(tf.Module):
        def __init__(self):
            super().__init__()
            self.w = None

        @tf.function
        def __call__(self, x):
            if self.w is None:
                self.w = tf.Variable(tf.ones((x.shape[-1], 2)))
                self.b = tf.Variable(tf.zeros((2,)), trainable=False)
            return tf.matmul(x, self.w) + self.b

    m = Lin()
    for _ in range(3):
        assert m(tf.ones((1, 3))).numpy().tolist() == [[3.0, 3.0]]


def test_function_building_keras_model_and_optimizer_on_first_call_runs():
    model = tf.keras.Sequential([tf.keras.layers.Dense(4), tf.keras.layers.Dense(1)])
    opt = tf.keras.optimizers.Adam()

    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean((model(x) - y) ** 2)
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    x = np.ones((4, 3), "float32")
    y = np.zeros((4, 1), "float32")
    for _ in range(3):
        step(x, y)
    assert int(opt.iterations) == 3


def test_run_functions_eagerly_allows_variables_each_call():
    @tf.function
    def f(x):
        return tf.Variable(1.0) * x

    tf.config.run_functions_eagerly(True)
    try:
        assert float(f(tf.constant(2.0))) == 2.0
        assert float(f(tf.constant(2.0))) == 2.0
    finally:
        tf.config.run_functions_eagerly(False)


# -- tf.convert_to_tensor(variable) ---------------------------------------------------------------


def test_convert_to_tensor_of_variable_is_a_tensor_snapshot():
    # TF 2.21 (Introduction to Variables): "Viewed as a tensor: tf.Tensor(...)".
    v = tf.Variable([1.0, 2.0])
    t = tf.convert_to_tensor(v)
    assert type(t) is torch.Tensor and not isinstance(t, tf.Variable)
    assert t.numpy().tolist() == [1.0, 2.0]
    v.assign([3.0, 4.0])
    assert t.numpy().tolist() == [1.0, 2.0]  # a read, not an alias
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.convert_to_tensor(v) * 2.0)
    assert tape.gradient(y, v).numpy().tolist() == [2.0, 2.0]
    assert type(tf.convert_to_tensor(v, dtype=tf.float32)) is torch.Tensor
    with pytest.raises(ValueError, match="Incompatible type conversion requested to type float64"):
        tf.convert_to_tensor(v, dtype=tf.float64)
