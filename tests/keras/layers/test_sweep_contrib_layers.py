"""keras-team/keras-contrib's layers (Keras 2 standalone code) on tork, against tf_keras.

The classes below are reduced from keras_contrib/layers (advanced_activations/pelu.py and
srelu.py, normalization/instancenormalization.py and groupnormalization.py,
convolutional/subpixelupscaling.py, core.py CosineDense, capsule.py), keeping their
`K.*` calls as written; `keras_contrib.backend`'s helpers are inlined with their
TensorFlow 2 spellings (`tf.nn.moments`, `tf.nn.depth_to_space`). Each case builds the
layer in a functional model, sets fixed weights, predicts, then trains two SGD steps
through it with a fixed Dense head. EXPECTED holds the same script's numbers on tf_keras
2.21 (TF_USE_LEGACY_KERAS=1) in the reference env: output shape, the first outputs, the
sum of |outputs|, the two epoch losses, the layer's first weights after training.
"""

import numpy as np
import pytest
from tork.keras.engine import InputSpec, Layer

import tork as tf
from tork.keras import activations, initializers
from tork.keras import backend as K
from tork.keras.layers import Dense, Flatten, Input
from tork.keras.models import Model


class PELU(Layer):
    # keras_contrib/layers/advanced_activations/pelu.py
    def __init__(
        self, alpha_initializer="ones", beta_initializer="ones", shared_axes=None, **kwargs
    ):
        super().__init__(**kwargs)
        self.supports_masking = True
        self.alpha_initializer = initializers.get(alpha_initializer)
        self.beta_initializer = initializers.get(beta_initializer)
        if shared_axes is None:
            self.shared_axes = None
        elif not isinstance(shared_axes, (list, tuple)):
            self.shared_axes = [shared_axes]
        else:
            self.shared_axes = list(shared_axes)

    def build(self, input_shape):
        param_shape = list(input_shape[1:])
        if self.shared_axes is not None:
            for i in self.shared_axes:
                param_shape[i - 1] = 1
        param_shape = tuple(param_shape)
        self.alpha = self.add_weight(
            shape=param_shape, name="alpha", initializer=self.alpha_initializer
        )
        self.beta = self.add_weight(
            shape=param_shape, name="beta", initializer=self.beta_initializer
        )
        axes = {}
        if self.shared_axes:
            for i in range(1, len(input_shape)):
                if i not in self.shared_axes:
                    axes[i] = input_shape[i]
        self.input_spec = InputSpec(ndim=len(input_shape), axes=axes)
        self.built = True

    def call(self, x, mask=None):
        pos = K.relu(x) * self.alpha / self.beta
        neg = self.alpha * (K.exp((-K.relu(-x)) / self.beta) - 1)
        return neg + pos


class SReLU(Layer):
    # keras_contrib/layers/advanced_activations/srelu.py
    def __init__(self, shared_axes=None, **kwargs):
        super().__init__(**kwargs)
        self.shared_axes = shared_axes

    def build(self, input_shape):
        param_shape = list(input_shape[1:])
        if self.shared_axes is not None:
            for i in self.shared_axes:
                param_shape[i - 1] = 1
        param_shape = tuple(param_shape)
        self.t_left = self.add_weight(shape=param_shape, name="t_left", initializer="zeros")
        self.a_left = self.add_weight(shape=param_shape, name="a_left", initializer="zeros")
        self.t_right = self.add_weight(shape=param_shape, name="t_right", initializer="ones")
        self.a_right = self.add_weight(shape=param_shape, name="a_right", initializer="ones")
        self.built = True

    def call(self, x, mask=None):
        # ensure the the right part is always to the right of the left
        t_right_actual = self.t_left + K.abs(self.t_right)
        t_left = self.t_left
        a_left = self.a_left
        a_right = self.a_right
        y_left_and_center = t_left + K.relu(x - t_left, a_left, t_right_actual - t_left)
        y_right = K.relu(x - t_right_actual) * a_right
        return y_left_and_center + y_right


