"""Tests of lesson_utils.checks, the exercise mechanism of every chapter."""

from __future__ import annotations

import numpy as np
import pytest

from lesson_utils import checks, colour


def _exercise(**kwargs) -> checks.Exercise:
    defaults = {
        "exercise_id": "test.ex1",
        "expected": 0.75,
        "hints": [checks.Hint(0.25, "swapped")],
        "default_hint": "default",
    }
    defaults.update(kwargs)
    return checks.Exercise(**defaults)


def test_feedback_correct_number() -> None:
    fb = _exercise().feedback(0.75 + 1e-12)
    assert fb.correct and bool(fb) and fb.message == "Correct."


def test_feedback_matches_hint_value() -> None:
    fb = _exercise().feedback(0.25)
    assert not fb and fb.message == "Not yet. Hint: swapped"


def test_feedback_default_hint_for_unforeseen_answer() -> None:
    assert _exercise().feedback(0.5).message == "Not yet. Hint: default"


def test_feedback_unanswered_stub() -> None:
    for stub in (..., None):
        fb = _exercise().feedback(stub)
        assert not fb and "replace the `...`" in fb.message


def test_feedback_predicate_hint() -> None:
    ex = _exercise(
        hints=[
            checks.Hint(checks.predicate(lambda a: a["key"] > 0), "never shown"),
            checks.Hint(checks.predicate(lambda a: a < 0), "negative"),
        ]
    )
    assert ex.feedback(-1.0).message.endswith("negative")
    assert ex.feedback(0.5).message.endswith("default")  # a raising predicate: no match
    assert "Expected a number" in ex.feedback("text").message


def test_feedback_arrays_and_shapes() -> None:
    ex = _exercise(expected=lambda: np.array([1.0, 2.0]), hints=[])
    assert ex.feedback([1.0, 2.0])
    assert "shape (2,)" in ex.feedback([1.0, 2.0, 3.0]).message
    assert "Expected a number or an array" in ex.feedback("1, 2").message


def test_feedback_strings_are_case_and_space_insensitive() -> None:
    ex = _exercise(expected="bilinear", hints=[checks.Hint("nearest", "blocky")])
    assert ex.feedback("  Bilinear ")
    assert ex.feedback("NEAREST").message.endswith("blocky")


def test_feedback_html_escapes_message() -> None:
    html = checks.Feedback("x.ex1", False, "<b>")._repr_html_()
    assert "&lt;b&gt;" in html and "<b>" not in html.replace("<strong", "")


def test_check_uses_chapter_answer_key() -> None:
    assert checks.check("ch01.ex1", 5.1)
    assert not checks.check("ch01.ex1", 3.9)
    assert "ch01.ex1" in checks.registered()


@pytest.mark.parametrize(
    ("exercise_id", "match"),
    [
        ("ch99.ex1", "unknown chapter 'ch99'"),
        ("ch01.ex99", "`exercise_id` must be one of"),
        ("nodot", "`exercise_id` must look like 'ch01.ex1'"),
        (3, "`exercise_id` must look like"),
    ],
)
def test_check_rejects_unknown_exercise(exercise_id, match) -> None:
    with pytest.raises(ValueError, match=match):
        checks.check(exercise_id, 1.0)


def test_register_rejects_non_exercise() -> None:
    with pytest.raises(TypeError, match="`exercise` must be an Exercise"):
        checks.register({"id": "x"})


# -------------------------------------------- complex answers, rounding, precision
def _ex(**kw):
    hints = [checks.Hint(0.8732, "Pillow renormalises the border taps.")]
    return checks.Exercise("demo.round", expected=0.484375, hints=hints, **kw)


@pytest.mark.parametrize(
    "answer", [0.484375 + 0j, np.complex128(0.484375), np.array([0.484375 + 0j])]
)
def test_complex_answer_is_never_correct(answer):
    always = checks.Hint(checks.predicate(lambda a: True), "any answer")
    ex = checks.Exercise("demo.c", expected=0.484375, hints=[always])
    fb = ex.feedback(answer)
    assert not fb and "complex" in fb.message


def test_rounded_answer_is_told_to_give_more_digits_not_a_hint():
    fb = _ex().feedback(0.484)
    assert not fb and fb.message.startswith("Right, but rounded to 3 decimal(s)")
    assert "Give 4 more digit(s)" in fb.message


def test_declared_decimals_accept_the_correctly_rounded_answer():
    ex = _ex(decimals=3)
    assert ex.feedback(0.484) and ex.feedback(0.4844) and ex.feedback(0.484375)
    assert not ex.feedback(0.485)  # 0.484375 rounds to 0.484
    assert "Give 1 more digit(s)" in ex.feedback(0.48).message


