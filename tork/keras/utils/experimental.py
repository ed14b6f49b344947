"""`keras.utils.experimental`: Keras 2's experimental data utilities."""

from tork.keras.utils.dataset_creator import DatasetCreator

__all__ = ["DatasetCreator"]