class InstanceNormalization(Layer):
    # keras_contrib/layers/normalization/instancenormalization.py
    def __init__(self, axis=None, epsilon=1e-3, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.epsilon = epsilon

    def build(self, input_shape):
        ndim = len(input_shape)
        self.input_spec = InputSpec(ndim=ndim)
        shape = (1,) if self.axis is None else (input_shape[self.axis],)
        self.gamma = self.add_weight(shape=shape, name="gamma", initializer="ones")
        self.beta = self.add_weight(shape=shape, name="beta", initializer="zeros")
        self.built = True

    def call(self, inputs, training=None):
        input_shape = K.int_shape(inputs)
        reduction_axes = list(range(0, len(input_shape)))
        if self.axis is not None:
            del reduction_axes[self.axis]
        del reduction_axes[0]
        mean = K.mean(inputs, reduction_axes, keepdims=True)
        stddev = K.std(inputs, reduction_axes, keepdims=True) + self.epsilon
        normed = (inputs - mean) / stddev
        broadcast_shape = [1] * len(input_shape)
        if self.axis is not None:
            broadcast_shape[self.axis] = input_shape[self.axis]
        normed = normed * K.reshape(self.gamma, broadcast_shape)
        return normed + K.reshape(self.beta, broadcast_shape)


class GroupNormalization(Layer):
    # keras_contrib/layers/normalization/groupnormalization.py (KC.moments is tf.nn.moments)
    def __init__(self, groups=32, axis=-1, epsilon=1e-5, **kwargs):
        super().__init__(**kwargs)
        self.groups = groups
        self.axis = axis
        self.epsilon = epsilon

    def build(self, input_shape):
        dim = input_shape[self.axis]
        self.input_spec = InputSpec(ndim=len(input_shape), axes={self.axis: dim})
        self.gamma = self.add_weight(shape=(dim,), name="gamma", initializer="ones")
        self.beta = self.add_weight(shape=(dim,), name="beta", initializer="zeros")
        self.built = True

    def call(self, inputs, **kwargs):
        input_shape = K.int_shape(inputs)
        tensor_input_shape = K.shape(inputs)
        broadcast_shape = [1] * len(input_shape)
        broadcast_shape[self.axis] = input_shape[self.axis] // self.groups
        broadcast_shape.insert(1, self.groups)
        reshape_group_shape = K.shape(inputs)
        group_axes = [reshape_group_shape[i] for i in range(len(input_shape))]
        group_axes[self.axis] = input_shape[self.axis] // self.groups
        group_axes.insert(1, self.groups)
        group_shape = [group_axes[0], self.groups] + group_axes[2:]
        group_shape = K.stack(group_shape)
        inputs = K.reshape(inputs, group_shape)
        group_reduction_axes = list(range(len(group_axes)))
        mean, variance = tf.nn.moments(inputs, group_reduction_axes[2:], keepdims=True)
        inputs = (inputs - mean) / (K.sqrt(variance + self.epsilon))
        outputs = K.reshape(inputs, group_shape)
        outputs = outputs * K.reshape(self.gamma, broadcast_shape)
        outputs = outputs + K.reshape(self.beta, broadcast_shape)
        return K.reshape(outputs, tensor_input_shape)

    def compute_output_shape(self, input_shape):
        return input_shape


class SubPixelUpscaling(Layer):
    # keras_contrib/layers/convolutional/subpixelupscaling.py (KC.depth_to_space)
    def __init__(self, scale_factor=2, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.scale_factor = scale_factor
        self.data_format = data_format or K.image_data_format()

    def build(self, input_shape):
        pass

    def call(self, x, mask=None):
        if self.data_format == "channels_first":
            x = tf.transpose(x, (0, 2, 3, 1))
        y = tf.nn.depth_to_space(x, self.scale_factor)
        if self.data_format == "channels_first":
            y = tf.transpose(y, (0, 3, 1, 2))
        return y

    def compute_output_shape(self, input_shape):
        if self.data_format == "channels_first":
            b, k, r, c = input_shape
            s = self.scale_factor
            return b, k // (s * s), r * s, c * s
        b, r, c, k = input_shape
        s = self.scale_factor
        return b, r * s, c * s, k // (s * s)


class CosineDense(Layer):
    # keras_contrib/layers/core.py
    def __init__(self, units, activation=None, use_bias=True, **kwargs):
        if "input_shape" not in kwargs and "input_dim" in kwargs:
            kwargs["input_shape"] = (kwargs.pop("input_dim"),)
        self.activation = activations.get(activation)
        self.units = units
        self.use_bias = use_bias
        super().__init__(**kwargs)

    def build(self, input_shape):
        input_dim = input_shape[-1]
        self.input_spec = [InputSpec(dtype=K.floatx(), ndim=len(input_shape))]
        self.kernel = self.add_weight(
            shape=(input_dim, self.units),
            initializer="glorot_uniform",
            name=f"{self.name}_W",
        )
        if self.use_bias:
            self.bias = self.add_weight(
                shape=(self.units,), initializer="zero", name=f"{self.name}_b"
            )
        else:
            self.bias = None
        self.built = True

    def call(self, x, mask=None):
        if self.use_bias:
            b, xb = self.bias, 1.0
        else:
            b, xb = 0.0, 0.0
        xnorm = K.sqrt(K.sum(K.square(x), axis=-1, keepdims=True) + xb + K.epsilon())
        Wnorm = K.sqrt(K.sum(K.square(self.kernel), axis=0) + K.square(b) + K.epsilon())
        xWnorm = xnorm * Wnorm
        output = K.dot(x, self.kernel) / xWnorm
        if self.use_bias:
            output += self.bias / xWnorm
        return self.activation(output)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)


class Capsule(Layer):
    # keras_contrib/layers/capsule.py
    def __init__(
        self, num_capsule, dim_capsule, routings=3, share_weights=True, activation=None, **kwargs
    ):
        super().__init__(**kwargs)
        self.num_capsule = num_capsule
        self.dim_capsule = dim_capsule
        self.routings = routings
        self.share_weights = share_weights
        self.activation = activations.get(activation)

    def build(self, input_shape):
        rows = 1 if self.share_weights else input_shape[-2]
        self.W = self.add_weight(
            name="capsule_kernel",
            shape=(rows, input_shape[-1], self.num_capsule * self.dim_capsule),
            initializer="glorot_uniform",
            trainable=True,
        )
        self.build = True

    def call(self, inputs):
        if self.share_weights:
            u_hat_vectors = K.conv1d(inputs, self.W)
        else:
            u_hat_vectors = K.local_conv1d(inputs, self.W, [1], [1])
        batch_size = K.shape(inputs)[0]
        input_num_capsule = K.shape(inputs)[1]
        u_hat_vectors = K.reshape(
            u_hat_vectors, (batch_size, input_num_capsule, self.num_capsule, self.dim_capsule)
        )
        u_hat_vectors = K.permute_dimensions(u_hat_vectors, (0, 2, 1, 3))
        routing_weights = K.zeros_like(u_hat_vectors[:, :, :, 0])
        for i in range(self.routings):
            capsule_weights = K.softmax(routing_weights, 1)
            outputs = K.batch_dot(capsule_weights, u_hat_vectors, [2, 2])
            if K.ndim(outputs) == 4:
                outputs = K.sum(outputs, axis=1)
            if i < self.routings - 1:
                outputs = K.l2_normalize(outputs, -1)
                routing_weights = K.batch_dot(outputs, u_hat_vectors, [2, 3])
                if K.ndim(routing_weights) == 4:
                    routing_weights = K.sum(routing_weights, axis=1)
        return self.activation(outputs)

    def compute_output_shape(self, input_shape):
        return (None, self.num_capsule, self.dim_capsule)


def _set(layer, seed):
    rng = np.random.RandomState(seed)
    layer.set_weights(
        [rng.uniform(0.5, 1.5, w.shape).astype("float32") for w in layer.get_weights()]
    )


def run_case(name):
    rng = np.random.RandomState(0)
    if name == "pelu":
        x = rng.randn(2, 3, 4).astype("float32") * 2
        lay, shape = PELU(shared_axes=1, name="act"), (3, 4)
    elif name == "instnorm":
        x = rng.randn(2, 3, 3, 2).astype("float32")
        lay, shape = InstanceNormalization(name="inorm"), (3, 3, 2)
    elif name == "instnorm_axis":
        x = rng.randn(2, 3, 3, 2).astype("float32")
        lay, shape = InstanceNormalization(axis=-1, name="inorm"), (3, 3, 2)
    elif name == "groupnorm":
        x = rng.randn(2, 2, 2, 4).astype("float32")
        lay, shape = GroupNormalization(groups=2, name="gnorm"), (2, 2, 4)
    elif name == "subpixel":
        x = np.arange(2 * 2 * 2 * 8, dtype="float32").reshape(2, 2, 2, 8)
        lay, shape = SubPixelUpscaling(2, name="sub"), (2, 2, 8)
    elif name == "subpixel_cf":
        x = np.arange(2 * 8 * 2 * 2, dtype="float32").reshape(2, 8, 2, 2)
        lay, shape = SubPixelUpscaling(2, data_format="channels_first", name="sub"), (8, 2, 2)
    elif name == "cosdense":
        x = rng.randn(2, 4).astype("float32")
        lay, shape = CosineDense(3, name="cos"), (4,)
    elif name == "capsule":
        x = rng.randn(2, 4, 3).astype("float32")
        lay, shape = Capsule(2, 2, name="cap"), (4, 3)
    elif name == "capsule_local":
        x = rng.randn(2, 4, 3).astype("float32")
        lay, shape = Capsule(2, 2, share_weights=False, name="cap"), (4, 3)
    inp = Input(shape)
    out = lay(inp)
    model = Model(inp, out)
    _set(lay, 1)
    y = model.predict(x, verbose=0)
    # a few training steps through the layer, with a fixed head
    head = Dense(1, kernel_initializer="ones", name="head")
    train = Model(inp, head(Flatten()(out)))
    train.compile("sgd", "mse")
    hist = train.fit(
        x, np.ones((len(x), 1), "float32"), epochs=2, batch_size=len(x), verbose=0, shuffle=False
    )
    return K.int_shape(out), y, hist.history["loss"], [w for w in lay.get_weights()]


# Same script on tf_keras 2.21 in the reference env (see the module docstring).
EXPECTED = {
    "pelu": (
        (None, 3, 4),
        [5.0024, 1.6488, 1.4265, 4.2527, 5.2959, -1.1753],
        40.812,
        [258.46, 3.3447],
        [-1.9193, 0.65315, -1.1428],
    ),
    "instnorm": (
        (None, 3, 3, 2),
        [2.4453, 0.92839, 1.5719, 2.9756, 2.5604, -0.60356],
        46.9942,
        [439.57, 3743.1],
        [-4.6179],
    ),
    "instnorm_axis": (
        (None, 3, 3, 2),
        [1.6793, 0.79837, 0.57924, 3.3159, 1.8243, -1.0855],
        35.9252,
        [114.96, 582.52],
        [0.49301, 0.34041],
    ),
    "groupnorm": (
        (None, 2, 2, 4),
        [1.4358, 0.014857, 0.73161, 2.2114, 1.5286, -1.6288],
        29.8282,
        [92.645, 17.3],
        [0.74432, 1.3428, 0.45635],
    ),
    "subpixel": (
        (None, 4, 4, 2),
        [0.0, 1.0, 2.0, 3.0, 8.0, 9.0],
        2016.0,
        [1276200.0, 903800000000.0],
        [],
    ),
    "subpixel_cf": (
        (None, 2, 4, 4),
        [0.0, 8.0, 1.0, 9.0, 16.0, 24.0],
        2016.0,
        [1276200.0, 903800000000.0],
        [],
    ),
    "cosdense": (
        (None, 3),
        [0.93788, 0.9002, 0.9207, 0.44869, 0.63107, 0.35068],
        4.18922,
        [1.6393, 1.4894],
        [0.91309, 1.2178, 0.49155],
    ),
    "capsule": (
        (None, 2, 2),
        [7.5952, 9.2918, 5.4779, 7.8194, 0.20111, 0.30368],
        31.9453,
        [427.39, 126.47],
        [0.32887, 1.0151, -0.55597],
    ),
    "capsule_local": (
        (None, 2, 2),
        [7.4094, 10.153, 6.3553, 7.8168, 0.26503, 1.0719],
        35.7075,
        [472.32, 205.33],
        [-0.0047448, 0.047465, -0.32589],
    ),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_contrib_layer_matches_tf_keras(name):
    shape, first, abs_sum, losses, weights = EXPECTED[name]
    out_shape, y, loss, ws = run_case(name)
    assert out_shape == shape
    np.testing.assert_allclose(y.ravel()[:6], first, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(np.abs(y).sum(), abs_sum, rtol=1e-4)
    np.testing.assert_allclose(loss, losses, rtol=1e-4)
    if weights:
        np.testing.assert_allclose(ws[0].ravel()[:3], weights, rtol=1e-3, atol=1e-4)


def test_srelu_with_per_unit_tensor_thresholds_matches_its_formula():
    # keras_contrib SReLU passes tensors as K.relu's alpha and max_value (one per unit):
    # standalone Keras 2.2 took them elementwise; tf_keras 2.21 refuses a tensor alpha
    # (`if alpha != 0.0` on a symbolic tensor), so the reference is the layer's formula
    # (numpy): t_l + a_l (x - t_l) below t_l, x between, t_r + a_r (x - t_r) above
    # t_r = t_l + |t_right|.
    rng = np.random.RandomState(0)
    x = rng.randn(3, 2, 4).astype("float32") * 2
    inp = Input((2, 4))
    layer = SReLU(name="srelu")
    model = Model(inp, layer(inp))
    t_l, a_l, t_r, a_r = (rng.uniform(-0.5, 1.5, (2, 4)).astype("float32") for _ in range(4))
    layer.set_weights([t_l, a_l, t_r, a_r])
    t_r_actual = t_l + np.abs(t_r)
    expected = np.where(
        x <= t_l,
        t_l + a_l * (x - t_l),
        np.where(x >= t_r_actual, t_r_actual + a_r * (x - t_r_actual), x),
    )
    np.testing.assert_allclose(model.predict(x, verbose=0), expected, rtol=1e-5, atol=1e-6)
    # shared_axes gives (1, 4) parameters that broadcast over the time axis
    shared = SReLU(shared_axes=[1], name="srelu_shared")
    m2 = Model(inp, shared(inp))
    assert [w.shape for w in shared.get_weights()] == [(1, 4)] * 4
    m2.compile("sgd", "mse")
    m2.fit(x, np.zeros_like(x), epochs=1, verbose=0)
