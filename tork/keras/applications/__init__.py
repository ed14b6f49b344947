"""`keras.applications`: pretrained image models (ConvNeXt, DenseNet, EfficientNet,
EfficientNetV2, Inception, InceptionResNetV2, MobileNet V1-V3, NASNet, ResNet, VGG,
Xception).

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
    convnext,
    densenet,
    efficientnet,
    efficientnet_v2,
    imagenet_utils,
    inception_resnet_v2,
    inception_v3,
    mobilenet,
    mobilenet_v2,
    mobilenet_v3,
    nasnet,
    resnet,
    resnet50,
    resnet_v2,
    vgg16,
    vgg19,
    xception,
)
from tork.keras.applications.convnext import (
    ConvNeXtBase,
    ConvNeXtLarge,
    ConvNeXtSmall,
    ConvNeXtTiny,
    ConvNeXtXLarge,
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
from tork.keras.applications.efficientnet_v2 import (
    EfficientNetV2B0,
    EfficientNetV2B1,
    EfficientNetV2B2,
    EfficientNetV2B3,
    EfficientNetV2L,
    EfficientNetV2M,
    EfficientNetV2S,
)
from tork.keras.applications.inception_resnet_v2 import InceptionResNetV2
from tork.keras.applications.inception_v3 import InceptionV3
from tork.keras.applications.mobilenet import MobileNet
from tork.keras.applications.mobilenet_v2 import MobileNetV2
from tork.keras.applications.mobilenet_v3 import MobileNetV3Large, MobileNetV3Small
from tork.keras.applications.nasnet import NASNetLarge, NASNetMobile
from tork.keras.applications.resnet import ResNet50, ResNet101, ResNet152
from tork.keras.applications.resnet_v2 import ResNet50V2, ResNet101V2, ResNet152V2
from tork.keras.applications.vgg16 import VGG16
from tork.keras.applications.vgg19 import VGG19
from tork.keras.applications.xception import Xception

__all__ = [
    "ConvNeXtTiny",
    "ConvNeXtSmall",
    "ConvNeXtBase",
    "ConvNeXtLarge",
    "ConvNeXtXLarge",
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
    "EfficientNetV2B0",
    "EfficientNetV2B1",
    "EfficientNetV2B2",
    "EfficientNetV2B3",
    "EfficientNetV2S",
    "EfficientNetV2M",
    "EfficientNetV2L",
    "InceptionResNetV2",
    "InceptionV3",
    "MobileNet",
    "MobileNetV2",
    "MobileNetV3Small",
    "MobileNetV3Large",
    "NASNetMobile",
    "NASNetLarge",
    "ResNet50",
    "ResNet101",
    "ResNet152",
    "ResNet50V2",
    "ResNet101V2",
    "ResNet152V2",
    "VGG16",
    "VGG19",
    "Xception",
    "convnext",
    "densenet",
    "efficientnet",
    "efficientnet_v2",
    "imagenet_utils",
    "inception_resnet_v2",
    "inception_v3",
    "mobilenet",
    "mobilenet_v2",
    "mobilenet_v3",
    "nasnet",
    "resnet",
    "resnet50",
    "resnet_v2",
    "vgg16",
    "vgg19",
    "xception",
]

__getattr__ = _module_getattr("tf.keras.applications")
