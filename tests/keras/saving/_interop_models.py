"""Model builders shared by the tork test process and the real-Keras subprocess.

Each builder takes the `keras` module (real Keras 3 or `tork.keras`) and
returns `(model, input_array)`; the same code builds the same architecture in
both libraries.
"""

import numpy as np


def _x(*shape, integers=None):
    rng = np.random.default_rng(7)
    if integers is not None:
        return rng.integers(0, integers, size=shape).astype("int32")
    return rng.normal(size=shape).astype("float32")


def sequential_dense(keras):
    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(8, activation="relu"),
            keras.layers.Dense(3, activation="softmax"),
        ]
    )
    return model, _x(5, 4)


def sequential_input_shape(keras):
    # The Keras 2 spelling: the first layer declares the input (Keras 3 warns but accepts it).
    model = keras.Sequential(
        [keras.layers.Dense(6, activation="relu", input_shape=(4,)), keras.layers.Dense(2)]
    )
    return model, _x(5, 4)


def functional_dense(keras):
    inputs = keras.Input((4,), name="features")
    a = keras.layers.Dense(6, activation="tanh", name="left")(inputs)
    b = keras.layers.Dense(6, name="right")(inputs)
    merged = keras.layers.Concatenate()([a, b])
    hidden = keras.layers.Dense(5, activation="relu")(merged)
    outputs = keras.layers.Add()([keras.layers.Dense(2)(hidden), keras.layers.Dense(2)(merged)])
    return keras.Model(inputs, outputs), _x(5, 4)


def embedding(keras):
    model = keras.Sequential(
        [
            keras.Input((6,), dtype="int32"),
            keras.layers.Embedding(20, 4),
            keras.layers.Flatten(),
            keras.layers.Dense(2),
        ]
    )
    return model, _x(5, 6, integers=20)


def conv2d(keras):
    model = keras.Sequential(
        [
            keras.Input((8, 8, 3)),
            keras.layers.Conv2D(4, 3, padding="same", activation="relu"),
            keras.layers.MaxPooling2D(),
            keras.layers.Conv2D(2, 3),
            keras.layers.GlobalAveragePooling2D(),
            keras.layers.Dense(2),
        ]
    )
    return model, _x(3, 8, 8, 3)


def batch_norm(keras):
    model = keras.Sequential(
        [
            keras.Input((4,)),
            keras.layers.Dense(6),
            keras.layers.BatchNormalization(),
            keras.layers.Dense(2),
        ]
    )
    return model, _x(5, 4)


def lstm(keras):
    model = keras.Sequential(
        [keras.Input((5, 3)), keras.layers.LSTM(4, return_sequences=True), keras.layers.GRU(3)]
    )
    return model, _x(2, 5, 3)


def attention(keras):
    inputs = keras.Input((5, 8))
    attended = keras.layers.MultiHeadAttention(num_heads=2, key_dim=4)(inputs, inputs)
    normed = keras.layers.LayerNormalization()(keras.layers.Add()([inputs, attended]))
    pooled = keras.layers.GlobalAveragePooling1D()(normed)
    return keras.Model(inputs, keras.layers.Dense(2)(pooled)), _x(2, 5, 8)


def cross_attention(keras):
    """Query, value and key of different shapes: the build config records all three."""
    inputs = keras.Input((5, 8))
    context = keras.layers.Cropping1D((0, 2))(inputs)
    value = keras.layers.Dense(6)(context)
    key = keras.layers.Dense(7)(context)
    attended = keras.layers.MultiHeadAttention(num_heads=2, key_dim=3, value_dim=4)(
        inputs, value, key
    )
    pooled = keras.layers.GlobalAveragePooling1D()(attended)
    return keras.Model(inputs, keras.layers.Dense(2)(pooled)), _x(2, 5, 8)


def recurrent_wrappers(keras):
    model = keras.Sequential(
        [
            keras.Input((6, 3)),
            keras.layers.Bidirectional(keras.layers.LSTM(3, return_sequences=True)),
            keras.layers.TimeDistributed(keras.layers.Dense(2)),
            keras.layers.SimpleRNN(4),
        ]
    )
    return model, _x(2, 6, 3)


def convolutions(keras):
    model = keras.Sequential(
        [
            keras.Input((8, 8, 2)),
            keras.layers.DepthwiseConv2D(3, depth_multiplier=2, padding="same"),
            keras.layers.SeparableConv2D(3, 3),
            keras.layers.Conv2DTranspose(2, 3, strides=2),
            keras.layers.AveragePooling2D(2),
            keras.layers.UpSampling2D(2),
            keras.layers.ZeroPadding2D(1),
            keras.layers.Cropping2D(2),
            keras.layers.Flatten(),
            keras.layers.Dense(2),
        ]
    )
    return model, _x(2, 8, 8, 2)


def conv1d_norms(keras):
    model = keras.Sequential(
        [
            keras.Input((10, 4)),
            keras.layers.Conv1D(4, 3, padding="causal"),
            keras.layers.GroupNormalization(groups=2),
            keras.layers.MaxPooling1D(2),
            keras.layers.UnitNormalization(),
            keras.layers.GlobalMaxPooling1D(),
            keras.layers.RepeatVector(2),
            keras.layers.Permute((2, 1)),
            keras.layers.Reshape((8,)),
            keras.layers.Dropout(0.5),
            keras.layers.Activation("gelu"),
            keras.layers.Dense(2),
        ]
    )
    return model, _x(2, 10, 4)


def masked_lstm(keras):
    model = keras.Sequential(
        [
            keras.Input((5, 3)),
            keras.layers.Masking(0.0),
            keras.layers.LSTM(2),
        ]
    )
    x = _x(2, 5, 3)
    x[0, 3:] = 0.0
    return model, x


def conv3d(keras):
    model = keras.Sequential(
        [
            keras.Input((4, 4, 4, 1)),
            keras.layers.Conv3D(2, 2),
            keras.layers.GlobalAveragePooling3D(),
        ]
    )
    return model, _x(2, 4, 4, 4, 1)


BUILDERS = {
    "sequential_dense": sequential_dense,
    "sequential_input_shape": sequential_input_shape,
    "functional_dense": functional_dense,
    "embedding": embedding,
    "conv2d": conv2d,
    "batch_norm": batch_norm,
    "lstm": lstm,
    "attention": attention,
    "cross_attention": cross_attention,
    "recurrent_wrappers": recurrent_wrappers,
    "convolutions": convolutions,
    "conv1d_norms": conv1d_norms,
    "masked_lstm": masked_lstm,
    "conv3d": conv3d,
}


def subclassed(keras):
    """A subclassed model: weights files name its weights by attribute structure."""

    class Blocks(keras.Model):
        def __init__(self):
            super().__init__()
            self.shared = keras.layers.Dense(3)
            self.blocks = [keras.layers.Dense(3, activation="relu"), self.shared]
            self.alpha = keras.layers.Dense(3)
            self._private_head = keras.layers.Dense(2)

        def call(self, x):
            for block in self.blocks:
                x = block(x)
            return self._private_head(self.alpha(x))

    model = Blocks()
    x = _x(4, 3)
    model(x)
    return model, x


# Builders whose subclassed models only interchange weights files (no config).
WEIGHTS_ONLY = {"subclassed": subclassed}
