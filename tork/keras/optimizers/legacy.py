"""`keras.optimizers.legacy`: the Keras 2 optimizer names, mapped to the Keras optimizers.

tork has one implementation of each optimizer; the legacy names are aliases.
"""

from tork._backend.errors import module_getattr as _module_getattr
from tork.keras.optimizers.adadelta import Adadelta
from tork.keras.optimizers.adagrad import Adagrad
from tork.keras.optimizers.adam import Adam
from tork.keras.optimizers.adamax import Adamax
from tork.keras.optimizers.ftrl import Ftrl
from tork.keras.optimizers.nadam import Nadam
from tork.keras.optimizers.optimizer import Optimizer
from tork.keras.optimizers.rmsprop import RMSprop
from tork.keras.optimizers.sgd import SGD

__getattr__ = _module_getattr("tf.keras.optimizers.legacy")

__all__ = ["SGD", "Adadelta", "Adagrad", "Adam", "Adamax", "Ftrl", "Nadam", "Optimizer", "RMSprop"]
