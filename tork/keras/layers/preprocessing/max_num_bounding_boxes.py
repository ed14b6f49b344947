"""`keras.layers.MaxNumBoundingBoxes`: pads or truncates bounding boxes to a fixed number."""

from __future__ import annotations

import torch

from tork._backend.tensor import convert_to_tensor
from tork.keras.layers.layer import Layer


class MaxNumBoundingBoxes(Layer):
    """Pads or truncates the bounding boxes of each image to `max_number`.

    The input is a dict `{"images": ..., "bounding_boxes": {"boxes": ...,
    "labels": ...}}` with boxes `(batch, num_boxes, 4)` (or `(num_boxes, 4)`
    unbatched) and labels `(batch, num_boxes)`; missing boxes and labels are
    filled with `fill_value`, extra ones dropped. The images (and any other
    entry) are returned unchanged, as is an input that is not a dict. The
    layer acts in training and inference alike.

    Args:
        max_number: the number of boxes per image in the output.
        fill_value: the value of the padded boxes and labels; defaults to -1.
        bounding_box_format: the format of the boxes (e.g. `'xyxy'`); they
            are not converted, but like Keras the layer requires it when
            given boxes.

    Example:
    >>> layer = keras.layers.MaxNumBoundingBoxes(3, bounding_box_format="xyxy")
    >>> out = layer({"images": tf.ones((1, 8, 8, 3)),
    ...              "bounding_boxes": {"boxes": tf.ones((1, 1, 4)), "labels": tf.ones((1, 1))}})
    >>> out["bounding_boxes"]["labels"]
    tensor([[ 1., -1., -1.]])
    """

    def __init__(self, max_number, fill_value=-1, **kwargs):
        self.bounding_box_format = kwargs.pop("bounding_box_format", None)
        self.data_format = kwargs.pop("data_format", None) or "channels_last"
        super().__init__(**kwargs)
        self.max_number = int(max_number)
        self.fill_value = fill_value

    def _resize_axis(self, values, axis: int) -> torch.Tensor:
        values = values if isinstance(values, torch.Tensor) else convert_to_tensor(values)
        count = values.shape[axis]
        if count >= self.max_number:
            return values.narrow(axis, 0, self.max_number)
        shape = list(values.shape)
        shape[axis] = self.max_number - count
        padding = torch.full(shape, self.fill_value, dtype=values.dtype, device=values.device)
        return torch.cat([values, padding], dim=axis)

    def call(self, inputs, training=True):
        if not isinstance(inputs, dict) or "bounding_boxes" not in inputs:
            return inputs
        if self.bounding_box_format is None:
            raise ValueError(
                "You passed an input with a 'bounding_boxes' key, but you didn't specify a "
                "bounding box format. Pass a `bounding_box_format` argument to your "
                "MaxNumBoundingBoxes layer, e.g. `bounding_box_format='xyxy'`."
            )
        boxes = dict(inputs["bounding_boxes"])
        boxes["boxes"] = self._resize_axis(boxes["boxes"], -2)
        if "labels" in boxes:
            boxes["labels"] = self._resize_axis(boxes["labels"], -1)
        result = dict(inputs)
        result["bounding_boxes"] = boxes
        return result

    def compute_output_shape(self, input_shape):
        return input_shape

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(
            {
                "data_format": self.data_format,
                "max_number": self.max_number,
                "fill_value": self.fill_value,
                "bounding_box_format": self.bounding_box_format,
            }
        )
        return config
