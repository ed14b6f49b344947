"""Shape errors raised while a Sequential builds from `input_shape=` show the user's shape
with batch None (as tf_keras 2.21: `Full shape received: (None, 3, 4)`), not the made-up batch
size of the zeros the model builds on (machinelearningmastery's encoder-decoder tutorials:
a RepeatVector after `return_sequences=True`, a TimeDistributed after a 2D output)."""

import numpy as np
import pytest

from tork import keras
from tork.keras.layers import _placeholder_batch

L = keras.layers


def test_input_spec_rank_error_shows_none_batch():
    with pytest.raises(ValueError, match=r"expected rank 2, .*rank 3 \(shape \(None, 3, 4\)\)"):
        keras.Sequential([L.LSTM(4, return_sequences=True, input_shape=(3, 1)), L.RepeatVector(2)])


def test_time_distributed_rank_error_shows_none_batch():
    with pytest.raises(ValueError, match=r"rank 3 or more.*received shape \(None, 4\)"):
        keras.Sequential([L.LSTM(4, input_shape=(3, 1)), L.TimeDistributed(L.Dense(1))])


def test_eager_call_keeps_the_real_batch_size():
    with pytest.raises(ValueError, match=r"\(shape \(2, 3, 4\)\)"):
        L.RepeatVector(2)(np.zeros((2, 3, 4), "float32"))


def test_flag_is_off_after_builds_and_failed_builds():
    keras.Sequential([L.Dense(2, input_shape=(3,))])
    with pytest.raises(ValueError):
        keras.Sequential([L.Dense(2, input_shape=(3,)), L.RepeatVector(2), L.RepeatVector(2)])
    assert not _placeholder_batch.in_use()
    assert _placeholder_batch.shown_shape((2, 3)) == (2, 3)
