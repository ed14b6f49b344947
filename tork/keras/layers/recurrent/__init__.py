"""Recurrent layers: RNN cells and layers, Bidirectional and TimeDistributed wrappers."""

from tork import _old_keras_paths
from tork.keras.layers.recurrent.bidirectional import Bidirectional
from tork.keras.layers.recurrent.conv_lstm import ConvLSTM1D, ConvLSTM2D, ConvLSTM3D
from tork.keras.layers.recurrent.gru import GRU, GRUCell
from tork.keras.layers.recurrent.lstm import LSTM, LSTMCell
from tork.keras.layers.recurrent.rnn import RNN, StackedRNNCells
from tork.keras.layers.recurrent.simple_rnn import SimpleRNN, SimpleRNNCell
from tork.keras.layers.recurrent.time_distributed import TimeDistributed

__all__ = [
    "GRU",
    "LSTM",
    "RNN",
    "Bidirectional",
    "ConvLSTM1D",
    "ConvLSTM2D",
    "ConvLSTM3D",
    "GRUCell",
    "LSTMCell",
    "SimpleRNN",
    "SimpleRNNCell",
    "StackedRNNCells",
    "TimeDistributed",
]

# Keras 2.0 held more layers here (`from keras.layers.core import Flatten`).
__getattr__ = _old_keras_paths.package_getattr(__name__)
