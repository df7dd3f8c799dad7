"""Shape inference speed: ``analyze`` on a valid 100-layer stack against the 5 ms target.

The designer reruns :func:`studio.core.model.shapes.analyze` on every edit, so a 100-layer stack
must take under 5 ms. This times it (argument validation included) many times and prints the
median, and the ratio median / 5 ms (below 1 is within the target).

It also times the analytic summary of the ``efficientnet-b0-blocks`` and ``googlenet-blocks``
templates (blocks with branches), against the same 5 ms target.

Usage: ``python benchmarks/shape_inference.py [--repeat 2000] [--layers 100]``
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from studio.core.model.shapes import analyze  # noqa: E402
from studio.core.project.templates import TEMPLATES  # noqa: E402

TARGET_MS = 5.0


def stack(n_layers: int) -> list[dict[str, Any]]:
    """A valid stack of exactly ``n_layers`` layers that mixes every kind of shape rule."""
    unit = [
        {"type": "Conv2d", "out_channels": 32, "kernel_size": 3, "padding": "same"},
        {"type": "BatchNorm2d"},
        {"type": "ReLU"},
        {
            "type": "Conv2d",
            "out_channels": 32,
            "kernel_size": [3, 5],
            "padding": [1, 2],
            "dilation": 1,
            "groups": 2,
        },
        {"type": "MaxPool2d", "kernel_size": 3, "stride": 1, "padding": 1, "ceil_mode": True},
        {"type": "BasicBlock", "out_channels": 32},
        {"type": "Bottleneck", "out_channels": 8},
        {"type": "Dropout2d", "p": 0.1},
        {"type": "AvgPool2d", "kernel_size": 3, "stride": 1, "padding": 1},
        {"type": "GELU"},
    ]
    tail = [
        {"type": "AdaptiveAvgPool2d", "output_size": 1},
        {"type": "Flatten"},
        {"type": "Linear", "out_features": 64},
        {"type": "ReLU"},
        {"type": "Linear", "out_features": 10},
    ]
    body = (unit * (n_layers // len(unit) + 1))[: n_layers - len(tail)]
    return body + tail


def main() -> None:
    """Time the analysis and print the median and its ratio to the target."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2000)
    parser.add_argument("--layers", type=int, default=100)
    args = parser.parse_args()
    layers = stack(args.layers)
    summary = analyze(layers, (3, 64, 48))
    assert summary.error is None and len(summary.layers) == args.layers, summary.error
    for _ in range(50):  # warm-up
        analyze(layers, (3, 64, 48))
    times = []
    for _ in range(args.repeat):
        start = time.perf_counter()
        analyze(layers, (3, 64, 48))
        times.append((time.perf_counter() - start) * 1000)
    median = statistics.median(times)
    print(
        f"analyze, {args.layers} layers: median {median:.3f} ms over {args.repeat} runs "
        f"(p90 {statistics.quantiles(times, n=10)[-1]:.3f} ms)"
    )
    print(f"ratio to the {TARGET_MS:g} ms target: {median / TARGET_MS:.3f} (below 1 is within target)")
    for name in ("efficientnet-b0-blocks", "googlenet-blocks"):  # blocks with branches
        project = TEMPLATES[name].project()
        template_layers, shape = project.model.layers, project.input_shape
        assert analyze(template_layers, shape).error is None
        runs = []
        for _ in range(args.repeat // 4):
            start = time.perf_counter()
            analyze(template_layers, shape)
            runs.append((time.perf_counter() - start) * 1000)
        median = statistics.median(runs)
        print(
            f"analyze, {name} ({len(template_layers)} layers): median {median:.3f} ms; ratio to the "
            f"{TARGET_MS:g} ms target: {median / TARGET_MS:.3f}"
        )


if __name__ == "__main__":
    main()
