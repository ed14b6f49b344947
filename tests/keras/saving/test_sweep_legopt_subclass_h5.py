"""`.h5` files of a model compiled with a subclass of a built-in Keras 2 optimizer.

Pattern from bojone/bert4keras (bert4keras/optimizers.py `extend_with_lookahead_v2`): a
subclass of `keras.optimizers.legacy.Adam` adds a slot and overrides
`_resource_apply_dense`. tf_keras 2.21 (reference env, `TF_USE_LEGACY_KERAS=1`) saves its
slots under the built-in's names, `Adam/d/kernel/m:0`, then the added ones.
"""

import h5py
import numpy as np

import tork as tf

keras = tf.keras
K = keras.backend


class _Lookahead(keras.optimizers.legacy.Adam):
    def _create_slots(self, var_list):
        super()._create_slots(var_list)
        for var in var_list:
            self.add_slot(var, "slow")

    def _resource_apply_dense(self, grad, var):
        super()._resource_apply_dense(grad, var)
        slow = self.get_slot(var, "slow")
        return K.update(slow, slow + 0.5 * (var - slow))


def test_subclass_slots_saved_with_keras2_names_and_reloaded(tmp_path):
    model = keras.Sequential([keras.layers.Dense(2, input_shape=(3,), name="d")])
    model.compile(_Lookahead(learning_rate=0.1), "mse")
    model.fit(np.ones((4, 3), "float32"), np.ones((4, 2), "float32"), verbose=0, epochs=2)
    path = str(tmp_path / "la.h5")
    model.save(path)
    with h5py.File(path) as f:
        names = [n.decode() for n in f["optimizer_weights"].attrs["weight_names"]]
    # tf_keras 2.21 writes exactly these names for this model and optimizer.
    assert names == [
        "Adam/iter:0",
        "Adam/d/kernel/m:0",
        "Adam/d/bias/m:0",
        "Adam/d/kernel/v:0",
        "Adam/d/bias/v:0",
        "Adam/d/kernel/slow:0",
        "Adam/d/bias/slow:0",
    ]
    loaded = keras.models.load_model(path, custom_objects={"_Lookahead": _Lookahead})
    kernel, new_kernel = model.layers[0].kernel, loaded.layers[0].kernel
    assert type(loaded.optimizer) is _Lookahead and int(loaded.optimizer.iterations) == 2
    for slot in ("m", "v", "slow"):
        np.testing.assert_allclose(
            loaded.optimizer.get_slot(new_kernel, slot).numpy(),
            model.optimizer.get_slot(kernel, slot).numpy(),
        )
