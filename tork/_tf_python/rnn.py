"""`tensorflow.python.ops.rnn`: TF 1's RNN functions, as `tf.compat.v1.nn`'s.

DIEN-style code imports `dynamic_rnn` from here; they run eagerly over Keras or TF 1 cells
(see `tork.compat.v1._rnn`).
"""

from tork.compat.v1._rnn import bidirectional_dynamic_rnn, dynamic_rnn, static_rnn

__all__ = ["bidirectional_dynamic_rnn", "dynamic_rnn", "static_rnn"]
