"""The Korean documentation (docs/ko/) keeps up with the English pages it translates.

Each heading of docs/ko/guide.md and docs/ko/concepts.md is followed by a comment naming the
English chapter it translates, ``<!-- en: 1-mnist-digits -->`` (the English heading's GitHub
anchor). The tests fail when the English page has a chapter (``#``, ``##`` or ``###``) that the
Korean page lacks or has in another order, when a chapter's figures (``29,178``, ``99.1``,
``1280``…) changed in English but not in Korean, and when a link or image in docs/ko/*.md points
to a file or anchor that does not exist. A Markdown parser (markdown-it-py) reads the pages, so
that text in code blocks is never taken for a heading or a link.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from urllib.parse import unquote, urlsplit

import pytest
from markdown_it import MarkdownIt

ROOT = Path(__file__).resolve().parents[2]
KO = ROOT / "docs" / "ko"
TRANSLATED = ("guide.md", "concepts.md")  # docs/<name> -> docs/ko/<name>
LEVELS = ("h1", "h2", "h3")
MARK = re.compile(r"<!--\s*en:\s*(\S+)\s*-->")
# figures worth keeping in step: decimals (99.1), grouped thousands (29,178), 3+ digits (1280)
FIGURE = re.compile(r"(?<![\w.,])(?:\d+(?:[.,]\d+)+|\d{3,})(?![\w])")
_md = MarkdownIt("commonmark").enable("table")


def slug(title: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-")


@dataclass
class Chapter:
    """One heading of a page and the text up to the next heading."""

    title: str
    anchor: str
    en: str | None = None  # the English anchor named by the comment under a Korean heading
    text: list[str] = field(default_factory=list)


def chapters(markdown: str) -> list[Chapter]:
    """The page's headings (levels 1-3) in order, each with its text and its ``en:`` mark."""
    found: list[Chapter] = []
    seen: dict[str, int] = {}
    tokens = _md.parse(markdown)
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open" and tok.tag in LEVELS:
            title = tokens[i + 1].content
            anchor = slug(title)
            if anchor in seen:  # GitHub numbers repeated anchors: x, x-1, x-2
                seen[anchor] += 1
                anchor = f"{anchor}-{seen[anchor]}"
            else:
                seen[anchor] = 0
            found.append(Chapter(title, anchor))
            nxt = tokens[i + 3] if i + 3 < len(tokens) else None
            if nxt is not None and nxt.type == "html_block" and (m := MARK.search(nxt.content)):
                found[-1].en = m.group(1)
        elif found and tok.type in ("inline", "fence", "code_block"):
            found[-1].text.append(tok.content)
    return found


def all_anchors(markdown: str) -> set[str]:
    """Every anchor a link may point to: the headings' and explicit ``id``/``name`` attributes."""
    ids = set(re.findall(r"""<a\s+(?:id|name)=["']([^"']+)["']""", markdown))
    tokens = _md.parse(markdown)
    heads = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    seen: dict[str, int] = {}
    for title in heads:
        anchor = slug(title)
        seen[anchor] = seen.get(anchor, -1) + 1
        ids.add(anchor if seen[anchor] == 0 else f"{anchor}-{seen[anchor]}")
    return ids


def chapter_problems(english: str, korean: str, name: str) -> list[str]:
    """What the Korean page lacks of the English page's chapters, order and figures."""
    en = chapters(english)
    ko = chapters(korean)
    problems = [
        f"docs/ko/{name}: heading '{c.title}' has no '<!-- en: ANCHOR -->' line under it"
        for c in ko
        if c.en is None
    ]
    en_order = [c.anchor for c in en]
    ko_order = [c.en for c in ko if c.en is not None]
    for c in en:
        if c.anchor not in ko_order:
            problems.append(
                f"docs/{name} has the chapter '{c.title}' (#{c.anchor}) that docs/ko/{name} "
                f"lacks: translate it under a heading followed by <!-- en: {c.anchor} -->"
            )
    for anchor in ko_order:
        if anchor not in en_order:
            problems.append(
                f"docs/ko/{name} marks a chapter <!-- en: {anchor} --> that docs/{name} no "
                "longer has: follow the English page (renamed or removed?)"
            )
    common_en = [a for a in en_order if a in ko_order]
    common_ko = [a for a in ko_order if a in en_order]
    if common_en != common_ko:
        problems.append(
            f"docs/ko/{name} has its chapters in another order than docs/{name}: {common_ko} vs {common_en}"
        )
    by_anchor = {c.en: c for c in ko if c.en is not None}
    for c in en:
        if c.anchor not in by_anchor:
            continue
        ko_text = "\n".join(by_anchor[c.anchor].text)
        missing = sorted({f for f in FIGURE.findall("\n".join(c.text)) if f not in ko_text})
        if missing:
            problems.append(
                f"docs/ko/{name}, chapter <!-- en: {c.anchor} -->: the English chapter has "
                f"figures the Korean one lacks: {', '.join(missing)}"
            )
    return problems


