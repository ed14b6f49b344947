"""Every tork layer survives get_config/from_config and a `.keras` save/load with identical outputs.

LAYER_SPECS lists how to build and call each layer; `test_every_layer_has_a_spec` fails
when a layer class is added to `tork.keras.layers` without an entry here.
"""

import importlib
import inspect
import json
import pkgutil

import numpy as np
import pytest

import tork as tf
import tork.keras.layers as layers_package
from tork import keras
from tork.keras.layers.layer import Layer

L = keras.layers
F32 = "float32"


def _layer(name):
    """The layer class `name`, whether or not its family is exported from keras.layers yet."""
    return _all_layer_classes()[name]


def one(shape, dtype=F32):
    return [(shape, dtype)]


# name -> (factory, inputs [(shape, dtype)], call style: "single" | "list" | "args")
LAYER_SPECS = {
    "Activation": (lambda: L.Activation("relu"), one((4,)), "single"),
    "ReLU": (lambda: L.ReLU(max_value=2.0, negative_slope=0.1), one((4,)), "single"),
    "LeakyReLU": (lambda: L.LeakyReLU(negative_slope=0.2), one((4,)), "single"),
    "ThresholdedReLU": (lambda: L.ThresholdedReLU(0.5), one((4,)), "single"),
    "PReLU": (lambda: L.PReLU(alpha_initializer="ones"), one((4,)), "single"),
    "ELU": (lambda: L.ELU(alpha=0.5), one((4,)), "single"),
    "Softmax": (lambda: L.Softmax(), one((4,)), "single"),
    "ActivityRegularization": (
        lambda: _layer("ActivityRegularization")(l1=0.01),
        one((4,)),
        "single",
    ),
    "Add": (lambda: L.Add(), [((4,), F32)] * 2, "list"),
    "Subtract": (lambda: L.Subtract(), [((4,), F32)] * 2, "list"),
    "Multiply": (lambda: L.Multiply(), [((4,), F32)] * 2, "list"),
    "Average": (lambda: L.Average(), [((4,), F32)] * 2, "list"),
    "Maximum": (lambda: L.Maximum(), [((4,), F32)] * 2, "list"),
    "Minimum": (lambda: L.Minimum(), [((4,), F32)] * 2, "list"),
    "Concatenate": (lambda: L.Concatenate(), [((4,), F32), ((3,), F32)], "list"),
    "Dot": (lambda: L.Dot(axes=1), [((4,), F32)] * 2, "list"),
    "AdditiveAttention": (
        lambda: _layer("AdditiveAttention")(),
        [((3, 4), F32), ((5, 4), F32)],
        "list",
    ),
    "Attention": (lambda: _layer("Attention")(), [((3, 4), F32), ((5, 4), F32)], "list"),
    "MultiHeadAttention": (
        lambda: _layer("MultiHeadAttention")(num_heads=2, key_dim=3),
        [((3, 4), F32), ((5, 4), F32)],
        "args",
    ),
    "GroupedQueryAttention": (
        lambda: _layer("GroupedQueryAttention")(
            head_dim=2, num_query_heads=4, num_key_value_heads=2
        ),
        [((3, 4), F32), ((5, 4), F32)],
        "args",
    ),
    "AlphaDropout": (lambda: _layer("AlphaDropout")(0.2), one((4,)), "single"),
    "Dropout": (lambda: L.Dropout(0.3), one((4,)), "single"),
    "GaussianDropout": (lambda: _layer("GaussianDropout")(0.2), one((4,)), "single"),
    "GaussianNoise": (lambda: _layer("GaussianNoise")(0.1), one((4,)), "single"),
    "SpatialDropout1D": (lambda: _layer("SpatialDropout1D")(0.2), one((5, 4)), "single"),
    "SpatialDropout2D": (lambda: _layer("SpatialDropout2D")(0.2), one((4, 4, 3)), "single"),
    "SpatialDropout3D": (lambda: _layer("SpatialDropout3D")(0.2), one((2, 2, 2, 3)), "single"),
    "AveragePooling1D": (lambda: _layer("AveragePooling1D")(2), one((6, 3)), "single"),
    "AveragePooling2D": (lambda: _layer("AveragePooling2D")(2), one((6, 6, 3)), "single"),
    "AveragePooling3D": (lambda: _layer("AveragePooling3D")(2), one((4, 4, 4, 2)), "single"),
    "MaxPooling1D": (lambda: _layer("MaxPooling1D")(2), one((6, 3)), "single"),
    "MaxPooling2D": (lambda: _layer("MaxPooling2D")(2), one((6, 6, 3)), "single"),
    "MaxPooling3D": (lambda: _layer("MaxPooling3D")(2), one((4, 4, 4, 2)), "single"),
    "GlobalAveragePooling1D": (lambda: _layer("GlobalAveragePooling1D")(), one((6, 3)), "single"),
    "GlobalAveragePooling2D": (
        lambda: _layer("GlobalAveragePooling2D")(),
        one((6, 6, 3)),
        "single",
    ),
    "GlobalAveragePooling3D": (
        lambda: _layer("GlobalAveragePooling3D")(),
        one((4, 4, 4, 2)),
        "single",
    ),
    "GlobalMaxPooling1D": (lambda: _layer("GlobalMaxPooling1D")(), one((6, 3)), "single"),
    "GlobalMaxPooling2D": (lambda: _layer("GlobalMaxPooling2D")(), one((6, 6, 3)), "single"),
    "AdaptiveAveragePooling1D": (
        lambda: _layer("AdaptiveAveragePooling1D")(3),
        one((7, 2)),
        "single",
    ),
    "AdaptiveAveragePooling2D": (
        lambda: _layer("AdaptiveAveragePooling2D")((2, 3)),
        one((6, 7, 2)),
        "single",
    ),
    "AdaptiveAveragePooling3D": (
        lambda: _layer("AdaptiveAveragePooling3D")(2),
        one((4, 5, 3, 2)),
        "single",
    ),
    "AdaptiveMaxPooling1D": (lambda: _layer("AdaptiveMaxPooling1D")(3), one((7, 2)), "single"),
    "AdaptiveMaxPooling2D": (
        lambda: _layer("AdaptiveMaxPooling2D")(2, data_format="channels_first"),
        one((2, 5, 6)),
        "single",
    ),
    "AdaptiveMaxPooling3D": (
        lambda: _layer("AdaptiveMaxPooling3D")((1, 2, 3)),
        one((4, 5, 6, 2)),
        "single",
    ),
    "GlobalMaxPooling3D": (lambda: _layer("GlobalMaxPooling3D")(), one((4, 4, 4, 2)), "single"),
    "BatchNormalization": (lambda: _layer("BatchNormalization")(), one((4,)), "single"),
    "SyncBatchNormalization": (
        lambda: _layer("SyncBatchNormalization")(momentum=0.9),
        one((4,)),
        "single",
    ),
    "GroupNormalization": (lambda: _layer("GroupNormalization")(groups=2), one((4,)), "single"),
    "LayerNormalization": (lambda: _layer("LayerNormalization")(), one((4,)), "single"),
    "RMSNormalization": (lambda: _layer("RMSNormalization")(), one((4,)), "single"),
    "UnitNormalization": (lambda: _layer("UnitNormalization")(), one((4,)), "single"),
    "Bidirectional": (
        lambda: _layer("Bidirectional")(_layer("LSTM")(3, return_sequences=True)),
        one((5, 4)),
        "single",
    ),
    "ConvLSTM1D": (lambda: _layer("ConvLSTM1D")(2, 3, padding="same"), one((3, 5, 2)), "single"),
    "ConvLSTM2D": (
        lambda: _layer("ConvLSTM2D")(2, 3, return_sequences=True),
        one((3, 5, 5, 2)),
        "single",
    ),
    "ConvLSTM3D": (lambda: _layer("ConvLSTM3D")(2, 2), one((2, 3, 3, 3, 1)), "single"),
    "Conv1D": (lambda: _layer("Conv1D")(2, 3), one((6, 3)), "single"),
    "Conv2D": (lambda: _layer("Conv2D")(2, 3), one((6, 6, 3)), "single"),
    "Conv3D": (lambda: _layer("Conv3D")(2, 2), one((4, 4, 4, 2)), "single"),
    "Conv1DTranspose": (lambda: _layer("Conv1DTranspose")(2, 3), one((6, 3)), "single"),
    "Conv2DTranspose": (
        lambda: _layer("Conv2DTranspose")(2, 3, strides=2),
        one((4, 4, 3)),
        "single",
    ),
    "Conv3DTranspose": (lambda: _layer("Conv3DTranspose")(2, 2), one((3, 3, 3, 2)), "single"),
    "DepthwiseConv1D": (lambda: _layer("DepthwiseConv1D")(3), one((6, 3)), "single"),
    "DepthwiseConv2D": (
        lambda: _layer("DepthwiseConv2D")(3, depth_multiplier=2),
        one((6, 6, 3)),
        "single",
    ),
    "SeparableConv1D": (lambda: _layer("SeparableConv1D")(2, 3), one((6, 3)), "single"),
    "SeparableConv2D": (lambda: _layer("SeparableConv2D")(2, 3), one((6, 6, 3)), "single"),
    "Cropping1D": (lambda: _layer("Cropping1D")(1), one((6, 3)), "single"),
    "LocallyConnected1D": (
        lambda: L.LocallyConnected1D(2, 3, implementation=3, padding="same"),
        one((6, 3)),
        "single",
    ),
    "LocallyConnected2D": (
        lambda: L.LocallyConnected2D(2, 2, data_format="channels_first"),
        one((3, 4, 5)),
        "single",
    ),
    "Cropping2D": (lambda: _layer("Cropping2D")(1), one((6, 6, 3)), "single"),
    "Cropping3D": (lambda: _layer("Cropping3D")(1), one((4, 4, 4, 2)), "single"),
    "UpSampling1D": (lambda: _layer("UpSampling1D")(2), one((3, 2)), "single"),
    "UpSampling2D": (lambda: _layer("UpSampling2D")(2), one((3, 3, 2)), "single"),
    "UpSampling3D": (lambda: _layer("UpSampling3D")(2), one((2, 2, 2, 2)), "single"),
    "ZeroPadding1D": (lambda: _layer("ZeroPadding1D")(1), one((3, 2)), "single"),
    "ZeroPadding2D": (lambda: _layer("ZeroPadding2D")(1), one((3, 3, 2)), "single"),
    "ZeroPadding3D": (lambda: _layer("ZeroPadding3D")(1), one((2, 2, 2, 2)), "single"),
    "Dense": (lambda: L.Dense(3, activation="tanh"), one((4,)), "single"),
    "EinsumDense": (
        lambda: _layer("EinsumDense")("abc,cde->abde", (None, 2, 3), bias_axes="de"),
        one((5, 4)),
        "single",
    ),
    "SpectralNormalization": (
        lambda: _layer("SpectralNormalization")(L.Dense(3), power_iterations=2),
        one((4,)),
        "single",
    ),
    "Hashing": (lambda: _layer("Hashing")(num_bins=7, mask_value=0), one((3,), "int32"), "single"),
    "RandomFourierFeatures": (
        lambda: _layer("RandomFourierFeatures")(output_dim=6, kernel_initializer="laplacian"),
        one((4,)),
        "single",
    ),
    "HashedCrossing": (
        lambda: _layer("HashedCrossing")(num_bins=5, output_mode="one_hot"),
        [((1,), "int32")] * 2,
        "list",
    ),
    "Embedding": (lambda: L.Embedding(10, 3, mask_zero=True), one((5,), "int32"), "single"),
    "ReversibleEmbedding": (
        lambda: L.ReversibleEmbedding(10, 3, tie_weights=False, logit_soft_cap=5.0),
        one((5,), "int32"),
        "single",
    ),
    "Flatten": (lambda: L.Flatten(), one((3, 4)), "single"),
    "Identity": (lambda: L.Identity(), one((4,)), "single"),
    "Lambda": (lambda: L.Lambda(keras.activations.relu), one((4,)), "single"),
    "Masking": (lambda: L.Masking(0.0), one((5, 3)), "single"),
    "GRU": (lambda: _layer("GRU")(3), one((5, 4)), "single"),
    "LSTM": (lambda: _layer("LSTM")(3), one((5, 4)), "single"),
    "SimpleRNN": (lambda: _layer("SimpleRNN")(3), one((5, 4)), "single"),
    "RNN": (lambda: _layer("RNN")(_layer("LSTMCell")(3)), one((5, 4)), "single"),
    "GRUCell": (lambda: _layer("RNN")(_layer("GRUCell")(3)), one((5, 4)), "single"),
    "LSTMCell": (lambda: _layer("RNN")(_layer("LSTMCell")(2)), one((5, 4)), "single"),
    "SimpleRNNCell": (lambda: _layer("RNN")(_layer("SimpleRNNCell")(2)), one((5, 4)), "single"),
    "StackedRNNCells": (
        lambda: _layer("RNN")(
            _layer("StackedRNNCells")([_layer("LSTMCell")(2), _layer("GRUCell")(3)])
        ),
        one((5, 4)),
        "single",
    ),
    "TimeDistributed": (lambda: _layer("TimeDistributed")(L.Dense(2)), one((5, 4)), "single"),
    "Permute": (lambda: L.Permute((2, 1)), one((3, 4)), "single"),
    "RepeatVector": (lambda: L.RepeatVector(3), one((4,)), "single"),
    "Reshape": (lambda: L.Reshape((2, 2)), one((4,)), "single"),
    "CategoryEncoding": (
        lambda: _layer("CategoryEncoding")(num_tokens=5, output_mode="multi_hot"),
        one((3,), "int32"),
        "single",
    ),
    "CenterCrop": (lambda: _layer("CenterCrop")(4, 4), one((6, 6, 3)), "single"),
    "Discretization": (
        lambda: _layer("Discretization")(bin_boundaries=[-0.5, 0.0, 0.5]),
        one((4,)),
        "single",
    ),
    "IntegerLookup": (
        lambda: _layer("IntegerLookup")(vocabulary=[3, 1, 2]),
        one((4,), "int32"),
        "single",
    ),
    "Normalization": (lambda: _layer("Normalization")(mean=0.5, variance=2.0), one((4,)), "single"),
    "RandomBrightness": (lambda: _layer("RandomBrightness")(0.2), one((6, 6, 3)), "single"),
    "RandomContrast": (lambda: _layer("RandomContrast")(0.2), one((6, 6, 3)), "single"),
    "RandomCrop": (lambda: _layer("RandomCrop")(4, 4), one((6, 6, 3)), "single"),
    "RandomFlip": (lambda: _layer("RandomFlip")(), one((6, 6, 3)), "single"),
    "RandomHeight": (lambda: _layer("RandomHeight")(0.2), one((6, 6, 3)), "single"),
    "RandomRotation": (lambda: _layer("RandomRotation")(0.1), one((6, 6, 3)), "single"),
    "RandomTranslation": (lambda: _layer("RandomTranslation")(0.1, 0.1), one((6, 6, 3)), "single"),
    "RandomWidth": (lambda: _layer("RandomWidth")(0.2), one((6, 6, 3)), "single"),
    "RandomZoom": (lambda: _layer("RandomZoom")(0.1), one((6, 6, 3)), "single"),
    "Rescaling": (lambda: _layer("Rescaling")(1.0 / 255, offset=-0.5), one((6, 6, 3)), "single"),
    "Resizing": (lambda: _layer("Resizing")(4, 4), one((6, 6, 3)), "single"),
    # Keras 3's image augmentation layers (tork/keras/layers/preprocessing/color_ops.py, ...).
    "AutoContrast": (lambda: _layer("AutoContrast")(), one((6, 6, 3)), "single"),
    "Equalization": (lambda: _layer("Equalization")(bins=64), one((6, 6, 3)), "single"),
    "Pipeline": (
        lambda: _layer("Pipeline")([_layer("AutoContrast")(), _layer("RandomFlip")()]),
        one((6, 6, 3)),
        "single",
    ),
    "RandomColorDegeneration": (
        lambda: _layer("RandomColorDegeneration")(0.3),
        one((6, 6, 3)),
        "single",
    ),
    "RandomColorJitter": (
        lambda: _layer("RandomColorJitter")(brightness_factor=0.2, hue_factor=0.1),
        one((6, 6, 3)),
        "single",
    ),
    "RandomGrayscale": (lambda: _layer("RandomGrayscale")(0.3), one((6, 6, 3)), "single"),
    "RandomHue": (lambda: _layer("RandomHue")(0.3), one((6, 6, 3)), "single"),
    "RandomInvert": (lambda: _layer("RandomInvert")(0.5), one((6, 6, 3)), "single"),
    "RandomPosterization": (lambda: _layer("RandomPosterization")(4), one((6, 6, 3)), "single"),
    "RandomSaturation": (lambda: _layer("RandomSaturation")(0.3), one((6, 6, 3)), "single"),
    "RandomSharpness": (lambda: _layer("RandomSharpness")(0.3), one((6, 6, 3)), "single"),
    "Solarization": (lambda: _layer("Solarization")(0.2, 0.5), one((6, 6, 3)), "single"),
    "CutMix": (lambda: _layer("CutMix")(0.5), one((6, 6, 3)), "single"),
    "MixUp": (lambda: _layer("MixUp")(alpha=0.3), one((6, 6, 3)), "single"),
    "RandomErasing": (lambda: _layer("RandomErasing")(0.5), one((6, 6, 3)), "single"),
    "RandomGaussianBlur": (
        lambda: _layer("RandomGaussianBlur")(0.5, kernel_size=5, sigma=0.5),
        one((6, 6, 3)),
        "single",
    ),
    "RandomPerspective": (lambda: _layer("RandomPerspective")(0.5, 0.3), one((6, 6, 3)), "single"),
    "RandomShear": (lambda: _layer("RandomShear")(0.2, 0.1), one((6, 6, 3)), "single"),
    "AugMix": (lambda: _layer("AugMix")(num_chains=2), one((6, 6, 3)), "single"),
    "ContrastLimitedAdaptiveHistogramEqualization": (
        lambda: _layer("ContrastLimitedAdaptiveHistogramEqualization")(tile_grid_size=(2, 3)),
        one((6, 6, 3)),
        "single",
    ),
    # Its own work is on `bounding_boxes` dicts; images pass through unchanged.
    "MaxNumBoundingBoxes": (
        lambda: _layer("MaxNumBoundingBoxes")(4, bounding_box_format="xyxy"),
        one((6, 6, 3)),
        "single",
    ),
    "RandAugment": (lambda: _layer("RandAugment")(num_ops=3), one((6, 6, 3)), "single"),
    "RandomElasticTransform": (
        lambda: _layer("RandomElasticTransform")(0.5, scale=0.3),
        one((6, 6, 3)),
        "single",
    ),
    "MelSpectrogram": (
        lambda: _layer("MelSpectrogram")(
            fft_length=16, sequence_stride=8, sampling_rate=1000, num_mel_bins=4
        ),
        one((40,)),
        "single",
    ),
    "STFTSpectrogram": (
        lambda: _layer("STFTSpectrogram")(mode="psd", frame_length=8, frame_step=4),
        one((40, 2)),
        "single",
    ),
}
# Layers on strings: config round trip only (tork tensors hold numbers).
CONFIG_ONLY = {
    "StringLookup": lambda: _layer("StringLookup")(vocabulary=["a", "b"]),
    "TextVectorization": lambda: _layer("TextVectorization")(max_tokens=10),
    "DenseFeatures": lambda: _layer("DenseFeatures")([tf.feature_column.numeric_column("a")]),
    "SequenceFeatures": lambda: keras.experimental.SequenceFeatures(
        [tf.feature_column.sequence_numeric_column("s")]
    ),
}
# Base classes, the InputLayer (tested with every model), and the layers of
# model.add_loss/add_metric (tests/keras/models/functional/test_add_loss.py).
NOT_LAYERS = {"Layer", "InputLayer", "IndexLookup", "AddLoss", "AddMetric"}
# Its config holds a pickled torch module, loadable only with safe_mode=False: saving is
# tested in tests/keras/layers/test_torch_module_wrapper.py.
NOT_LAYERS |= {"TorchModuleWrapper"}
# It needs a SavedModel directory on disk: its config and .keras round trips are tested in
# tests/keras/layers/test_tfsm_layer.py.
NOT_LAYERS |= {"TFSMLayer"}
# Abstract base classes of user layers: tested in tests/keras/layers/test_wrapper.py and
# tests/keras/layers/recurrent/test_abstract_rnn_cell.py.
NOT_LAYERS |= {"Wrapper", "AbstractRNNCell"}
NOT_LAYERS |= {"PreprocessingLayer"}  # the abstract base of adaptable user layers
# The layers of ops on functional-API tensors, made by the graph from a function
# (tests/keras/models/test_tf_op_lambda.py).
NOT_LAYERS |= {"TFOpLambda", "SlicingOpLambda", "ClassMethod"}
# Failures of the layers themselves (not of saving), seen when this file was written.
KNOWN_LAYER_BUGS = {}


