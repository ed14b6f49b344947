"""tf.GradientTape semantics, checked against analytic derivatives and finite differences."""

import collections
import gc
import warnings

import numpy as np
import pytest
import torch

import tork as tf
from tork._backend.device import current_device
from tork.tape import GradientTape, UnconnectedGradients


def _t(value, dtype=torch.float32):
    return torch.tensor(value, dtype=dtype)


def _numeric_grad(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central finite differences of scalar f at x (float64)."""
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[i] = eps
        grad[i] = (f(x + step) - f(x - step)) / (2 * eps)
    return grad


def _numeric_jacobian(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central finite differences of array-valued f: shape f(x).shape + x.shape."""
    y0 = f(x)
    jac = np.zeros(y0.shape + x.shape)
    for i in np.ndindex(x.shape):
        step = np.zeros_like(x)
        step[i] = eps
        jac[(...,) + i] = (f(x + step) - f(x - step)) / (2 * eps)
    return jac


# -- watching -------------------------------------------------------------------------


def test_watched_constant_gets_gradient():
    x = _t(3.0)
    with GradientTape() as tape:
        tape.watch(x)
        y = x * x
    assert tape.gradient(y, x).item() == pytest.approx(6.0)


def test_unwatched_constant_gives_none():
    x = _t(3.0)
    with GradientTape() as tape:
        y = x * x
    assert tape.gradient(y, x) is None


def test_watch_is_undone_after_gradient():
    x = _t([1.0, 2.0])
    with GradientTape() as tape:
        tape.watch(x)
        y = (x * x).sum()
    assert x.requires_grad  # needed by the gradient call
    tape.gradient(y, x)
    assert not x.requires_grad
    np.testing.assert_array_equal(x.numpy(), [1.0, 2.0])  # usable as a constant again


def test_persistent_tape_watch_is_undone_when_tape_is_collected():
    x = _t(2.0)
    with GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
    tape.gradient(y, x)
    assert x.requires_grad
    del tape, y
    gc.collect()
    assert not x.requires_grad


def test_trainable_variable_is_watched_automatically():
    w = tf.Variable([1.0, -2.0, 3.0])
    with GradientTape() as tape:
        loss = (w**3).sum()
    np.testing.assert_allclose(tape.gradient(loss, w).numpy(), 3 * np.array([1.0, 4.0, 9.0]))


def test_non_trainable_variable_needs_watch():
    v = tf.Variable(2.0, trainable=False)
    with GradientTape() as tape:
        y = v * v
    assert tape.gradient(y, v) is None

    with GradientTape() as tape:
        tape.watch(v)
        y = v * v * v
    assert tape.gradient(y, v).item() == pytest.approx(12.0)
    assert v.trainable is False and not v.requires_grad


def test_watch_accessed_variables_false_only_explicit_watches():
    x = tf.Variable(2.0)
    w = tf.Variable(5.0)
    with GradientTape(watch_accessed_variables=False, persistent=True) as tape:
        tape.watch(x)
        y = x**2
        z = w**3
    assert tape.gradient(y, x).item() == pytest.approx(4.0)
    assert tape.gradient(z, w) is None
    assert tape.watched_variables() == [x]


def test_watch_integer_tensor_warns_and_gives_none():
    x = torch.tensor(3, dtype=torch.int32)
    with GradientTape() as tape:
        with pytest.warns(UserWarning, match="must be floating"):
            tape.watch(x)
        y = x * x
    assert tape.gradient(y, x) is None


def test_integer_source_gives_none_and_zero():
    x = torch.tensor([1, 2], dtype=torch.int32)
    w = tf.Variable(1.0)
    with GradientTape(persistent=True) as tape:
        y = w * 2.0
    assert tape.gradient(y, x) is None
    zero = tape.gradient(y, x, unconnected_gradients="zero")
    assert zero.dtype == torch.int32 and zero.tolist() == [0, 0]


def test_watch_nest_of_tensors():
    a, b = _t(1.0), _t(2.0)
    with GradientTape() as tape:
        tape.watch({"a": a, "b": [b]})
        y = a * b
    ga, gb = tape.gradient(y, [a, b])
    assert (ga.item(), gb.item()) == (2.0, 1.0)


def test_watch_rejects_non_tensors():
    with GradientTape() as tape:
        with pytest.raises(ValueError, match="expects tensors or variables, got float"):
            tape.watch(3.0)


def test_tape_records_inside_no_grad():
    x = _t(3.0)
    with torch.no_grad():
        with GradientTape() as tape:
            tape.watch(x)
            y = x * x
        assert not torch.is_grad_enabled()
    assert tape.gradient(y, x).item() == pytest.approx(6.0)


# -- reuse and persistence --------------------------------------------------------------


def test_non_persistent_tape_second_use_raises():
    x = _t(3.0)
    with GradientTape() as tape:
        tape.watch(x)
        y = x * x
    tape.gradient(y, x)
    with pytest.raises(
        RuntimeError,
        match=r"A non-persistent GradientTape can only be used to compute one set of "
        r"gradients \(or jacobians\)",
    ):
        tape.gradient(y, x)
    with pytest.raises(RuntimeError, match="non-persistent GradientTape"):
        tape.jacobian(y, x)


def test_persistent_tape_allows_repeated_gradients():
    x = _t(3.0)
    with GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = y * y
    assert tape.gradient(z, x).item() == pytest.approx(108.0)  # 4 x^3
    assert tape.gradient(y, x).item() == pytest.approx(6.0)  # 2 x
    assert tape.gradient(z, x).item() == pytest.approx(108.0)


def test_entering_a_recording_tape_twice_raises():
    tape = GradientTape()
    with tape:
        with pytest.raises(ValueError, match="already recording"):
            tape.__enter__()


def test_two_tapes_sharing_a_graph_both_compute():
    # The DCGAN pattern: one `with` holds both tapes, the losses share ops.
    g = tf.Variable([0.5, -1.0])
    d = tf.Variable([2.0, 3.0])
    with GradientTape() as gen_tape, GradientTape() as disc_tape:
        fake = torch.tanh(g)
        fake_out = (fake * d).sum()
        gen_loss = -fake_out
        disc_loss = fake_out + (d * d).sum()
    g_grad = gen_tape.gradient(gen_loss, [g])[0]
    d_grad = disc_tape.gradient(disc_loss, [d])[0]
    gn, dn = np.array([0.5, -1.0]), np.array([2.0, 3.0])
    np.testing.assert_allclose(g_grad.numpy(), -dn * (1 - np.tanh(gn) ** 2), rtol=1e-6)
    np.testing.assert_allclose(d_grad.numpy(), np.tanh(gn) + 2 * dn, rtol=1e-6)


# -- unconnected gradients ----------------------------------------------------------------


def test_unconnected_source_none_or_zero():
    x = tf.Variable([1.0, 2.0])
    u = tf.Variable([[1.0, 2.0, 3.0]])
    with GradientTape(persistent=True) as tape:
        y = (x * 2.0).sum()
    assert tape.gradient(y, [x, u])[1] is None
    for mode in ("zero", UnconnectedGradients.ZERO):
        gz = tape.gradient(y, [x, u], unconnected_gradients=mode)[1]
        assert gz.shape == (1, 3) and gz.abs().sum().item() == 0.0
    assert tape.gradient(y, u, unconnected_gradients=UnconnectedGradients.NONE) is None


def test_unknown_unconnected_gradients_value():
    x = tf.Variable(1.0)
    with GradientTape() as tape:
        y = x * 2.0
    with pytest.raises(ValueError, match="Unknown value for unconnected_gradients: 'zeros'"):
        tape.gradient(y, x, unconnected_gradients="zeros")


def test_constant_target_gives_none():
    x = tf.Variable(1.0)
    with GradientTape() as tape:
        y = _t(5.0)
    assert tape.gradient(y, x) is None


# -- structures, targets and weights ---------------------------------------------------------


def test_sources_structure_is_mirrored():
    a = tf.Variable(1.0)
    b = tf.Variable(2.0)
    c = tf.Variable(3.0)
    Pair = collections.namedtuple("Pair", ["first", "second"])
    with GradientTape(persistent=True) as tape:
        y = a * b * c
    as_dict = tape.gradient(y, {"z": a, "y": [b, (c,)]})
    assert set(as_dict) == {"z", "y"}
    assert as_dict["z"].item() == 6.0
    assert isinstance(as_dict["y"], list) and isinstance(as_dict["y"][1], tuple)
    assert as_dict["y"][0].item() == 3.0 and as_dict["y"][1][0].item() == 2.0
    as_tuple = tape.gradient(y, (a, b))
    assert isinstance(as_tuple, tuple) and [g.item() for g in as_tuple] == [6.0, 3.0]
    as_list = tape.gradient(y, [c])
    assert isinstance(as_list, list) and as_list[0].item() == 2.0
    as_pair = tape.gradient(y, Pair(a, c))
    assert isinstance(as_pair, Pair) and as_pair.second.item() == 2.0
    single = tape.gradient(y, b)
    assert isinstance(single, torch.Tensor) and single.item() == 3.0


def test_gradients_are_plain_tensors():
    w = tf.Variable([1.0, 2.0])
    with GradientTape() as tape:
        y = (w * w).sum()
    (g,) = tape.gradient(y, [w])
    assert type(g) is torch.Tensor and not g.requires_grad


def test_non_scalar_target_is_summed():
    x = _t([1.0, 2.0, 3.0])
    with GradientTape() as tape:
        tape.watch(x)
        y = x**2  # d sum(y)/dx = 2x
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [2.0, 4.0, 6.0])


