"""The project file's JSON Schema (draft 2020-12) and its Markdown reference, from one source.

Why: editors validate project files against the schema (``cnn-studio schema``), and
``docs/project-format.md`` is generated from the same dict, so the two cannot disagree. The
source is the code itself wherever it holds the facts: the block registry
(:data:`studio.core.model.blocks.REGISTRY`: every layer type, argument, default and range),
the project dataclasses (defaults), and the choice lists and limits of
:mod:`studio.core.project.project_file`, :mod:`studio.core.data.augment` and
:mod:`studio.core.model.zoo`. The numeric ranges the section parsers pass to ``require_*``
are written here once more; ``tests/core/test_schema.py`` probes every one of them against
:func:`~studio.core.project.project_file.parse_project_text` so that a drift fails a test.

The schema is a little looser than the parser where JSON Schema cannot say it (an integer
written ``3.0``; a stage number that depends on the architecture); it never refuses a file
the studio accepts.
"""

from __future__ import annotations

import copy
import json
from typing import Any

from studio.core.data.augment import AUGMENT_KEYS, MAX_CROP_PADDING, PRESET_NAMES
from studio.core.model.blocks import GROUPS, META_KEYS, REGISTRY, Arg, BlockType
from studio.core.model.shapes import analyze
from studio.core.model.zoo import ARCHITECTURES
from studio.core.project.optim_settings import (
    OPTIMIZER_ARGS,
    SCHEDULER_ARGS,
    Check,
    Choice,
    Flag,
    Num,
    takers,
)
from studio.core.project.project_file import (
    DEVICES,
    FORMAT,
    FREEZE,
    MAX_EPOCHS,
    MAX_IMAGE_SIDE,
    MAX_LAYERS,
    MONITORS,
    OPTIMIZERS,
    PRECISIONS,
    SCHEDULERS,
    SOURCES,
    UNFREEZE_MODES,
    DataSpec,
    ModelSpec,
    Project,
    TrainingSpec,
)
from studio.core.project.templates import TEMPLATES

SCHEMA_ID = "urn:cnn-studio:project:1"

Schema = dict[str, Any]


def _int(lo: int | None = None, hi: int | None = None, **kw: Any) -> Schema:
    s: Schema = {"type": "integer"}
    if lo is not None:
        s["minimum"] = lo
    if hi is not None:
        s["maximum"] = hi
    return {**s, **kw}


def _num(lo: float | None = None, hi: float | None = None, lo_open: bool = False, **kw: Any) -> Schema:
    s: Schema = {"type": "number"}
    if lo is not None:
        s["exclusiveMinimum" if lo_open else "minimum"] = lo
    if hi is not None:
        s["maximum"] = hi
    return {**s, **kw}


def _enum(choices: tuple[Any, ...], **kw: Any) -> Schema:
    return {"enum": list(choices), **kw}


def _nullable(s: Schema, **kw: Any) -> Schema:
    return {"anyOf": [s, {"type": "null"}], **kw}


# --------------------------------------------------------------------------- layers (the registry)


def _size(a: Arg) -> Schema:
    one = _int(_whole(a.min), _whole(a.max))
    return {"anyOf": [one, {"type": "array", "items": one, "minItems": 2, "maxItems": 2}]}


def _whole(v: float | None) -> int | None:
    return None if v is None else int(v)


def arg_schema(a: Arg) -> Schema:
    """The JSON Schema of one block argument (``Arg.kind`` -> JSON types)."""
    if a.kind == "int":
        s = _int(_whole(a.min), _whole(a.max))
    elif a.kind == "float":
        s = _num(a.min, a.max)
    elif a.kind == "bool":
        s = {"type": "boolean"}
    elif a.kind == "choice":
        s = _enum(a.choices)
    elif a.kind == "int_choice":  # an integer out of a few (MBConv's kernel 3 or 5)
        s = _enum(tuple(int(c) for c in a.choices))
    elif a.kind == "size":
        s = _size(a)
    elif a.kind == "padding":
        s = {"anyOf": [*_size(a)["anyOf"], _enum(("same", "valid"))]}
    elif a.kind == "optional_size":
        s = {"anyOf": [*_size(a)["anyOf"], {"type": "null"}]}
    else:  # a new Arg kind must be taught here
        raise ValueError(f"no schema for argument kind {a.kind!r}")
    return {**s, "default": a.default, "description": a.help}


