"""load_weights into a subclassed model before its first call (SO's most asked
load_weights failure; sweep sofq).

tf_keras 2.21: "Unable to load weights saved in HDF5 format into a subclassed Model which
has not created its variables yet. Call the Model first, then load the weights."
"""

import numpy as np
import pytest

from tork import keras
from tork.keras.saving.errors import KerasFileError


class _Net(keras.Model):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = keras.layers.Dense(1, kernel_initializer="ones")

    def call(self, x):
        return self.dense(x)


def test_unbuilt_subclassed_model_says_to_call_it_first(tmp_path):
    x = np.ones((2, 3), "float32")
    model = _Net(name="net")
    model(x)
    model.dense.kernel.assign(model.dense.kernel * 3.0)
    path = str(tmp_path / "w.h5")
    model.save_weights(path)

    fresh = _Net(name="fresh")
    with pytest.raises(
        KerasFileError,
        match=r"into model 'fresh': the model has not created its weights yet \(layers "
        r"\['dense(_\d+)?'\] are not built\).*Call the model on a batch of data first",
    ):
        fresh.load_weights(path)

    # The fix from the answer: call the model first; the weights then load (3 * 3 ones).
    fresh(x)
    fresh.load_weights(path)
    np.testing.assert_allclose(fresh(x).numpy(), [[9.0], [9.0]])
