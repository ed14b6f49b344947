"""tf.function: decorator forms, method binding, eager results, jit_compile, tracebacks."""

import gc
import inspect
import traceback
import types
import weakref

import numpy as np
import pytest
import torch

import tork as tf
from tork.function import Function, function
from tork.tape import GradientTape


def _poly(x, y):
    """Squares x and adds y."""
    return x**2 + y


# -- decorator forms ----------------------------------------------------------------------


def test_decorator_forms_keep_name_and_doc():
    plain = function(_poly)

    @function
    def bare(x, y):
        """Squares x and adds y."""
        return x**2 + y

    @function()
    def called(x, y):
        return x**2 + y

    @function(jit_compile=False, autograph=False, reduce_retracing=True)
    def with_args(x, y):
        return x**2 + y

    x, y = torch.tensor([2, 3]), torch.tensor([3, -2])
    for f in (plain, bare, called, with_args):
        assert isinstance(f, Function)
        assert f(x, y).tolist() == [7, 7]
    assert plain.__name__ == "_poly" and plain.__doc__ == "Squares x and adds y."
    assert bare.__name__ == "bare" and bare.__doc__ == "Squares x and adds y."
    assert plain.python_function is _poly and plain.__wrapped__ is _poly
    assert list(inspect.signature(plain).parameters) == ["x", "y"]


def test_non_callable_raises():
    with pytest.raises(TypeError, match="tf.function expects a callable, got int"):
        function(3)


def test_results_equal_eager_with_control_flow():
    def f(x):
        if x.sum() > 0:
            return x * x
        return -x // 2

    tf_f = function(f)
    for value in ([1, 2], [-2, -3]):
        x = torch.tensor(value)
        assert tf_f(x).tolist() == f(x).tolist()
    assert tf_f(torch.tensor([-2])).tolist() == [1]  # -(-2) // 2


def test_python_side_effects_run_on_every_call():
    # Documented difference from TensorFlow, which runs them only while tracing.
    calls = []

    @function
    def f(x):
        calls.append(1)
        return x + 1

    for _ in range(3):
        f(torch.tensor(1.0))
    assert len(calls) == 3


def test_variables_and_tape_inside_function():
    w = tf.Variable([1.0, 2.0])

    @function
    def train_step(x):
        with GradientTape() as tape:
            loss = ((w * x) ** 2).sum()
        grads = tape.gradient(loss, [w])
        w.assign_sub(0.1 * grads[0])
        return loss

    x = tf.constant([1.0, -1.0])
    loss = train_step(x)
    assert loss.item() == pytest.approx(5.0)
    # grad = 2 w x^2 = [2, 4]
    np.testing.assert_allclose(w.numpy(), [1.0 - 0.2, 2.0 - 0.4], rtol=1e-6)


# -- methods --------------------------------------------------------------------------------


class _Scaler(torch.nn.Module):
    def __init__(self, scale):
        super().__init__()
        self.scale = scale

    @function
    def call(self, x, training=None):
        """Scales x."""
        return x * self.scale + (1.0 if training else 0.0)


def test_method_binds_to_instance():
    a, b = _Scaler(2.0), _Scaler(3.0)
    x = torch.tensor([1.0, 2.0])
    assert a.call(x).tolist() == [2.0, 4.0]
    assert b.call(x, training=True).tolist() == [4.0, 7.0]
    assert a.call is a.call  # one Function per instance
    assert a.call is not b.call
    assert isinstance(_Scaler.call, Function)
    assert _Scaler.call(a, x).tolist() == [2.0, 4.0]
    assert a.call.__doc__ == "Scales x."
    assert list(inspect.signature(a.call).parameters) == ["x", "training"]
    bound = a.call.python_function
    assert isinstance(bound, types.MethodType) and bound.__self__ is a


def test_method_function_does_not_keep_instance_alive():
    s = _Scaler(2.0)
    s.call(torch.tensor(1.0))
    ref = weakref.ref(s)
    del s
    gc.collect()
    assert ref() is None


