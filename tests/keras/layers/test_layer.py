"""The Layer base: tracking, lazy build, weights, training flag, masks, losses, config."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import tork as tf
from tork import keras
from tork.keras.layers.layer import Layer


class Scale(Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def build(self, input_shape):
        self.seen_shape = tuple(input_shape)
        self.w = self.add_weight(name="w", shape=(input_shape[-1],), initializer="ones")
        self.frozen = self.add_weight(
            name="frozen", shape=(1,), initializer="zeros", trainable=False
        )

    def call(self, inputs):
        return inputs * self.w + self.frozen


def test_lazy_build_gets_the_real_input_shape():
    layer = Scale()
    assert not layer.built and layer.weights == []
    out = layer(torch.ones(4, 3))
    assert layer.built
    assert layer.seen_shape == (4, 3)
    assert tuple(out.shape) == (4, 3)
    np.testing.assert_allclose(out.numpy(), np.ones((4, 3)))


def test_build_receives_as_list_for_keras2_code():
    shapes = []

    class K2(Layer):
        def build(self, input_shape):
            shapes.append(input_shape.as_list())

    K2()(torch.zeros(2, 5))
    assert shapes == [[2, 5]]


def test_weight_order_names_and_trainability():
    layer = Scale(name="scale")
    layer(torch.ones(2, 3))
    assert [w.name for w in layer.weights] == ["scale/w:0", "scale/frozen:0"]
    assert layer.trainable_weights == [layer.w]
    assert layer.non_trainable_weights == [layer.frozen]
    assert layer.w.requires_grad and not layer.frozen.requires_grad
    assert layer.count_params() == 4


def test_get_set_weights_roundtrip_and_errors():
    layer = Scale()
    layer(torch.ones(2, 3))
    layer.set_weights([np.array([1.0, 2.0, 3.0]), np.array([0.5])])
    np.testing.assert_allclose(layer(torch.ones(1, 3)).numpy(), [[1.5, 2.5, 3.5]])
    with pytest.raises(ValueError, match=r"expected 2 arrays.*got 1"):
        layer.set_weights([np.ones(3)])
    with pytest.raises(ValueError, match=r"has shape \(3,\), but the array given has shape \(4,\)"):
        layer.set_weights([np.ones(4), np.ones(1)])


def test_auto_names_are_unique_snake_case():
    a, b = keras.layers.Dense(1), keras.layers.Dense(1)
    base = a.name
    assert base.startswith("dense")
    assert b.name != a.name and b.name.startswith("dense_")

    class MyFancyLayer(Layer):
        pass

    assert MyFancyLayer().name.startswith("my_fancy_layer")


def test_unknown_constructor_argument_is_rejected():
    with pytest.raises(TypeError, match="Keyword argument not understood by Dense: 'unitz'"):
        keras.layers.Dense(3, unitz=4)


def test_tracking_nested_containers_and_mutation():
    class Block(Layer):
        def __init__(self):
            super().__init__()
            self.blocks = []
            self.blocks.append(keras.layers.Dense(2))
            self.by_name = {"a": [keras.layers.Dense(3)], "b": (keras.layers.Dense(4),)}
            self.blocks.append(keras.layers.Dense(5))

        def call(self, x):
            for layer in self.blocks:
                x = layer(x)
            return x + self.by_name["a"][0](x).sum() + self.by_name["b"][0](x).sum()

    block = Block()
    block(torch.ones(1, 7))
    assert len(block.trainable_weights) == 8
    assert len(list(block.parameters())) == 8
    keys = list(block.state_dict())
    assert "blocks.0.kernel" in keys and "by_name.a.0.kernel" in keys and "by_name.b.0.bias" in keys
    assert isinstance(block.blocks, list)


def test_shared_layer_counted_once():
    shared = keras.layers.Dense(3)

    class Twice(keras.Model):
        def __init__(self):
            super().__init__()
            self.a = shared
            self.b = shared

        def call(self, x):
            return self.b(self.a(x))

    model = Twice()
    model(torch.ones(2, 3))
    assert len(model.weights) == 2
    assert model.count_params() == 12


def test_training_flag_propagates_to_sublayers():
    seen = []

    class Probe(Layer):
        def call(self, inputs, training=None):
            seen.append(training)
            return inputs

    class Outer(keras.Model):
        def __init__(self):
            super().__init__()
            self.probe = Probe()

        def call(self, x):
            return self.probe(x)

    model = Outer()
    model(torch.ones(1, 1), training=True)
    model(torch.ones(1, 1))
    model(torch.ones(1, 1), training=False)
    assert seen == [True, None, False]


def test_layer_created_inside_call_works():
    class Inner(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = keras.layers.Dense(4)

        def call(self, x, training=None):
            x = self.d(x)
            if training:
                x = keras.layers.Dropout(0.5)(x)
            return x

    model = Inner()
    out = model(torch.ones(64, 3), training=True)
    # Inverted dropout: about half the values are zero.
    zeros = (out == 0).float().mean().item()
    assert 0.3 < zeros < 0.7


def test_extra_positional_and_keyword_arguments_pass_through():
    class Mix(Layer):
        def call(self, x, y, scale=1.0):
            return (x + y) * scale

    np.testing.assert_allclose(Mix()(torch.ones(1), torch.ones(1), scale=3.0).numpy(), [6.0])


def test_add_weight_in_init_keras2_order():
    class K2(Layer):
        def __init__(self):
            super().__init__()
            self.w = self.add_weight("w", (2,), None, "ones")

        def call(self, x):
            return x * self.w

    layer = K2()
    # tf_keras 2.21: a weight made in __init__ takes no layer scope, `w:0`.
    assert layer.w.path == "w"
    np.testing.assert_allclose(layer(torch.ones(2)).numpy(), [1.0, 1.0])


def test_regularizer_and_add_loss_reach_losses():
    dense = keras.layers.Dense(
        2, kernel_initializer="ones", kernel_regularizer=keras.regularizers.L2(0.1)
    )
    dense(torch.ones(1, 3))
    # 0.1 * sum(ones(3, 2) ** 2) = 0.6
    np.testing.assert_allclose([float(v) for v in dense.losses], [0.6], rtol=1e-6)

    class AddsLoss(Layer):
        def call(self, x):
            self.add_loss(x.sum())
            return x

    layer = AddsLoss()
    layer(torch.ones(2))
    layer(torch.ones(3))
    assert [float(v) for v in layer.losses] == [3.0]  # cleared at each outermost call


def test_trainable_false_freezes_weights_and_sublayers():
    class Holder(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = keras.layers.Dense(2)

        def call(self, x):
            return self.d(x)

    model = Holder()
    model(torch.ones(1, 2))
    model.trainable = False
    assert model.trainable_weights == []
    assert len(model.non_trainable_weights) == 2
    assert not model.d.kernel.requires_grad
    model.trainable = True
    assert len(model.trainable_weights) == 2 and model.d.kernel.requires_grad


def test_numpy_and_float64_inputs_are_cast_to_the_layer_dtype():
    dense = keras.layers.Dense(2)
    out = dense(np.ones((3, 4)))  # float64 numpy
    assert out.dtype == torch.float32


def test_input_size_change_error_names_layer_and_shapes():
    dense = keras.layers.Dense(4, name="proj")
    dense(torch.ones(2, 8))
    with pytest.raises(
        ValueError,
        # tf_keras 2.21's sentence first, then tork's layer name and fix.
        match=r'Input 0 of layer "proj" is incompatible with the layer: expected axis -1 '
        r"of input shape to have value 8, but received input with shape \(2, 5\)\. "
        r"Dense layer 'proj': expected axis -1 of the input to have size 8 \(the size it was "
        r"built with\), but received input of shape \(2, 5\)",
    ):
        dense(torch.ones(2, 5))


def test_error_inside_model_call_names_the_model():
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.d = keras.layers.Dense(4, name="inner")

        def call(self, x):
            return self.d(x)

    net = Net()
    net(torch.ones(2, 8))
    with pytest.raises(ValueError, match=r"Dense layer 'inner' in Net\.call"):
        net(torch.ones(2, 3))


def test_default_get_config_captures_plain_constructor_arguments():
    class Custom(Layer):
        def __init__(self, units, scale=2.0, **kwargs):
            super().__init__(**kwargs)
            self.units = units

    layer = Custom(3, scale=0.5, name="c")
    config = layer.get_config()
    assert config["units"] == 3 and config["scale"] == 0.5 and config["name"] == "c"
    clone = Custom.from_config(config)
    assert clone.units == 3 and clone.name == "c"


def test_get_config_of_unserializable_arguments_says_what_to_add():
    class Holds(Layer):
        def __init__(self, fn):
            super().__init__()
            self.fn = fn

    with pytest.raises(NotImplementedError, match=r"Override get_config\(\)"):
        Holds(object()).get_config()


def test_masks_travel_with_tensors():
    class MaskMaker(Layer):
        def compute_mask(self, inputs, mask=None):
            return inputs != 0

        def call(self, x):
            return x

    class MaskReader(Layer):
        def call(self, x, mask=None):
            self.got = mask
            return x

    x = torch.tensor([[1.0, 0.0, 2.0]])
    reader = MaskReader()
    reader(MaskMaker()(x))
    assert reader.got.tolist() == [[True, False, True]]


def test_torch_interop_parameters_state_dict_and_to():
    model = keras.Sequential([keras.layers.Dense(3, input_shape=(2,)), keras.layers.Dense(1)])
    params = list(model.parameters())
    assert {id(p) for p in params} == {id(w) for w in model.weights}
    state = {k: v.clone() for k, v in model.state_dict().items()}
    for w in model.weights:
        w.assign(torch.zeros_like(w))
    model.load_state_dict(state)
    np.testing.assert_allclose(model.weights[0].numpy(), state[list(state)[0]].numpy())
    model.to("cpu")
    assert all(w.device.type == "cpu" for w in model.weights)


def test_tf_variable_works_in_ops_and_is_a_parameter():
    v = tf.Variable([1.0, 2.0])
    assert isinstance(v, torch.nn.Parameter)
    np.testing.assert_allclose((v * 2).detach().numpy(), [2.0, 4.0])
    assert v.numpy().tolist() == [1.0, 2.0]


def test_torch_func_functional_call_sees_swapped_weights():
    dense = keras.layers.Dense(2, kernel_initializer="ones", bias_initializer="zeros")
    x = torch.ones(1, 3)
    dense(x)
    swapped = torch.func.functional_call(
        dense, {"kernel": torch.zeros(3, 2), "bias": torch.ones(2)}, (x,)
    )
    np.testing.assert_allclose(swapped.numpy(), [[1.0, 1.0]])
    np.testing.assert_allclose(dense(x).numpy(), [[3.0, 3.0]])


def test_deepcopy_and_pickle_of_a_built_model_are_independent():
    import copy
    import pickle

    model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,), kernel_initializer="ones")])
    x = torch.ones(1, 3)
    for clone in (copy.deepcopy(model), pickle.loads(pickle.dumps(model))):
        clone.layers[0].kernel.assign(torch.zeros(3, 2))
        np.testing.assert_allclose(clone(x).numpy(), [[0.0, 0.0]])
        np.testing.assert_allclose(model(x).numpy(), [[3.0, 3.0]])
        assert clone.layers[0].kernel is clone.layers[0]._parameters["kernel"]


def test_deleting_and_replacing_weights_and_sublayers():
    layer = Scale()
    layer(torch.ones(1, 2))
    del layer.frozen
    assert "frozen" not in layer.state_dict()
    assert not hasattr(layer, "frozen")
    holder = keras.Model()
    holder.inner = keras.layers.Dense(1)
    holder.inner = keras.layers.Dense(2)
    assert holder.inner.units == 2 and holder._modules["inner"] is holder.inner


def test_calling_build_directly_marks_the_layer_built():
    class Direct(Layer):
        def build(self, input_shape):
            self.w = self.add_weight(shape=(input_shape[-1], 2), name="w")

        def call(self, x):
            return x @ self.w

    layer = Direct()
    layer.build((None, 3))
    assert layer.built and layer.input_shape == (None, 3)
    layer.set_weights([np.ones((3, 2))])
    np.testing.assert_allclose(layer(torch.ones(1, 3)).numpy(), [[3.0, 3.0]])
    assert len(layer.weights) == 1


def test_symbolic_input_and_output_of_layers():
    x = keras.Input(shape=(8,))
    hidden = keras.layers.Dense(4)
    h = hidden(x)
    assert hidden.output is h and hidden.input is x
    with pytest.raises(AttributeError, match="never been called on symbolic inputs"):
        keras.layers.Dense(1).output  # noqa: B018


def test_activity_regularizer_given_by_name():
    import torch

    from tork import keras as _k

    layer = _k.layers.Dense(2, kernel_initializer="ones", activity_regularizer="l2")
    out = layer(torch.ones(1, 3))  # each output is 3
    # Keras's 'l2' activity penalty: 0.01 * sum(out**2), divided by the batch size (1).
    assert float(layer.losses[0]) == pytest.approx(0.01 * 2 * 9)
    assert float((out**2).sum()) == pytest.approx(18.0)


def test_forgetting_super_init_is_explained():
    class NoInit(keras.layers.Layer):
        def __init__(self):
            self.units = 2  # plain values are fine; the layer use below is not

        def call(self, x):
            return x

    with pytest.raises(AttributeError, match=r"forgot to call `super\(\).__init__\(\)`"):
        NoInit()(np.ones((2, 2), "float32"))

    class NoInitWithSublayer(keras.layers.Layer):
        def __init__(self):
            self.dense = keras.layers.Dense(2)

        def call(self, x):
            return self.dense(x)

    # Keras accepts sublayers assigned before super().__init__(); using the layer without
    # super().__init__() at all is what fails.
    with pytest.raises(AttributeError, match=r"subclassing `Layer` and you forgot to call"):
        NoInitWithSublayer()(np.ones((2, 2), "float32"))

    class NoInitModel(keras.Model):
        def __init__(self):
            self.dense = keras.layers.Dense(2)

    with pytest.raises(AttributeError, match=r"subclassing `Model` and you forgot to call"):
        _ = NoInitModel().trainable_weights


def test_numpy_mask_argument_reaches_call_as_a_tensor():
    class MaskedMean(keras.layers.Layer):
        def call(self, inputs, mask=None):
            weights = mask.to(inputs.dtype).unsqueeze(-1)  # a tensor method on the mask
            return (inputs * weights).sum(1) / weights.sum(1)

    x = np.arange(12, dtype="float32").reshape(2, 3, 2)
    mask = np.array([[True, True, False], [True, False, False]])
    out = MaskedMean()(x, mask=mask)
    np.testing.assert_allclose(np.asarray(out), [[1.0, 2.0], [6.0, 7.0]])


def test_model_build_by_shape_names_weights_without_the_model_scope():
    # Model.build(shape) runs call() (not __call__) on placeholders: tf_keras 2.21 names
    # the layers built there without the model's scope ('dense/kernel:0').
    class MLP(keras.Model):
        def __init__(self):
            super().__init__(name="mlp")
            self.hidden = keras.layers.Dense(4, name="dense")

        def call(self, x):
            return self.hidden(x)

    model = MLP()
    model.build((None, 3))
    assert [w.name for w in model.weights] == ["dense/kernel:0", "dense/bias:0"]
