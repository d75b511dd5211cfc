"""The helpers of the installed package (haven.audit): replaying a conversation from dicts, scoring a plain-text
corpus by the `haven corpus` rules (docs/python.md), loading an image model with its manifest, and the files
the wheel must carry."""

import importlib.resources
import json
import os
import subprocess
from pathlib import Path

import pytest
from conftest import EPOCH_MS, FIXTURES, REPO, haven, load_conversation, play, to_contact

MODELS = FIXTURES / "models"
NUDENET = REPO / "models" / "nudenet-320n.onnx"
# The CLI built from the same tree as the wheel (scripts/test-bindings.sh points HAVEN_CLI at its target dir).
HAVEN_CLI = Path(os.environ.get("HAVEN_CLI", REPO / "target" / "release" / "haven"))

# Written for these tests: a few openers, one extortion line and a benign chat, nothing graphic.
EXTORTION = "i have ur pics. send $200 to my cashapp or everyone u know sees them"
CHAT = [
    "hey how was practice",
    "good, coach made us run laps",
    "lol same. want to study for the bio quiz later",
    "sure, after dinner",
]


def observed(assessments):
    return [(a.message_index, a.level, a.stage, a.signals) for a in assessments]


def test_replay_takes_fixture_dicts_and_generators_like_the_engine_itself():
    fixture = load_conversation("sx-full-script-01")
    contact = to_contact(fixture["contact"])
    config = haven.EngineConfig(user_age=15)
    want = play(haven.HavenEngine(config), fixture)
    from_list = haven.replay(haven.HavenEngine(config), fixture["id"], fixture["messages"], contact, start_ms=EPOCH_MS)
    from_generator = haven.replay(
        haven.HavenEngine(config), fixture["id"], (m for m in fixture["messages"]), contact, start_ms=EPOCH_MS
    )
    assert observed(from_list) == observed(want)
    assert observed(from_generator) == observed(want)


def test_replay_accepts_messages_and_names_what_is_wrong_in_a_dict(engine):
    message = haven.Message(direction=haven.Direction.FROM_USER, text="hi", timestamp_ms=EPOCH_MS)
    assert haven.replay(engine, "c", [message])[0].message_index == 0
    with pytest.raises(ValueError, match="'from'"):
        haven.replay(engine, "c", [{"text": "no sender"}])
    with pytest.raises(ValueError, match="attachment"):
        haven.replay(engine, "c", [{"from": "user", "text": "", "attachments": ["hologram"]}])
    # The refused messages left the conversation as it was.
    assert engine.current_assessment("c").message_index == 0


def write(tmp_path, name, lines, newline="\n"):
    path = tmp_path / name
    path.write_bytes(newline.join(lines).encode("utf-8") + newline.encode("utf-8"))
    return path


def one_by_one(turns, contact=None):
    """The spec's reading of one conversation, observed message by message on a default engine."""
    engine = haven.HavenEngine(haven.EngineConfig())
    if contact is not None:
        engine.set_contact("c", contact)
    return [
        engine.observe(
            "c",
            haven.Message(
                direction=haven.Direction.FROM_CONTACT if i % 2 == 0 else haven.Direction.FROM_USER,
                text=text,
                timestamp_ms=1_700_000_000_000 + i * 60_000,
            ),
        )
        for i, text in enumerate(turns)
    ]


def test_lines_are_grouped_by_window_within_each_file(tmp_path):
    first = write(tmp_path, "a.txt", CHAT + ["", EXTORTION], newline="\r\n")  # the empty line is skipped
    second = write(tmp_path, "b.txt", CHAT[:2])
    report = haven.score_corpus([first, second], window=2)
    # a.txt: 5 messages in groups of 2, 2, 1; b.txt: one group of 2 (groups never span files).
    assert report["conversations"] == 4
    assert report["messages"] == 7
    assert sum(report["levels"].values()) == 4
    assert sum(report["message_levels"].values()) == 7
    # The extortion line is alone in a.txt's last group, at index 0: said by the contact.
    alone = one_by_one([EXTORTION])[0]
    assert report["levels"][alone.level.name.lower()] >= 1
    rules = {r["rule"]: r for r in report["rules"]}
    for signal in alone.signals:
        assert rules[signal.rule]["signal"] == signal.kind.name.lower()
        assert rules[signal.rule]["count"] == 1
        assert rules[signal.rule]["example"] in EXTORTION
    assert any(r["example"] for r in report["rules"])


