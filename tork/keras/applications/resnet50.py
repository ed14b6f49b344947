"""`keras.applications.resnet50`: ResNet50, its `preprocess_input` and `decode_predictions`."""

from tork.keras.applications.resnet import ResNet50, decode_predictions, preprocess_input

__all__ = ["ResNet50", "preprocess_input", "decode_predictions"]
