"""tf.train.Checkpoint: round trips, deferred restoration, status checks and bad files."""

import os

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras
from tork._backend.device import current_device
from tork.train._format import DataLossError

# Where tork puts the models' weights (the GPU when there is one), as tf.constant would.
X = torch.linspace(-1.0, 1.0, 48, device=current_device()).reshape(12, 4)
Y = torch.stack([X.sum(1), X[:, 0] * X[:, 1]], dim=1)


def _model(seed=0):
    keras.utils.set_random_seed(seed)
    return keras.Sequential(
        [keras.layers.Dense(6, activation="tanh"), keras.layers.Dense(2)], name="net"
    )


def _step(model, optimizer):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean((model(X) - Y) ** 2)
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))


def _values(variables):
    return [v.detach().numpy().copy() for v in variables]


def _assert_same(a, b):
    assert len(a) == len(b)
    for x, y in zip(a, b):
        np.testing.assert_array_equal(np.asarray(x), np.asarray(y))


def _slots(optimizer, model):
    return [
        optimizer.get_slot(v, name).detach().numpy().copy()
        for name in ("momentum", "velocity")
        for v in model.trainable_variables
    ]


# -- round trips -----------------------------------------------------------------------------


def test_model_and_adam_round_trip_then_training_continues_identically(tmp_path):
    model, optimizer = _model(), keras.optimizers.Adam(0.05)
    for _ in range(3):
        _step(model, optimizer)
    checkpoint = tf.train.Checkpoint(model=model, optimizer=optimizer)
    path = checkpoint.save(str(tmp_path / "ckpt"))
    saved_weights, saved_slots = _values(model.weights), _slots(optimizer, model)
    for _ in range(4):  # the uninterrupted run
        _step(model, optimizer)

    fresh, fresh_optimizer = _model(seed=1), keras.optimizers.Adam(0.05)
    fresh(X)  # built, with other initial weights
    status = tf.train.Checkpoint(model=fresh, optimizer=fresh_optimizer).restore(path)
    status.assert_consumed()
    _assert_same(_values(fresh.weights), saved_weights)
    _assert_same(_slots(fresh_optimizer, fresh), saved_slots)
    assert int(fresh_optimizer.iterations) == 3
    for _ in range(4):
        _step(fresh, fresh_optimizer)
    _assert_same(_values(fresh.weights), _values(model.weights))
    assert int(fresh_optimizer.iterations) == 7


def test_restore_into_unbuilt_model_is_deferred_until_build(tmp_path, tork_format):
    model, optimizer = _model(), keras.optimizers.Adam(0.05)
    for _ in range(2):
        _step(model, optimizer)
    path = tf.train.Checkpoint(model=model, optimizer=optimizer).save(str(tmp_path / "ckpt"))
    saved_weights, saved_slots = _values(model.weights), _slots(optimizer, model)

    fresh, fresh_optimizer = _model(seed=5), keras.optimizers.Adam(0.05)
    assert not fresh.weights
    status = tf.train.Checkpoint(model=fresh, optimizer=fresh_optimizer).restore(path)
    status.assert_existing_objects_matched()  # what exists got its values
    with pytest.raises(AssertionError, match=r"model/layers/0/kernel.*not built yet"):
        status.assert_consumed()
    fresh.build((None, 4))
    # Built: the weights, then (all model variables exist) the optimizer's slots.
    _assert_same(_values(fresh.weights), saved_weights)
    assert fresh_optimizer.built
    _assert_same(_slots(fresh_optimizer, fresh), saved_slots)
    status.assert_consumed()
    _step(model, optimizer)
    _step(fresh, fresh_optimizer)
    _assert_same(_values(fresh.weights), _values(model.weights))


