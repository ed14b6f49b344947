"""`keras.optimizers.experimental`: the TF 2.9-2.10 home of the new optimizers (aliases)."""

from tork._backend.errors import module_getattr as _module_getattr
from tork.keras.optimizers.adadelta import Adadelta
from tork.keras.optimizers.adafactor import Adafactor
from tork.keras.optimizers.adagrad import Adagrad
from tork.keras.optimizers.adam import Adam
from tork.keras.optimizers.adamax import Adamax
from tork.keras.optimizers.adamw import AdamW
from tork.keras.optimizers.ftrl import Ftrl
from tork.keras.optimizers.lion import Lion
from tork.keras.optimizers.nadam import Nadam
from tork.keras.optimizers.optimizer import Optimizer
from tork.keras.optimizers.rmsprop import RMSprop
from tork.keras.optimizers.sgd import SGD

__getattr__ = _module_getattr("tf.keras.optimizers.experimental")

__all__ = [
    "SGD",
    "Adadelta",
    "Adafactor",
    "Adagrad",
    "Adam",
    "AdamW",
    "Adamax",
    "Ftrl",
    "Lion",
    "Nadam",
    "Optimizer",
    "RMSprop",
]
