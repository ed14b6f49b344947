"""tf.Variable on torch.nn.Parameter."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
import torch

import tork as tf


def test_python_values_get_tensorflow_dtypes():
    assert tf.Variable(1.0).dtype == tf.float32
    assert tf.Variable(1).dtype == tf.int32
    assert tf.Variable(np.zeros(2)).dtype == tf.float64
    assert tf.Variable(1.0, dtype=tf.float64).dtype == tf.float64


def test_variable_is_a_parameter_usable_in_every_op():
    v = tf.Variable([[1.0, 2.0]])
    assert isinstance(v, torch.nn.Parameter)
    out = v @ torch.ones(2, 1, device=v.device) + 1
    assert type(out) is torch.Tensor
    np.testing.assert_allclose(out.detach().numpy(), [[4.0]])


def test_assign_family_updates_in_place_without_history():
    v = tf.Variable([1.0, 2.0])
    ref = v
    v.assign([3.0, 4.0])
    v.assign_add([1.0, 1.0])
    v.assign_sub(torch.tensor([0.5, 0.5]))
    assert ref is v
    np.testing.assert_allclose(v.numpy(), [3.5, 4.5])
    assert v.grad_fn is None and v.is_leaf


def test_assign_of_wrong_shape_names_variable_and_shapes():
    v = tf.Variable([1.0, 2.0], name="w")
    with pytest.raises(ValueError, match=r"shape \(3,\) to variable 'w' of shape \(2,\)"):
        v.assign([1.0, 2.0, 3.0])


def test_name_trainable_shape_numpy_and_repr():
    v = tf.Variable(np.ones((2, 3), "float32"), name="kernel", trainable=False)
    assert v.name == "kernel:0"
    assert not v.trainable and not v.requires_grad
    assert tuple(v.shape) == (2, 3)
    assert v.numpy().shape == (2, 3)
    assert "tf.Variable 'kernel:0' shape=(2, 3) dtype=float32" in repr(v)
    v.trainable = True
    assert v.requires_grad


def test_integer_variables_never_require_grad():
    step = tf.Variable(0)
    assert step.trainable and not step.requires_grad
    step.assign_add(1)
    assert int(step) == 1


def test_callable_initial_value_and_missing_value():
    v = tf.Variable(lambda: torch.full((2,), 7.0))
    np.testing.assert_allclose(v.numpy(), [7.0, 7.0])
    with pytest.raises(ValueError, match="needs an initial_value"):
        tf.Variable()


def test_read_value_follows_gradients():
    v = tf.Variable(2.0)
    with tf.GradientTape() as tape:
        y = v.read_value() ** 2
    assert float(tape.gradient(y, v)) == 4.0


def test_deepcopy_and_pickle_keep_type_and_attributes():
    v = tf.Variable([1.0], name="x", trainable=False)
    for clone in (copy.deepcopy(v), pickle.loads(pickle.dumps(v))):
        assert isinstance(clone, tf.Variable)
        assert clone.name == "x:0" and not clone.trainable
        np.testing.assert_allclose(clone.numpy(), [1.0])


def test_float_and_numpy_of_grad_tensors():
    v = tf.Variable(3.0)
    loss = v * 2
    assert float(loss) == 6.0
    assert loss.numpy() == 6.0


def test_numpy_and_get_weights_are_copies_not_views():
    from tork import keras

    v = tf.Variable([1.0, 2.0])
    before = v.numpy()
    v.assign_add([1.0, 1.0])
    np.testing.assert_array_equal(before, [1.0, 2.0])
    layer = keras.layers.Dense(2, kernel_initializer="ones")
    layer.build((None, 2))
    saved = layer.get_weights()
    layer.kernel.assign(np.zeros((2, 2), "float32"))
    np.testing.assert_array_equal(saved[0], np.ones((2, 2)))


def test_assign_with_read_value_false_returns_none_as_tensorflow():
    v = tf.Variable([1.0, 2.0])
    assert v.assign([3.0, 4.0], read_value=False) is None
    assert v.assign_add([1.0, 1.0], read_value=False) is None
    assert v.assign_sub([2.0, 2.0], read_value=False) is None
    assert v.numpy().tolist() == [2.0, 3.0]
    assert v.assign([0.0, 0.0]) is v


def test_repr_matches_tensorflow_2_21():
    # Strings printed by TF 2.21 for the same variables.
    assert repr(tf.Variable(1.1, name="c")) == (
        "<tf.Variable 'c:0' shape=() dtype=float32, numpy=1.100000023841858>"
    )
    assert repr(tf.Variable(3, name="i")) == "<tf.Variable 'i:0' shape=() dtype=int32, numpy=3>"
    assert repr(tf.Variable([1, 2], name="b")) == (
        "<tf.Variable 'b:0' shape=(2,) dtype=int32, numpy=array([1, 2], dtype=int32)>"
    )
    assert repr(tf.Variable([[1.0, 2.0], [3.0, 4.0]], name="m")) == (
        "<tf.Variable 'm:0' shape=(2, 2) dtype=float32, numpy=\n"
        "array([[1., 2.],\n       [3., 4.]], dtype=float32)>"
    )


# -- names, scatter updates, flexible shapes (numbers from TF 2.21) ------------------------------


def test_unnamed_variables_are_called_variable_and_take_name_scopes():
    # TF 2.21 eager: 'Variable:0' every time (not made unique); scopes prefix the name.
    assert tf.Variable(1.0).name == "Variable:0"
    assert tf.Variable(1.0).name == "Variable:0"
    with tf.name_scope("outer"):
        assert tf.Variable(1.0, name="foo").name == "outer/foo:0"
        with tf.name_scope("inner"):
            assert tf.Variable(1.0).name == "outer/inner/Variable:0"
    assert tf.Variable(1.0, name="foo").name == "foo:0"


def test_aggregation_and_synchronization_are_kept():
    from tork.variables import VariableAggregation, VariableSynchronization

    v = tf.Variable(
        1.0,
        aggregation=VariableAggregation.MEAN,
        synchronization=VariableSynchronization.ON_READ,
    )
    assert v.aggregation is VariableAggregation.MEAN
    assert v.synchronization is VariableSynchronization.ON_READ
    # TF defaults: VariableAggregation.NONE, VariableSynchronization.AUTO.
    w = tf.Variable(1.0)
    assert w.aggregation is VariableAggregation.NONE
    assert w.synchronization is VariableSynchronization.AUTO


class _Slices:
    """Duck-typed tf.IndexedSlices (values, indices)."""

    def __init__(self, values, indices):
        self.values, self.indices = values, indices


def test_sparse_read_and_gather_nd():
    w = tf.Variable([1.0, 2.0, 3.0, 4.0])
    np.testing.assert_array_equal(w.sparse_read([1, 0, 1]).detach().numpy(), [2.0, 1.0, 2.0])
    np.testing.assert_array_equal(w.gather_nd([[1], [3]]).detach().numpy(), [2.0, 4.0])
    m = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    np.testing.assert_array_equal(m.gather_nd([[0, 1], [2, 0]]).detach().numpy(), [2.0, 5.0])
    np.testing.assert_array_equal(m.gather_nd([[2]]).detach().numpy(), [[5.0, 6.0]])


def test_scatter_family_matches_tensorflow():
    # Each line's expected value is what TF 2.21 printed for the same sequence.
    w = tf.Variable([1.0, 2.0, 3.0, 4.0])
    steps = [
        (lambda: w.scatter_update(_Slices([10.0, 20.0], [0, 2])), [10.0, 2.0, 20.0, 4.0]),
        (lambda: w.scatter_add(_Slices([1.0, 1.0], [0, 0])), [12.0, 2.0, 20.0, 4.0]),
        (lambda: w.scatter_sub(_Slices([1.0], [3])), [12.0, 2.0, 20.0, 3.0]),
        (lambda: w.scatter_max(_Slices([100.0, 0.0], [1, 2])), [12.0, 100.0, 20.0, 3.0]),
        (lambda: w.scatter_min(_Slices([-5.0, 50.0], [1, 2])), [12.0, -5.0, 20.0, 3.0]),
        (lambda: w.scatter_mul(_Slices([2.0, 3.0], [0, 0])), [72.0, -5.0, 20.0, 3.0]),
        (lambda: w.scatter_div(_Slices([4.0], [3])), [72.0, -5.0, 20.0, 0.75]),
        (lambda: w.scatter_nd_update([[1], [3]], [7.0, 8.0]), [72.0, 7.0, 20.0, 8.0]),
        (lambda: w.scatter_nd_add([[1], [1]], [1.0, 1.0]), [72.0, 9.0, 20.0, 8.0]),
        (lambda: w.scatter_nd_sub([[1]], [1.0]), [72.0, 8.0, 20.0, 8.0]),
        (lambda: w.scatter_nd_max([[0]], [1000.0]), [1000.0, 8.0, 20.0, 8.0]),
        (lambda: w.scatter_nd_min([[0]], [-1.0]), [-1.0, 8.0, 20.0, 8.0]),
    ]
    for step, expected in steps:
        assert step() is w
        np.testing.assert_array_equal(w.numpy(), expected)
    assert w.requires_grad and w.is_leaf and w.grad_fn is None


def test_scatter_on_rows_elements_and_integers():
    m = tf.Variable([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    m.scatter_update(_Slices([[9.0, 9.0]], [1]))
    m.scatter_max(_Slices([[0.0, 10.0], [7.0, 0.0]], [0, 2]))
    np.testing.assert_array_equal(m.numpy(), [[1.0, 10.0], [9.0, 9.0], [7.0, 6.0]])
    m.scatter_nd_update([[0, 0], [2, 1]], [-1.0, -2.0])
    m.scatter_nd_add([[1]], [[1.0, 1.0]])
    m.scatter_nd_max([[1, 0], [1, 0]], [3.0, 11.0])
    np.testing.assert_array_equal(m.numpy(), [[-1.0, 10.0], [11.0, 10.0], [7.0, -2.0]])
    iv = tf.Variable([10, 20, 30])
    iv.scatter_div(_Slices([3, 7], [0, 2]))
    iv.scatter_add(_Slices([1, 1], [1, 1]))
    np.testing.assert_array_equal(iv.numpy(), [3, 22, 4])
    b = tf.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    b.batch_scatter_update(_Slices([[50.0], [60.0]], [[1], [2]]))
    np.testing.assert_array_equal(b.numpy(), [[1.0, 50.0, 3.0], [4.0, 5.0, 60.0]])


def test_scatter_without_indexed_slices_names_the_method():
    w = tf.Variable([1.0, 2.0])
    with pytest.raises(TypeError, match=r"Variable.scatter_update expects a tf.IndexedSlices"):
        w.scatter_update([1.0])


def test_shape_with_none_lets_assign_change_the_shape():
    v = tf.Variable([1.0, 2.0], shape=tf.TensorShape(None))
    v.assign([1.0, 2.0, 3.0])
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0, 3.0])
    rows = tf.Variable([[1.0, 2.0]], shape=(None, 2))
    rows.assign([[1.0, 2.0], [3.0, 4.0]])
    assert rows.numpy().shape == (2, 2)
    with pytest.raises(ValueError, match=r"shape \(1, 3\) to variable"):
        rows.assign([[1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match=r"initial value has shape \(2,\), which does not fit"):
        tf.Variable([1.0, 2.0], shape=(3,))
    # Without `shape`, the shape is fixed (TF raises ValueError too).
    with pytest.raises(ValueError):
        tf.Variable([1.0, 2.0]).assign([1.0, 2.0, 3.0])


def test_initial_value_raises_as_eager_tensorflow():
    v = tf.Variable([1.0, 2.0])
    with pytest.raises(
        RuntimeError, match="^This property is not supported when eager execution is enabled.$"
    ):
        v.initial_value  # noqa: B018


def test_count_up_to_matches_tensorflow():
    c = tf.Variable(0)
    first, second = c.count_up_to(2), c.count_up_to(2)
    assert (int(first), int(second), int(c)) == (0, 1, 2)
    assert first.dtype == torch.int32
    with pytest.raises(tf.errors.OutOfRangeError, match="^Reached limit of 2$"):
        c.count_up_to(2)
    assert int(c) == 2
    with pytest.raises(tf.errors.InvalidArgumentError, match="must be int32 or int64, not float32"):
        tf.Variable(0.0).count_up_to(2)


def test_sliced_assign_matches_tensorflow():
    # Each step's expected value was printed by TF 2.21 for the same statements.
    v = tf.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    result = v[0].assign([7.0, 8.0, 9.0])
    assert result is v  # TF returns the (unread) variable
    np.testing.assert_array_equal(v.numpy(), [[7, 8, 9], [4, 5, 6]])
    v[1, 1:3].assign([0.0, 0.0])
    np.testing.assert_array_equal(v.numpy(), [[7, 8, 9], [4, 0, 0]])
    v[:, 0].assign([1.0, 1.0])
    np.testing.assert_array_equal(v.numpy(), [[1, 8, 9], [1, 0, 0]])
    v[..., 2].assign(5.0)
    np.testing.assert_array_equal(v.numpy(), [[1, 8, 5], [1, 0, 5]])
    v[-1].assign([1, 2, 3])
    np.testing.assert_array_equal(v.numpy(), [[1, 8, 5], [1, 2, 3]])
    v[::2].assign([[3.0, 2.0, 1.0]])
    np.testing.assert_array_equal(v.numpy(), [[3, 2, 1], [1, 2, 3]])
    v[None, 0].assign([[1.0, 2.0, 3.0]])
    np.testing.assert_array_equal(v.numpy(), [[1, 2, 3], [1, 2, 3]])
    assert v.dtype == torch.float32 and v.requires_grad


def test_sliced_assign_errors_and_plain_tensors():
    v = tf.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    with pytest.raises(
        tf.errors.InvalidArgumentError,
        match=r"^Cannot broadcast input shape \[2\] into final shape \[3\] \(assigning to a slice",
    ):
        v[0].assign([1.0, 2.0])
    # TF 2.21 has no assign_add/assign_sub on slices.
    assert not hasattr(v[0], "assign_add")
    # A slice of a slice has no `assign`, as in TF 2.21 (`v[0]` is a snapshot copy).
    with pytest.raises(AttributeError, match="has no attribute 'assign'"):
        v[0][1:].assign([7.0, 7.0])
    v[0, 1:].assign([7.0, 7.0])
    np.testing.assert_array_equal(v.numpy(), [[1, 7, 7], [4, 5, 6]])
    # Negative steps and index lists give copies in torch: they have no `assign` (TF 2.21
    # assigns through negative steps; tork does not).
    assert not hasattr(v[:, ::-1], "assign")
    assert not hasattr(v[[0, 1]], "assign")
    assert not hasattr((v * 1)[0], "assign")
    assert not hasattr(torch.zeros(2), "assign")
    assert not hasattr(v[0].detach(), "assign")
    with pytest.raises(AttributeError, match="'Tensor' object has no attribute 'assign'"):
        torch.ones(3).assign(1.0)


def test_sliced_assign_is_not_recorded_by_the_tape_and_keeps_tensors_plain():
    x = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(x * 2.0)
        x[0].assign(5.0)
    np.testing.assert_array_equal(x.numpy(), [5.0, 2.0, 3.0])
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [2.0, 2.0, 2.0])
    row = x[1:]
    assert type(row) is torch.Tensor and not row.__dict__
    # Nothing is attached to the slice: it pickles and copies as any tensor.
    loaded = pickle.loads(pickle.dumps(row.detach()))
    np.testing.assert_array_equal(loaded.numpy(), [2.0, 3.0])
    assert not copy.deepcopy(row.detach()).__dict__


def test_sliced_assign_and_assign_compile_with_torch_compile():
    import warnings

    v = tf.Variable([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])

    @tf.function(jit_compile=True)
    def step(x):
        v[0].assign(x)
        v.assign_add(tf.ones_like(v))
        return tf.reduce_sum(v)

    with warnings.catch_warnings():
        # `torch.Tensor.assign` must not make Dynamo give up ("could not compile").
        warnings.simplefilter("error", RuntimeWarning)
        for i in range(3):
            total = step(tf.constant([float(i)] * 3))
    # After the third call: row 0 is [2, 2, 2] + 1, row 1 is [4, 5, 6] + 3.
    np.testing.assert_array_equal(v.numpy(), [[3, 3, 3], [7, 8, 9]])
    assert float(total) == 33.0


# -- augmented assignment: TensorFlow variables have no in-place operators -------------
@pytest.mark.parametrize(
    "statement, message",
    [
        (
            "v += 2.0",
            "`variable += value` with `tf.Variable`s is not supported. Use "
            "`variable.assign_add(value)`",
        ),
        (
            "v -= 2.0",
            "`variable -= value` with `tf.Variable`s is not supported. Use "
            "`variable.assign_sub(value)`",
        ),
        (
            "v *= 2.0",
            "`var *= value` with `tf.Variable`s is not supported. Use `var.assign(var * value)`",
        ),
        (
            "v /= 2.0",
            "`var /= value` with `tf.Variable`s is not supported. Use `var.assign(var / value)`",
        ),
        (
            "v **= 2.0",
            "`var **= value` with `tf.Variable`s is not supported. Use `var.assign(var ** value)`",
        ),
    ],
)
@pytest.mark.parametrize("trainable", [True, False])
def test_augmented_assignment_raises_tf_error_and_leaves_variable(statement, message, trainable):
    v = tf.Variable([[3.0]], trainable=trainable)
    with pytest.raises(RuntimeError) as info:
        exec(statement, {"v": v})
    assert message in str(info.value)
    np.testing.assert_array_equal(v.numpy(), [[3.0]])


def test_augmented_floordiv_mod_matmul_rebind_to_new_tensor():
    # TF 2.21: `v //= 2.0` gives [[1.]], `v %= 2.0` [[1.]], `v @= [[2.]]` [[6.]], all
    # EagerTensors; the variable keeps its value.
    for statement, expected in [("v //= 2.0", 1.0), ("v %= 2.0", 1.0), ("v @= w", 6.0)]:
        v = tf.Variable([[3.0]])
        scope = {"v": v, "w": tf.constant([[2.0]])}
        exec(statement, scope)
        assert not isinstance(scope["v"], tf.Variable)
        np.testing.assert_allclose(scope["v"].detach().numpy(), [[expected]])
        np.testing.assert_array_equal(v.numpy(), [[3.0]])


def test_augmented_assignment_under_no_grad_is_torch_in_place():
    # PyTorch loops update parameters with `p -= lr * p.grad` under no_grad.
    v = tf.Variable([1.0, 2.0])
    w = tf.Variable([1.0], trainable=False)
    alias = v
    with torch.no_grad():
        v -= 0.5
        w += 1.0
    assert v is alias and isinstance(v, tf.Variable)
    np.testing.assert_allclose(alias.numpy(), [0.5, 1.5])
    np.testing.assert_allclose(w.numpy(), [2.0])


@pytest.mark.parametrize("value", [tf.constant(5.0), 5.0, [5.0]])
@pytest.mark.parametrize("trainable", [True, False])
def test_item_assignment_raises_tf_type_error(value, trainable):
    # TF 2.21: TypeError "'ResourceVariable' object does not support item assignment".
    v = tf.Variable([1.0, 2.0, 3.0], trainable=trainable)
    with pytest.raises(TypeError, match="'ResourceVariable' object does not support item "):
        v[1] = value
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0, 3.0])
    v[1].assign(7.0)
    np.testing.assert_array_equal(v.numpy(), [1.0, 7.0, 3.0])


def test_item_assignment_under_no_grad_is_torch_write():
    v = tf.Variable([1.0, 2.0])
    with torch.no_grad():
        v[0] = 9.0
    np.testing.assert_array_equal(v.numpy(), [9.0, 2.0])


@pytest.mark.parametrize("value", [["abc"], "abc"])
def test_string_variables_are_refused_with_the_alternative(value):
    with pytest.raises(TypeError, match=r"does not support string tf.Variables.*Python list"):
        tf.Variable(value, dtype=tf.string if isinstance(value, list) else None)