def test_list_of_targets_is_summed():
    x = _t(2.0)
    with GradientTape() as tape:
        tape.watch(x)
        y1 = x**2
        y2 = x**3
    assert tape.gradient([y1, y2], x).item() == pytest.approx(2 * 2.0 + 3 * 4.0)


def test_output_gradients_weight_targets():
    x = _t([1.0, 2.0])
    with GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x**2
        z = 3.0 * x
    weights = _t([10.0, -1.0])
    np.testing.assert_allclose(
        tape.gradient(y, x, output_gradients=weights).numpy(), [2 * 1 * 10.0, 2 * 2 * -1.0]
    )
    got = tape.gradient([y, z], x, output_gradients=[weights, None])
    np.testing.assert_allclose(got.numpy(), [20.0 + 3.0, -4.0 + 3.0])
    with pytest.raises(ValueError, match="got 1 output gradients for 2 targets"):
        tape.gradient([y, z], x, output_gradients=[weights])
    with pytest.raises(ValueError, match=r"output_gradients shape \(3,\) does not match"):
        tape.gradient(y, x, output_gradients=_t([1.0, 2.0, 3.0]))


def test_intermediate_tensor_as_source():
    x = _t(3.0)
    with GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(x)
        h = x * 2.0
        y = h**2
    assert tape.gradient(y, h).item() == pytest.approx(2 * 6.0)