def test_the_summary_counts_agree_with_the_levels_and_the_rules_are_ranked(tmp_path):
    corpus = write(tmp_path, "c.txt", [EXTORTION, "ok", EXTORTION, "please dont", EXTORTION] + CHAT)
    report = haven.score_corpus(corpus, window=5, contact="new", top=3)
    levels = report["levels"]
    assert report["medium_or_above"] == levels["medium"] + levels["high"] + levels["critical"]
    assert report["high_or_above"] == levels["high"] + levels["critical"]
    assert report["critical"] == levels["critical"]
    assert report["crisis_cards"] <= report["conversations"] == 2
    assert len(report["rules"]) <= 3
    keys = [(-r["count"], r["rule"]) for r in report["rules"]]
    assert keys == sorted(keys)
    # Three extortion messages in the first conversation: each counts once per rule.
    assert report["rules"][0]["count"] == 3
    # The first conversation, replayed by hand with the same contact preset, reaches the same level.
    new = haven.ContactContext(new_contact=True, mutual_connections=0, account_age_days=3, known_for_days=0)
    highest = max(one_by_one([EXTORTION, "ok", EXTORTION, "please dont", EXTORTION], new), key=lambda a: a.score)
    assert levels[highest.level.name.lower()] >= 1


def test_dialogs_split_turns_and_a_known_contact_lowers_the_scores(tmp_path):
    dialog = f"hey ur cute __eou__  __eou__ add my snap __eou__ why __eou__ {EXTORTION} __eou__"
    corpus = write(tmp_path, "d.txt", [dialog, "  __eou__  ", "hi __eou__ hello"])
    report = haven.score_corpus(corpus, format="dialogs", window=1)  # the window is ignored for dialogs
    assert report["conversations"] == 2  # the line of empty turns is no conversation
    assert report["messages"] == 4 + 2
    seen = one_by_one(["hey ur cute", "add my snap", "why", EXTORTION]) + one_by_one(["hi", "hello"])
    names = [a.level.name.lower() for a in seen]
    assert report["message_levels"] == {n: names.count(n) for n in ["none", "low", "medium", "high", "critical"]}
    known = haven.score_corpus(corpus, format="dialogs", contact="known")
    assert known["messages"] == report["messages"]
    assert known["high_or_above"] <= report["high_or_above"]


def test_invalid_bytes_are_replaced_and_big_files_or_bad_options_refused(tmp_path, monkeypatch):
    corpus = tmp_path / "bad.txt"
    corpus.write_bytes(b"hello \xff\xfe there\nsecond line\n")
    assert haven.score_corpus(corpus)["messages"] == 2
    with pytest.raises(ValueError, match="format"):
        haven.score_corpus(corpus, format="csv")
    with pytest.raises(ValueError, match="contact"):
        haven.score_corpus(corpus, contact="friend")
    with pytest.raises(ValueError, match="window"):
        haven.score_corpus(corpus, window=0)
    monkeypatch.setattr(haven.audit, "CORPUS_MAX_FILE_BYTES", 8)
    with pytest.raises(ValueError, match="limit"):
        haven.score_corpus(corpus)


def test_load_nudenet_checks_the_file_against_the_manifest():
    engine = haven.HavenEngine(haven.EngineConfig())
    synthetic = MODELS / "synthetic-explicit.onnx"
    # The bundled NudeNet manifest records NudeNet's checksum: another file is refused before loading.
    with pytest.raises(ValueError, match="SHA-256"):
        haven.load_nudenet(engine, synthetic)
    haven.load_nudenet(engine, synthetic, MODELS / "synthetic-explicit.json")
    image = haven.ImageInput.ENCODED(bytes=(FIXTURES / "images" / "chelsea_cat.jpg").read_bytes())
    assert engine.assess_outgoing_image(None, image).nudity.verdict == haven.ImageVerdict.EXPLICIT


