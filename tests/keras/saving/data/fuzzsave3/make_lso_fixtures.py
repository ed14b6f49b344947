"""Writes lso_sgd.h5 / lso_sgd.keras for test_sweep_fuzzsave3_loss_scale.py with tf_keras 2.21.

    TF_USE_LEGACY_KERAS=1 /tmp/tfenv/bin/python make_lso_fixtures.py

A mixed_float16 model compiled with LossScaleOptimizer(SGD(momentum)), trained 2 steps, saved;
prints the optimizer weight names and the weights after a third step continued in memory
(tf_keras's own reload of the .h5 restarts the optimizer: iterations 0).
`lso_sgd.keras` is gitignored (`git add -f` it).
"""

import os

os.environ["TF_USE_LEGACY_KERAS"] = "1"
import numpy as np  # noqa: E402
import tf_keras as keras  # noqa: E402

x = np.linspace(-1, 1, 24, dtype="float32").reshape(6, 4)
y = np.ones((6, 1), "float32")
keras.mixed_precision.set_global_policy("mixed_float16")
i = keras.Input((4,), name="x")
h = keras.layers.Dense(3, activation="relu", name="d1")(i)
o = keras.layers.Dense(1, dtype="float32", name="o")(h)
model = keras.Model(i, o, name="lso")
keras.mixed_precision.set_global_policy("float32")
model.set_weights(
    [
        np.linspace(-0.5, 0.6, 12, dtype="float32").reshape(4, 3),
        np.array([0.1, 0.0, -0.1], "float32"),
        np.array([[0.4], [-0.3], [0.2]], "float32"),
        np.array([0.05], "float32"),
    ]
)
opt = keras.mixed_precision.LossScaleOptimizer(
    keras.optimizers.SGD(0.05, momentum=0.5), initial_scale=256.0, dynamic_growth_steps=1
)
model.compile(opt, "mse")
for _ in range(2):
    model.train_on_batch(x, y)
model.save("lso_sgd.h5")
model.save("lso_sgd.keras")
print([v.name for v in model.optimizer.variables])
model.train_on_batch(x, y)
for w in model.get_weights():
    print(np.round(w, 7).ravel().tolist())
