"""Pure functions over an attempt's snapshot of questions: display, checking, scoring.

A snapshot question is `{"id", "type", "value", "order"}`: the question block's stored
JSON (`value`) and the ids of its choices in the order shown (`order`). Answers arrive as
`{question id: [choice id, …]}` (one item for radios and numbers, several for checkboxes).
"""

import random
from decimal import Decimal, InvalidOperation

from django.utils.formats import number_format
from django.utils.translation import gettext as _

from ..exceptions import IncompleteAnswers, InvalidAnswer

CHOICE_TYPES = {"single_choice", "multiple_choice", "picture"}
TRUE_FALSE = ("true", "false")


def _choices(value) -> dict[str, dict]:
    """Choice id -> choice value, in the bank's order."""
    return {item["id"]: item["value"] for item in value.get("choices", [])}


def snapshot_question(raw: dict, *, shuffle: bool, rng: random.Random) -> dict:
    if raw["type"] == "true_false":
        order = list(TRUE_FALSE)
    else:
        order = list(_choices(raw["value"]))
        if shuffle:
            rng.shuffle(order)
    return {"id": raw["id"], "type": raw["type"], "value": raw["value"], "order": order}


def question_display(question: dict) -> dict:
    """What the form shows: text, choices' labels, unit, picture. Nothing about the right
    answers or the feedback (this reaches the page before submission)."""
    value = question["value"]
    shown = {"id": question["id"], "type": question["type"], "text": value["question"]}
    if question["type"] in CHOICE_TYPES:
        choices = _choices(value)
        shown["choices"] = [(cid, choices[cid]["text"]) for cid in question["order"]]
    elif question["type"] == "true_false":
        shown["choices"] = [("true", _("True")), ("false", _("False"))]
    elif question["type"] == "numeric":
        shown["unit"] = value.get("unit") or ""
    if question["type"] == "picture":
        shown["image_id"] = value.get("image")
        shown["alt_text"] = value.get("alt_text") or ""
    return shown


def parse_number(text: str) -> Decimal:
    """A number as a French or English speaker types it: « 212,5 », "212.5", « 1 000 »."""
    cleaned = text.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    cleaned = cleaned.replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidAnswer(_("« %(text)s » is not a number.") % {"text": text}) from None
    if not number.is_finite():
        raise InvalidAnswer(_("« %(text)s » is not a number.") % {"text": text})
    return number


def answers_clean(questions: list[dict], answers: dict[str, list[str]]) -> dict[str, list[str]]:
    """Check the answers against the attempt's questions; refuse anything foreign.

    A question id not in the attempt, or a choice id not in its question, is refused
    whole (`InvalidAnswer`); a missing answer gets `IncompleteAnswers`. Multiple-choice
    questions may be left with no box ticked (that is an answer, and a wrong one).
    """
    by_id = {q["id"]: q for q in questions}
    if set(answers) - set(by_id):
        raise InvalidAnswer()
    cleaned: dict[str, list[str]] = {}
    for qid, question in by_id.items():
        given = [a for a in answers.get(qid, []) if a != ""]
        kind = question["type"]
        if kind == "multiple_choice":
            if len(set(given)) != len(given) or set(given) - set(question["order"]):
                raise InvalidAnswer()
            cleaned[qid] = sorted(given)
            continue
        if not given:
            raise IncompleteAnswers()
        if len(given) != 1:
            raise InvalidAnswer()
        if kind == "numeric":
            parse_number(given[0])
        elif given[0] not in question["order"]:
            raise InvalidAnswer()
        cleaned[qid] = given
    return cleaned


def question_correct(question: dict, given: list[str]) -> bool:
    value = question["value"]
    kind = question["type"]
    if kind in ("single_choice", "picture"):
        return bool(_choices(value)[given[0]]["correct"])
    if kind == "multiple_choice":
        right = {cid for cid, choice in _choices(value).items() if choice["correct"]}
        return set(given) == right
    if kind == "true_false":
        return (given[0] == "true") == bool(value.get("true"))
    if kind == "numeric":
        number = parse_number(given[0])
        target = Decimal(str(value["answer"]))
        tolerance = Decimal(str(value.get("tolerance") or 0))
        return abs(number - target) <= tolerance
    raise InvalidAnswer()


def attempt_score(questions: list[dict], answers: dict[str, list[str]]):
    """(score in percent, {question id: {"correct": bool, "competencies": [...]}})."""
    results = {
        q["id"]: {
            "correct": question_correct(q, answers[q["id"]]),
            "competencies": [str(c) for c in q["value"].get("competencies") or []],
        }
        for q in questions
    }
    right = sum(1 for r in results.values() if r["correct"])
    return round(100 * right / len(questions)), results


def answer_feedback(question: dict, given: list[str], correct: bool) -> list[str]:
    """The instructor's feedback for the answers given."""
    value = question["value"]
    kind = question["type"]
    if kind in CHOICE_TYPES:
        choices = _choices(value)
        return [choices[cid]["feedback"] for cid in given if choices[cid].get("feedback")]
    if kind == "true_false":
        text = value.get("feedback_true" if given[0] == "true" else "feedback_false")
        return [text] if text else []
    if kind == "numeric":
        text = value.get("feedback_right" if correct else "feedback_wrong")
        return [text] if text else []
    return []


def answer_labels(question: dict, given: list[str]) -> list[str]:
    if question["type"] in CHOICE_TYPES:
        choices = _choices(question["value"])
        return [choices[cid]["text"] for cid in given]
    if question["type"] == "true_false":
        return [_("True") if given[0] == "true" else _("False")]
    unit = question["value"].get("unit") or ""
    return [f"{given[0]} {unit}".strip()] if given else []


def right_answer_labels(question: dict) -> list[str]:
    value = question["value"]
    if question["type"] in CHOICE_TYPES:
        return [c["text"] for c in _choices(value).values() if c["correct"]]
    if question["type"] == "true_false":
        return [_("True") if value.get("true") else _("False")]
    unit = value.get("unit") or ""
    tolerance = Decimal(str(value.get("tolerance") or 0))
    label = f"{_number(Decimal(str(value['answer'])))} {unit}".strip()
    if tolerance:
        label += f" (± {f'{_number(tolerance)} {unit}'.strip()})"
    return [label]


def _number(number: Decimal) -> str:
    """200.000 -> « 200 », 0.5 -> « 0,5 » in French."""
    return number_format(
        number.quantize(Decimal(1)) if number == number.to_integral() else number.normalize()
    )