@pytest.mark.skipif(not NUDENET.is_file(), reason="scripts/fetch-models.sh has not fetched NudeNet")
def test_load_nudenet_with_the_bundled_manifest():
    engine = haven.HavenEngine(haven.EngineConfig())
    haven.load_nudenet(engine, NUDENET)
    image = haven.ImageInput.ENCODED(bytes=(FIXTURES / "images" / "astronaut.jpg").read_bytes())
    assert engine.assess_outgoing_image(None, image).nudity.verdict != haven.ImageVerdict.EXPLICIT


def test_the_wheel_carries_its_data_files_and_version():
    files = importlib.resources.files("haven")
    assert (files / "py.typed").is_file()
    shipped = json.loads((files / "nudenet-320n.json").read_text(encoding="utf-8"))
    assert shipped == json.loads((REPO / "manifests" / "nudenet-320n.json").read_text(encoding="utf-8"))
    assert haven.__version__ == haven.haven_version()
    # The package under test is the installed one, not a source folder of this repository.
    assert not str(files).startswith(str(REPO / "bindings"))


# Written for this test (no real conversations): openers, requests, leverage and demands in several spellings,
# the teen's replies, benign chat, an emoji before a match (character offsets), a CRLF line and a bad byte.
CORPUS_LINES = (
    "hey ur cute, how old r u\n"
    "15 why\n"
    "u look mature for ur age. add my snap?\n"
    "ok its on my profile\r\n"
    "send me a pic, i'll send first\n"
    "no thanks\n"
    "\n"
    "\U0001f608 i have ur pics. pay $300 in gift cards or ur followers see them\n"
    "please dont, i dont have money\n"
    "u have 10 minutes. i screenshotted ur school\n"
    "i want to die\n"
    "did u finish the chem lab BAD-BYTES\n"
    "almost, the graph is weird\n"
).encode("utf-8").replace(b"BAD-BYTES", b"\xff\xfe")
CORPUS_SECOND = "what time is the game\nseven i think\nsend $50 to my cashapp now or everyone knows\n"
CORPUS_DIALOGS = (
    "hey cutie __eou__ hi __eou__ lets move to telegram __eou__ why __eou__ send a video of u, im alone rn\n"
    "__eou__ __eou__\n"
    "i recorded our call __eou__ what?? __eou__ pay me or i post it everywhere __eou__ pls no\n"
    "want to get pizza __eou__ yes!! __eou__ cool see u at 6\n"
)


@pytest.mark.parametrize(
    "options",
    [
        {"format": "lines", "window": 10, "contact": "unknown", "top": 20},
        {"format": "lines", "window": 3, "contact": "new", "top": 5},
        {"format": "lines", "window": 1, "contact": "known", "top": 0},
        {"format": "dialogs", "window": 10, "contact": "new", "top": 20},
        {"format": "dialogs", "window": 10, "contact": "known", "top": 3},
    ],
)
def test_score_corpus_gives_the_numbers_of_haven_corpus_json(tmp_path, options):
    if options["format"] == "lines":
        (tmp_path / "a.txt").write_bytes(CORPUS_LINES)
        (tmp_path / "b.txt").write_text(CORPUS_SECOND, encoding="utf-8")
        paths = [tmp_path / "a.txt", tmp_path / "b.txt"]
    else:
        (tmp_path / "d.txt").write_text(CORPUS_DIALOGS, encoding="utf-8")
        paths = [tmp_path / "d.txt"]
    args = [f"--{key}={value}" for key, value in options.items()]
    cli = subprocess.run([str(HAVEN_CLI), "corpus", *map(str, paths), *args, "--json"], capture_output=True, check=True)
    want = json.loads(cli.stdout)
    assert haven.score_corpus(paths, **options) == want
    # The corpus is not trivial: some rules fire and not every conversation is at the same level.
    if options["top"]:
        assert want["rules"]
    assert len([n for n in want["levels"].values() if n]) >= 2