def test_fit_resumes_identically_with_compiled_optimizer(tmp_path):
    def compiled(seed):
        model = _model(seed)
        model.compile(optimizer=keras.optimizers.Adam(0.02), loss="mse")
        return model

    model = compiled(0)
    model.fit(X, Y, batch_size=4, epochs=1, shuffle=False, verbose=0)
    manager = tf.train.CheckpointManager(tf.train.Checkpoint(model=model), tmp_path, 2)
    manager.save()
    model.fit(X, Y, batch_size=4, epochs=2, shuffle=False, verbose=0)

    fresh = compiled(7)  # unbuilt; model.optimizer is tracked as model/optimizer
    checkpoint = tf.train.Checkpoint(model=fresh)
    status = checkpoint.restore(
        tf.train.CheckpointManager(checkpoint, tmp_path, 2).latest_checkpoint
    )
    fresh.fit(X, Y, batch_size=4, epochs=2, shuffle=False, verbose=0)
    status.assert_consumed()
    _assert_same(_values(fresh.weights), _values(model.weights))
    assert int(fresh.optimizer.iterations) == int(model.optimizer.iterations) == 9


def test_functional_model_restores_into_a_fresh_instance_with_other_layer_names(tmp_path):
    def functional():
        inputs = keras.Input((4,))
        hidden = keras.layers.Dense(3)(inputs)
        return keras.Model(inputs, keras.layers.Dense(2)(hidden))

    first, second = functional(), functional()
    assert [la.name for la in first.layers] != [la.name for la in second.layers]
    path = tf.train.Checkpoint(model=first).write(str(tmp_path / "f"))
    tf.train.Checkpoint(model=second).read(path).assert_consumed()
    _assert_same(_values(second.weights), _values(first.weights))


class _Affine(keras.layers.Layer):
    """Weights created unnamed, then assigned to attributes (the Keras guide's style)."""

    def build(self, input_shape):
        self.w = self.add_weight(shape=(input_shape[-1], 3), initializer="random_normal")
        self.b = self.add_weight(shape=(3,), initializer="zeros")

    def call(self, inputs):
        return inputs @ self.w + self.b


class _Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.affine = _Affine()
        self.heads = [keras.layers.Dense(2), keras.layers.Dense(1)]

    def call(self, inputs):
        hidden = self.affine(inputs)
        return self.heads[1](self.heads[0](hidden))


def test_subclassed_model_with_unnamed_weights_restores_on_first_call(tmp_path):
    saved = _Net()
    saved(X)
    with torch.no_grad():
        for i, v in enumerate(saved.weights):
            v.fill_(i + 0.5)
    path = tf.train.Checkpoint(net=saved).write(str(tmp_path / "net"))
    fresh = _Net()
    status = tf.train.Checkpoint(net=fresh).read(path)
    fresh(X)
    status.assert_consumed()
    expected = [np.full(tuple(v.shape), i + 0.5, np.float32) for i, v in enumerate(saved.weights)]
    _assert_same(_values(fresh.weights), expected)


class _Lazy(tf.Module):
    """Creates its variable on first call, as in the tf.Module guide."""

    def __init__(self):
        super().__init__()
        self.w = None

    def __call__(self, x):
        if self.w is None:
            self.w = tf.Variable(tf.ones((x.shape[-1], 2)))
        return x @ self.w


def test_tf_module_variables_created_after_restore_and_plain_variables(tmp_path):
    saved = _Lazy()
    saved(X)
    saved.w.assign(np.arange(8, dtype=np.float32).reshape(4, 2))
    path = tf.train.Checkpoint(module=saved, step=tf.Variable(42)).write(str(tmp_path / "m"))
    fresh, step = _Lazy(), tf.Variable(0)
    status = tf.train.Checkpoint(module=fresh, step=step).read(path)
    assert int(step) == 42
    fresh(X)
    status.assert_consumed()
    np.testing.assert_array_equal(fresh.w.numpy(), np.arange(8).reshape(4, 2))


def test_torch_module_and_torch_optimizer(tmp_path):
    def build(seed):
        torch.manual_seed(seed)
        net = torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.BatchNorm1d(3))
        return net, torch.optim.Adam(net.parameters(), lr=0.01)

    def step(net, opt):
        opt.zero_grad()
        ((net(X.cpu()) - 1.0) ** 2).mean().backward()  # a plain torch module on the CPU
        opt.step()

    net, opt = build(0)
    for _ in range(2):
        step(net, opt)
    path = tf.train.Checkpoint(net=net, opt=opt).write(str(tmp_path / "t"))
    for _ in range(2):
        step(net, opt)
    fresh, fresh_opt = build(1)
    tf.train.Checkpoint(net=fresh, opt=fresh_opt).read(path).assert_consumed()
    for _ in range(2):
        step(fresh, fresh_opt)
    for name, value in net.state_dict().items():
        torch.testing.assert_close(fresh.state_dict()[name], value, rtol=0, atol=0)


