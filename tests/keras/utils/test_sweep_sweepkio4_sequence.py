"""A Keras 2 `Sequence` subclass may assign `self.num_batches` (keras.io metric learning)."""

import numpy as np

from tork import keras


class _Pairs(keras.utils.Sequence):
    def __init__(self, num_batches):
        super().__init__()
        self.num_batches = num_batches

    def __len__(self):
        return self.num_batches

    def __getitem__(self, index):
        x = np.full((2, 3), float(index), dtype="float32")
        return x, np.full((2, 1), float(index), dtype="float32")


def test_subclass_assigns_num_batches():
    seq = _Pairs(num_batches=4)
    assert len(seq) == 4
    assert seq.num_batches == 4
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    model.compile("sgd", "mse")
    history = model.fit(seq, epochs=1, verbose=0, shuffle=False)
    assert len(history.history["loss"]) == 1


def test_num_batches_defaults_to_len():
    class Plain(keras.utils.PyDataset):
        def __len__(self):
            return 7

        def __getitem__(self, index):
            return np.zeros((1, 1)), np.zeros((1, 1))

    assert Plain().num_batches == 7
