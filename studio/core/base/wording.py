"""Core messages in the GUI's words: controls instead of project-file paths, whole sentences.

A :class:`~studio.core.base.errors.UserError` names the project-file field to fix
(``data.root: ...``), which is right for the command line and a hand-edited file. The window
shows the same message through :func:`in_gui_words`, which names the control (and its page)
instead, says "none" for ``null``, and makes it a sentence: capital first letter, full stop.
"""

from __future__ import annotations

import re

from studio.core.base.i18n import DEFAULT_LANGUAGE, current_language, tr

#: project-file fields -> the control the GUI shows for them (in English; shown through ``tr``, so
#: resources/i18n/core_ko.json holds each in Korean)
FIELD_WORDS: dict[str, str] = {
    "data.root": "the dataset folder (Data page)",
    "data.download": "“Auto-download when training” (Data page)",
    "data.source": "the dataset (Data page)",
    "data.val": "the validation split (Data page)",
    "data.limit_per_class": "“Use at most N images per class” (Data page)",
    "data.image_size": "the image size",
    "data.channels": "the colour channels",
    "data.augment": "the augmentation (Data page)",
    "model.weights": "the Weights choice (Design page)",
    "model.freeze": "“Freeze the pretrained backbone” (Design page)",
    "model.unfreeze_from": "“Train from” (Design page)",
    "model.unfreeze_after": "“Gradual unfreezing” (Design page)",
    "model.backbone_lr_mult": "the backbone learning rate (Design page)",
    "model.layers": "the network (Design page)",
    "training.batch_size": "the batch size (Train page)",
    "training.epochs": "the epochs (Train page)",
    "training.optimizer": "the optimizer (Train page)",
    "training.optimizer.lr": "the learning rate (Train page)",
    "training.optimizer.weight_decay": "the weight decay (Train page)",
    "training.grad_clip": "gradient clipping (Train page)",
    "training.label_smoothing": "label smoothing (Train page)",
    "training.scheduler": "the schedule (Train page)",
    "training.device": "the device (Train page)",
}

_FIELD = re.compile(r"\b(data|model|training)\.([a-z_]+)(\[\d+\])?(\.[a-z_]+)?")
_SET_TO = re.compile(r"\bset data\.download to true\b")
_LEADING = re.compile(r"^(?:data|model|training)(?:\.[a-z_]+|\[\d+\])+:\s*")
_LAYER_FIELD = re.compile(r"^model\.layers\[(\d+)\](?:\.([a-z_]+))?:\s*")


def sentence(text: str) -> str:
    """``text`` with a capital first letter and a closing full stop (or other end mark)."""
    text = text.strip()
    if not text:
        return text
    text = text[0].upper() + text[1:]
    if text[-1] not in ".!?…:":
        text += "."
    return text


def _english() -> bool:
    return current_language() == DEFAULT_LANGUAGE


def _key_words(key: str) -> str:
    """A field's own name for the window: ``kernel size`` in English; in another language the
    designer's name for that argument (``tr("kernel_size")``), else the key itself."""
    return key.replace("_", " ") if _english() else tr(key)


def _control(path: str, fallback: str) -> str:
    """The control that edits ``path`` (:data:`FIELD_WORDS`, shown through ``tr``), else ``fallback``."""
    words = FIELD_WORDS.get(path)
    return tr(words) if words is not None else fallback


def _field(match: re.Match[str]) -> str:
    section, key, index, sub = match.group(1), match.group(2), match.group(3), match.group(4)
    if section == "model" and key == "layers" and index:
        if sub:
            return tr("layer {index}'s {field}", index=index[1:-1], field=_key_words(sub[1:]))
        return tr("layer {index}", index=index[1:-1])
    if sub and f"{section}.{key}{sub}" in FIELD_WORDS:
        return _control(f"{section}.{key}{sub}", "")
    words = _control(f"{section}.{key}", _key_words(key))
    return tr("{control}'s {field}", control=words, field=_key_words(sub[1:])) if sub else words


def in_gui_words(message: str) -> str:
    """A core message for the window: field paths become control names, ``null`` "none".

    The message may be in any language (the core translates its messages); the field paths in
    it are the same in all of them, so they become the controls' names in the current language.
    ``null``/``true``/``false`` become "none"/"on"/"off" in English only: a translated message
    keeps the project file's own words.
    """
    text = message.strip()
    layer = _LAYER_FIELD.match(text)
    if layer:  # "model.layers[3].kernel_size: ..." -> "Layer 3 kernel size: ..."
        rest = text[layer.end() :]
        if layer.group(2):
            text = tr(
                "layer {index} {field}: {message}",
                index=layer.group(1),
                field=_key_words(layer.group(2)),
                message=rest,
            )
        else:
            text = tr("layer {index}: {message}", index=layer.group(1), message=rest)
    else:
        text = _LEADING.sub("", text)
    text = _SET_TO.sub(lambda _: tr("tick “Auto-download when training” (Data page)"), text)
    text = _FIELD.sub(_field, text)
    if _english():
        text = re.sub(r"\bto null\b", "to none", text)
        text = re.sub(r"\bnull\b", "none", text)
        text = re.sub(r"\btrue\b", "on", text)
        text = re.sub(r"\bfalse\b", "off", text)
    return sentence(text)