def test_object_reachable_twice_is_saved_once_and_matched_by_either_name(tmp_path, tork_format):
    model = _model()
    model.compile(optimizer="adam", loss="mse")
    model.fit(X, Y, epochs=1, verbose=0)
    path = tf.train.Checkpoint(model=model, optimizer=model.optimizer).write(str(tmp_path / "c"))
    names = [name for name, _ in tf.train.list_variables(path)]
    assert "optimizer/iteration" in names and "model/optimizer/iteration" not in names
    fresh = _model(3)
    fresh.compile(optimizer="adam", loss="mse")
    tf.train.Checkpoint(optimizer=fresh.optimizer, model=fresh).read(path)
    fresh.build((None, 4))
    assert int(fresh.optimizer.iterations) == int(model.optimizer.iterations) == 1


class _MomentumSGD(keras.optimizers.Optimizer):
    """A Keras 3 style optimizer: its own build() and variables from add_variable_from_reference."""

    def __init__(self, learning_rate=0.1, **kwargs):
        super().__init__(learning_rate, **kwargs)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        self.moments = [self.add_variable_from_reference(v, "m") for v in var_list]

    def update_step(self, gradient, variable, learning_rate):
        moment = self.moments[self._get_variable_index(variable)]
        moment.assign(0.9 * moment + gradient)
        variable.assign_sub(learning_rate * moment)


def test_custom_optimizer_variables_restored_when_it_is_built(tmp_path, tork_format):
    model, optimizer = _model(), _MomentumSGD()
    for _ in range(2):
        _step(model, optimizer)
    path = tf.train.Checkpoint(model, optimizer=optimizer).write(str(tmp_path / "c"))
    saved_moments = _values(optimizer.moments)
    listed = dict(tf.train.list_variables(path))
    # _variables = [iteration, learning_rate, m(kernel 0), m(bias 0), ...]: keyed by position.
    assert listed["optimizer/variable-2"] == [4, 6] and listed["optimizer/variable-3"] == [6]
    for _ in range(2):
        _step(model, optimizer)

    fresh, fresh_optimizer = _model(4), _MomentumSGD()  # unbuilt model: everything deferred
    status = tf.train.Checkpoint(fresh, optimizer=fresh_optimizer).read(path)
    fresh(X)
    _assert_same(_values(fresh_optimizer.moments), saved_moments)
    status.assert_consumed()
    for _ in range(2):
        _step(fresh, fresh_optimizer)
    _assert_same(_values(fresh.weights), _values(model.weights))


@pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA device")
def test_checkpoint_moves_between_devices(tmp_path):
    model, optimizer = _model(), keras.optimizers.Adam()
    model.to("cuda")
    with tf.device("/GPU:0"):
        _step(model, optimizer)
    path = tf.train.Checkpoint(model=model, optimizer=optimizer).write(str(tmp_path / "c"))
    fresh, fresh_optimizer = _model(1), keras.optimizers.Adam()
    with tf.device("/CPU:0"):
        fresh(X.cpu())  # built on the CPU: the GPU checkpoint must move there
    tf.train.Checkpoint(model=fresh, optimizer=fresh_optimizer).read(path).assert_consumed()
    for a, b in zip(fresh.weights, model.weights):
        assert a.device.type == "cpu" and b.device.type == "cuda"
        np.testing.assert_array_equal(a.detach().numpy(), b.detach().cpu().numpy())


# -- counters, write and read ------------------------------------------------------------------


