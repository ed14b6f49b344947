"""The saving API mixed into `keras.Model`: save, save_weights, load_weights, to_json, export."""

from __future__ import annotations


class SavingMixin:
    """Mixin holding `Model.save`, `save_weights`, `load_weights`, `to_json` and `export`."""

    def save(self, filepath, overwrite: bool = True, zipped: bool | None = None, **kwargs) -> None:
        """Saves the model: architecture, weights, compile config and optimizer state.

        Args:
            filepath: a path ending in `.keras` (Keras 3 format) or `.h5`
                (Keras 2 HDF5 format).
            overwrite: whether to replace an existing file.
            zipped: for `.keras`, False writes a directory instead of a zip.
            **kwargs: Keras 2 options (`include_optimizer`, `save_format`).

        The file is written to a temporary path and renamed into place.

        Example:
        >>> model.save("model.keras")  # doctest: +SKIP
        >>> restored = keras.models.load_model("model.keras")  # doctest: +SKIP
        """
        from tork.keras.saving.saving_api import save_model

        save_model(self, filepath, overwrite=overwrite, zipped=zipped, **kwargs)

    def save_weights(self, filepath, overwrite: bool = True, **kwargs) -> None:
        """Saves the model's weights and optimizer state.

        Args:
            filepath: `*.weights.h5` (Keras 3 layout) or `*.h5` (Keras 2 layout).
            overwrite: whether to replace an existing file.

        Example:
        >>> model.save_weights("model.weights.h5")  # doctest: +SKIP
        """
        from tork.keras.saving.saving_api import save_weights

        save_weights(self, filepath, overwrite=overwrite, **kwargs)

    def load_weights(self, filepath, skip_mismatch: bool = False, **kwargs):
        """Loads weights from a `.weights.h5`, `.keras` or Keras 2 `.h5` file.

        Every count and shape is checked first; on a mismatch nothing is
        loaded and the error names the layer and the shapes.

        Args:
            filepath: the file.
            skip_mismatch: skip mismatching layers (with a warning) instead.
            **kwargs: `by_name=True` for Keras 2 `.h5` files.

        Example:
        >>> model.load_weights("model.weights.h5")  # doctest: +SKIP
        """
        from tork.keras.saving.saving_api import load_weights

        return load_weights(self, filepath, skip_mismatch=skip_mismatch, **kwargs)

    def to_json(self, **kwargs) -> str:
        """Returns the model's architecture (its config) as a JSON string.

        Args:
            **kwargs: passed to `json.dumps`.

        Example:
        >>> clone = keras.models.model_from_json(model.to_json())  # doctest: +SKIP
        """
        from tork.keras.saving.model_json import model_to_json

        return model_to_json(self, **kwargs)

    def to_yaml(self, **kwargs):
        """Removed in Keras 2.6 (as in tf_keras): raises, pointing to `to_json`.

        Raises:
            RuntimeError: always.
        """
        raise RuntimeError(
            "Method `model.to_yaml()` has been removed due to security risk of arbitrary code "
            "execution. Please use `model.to_json()` instead."
        )

    def export(
        self,
        filepath,
        format: str = "tf_saved_model",  # noqa: A002 - Keras's argument name
        verbose=None,
        input_signature=None,
        **kwargs,
    ) -> None:
        """Exports the model for inference.

        Args:
            filepath: the output file (a directory for `'tf_saved_model'`).
            format: `'tf_saved_model'` (the default: tork's SavedModel directory with
                the endpoint `serve` and the signature `serving_default`, which
                `tf.saved_model.load` and `keras.layers.TFSMLayer` read; TensorFlow
                itself cannot), `'onnx'` (an ONNX file, through `torch.onnx`) or
                `'torch'` (a `torch.export` program).
            verbose: whether to print the exporter's progress.
            input_signature: optional list of `keras.InputSpec` (or shapes)
                giving the input shapes and dtypes; by default the model's
                own input shapes. None sizes stay dynamic.
            **kwargs: passed to `torch.onnx.export` (e.g. `opset_version`).

        Example:
        >>> model.export("model.onnx", format="onnx")  # doctest: +SKIP
        """
        from tork.keras.saving.export import export_model

        export_model(
            self,
            filepath,
            format=format,
            verbose=verbose,
            input_signature=input_signature,
            **kwargs,
        )
