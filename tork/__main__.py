"""`python -m tork`: versions, devices and a one-line self-check.

Prints tork's and torch's versions, the devices torch can use, and then builds and fits a
tiny Keras model on the default device to check that the install works end to end. The
exit status is 0 when the self-check passes and 1 when it fails.

Example:

    $ python -m tork
    tork 0.1.0 (Keras API 3.0.0+tork) on torch 2.13.0+cpu, Python 3.11.7
    devices: CPU (default), no CUDA (this torch build is CPU-only)
    self-check: ok - built and fitted a Dense model on cpu in 0.9s (loss 1.49 -> 8.93e-06)
"""

from __future__ import annotations

import argparse
import platform
import sys
import time


def _devices() -> str:
    import torch

    from tork._backend.device import current_device

    default = current_device().type
    names = ["CPU" + (" (default)" if default == "cpu" else "")]
    if torch.cuda.is_available():
        for index in range(torch.cuda.device_count()):
            label = f"GPU:{index} {torch.cuda.get_device_name(index)}"
            if default == "cuda" and index == torch.cuda.current_device():
                label += " (default)"
            names.append(label)
    elif torch.version.cuda is None:
        names.append("no CUDA (this torch build is CPU-only)")
    else:
        names.append(f"no CUDA device visible (torch built for CUDA {torch.version.cuda})")
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        names.append("MPS (not used by default)")
    return ", ".join(names)


def self_check(steps: int = 30) -> str:
    """Builds and fits a tiny Keras model; returns a one-line report.

    Args:
        steps: number of training steps (batches) to run.

    Returns:
        A description of what ran, e.g. `"built and fitted a Dense model on cpu ..."`.

    Raises:
        RuntimeError: if training does not reduce the loss.
    """
    import numpy as np

    import tork as tf

    rng = np.random.default_rng(0)
    x = rng.normal(size=(steps * 8, 4)).astype("float32")
    y = x @ np.array([[1.0], [-2.0], [0.5], [3.0]], dtype="float32") + 0.25
    tf.keras.utils.set_random_seed(0)
    start = time.perf_counter()
    model = tf.keras.Sequential([tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(1)])
    model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.1), loss="mse")
    history = model.fit(x, y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    first, last = history.history["loss"][0], history.history["loss"][-1]
    prediction = model.predict(x[:2], verbose=0)
    elapsed = time.perf_counter() - start
    device = next(model.parameters()).device
    if not (np.isfinite(last) and last < first and prediction.shape == (2, 1)):
        raise RuntimeError(
            f"training a Dense model on {device} did not reduce the loss "
            f"({first:.4f} -> {last:.4f})"
        )
    return (
        f"built and fitted a Dense model on {device.type} in {elapsed:.1f}s "
        f"(loss {first:.3g} -> {last:.3g})"
    )


def main(argv: list[str] | None = None) -> int:
    """Runs `python -m tork`; returns the process exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m tork",
        description="Print tork's version and devices, then run a quick self-check.",
    )
    parser.add_argument("--no-check", action="store_true", help="only print versions and devices")
    args = parser.parse_args(argv)

    import torch

    import tork
    from tork import keras

    print(
        f"tork {tork.version.TORK_VERSION} (TensorFlow API {tork.__version__}, Keras API "
        f"{keras.__version__}) on torch {torch.__version__}, "
        f"Python {platform.python_version()}"
    )
    print(f"devices: {_devices()}")
    if args.no_check:
        return 0
    try:
        report = self_check()
    except Exception as error:  # the point is to report any failure in one line
        print(f"self-check: FAILED - {type(error).__name__}: {error}")
        return 1
    print(f"self-check: ok - {report}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
