"""For tests/keras/trainers/test_sweep_fuzzt5_compile_kwargs.py once the patch is applied.

tf_keras 2.21's Model.compile has pss_evaluation_shards=0 (ParameterServerStrategy only);
compile(..., jit_compile=True, pss_evaluation_shards=0) trains in tf_keras (loss after one
epoch 1.6361 in the fuzzt5 adhoc_api5.py script); tork raised TypeError.
"""

import numpy as np

import tork as tf

keras = tf.keras


def test_compile_accepts_pss_evaluation_shards():
    x = np.random.RandomState(0).randn(8, 3).astype("float32")
    m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
    m.compile("sgd", "mse", pss_evaluation_shards=0)
    h = m.fit(x, x[:, :1], epochs=1, batch_size=4, verbose=0)
    assert np.isfinite(h.history["loss"][0])
