"""`keras.layers.TorchModuleWrapper`: a `torch.nn.Module` as a Keras layer (Keras 3).

In tork every layer already is a `torch.nn.Module` and a module assigned to a
layer or model is tracked as it is; this wrapper exists so that Keras 3 code
written for its torch backend runs unchanged, and so that the module gets a
layer's name, summary row, `training` switch and saving.
"""

from __future__ import annotations

import base64
import io

import torch

from tork.keras.layers.layer import Layer


class TorchModuleWrapper(Layer):
    """Turns any `torch.nn.Module` into a Keras layer.

    The module's parameters become the layer's weights (trainable where
    `requires_grad` is set); calling the layer calls the module, in train mode
    during training (`fit`, `training=True`) and in eval mode otherwise.

    Args:
        module: a `torch.nn.Module`. A lazy module (`nn.LazyLinear`...) must be
            called once first so that its parameters exist.
        name: the layer's name.
        output_shape: the layer's output shape, if you want to state it; by
            default it is inferred by calling the module.

    Example:
    >>> layer = keras.layers.TorchModuleWrapper(torch.nn.Linear(4, 2))
    >>> layer(tf.ones((3, 4))).shape
    torch.Size([3, 2])
    >>> [tuple(w.shape) for w in layer.weights]
    [(2, 4), (2,)]
    """

    def __init__(self, module, name: str | None = None, output_shape=None, **kwargs):
        super().__init__(name=name, **kwargs)
        if not isinstance(module, torch.nn.Module):
            raise TypeError(
                f"TorchModuleWrapper expects a torch.nn.Module, got {type(module).__name__}. "
                "Keras layers do not need wrapping: use them directly."
            )
        lazy = [
            n
            for n, p in module.named_parameters()
            if isinstance(p, torch.nn.parameter.UninitializedParameter)
        ]
        if lazy:
            raise ValueError(
                f"TorchModuleWrapper: the lazy module {type(module).__name__} has uninitialized "
                f"parameters {lazy}. Call it once on an input of the right shape before "
                "wrapping it, so that its parameters exist."
            )
        self.module = module
        self.output_shape_arg = None if output_shape is None else tuple(output_shape)
        self.built = True

    def call(self, *args, training=None, **kwargs):
        # Dropout and batch norm inside the module follow Keras's training flag; None (a
        # direct call outside fit) is inference, as for Keras's own layers.
        self.module.train(bool(training))
        return self.module(*args, **kwargs)

    def compute_output_shape(self, input_shape):
        if self.output_shape_arg is not None:
            return self.output_shape_arg
        return super().compute_output_shape(input_shape)

    def get_config(self) -> dict:
        config = super().get_config()
        buffer = io.BytesIO()
        torch.save(self.module, buffer)
        config["module"] = base64.b64encode(buffer.getvalue()).decode("ascii")
        config["output_shape"] = self.output_shape_arg
        return config

    @classmethod
    def from_config(cls, config: dict) -> TorchModuleWrapper:
        from tork.keras.saving.serialization import in_safe_mode

        config = dict(config)
        encoded = config.get("module")
        if isinstance(encoded, str):
            if in_safe_mode() is not False:
                raise ValueError(
                    "TorchModuleWrapper.from_config: the config holds a pickled torch module. "
                    "Unpickling runs code, which is unsafe for files you do not trust, so it "
                    "is refused in safe mode. If you trust the file, pass safe_mode=False "
                    "(e.g. keras.models.load_model(path, safe_mode=False)) or call "
                    "keras.config.enable_unsafe_deserialization() first."
                )
            buffer = io.BytesIO(base64.b64decode(encoded))
            config["module"] = torch.load(buffer, weights_only=False)
        return cls(**config)