def test_save_numbers_checkpoints_with_save_counter(tmp_path):
    variable = tf.Variable(1.0)
    checkpoint = tf.train.Checkpoint(v=variable)
    assert int(checkpoint.save_counter) == 0
    prefix = str(tmp_path / "ckpt")
    assert checkpoint.save(prefix) == prefix + "-1"
    variable.assign(2.0)
    assert checkpoint.save(prefix) == prefix + "-2"
    assert int(checkpoint.save_counter) == 2
    assert sorted(os.listdir(tmp_path)) == [
        "checkpoint",
        "ckpt-1.data-00000-of-00001",
        "ckpt-1.index",
        "ckpt-2.data-00000-of-00001",
        "ckpt-2.index",
    ]
    state = (tmp_path / "checkpoint").read_text()
    assert state.splitlines()[:2] == [
        'model_checkpoint_path: "ckpt-2"',
        'all_model_checkpoint_paths: "ckpt-2"',
    ]
    assert tf.train.latest_checkpoint(tmp_path) == prefix + "-2"

    other = tf.train.Checkpoint(v=tf.Variable(0.0))
    other.restore(prefix + "-1").assert_consumed()
    assert float(other.v) == 1.0 and int(other.save_counter) == 1
    assert other.save(prefix) == prefix + "-2"  # the numbering continues from the restore


def test_write_does_not_count_and_read_accepts_no_counter(tmp_path):
    checkpoint = tf.train.Checkpoint(v=tf.Variable(3.0))
    path = checkpoint.write(str(tmp_path / "plain"))
    assert path == str(tmp_path / "plain")
    assert checkpoint._save_counter is None
    assert not (tmp_path / "checkpoint").exists()
    tf.train.Checkpoint(v=tf.Variable(0.0)).read(path).assert_consumed()
    # restore() expects the save counter, which write() did not store (as in TensorFlow).
    with pytest.raises(AssertionError, match="save_counter"):
        tf.train.Checkpoint(v=tf.Variable(0.0)).restore(path).assert_consumed()


def test_list_and_load_variable(tmp_path, tork_format):
    model = _model()
    model(X)
    path = tf.train.Checkpoint(model=model).write(str(tmp_path / "c"))
    listed = dict(tf.train.list_variables(path))
    assert listed["model/layers/0/kernel"] == [4, 6]
    assert listed["model/layers/1/bias"] == [2]
    np.testing.assert_array_equal(
        tf.train.load_variable(path, "model/layers/0/kernel"), model.layers[0].kernel.numpy()
    )
    with pytest.raises(ValueError, match="has no variable 'nope'.*model/layers/0/bias"):
        tf.train.load_variable(path, "nope")
    # A directory means its latest checkpoint; write() records none.
    with pytest.raises(tf.errors.NotFoundError, match="Couldn't find a 'checkpoint' file"):
        tf.train.list_variables(tmp_path)
    saved = tf.train.Checkpoint(model=model).save(str(tmp_path / "ckpt"))
    assert tf.train.list_variables(tmp_path) == tf.train.list_variables(saved)


