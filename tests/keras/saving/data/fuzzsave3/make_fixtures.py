"""Writes the Keras 3 fixtures of test_sweep_fuzzsave3_keras3_activations.py.

Run with real Keras 3 (the reference env, any backend):
    /tmp/tfenv/bin/python make_fixtures.py
It prints the predictions the tests hard-code. `k3_hard_sigmoid.keras` is gitignored
(`git add -f` it).
"""

import keras
import numpy as np

x = np.linspace(-4, 4, 12, dtype="float32").reshape(2, 3, 2)
i = keras.Input((3, 2), name="x")
seq = keras.layers.LSTM(2, recurrent_activation="hard_sigmoid", return_sequences=True, name="lstm")(
    i
)
flat = keras.layers.Flatten(name="flat")(seq)
dense = keras.layers.Dense(2, activation="hard_sigmoid", name="dense")(flat)
act = keras.layers.Activation("hard_sigmoid", name="act")(keras.layers.Flatten(name="flat_x")(i))
model = keras.Model(i, [dense, act], name="k3hs")
rng = np.random.default_rng(0)
model.set_weights(
    [(rng.normal(size=np.shape(w)) * 0.8).astype("float32") for w in model.get_weights()]
)
for suffix in ("keras", "h5"):
    model.save(f"k3_hard_sigmoid.{suffix}")
for out in model.predict(x, verbose=0):
    print(np.round(out, 6).tolist())
