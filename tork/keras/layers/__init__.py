"""`keras.layers`: every layer tork implements."""

from tork._backend.errors import module_getattr as _module_getattr
from tork.keras.layers import experimental
from tork.keras.layers.activations import ELU, LeakyReLU, PReLU, ReLU, Softmax, ThresholdedReLU
from tork.keras.layers.attention import AdditiveAttention, Attention, MultiHeadAttention
from tork.keras.layers.attention.grouped_query_attention import GroupQueryAttention
from tork.keras.layers.convolutional import (
    Conv1D,
    Conv1DTranspose,
    Conv2D,
    Conv2DTranspose,
    Conv3D,
    Conv3DTranspose,
    Convolution1D,
    Convolution1DTranspose,
    Convolution2D,
    Convolution2DTranspose,
    Convolution3D,
    Convolution3DTranspose,
    DepthwiseConv1D,
    DepthwiseConv2D,
    SeparableConv1D,
    SeparableConv2D,
    SeparableConvolution1D,
    SeparableConvolution2D,
)
from tork.keras.layers.core.activation import Activation
from tork.keras.layers.core.dense import Dense
from tork.keras.layers.core.einsum_dense import EinsumDense
from tork.keras.layers.core.embedding import Embedding
from tork.keras.layers.core.identity import Identity
from tork.keras.layers.core.lambda_layer import Lambda
from tork.keras.layers.core.masking import Masking
from tork.keras.layers.core.reversible_embedding import ReversibleEmbedding
from tork.keras.layers.core.torch_module_wrapper import TorchModuleWrapper
from tork.keras.layers.core.wrapper import Wrapper
from tork.keras.layers.input_spec import InputSpec
from tork.keras.layers.layer import Layer
from tork.keras.layers.locally_connected import LocallyConnected1D, LocallyConnected2D
from tork.keras.layers.merging import (
    Add,
    Average,
    Concatenate,
    Dot,
    Maximum,
    Minimum,
    Multiply,
    Subtract,
    add,
    average,
    concatenate,
    dot,
    maximum,
    minimum,
    multiply,
    subtract,
)
from tork.keras.layers.normalization import (
    BatchNormalization,
    GroupNormalization,
    LayerNormalization,
    RMSNormalization,
    SpectralNormalization,
    UnitNormalization,
)
from tork.keras.layers.pooling import (
    AdaptiveAveragePooling1D,
    AdaptiveAveragePooling2D,
    AdaptiveAveragePooling3D,
    AdaptiveMaxPooling1D,
    AdaptiveMaxPooling2D,
    AdaptiveMaxPooling3D,
    AveragePooling1D,
    AveragePooling2D,
    AveragePooling3D,
    AvgPool1D,
    AvgPool2D,
    AvgPool3D,
    GlobalAveragePooling1D,
    GlobalAveragePooling2D,
    GlobalAveragePooling3D,
    GlobalAvgPool1D,
    GlobalAvgPool2D,
    GlobalAvgPool3D,
    GlobalMaxPool1D,
    GlobalMaxPool2D,
    GlobalMaxPool3D,
    GlobalMaxPooling1D,
    GlobalMaxPooling2D,
    GlobalMaxPooling3D,
    MaxPool1D,
    MaxPool2D,
    MaxPool3D,
    MaxPooling1D,
    MaxPooling2D,
    MaxPooling3D,
)
from tork.keras.layers.preprocessing import (
    AugMix,
    AutoContrast,
    CategoryEncoding,
    CenterCrop,
    ContrastLimitedAdaptiveHistogramEqualization,
    CutMix,
    Discretization,
    Equalization,
    HashedCrossing,
    Hashing,
    IntegerLookup,
    MaxNumBoundingBoxes,
    MelSpectrogram,
    MixUp,
    Normalization,
    Pipeline,
    RandAugment,
    RandomBrightness,
    RandomColorDegeneration,
    RandomColorJitter,
    RandomContrast,
    RandomCrop,
    RandomElasticTransform,
    RandomErasing,
    RandomFlip,
    RandomGaussianBlur,
    RandomGrayscale,
    RandomHeight,
    RandomHue,
    RandomInvert,
    RandomPerspective,
    RandomPosterization,
    RandomRotation,
    RandomSaturation,
    RandomSharpness,
    RandomShear,
    RandomTranslation,
    RandomWidth,
    RandomZoom,
    Rescaling,
    Resizing,
    Solarization,
    STFTSpectrogram,
    StringLookup,
    TextVectorization,
)
from tork.keras.layers.preprocessing.dense_features import DenseFeatures
from tork.keras.layers.recurrent.abstract_rnn_cell import AbstractRNNCell
from tork.keras.layers.recurrent.bidirectional import Bidirectional
from tork.keras.layers.recurrent.conv_lstm import ConvLSTM1D, ConvLSTM2D, ConvLSTM3D
from tork.keras.layers.recurrent.gru import GRU, GRUCell
from tork.keras.layers.recurrent.lstm import LSTM, LSTMCell
from tork.keras.layers.recurrent.rnn import RNN, StackedRNNCells
from tork.keras.layers.recurrent.simple_rnn import SimpleRNN, SimpleRNNCell
from tork.keras.layers.recurrent.time_distributed import TimeDistributed
from tork.keras.layers.regularization.activity_regularization import ActivityRegularization
from tork.keras.layers.regularization.alpha_dropout import AlphaDropout
from tork.keras.layers.regularization.dropout import Dropout
from tork.keras.layers.regularization.gaussian_dropout import GaussianDropout
from tork.keras.layers.regularization.gaussian_noise import GaussianNoise
from tork.keras.layers.regularization.spatial_dropout import (
    SpatialDropout1D,
    SpatialDropout2D,
    SpatialDropout3D,
)
from tork.keras.layers.reshaping.flatten import Flatten
from tork.keras.layers.reshaping.permute import Permute
from tork.keras.layers.reshaping.repeat_vector import RepeatVector
from tork.keras.layers.reshaping.reshape import Reshape
from tork.keras.layers.reshaping_spatial import (
    Cropping1D,
    Cropping2D,
    Cropping3D,
    UpSampling1D,
    UpSampling2D,
    UpSampling3D,
    ZeroPadding1D,
    ZeroPadding2D,
    ZeroPadding3D,
)
from tork.keras.layers.tfsm_layer import TFSMLayer

