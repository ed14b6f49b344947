"""TF Addons-style wrapper optimizers (Lookahead, MovingAverage) on OptimizerV2.

Such a wrapper subclasses `tf.keras.optimizers.legacy.Optimizer`, calls the wrapped
optimizer's `_create_slots` and `_resource_apply_dense` itself (the wrapped optimizer
never sees `apply_gradients`), starts a slot from the variable
(`add_slot(var, "slow", initializer=var)`) and declares the wrapped optimizer with
`_track_trackable`. Registered with `register_keras_serializable(package=...)`, it
serializes under `'Package>Name'`.
"""

import numpy as np
import pytest

import tork as tf

L = tf.keras.optimizers.legacy


class _Wrap(L.Optimizer):
    # Lookahead's pattern in a few lines: the inner optimizer steps, and every second
    # step the variable and its "slow" copy meet halfway.
    def __init__(self, inner, name="Wrap", **kwargs):
        super().__init__(name, **kwargs)
        self._inner = inner
        self._track_trackable(inner, "inner_optimizer")

    def _create_slots(self, var_list):
        self._inner._create_slots(var_list)
        for var in var_list:
            self.add_slot(var, "slow", initializer=var)

    def apply_gradients(self, grads_and_vars, name=None, **kwargs):
        self._inner._iterations = self.iterations
        return super().apply_gradients(grads_and_vars, name, **kwargs)

    def _resource_apply_dense(self, grad, var):
        self._inner._resource_apply_dense(grad, var)
        slow = self.get_slot(var, "slow")
        sync = tf.equal((self.iterations + 1) % 2, 0)
        new = slow + 0.5 * (var - slow)
        slow.assign(tf.where(sync, new, slow))
        var.assign(tf.where(sync, new, var))


def _run(inner):
    var = tf.Variable([1.0, -2.0])
    opt = _Wrap(inner)
    for _ in range(3):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(var**3)
        opt.apply_gradients([(tape.gradient(loss, var), var)])
    return opt, var


# Values from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) running the same wrapper.
@pytest.mark.parametrize(
    "make, var_after, slow_after",
    [
        (lambda: L.SGD(0.1), [0.5956143, -9.267949], [0.7765, -4.136]),
        (lambda: L.SGD(0.1, momentum=0.9), [0.14274335, -14.972294], [0.6415, -4.676]),
        (lambda: L.Adam(0.1), [0.8017979, -2.2002926], [0.9005456, -2.1000674]),
    ],
)
def test_wrapper_drives_inner_optimizer_like_tf(make, var_after, slow_after):
    inner = make()
    opt, var = _run(inner)
    np.testing.assert_allclose(var.numpy(), var_after, rtol=1e-5)
    np.testing.assert_allclose(opt.get_slot(var, "slow").numpy(), slow_after, rtol=1e-5)
    assert int(inner.iterations) == 3


def test_add_slot_initial_value_from_variable():
    opt = _Wrap(L.SGD(0.1))
    var = tf.Variable([3.0, 4.0])
    opt.build([var])
    # The slot starts at the variable's value and is a copy, not the variable itself.
    np.testing.assert_allclose(opt.get_slot(var, "slow").numpy(), [3.0, 4.0])
    var.assign([0.0, 0.0])
    np.testing.assert_allclose(opt.get_slot(var, "slow").numpy(), [3.0, 4.0])


def test_add_slot_initial_value_of_another_shape_keeps_its_shape():
    # As tf_keras 2.21's OptimizerV2.add_slot: a tensor initializer is the slot's initial
    # value, shape included (TF Addons' NovoGrad keeps a scalar "v" slot).
    class Other(L.SGD):
        def _create_slots(self, var_list):
            for var in var_list:
                self.add_slot(var, "slow", initializer=tf.zeros((3,)))
                self.add_slot(var, "scalar", initializer=tf.zeros(()))

    opt = Other(0.1)
    var = tf.Variable([1.0, 2.0])
    opt.build([var])
    assert tuple(opt.get_slot(var, "slow").shape) == (3,)
    assert tuple(opt.get_slot(var, "scalar").shape) == ()


def test_track_trackable_checkpoints_inner_optimizer(tmp_path):
    opt, var = _run(L.Adam(0.1))
    m = opt._inner.get_slot(var, "m").numpy()
    path = tf.train.Checkpoint(optimizer=opt, var=var).save(str(tmp_path / "ckpt"))

    opt2 = _Wrap(L.Adam(0.1))
    var2 = tf.Variable([0.0, 0.0])
    opt2.build([var2])
    tf.train.Checkpoint(optimizer=opt2, var=var2).restore(path)
    np.testing.assert_allclose(opt2._inner.get_slot(var2, "m").numpy(), m)
    np.testing.assert_allclose(var2.numpy(), var.numpy())


def test_track_trackable_refuses_a_second_object_under_one_name():
    opt = _Wrap(L.SGD(0.1))
    assert opt._track_trackable(opt._inner, "inner_optimizer") is opt._inner
    with pytest.raises(ValueError, match="'inner_optimizer' is already tracked"):
        opt._track_trackable(L.SGD(0.2), "inner_optimizer")
    other = L.SGD(0.2)
    assert opt._track_trackable(other, "inner_optimizer", overwrite=True) is other


