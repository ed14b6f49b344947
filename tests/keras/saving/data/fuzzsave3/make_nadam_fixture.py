"""Writes legacy_nadam.h5 for test_sweep_fuzzsave3_nadam_h5.py with tf_keras 2.21.

    TF_USE_LEGACY_KERAS=1 /tmp/tfenv/bin/python make_nadam_fixture.py

Prints the optimizer weight names, the momentum cache after 2 steps and the weights
after a third step (continued in memory), which the test hard-codes.
"""

import os

os.environ["TF_USE_LEGACY_KERAS"] = "1"
import numpy as np  # noqa: E402
import tf_keras as keras  # noqa: E402

x = np.linspace(-1, 1, 12, dtype="float32").reshape(4, 3)
y = np.array([[1.0], [0.0], [2.0], [1.0]], "float32")
model = keras.Sequential(
    [
        keras.Input((3,)),
        keras.layers.Dense(2, activation="tanh", name="d"),
        keras.layers.Dense(1, name="o"),
    ]
)
model.set_weights(
    [
        np.arange(6, dtype="float32").reshape(3, 2) / 10 - 0.2,
        np.array([0.1, -0.1], "float32"),
        np.array([[0.5], [-0.4]], "float32"),
        np.array([0.05], "float32"),
    ]
)
model.compile(keras.optimizers.legacy.Nadam(0.02), "mse")
for _ in range(2):
    model.train_on_batch(x, y)
model.save("legacy_nadam.h5")
print([w.name for w in model.optimizer.weights])
print(float(model.optimizer.weights[1].numpy()))
model.train_on_batch(x, y)
for w in model.get_weights():
    print(np.round(w, 7).ravel().tolist())