_missing = _module_getattr("tf.keras.layers")


def serialize(layer) -> dict:
    """Returns a layer's config dict (`{"module", "class_name", "config", ...}`), as Keras.

    Args:
        layer: a layer.

    Returns:
        A JSON-friendly dict that `deserialize` turns back into an equal new layer; custom
        layers need to be passed to it in `custom_objects` (or registered).

    Example:
    >>> keras.layers.serialize(keras.layers.Dense(2))["class_name"]
    'Dense'
    """
    from tork.keras.saving.serialization import serialize_keras_object

    return serialize_keras_object(layer)


def deserialize(config, custom_objects=None):
    """Creates a layer from `serialize`'s dict (Keras 3 or Keras 2 form).

    Args:
        config: a dict with `class_name` and `config`.
        custom_objects: optional dict of user-defined layer classes.

    Returns:
        A new, unbuilt layer.

    Example:
    >>> keras.layers.deserialize({"class_name": "Dense", "config": {"units": 2}}).units
    2
    """
    from tork.keras.saving.serialization import deserialize_keras_object

    return deserialize_keras_object(config, custom_objects=custom_objects)


def __getattr__(name):
    # InputLayer lives with the functional API, which imports this package: load it lazily.
    if name in ("Input", "InputLayer"):
        from tork.keras.models.functional import input_layer

        return getattr(input_layer, name)
    return _missing(name)


# `from tensorflow.keras.layers import *` must bring in Input too: a star import
# sees only the module's dict unless __all__ names the lazily loaded attributes.
__all__ = sorted({n for n in globals() if not n.startswith("_")} | {"Input", "InputLayer"})
