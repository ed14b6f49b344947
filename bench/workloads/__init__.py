"""The benchmark workloads, by name (in the order `--workload all` runs them)."""

from bench.workloads.call_overhead import CallOverhead
from bench.workloads.conv_layer import ConvLayer
from bench.workloads.lstm import LSTMWorkload
from bench.workloads.lstm_layer import LSTMLayer
from bench.workloads.mnist_mlp import MnistMLP
from bench.workloads.predict import Predict
from bench.workloads.resnet_cnn import ResNetCNN
from bench.workloads.seed_mlp import SeedMLP
from bench.workloads.small_cnn import SmallCNN
from bench.workloads.tape_loop import TapeLoop
from bench.workloads.transformer import TransformerWorkload

WORKLOADS = {
    cls.name: cls
    for cls in (
        SeedMLP,
        MnistMLP,
        SmallCNN,
        TapeLoop,
        Predict,
        LSTMWorkload,
        CallOverhead,
        ConvLayer,
        LSTMLayer,
        ResNetCNN,
        TransformerWorkload,
    )
}
