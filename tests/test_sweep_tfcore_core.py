"""TensorFlow core behaviours found by the tfcore sweep of the TF core guides.

Expected values, types and messages are TF 2.21's (run with the same code).
"""

import numpy as np
import pytest
import torch

import tork as tf

# -- numpy() of a 0-d tensor is a NumPy scalar ------------------------------------------------


def test_numpy_of_scalar_tensor_is_numpy_scalar():
    # TF 2.21: tf.constant(3.5).numpy() -> np.float32(3.5); int32 -> np.int32; bool -> np.True_.
    value = tf.constant(3.5).numpy()
    assert type(value) is np.float32 and isinstance(value, np.floating)
    assert repr(value) == "np.float32(3.5)" and str(value) == "3.5"
    assert value.shape == () and value.dtype == np.float32
    assert type(tf.constant(3).numpy()) is np.int32
    assert tf.constant(True).numpy() is np.True_
    assert type(tf.Variable(2.0).numpy()) is np.float32
    # Arrays stay arrays.
    assert type(tf.constant([1.0, 2.0]).numpy()) is np.ndarray
    assert type(tf.Variable([1.0]).numpy()) is np.ndarray


def test_scalar_numpy_in_everyday_uses():
    t = tf.constant(3.5)
    assert float(t) == 3.5 and t.numpy().item() == 3.5
    stacked = np.array([t.numpy(), t.numpy()])
    assert stacked.dtype == np.float32 and stacked.tolist() == [3.5, 3.5]
    # A tensor that requires grad (a loss) too.
    w = torch.ones((), requires_grad=True)
    assert type((w * 2).numpy()) is np.float32
    # np.asarray/np.array of a 0-d tensor stay 0-d arrays (TF: array(1., dtype=float32)).
    array = np.asarray(tf.constant(1.0))
    assert type(array) is np.ndarray and array.shape == () and array.dtype == np.float32
    assert type(np.array(tf.constant(1.0))) is np.ndarray


def test_get_value_of_scalar_variable_is_numpy_scalar():
    # tf_keras 2.21: keras.backend.get_value(tf.Variable(2.0)) -> np.float32(2.0).
    assert type(tf.keras.backend.get_value(tf.Variable(2.0))) is np.float32


# -- print() of string tensors ---------------------------------------------------------------


def test_string_tensor_str_repr_and_format_match_tf():
    t = tf.constant("abc")
    assert str(t) == "tf.Tensor(b'abc', shape=(), dtype=string)"
    assert repr(t) == "<tf.Tensor: shape=(), dtype=string, numpy=b'abc'>"
    assert f"{t}" == "b'abc'"
    pair = tf.constant(["a", "bc"])
    assert str(pair) == "tf.Tensor([b'a' b'bc'], shape=(2,), dtype=string)"
    assert repr(pair) == (
        "<tf.Tensor: shape=(2,), dtype=string, numpy=array([b'a', b'bc'], dtype=object)>"
    )
    grid = tf.constant([["a", "b"], ["c", "d"]])
    assert str(grid) == "tf.Tensor(\n[[b'a' b'b']\n [b'c' b'd']], shape=(2, 2), dtype=string)"
    assert repr(grid) == (
        "<tf.Tensor: shape=(2, 2), dtype=string, numpy=\n"
        "array([[b'a', b'b'],\n       [b'c', b'd']], dtype=object)>"
    )
    # TF prints all 40 values (NumPy's default threshold), no "...".
    assert "..." not in str(tf.constant([["x"] * 40]))


# -- dtype checks of assign and tf.constant -----------------------------------------------------


def test_int_variable_rejects_python_float():
    v = tf.Variable(1)
    with pytest.raises(TypeError, match=r"^Cannot convert 2.7 to EagerTensor of dtype int32$"):
        v.assign(2.7)
    with pytest.raises(TypeError, match=r"^Cannot convert 1.5 to EagerTensor of dtype int32$"):
        v.assign_add(1.5)
    with pytest.raises(TypeError, match=r"Cannot convert \[1.5, 2\] to EagerTensor"):
        tf.Variable([1, 2]).assign([1.5, 2])
    with pytest.raises(TypeError, match="Cannot convert 1.0 to EagerTensor of dtype bool"):
        tf.Variable(True).assign(1.0)
    assert int(v) == 1
    # NumPy arrays are cast, as TF does (TF: numpy=2); ints into float variables are fine.
    assert int(v.assign(np.array(2.5))) == 2
    assert float(tf.Variable(1.0).assign(2)) == 2.0