def test_generator_of_parameters_as_sources():
    layer = torch.nn.Linear(2, 1)
    with GradientTape() as tape:
        y = layer(torch.ones(1, 2)).sum()
    grads = tape.gradient(y, layer.parameters())
    assert isinstance(grads, list)
    np.testing.assert_allclose(grads[0].numpy(), [[1.0, 1.0]])
    np.testing.assert_allclose(grads[1].numpy(), [1.0])


def test_watch_after_use_gives_none():
    x = _t(3.0)
    with GradientTape() as tape:
        y = x * x
        tape.watch(x)
    assert tape.gradient(y, x) is None


def test_value_from_an_earlier_tape_is_a_constant(monkeypatch):
    # TF 2.21: the second tape did not record `h`, so only the direct use of w counts.
    # tork checks for such values once a program used one (_cuts_seen); before, this
    # raises "backward through the graph a second time" (see the next test).
    monkeypatch.setattr(tf.tape, "_cuts_seen", True)
    w = tf.Variable(2.0)
    with GradientTape() as first:
        h = w * w
    first.gradient(h, w)
    with GradientTape() as second:
        y = h * 3.0
    assert second.gradient(y, w) is None
    with GradientTape() as third:
        y = h * 3.0 + w
    assert third.gradient(y, w).item() == 1.0


def test_non_tensor_source_raises():
    x = tf.Variable(1.0)
    with GradientTape() as tape:
        y = x * 2.0
    with pytest.raises(ValueError, match="sources must be tensors or variables, got float"):
        tape.gradient(y, [x, 1.0])


def test_gradient_matches_finite_differences():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(4, 3))
    w0 = rng.normal(size=(3,))

    def f(w):
        return float(np.sum(np.tanh(a @ w) ** 2) + np.sum(np.sin(w)))

    w = tf.Variable(w0, dtype=torch.float64)
    at = torch.tensor(a, device=current_device())
    with GradientTape() as tape:
        y = (torch.tanh(at @ w) ** 2).sum() + torch.sin(w).sum()
    np.testing.assert_allclose(tape.gradient(y, w).numpy(), _numeric_grad(f, w0), rtol=1e-6)


def test_variable_used_as_target_and_source():
    v = tf.Variable([1.0, 2.0])
    with GradientTape() as tape:
        pass
    np.testing.assert_array_equal(tape.gradient(v, v).numpy(), [1.0, 1.0])


# -- assign ----------------------------------------------------------------------------------


def test_assign_after_use_when_value_not_needed():
    v = tf.Variable(2.0)
    with GradientTape() as tape:
        y = v * 3.0
        v.assign(10.0)
    assert tape.gradient(y, v).item() == pytest.approx(3.0)


def test_assign_after_use_when_value_needed_has_clear_error():
    # A lone non-persistent tape does not keep old values (that would cost every training
    # loop a hook per saved tensor).
    v = tf.Variable(2.0)
    with GradientTape() as tape:
        y = v * v
        v.assign(10.0)
    with pytest.raises(RuntimeError, match="changed in place after it was used"):
        tape.gradient(y, v)


def test_assign_after_use_in_persistent_tape_keeps_the_value_the_tape_read():
    # TensorFlow's tape keeps the value read by `v * v` (2.0): d(v*v)/dv = 4, not 20.
    v = tf.Variable(2.0)
    with GradientTape(persistent=True) as tape:
        y = v * v
        v.assign(10.0)
    assert tape.gradient(y, v).item() == pytest.approx(4.0)
    assert v.numpy() == pytest.approx(10.0)


