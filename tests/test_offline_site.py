"""The site extension's page-lightening steps: code spans unwrapped, figures as WebP."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "book" / "_ext"))

import offline_site  # noqa: E402

CSS = """
html[data-theme="light"] .highlight { background: #fefefe; color: #080808 }
html[data-theme="light"] .highlight .n { color: #080808 } /* Name */
html[data-theme="light"] .highlight .p { color: #080808 } /* Punctuation */
html[data-theme="light"] .highlight .k { color: #8045E5 } /* Keyword */
html[data-theme="light"] .highlight .ge { color: #080808; font-style: italic }
html[data-theme="light"] .highlight .o { color: #080808 }
html[data-theme="dark"] .highlight { background: #2b2b2b; color: #F8F8F2 }
html[data-theme="dark"] .highlight .n { color: #F8F8F2 } /* Name */
html[data-theme="dark"] .highlight .k { color: #DCC6E0 }
html[data-theme="dark"] .highlight .ge { color: #F8F8F2; font-style: italic }
html[data-theme="dark"] .highlight .o { color: #ABE338 }
"""


def test_plain_classes_are_those_drawn_in_the_blocks_colour_in_both_themes() -> None:
    # p has no dark rule (it inherits the block's colour); o is plain only in light;
    # ge has the right colour but is italic; k is coloured
    assert offline_site._plain_token_classes(CSS) == {"n", "p"}


def test_no_theme_base_colour_means_nothing_is_unwrapped() -> None:
    light_only = "\n".join(line for line in CSS.splitlines() if "dark" not in line)
    assert offline_site._plain_token_classes(light_only) == set()


def test_unwrapping_keeps_the_code_text_and_the_coloured_spans() -> None:
    block = (
        '<div class="highlight-ipython3 notranslate"><div class="highlight"><pre>'
        '<span class="k">for</span><span class="w"> </span><span class="n">x</span>'
        '<span class="p">(</span><span class="s2">&quot;a&lt;b&quot;</span>'
        '<span class="p">)</span></pre></div></div>'
        '<p><span class="n">outside code</span></p>'
    )
    out = offline_site._unwrap_plain_tokens(block, {"n", "p", "w"})
    assert re.sub(r"<[^>]+>", "", out) == re.sub(r"<[^>]+>", "", block)
    assert '<span class="k">for</span>' in out
    assert '<span class="s2">&quot;a&lt;b&quot;</span>' in out
    assert '<span class="n">x</span>' not in out
    assert '<span class="p">' not in out
    assert '<span class="n">outside code</span>' in out  # only code blocks change
    assert len(out) < len(block)


def test_figures_become_lossless_webp_and_pages_point_at_them(tmp_path: Path) -> None:
    from PIL import Image

    images = tmp_path / "_images"
    images.mkdir()
    rng = np.random.default_rng(0)
    # a plot-like picture: flat areas, a few colours, transparency at one corner
    pixels = np.zeros((60, 80, 4), dtype=np.uint8)
    pixels[..., 3] = 255
    pixels[10:50, 10:70, :3] = (68, 1, 84)
    pixels[20:40, 20:60, :3] = rng.integers(0, 255, size=(20, 40, 3), dtype=np.uint8)
    pixels[:5, :5, 3] = 0
    Image.fromarray(pixels, "RGBA").save(images / "fig.png")
    swaps = offline_site._webp_figures(tmp_path)
    assert swaps == {"fig.png": "fig.webp"}
    webp = images / "fig.webp"
    assert webp.stat().st_size < (images / "fig.png").stat().st_size
    with Image.open(webp) as back:
        assert np.array_equal(np.asarray(back.convert("RGBA")), pixels)
    page = '<img alt="A" src="../_images/fig.png" /><img src="../_images/other.png" />'
    out = offline_site._swap_figures(page, swaps)
    assert (
        out
        == '<img alt="A" src="../_images/fig.webp" /><img src="../_images/other.png" />'
    )


@pytest.mark.parametrize("size", [(1, 1), (3, 2)])
def test_a_webp_that_is_not_smaller_is_not_used(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    from PIL import Image

    images = tmp_path / "_images"
    images.mkdir()
    Image.new("RGBA", size, (10, 20, 30, 255)).save(images / "tiny.png")
    swaps = offline_site._webp_figures(tmp_path)
    if "tiny.png" in swaps:
        webp = (images / "tiny.webp").stat().st_size
        assert webp < (images / "tiny.png").stat().st_size
    else:
        assert not (images / "tiny.webp").exists()


def test_unused_rules_are_dropped_and_everything_else_is_kept_as_it_was() -> None:
    css = (
        '@charset "UTF-8";/*! licence */:root{--x:1}'
        ".used{color:red}.unused{color:blue}.used,.unused .used{margin:0}"
        "html[data-theme=dark] .used{color:#fff}.used:not(.never){top:0}"
        "@media (min-width:960px){.unused{display:none}.used>:not(svg){display:flex}}"
        "@media print{.unused{display:none}}"
        "@keyframes spin{0%{transform:rotate(0)}to{transform:rotate(1turn)}}"
        "@font-face{font-family:X;src:url(x.woff2)}"
        ".a.b,.c[title='.unused']{z-index:1}"
    )
    words = {"used", "a", "b", "c"}
    assert offline_site._purge_css(css, words) == (
        '@charset "UTF-8";/*! licence */:root{--x:1}'
        ".used{color:red}.used{margin:0}"
        "html[data-theme=dark] .used{color:#fff}.used:not(.never){top:0}"
        "@media (min-width:960px){.used>:not(svg){display:flex}}"
        "@keyframes spin{0%{transform:rotate(0)}to{transform:rotate(1turn)}}"
        "@font-face{font-family:X;src:url(x.woff2)}"
        ".a.b,.c[title='.unused']{z-index:1}"
    )


def test_a_class_named_only_in_a_script_keeps_its_rules(tmp_path: Path) -> None:
    static = tmp_path / "_static" / "styles"
    static.mkdir(parents=True)
    (static / "pydata-sphinx-theme.css").write_text(
        ".shown{color:red}.added-later{opacity:1}.nowhere{opacity:0}", encoding="utf-8"
    )
    (tmp_path / "page.html").write_text('<p class="shown">x</p>', encoding="utf-8")
    (tmp_path / "_static" / "app.js").write_text(
        "el.classList.add('added-later')", encoding="utf-8"
    )
    offline_site._purge_style_sheets(tmp_path)
    text = (static / "pydata-sphinx-theme.css").read_text(encoding="utf-8")
    assert text == ".shown{color:red}.added-later{opacity:1}"