def block_schema(block: BlockType) -> Schema:
    """One layer type: ``type`` fixed, its arguments, the meta keys; nothing else is allowed."""
    props: Schema = {"type": {"const": block.name}}
    # the parser does not check the meta keys' values; the designer writes strings
    props.update(
        {"name": {"description": "a label shown in the designer"}, "comment": {"description": "a free note"}}
    )
    assert set(props) == set(META_KEYS), "META_KEYS changed: describe the new key here"
    for a in block.args:
        props[a.name] = arg_schema(a)
    return {
        "type": "object",
        "description": block.help,
        "required": ["type"],
        "properties": props,
        "additionalProperties": False,
    }


def layer_schema() -> Schema:
    """A layer: an object whose ``type`` picks one registry entry's schema."""
    return {
        "type": "object",
        "required": ["type"],
        "properties": {"type": _enum(tuple(REGISTRY), description="the block type")},
        "allOf": [
            {"if": {"properties": {"type": {"const": name}}}, "then": {"$ref": f"#/$defs/layer_{name}"}}
            for name in REGISTRY
        ],
    }


# --------------------------------------------------------------------------- sections


def _data() -> Schema:
    d = DataSpec()
    size = _int(1, MAX_IMAGE_SIDE)
    return {
        "type": "object",
        "description": "where the images come from and how they reach the model",
        "properties": {
            "source": _enum(
                SOURCES,
                default=d.source,
                description="torchvision's dataset under `root`, a `folder` of class "
                "sub-folders (or `train/`, `val/`, `test/` splits of them), or the "
                "embedded `sample`",
            ),
            "root": {
                "type": "string",
                "default": d.root,
                "description": "the dataset folder (`~` is expanded); required for `folder`",
            },
            "download": {
                "type": "boolean",
                "default": d.download,
                "description": "download a torchvision dataset into `root` when missing",
            },
            "channels": _enum(
                (1, 3, 4), default=d.channels, description="1 greyscale, 3 RGB, 4 RGBA; images are converted"
            ),
            "image_size": {
                "anyOf": [size, {"type": "array", "items": size, "minItems": 2, "maxItems": 2}],
                "default": list(d.image_size),
                "description": "[height, width] the images are resized to (one integer: a square)",
            },
            "val": {
                "anyOf": [_num(0.0, 0.9), {"const": "test"}],
                "default": d.val,
                "description": 'the fraction of the training set held out for validation, or "test": '
                "validate on the source's test split",
            },
            "augment": _augment(),
        },
        "allOf": [
            {
                "if": {"properties": {"source": {"const": "folder"}}, "required": ["source"]},
                "then": {"required": ["root"], "properties": {"root": {"minLength": 1}}},
            }
        ],
    }


def _augment() -> Schema:
    factor = _num(0.1, 4.0)
    props: Schema = {
        "preset": _enum(PRESET_NAMES, description="a named set of the keys below; explicit keys override it"),
        "random_crop": _int(
            0, MAX_CROP_PADDING, description="pad by this many pixels, crop back at random (0: off)"
        ),
        "hflip": {"type": "boolean", "description": "mirror left-right with probability 1/2"},
        "rotate": _num(0.0, 180.0, description="rotate by up to this many degrees either way"),
        "translate": _num(0.0, 0.5, description="shift by up to this fraction of the width/height"),
        "scale": {
            "anyOf": [factor, {"type": "array", "items": factor, "minItems": 2, "maxItems": 2}],
            "description": "[min, max] zoom factor (one number: a fixed zoom)",
        },
        "color_jitter": _num(
            0.0, 1.0, description="brightness, contrast and saturation factors in [1-s, 1+s]"
        ),
        "random_erasing": _num(0.0, 1.0, description="probability of blanking a random rectangle"),
    }
    assert tuple(props) == AUGMENT_KEYS, "AUGMENT_KEYS changed: describe the new key here"
    return {
        "type": "object",
        "default": {},
        "properties": props,
        "description": "batch augmentation while training (all keys optional; see docs/training.md)",
    }