def test_in_place_torch_change_of_a_saved_value_has_clear_error():
    # tork cannot keep values that a raw torch in-place op changed: torch's check stays.
    x = tf.Variable(2.0)
    with GradientTape(persistent=True) as tape:
        h = tf.sigmoid(x * 1.0)  # saves its output, h
        with torch.no_grad():
            h.add_(1.0)
    with pytest.raises(RuntimeError, match="changed in place after it was used"):
        tape.gradient(h, x)


def test_applying_one_tapes_gradients_before_another_tapes_uses_the_old_weights():
    # GAN loops with two tapes over one forward pass: the discriminator's update does not
    # change the generator's gradient (TensorFlow keeps the values the forward pass read).
    gen, disc = tf.keras.layers.Dense(2), tf.keras.layers.Dense(1)
    gen.build((None, 4))
    disc.build((None, 2))
    gen.set_weights([np.arange(8.0).reshape(4, 2) / 10, np.array([0.1, -0.2])])
    disc.set_weights([np.array([[0.5], [-1.5]]), np.array([0.3])])
    optimizer = tf.keras.optimizers.SGD(0.1)
    z = tf.ones((3, 4))
    with GradientTape() as d_tape, GradientTape() as g_tape:
        fake = gen(z)
        d_loss = tf.reduce_mean(disc(fake) ** 2)
        g_loss = -tf.reduce_mean(disc(fake) ** 2)
    grads = d_tape.gradient(d_loss, disc.trainable_variables)
    optimizer.apply_gradients(zip(grads, disc.trainable_variables))
    kernel_grad, bias_grad = g_tape.gradient(g_loss, gen.trainable_variables)
    # fake = [1.3, 1.4]; d = 0.5*1.3 - 1.5*1.4 + 0.3 = -1.15; dg/dfake = -2d * [0.5, -1.5]
    # (tf_keras 2.21 gives the same numbers).
    np.testing.assert_allclose(bias_grad.numpy(), [1.15, -3.45], rtol=1e-5)
    np.testing.assert_allclose(kernel_grad.numpy(), np.tile([[1.15, -3.45]], (4, 1)), rtol=1e-5)


def test_assign_cuts_the_gradient():
    x = _t(2.0)
    v = tf.Variable(0.0)
    with GradientTape() as tape:
        tape.watch(x)
        v.assign(x * 3.0)
        y = v * 1.0
    assert tape.gradient(y, x) is None


# -- recording control ------------------------------------------------------------------------


def test_gradient_inside_with_block():
    x = _t(3.0)
    with GradientTape() as tape:
        tape.watch(x)
        y = x**3
        g = tape.gradient(y, x)
        assert not g.requires_grad  # the non-persistent tape stopped recording
    assert g.item() == pytest.approx(27.0)


def test_persistent_gradient_inside_with_block_is_recorded():
    x = _t(3.0)
    with GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x**3
        g = tape.gradient(y, x)  # 3 x^2, recorded on the tape
    assert g.item() == pytest.approx(27.0)
    assert tape.gradient(g, x).item() == pytest.approx(18.0)  # 6 x


def test_nested_tapes_second_derivative():
    for x0 in (-1.5, 0.5, 2.0):
        x = _t(x0)
        with GradientTape() as outer:
            outer.watch(x)
            with GradientTape() as inner:
                inner.watch(x)
                y = x**3
            dy = inner.gradient(y, x)
        d2y = outer.gradient(dy, x)
        assert dy.item() == pytest.approx(3 * x0**2)
        assert d2y.item() == pytest.approx(6 * x0)


def test_nested_tapes_with_variable():
    x = tf.Variable(1.0)
    with GradientTape() as t2:
        with GradientTape() as t1:
            y = x * x * x
        dy_dx = t1.gradient(y, x)
    d2y_dx2 = t2.gradient(dy_dx, x)
    assert (dy_dx.item(), d2y_dx2.item()) == pytest.approx((3.0, 6.0))


def test_inner_watch_only_gives_none_to_outer():
    x = _t(2.0)
    with GradientTape() as outer:
        with GradientTape() as inner:
            inner.watch(x)
            y = x**3
        dy = inner.gradient(y, x)
    assert outer.gradient(dy, x) is None


def test_stop_recording():
    x = _t(2.0)
    with GradientTape() as tape:
        tape.watch(x)
        y = x * x
        with tape.stop_recording():
            z = x * x * x
        w = y + z
    assert tape.gradient(w, x).item() == pytest.approx(4.0)  # only y contributes


