"""The CRF NER tagger: conlleval scoring, offsets into raw text, the shipped model on hand-written news, a dev-split
quality gate on ANERcorp, and the CLI."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from akhbar.analyze.ner import NerTagger, chunks, clitic_offset, evaluate, score, stage2_path, strip_readings
from akhbar.arabic.normalize import entity_key
from akhbar.arabic.tokenize import tokenize
from akhbar.serve.ner_cli import ner_app

# Measured on our dev split (last 10% of ANERcorp train's sentences) with the shipped model, runs of 20 sentences
# tagged as documents: F1 0.77x (see PROVENANCE.md; the model before scored 0.748 on single sentences). The floor
# leaves room for the noise of a 969-entity set (95% interval about ±3 points).
DEV_F1_FLOOR = 0.75

PARAGRAPH = (
    "قال الرئيس الروسي فلاديمير بوتين في موسكو، يوم الثلاثاء، إن بلاده مستعدة للحوار.\n"
    "وأعلن الكرملين أن وفدا روسيا وصل إلى بيونغ يانغ عاصمة كوريا الشمالية، والتقى الزعيم كيم جونغ أون.\n"
    "وذكرت وكالة الأنباء الفرنسية أن شركة غازبروم وقعت اتفاقا جديدا في القاهرة."
)


@pytest.fixture(scope="module")
def tagger() -> NerTagger:
    return NerTagger.default()


# --- conlleval ---------------------------------------------------------------------------------------------------


def test_chunks_read_iob2_the_conlleval_way() -> None:
    tags = ["B-PERS", "I-PERS", "O", "I-LOC", "I-LOC", "B-LOC", "I-ORG", "O", "B-MISC"]
    assert chunks(tags) == [("PERS", 0, 2), ("LOC", 3, 5), ("LOC", 5, 6), ("ORG", 6, 7), ("MISC", 8, 9)]
    assert chunks([]) == []
    assert chunks(["O", "O"]) == []


def test_score_on_a_hand_made_example() -> None:
    gold = [
        ["B-PERS", "I-PERS", "O", "B-LOC", "O"],
        ["B-ORG", "I-ORG", "I-ORG", "O", "B-LOC"],
    ]
    predicted = [
        ["B-PERS", "I-PERS", "O", "B-PERS", "O"],  # PERS right; LOC typed PERS: 1 wrong PERS, 1 missed LOC
        ["B-ORG", "I-ORG", "O", "O", "B-LOC"],  # ORG cut short: wrong and missed; LOC right
    ]
    s = score(gold, predicted)
    assert (s.overall.correct, s.overall.predicted, s.overall.gold) == (2, 4, 4)
    assert s.overall.precision == pytest.approx(0.5)
    assert s.overall.recall == pytest.approx(0.5)
    assert s.overall.f1 == pytest.approx(0.5)
    pers, loc, org = s.per_type["PERS"], s.per_type["LOC"], s.per_type["ORG"]
    assert (pers.correct, pers.predicted, pers.gold) == (1, 2, 1)
    assert pers.precision == pytest.approx(0.5) and pers.recall == pytest.approx(1.0)
    assert pers.f1 == pytest.approx(2 / 3)
    assert (loc.correct, loc.predicted, loc.gold, loc.precision, loc.recall) == (1, 1, 2, 1.0, 0.5)
    assert (org.correct, org.predicted, org.gold, org.f1) == (0, 1, 1, 0.0)


def test_score_with_no_entities_is_zero_not_an_error() -> None:
    s = score([["O"]], [["O"]])
    assert s.overall.f1 == 0.0 and s.per_type == {}


# --- spans and offsets -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("word", "offset"),
    [("وبوتين", 1), ("لبوتين", 1), ("والبحرين", 1), ("للبحرين", 2), ("بوتين", 0), ("البحرين", 0), ("واشنطن", 0)],
)
def test_clitic_offset(word: str, offset: int) -> None:
    assert clitic_offset(word) == offset


def test_strip_readings_offer_every_proclitic_reading() -> None:
    readings = strip_readings("بافغانستان")
    assert ("ب", "افغانستان") in readings
    assert readings[0] == ("ب", "افغانستان")  # shortest prefix first
    assert ("لل", "بحرين") in strip_readings("للبحرين") and ("لل", "البحرين") in strip_readings("للبحرين")
    assert ("وال", "قاهره") in strip_readings("والقاهره") and ("وال", "القاهره") in strip_readings("والقاهره")
    assert strip_readings("محمد") == []
    assert all(len(rest) >= 2 for _p, rest in strip_readings("ولد"))


def test_offsets_map_back_into_the_text(tagger: NerTagger) -> None:
    found = tagger.entities(PARAGRAPH)
    assert len(found) >= 5
    for e in found:
        assert PARAGRAPH[e.start : e.end] == e.text
        assert e.text == e.text.strip() and e.type in {"PERS", "LOC", "ORG", "MISC"}
        assert e.key == entity_key(e.text)
    assert [e.start for e in found] == sorted(e.start for e in found)


def test_shipped_model_finds_people_and_places(tagger: NerTagger) -> None:
    found = {(e.type, e.text) for e in tagger.entities(PARAGRAPH)}
    assert ("PERS", "فلاديمير بوتين") in found
    assert ("LOC", "موسكو") in found
    assert ("LOC", "بيونغ يانغ") in found
    more = {(e.type, e.text) for e in tagger.entities("وصل الرئيس الصيني إلى موسكو قادما من بيونغ يانغ.")}
    assert {("LOC", "موسكو"), ("LOC", "بيونغ يانغ")} <= more


def test_span_starts_after_the_proclitic(tagger: NerTagger) -> None:
    text = "التقى الرئيس الفرنسي إيمانويل ماكرون وبوتين في باريس."
    putin = [e for e in tagger.entities(text) if e.type == "PERS" and "بوتين" in e.text]
    assert putin, tagger.entities(text)
    assert putin[0].text == "بوتين"  # not وبوتين: the conjunction is left out of the span
    assert text[putin[0].start - 1 : putin[0].end] == "وبوتين"


def test_a_name_with_a_glued_hyphen_is_one_span(tagger: NerTagger) -> None:
    text = "التقى كيم جونج-أون الرئيس الروسي فلاديمير بوتين في فوستوشني، وقال إن الفترة 2023 - 2024 حاسمة."
    people = [e.text for e in tagger.entities(text) if e.type == "PERS"]
    assert "كيم جونج-أون" in people
    assert not any(e.text.endswith(("-", " -")) for e in tagger.entities(text))


def test_a_span_never_ends_on_punctuation_the_model_took_in(tagger: NerTagger) -> None:
    """The model tagged «انفوغرافيك ..» as one name: the dots are no part of it, and punctuation alone is no name."""
    text = "انفوغرافيك.. الهاشتاغ على تويتر"
    sentence = tokenize(text)
    assert [t.text for t in sentence[:2]] == ["انفوغرافيك", ".."]
    [span] = tagger._sentence_entities(text, sentence, ["B-PERS", "I-PERS", "O", "O", "O"])
    assert (span.text, span.start, span.end) == ("انفوغرافيك", 0, 10)
    assert tagger._sentence_entities(text, sentence, ["O", "B-PERS", "O", "O", "O"]) == []


def test_tag_tokens_gives_one_iob2_tag_per_token(tagger: NerTagger) -> None:
    tokens = ["قال", "فلاديمير", "بوتين", "إن", "روسيا", "لن", "تتراجع"]
    tags = tagger.tag_tokens(tokens)
    assert len(tags) == len(tokens)
    assert all(re.fullmatch(r"O|[BI]-(PERS|LOC|ORG|MISC)", t) for t in tags)
    assert tags[1:3] == ["B-PERS", "I-PERS"]
    assert tagger.tag_tokens([]) == []


def test_document_consistency_marks_a_name_found_elsewhere_in_the_text(tagger: NerTagger) -> None:
    sentences = [
        ["التقت", "الوزيرة", "فايزة", "أبوالنجا", "وفد", "حزب", "الليكود", "."],
        ["وقالت", "أبوالنجا", "إن", "الليكود", "لم", "يرد", "."],
        ["وأبوالنجا", "في", "القاهرة", "."],
    ]
    tags = [
        ["O", "O", "B-PERS", "I-PERS", "O", "B-ORG", "I-ORG", "O"],
        ["O", "O", "O", "O", "O", "O", "O"],
        ["O", "O", "B-LOC", "O"],
    ]
    out = tagger.propagate(sentences, tags)
    assert out[0] == tags[0]
    # The surname alone, with or without a proclitic, is the person; a part of a longer name is not marked.
    assert out[1] == ["O", "B-PERS", "O", "O", "O", "O", "O"]
    assert out[2] == ["B-PERS", "O", "B-LOC", "O"]
    assert tagger.propagate([], []) == []


def test_stage2_document_features_read_the_other_mentions(tagger: NerTagger) -> None:
    sentences = [["التقى", "بوتين", "أردوغان", "."], ["وقال", "بوتين", "إن", "أنقرة", "مهمة", "."]]
    stage1 = [["O", "B-PERS", "B-PERS", "O"], ["O", "O", "O", "B-LOC", "O", "O"]]
    extra = tagger.features.document_features(sentences, stage1)
    assert [len(row) for row in extra] == [4, 6]
    # بوتين is untagged in the second sentence, a person in the first: its stage-2 features say so.
    assert "y=O" in extra[1][1] and "dm=B-PERS" in extra[1][1] and "dt=PERS" in extra[1][1]
    assert "dm=O" in extra[0][1] and "y=B-PERS" in extra[0][1]
    assert not any(f.startswith("dm=") for f in extra[0][2])  # أردوغان is not mentioned again


def test_stage2_model_lies_beside_the_first() -> None:
    assert stage2_path("/x/ner.crfsuite") == Path("/x/ner.stage2.crfsuite")


def test_empty_and_blank_text(tagger: NerTagger) -> None:
    assert tagger.entities("") == []
    assert tagger.entities(" \n\t ") == []


# --- quality gate on ANERcorp (our dev split: the last 10% of train's sentences) ---------------------------------


def test_dev_split_f1_quality_gate(shared_data: Path) -> None:
    conll = shared_data / "anercorp" / "train.txt"
    if not conll.is_file():
        pytest.skip(f"{conll} not found")
    scores = evaluate(conll, last_fraction=0.1)
    assert scores.overall.gold > 900  # the dev split really is ~10% of the sentences
    assert scores.overall.f1 >= DEV_F1_FLOOR, scores.lines()
    assert scores.per_type["LOC"].f1 >= DEV_F1_FLOOR


# --- CLI ---------------------------------------------------------------------------------------------------------


CONLL = """قال O
الرئيس O
فلاديمير B-PERS
بوتين I-PERS
في O
موسكو B-LOC
. O

وصل O
الوفد O
إلى O
القاهرة B-LOC
. O
"""


def test_cli_eval_last_line(tmp_path: Path) -> None:
    path = tmp_path / "mini.conll"
    path.write_text(CONLL, encoding="utf-8")
    result = CliRunner().invoke(ner_app, ["eval", str(path)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.strip().splitlines()
    assert re.fullmatch(r"overall precision=\d\.\d{4} recall=\d\.\d{4} f1=\d\.\d{4} tokens_per_s=\d+", lines[-1])
    assert any(line.startswith("PERS") for line in lines[:-1])


def test_cli_tag_prints_json_lines() -> None:
    result = CliRunner().invoke(ner_app, ["tag"], input="قال فلاديمير بوتين في موسكو إن روسيا مستعدة.")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert records and all(set(r) == {"type", "text", "start", "end", "key"} for r in records)
    assert {"type": "PERS", "text": "فلاديمير بوتين"}.items() <= records[0].items()