def _model() -> Schema:
    m = ModelSpec()
    return {
        "type": "object",
        "description": "the network: a stack of blocks, or a pretrained torchvision model",
        "properties": {
            "kind": _enum(("stack", "pretrained"), default="stack", description="which of the two forms"),
            "layers": {
                "type": "array",
                "items": {"$ref": "#/$defs/layer"},
                "maxItems": MAX_LAYERS,
                "default": [],
                "description": "kind `stack`: the layers in order (see Layers below)",
            },
            "arch": _enum(
                ARCHITECTURES, default=m.arch, description="kind `pretrained`: the torchvision model"
            ),
            "weights": _nullable(
                {"type": "string", "minLength": 1},
                default=m.weights,
                description='kind `pretrained`: "DEFAULT" (ImageNet weights), null '
                "(random) or a path to a .pth state dict",
            ),
            "freeze": _enum(
                FREEZE,
                default=m.freeze,
                description="kind `pretrained`: train the new head only, or everything",
            ),
            "unfreeze_from": _nullable(
                _int(0),
                default=m.unfreeze_from,
                description="kind `pretrained`: stages from this one on train from the "
                "start (at most the architecture's stage count; null: head only)",
            ),
            "unfreeze_after": _nullable(
                _int(1, MAX_EPOCHS),
                default=m.unfreeze_after,
                description="kind `pretrained`: unfreeze more every N epochs",
            ),
            "unfreeze_mode": _enum(
                UNFREEZE_MODES,
                default=m.unfreeze_mode,
                description="kind `pretrained`: one more stage at a time, or all at once",
            ),
            "backbone_lr_mult": _num(
                0.0,
                1.0,
                lo_open=True,
                default=m.backbone_lr_mult,
                description="kind `pretrained`: the backbone's learning rate = the head's times this",
            ),
        },
    }


def _setting_schema(check: Check) -> Schema:
    """The JSON Schema of one optimizer/scheduler argument (see :mod:`...optim_settings`)."""
    if isinstance(check, Num):
        if check.integer:
            return _int(_whole(check.lo), _whole(check.hi))
        out = _num(check.lo, None if check.hi_open else check.hi, lo_open=check.lo_open)
        if check.hi_open and check.hi is not None:
            out["exclusiveMaximum"] = check.hi
        return out
    if isinstance(check, Choice):
        return _enum(check.choices)
    if isinstance(check, Flag):
        return {"type": "boolean"}
    item = {"type": "number", "minimum": check.lo, "exclusiveMaximum": check.hi}
    return {"type": "array", "items": item, "minItems": 2, "maxItems": 2}


def _settings(table: dict[str, dict[str, Check]]) -> tuple[dict[str, Schema], list[Schema]]:
    """Every argument of the classes in ``table`` (each says which classes take it), and one
    rule per class that allows only its own arguments: what ``optim_settings`` checks."""
    props: dict[str, Schema] = {}
    for args in table.values():
        for key, check in args.items():
            if key not in props:
                who = ", ".join(takers(table, key))
                props[key] = {**_setting_schema(check), "description": f"{who}: {check.help}"}
    rules = [
        {
            "if": {"properties": {"type": {"const": kind}}, "required": ["type"]},
            "then": {"propertyNames": {"enum": ["type", *args]}},
        }
        for kind, args in table.items()
    ]
    return props, rules


def _optimizer() -> Schema:
    default = TrainingSpec().optimizer
    props, rules = _settings(OPTIMIZER_ARGS)
    return {
        "type": "object",
        "required": ["type", "lr"],
        "default": default,
        "description": "torch.optim class and its arguments under their PyTorch names; an argument the "
        "class does not take is an error",
        "properties": {"type": _enum(OPTIMIZERS, description="the torch.optim class"), **props},
        "allOf": rules,
    }


def _scheduler() -> Schema:
    props, rules = _settings(SCHEDULER_ARGS)
    return _nullable(
        {
            "type": "object",
            "description": "torch.optim.lr_scheduler class and its arguments; an argument the class does "
            "not take is an error",
            "properties": {
                "type": {
                    "anyOf": [_enum(SCHEDULERS), _enum(("none", "None", None))],
                    "description": 'the scheduler class ("none" or null: a constant rate)',
                },
                **props,
            },
            "allOf": rules,
        },
        default=None,
        description="the learning-rate schedule, or null",
    )