def _known_bug(name):
    if name in KNOWN_LAYER_BUGS:
        pytest.xfail(KNOWN_LAYER_BUGS[name])


def _all_layer_classes() -> dict:
    found = {}
    for info in pkgutil.walk_packages(layers_package.__path__, "tork.keras.layers."):
        module = importlib.import_module(info.name)
        for name, value in vars(module).items():
            if (
                inspect.isclass(value)
                and issubclass(value, Layer)
                and not name.startswith(("_", "Base"))
                and value.__module__ == module.__name__
                and name == value.__name__
            ):
                found[name] = value
    for name in dir(layers_package):
        value = getattr(layers_package, name)
        if inspect.isclass(value) and issubclass(value, Layer) and name == value.__name__:
            found.setdefault(name, value)
    return found


def test_every_layer_has_a_spec():
    missing = sorted(set(_all_layer_classes()) - set(LAYER_SPECS) - set(CONFIG_ONLY) - NOT_LAYERS)
    assert not missing, (
        f"Layer classes without a round-trip spec: {missing}. Add them to LAYER_SPECS in "
        "tests/keras/saving/test_layer_round_trips.py."
    )


def _inputs(spec, rng):
    arrays = []
    for shape, dtype in spec:
        if dtype == "int32":
            arrays.append(rng.integers(0, 5, size=(3, *shape)).astype("int32"))
        else:
            arrays.append(rng.normal(size=(3, *shape)).astype(dtype))
    return arrays