def test_stop_recording_outside_with_raises():
    tape = GradientTape()
    with pytest.raises(RuntimeError, match="Cannot stop recording a tape which is not recording"):
        with tape.stop_recording():
            pass


def test_reset_clears_watches():
    x = _t(2.0)
    y0 = _t(5.0)
    with GradientTape() as tape:
        tape.watch(x)
        y = x * x
        tape.reset()
        tape.watch(y0)
        z = y0 * 3.0 + y * x
    assert tape.gradient(z, y0).item() == pytest.approx(3.0)
    assert not x.requires_grad


def test_reset_needs_a_recording_tape():
    # TF 2.21: a non-persistent tape stops recording when used, and reset() then (or
    # after the `with` block) raises.
    x = _t(2.0)
    with GradientTape() as tape:
        tape.watch(x)
        y = x * x
        tape.gradient(y, x)
        with pytest.raises(ValueError, match="Tape is not recording"):
            tape.reset()
    with pytest.raises(ValueError, match="Tape is not recording"):
        tape.reset()


def test_jacobian_loop_needs_a_persistent_tape():
    x = _t([1.0, 2.0])
    for method in ("jacobian", "batch_jacobian"):
        with GradientTape() as tape:
            tape.watch(x)
            y = x[None] * x[None]
        source = x if method == "jacobian" else x[None]
        with pytest.raises(
            RuntimeError,
            match=f"GradientTape must be created with persistent=True to compute the {method} "
            "with eager execution enabled and with  experimental_use_pfor set to False.",
        ):
            getattr(tape, method)(y, source, experimental_use_pfor=False)


def test_watching_a_string_tensor_warns_and_gives_none():
    s = tf.constant("abc")
    with pytest.warns(UserWarning, match="must be floating"):
        with GradientTape() as tape:
            tape.watch(s)
    assert tape.watched_variables() == []


# -- watched_variables ---------------------------------------------------------------------------


def test_watched_variables_list_passed_to_gradient_is_completed():
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(2.0, name="b")
    frozen = tf.Variable(3.0, name="frozen", trainable=False)
    unused = tf.Variable(4.0, name="unused")
    with GradientTape() as tape:
        tape.watch(frozen)
        y = a * frozen + b * 2.0
    watched = tape.watched_variables()
    grads = tape.gradient(y, watched)
    # TF 2.21 lists watched variables in creation order: ['a:0', 'b:0', 'frozen:0'],
    # gradients [3.0, 2.0, 1.0].
    assert [v.name for v in watched] == ["a:0", "b:0", "frozen:0"]
    assert all(v is not unused for v in watched)
    assert [g.item() for g in grads] == pytest.approx([3.0, 2.0, 1.0])


def test_watched_variables_reported_by_layers():
    from tork.tape import _record_accessed_variables

    a = tf.Variable(1.0, name="a")
    frozen = tf.Variable(1.0, name="frozen", trainable=False)
    _record_accessed_variables([a])  # no tape recording: ignored
    with GradientTape() as tape:
        _record_accessed_variables([a, frozen])
    assert tape.watched_variables() == [a]


def test_watched_variables_are_in_creation_order_not_use_order():
    c = tf.Variable(3.0, name="c")
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(2.0, name="b")
    with GradientTape() as tape:
        y = b * a + c
    watched = tape.watched_variables()
    grads = tape.gradient(y, watched)
    # TF: ['c:0', 'a:0', 'b:0'], gradients [1.0, 2.0, 1.0].
    assert [v.name for v in watched] == ["c:0", "a:0", "b:0"]
    assert [g.item() for g in grads] == pytest.approx([1.0, 2.0, 1.0])


def test_gradient_of_none_target_raises_tf_type_error():
    v = tf.Variable(1.0)
    with GradientTape() as tape:
        _ = v * 2.0
    with pytest.raises(TypeError, match=r"Argument `target` should be .* but received None"):
        tape.gradient(None, v)


def test_watched_variables_after_gradient():
    a = tf.Variable(1.0, name="a")
    b = tf.Variable(2.0, name="b")
    with GradientTape() as tape:
        y = b * 2.0 + a
    tape.gradient(y, [a])
    # TF 2.21: creation order ['a:0', 'b:0'], not the order the ops used them.
    assert [v.name for v in tape.watched_variables()] == ["a:0", "b:0"]


# -- jacobians --------------------------------------------------------------------------------------


def test_jacobian_elementwise():
    x = _t([1.0, 2.0, 3.0])
    with GradientTape() as tape:
        tape.watch(x)
        y = x**2
    jac = tape.jacobian(y, x)
    np.testing.assert_allclose(jac.numpy(), np.diag([2.0, 4.0, 6.0]))