def _training() -> Schema:
    t = TrainingSpec()
    return {
        "type": "object",
        "description": "the recipe",
        "properties": {
            "epochs": _int(1, MAX_EPOCHS, default=t.epochs, description="passes over the training set"),
            "batch_size": _int(1, 65536, default=t.batch_size, description="images per step"),
            "optimizer": _optimizer(),
            "scheduler": _scheduler(),
            "seed": _int(
                0, 2**32 - 1, default=t.seed, description="seeds weights, shuffling and augmentation"
            ),
            "device": {
                "type": "string",
                "default": t.device,
                "pattern": "^(" + "|".join(DEVICES) + ")(:.*)?$",
                "description": '"auto", "cpu", "cuda", "cuda:N" or "mps"',
            },
            "label_smoothing": _num(
                0.0, 0.9, default=t.label_smoothing, description="cross-entropy label smoothing"
            ),
            "grad_clip": _nullable(
                _num(0.0, lo_open=True),
                default=t.grad_clip,
                description="clip the gradient norm to this (null: off)",
            ),
            "early_stopping": _nullable(
                {
                    "type": "object",
                    "properties": {
                        "monitor": _enum(MONITORS, description="the metric watched"),
                        "patience": _int(1, description="epochs without improvement before stopping"),
                        "min_delta": _num(0.0, description="the smallest change that counts"),
                    },
                },
                default=t.early_stopping,
                description="stop when the monitored metric stalls (null: off)",
            ),
            "deterministic": {
                "type": "boolean",
                "default": t.deterministic,
                "description": "deterministic kernels (slower; bit-exact reruns)",
            },
            "workers": _nullable(
                _int(0, 64),
                default=t.workers,
                description="data-loading worker processes (null: chosen by the studio)",
            ),
            "tta": {
                "type": "boolean",
                "default": False,
                "description": "test-time augmentation: validation and test average the predictions "
                "of each image and its mirror image",
            },
            "precision": _enum(
                PRECISIONS,
                default="auto",
                description="autocast precision: auto = fp16 on CUDA, fp32 elsewhere; "
                "bf16 on CUDA or a CPU with native bfloat16",
            ),
        },
    }


def project_schema() -> Schema:
    """The whole project file's JSON Schema (draft 2020-12), fresh on every call."""
    p = Project()
    defs: Schema = {"layer": layer_schema()}
    defs.update({f"layer_{name}": block_schema(block) for name, block in REGISTRY.items()})
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "CNN Studio project",
        "description": "A CNN Studio project file: a dataset, a network and a training recipe. "
        "Unknown keys are allowed everywhere except inside a layer; the studio keeps them.",
        "type": "object",
        "properties": {
            "format": {
                "type": "string",
                "pattern": "^cnn-studio/[0-9]+$",
                "default": FORMAT,
                "description": f'"{FORMAT}"; an older one is migrated on load, a newer one refused',
            },
            "name": {"type": "string", "default": p.name, "description": "the project's display name"},
            "data": _data(),
            "model": _model(),
            "training": _training(),
        },
        # a pretrained ImageNet model takes RGB images
        "allOf": [
            {
                "if": {
                    "properties": {
                        "model": {"properties": {"kind": {"const": "pretrained"}}, "required": ["kind"]}
                    },
                    "required": ["model"],
                },
                "then": {
                    "required": ["data"],
                    "properties": {
                        "data": {"required": ["channels"], "properties": {"channels": {"const": 3}}}
                    },
                },
            }
        ],
        "$defs": defs,
    }


def schema_json() -> str:
    """The schema as stable, pretty JSON text (what ``cnn-studio schema`` prints)."""
    return json.dumps(project_schema(), indent=2, ensure_ascii=False) + "\n"


# --------------------------------------------------------------------------- Markdown


def _type_text(s: Schema) -> str:
    if "anyOf" in s:
        parts = [part for x in s["anyOf"] for part in _type_text(x).split(" or ")]
        return " or ".join(dict.fromkeys(parts))
    if "const" in s:
        return json.dumps(s["const"])
    if "enum" in s:
        names = {"str": "string", "int": "integer", "float": "number", "bool": "boolean", "NoneType": "null"}
        return " or ".join(dict.fromkeys(names.get(type(v).__name__, "any") for v in s["enum"]))
    if s.get("type") == "array":
        return f"[{_type_text(s['items'])}, {_type_text(s['items'])}]" if s.get("minItems") == 2 else "list"
    return str(s.get("type", "any"))