def test_bound_function_of_collected_instance_raises_clearly():
    s = _Scaler(2.0)
    f = s.call
    del s
    gc.collect()
    with pytest.raises(ReferenceError, match="bound to an object that no longer exists"):
        f(torch.tensor(1.0))


def test_per_instance_tracing_counts():
    a, b = _Scaler(2.0), _Scaler(3.0)
    a.call(torch.ones(2))
    a.call(torch.ones(3))
    b.call(torch.ones(2))
    assert a.call.experimental_get_tracing_count() == 2
    assert b.call.experimental_get_tracing_count() == 1


# -- tracing counts ----------------------------------------------------------------------------


def test_tracing_count_follows_tf_retracing_rules():
    @function
    def f(x, n):
        return x * n

    f(torch.ones(2), 1)  # trace 1
    f(torch.zeros(2), 1)  # same shape and dtype, same Python value: no trace
    f(torch.ones(2), 2)  # new Python value: trace 2
    f(torch.ones(3), 2)  # new shape: trace 3
    f(torch.ones(3, dtype=torch.float64), 2)  # new dtype: trace 4
    f(torch.ones(3), 2)  # seen: no trace
    f(torch.ones(2), 2.0)  # float 2.0 differs from int 2: trace 5
    assert f.experimental_get_tracing_count() == 5


def test_reduce_retracing_relaxes_shapes():
    @function(reduce_retracing=True)
    def f(x):
        return x + 1

    for n in (1, 2, 3, 4):
        f(torch.ones(n))
    assert f.experimental_get_tracing_count() == 2  # exact shape, then (None,)
    f(torch.ones(2, 2))  # new rank: trace 3
    assert f.experimental_get_tracing_count() == 3


def test_experimental_relax_shapes_alias():
    @function(experimental_relax_shapes=True)
    def f(x):
        return x

    for n in (1, 2, 3):
        f(torch.ones(n))
    assert f.experimental_get_tracing_count() == 2


def test_nested_and_keyword_arguments_count_by_structure():
    @function
    def f(xs, scale=1.0):
        return [x * scale for x in xs]

    f([torch.ones(2), torch.ones(3)])
    f([torch.zeros(2), torch.zeros(3)])
    f([torch.ones(2), torch.ones(3)], scale=2.0)
    f([torch.ones(2)], scale=2.0)
    assert f.experimental_get_tracing_count() == 3


# -- input_signature ---------------------------------------------------------------------------


class _Spec:
    """A minimal tf.TensorSpec stand-in (shape and dtype)."""

    def __init__(self, shape, dtype):
        self.shape = shape
        self.dtype = dtype

    def __repr__(self):
        return f"Spec({self.shape}, {self.dtype})"


def test_input_signature_converts_and_checks():
    @function(input_signature=[_Spec([None, 2], torch.float32)])
    def f(x):
        return x.sum(dim=1)

    assert f([[1.0, 2.0], [3.0, 4.0]]).tolist() == [3.0, 7.0]  # Python input converted
    assert f(torch.ones(3, 2)).tolist() == [2.0, 2.0, 2.0]
    assert f(x=torch.ones(1, 2)).tolist() == [2.0]
    assert f.experimental_get_tracing_count() == 1
    with pytest.raises(ValueError, match=r"argument 0 has shape \(3, 3\).*expects \(None, 2\)"):
        f(torch.ones(3, 3))
    with pytest.raises(
        ValueError,
        match=r"has dtype float64.*expects float32\. Cast it with tf\.cast\(x, tf\.float32\)",
    ):
        f(torch.ones(1, 2, dtype=torch.float64))
    with pytest.raises(TypeError, match="called with 2 argument.*input_signature has 1"):
        f(torch.ones(1, 2), torch.ones(1, 2))
    # TF 2.21 raises TypeError for a mismatch, earlier TF 2 ValueError: both catch it.
    with pytest.raises(TypeError, match=r"argument 0 has shape \(3, 3\)"):
        f(torch.ones(3, 3))


