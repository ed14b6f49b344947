"""Convolution layers: Conv1D/2D/3D, their transposes, depthwise and separable convolutions."""

from tork import _old_keras_paths
from tork.keras.layers.convolutional.conv import (
    Conv1D,
    Conv2D,
    Conv3D,
    Convolution1D,
    Convolution2D,
    Convolution3D,
)
from tork.keras.layers.convolutional.conv_transpose import (
    Conv1DTranspose,
    Conv2DTranspose,
    Conv3DTranspose,
    Convolution1DTranspose,
    Convolution2DTranspose,
    Convolution3DTranspose,
)
from tork.keras.layers.convolutional.depthwise_conv import DepthwiseConv1D, DepthwiseConv2D
from tork.keras.layers.convolutional.separable_conv import (
    SeparableConv1D,
    SeparableConv2D,
    SeparableConvolution1D,
    SeparableConvolution2D,
)

# Keras 2.0 held more layers here (`from keras.layers.core import Flatten`).
__getattr__ = _old_keras_paths.package_getattr(__name__)