def test_variable_assign_of_tensor_of_other_kind_raises():
    with pytest.raises(
        ValueError, match="Tensor conversion requested dtype int32 for Tensor with dtype float32"
    ):
        tf.Variable(1).assign(tf.constant(2.5))
    with pytest.raises(
        ValueError, match="Tensor conversion requested dtype float32 for Tensor with dtype int32"
    ):
        tf.Variable(1.0).assign_add(tf.constant(2))


def test_constant_does_not_cast_tensors_or_truncate_floats():
    with pytest.raises(
        TypeError, match=r"^Expected tensor 1 with dtype tf.float32, but got dtype tf.int32\."
    ):
        tf.constant(tf.constant(1), dtype=tf.float32)
    with pytest.raises(
        TypeError,
        match=r"^Expected tensor \[1. 2.\] with dtype tf.float16, but got dtype tf.float32\.",
    ):
        tf.constant(tf.constant([1.0, 2.0]), dtype=tf.float16)
    with pytest.raises(TypeError, match=r"^Cannot convert 1.5 to EagerTensor of dtype int32$"):
        tf.constant(1.5, dtype=tf.int32)
    with pytest.raises(TypeError, match=r"^Cannot convert \[1.5, 2\] to EagerTensor"):
        tf.constant([1.5, 2], dtype=tf.int32)
    # TF 2.21 does not turn Python ints into bools either (bools into numbers are fine).
    with pytest.raises(TypeError, match=r"^Cannot convert 1 to EagerTensor of dtype bool$"):
        tf.constant(1, dtype=tf.bool)
    with pytest.raises(TypeError, match=r"^Cannot convert 0 to EagerTensor of dtype bool$"):
        tf.Variable(True).assign(0)
    assert tf.constant(True, dtype=tf.int32).tolist() == 1
    # What TF accepts: same dtype, NumPy arrays (cast), ints for floats.
    assert tf.constant(tf.constant([1, 2]), dtype=tf.int32).tolist() == [1, 2]
    assert tf.constant(np.array([1.5]), dtype=tf.int32).tolist() == [1]
    assert tf.constant(1, dtype=tf.float32).dtype == torch.float32


# -- tf.function: variables only on the first call -------------------------------------------


_SINGLETON_MESSAGE = (
    "tf.function only supports singleton tf.Variables created on the first call. Make sure "
    "the tf.Variable is only created once or created outside tf.function."
)


def test_function_creating_variables_on_every_call_raises():
    @tf.function
    def f(x):
        v = tf.Variable(1.0)
        return v + x

    # TF raises on the first call (it traces twice), and on every call after it.
    with pytest.raises(ValueError, match=_SINGLETON_MESSAGE):
        f(tf.constant(1.0))
    with pytest.raises(ValueError, match=_SINGLETON_MESSAGE):
        f(tf.constant(2.0))


def test_function_creating_a_variable_once_is_fine():
    class M(tf.Module):
        def __init__(self):
            super().__init__()
            self.v = None

        @tf.function
        def __call__(self, x):
            if self.v is None:
                self.v = tf.Variable(2.0)
            return self.v * x

    m = M()
    assert float(m(tf.constant(1.0))) == 2.0
    assert m(tf.constant([1.0, 2.0])).tolist() == [2.0, 4.0]
    # Another instance has its own first call.
    assert float(M()(tf.constant(3.0))) == 6.0


def test_run_functions_eagerly_allows_variables_on_every_call():
    @tf.function
    def f(x):
        return tf.Variable(1.0) + x

    tf.config.run_functions_eagerly(True)
    try:
        f(1.0)
        assert float(f(2.0)) == 3.0
    finally:
        tf.config.run_functions_eagerly(False)


# -- no gradient through rounding ---------------------------------------------------------------


@pytest.mark.parametrize(
    "op",
    [
        tf.round,
        tf.floor,
        tf.math.ceil,
        tf.math.rint,
        lambda x: tf.round(x) * 2.0,
        lambda x: tf.math.floordiv(x, 2.0),
    ],
)
def test_rounding_ops_have_no_gradient(op):
    # TF 2.21: tape.gradient(...) is None through Round, Floor, Ceil, Rint and FloorDiv.
    x = tf.Variable([1.4, -2.6, 3.0])
    with tf.GradientTape() as tape:
        y = op(x)
    assert tape.gradient(y, x) is None