def link_problems(page: Path, root: Path = ROOT) -> list[str]:
    """Links and images of a page whose file, or anchor in a Markdown file, does not exist."""
    problems = []
    text = page.read_text(encoding="utf-8")
    targets: list[str] = []
    for tok in _md.parse(text):
        for child in tok.children or []:
            if child.type == "link_open":
                targets.append(str(child.attrs.get("href", "")))
            elif child.type == "image":
                targets.append(str(child.attrs.get("src", "")))
        if tok.type in ("html_block", "html_inline", "inline"):
            targets += re.findall(r"""<img\s[^>]*src=["']([^"']+)["']""", tok.content)
    for target in targets:
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or target.startswith("mailto:"):
            continue  # a web address: not checked offline
        path = (page.parent / unquote(parts.path)).resolve() if parts.path else page
        rel = page.relative_to(root)
        if not path.exists():
            problems.append(f"{rel}: the link '{target}' points to {path} that does not exist")
            continue
        if parts.fragment and path.suffix == ".md":
            anchor = unquote(parts.fragment)
            if anchor not in all_anchors(path.read_text(encoding="utf-8")):
                problems.append(
                    f"{rel}: the link '{target}' names the anchor #{anchor} that "
                    f"{path.relative_to(root)} has no heading for"
                )
    return problems


# ----------------------------------------------------------------------------- the real pages


@pytest.mark.parametrize("name", TRANSLATED)
def test_the_korean_page_has_every_english_chapter_in_order(name: str) -> None:
    english = (ROOT / "docs" / name).read_text(encoding="utf-8")
    korean = (KO / name).read_text(encoding="utf-8")
    assert chapters(english), f"docs/{name} has no headings?"
    problems = chapter_problems(english, korean, name)
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("page", sorted(KO.glob("*.md")), ids=lambda p: p.name)
def test_every_link_and_image_of_the_korean_docs_exists(page: Path) -> None:
    problems = link_problems(page)
    assert not problems, "\n".join(problems)


def test_the_korean_docs_link_each_other_and_show_screenshots() -> None:
    start = (KO / "README.md").read_text(encoding="utf-8")
    for name in TRANSLATED:
        assert f"]({name})" in start, f"docs/ko/README.md should link {name}"
    guide = (KO / "guide.md").read_text(encoding="utf-8")
    assert len(re.findall(r"!\[[^\]]*\]\(\.\./images/ko/[^)]+\.png\)", guide)) >= 10


def korean_images(page: Path) -> list[str]:
    """The ``src`` of every image a Korean page shows."""
    return [
        str(child.attrs.get("src", ""))
        for tok in _md.parse(page.read_text(encoding="utf-8"))
        for child in tok.children or []
        if child.type == "image"
    ]


@pytest.mark.parametrize("page", sorted(KO.glob("*.md")), ids=lambda p: p.name)
def test_the_korean_docs_show_the_korean_window(page: Path) -> None:
    """Every screenshot in docs/ko/ is one taken from the Korean UI (docs/images/ko/, made by
    ``docs/make_screenshots.py --lang ko``), under the English screenshot's file name."""
    for src in korean_images(page):
        assert src.startswith("../images/ko/"), f"docs/ko/{page.name} shows {src}, not a Korean screenshot"
        name = src.removeprefix("../images/ko/")
        assert (ROOT / "docs" / "images" / "ko" / name).is_file(), f"docs/images/ko/{name} is missing"
        assert (ROOT / "docs" / "images" / name).is_file(), f"{name} has no English screenshot"


def test_the_korean_screenshots_are_the_english_ones_retaken() -> None:
    english = {p.name for p in (ROOT / "docs" / "images").glob("*.png")}
    korean = {p.name for p in (ROOT / "docs" / "images" / "ko").glob("*.png")}
    assert english and korean == english, f"only English: {english - korean}, only Korean: {korean - english}"
    size = sum(p.stat().st_size for p in (ROOT / "docs" / "images" / "ko").glob("*.png"))
    assert size < 1.5 * 2**20, f"docs/images/ko holds {size // 1024} kB: quantise the PNGs"