def test_get_concrete_function():
    f = function(_poly)
    concrete = f.get_concrete_function(torch.tensor(2.0), torch.tensor(1.0))
    assert concrete(torch.tensor(3.0), torch.tensor(1.0)).item() == 10.0
    assert f.experimental_get_tracing_count() == 1
    spec_concrete = f.get_concrete_function(_Spec([], torch.float32), _Spec([], torch.float32))
    assert spec_concrete(torch.tensor(1.0), torch.tensor(1.0)).item() == 2.0


# -- jit_compile ---------------------------------------------------------------------------------


@pytest.mark.slow
def test_jit_compile_same_numbers():
    torch._dynamo.reset()

    @function(jit_compile=True)
    def f(x, w):
        return torch.tanh(x @ w).sum(dim=1) * 2.0

    rng = np.random.default_rng(0)
    x, w = rng.normal(size=(4, 3)), rng.normal(size=(3, 2))
    got = f(torch.tensor(x, dtype=torch.float32), torch.tensor(w, dtype=torch.float32))
    np.testing.assert_allclose(got.numpy(), np.tanh(x @ w).sum(axis=1) * 2.0, rtol=1e-5)


def _fake_compile(record, behaviour):
    def compile_(fn, *args, **kwargs):
        record.append(fn)
        if behaviour == "raise_now":
            raise RuntimeError("no compiler here")
        if behaviour == "raise_on_call":

            def compiled(*a, **k):
                raise _FakeDynamoError("backend exploded")

            return compiled
        return fn

    return compile_


class _FakeDynamoError(RuntimeError):
    pass


_FakeDynamoError.__module__ = "torch._dynamo.exc"


def test_jit_compile_uses_torch_compile_lazily(monkeypatch):
    record = []
    monkeypatch.setattr(torch, "compile", _fake_compile(record, "ok"))
    f = function(_poly, jit_compile=True)
    assert record == []
    assert f(torch.tensor(2.0), torch.tensor(1.0)).item() == 5.0
    f(torch.tensor(3.0), torch.tensor(1.0))
    assert record == [_poly]  # compiled once, on the second call (the first runs eagerly)


def test_experimental_compile_alias(monkeypatch):
    record = []
    monkeypatch.setattr(torch, "compile", _fake_compile(record, "ok"))
    f = function(_poly, experimental_compile=True)
    f(torch.tensor(2.0), torch.tensor(1.0))  # the first call runs eagerly
    f(torch.tensor(2.0), torch.tensor(1.0))
    assert record == [_poly]


def test_run_functions_eagerly_skips_compilation(monkeypatch):
    record = []
    monkeypatch.setattr(torch, "compile", _fake_compile(record, "ok"))
    tf.config.run_functions_eagerly(True)
    try:
        f = function(_poly, jit_compile=True)
        assert f(torch.tensor(2.0), torch.tensor(1.0)).item() == 5.0
        assert record == []
    finally:
        tf.config.run_functions_eagerly(False)


@pytest.mark.parametrize("behaviour", ["raise_now", "raise_on_call"])
def test_compile_failure_falls_back_to_eager_with_warning(monkeypatch, behaviour):
    record = []
    monkeypatch.setattr(torch, "compile", _fake_compile(record, behaviour))
    f = function(_poly, jit_compile=True)
    assert f(torch.tensor(1.0), torch.tensor(1.0)).item() == 2.0  # the first call runs eagerly
    with pytest.warns(RuntimeWarning, match="could not compile `_poly`.*runs eagerly"):
        assert f(torch.tensor(2.0), torch.tensor(1.0)).item() == 5.0
    assert f(torch.tensor(3.0), torch.tensor(1.0)).item() == 10.0
    assert len(record) == 1  # not retried


def test_user_error_under_jit_is_not_swallowed(monkeypatch):
    record = []
    monkeypatch.setattr(torch, "compile", _fake_compile(record, "ok"))

    @function(jit_compile=True)
    def f(x):
        raise ValueError("bad input from user code")

    with pytest.raises(ValueError, match="bad input from user code"):
        f(torch.tensor(1.0))


