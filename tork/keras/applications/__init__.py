"""`keras.applications`: pretrained image models (DenseNet, EfficientNet, Inception,
MobileNet, ResNet, VGG, Xception).

The models are built from tork's Keras layers with Keras's layer names, so the
ImageNet weight files Keras publishes (downloaded once into
`~/.keras/models/`) load into them.

Example:
>>> base_model = keras.applications.MobileNetV2(
...     input_shape=(160, 160, 3), include_top=False, weights="imagenet")  # doctest: +SKIP
>>> preprocess_input = keras.applications.mobilenet_v2.preprocess_input
"""

from tork._backend.errors import module_getattr as _module_getattr
from tork.keras.applications import (
    densenet,
    efficientnet,
    imagenet_utils,
    inception_v3,
    mobilenet,
    mobilenet_v2,
    resnet,
    resnet50,
    resnet_v2,
    vgg16,
    vgg19,
    xception,
)
from tork.keras.applications.densenet import DenseNet121, DenseNet169, DenseNet201
from tork.keras.applications.efficientnet import (
    EfficientNetB0,
    EfficientNetB1,
    EfficientNetB2,
    EfficientNetB3,
    EfficientNetB4,
    EfficientNetB5,
    EfficientNetB6,
    EfficientNetB7,
)
from tork.keras.applications.inception_v3 import InceptionV3
from tork.keras.applications.mobilenet import MobileNet
from tork.keras.applications.mobilenet_v2 import MobileNetV2
from tork.keras.applications.resnet import ResNet50, ResNet101, ResNet152
from tork.keras.applications.resnet_v2 import ResNet50V2, ResNet101V2, ResNet152V2
from tork.keras.applications.vgg16 import VGG16
from tork.keras.applications.vgg19 import VGG19
from tork.keras.applications.xception import Xception

__all__ = [
    "DenseNet121",
    "DenseNet169",
    "DenseNet201",
    "EfficientNetB0",
    "EfficientNetB1",
    "EfficientNetB2",
    "EfficientNetB3",
    "EfficientNetB4",
    "EfficientNetB5",
    "EfficientNetB6",
    "EfficientNetB7",
    "InceptionV3",
    "MobileNet",
    "MobileNetV2",
    "ResNet50",
    "ResNet101",
    "ResNet152",
    "ResNet50V2",
    "ResNet101V2",
    "ResNet152V2",
    "VGG16",
    "VGG19",
    "Xception",
    "densenet",
    "efficientnet",
    "imagenet_utils",
    "inception_v3",
    "mobilenet",
    "mobilenet_v2",
    "resnet",
    "resnet50",
    "resnet_v2",
    "vgg16",
    "vgg19",
    "xception",
]

__getattr__ = _module_getattr("tf.keras.applications")