def test_load_variable_accepts_tensorflow_names(tmp_path, tork_format):
    # TF 2.21 / tf_keras list these names for the same checkpoint: layers that have
    # weights are `layer_with_weights-N` (the Activation and Dropout are skipped),
    # `layer-N` counts every layer, and the optimizer step is `_iterations`.
    model = tf.keras.Sequential(
        [
            tf.keras.Input((4,)),
            tf.keras.layers.Dense(3),
            tf.keras.layers.Activation("relu"),
            tf.keras.layers.Dropout(0.1),
            tf.keras.layers.Dense(2),
        ]
    )
    optimizer = tf.keras.optimizers.Adam(0.1)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(model(tf.constant(np.ones((2, 4), "float32"))))
    grads = tape.gradient(loss, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    path = tf.train.Checkpoint(model=model, optimizer=optimizer).write(str(tmp_path / "c"))
    suffix = "/.ATTRIBUTES/VARIABLE_VALUE"
    last_kernel = model.layers[3].kernel.numpy()
    np.testing.assert_array_equal(
        tf.train.load_variable(path, "model/layer_with_weights-1/kernel" + suffix), last_kernel
    )
    np.testing.assert_array_equal(tf.train.load_variable(path, "model/layer-3/kernel"), last_kernel)
    assert int(tf.train.load_variable(path, "optimizer/_iterations" + suffix)) == 1
    np.testing.assert_allclose(
        tf.train.load_variable(path, "optimizer/_learning_rate" + suffix), 0.1, rtol=1e-6
    )
    # Keras 2's Adam calls its slots `m` and `v`; after one step m = (1 - 0.9) * grad.
    slot = tf.train.load_variable(
        path, "model/layer_with_weights-0/bias/.OPTIMIZER_SLOT/optimizer/m"
    )
    np.testing.assert_allclose(slot, 0.1 * grads[1].numpy(), rtol=1e-6)
    reader = tf.train.load_checkpoint(path)
    assert reader.has_tensor("model/layer_with_weights-0/kernel" + suffix)
    assert not reader.has_tensor("model/layer_with_weights-2/kernel" + suffix)
    with pytest.raises(ValueError, match="has no variable 'model/layer_with_weights-2/kernel'"):
        tf.train.load_variable(path, "model/layer_with_weights-2/kernel")


def test_attribute_assigned_after_restore_is_restored(tmp_path):
    path = tf.train.Checkpoint(a=tf.Variable(1.0), b=tf.Variable(5.0)).write(str(tmp_path / "c"))
    checkpoint = tf.train.Checkpoint(a=tf.Variable(0.0))
    status = checkpoint.read(path)
    checkpoint.b = tf.Variable(0.0)
    assert float(checkpoint.b) == 5.0
    status.assert_consumed()


def test_restore_none_restores_nothing():
    variable = tf.Variable(1.5)
    status = tf.train.Checkpoint(v=variable).restore(None)
    assert status.expect_partial() is status
    with pytest.raises(AssertionError, match="no checkpoint was restored"):
        status.assert_consumed()
    assert float(variable) == 1.5


# -- status checks -------------------------------------------------------------------------


def test_assert_consumed_names_what_is_missing_on_each_side(tmp_path, tork_format):
    model, optimizer = _model(), keras.optimizers.Adam()
    _step(model, optimizer)
    path = tf.train.Checkpoint(model=model, optimizer=optimizer).write(str(tmp_path / "c"))

    fresh = _model(2)
    status = tf.train.Checkpoint(model=fresh, extra=tf.Variable(0.0)).read(path)
    fresh(X)
    with pytest.raises(AssertionError) as info:
        status.assert_consumed()
    message = str(info.value)
    assert "not restored into any object: optimizer (Adam)" in message
    assert "got no value from the checkpoint: extra (Variable)" in message
    with pytest.raises(AssertionError, match=r"existing object\(s\) got no value.*extra"):
        status.assert_existing_objects_matched()
    assert status.expect_partial() is status
    status.assert_nontrivial_match()


def test_assert_nontrivial_match_fails_when_names_differ(tmp_path):
    path = tf.train.Checkpoint(model=_model()).write(str(tmp_path / "c"))
    status = tf.train.Checkpoint(net=_model()).read(path)
    with pytest.raises(AssertionError, match="matched nothing but the root"):
        status.assert_nontrivial_match()


# -- errors --------------------------------------------------------------------------------


def test_restore_missing_path_is_a_clear_error(tmp_path):
    checkpoint = tf.train.Checkpoint(v=tf.Variable(1.0))
    checkpoint.save(str(tmp_path / "ckpt"))
    with pytest.raises(tf.errors.NotFoundError, match=r"Failed to find any matching files.*ckpt-1"):
        checkpoint.restore(str(tmp_path / "ckpt-7"))
    with pytest.raises(FileNotFoundError, match="is a directory.*latest checkpoint there"):
        checkpoint.restore(str(tmp_path))
    with pytest.raises(tf.errors.NotFoundError, match="does not exist"):
        checkpoint.restore(str(tmp_path / "missing" / "ckpt-1"))


def test_corrupt_files_are_clear_errors_and_change_nothing(tmp_path, tork_format):
    variable = tf.Variable([1.0, 2.0, 3.0])
    path = tf.train.Checkpoint(v=variable).write(str(tmp_path / "c"))
    data = tmp_path / "c.data-00000-of-00001"
    good = data.read_bytes()
    target = tf.Variable([0.0, 0.0, 0.0])

    flipped = bytearray(good)
    flipped[len(good) // 2] ^= 0x40
    data.write_bytes(bytes(flipped))
    with pytest.raises(DataLossError, match="checksum does not match"):
        tf.train.Checkpoint(v=target).restore(path)
    data.write_bytes(good[: len(good) - 10])
    with pytest.raises(DataLossError, match="truncated"):
        tf.train.Checkpoint(v=target).restore(path)
    data.write_bytes(b"")
    with pytest.raises(DataLossError, match="corrupt"):
        tf.train.Checkpoint(v=target).restore(path)
    np.testing.assert_array_equal(target.numpy(), [0.0, 0.0, 0.0])
    assert isinstance(DataLossError("x"), tf.errors.OpError)


def test_an_index_of_neither_format_is_named_as_such(tmp_path):
    # Neither TensorFlow's table (magic number at its end) nor tork's JSON marker.
    (tmp_path / "tf.index").write_bytes(b"\x00\x01binary sstable")
    (tmp_path / "tf.data-00000-of-00001").write_bytes(b"\x00" * 64)
    with pytest.raises(ValueError, match="is not a checkpoint: its .index file is neither"):
        tf.train.Checkpoint(v=tf.Variable(0.0)).restore(str(tmp_path / "tf"))


def test_shape_mismatch_names_the_variable_and_assigns_nothing(tmp_path, tork_format):
    model = _model()
    model(X)
    path = tf.train.Checkpoint(model=model).write(str(tmp_path / "c"))
    keras.utils.set_random_seed(0)
    other = keras.Sequential([keras.layers.Dense(6, activation="tanh"), keras.layers.Dense(3)])
    other(X)
    before = _values(other.weights)
    with pytest.raises(ValueError, match=r"model/layers/1/kernel.*shape \(6, 2\).*shape \(6, 3\)"):
        tf.train.Checkpoint(model=other).restore(path)
    _assert_same(_values(other.weights), before)  # not even the matching first layer


def test_crash_mid_save_leaves_the_previous_checkpoint_loadable(tmp_path, monkeypatch, tork_format):
    variable = tf.Variable([1.0, 2.0])
    checkpoint = tf.train.Checkpoint(v=variable)
    first = checkpoint.save(str(tmp_path / "ckpt"))
    state = (tmp_path / "checkpoint").read_text()
    variable.assign([5.0, 6.0])
    real_save = torch.save

    def crash(obj, f, *args, **kwargs):
        f.write(b"partial bytes")
        raise OSError("disk full")

    monkeypatch.setattr(torch, "save", crash)
    with pytest.raises(OSError, match="disk full"):
        checkpoint.save(str(tmp_path / "ckpt"))
    monkeypatch.setattr(torch, "save", real_save)
    assert int(checkpoint.save_counter) == 1  # rolled back
    assert sorted(os.listdir(tmp_path)) == [
        "checkpoint",
        "ckpt-1.data-00000-of-00001",
        "ckpt-1.index",
    ]
    assert (tmp_path / "checkpoint").read_text() == state
    assert tf.train.latest_checkpoint(tmp_path) == first
    restored = tf.Variable([0.0, 0.0])
    tf.train.Checkpoint(v=restored).restore(first).assert_consumed()
    np.testing.assert_array_equal(restored.numpy(), [1.0, 2.0])
    assert checkpoint.save(str(tmp_path / "ckpt")).endswith("ckpt-2")


def test_killed_save_leaves_an_incomplete_checkpoint_that_is_named(tmp_path):
    checkpoint = tf.train.Checkpoint(v=tf.Variable(1.0))
    first = checkpoint.save(str(tmp_path / "ckpt"))
    # A process killed between the data file and the index: no index, state file untouched.
    (tmp_path / "ckpt-2.data-00000-of-00001").write_bytes(b"half")
    assert tf.train.latest_checkpoint(tmp_path) == first
    with pytest.raises(tf.errors.NotFoundError, match="incomplete.*interrupted"):
        checkpoint.restore(str(tmp_path / "ckpt-2"))


def test_untrackable_values_are_refused_with_a_clear_message():
    with pytest.raises(ValueError, match="expecting step to be a trackable object.*tf.Variable"):
        tf.train.Checkpoint(step=5)
    with pytest.raises(ValueError, match=r"expecting parts to be.*it holds str"):
        tf.train.Checkpoint(parts=[tf.Variable(1.0), "text"])
    checkpoint = tf.train.Checkpoint(v=tf.Variable(1.0))
    with pytest.raises(AttributeError, match=r"has no attribute 'w'.*\['v'\]"):
        checkpoint.w  # noqa: B018
    with pytest.raises(AttributeError, match="save_counter"):
        checkpoint.save_counter = tf.Variable(0)


def test_lists_and_dicts_of_objects(tmp_path, tork_format):
    a, b = tf.Variable(1.0), tf.Variable([2.0, 3.0])
    path = tf.train.Checkpoint(items=[a, {"b": b}]).write(str(tmp_path / "c"))
    # TF lists its object-graph entry first in every object-based checkpoint.
    names = [n for n, _ in tf.train.list_variables(path)]
    assert names == ["_CHECKPOINTABLE_OBJECT_GRAPH", "items/0", "items/1/b"]
    a2, b2 = tf.Variable(0.0), tf.Variable([0.0, 0.0])
    tf.train.Checkpoint(items=[a2, {"b": b2}]).read(path).assert_consumed()
    assert float(a2) == 1.0 and b2.numpy().tolist() == [2.0, 3.0]


def test_train_namespace_names_missing_apis():
    with pytest.raises(NotImplementedError, match="tf.train.ServerDef"):
        tf.train.ServerDef  # noqa: B018


def test_partial_restore_through_checkpoint_stand_ins(tmp_path):
    # TensorFlow's checkpoint guide: Checkpoint objects stand in for the saved model's parts.
    from tork import keras as _k

    class Net(_k.Model):
        def __init__(self):
            super().__init__()
            self.l1 = _k.layers.Dense(5)

        def call(self, x):
            return self.l1(x)

    net = Net()
    net(tf.ones((1, 3)))
    path = tf.train.Checkpoint(step=tf.Variable(1), net=net).save(str(tmp_path / "ckpt"))
    to_restore = tf.Variable(tf.zeros([3, 5]))
    root = tf.train.Checkpoint(net=tf.train.Checkpoint(l1=tf.train.Checkpoint(kernel=to_restore)))
    status = root.restore(path)
    np.testing.assert_array_equal(to_restore.numpy(), net.l1.kernel.numpy())
    status.assert_existing_objects_matched()


def test_load_checkpoint_reader(tmp_path, tork_format):
    v = tf.Variable([[1.0, 2.0]])
    path = tf.train.Checkpoint(weights=v).save(str(tmp_path / "ckpt"))
    reader = tf.train.load_checkpoint(str(tmp_path))
    shapes = reader.get_variable_to_shape_map()
    assert shapes["weights"] == [1, 2] and shapes["save_counter"] == []
    assert reader.has_tensor("weights/.ATTRIBUTES/VARIABLE_VALUE")
    np.testing.assert_array_equal(reader.get_tensor("weights"), [[1.0, 2.0]])
    assert tf.train.load_checkpoint(path).get_variable_to_dtype_map()["weights"] == tf.float32
    with pytest.raises(ValueError, match=r"no variable 'missing'\. Its variables are: "):
        reader.get_tensor("missing")


def test_lists_and_dicts_assigned_after_restore_are_restored_as_filled(tmp_path):
    # TF's checkpoint guide: `restore.listed = []; restore.listed.append(v)` restores `v`.
    saved = tf.train.Checkpoint(listed=[tf.Variable(1.0)], mapped={"a": tf.Variable(2.0)})
    path = saved.save(str(tmp_path / "c"))
    restore = tf.train.Checkpoint()
    status = restore.restore(path)
    restore.listed = []
    first = tf.Variable(0.0)
    restore.listed.append(first)
    assert float(first.numpy()) == 1.0
    restore.mapped = {}
    second = tf.Variable(0.0)
    restore.mapped["a"] = second
    assert float(second.numpy()) == 2.0
    status.assert_existing_objects_matched()
