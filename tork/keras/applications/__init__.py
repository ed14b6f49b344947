"""`keras.applications`: pretrained image models (MobileNetV2, ResNet50, VGG16).

The models are built from tork's Keras layers with Keras's layer names, so the
ImageNet weight files Keras publishes (downloaded once into
`~/.keras/models/`) load into them.

Example:
>>> base_model = keras.applications.MobileNetV2(
...     input_shape=(160, 160, 3), include_top=False, weights="imagenet")  # doctest: +SKIP
>>> preprocess_input = keras.applications.mobilenet_v2.preprocess_input
"""

from tork._backend.errors import module_getattr as _module_getattr
from tork.keras.applications import imagenet_utils, mobilenet_v2, resnet, resnet50, vgg16
from tork.keras.applications.mobilenet_v2 import MobileNetV2
from tork.keras.applications.resnet import ResNet50
from tork.keras.applications.vgg16 import VGG16

__all__ = [
    "MobileNetV2",
    "ResNet50",
    "VGG16",
    "imagenet_utils",
    "mobilenet_v2",
    "resnet",
    "resnet50",
    "vgg16",
]

__getattr__ = _module_getattr("tf.keras.applications")
