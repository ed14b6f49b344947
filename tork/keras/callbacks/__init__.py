"""`tf.keras.callbacks`: hooks into `fit`, `evaluate` and `predict`."""

from tork._backend.errors import module_getattr as _module_getattr
from tork.keras.callbacks import experimental
from tork.keras.callbacks.backup_and_restore import BackupAndRestore
from tork.keras.callbacks.base_logger import BaseLogger
from tork.keras.callbacks.callback import Callback
from tork.keras.callbacks.callback_list import CallbackList
from tork.keras.callbacks.csv_logger import CSVLogger
from tork.keras.callbacks.early_stopping import EarlyStopping
from tork.keras.callbacks.history import History
from tork.keras.callbacks.lambda_callback import LambdaCallback
from tork.keras.callbacks.learning_rate_scheduler import LearningRateScheduler
from tork.keras.callbacks.model_checkpoint import ModelCheckpoint
from tork.keras.callbacks.progbar_logger import ProgbarLogger
from tork.keras.callbacks.reduce_lr_on_plateau import ReduceLROnPlateau
from tork.keras.callbacks.remote_monitor import RemoteMonitor
from tork.keras.callbacks.swap_ema_weights import SwapEMAWeights
from tork.keras.callbacks.tensorboard import TensorBoard
from tork.keras.callbacks.terminate_on_nan import TerminateOnNaN

__all__ = [
    "BackupAndRestore",
    "BaseLogger",
    "CSVLogger",
    "Callback",
    "CallbackList",
    "EarlyStopping",
    "History",
    "LambdaCallback",
    "LearningRateScheduler",
    "ModelCheckpoint",
    "ProgbarLogger",
    "ReduceLROnPlateau",
    "RemoteMonitor",
    "SwapEMAWeights",
    "TensorBoard",
    "TerminateOnNaN",
]

__getattr__ = _module_getattr("tf.keras.callbacks")
