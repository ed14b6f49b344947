"""Normalization layers: batch, layer, group, unit, RMS and spectral normalization."""

from tork import _old_keras_paths
from tork.keras.layers.normalization.batch_normalization import BatchNormalization
from tork.keras.layers.normalization.group_normalization import GroupNormalization
from tork.keras.layers.normalization.layer_normalization import LayerNormalization
from tork.keras.layers.normalization.rms_normalization import RMSNormalization
from tork.keras.layers.normalization.spectral_normalization import SpectralNormalization
from tork.keras.layers.normalization.unit_normalization import UnitNormalization

__all__ = [
    "BatchNormalization",
    "GroupNormalization",
    "LayerNormalization",
    "RMSNormalization",
    "SpectralNormalization",
    "UnitNormalization",
]

# Keras 2.0 held more layers here (`from keras.layers.core import Flatten`).
__getattr__ = _old_keras_paths.package_getattr(__name__)