def _screenshot_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_screenshots", ROOT / "docs" / "make_screenshots.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_screenshot_script_takes_lang_ko_into_docs_images_ko(tmp_path: Path) -> None:
    script = _screenshot_script()
    assert script.parse_args([]).out == ROOT / "docs" / "images"
    args = script.parse_args(["--lang", "ko"])
    assert args.lang == "ko" and args.out == ROOT / "docs" / "images" / "ko"
    assert script.parse_args(["--lang", "ko", "--out", str(tmp_path)]).out == tmp_path
    with pytest.raises(SystemExit):
        script.parse_args(["--lang", "xx"])


def test_the_readme_links_the_korean_start_page_at_the_very_top() -> None:
    first = (ROOT / "README.md").read_text(encoding="utf-8").lstrip().splitlines()[0]
    assert "[한국어 안내](docs/ko/README.md)" in first


# ------------------------------------------------------------- the checks notice what they should

EN_PAGE = """# Guide
## 1. MNIST digits
29,178 parameters at 99.1 % in `1280` x 800.

```
## not a heading
```
## 2. CIFAR-10 objects
text
"""
KO_PAGE = """# 안내서
<!-- en: guide -->
## 1. MNIST 숫자 인식
<!-- en: 1-mnist-digits -->
파라미터 29,178개, 99.1 %, `1280` x 800.
## 2. CIFAR-10 객체 인식
<!-- en: 2-cifar-10-objects -->
본문
"""


def test_the_github_anchor_of_english_and_korean_headings() -> None:
    assert (
        slug("6. Look inside: feature maps, filters, Grad-CAM")
        == "6-look-inside-feature-maps-filters-grad-cam"
    )
    assert slug("2b. CIFAR-10 in minutes: `cifar10-fast`") == "2b-cifar-10-in-minutes-cifar10-fast"
    assert slug("6. 속 들여다보기: 특징 맵, 필터, Grad-CAM") == "6-속-들여다보기-특징-맵-필터-grad-cam"


def test_a_faithful_translation_passes() -> None:
    assert chapter_problems(EN_PAGE, KO_PAGE, "x.md") == []


def test_a_new_english_chapter_is_noticed() -> None:
    english = EN_PAGE + "## 7. The Lab: convolution step by step\nnew\n"
    problems = chapter_problems(english, KO_PAGE, "x.md")
    assert len(problems) == 1 and "#7-the-lab-convolution-step-by-step" in problems[0]


def test_a_new_english_subsection_is_noticed() -> None:
    english = EN_PAGE.replace("## 2.", "### 1b. Faster\nmore\n## 2.")
    assert any("#1b-faster" in p for p in chapter_problems(english, KO_PAGE, "x.md"))


def test_a_changed_figure_is_noticed() -> None:
    problems = chapter_problems(EN_PAGE.replace("29,178", "29,306"), KO_PAGE, "x.md")
    assert len(problems) == 1 and "29,306" in problems[0] and "1-mnist-digits" in problems[0]


def test_a_missing_mark_and_a_changed_order_are_noticed() -> None:
    unmarked = KO_PAGE.replace("<!-- en: 2-cifar-10-objects -->\n", "")
    assert any("has no '<!-- en: ANCHOR -->'" in p for p in chapter_problems(EN_PAGE, unmarked, "x.md"))
    a, b = KO_PAGE.index("## 1."), KO_PAGE.index("## 2.")
    swapped = KO_PAGE[:a] + KO_PAGE[b:] + KO_PAGE[a:b]
    assert any("another order" in p for p in chapter_problems(EN_PAGE, swapped, "x.md"))


def test_broken_links_and_images_are_noticed(tmp_path: Path) -> None:
    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "a.png").write_bytes(b"png")
    (tmp_path / "other.md").write_text("# Other\n## 1. Part one\n", encoding="utf-8")
    page = tmp_path / "page.md"
    page.write_text(
        "# 쪽\n## 첫 절\n![a](images/a.png) [o](other.md#1-part-one) [self](#첫-절) "
        "[web](https://example.com/x.png) `[not](a link)`\n",
        encoding="utf-8",
    )
    assert link_problems(page, tmp_path) == []
    page.write_text(
        "![b](images/b.png) [o](other.md#2-part-two) [self](#없는-절) [gone](gone.md)\n"
        '<img src="images/c.png">\n',
        encoding="utf-8",
    )
    problems = link_problems(page, tmp_path)
    assert len(problems) == 5, problems
    assert any("images/b.png" in p for p in problems) and any("#2-part-two" in p for p in problems)
