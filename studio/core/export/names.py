"""The export formats' names and one-line descriptions (import-light: the CLI parser reads them)."""

from __future__ import annotations

FORMATS: tuple[str, ...] = ("torchscript", "onnx", "state-dict", "safetensors", "python")
FORMAT_HELP: dict[str, str] = {
    "torchscript": "TorchScript archive (.pt): torch.jit.load, no Python source needed",
    "onnx": "ONNX model (.onnx), dynamic batch: onnxruntime, TensorRT, OpenVINO...",
    "state-dict": "PyTorch state dict with metadata (.pt), loads with weights_only=True",
    "safetensors": "weights as safetensors (.safetensors), metadata in the header",
    "python": "a folder with model.py (plain torch.nn), predict.py and the weights",
}
