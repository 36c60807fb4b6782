"""Turn labelled data sets into the trainer's JSONL, and merge analysts' corrections.

    python -m pulse_trainer.prepare --tweeteval-text train_text.txt \\
        --tweeteval-labels train_labels.txt --mapping mapping.txt --output train.jsonl
    python -m pulse_trainer.prepare --semeval-tsv twitter-2016train-A.txt --output train.jsonl
    python -m pulse_trainer.prepare --jsonl train.jsonl --corrections corrections.jsonl \\
        --output train-corrected.jsonl

Every output row is {"id", "text", "label"} (+ "rationale"/"crisis" when a source has them).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .prompt_format import LABELS

# TweetEval's sentiment mapping.txt, used when none is given.
DEFAULT_MAPPING = {"0": "negative", "1": "neutral", "2": "positive"}
# Older SemEval releases name the neutral class differently.
SEMEVAL_ALIASES = {"objective": "neutral", "objective-OR-neutral": "neutral"}


class PrepareError(ValueError):
    """Malformed source data; the message names the file and line."""


def _label(raw: str, where: str) -> str:
    label = SEMEVAL_ALIASES.get(raw, raw)
    if label not in LABELS:
        raise PrepareError(f"{where}: unknown label {raw!r}; expected one of {', '.join(LABELS)}")
    return label


def read_mapping(path: Path | None) -> dict[str, str]:
    """TweetEval mapping.txt: '<id><TAB><label name>' per line."""
    if path is None:
        return dict(DEFAULT_MAPPING)
    mapping = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            parts = line.split("\t") if "\t" in line else line.split()
            if len(parts) != 2:
                raise PrepareError(f"{path}:{number}: expected '<id><TAB><label>'")
            mapping[parts[0].strip()] = _label(parts[1].strip(), f"{path}:{number}")
    return mapping


def read_tweeteval(text_path: Path, labels_path: Path, mapping: dict[str, str]) -> list[dict]:
    """One post per line in the text file, its label id on the same line of the labels file."""
    texts = text_path.read_text(encoding="utf-8").splitlines()
    labels = labels_path.read_text(encoding="utf-8").splitlines()
    while labels and not labels[-1].strip():
        labels.pop()
    if len(texts) != len(labels):
        raise PrepareError(f"{text_path} has {len(texts)} lines but {labels_path} has "
                           f"{len(labels)}: they must match line by line")
    rows = []
    for number, (text, raw) in enumerate(zip(texts, labels), start=1):
        where = f"{labels_path}:{number}"
        if raw.strip() not in mapping:
            raise PrepareError(f"{where}: label id {raw.strip()!r} is not in the mapping "
                               f"({', '.join(sorted(mapping))})")
        rows.append({"id": f"{text_path.stem}:{number}", "text": text.strip(),
                     "label": mapping[raw.strip()]})
    return rows


def read_semeval_tsv(path: Path) -> list[dict]:
    """SemEval task 4A: 'id<TAB>label<TAB>text' (a trailing tab is tolerated)."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        parts = line.rstrip("\t").split("\t", 2)
        if len(parts) != 3:
            raise PrepareError(f"{path}:{number}: expected 'id<TAB>label<TAB>text'")
        post_id, raw_label, text = parts
        rows.append({"id": post_id.strip(), "text": text.strip(),
                     "label": _label(raw_label.strip(), f"{path}:{number}")})
    return rows