@pytest.mark.parametrize("use_pfor", [True, False])
def test_jacobian_shape_and_values_vs_finite_differences(use_pfor):
    rng = np.random.default_rng(1)
    a = rng.normal(size=(2, 3, 4))
    x0 = rng.normal(size=(4,))

    def f(x):
        return np.tanh(a @ x)

    x = torch.tensor(x0, device=current_device())
    w = tf.Variable(np.ones(5), dtype=torch.float64)
    with GradientTape(persistent=not use_pfor) as tape:  # TF: a row loop needs persistent
        tape.watch(x)
        y = torch.tanh(torch.tensor(a, device=current_device()) @ x)
    jx, jw = tape.jacobian(y, [x, w], experimental_use_pfor=use_pfor)
    assert jx.shape == (2, 3, 4)
    np.testing.assert_allclose(jx.numpy(), _numeric_jacobian(f, x0), rtol=1e-6, atol=1e-9)
    assert jw is None


def test_jacobian_unconnected_zero_and_chunking():
    x = _t([1.0, 2.0, 3.0, 4.0])
    u = _t([[1.0, 1.0]])
    with GradientTape(persistent=True) as tape:
        tape.watch([x, u])
        y = torch.stack([x[0] * x[1], x[2] ** 2, x.sum()])
    expected = np.array([[2.0, 1.0, 0, 0], [0, 0, 6.0, 0], [1.0, 1.0, 1.0, 1.0]])
    jac = tape.jacobian(y, {"x": x, "u": u}, parallel_iterations=2, unconnected_gradients="zero")
    np.testing.assert_allclose(jac["x"].numpy(), expected)
    assert jac["u"].shape == (3, 1, 2) and jac["u"].abs().sum().item() == 0.0


def test_jacobian_of_scalar_target_has_source_shape():
    w = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    with GradientTape() as tape:
        y = (w * w).sum()
    np.testing.assert_allclose(tape.jacobian(y, w).numpy(), 2 * w.detach().numpy())


def test_hessian_with_nested_tapes():
    a = np.array([[2.0, 1.0], [1.0, 3.0]])
    x = tf.Variable([0.5, -1.0], dtype=torch.float64)
    at = torch.tensor(a, device=current_device())
    with GradientTape() as t2:
        with GradientTape() as t1:
            y = 0.5 * (x @ at @ x) + (x**3).sum()
        g = t1.gradient(y, x)
    hess = t2.jacobian(g, x)
    np.testing.assert_allclose(hess.numpy(), a + np.diag(6 * np.array([0.5, -1.0])), rtol=1e-12)


def test_batch_jacobian_values():
    rng = np.random.default_rng(2)
    w = rng.normal(size=(3, 2))
    x0 = rng.normal(size=(5, 3))
    x = torch.tensor(x0)
    with GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = torch.tanh(x @ torch.tensor(w))  # (5, 2)
    bj = tape.batch_jacobian(y, x)
    assert bj.shape == (5, 2, 3)
    # d tanh(x_b W)_i / d x_bj = (1 - tanh^2)_bi * W_ji
    expected = (1 - np.tanh(x0 @ w) ** 2)[:, :, None] * w.T[None, :, :]
    np.testing.assert_allclose(bj.numpy(), expected, rtol=1e-10)
    loop = tape.batch_jacobian(y, x, experimental_use_pfor=False)
    np.testing.assert_allclose(loop.numpy(), expected, rtol=1e-10)


def test_batch_jacobian_multi_dim_shapes():
    x = torch.randn(4, 2, 3)
    with GradientTape() as tape:
        tape.watch(x)
        y = x.reshape(4, 6)[:, :5] * 2.0  # (4, 5)
    bj = tape.batch_jacobian(y, x)
    assert bj.shape == (4, 5, 2, 3)
    expected = np.zeros((5, 6))
    expected[np.arange(5), np.arange(5)] = 2.0
    np.testing.assert_allclose(bj[1].reshape(5, 6).numpy(), expected)


def test_batch_jacobian_batch_mismatch():
    x = torch.randn(4, 3)
    with GradientTape() as tape:
        tape.watch(x)
        y = x[:2] * 2.0
    with pytest.raises(ValueError, match=r"first dimension of target shape \(2, 3\) and source"):
        tape.batch_jacobian(y, x)


def test_batch_jacobian_needs_rank_two_target_and_source():
    # TF 2.21: ValueError "Shape (2,) must have rank at least 2" for a (batch,) target.
    x = _t([[1.0, 2.0], [3.0, 4.0]])
    with GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = (x * x).sum(dim=1)
    with pytest.raises(ValueError, match=r"Shape \(2,\) must have rank at least 2"):
        tape.batch_jacobian(y, x)
    # The (batch, 1) form works: TF gives [[[2, 4]], [[6, 8]]].
    bj = tape.batch_jacobian(y[:, None], x)
    np.testing.assert_allclose(bj.numpy(), [[[2.0, 4.0]], [[6.0, 8.0]]])


