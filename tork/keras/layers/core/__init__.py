"""Core layers: Dense, Activation, Dropout, Embedding, Lambda, Identity, InputLayer..."""

from tork import _old_keras_paths

# Keras 2.0 held more layers here (`from keras.layers.core import Flatten`).
__getattr__ = _old_keras_paths.package_getattr(__name__)
