# False-alarm regression test on the chatterbot-corpus dialogues (PyPI, BSD licence; installed into .venv by
# scripts/setup-python.sh): converts their YAML conversations to the `haven corpus --format dialogs` format under
# target/chatterbot/, runs `haven corpus --json` per language and fails if a language exceeds the committed maxima
# in tools/corpus/chatterbot-thresholds.json. Usage: python chatterbot_false_alarms.py [path/to/haven]
import json
import pathlib
import subprocess
import sys

import chatterbot_corpus
import yaml

ROOT = pathlib.Path(__file__).resolve().parents[2]
LANGUAGES = {"en": "english", "es": "spanish", "fr": "french"}


def dialogs(folder: pathlib.Path) -> list[str]:
    """One line per conversation, turns joined by ` __eou__ `; turns flattened to one line each."""
    lines = []
    for path in sorted(folder.glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for conversation in data.get("conversations") or []:
            turns = [" ".join(str(t).split()) for t in conversation if t is not None]
            turns = [t.replace("__eou__", " ") for t in turns if t]
            if turns:
                lines.append(" __eou__ ".join(turns))
    return lines


def main() -> int:
    haven = sys.argv[1] if len(sys.argv) > 1 else str(ROOT / "target/release/haven")
    thresholds = json.loads((ROOT / "tools/corpus/chatterbot-thresholds.json").read_text())
    data = pathlib.Path(chatterbot_corpus.__file__).parent / "data"
    out = ROOT / "target/chatterbot"
    out.mkdir(parents=True, exist_ok=True)
    failed = False
    for lang, folder in LANGUAGES.items():
        lines = dialogs(data / folder)
        if not lines:
            print(f"chatterbot {lang}: no conversations found in {data / folder}")
            return 1
        corpus = out / f"{lang}.txt"
        corpus.write_text("\n".join(lines) + "\n", encoding="utf-8")
        run = subprocess.run(
            [haven, "corpus", str(corpus), "--format", "dialogs", "--contact", "unknown", "--json"],
            check=True, capture_output=True, text=True,
        )
        r = json.loads(run.stdout)
        limit = thresholds[lang]
        ok = r["medium_or_above"] <= limit["medium_or_above"] and r["critical"] <= limit["critical"]
        failed |= not ok
        top = ", ".join(f"{x['rule']} x{x['count']} ({x['example']!r})" for x in r["rules"][:3])
        print(f"chatterbot {lang}: {r['conversations']} conversations, {r['medium_or_above']} at medium or above "
              f"(max {limit['medium_or_above']}), {r['critical']} critical (max {limit['critical']})"
              f"{'' if ok else '  FAIL'}; top rules: {top or '-'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
