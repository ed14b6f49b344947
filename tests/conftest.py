"""Test-wide settings: one torch thread, so timings and tiny-op speed are stable on 2 cores.

On a CUDA machine tork places everything on the GPU, and the suite runs there too. cuDNN's
TF32 mode (on by default for convolutions and recurrent layers on Ampere and newer, as in
TensorFlow) rounds float32 products to 10-bit mantissas; the tests compare against float64
NumPy references at float32 tolerances, so they run with it off.
"""

import torch

torch.set_num_threads(1)
if torch.cuda.is_available():
    torch.backends.cudnn.allow_tf32 = False
    torch.backends.cuda.matmul.allow_tf32 = False