def test_method_jit_compiles_per_instance(monkeypatch):
    record = []
    monkeypatch.setattr(torch, "compile", _fake_compile(record, "ok"))

    class Model:
        def __init__(self, w):
            self.w = w

        @function(jit_compile=True)
        def run(self, x):
            return x * self.w

    a, b = Model(2.0), Model(3.0)
    assert a.run(torch.tensor(1.0)).item() == 2.0
    assert a.run(torch.tensor(2.0)).item() == 4.0
    assert b.run(torch.tensor(1.0)).item() == 3.0
    assert b.run(torch.tensor(1.0)).item() == 3.0
    assert len(record) == 2


# -- errors show the user's line ----------------------------------------------------------------


def test_error_traceback_shows_user_line():
    @function
    def f(x, w):
        return x @ w  # the failing line

    with pytest.raises(RuntimeError) as info:
        f(torch.ones(2, 3), torch.ones(2, 3))
    frames = traceback.extract_tb(info.value.__traceback__)
    assert any(frame.line == "return x @ w  # the failing line" for frame in frames)
    assert frames[-1].name == "f"


def test_raised_exception_is_the_users_own():
    class MyError(Exception):
        pass

    @function
    def f():
        raise MyError("custom")

    with pytest.raises(MyError, match="custom") as info:
        f()
    assert traceback.extract_tb(info.value.__traceback__)[-1].line == 'raise MyError("custom")'


def test_string_tensor_arguments_trace_and_run():
    # TF 2.21: double(tf.constant("a")) traces once for tf.string and returns b"aa".
    @function
    def double(a):
        return a + a

    assert double(tf.constant("a")).numpy() == b"aa"
    assert double(tf.constant(["x", "y"])).numpy().tolist() == [b"xx", b"yy"]


@pytest.mark.slow
def test_jit_compile_traces_patched_slices_and_reflected_operators_natively():
    # tork patches Tensor.__getitem__ (negative steps) and the reflected operators
    # (lists on the left); Dynamo must still trace them natively inside a compiled step
    # (a call of the C method from the patch is a graph break, with a warning).
    import warnings

    torch._dynamo.reset()
    w = tf.Variable(tf.ones([3, 2]))

    @function(jit_compile=True)
    def step(x):
        with tf.GradientTape() as tape:
            hidden = tf.maximum(x @ w, 2.0)
            # After a graph break Dynamo traces the resumed code differently; the
            # patched methods must hold up there too.
            torch._dynamo.graph_break()
            y = tf.reduce_sum(hidden) + tf.reduce_sum(x[:, 1:]) + 2 * tf.reduce_sum(x[0])
        return tape.gradient(y, w)

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        grads = [step(tf.ones([4, 3])) for _ in range(2)]
    breaks = [str(c.message) for c in caught if "Dynamo does not know" in str(c.message)]
    assert breaks == []
    np.testing.assert_allclose(grads[1].numpy(), np.full((3, 2), 4.0))


def test_augmented_assignment_does_not_write_into_the_callers_tensor():
    # TF's tensors are immutable; a same-size resize or same-dtype cast returns its input
    # in tork, so `img /= 255.0` would otherwise divide the caller's tensor.
    @tf.function
    def prep(img):
        img = tf.image.resize(img, (4, 4))
        img /= 255.0
        return img

    def subtract_one(m):
        m -= 1
        return m

    @tf.function
    def through_helper(a):
        return subtract_one(tf.cast(a, tf.float32))

    x = tf.ones((1, 4, 4, 3)) * 255.0
    np.testing.assert_allclose(prep(x).numpy(), np.ones((1, 4, 4, 3)))
    np.testing.assert_allclose(x.numpy(), np.full((1, 4, 4, 3), 255.0))
    a = tf.constant([1.0, 2.0])
    np.testing.assert_allclose(through_helper(a).numpy(), [0.0, 1.0])
    np.testing.assert_allclose(a.numpy(), [1.0, 2.0])