def test_batch_jacobian_unconnected():
    x = torch.randn(3, 2)
    other = torch.randn(3, 4)
    with GradientTape(persistent=True) as tape:
        tape.watch([x, other])
        y = x * 2.0
    # TF 2.21 returns zeros here whatever `unconnected_gradients` says (never None).
    for mode in ("none", "zero"):
        z = tape.batch_jacobian(y, other, unconnected_gradients=mode)
        assert z.shape == (3, 2, 4) and z.abs().sum().item() == 0.0


def test_no_warnings_in_plain_use():
    w = tf.Variable([1.0, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with GradientTape() as tape:
            loss = (w * w).sum()
        tape.gradient(loss, [w])


# -- ops recorded before the tape (or before reset()) ----------------------------------------
# TensorFlow's tape ignores them: the values they computed are constants to the tape. Numbers
# below are TF 2.21's.


def test_value_computed_before_the_tape_is_a_constant():
    v = tf.Variable(3.0)
    y = v * 2.0
    with GradientTape() as tape:
        z = y * 3.0
    assert tape.gradient(z, v) is None
    with GradientTape() as tape:
        z = y * 3.0 + v
    assert tape.gradient(z, v).item() == 1.0


def test_reset_forgets_ops_recorded_before_it():
    v = tf.Variable(3.0)
    x = tf.constant(2.0)
    with GradientTape(persistent=True) as tape:
        tape.watch(x)
        a = x * x
        b = v * v
        tape.reset()
        c = a * 2.0 + b * 3.0 + v
        tape.watch(x)
        d = x * 5.0
    assert tape.gradient(c, v).item() == 1.0
    assert tape.gradient(c, x) is None  # x was watched again only after c
    assert tape.gradient(d, x).item() == 5.0
    with GradientTape(persistent=True) as tape:
        a = v * 3.0
        tape.reset()
        b = a * v
    assert tape.gradient(b, v).item() == 9.0  # a is a constant 9


def test_pre_tape_values_with_broadcasting_output_gradients_and_watch():
    b = tf.Variable([1.0, 2.0, 3.0])
    pre = b * 2.0
    x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    with GradientTape() as tape:
        y = tf.reduce_sum(x * b + pre * x)
    np.testing.assert_allclose(tape.gradient(y, b).numpy(), [5.0, 7.0, 9.0])
    with GradientTape() as tape:
        t1 = b * 3.0
        t2 = pre * b
    weights = [tf.constant([1.0, 0.0, 2.0]), tf.constant([1.0, 1.0, 1.0])]
    g = tape.gradient([t1, t2], b, output_gradients=weights)
    np.testing.assert_allclose(g.numpy(), [5.0, 4.0, 12.0])
    with GradientTape() as tape:
        tape.watch(pre)  # a watched pre-tape value is a source
        z = tf.reduce_sum(pre * pre + b)
    g_pre, g_b = tape.gradient(z, [pre, b])
    np.testing.assert_allclose(g_pre.numpy(), [4.0, 8.0, 12.0])
    np.testing.assert_allclose(g_b.numpy(), [1.0, 1.0, 1.0])
    with GradientTape() as tape:
        z = pre * 2.0
    assert tape.gradient(z, b, unconnected_gradients="zero").numpy().tolist() == [0.0] * 3


def test_pre_tape_value_in_nested_tapes_jacobians_and_intermediate_sources():
    v = tf.Variable(2.0)
    c = v * v
    with GradientTape() as t2:
        with GradientTape() as t1:
            y = v * v * v + c * v
        d1 = t1.gradient(y, v)
    assert d1.item() == 16.0  # 3 v^2 + c
    assert t2.gradient(d1, v).item() == 12.0  # 6 v
    w = tf.Variable([0.7, 1.6, 2.2])
    with GradientTape(persistent=True) as tape:
        y = w * 2.0 + c
        h = w * c
        out = tf.reduce_sum(h * h)
    np.testing.assert_allclose(tape.jacobian(y, w).numpy(), np.eye(3) * 2.0)
    assert tape.jacobian(h, v) is None
    g_h, g_v, g_w = tape.gradient(out, [h, v, w])
    np.testing.assert_allclose(g_h.numpy(), [5.6, 12.8, 17.6], rtol=1e-6)
    assert g_v is None
    np.testing.assert_allclose(g_w.numpy(), [22.4, 51.2, 70.4], rtol=1e-6)
    x = tf.Variable([[1.0, 2.0], [3.0, 4.0]])
    p = x * 3.0
    with GradientTape() as tape:
        out = x * x + p
    expected = [[[2.0, 0.0], [0.0, 4.0]], [[6.0, 0.0], [0.0, 8.0]]]
    np.testing.assert_allclose(tape.batch_jacobian(out, x).numpy(), expected)


def test_pre_tape_value_with_custom_gradient():
    @tf.custom_gradient
    def clip_grad(x):
        def grad(dy):
            return tf.clip_by_value(dy, -0.5, 0.5)

        return tf.identity(x), grad

    v = tf.Variable([1.0, -2.0, 3.0])
    pre = v * v
    with GradientTape() as tape:
        y = tf.reduce_sum(clip_grad(v * 2.0) * pre + v)
    # d/dv: clip(pre) * 2 + 1, pre being a constant [1, 4, 9].
    assert tape.gradient(y, v).numpy().tolist() == [2.0, 2.0, 2.0]


def test_state_carried_between_tapes_once_pre_tape_values_were_seen(monkeypatch):
    # An RNN state kept across training steps without tf.stop_gradient: TF 2.21 treats
    # it as a constant in the next tape. tork checks the graph for such values only
    # once a program has used a value from before its tape (see tork.tape._cuts_seen).
    monkeypatch.setattr(tf.tape, "_cuts_seen", True)
    w = tf.Variable([[0.5, -0.2], [0.1, 0.3]])
    state = tf.constant([[1.0, 2.0]])
    expected = [
        [[0.7672, 0.6502], [1.5345, 1.3004]],
        [[0.3535, -0.0083], [0.2222, -0.0052]],
        [[0.1032, -0.0440], [-0.0022, 0.0009]],
    ]
    for want in expected:
        with GradientTape() as tape:
            state = tf.tanh(tf.matmul(state, w))
            loss = tf.reduce_sum(state * state)
        np.testing.assert_allclose(tape.gradient(loss, w).numpy(), want, atol=1e-4)


def test_graph_is_checked_only_after_ops_recorded_outside_tapes(monkeypatch):
    monkeypatch.setattr(tf.tape, "_cuts_seen", False)
    w = tf.Variable(1.0)
    y = w * 2.0  # recorded while no tape records
    with GradientTape() as first:
        loss = w * 3.0
    assert first._check_cuts
    first.gradient(loss, w)
    with GradientTape() as second:  # right after the first: a training loop's case
        loss = w * 3.0
    assert not second._check_cuts
    assert second.gradient(loss, w).item() == 3.0
    # Not checked: y, from before the first tape, still carries its gradient here (TF
    # gives 2.0); checking every tape's graph would cost each training step a walk.
    with GradientTape() as third:
        loss = y * w
    assert not third._check_cuts
    assert not tf.tape._cuts_seen
    w2 = tf.Variable(1.0)
    y2 = w2 * 2.0
    with GradientTape() as fourth:
        loss = y2 * w2
    assert fourth.gradient(loss, w2).item() == 2.0
    assert tf.tape._cuts_seen  # a value from before a tape was used: every tape checks
    with GradientTape() as fifth:
        loss = y * w
    assert fifth._check_cuts
    assert fifth.gradient(loss, w).item() == 2.0


def test_freed_earlier_tape_graph_has_clear_error(monkeypatch):
    monkeypatch.setattr(tf.tape, "_cuts_seen", False)
    w = tf.Variable(2.0)
    with GradientTape() as first:
        h = w * w
    first.gradient(h, w)
    with GradientTape() as second:
        y = h * 3.0 + w
    with pytest.raises(RuntimeError, match="already computed by another non-persistent tape"):
        second.gradient(y, w)


# -- `//` has no gradient, as TF's floordiv -------------------------------------------------------


def test_floordiv_operator_has_no_gradient():
    w = tf.Variable([3.5, 7.0])
    with GradientTape(persistent=True) as tape:
        q = w // 2.0
        r = tf.reduce_sum(w * q)
        s = tf.reduce_sum(w * (7.0 // w))
    assert tape.gradient(q, w) is None
    assert tape.gradient(q, w, unconnected_gradients="zero").numpy().tolist() == [0.0, 0.0]
    assert tape.gradient(r, w).numpy().tolist() == [1.0, 3.0]  # q = [1, 3] is a constant
    assert tape.gradient(s, w).numpy().tolist() == [2.0, 1.0]  # 7 // w = [2, 1]
    with GradientTape() as tape:
        y = w * 2.0 + w // 1.0
    np.testing.assert_allclose(tape.jacobian(y, w).numpy(), np.eye(2) * 2.0)


def test_floordiv_operator_values_unchanged():
    assert (tf.constant([7, -7]) // 2).numpy().tolist() == [3, -4]
    assert (tf.constant([7.5, -7.5]) // 2.0).numpy().tolist() == [3.0, -4.0]
    assert (7.0 // tf.constant([2.0, -3.0])).numpy().tolist() == [3.0, -3.0]
    assert (tf.constant([7, 8]) // tf.constant([2, 3])).dtype == torch.int32
    with pytest.raises(TypeError):
        tf.constant([1.0]) // "a"
