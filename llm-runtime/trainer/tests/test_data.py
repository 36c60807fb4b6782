import pytest

from conftest import make_rows, write_jsonl
from pulse_trainer.data import DatasetError, load_jsonl, split_train_eval


@pytest.mark.parametrize("content, message", [
    ("", "no examples (the file is empty)"),
    ("\n\n", "no examples"),
    ('{"text": "hi", "label": "happy"}\n', ":1: unknown label 'happy'"),
    ('{"text": "ok", "label": "neutral"}\n{"label": "neutral"}\n', ":2: missing field 'text'"),
    ('{"text": "hi"}\n', "missing field 'label'"),
    ('{"text": "", "label": "neutral"}\n', "'text' must be a non-empty string"),
    ('{"text": "hi", "label": "neutral"\n', ":1: not valid JSON"),
    ('["hi", "neutral"]\n', "expected a JSON object"),
    ('{"text": "hi", "label": "neutral", "crisis": "yes"}\n', "'crisis' must be true or false"),
])
def test_bad_input_names_file_line_and_problem(tmp_path, content, message):
    path = tmp_path / "bad.jsonl"
    path.write_text(content)
    with pytest.raises(DatasetError, match=message.replace("(", r"\(").replace(")", r"\)")):
        load_jsonl(path)


def test_missing_file(tmp_path):
    with pytest.raises(DatasetError, match="file not found"):
        load_jsonl(tmp_path / "nope.jsonl")


def test_optional_fields_are_read(tmp_path):
    path = write_jsonl(tmp_path / "d.jsonl", [
        {"text": "down again", "label": "negative", "rationale": "Outage.", "crisis": True}])
    [example] = load_jsonl(path)
    assert (example.rationale, example.crisis) == ("Outage.", True)


def test_labelled_topic_records_are_dataset_lines(tmp_path):
    """Lines as `./pulse train-scorer --export-labelled` writes them from a pipeline's labelled topic
    (event's LabelledExamples: an LLM disagreement, an analyst's correction of a light score and one
    of an LLM verdict): read as they are, the extra keys ignored, the light verdict kept for the gate."""
    path = tmp_path / "labelled.jsonl"
    path.write_text(
        '{"postId":"x:1","text":"my bag is lost","label":"negative","source":"llm",'
        '"labelledAt":"2026-12-06T10:00:00Z","lightLabel":"neutral","lightConfidence":0.4,'
        '"confidence":0.9,"rationale":"A lost bag."}\n'
        '{"postId":"x:2","text":"smooth flight","label":"positive","source":"analyst",'
        '"labelledAt":"2026-12-06T10:01:00Z","lightLabel":"neutral","lightConfidence":0.5,'
        '"was":"neutral","wasScoredBy":"LIGHT","analyst":"dashboard-client"}\n'
        '{"postId":"x:3","text":"meh","label":"neutral","source":"analyst",'
        '"labelledAt":"2026-12-06T10:02:00Z","was":"positive","wasScoredBy":"LLM"}\n')
    llm, analyst, over_llm = load_jsonl(path)
    assert (llm.label, llm.rationale, llm.light_label, llm.light_confidence) == (
        "negative", "A lost bag.", "neutral", 0.4)
    assert (analyst.label, analyst.light_label, analyst.light_confidence) == ("positive", "neutral", 0.5)
    assert (over_llm.label, over_llm.light_label) == ("neutral", None)


def test_split_is_stratified_seeded_and_disjoint(tmp_path):
    examples = load_jsonl(write_jsonl(tmp_path / "d.jsonl", make_rows(30)))
    train, held = split_train_eval(examples, 0.2, seed=3)
    assert len(train) + len(held) == 30
    assert sorted(e.label for e in held) == ["negative"] * 2 + ["neutral"] * 2 + ["positive"] * 2
    assert split_train_eval(examples, 0.2, seed=3) == (train, held)
    assert not set(map(id, train)) & set(map(id, held))


def test_split_keeps_at_least_one_eval_example(tmp_path):
    examples = load_jsonl(write_jsonl(tmp_path / "d.jsonl", make_rows(3)))
    train, held = split_train_eval(examples, 0.1, seed=0)
    assert len(held) == 1 and len(train) == 2