def test_rounding_values_and_other_paths_keep_gradients():
    x = tf.Variable([1.4, -2.6, 3.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.round(x) + 3.0 * x)
    assert tape.gradient(y, x).tolist() == [3.0, 3.0, 3.0]
    assert tf.round(x).tolist() == [1.0, -3.0, 3.0]
    assert tf.math.floordiv(x, 2.0).tolist() == [0.0, -2.0, 1.0]
    # floormod keeps its gradient (TF: [1, 1, 1]); sign's is zeros (TF: [0, 0, 0]).
    with tf.GradientTape(persistent=True) as tape:
        m = tf.math.floormod(x, 2.0)
        s = tf.sign(x)
    assert tape.gradient(m, x).tolist() == [1.0, 1.0, 1.0]
    assert tape.gradient(s, x).tolist() == [0.0, 0.0, 0.0]


# -- NumPy functions of tensors return arrays ---------------------------------------------------


def test_numpy_functions_of_tensors_return_arrays():
    t = tf.constant([[1.5, -2.5, 3.0]])
    for result in (
        np.squeeze(t),
        np.reshape(t, (3,)),
        np.reshape(t, -1),
        np.transpose(t),
        np.round(t),
        np.clip(t, 0, 1),
        np.repeat(t, 2),
        np.swapaxes(t, 0, 1),
        np.argsort(t),
        np.around(t, 1),
        np.squeeze(tf.Variable([[1.0, 2.0]])),
    ):
        assert type(result) is np.ndarray
    assert np.squeeze(t).tolist() == [1.5, -2.5, 3.0]
    assert np.round(t).tolist() == [[2.0, -2.0, 3.0]]
    # TF 2.21's answers, where torch's methods of the same name answer differently.
    assert np.size(t) == 3
    assert [a.tolist() for a in np.nonzero(t)] == [[0, 0, 0], [0, 1, 2]]
    assert np.argwhere(t).tolist() == [[0, 0], [0, 1], [0, 2]]
    assert np.concatenate([t, t]).shape == (2, 3)
    assert np.mean(t, axis=1).tolist() == [np.float32(2.0) / np.float32(3.0)]


def test_numpy_ufuncs_with_tensors_keep_gradients():
    # Deliberate (see __array_ufunc__): `v - y_numpy` stays a tensor on the tape.
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(np.subtract(v, np.array([1.0, 1.0])) ** 2)
    assert tape.gradient(loss, v).tolist() == [0.0, 2.0]


# -- tf.function signatures ----------------------------------------------------------------------

# TF 2.21's text for the intro_to_graphs guide's `my_relu` after its five calls.
_MY_RELU_SIGNATURES = """Input Parameters:
  x (POSITIONAL_OR_KEYWORD): TensorSpec(shape=(), dtype=tf.float32, name=None)
Output Type:
  TensorSpec(shape=(), dtype=tf.float32, name=None)
Captures:
  None

Input Parameters:
  x (POSITIONAL_OR_KEYWORD): List[Literal[1], Literal[-1]]
Output Type:
  TensorSpec(shape=(2,), dtype=tf.float32, name=None)
Captures:
  None

Input Parameters:
  x (POSITIONAL_OR_KEYWORD): TensorSpec(shape=(2,), dtype=tf.float32, name=None)
Output Type:
  TensorSpec(shape=(2,), dtype=tf.float32, name=None)
Captures:
  None"""


def test_pretty_printed_concrete_signatures_of_the_graphs_guide():
    @tf.function
    def my_relu(x):
        return tf.maximum(0.0, x)

    my_relu(tf.constant(5.5))
    my_relu([1, -1])
    my_relu(tf.constant([3.0, -3.0]))
    my_relu(tf.constant(-2.5))
    my_relu(tf.constant([-1.0, 1.0]))
    assert my_relu.pretty_printed_concrete_signatures() == _MY_RELU_SIGNATURES


def test_pretty_printed_signatures_of_defaults_keywords_and_nested_outputs():
    @tf.function
    def f(a, b=None, *, c=3, flag=True):
        return (a, [a * 2], {"z": a}, None, 1)

    f(tf.constant([1, 2]))
    spec = "TensorSpec(shape=(2,), dtype=tf.int32, name=None)"
    scalar = "TensorSpec(shape=(), dtype=tf.int32, name=None)"
    # TF 2.21's text.
    assert f.pretty_printed_concrete_signatures() == (
        "Input Parameters:\n"
        f"  a (POSITIONAL_OR_KEYWORD): {spec}\n"
        "  b (POSITIONAL_OR_KEYWORD): Literal[None]\n"
        "  c (KEYWORD_ONLY): Literal[3]\n"
        "  flag (KEYWORD_ONLY): Literal[True]\n"
        "Output Type:\n"
        f"  Tuple[{spec}, List[{spec}], Dict[['z', {spec}]], Literal[None], {scalar}]\n"
        "Captures:\n"
        "  None"
    )

    @tf.function
    def h(a, b):
        return {"s": a + b}

    h(tf.constant([[1.0]]), tf.constant([[2.0]]))
    one = "TensorSpec(shape=(1, 1), dtype=tf.float32, name=None)"
    assert h.pretty_printed_concrete_signatures(verbose=False) == (
        f"(a: {one}, b: {one}) -> Dict[['s', {one}]]"
    )


def test_input_signature_functions_list_their_specs():
    @tf.function(input_signature=[tf.TensorSpec([None, 2], tf.float32, name="inp")])
    def h(x):
        return tf.reduce_sum(x)

    parameters = (
        "Input Parameters:\n"
        "  x (POSITIONAL_OR_KEYWORD): TensorSpec(shape=(None, 2), dtype=tf.float32, name='inp')\n"
    )
    # Before any call tork cannot know the output type (TF traces); after one it can.
    assert h.pretty_printed_concrete_signatures().startswith(parameters)
    h(tf.ones((3, 2)))
    assert h.pretty_printed_concrete_signatures() == (
        parameters + "Output Type:\n  TensorSpec(shape=(), dtype=tf.float32, name=None)\n"
        "Captures:\n  None"
    )
    concrete = h.get_concrete_function()
    assert type(concrete).__name__ == "ConcreteFunction"
    assert str(concrete).startswith("ConcreteFunction " + parameters)
    assert repr(concrete).startswith(
        "<ConcreteFunction (x: TensorSpec(shape=(None, 2), dtype=tf.float32, name='inp')) -> "
        "TensorSpec(shape=(), dtype=tf.float32, name=None) at 0X"
    )
    assert float(concrete(tf.ones((2, 2)))) == 4.0


# -- tf.Module's collections are tuples ----------------------------------------------------------


def test_module_variables_and_submodules_are_tuples():
    class M(tf.Module):
        def __init__(self):
            super().__init__()
            self.v = tf.Variable(1.0)
            self.frozen = tf.Variable(2.0, trainable=False)
            self.child = tf.Module()

    m = M()
    # TF 2.21: tuple for tf.Module; tf_keras layers keep lists (except submodules).
    assert type(m.variables) is tuple and len(m.variables) == 2
    assert type(m.trainable_variables) is tuple and type(m.non_trainable_variables) is tuple
    assert type(m.submodules) is tuple and len(m.submodules) == 1
    layer = tf.keras.layers.Dense(2)
    layer.build((None, 2))
    assert type(layer.variables) is list and type(layer.trainable_variables) is list
    assert type(layer.submodules) is tuple
    with tf.GradientTape() as tape:
        loss = m.v * 3.0
    assert type(tape.gradient(loss, m.trainable_variables)) is tuple


# -- tapes: tensors computed before the tape were never watched -----------------------------------


def test_tensor_computed_before_the_tape_gets_no_gradient():
    # The autodiff guide's "x2 = tf.Variable(2.0) + 1.0" (TF 2.21: None, and
    # watched_variables() lists only x0).
    x0 = tf.Variable(3.0, name="x0")
    x1 = tf.Variable(3.0, name="x1", trainable=False)
    x2 = tf.Variable(2.0, name="x2") + 1.0
    x3 = tf.constant(3.0, name="x3")
    with tf.GradientTape() as tape:
        y = (x0**2) + (x1**2) + (x2**2)
    grad = tape.gradient(y, [x0, x1, x2, x3])
    assert float(grad[0]) == 6.0 and grad[1] is None and grad[2] is None and grad[3] is None
    assert [v.name for v in tape.watched_variables()] == ["x0:0"]


def test_variable_replaced_by_a_tensor_in_a_loop():
    # The guide's loop: the first epoch gets 1.0 for the variable, the second None.
    x = tf.Variable(2.0)
    results = []
    for _ in range(2):
        with tf.GradientTape() as tape:
            y = x + 1
        results.append(tape.gradient(y, x))
        x = x + 1
    assert float(results[0]) == 1.0 and results[1] is None


def test_tensors_computed_or_watched_in_the_tape_still_get_gradients():
    x = tf.constant(3.0)
    before = tf.Variable(2.0) * 1.0
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        tape.watch(before)
        y = x * x
        z = y * y + before * 5.0
    assert float(tape.gradient(z, y)) == 18.0
    assert float(tape.gradient(z, x)) == 108.0
    assert float(tape.gradient(z, before)) == 5.0