def test_registered_optimizer_serializes_under_package_name():
    @tf.keras.utils.register_keras_serializable(package="SweepTfa")
    class Radamish(L.Optimizer):
        def __init__(self, learning_rate=0.01, name="Radamish", **kwargs):
            super().__init__(name, **kwargs)
            self._set_hyper("learning_rate", learning_rate)

        def get_config(self):
            config = super().get_config()
            config["learning_rate"] = self._serialize_hyperparameter("learning_rate")
            return config

    config = tf.keras.optimizers.serialize(Radamish(0.5))
    # tf_keras 2.21 gives the same class_name/registered_name pair.
    assert config["class_name"] == "Radamish"
    assert config["registered_name"] == "SweepTfa>Radamish"
    # Found through the registry, with no custom_objects (as TF does).
    restored = tf.keras.optimizers.deserialize(config)
    assert type(restored) is Radamish
    assert float(restored._get_hyper("learning_rate")) == pytest.approx(0.5)


class _Avg(L.Optimizer):
    # MovingAverage's pattern: the inner optimizer's `_prepare_local` fills apply_state,
    # `_dense_apply_args` says whether to pass it on, and an "average" slot starting at
    # the variable follows it through `tf.__internal__.train.assign_moving_average`.
    def __init__(self, inner, decay=0.5, name="Avg", **kwargs):
        super().__init__(name, **kwargs)
        self._inner = inner
        self._set_hyper("average_decay", decay)

    def _create_slots(self, var_list):
        self._inner._create_slots(var_list=var_list)
        for var in var_list:
            self.add_slot(var, "average", var.read_value())

    def _prepare_local(self, var_device, var_dtype, apply_state):
        self._inner._prepare_local(var_device, var_dtype, apply_state=apply_state)

    def apply_gradients(self, grads_and_vars, name=None, **kwargs):
        self._inner._iterations = self.iterations
        return super().apply_gradients(grads_and_vars, name, **kwargs)

    def _resource_apply_dense(self, grad, var, apply_state=None):
        if "apply_state" in self._inner._dense_apply_args:
            self._inner._resource_apply_dense(grad, var, apply_state=apply_state)
        else:
            self._inner._resource_apply_dense(grad, var)
        decay = self._get_hyper("average_decay", tf.float32)
        average = self.get_slot(var, "average")
        tf.__internal__.train.assign_moving_average(average, var, decay, zero_debias=False)


# Values from tf_keras 2.21 (TF_USE_LEGACY_KERAS=1) running the same wrapper.
@pytest.mark.parametrize(
    "make, var_after, average_after",
    [
        (lambda: L.SGD(0.1, momentum=0.5), [0.2057773, -22.875317], [0.41613865, -13.805658]),
        (lambda: L.RMSprop(0.1), [0.454526, -2.804739], [0.57372934, -2.5854979]),
    ],
)
def test_averaging_wrapper_matches_tf(make, var_after, average_after):
    var = tf.Variable([1.0, -2.0])
    opt = _Avg(make())
    for _ in range(3):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(var**3)
        opt.apply_gradients([(tape.gradient(loss, var), var)])
    np.testing.assert_allclose(var.numpy(), var_after, rtol=1e-5)
    np.testing.assert_allclose(opt.get_slot(var, "average").numpy(), average_after, rtol=1e-5)


def test_apply_args_list_the_resource_apply_signatures():
    # As tf_keras 2.21 lists them (getfullargspec of the bound methods).
    adam = L.Adam()
    assert adam._dense_apply_args == ["self", "grad", "var", "apply_state"]
    assert adam._sparse_apply_args == ["self", "grad", "var", "indices", "apply_state"]

    class Plain(L.Optimizer):
        def _resource_apply_dense(self, grad, var):
            pass

    assert Plain("plain")._dense_apply_args == ["self", "grad", "var"]


def test_registered_schedule_serializes_under_package_name():
    @tf.keras.utils.register_keras_serializable(package="SweepTfa")
    class Tri(tf.keras.optimizers.schedules.LearningRateSchedule):
        def __init__(self, low, high, step_size):
            self.low, self.high, self.step_size = low, high, step_size

        def __call__(self, step):
            cycle = tf.floor(1 + step / (2 * self.step_size))
            x = tf.abs(step / self.step_size - 2 * cycle + 1)
            return self.low + (self.high - self.low) * tf.maximum(0.0, 1 - x)

        def get_config(self):
            return {"low": self.low, "high": self.high, "step_size": self.step_size}

    config = tf.keras.optimizers.schedules.serialize(Tri(0.0, 1.0, 2.0))
    # tf_keras 2.21 gives the same pair.
    assert (config["class_name"], config["registered_name"]) == ("Tri", "SweepTfa>Tri")
    restored = tf.keras.optimizers.schedules.deserialize(config)
    assert type(restored) is Tri
    assert [float(restored(float(i))) for i in range(5)] == [0.0, 0.5, 1.0, 0.5, 0.0]
