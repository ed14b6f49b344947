"""`tf.keras.layers.experimental`: TensorFlow 2.x's aliases of layers that later became stable.

`tf.keras.layers.experimental.preprocessing.Rescaling` and the other
preprocessing layers are the classes of `keras.layers` under their TF 2.x
names, so `from tensorflow.keras.layers.experimental import preprocessing`
style code runs unchanged. `EinsumDense` is TF 2.x's `experimental.EinsumDense`;
`RandomFourierFeatures` is Keras 2's kernel-approximation layer (not in Keras 3);
`SyncBatchNormalization` is Keras 2's `BatchNormalization(synchronized=True)`.
"""

from tork._backend.errors import module_getattr as _module_getattr
from tork.keras.layers.core.einsum_dense import EinsumDense
from tork.keras.layers.experimental import preprocessing
from tork.keras.layers.experimental.random_fourier_features import RandomFourierFeatures
from tork.keras.layers.normalization.sync_batch_normalization import SyncBatchNormalization

__all__ = ["EinsumDense", "RandomFourierFeatures", "SyncBatchNormalization", "preprocessing"]

__getattr__ = _module_getattr("tf.keras.layers.experimental")
