"""``cnn-studio predict MODEL IMAGE... [--top-k K] [--json]``: classify image files.

MODEL is a run folder (its best checkpoint) or an exported TorchScript (.pt/.ts) or ONNX
(.onnx) file; the other exports (state-dict .pt, .safetensors, a python export folder) work
too. A TorchScript file or python folder CNN Studio did not write needs ``--trust``. One line per image with the top-k classes and probabilities, or JSON. An unreadable
image gets an error on its own line; the command fails (exit 2) only when no image could
be read.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import Any

from studio.core.base.errors import UserError


def add_parser(sub: Any) -> argparse.ArgumentParser:
    """Register the command."""
    p = sub.add_parser(
        "predict",
        help="classify images with a run folder or an exported model",
        description="Print the top-k classes of each image. MODEL is a run folder or an "
        "exported TorchScript (.pt/.ts) or ONNX (.onnx) file.",
    )
    p.add_argument("model", help="run folder, or exported .pt/.ts/.onnx file")
    p.add_argument("images", nargs="+", metavar="IMAGE", help="image files")
    p.add_argument(
        "--top-k",
        type=int,
        default=3,
        help="classes to show per image (default 3; at most the number of classes)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument(
        "--checkpoint",
        choices=("best", "last"),
        default="best",
        help="which checkpoint of a run folder to use (default: best)",
    )
    p.add_argument(
        "--trust",
        action="store_true",
        help="load a TorchScript file or python export folder that CNN Studio did not write "
        "(loading it runs code from it); ONNX, safetensors and state-dict files need no trust",
    )
    return p


def run(args: argparse.Namespace) -> int:
    """Classify the images; exit 2 when none could be read."""
    from studio.core.evaluation.predict import load_predictor  # lazy: pulls in numpy

    if args.top_k < 1:
        raise UserError(f"--top-k must be at least 1, got {args.top_k}")
    predictor = load_predictor(args.model, args.checkpoint, trust=args.trust)
    results = predictor.predict(args.images, top_k=args.top_k)
    if args.json:
        doc = {
            "model": str(predictor.source),
            "kind": predictor.kind,
            "classes": predictor.classes,
            "predictions": [r.to_json() for r in results],
        }
        text = json.dumps(doc, indent=2, ensure_ascii=False)
        try:
            text.encode(sys.stdout.encoding or "utf-8")
        except UnicodeEncodeError:  # an ASCII terminal or an undecodable name: JSON's own escapes
            text = json.dumps(doc, indent=2, ensure_ascii=True)
        print(text)
    else:
        _write("\n".join(r.text() for r in results))
    if not any(r.ok for r in results):
        n = len(results)
        what = (
            f"the image could not be read ({results[0].error})"
            if n == 1
            else f"none of the {n} images could be read"
        )
        sys.stderr.write(f"error: {what}\n")
        return 2
    return 0


def _write(text: str) -> None:
    """Print ``text``; characters the terminal cannot encode (class or file names on an ASCII
    stdout, an undecodable file name) are escaped, not a crash - as ``check-data`` does."""
    enc = sys.stdout.encoding or "utf-8"
    try:
        text.encode(enc)
    except UnicodeEncodeError:
        sys.stdout.flush()
        sys.stdout.buffer.write((text + "\n").encode(enc, "backslashreplace"))
        sys.stdout.flush()
        return
    print(text)
