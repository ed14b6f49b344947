"""Layer fixes from the sweep follow-ups; expected values from tf_keras 2.21 / Keras 3.15."""

import numpy as np
import pytest

import tork as tf
from tork import keras


def test_numpy_scalar_input_names_the_layer_and_shape():
    # tf_keras / Keras 3: "expected min_ndim=2, found ndim=0. Full shape received: ()".
    with pytest.raises(
        ValueError, match=r"Dense layer 'd4'.*expected rank >= 2.*rank 0 \(shape \(\)\)"
    ):
        keras.layers.Dense(4, name="d4")(np.float32(3.0))
    out = keras.layers.Dense(4)(np.array([[3.0]], dtype="float32"))
    assert tuple(out.shape) == (1, 4)


def test_missing_attribute_of_unbuilt_layer_says_to_build_it():
    layer = keras.layers.Dense(2, name="d")
    with pytest.raises(AttributeError) as info:
        layer.kernel  # noqa: B018
    assert str(info.value) == (
        "'Dense' object has no attribute 'kernel'. Layer 'd' is not built yet: if `kernel` is "
        "created in build(), you must build the layer before accessing `kernel` (call the layer "
        "on inputs, or call layer.build(input_shape))."
    )
    assert not hasattr(layer, "bias")
    layer.build((None, 3))
    with pytest.raises(AttributeError) as info:
        layer.kernal  # noqa: B018
    assert str(info.value) == "'Dense' object has no attribute 'kernal'"


KERAS2_NAME_MESSAGE = (
    'Can\'t set the attribute "name", likely because it conflicts with an existing read-only '
    "@property of the object. Please choose a different name."
)


def test_setting_read_only_name_gives_keras2_message():
    class Named(keras.layers.Layer):
        def __init__(self):
            super().__init__()
            self.name = "foo"

    class NamedModel(keras.Model):
        def __init__(self):
            super().__init__()
            self.name = "foo"

    for cls in (Named, NamedModel):
        with pytest.raises(AttributeError) as info:
            cls()
        assert str(info.value) == KERAS2_NAME_MESSAGE


def test_save_own_variables_writes_own_variables_in_keras_order():
    layer = keras.layers.Dense(2)
    layer.build((None, 3))
    store = {}
    layer.save_own_variables(store)
    # Keras 3: {'0': (3, 2), '1': (2,)}.
    assert {k: v.shape for k, v in store.items()} == {"0": (3, 2), "1": (2,)}
    np.testing.assert_array_equal(store["0"], layer.kernel.numpy())

    norm = keras.layers.BatchNormalization()
    norm.build((None, 3))
    store = {}
    norm.save_own_variables(store)
    assert list(store) == ["0", "1", "2", "3"]  # gamma, beta, moving mean, moving variance
    np.testing.assert_array_equal(store["3"], np.ones(3))

    class Outer(keras.layers.Layer):
        def build(self, input_shape):
            self.a = self.add_weight(shape=(1,), name="a")
            self.inner = keras.layers.Dense(1)
            self.inner.build(input_shape)
            self.b = self.add_weight(shape=(2,), name="b", trainable=False)

    outer = Outer()
    outer.build((None, 3))
    store = {}
    outer.save_own_variables(store)
    assert {k: v.shape for k, v in store.items()} == {"0": (1,), "1": (2,)}  # not inner's
    store = {}
    keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)]).save_own_variables(store)
    assert store == {}


def test_load_own_variables_sets_values_and_checks_count_and_shape():
    source = keras.layers.Dense(2)
    source.build((None, 3))
    source.set_weights([np.arange(6, dtype="float32").reshape(3, 2), np.array([1.0, 2.0])])
    store = {}
    source.save_own_variables(store)
    target = keras.layers.Dense(2, name="target")
    target.build((None, 3))
    target.load_own_variables(store)
    np.testing.assert_array_equal(target.kernel.numpy(), np.arange(6).reshape(3, 2))
    np.testing.assert_array_equal(target.bias.numpy(), [1.0, 2.0])
    with pytest.raises(ValueError) as info:
        target.load_own_variables({"0": np.zeros((3, 2))})
    # Keras 3's words.
    assert str(info.value) == (
        "Layer 'target' expected 2 variables, but received 1 variables during loading. "
        "Expected: ['kernel', 'bias']"
    )
    with pytest.raises(ValueError) as info:
        target.load_own_variables({"0": np.zeros((4, 2)), "1": np.zeros(2)})
    assert str(info.value) == (
        "Layer 'target'.load_own_variables: variable 'kernel' has shape (3, 2), but the "
        "stored array has shape (4, 2)."
    )
    np.testing.assert_array_equal(target.bias.numpy(), [1.0, 2.0])  # nothing half-loaded


def test_keras_file_round_trip_still_uses_plain_vars(tmp_path):
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    path = str(tmp_path / "m.keras")
    model.save(path)
    loaded = keras.models.load_model(path)
    x = np.ones((1, 3), dtype="float32")
    np.testing.assert_allclose(np.asarray(loaded(x)), np.asarray(model(x)), rtol=1e-6)
    assert tf.is_tensor(loaded(x))