def _range_text(s: Schema) -> str:
    if "anyOf" in s:
        parts = [_range_text(x) for x in s["anyOf"] if x.get("type") != "array"]
        return "; ".join(p for p in dict.fromkeys(parts) if p)
    if "enum" in s:
        return ", ".join(f"`{json.dumps(v)}`" for v in s["enum"])
    if "const" in s:
        return f"`{json.dumps(s['const'])}`"
    if "pattern" in s:
        return f"matches `{s['pattern']}`"
    lo = s.get("minimum", s.get("exclusiveMinimum"))
    hi = s.get("maximum")
    if lo is None:
        return f"<= {_n(hi)}" if hi is not None else ("at least 1 character" if s.get("minLength") else "")
    left = "(" if "exclusiveMinimum" in s else "["
    if hi is None:
        return f"> {_n(lo)}" if left == "(" else f">= {_n(lo)}"
    return f"{left}{_n(lo)}, {_n(hi)}]"


def _n(v: float) -> str:
    return f"{v:,}" if isinstance(v, int) and abs(v) >= 100_000 else f"{v:g}"


def _default_text(s: Schema) -> str:
    if "default" not in s:
        return "—"
    return f"`{json.dumps(s['default'])}`"


def _table(props: Schema, prefix: str, required: tuple[str, ...] = ()) -> list[str]:
    rows = ["| key | type | default | allowed | meaning |", "| --- | --- | --- | --- | --- |"]
    for key, s in props.items():
        desc = s.get("description", "")
        if "anyOf" in s and not desc:
            desc = next((x.get("description", "") for x in s["anyOf"] if x.get("description")), "")
        default = "required" if key in required else _default_text(s)
        cells = [f"`{prefix}{key}`", _type_text(s), default, _range_text(s), desc]
        rows.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return rows


def _object(s: Schema) -> Schema:
    """The object branch of a nullable object schema."""
    if "anyOf" in s:
        return next(x for x in s["anyOf"] if x.get("type") == "object")
    return s


def markdown_reference() -> str:
    """The generated part of ``docs/project-format.md``: every key, type, default and range."""
    schema = project_schema()
    props = schema["properties"]
    out: list[str] = ["### Top level", ""]
    top = {k: v for k, v in props.items() if k in ("format", "name")}
    out += _table(top, "")
    out += [
        "",
        "`data`, `model` and `training` are objects, described next; a missing one takes its defaults.",
        "",
    ]
    training = props["training"]["properties"]
    sections: list[tuple[str, str, Schema]] = [
        ("`data`", "data.", props["data"]),
        ("`data.augment`", "data.augment.", props["data"]["properties"]["augment"]),
        ("`model`", "model.", props["model"]),
        ("`training`", "training.", props["training"]),
        ("`training.optimizer`", "training.optimizer.", training["optimizer"]),
        ("`training.scheduler`", "training.scheduler.", training["scheduler"]),
        ("`training.early_stopping`", "training.early_stopping.", training["early_stopping"]),
    ]
    for title, prefix, outer in sections:
        section, about = _object(outer), outer.get("description", "")
        out += [f"### {title}", "", about[:1].upper() + about[1:] + ".", ""]
        out += _table(section["properties"], prefix, tuple(section.get("required", ())))
        out.append("")
    out += [
        "### Layers",
        "",
        "Each entry of `model.layers` is an object with `type` (one of the names below), the "
        "optional meta keys `name` and `comment`, and that type's own arguments under their "
        "PyTorch names; any other key is an error. `in_channels`/`in_features` are never "
        "written: they follow from the layer before. Layers by palette group:",
        "",
    ]
    for group in GROUPS:
        names = [b.name for b in REGISTRY.values() if b.group == group]
        out.append(f"- {group}: " + ", ".join(f"[`{n}`](#{n.lower()})" for n in names))
    out.append("")
    for name, block in REGISTRY.items():
        s = schema["$defs"][f"layer_{name}"]
        out += [f"#### {name}", "", block.help, ""]
        args = {k: v for k, v in s["properties"].items() if k not in META_KEYS}
        if args:
            out += _table(args, "")
        else:
            out.append("No arguments.")
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def templates_table() -> str:
    """The generated table of built-in templates for ``docs/project-format.md``."""
    rows = ["| name | model | parameters | what |", "| --- | --- | --- | --- |"]
    for name, t in TEMPLATES.items():
        project = t.project()
        if project.model.kind == "stack":
            report = analyze(copy.deepcopy(project.model.layers), project.input_shape)
            kind, params = "stack", f"{report.total_params:,}" if report.error is None else "—"
        else:
            kind, params = f"pretrained `{project.model.arch}`", "—"
        rows.append(f"| `{name}` | {kind} | {params} | {t.description} |")
    return "\n".join(rows) + "\n"