def _model(name):
    factory, spec, style = LAYER_SPECS[name]
    layer = factory()
    symbols = [keras.Input(shape, dtype=dtype) for shape, dtype in spec]
    if style == "single":
        outputs = layer(symbols[0])
    elif style == "list":
        outputs = layer(symbols)
    else:
        outputs = layer(*symbols)
    model = keras.Model(symbols if len(symbols) > 1 else symbols[0], outputs)
    return model, layer, spec


def _predict(model, arrays):
    out = model.predict(arrays if len(arrays) > 1 else arrays[0], verbose=0)
    return np.asarray(out)


def _plain(value):
    return json.loads(json.dumps(value, default=str))


@pytest.mark.parametrize("name", sorted(LAYER_SPECS))
def test_config_round_trip(name):
    layer = LAYER_SPECS[name][0]()
    config = keras.saving.serialize_keras_object(layer)
    rebuilt = keras.saving.deserialize_keras_object(config)
    assert type(rebuilt) is type(layer)
    again = keras.saving.serialize_keras_object(rebuilt)
    assert _plain(again["config"]) == _plain(config["config"])


@pytest.mark.parametrize("name", sorted(CONFIG_ONLY))
def test_config_round_trip_string_layers(name):
    layer = CONFIG_ONLY[name]()
    config = keras.saving.serialize_keras_object(layer)
    rebuilt = keras.saving.deserialize_keras_object(config)
    assert type(rebuilt) is type(layer)
    assert _plain(keras.saving.serialize_keras_object(rebuilt)["config"]) == _plain(
        config["config"]
    )


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(LAYER_SPECS))
def test_keras_file_round_trip(tmp_path, name):
    keras.utils.set_random_seed(0)
    try:
        model, _, spec = _model(name)
        arrays = _inputs(spec, np.random.default_rng(1))
        expected = _predict(model, arrays)
    except Exception:
        _known_bug(name)
        raise
    path = tmp_path / f"{name}.keras"
    model.save(path)
    restored = keras.models.load_model(path)
    np.testing.assert_array_equal(_predict(restored, arrays), expected)
    for a, b in zip(model.get_weights(), restored.get_weights()):
        np.testing.assert_array_equal(a, b)
