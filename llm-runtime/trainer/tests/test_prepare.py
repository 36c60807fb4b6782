import json

import pytest

from pulse_trainer.prepare import main


def read_jsonl(path):
    return [json.loads(line) for line in path.read_text().splitlines()]


def test_tweeteval_text_and_labels_with_mapping(tmp_path):
    (tmp_path / "train_text.txt").write_text("I love it\nmeh, it is a phone\nworst update ever\n")
    (tmp_path / "train_labels.txt").write_text("2\n1\n0\n")
    (tmp_path / "mapping.txt").write_text("0\tnegative\n1\tneutral\n2\tpositive\n")
    out = tmp_path / "out.jsonl"
    assert main(["--tweeteval-text", str(tmp_path / "train_text.txt"), "--tweeteval-labels",
                 str(tmp_path / "train_labels.txt"), "--mapping", str(tmp_path / "mapping.txt"),
                 "--output", str(out)]) == 0
    assert read_jsonl(out) == [
        {"id": "train_text:1", "text": "I love it", "label": "positive"},
        {"id": "train_text:2", "text": "meh, it is a phone", "label": "neutral"},
        {"id": "train_text:3", "text": "worst update ever", "label": "negative"}]


def test_semeval_tsv_and_corrections(tmp_path, capsys):
    tsv = tmp_path / "semeval.tsv"
    tsv.write_text("101\tpositive\tnice one\t\n102\tobjective-OR-neutral\tat 5pm\n"
                   "103\tnegative\tso slow\n")
    fixes = tmp_path / "corrections.jsonl"
    fixes.write_text('{"id": "102", "label": "negative"}\n'
                     '{"id": "900", "text": "new complaint", "label": "negative"}\n')
    out = tmp_path / "out.jsonl"
    assert main(["--semeval-tsv", str(tsv), "--corrections", str(fixes), "-o", str(out)]) == 0
    rows = read_jsonl(out)
    assert [(r["id"], r["label"]) for r in rows] == [
        ("101", "positive"), ("102", "negative"), ("103", "negative"), ("900", "negative")]
    assert rows[1]["text"] == "at 5pm"
    assert "1 corrections applied, 1 posts added" in capsys.readouterr().err


@pytest.mark.parametrize("files, args, message", [
    ({"t.txt": "a\nb\n", "l.txt": "0\n"}, ["--tweeteval-text", "t.txt", "--tweeteval-labels",
                                           "l.txt"], "has 2 lines but"),
    ({"t.txt": "a\n", "l.txt": "7\n"}, ["--tweeteval-text", "t.txt", "--tweeteval-labels",
                                        "l.txt"], "label id '7' is not in the mapping"),
    ({"s.tsv": "1\tpositive\n"}, ["--semeval-tsv", "s.tsv"], "s.tsv:1: expected 'id<TAB>"),
    ({"s.tsv": "1\tgood\tx\n"}, ["--semeval-tsv", "s.tsv"], "unknown label 'good'"),
    ({"c.jsonl": '{"label": "positive"}\n'}, ["--corrections", "c.jsonl"], "missing field 'id'"),
])
def test_bad_sources_fail_with_a_clear_message(tmp_path, capsys, files, args, message):
    for name, content in files.items():
        (tmp_path / name).write_text(content)
    args = [str(tmp_path / a) if a in files else a for a in args]
    assert main(args + ["-o", str(tmp_path / "out.jsonl")]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out.jsonl").exists()