def test_declared_significant_digits():
    ex = checks.Exercise("demo.s", expected=8.1234e-5, significant=2)
    assert ex.feedback(8.1e-5) and not ex.feedback(8.2e-5)


def test_one_digit_answers_are_not_taken_for_roundings():
    for wrong in (0.5, 0, 1):
        assert not _ex().feedback(wrong).message.startswith("Right")


def test_rounded_wrong_answer_gets_its_hint():
    assert "Pillow" in _ex().feedback(0.873).message


def test_precision_given_twice_is_an_error():
    with pytest.raises(ValueError, match="`decimals` and `significant`"):
        _ex(decimals=3, significant=3)


def test_broken_answer_key_is_not_reported_as_unknown_chapter(tmp_path, monkeypatch):
    # an answer key that imports a missing module raises that error, not
    # "unknown chapter"
    import lesson_utils.answers as answers

    (tmp_path / "ch99.py").write_text("import a_module_that_does_not_exist\n")
    monkeypatch.setattr(answers, "__path__", [*answers.__path__, str(tmp_path)])
    with pytest.raises(ModuleNotFoundError, match="a_module_that_does_not_exist"):
        checks.get("ch99.ex1")
    with pytest.raises(ValueError, match="unknown chapter 'ch98'"):
        checks.get("ch98.ex1")


# --- Chapters 1 and 2: every exercise states its precision and keeps to it ----------

CH01_CH02 = [f"ch0{c}.ex{k}" for c in (1, 2) for k in (1, 2, 3, 4)]


@pytest.mark.parametrize("exercise_id", CH01_CH02)
def test_ch01_ch02_accept_a_correctly_rounded_answer(exercise_id):
    ex = checks.get(exercise_id)
    assert ex.decimals is not None  # the question's precision, declared
    expected = np.asarray(ex.expected_value(), dtype=float)
    half = 0.5 * 10.0 ** (-ex.decimals)
    assert ex.feedback(np.round(expected, ex.decimals))
    assert ex.feedback(expected + 0.9 * half)  # rounds to the expected value
    assert not ex.feedback(expected + 1.5 * half)  # rounds to another value


@pytest.mark.parametrize("exercise_id", CH01_CH02)
def test_ch01_ch02_reject_a_complex_answer(exercise_id):
    expected = np.asarray(checks.get(exercise_id).expected_value(), dtype=float)
    fb = checks.check(exercise_id, expected + 0j)
    assert not fb and "complex" in fb.message


def test_ch01_ex2_whole_linear_weights_tuple_is_told_to_give_the_two_weights():
    from lesson_utils import interp1d
    from lesson_utils.answers import ch01

    whole = [float(v) for v in interp1d.linear_weights(ch01.EX2_X)]
    fb = checks.check("ch01.ex2", whole)
    assert not fb and "give only the two weights" in fb.message


def test_ch02_ex3_wrong_cells_are_named():
    from lesson_utils.answers import ch02

    image = ch02.EX3_IMAGE
    swapped = checks.check("ch02.ex3", float(image[0:2, 1:3].mean()))
    above = checks.check("ch02.ex3", float(image[0:2, 0:2].mean()))
    right = checks.check("ch02.ex3", float(image[1:3, 1:3].mean()))
    assert "y and x swapped" in swapped.message
    assert "the row above" in above.message
    assert "one column too far right" in right.message
    assert not (swapped or above or right)


@pytest.mark.parametrize("chapter", ["ch05", "ch07"])
def test_every_exercise_of_chapters_5_and_7_declares_its_precision(chapter):
    for k in range(1, 5):
        ex = checks.get(f"{chapter}.ex{k}")
        assert (ex.decimals is None) != (ex.significant is None), ex.exercise_id


def test_ch05_ex4_accepts_only_the_right_value_correctly_rounded():
    ex = checks.get("ch05.ex4")
    values = np.linspace(0.0, 1.0, 256)
    right = int(np.argmax(colour.lightness("jet", values)))
    assert ex.feedback(float(values[right]))
    assert ex.feedback(round(float(values[right]), 3))
    for neighbour in (right - 1, right + 1):
        wrong = float(values[neighbour])
        assert not ex.feedback(wrong), neighbour
        assert not ex.feedback(round(wrong, 3)), neighbour


def test_ch05_ex1_recognises_the_pillow_answer():
    from lesson_utils import libraries
    from lesson_utils.answers.ch05 import ARTICLE_MAP

    key = checks.get("ch05.ex1")
    pillow = float(libraries.pil_resize(ARTICLE_MAP, (4, 4), resample="bicubic").max())
    book = float(key.expected_value())
    assert abs(pillow - book) > 0.01  # two different computations
    assert key.feedback(round(book, 3))
    for answer in (pillow, round(pillow, 3)):
        fb = key.feedback(answer)
        assert not fb and "Pillow" in fb.message and "border" in fb.message


