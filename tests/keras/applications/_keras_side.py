"""Runs in a subprocess with the real `keras` package (torch backend).

Usage: python _keras_side.py DIR
Builds every model in CONFIGS with weights=None, randomizes the BatchNormalization
statistics (so inference is not the identity), and writes per config:
NAME.weights.h5 (Keras 3 layout), NAME.legacy.h5 (Keras 2 weights-only layout, as the
published ImageNet files), NAME.x.npy / NAME.y.npy (input and Keras's prediction), and a
report.json with layers, weights, parameter count and output shape.
"""

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import h5py  # noqa: E402
import keras  # noqa: E402
import numpy as np  # noqa: E402
from _configs import CONFIGS  # noqa: E402
from keras.src.legacy.saving import legacy_h5_format  # noqa: E402


def _randomize_batch_norm(model, rng):
    # By weight name: BatchNormalization(scale=False) (InceptionV3) has no gamma.
    draws = {
        "gamma": lambda shape: rng.uniform(0.5, 1.5, shape),
        "beta": lambda shape: rng.normal(0, 0.1, shape),
        "moving_mean": lambda shape: rng.normal(0, 0.1, shape),
        "moving_variance": lambda shape: rng.uniform(0.5, 1.5, shape),
    }
    for layer in model.layers:
        if isinstance(layer, keras.layers.BatchNormalization):
            layer.set_weights(
                [draws[w.name](tuple(w.shape)).astype("float32") for w in layer.weights]
            )


def main(out):
    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    report = {}
    for name, (arch, kwargs) in CONFIGS.items():
        model = getattr(keras.applications, arch)(weights=None, **kwargs)
        _randomize_batch_norm(model, rng)
        shape = (2,) + tuple(model.input_shape[1:])
        x = rng.uniform(-1, 1, shape).astype("float32")
        y = np.asarray(model.predict(x, verbose=0))
        model.save_weights(os.path.join(out, f"{name}.weights.h5"))
        with h5py.File(os.path.join(out, f"{name}.legacy.h5"), "w") as f:
            legacy_h5_format.save_weights_to_hdf5_group(f, model)
        np.save(os.path.join(out, f"{name}.x.npy"), x)
        np.save(os.path.join(out, f"{name}.y.npy"), y)
        report[name] = {
            "model_name": model.name,
            "layers": [[layer.name, type(layer).__name__] for layer in model.layers],
            "weights": [[w.path, list(w.shape)] for w in model.weights],
            "trainable": len(model.trainable_weights),
            "params": model.count_params(),
            "output_shape": list(model.output_shape),
        }
    with open(os.path.join(out, "report.json"), "w") as f:
        json.dump(report, f)


if __name__ == "__main__":
    main(sys.argv[1])