def read_jsonl(path: Path, required: tuple[str, ...]) -> list[dict]:
    """Pulse JSONL (or corrections): every row needs the `required` fields and a known label."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{path}:{number}"
        try:
            row = json.loads(line)
        except json.JSONDecodeError as err:
            raise PrepareError(f"{where}: not valid JSON ({err.msg})") from None
        if not isinstance(row, dict):
            raise PrepareError(f"{where}: expected a JSON object")
        for field in required:
            if field not in row:
                raise PrepareError(f"{where}: missing field '{field}'")
        row["label"] = _label(str(row["label"]), where)
        if "id" in row:
            row["id"] = str(row["id"])
        rows.append(row)
    return rows


def merge_corrections(rows: list[dict], corrections: list[dict]) -> tuple[list[dict], int, int]:
    """An analyst's correction replaces the row with the same id (its label, and its text when
    given); a correction for an unknown id is a new labelled post. The last correction of an id
    wins. Returns (rows, replaced, added)."""
    merged = [dict(row) for row in rows]
    index = {row["id"]: i for i, row in enumerate(merged) if "id" in row}
    replaced = added = 0
    for fix in corrections:
        if fix["id"] in index:
            target = merged[index[fix["id"]]]
            target["label"] = fix["label"]
            target["text"] = fix.get("text") or target["text"]
            target.pop("rationale", None)  # the old rationale argued for the old label
            replaced += 1
        else:
            if not str(fix.get("text", "")).strip():
                raise PrepareError(f"correction {fix['id']!r} is for an unknown id and has no text")
            index[fix["id"]] = len(merged)
            merged.append({"id": fix["id"], "text": fix["text"], "label": fix["label"]})
            added += 1
    return merged, replaced, added


def drop_empty(rows: list[dict]) -> tuple[list[dict], int]:
    kept = [row for row in rows if str(row.get("text", "")).strip()]
    return kept, len(rows) - len(kept)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m pulse_trainer.prepare",
        description="Convert TweetEval / SemEval data (and Pulse JSONL) to the trainer's JSONL, "
                    "optionally merging analysts' corrections {id, text, label}.")
    parser.add_argument("--tweeteval-text", type=Path, help="TweetEval *_text.txt")
    parser.add_argument("--tweeteval-labels", type=Path, help="TweetEval *_labels.txt (0/1/2)")
    parser.add_argument("--mapping", type=Path, help="TweetEval mapping.txt (default 0/1/2 = "
                                                     "negative/neutral/positive)")
    parser.add_argument("--semeval-tsv", type=Path, action="append", default=[],
                        help="SemEval 'id<TAB>label<TAB>text' file (repeatable)")
    parser.add_argument("--jsonl", type=Path, action="append", default=[],
                        help="existing Pulse JSONL to include (repeatable)")
    parser.add_argument("--corrections", type=Path, action="append", default=[],
                        help="JSONL of analyst corrections {id, text, label} (repeatable, "
                             "applied in order)")
    parser.add_argument("--output", "-o", required=True, help="output JSONL ('-' for stdout)")
    return parser


def collect(args, parser) -> list[dict]:
    if bool(args.tweeteval_text) != bool(args.tweeteval_labels):
        parser.error("--tweeteval-text and --tweeteval-labels go together")
    rows: list[dict] = []
    if args.tweeteval_text:
        rows += read_tweeteval(args.tweeteval_text, args.tweeteval_labels, read_mapping(args.mapping))
    for path in args.semeval_tsv:
        rows += read_semeval_tsv(path)
    for path in args.jsonl:
        rows += read_jsonl(path, ("text", "label"))
    if not rows and not args.corrections:
        parser.error("no input: give --tweeteval-text/--tweeteval-labels, --semeval-tsv, "
                     "--jsonl or --corrections")
    for path in args.corrections:
        rows, replaced, added = merge_corrections(rows, read_jsonl(path, ("id", "label")))
        print(f"{path}: {replaced} corrections applied, {added} posts added", file=sys.stderr)
    return rows


def write_rows(rows: list[dict], output: str) -> None:
    text = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    if output == "-":
        sys.stdout.write(text)
    else:
        Path(output).parent.mkdir(parents=True, exist_ok=True)
        Path(output).write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        rows, empty = drop_empty(collect(args, parser))
    except (PrepareError, OSError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    if empty:
        print(f"warning: skipped {empty} posts with empty text", file=sys.stderr)
    if not rows:
        print("error: no posts left to write", file=sys.stderr)
        return 2
    write_rows(rows, args.output)
    counts = {label: sum(row["label"] == label for row in rows) for label in LABELS}
    print(f"wrote {len(rows)} posts to {args.output} ({counts})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