# --- the answer keys of Chapters 3 and 4 -------------------------------------------


def test_ch03_ex1_accepts_the_three_decimals_it_asks_for():
    from lesson_utils.answers import ch03

    x0 = (0 + 0.5) * ch03.MAP_EX1 / ch03.IMAGE_EX1 - 0.5  # by hand: -0.484375
    assert checks.check("ch03.ex1", x0)
    assert checks.check("ch03.ex1", round(x0, ch03.DECIMALS_EX1))  # -0.484
    rounded_less = checks.check("ch03.ex1", round(x0, 2))
    assert not rounded_less and "more digit" in rounded_less.message
    assert "align_corners" in checks.check("ch03.ex1", 0.0).message


def test_ch03_ex2_is_the_patch_grid_with_ties_rounded_up():
    from lesson_utils.answers import ch03

    block = ch03.ROW_EX2 // ch03.CELLS_EX2
    by_hand = [block * j + block // 2 for j in range(ch03.CELLS_EX2)]  # 16 j + 8
    assert checks.check("ch03.ex2", by_hand)
    assert "nearest" in checks.check("ch03.ex2", [block * j for j in range(14)]).message
    ties_down = [block * j + block // 2 - 1 for j in range(ch03.CELLS_EX2)]
    assert "rounds ties up" in checks.check("ch03.ex2", ties_down).message


def test_ch03_ex3_and_ex4_by_hand():
    assert checks.check("ch03.ex3", [0.6, 0.4, 0.0])
    assert checks.check("ch03.ex4", [0.0, 0.0, 0.0, 0.0])
    assert "mean" in checks.check("ch03.ex4", [1 / 3] * 4).message


def test_ch04_ex1_accepts_three_decimals_and_names_a_reversal():
    from lesson_utils import kernels
    from lesson_utils.answers import ch04

    taps = np.floor(ch04.X_EX1) + np.arange(-1, 3)
    by_formula = kernels.keys_cubic(ch04.X_EX1 - taps, ch04.A_EX1)
    assert checks.check("ch04.ex1", np.round(by_formula, ch04.DECIMALS).tolist())
    assert "Reversed" in checks.check("ch04.ex1", by_formula[::-1]).message
    assert (
        "a = -0.75"
        in checks.check(
            "ch04.ex1", np.round(kernels.keys_cubic(ch04.X_EX1 - taps, -0.75), 3)
        ).message
    )


def test_ch04_ex2_is_minus_ten_eighty_firsts_and_a_flipped_sign_is_named():
    # 1-D step: min 4a/27 = -1/9, max 1 + 1/9; the corner's minimum is their product
    exact = (4 * -0.75 / 27) * (1 - 4 * -0.75 / 27)
    assert np.isclose(exact, -10 / 81)
    assert checks.check("ch04.ex2", round(exact, 3))
    flipped = checks.check("ch04.ex2", round(-exact, 3))
    assert not flipped and "sign is wrong" in flipped.message
    assert "1-D step" in checks.check("ch04.ex2", round(-1 / 9, 3)).message


def test_ch04_ex3_and_ex4_by_hand():
    # sum_i beta3(x - i) i^2 = x^2 + 1/3: lines are reproduced, parabolas are not
    assert checks.check("ch04.ex3", 1)
    assert not checks.check("ch04.ex3", 2)
    # phi(0.25) = 111/128 and phi(0.75) = 29/128 with a = -1/2, the formula by hand
    phi = [1.5 * d**3 - 2.5 * d**2 + 1 for d in (0.25, 0.75)]
    assert np.allclose(phi, [111 / 128, 29 / 128])
    assert checks.check("ch04.ex4", phi[0] * phi[1])
    assert checks.check("ch04.ex4", round(phi[0] * phi[1], 3))
    assert "product" in checks.check("ch04.ex4", phi[1]).message


def test_a_hint_met_exactly_beats_the_rounding_message():
    # 43.5 answered as 44 is the "pixel covers [q, q + 1)" mistake, not a rounding
    ex = checks.Exercise(
        "demo.centre", expected=43.5, decimals=2, hints=[checks.Hint(44.0, "Centres!")]
    )
    assert ex.feedback(44.0).message == "Not yet. Hint: Centres!"
    assert ex.feedback(43.5).correct
    other = checks.Exercise("demo.rounded", expected=43.25, decimals=2)
    assert "Right, but rounded" in other.feedback(43.3).message
