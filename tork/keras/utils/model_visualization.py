"""`keras.utils.plot_model` and `model_to_dot`: not drawn by tork.

Keras draws the layer graph with pydot and graphviz and, when they are missing,
raises `ImportError`. Tutorials call `plot_model` right after building a model,
and careful code skips the picture with `except ImportError:`. tork raises the
same exception type, so that code keeps running, with a message that says what
to use instead.
"""

from __future__ import annotations


def _unavailable(api: str) -> ImportError:
    return ImportError(
        f"tork does not implement `tf.keras.utils.{api}` (Keras draws the layer graph "
        "with pydot and graphviz). Use `model.summary()` to print the layers, their output "
        "shapes and connections. This is an ImportError, as in Keras without pydot, so "
        "code that skips the plot with `except ImportError:` keeps running."
    )


def plot_model(
    model,
    to_file: str = "model.png",
    show_shapes: bool = False,
    show_dtype: bool = False,
    show_layer_names: bool = True,
    rankdir: str = "TB",
    expand_nested: bool = False,
    dpi: int = 96,
    show_layer_activations: bool = False,
    show_trainable: bool = False,
    **kwargs,
):
    """Not implemented: always raises `ImportError` (Keras's error without pydot).

    Args:
        model: the model (not drawn).
        to_file, show_shapes, show_dtype, show_layer_names, rankdir, expand_nested,
            dpi, show_layer_activations, show_trainable: Keras's arguments,
            accepted and ignored.

    Raises:
        ImportError: always; use `model.summary()` instead.
    """
    raise _unavailable("plot_model")


def model_to_dot(model, show_shapes: bool = False, **kwargs):
    """Not implemented: always raises `ImportError` (Keras's error without pydot).

    Args:
        model: the model (not converted).
        show_shapes: Keras's argument, accepted and ignored; so are the others.

    Raises:
        ImportError: always; use `model.summary()` instead.
    """
    raise _unavailable("model_to_dot")
