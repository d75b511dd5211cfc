"""Many threads on one engine through the Python bindings: results match a sequential run, nothing is lost.

The generated module calls the library through ctypes, which releases the GIL for the duration of each call, so
the calls overlap inside the engine; this checks its shared table stays consistent under them.
"""

import threading
from concurrent.futures import ThreadPoolExecutor

from conftest import EPOCH_MS, engine_for, haven, load_conversation, play, to_contact, to_message

NAMES = ["sx-full-script-01", "gr-meetup-04", "bn-new-puppy-04", "sx-direct-short-24", "fr-sx-snap-01", "bn-memes-18"]
THREADS = 8


def config():
    return haven.EngineConfig(user_age=15, region="US", languages=["en"])


def sequential(fixture):
    return play(haven.HavenEngine(config()), fixture)


def test_threads_on_separate_conversations_get_sequential_results():
    fixtures = [load_conversation(n) for n in NAMES]
    expected = {f["id"]: sequential(f) for f in fixtures}
    engine = haven.HavenEngine(config())
    start = threading.Barrier(THREADS)

    def worker(i):
        start.wait()
        results = {}
        for f in fixtures:
            cid = f"{f['id']}#{i}"
            results[cid] = play(engine, f, conversation_id=cid)
            engine.export_state()  # a reader of the whole table in the middle of the writers
        return results

    with ThreadPoolExecutor(THREADS) as pool:
        outcomes = list(pool.map(worker, range(THREADS)))

    assert engine.conversation_count() == THREADS * len(fixtures)
    for results in outcomes:
        for cid, got in results.items():
            want = expected[cid.split("#")[0]]
            assert [(a.level, a.stage, a.signals) for a in got] == [(a.level, a.stage, a.signals) for a in want]


def test_threads_sharing_one_conversation_lose_no_message():
    engine = haven.HavenEngine(config())
    engine.set_contact("shared", to_contact({"new_contact": True, "mutual_connections": 0}))
    per_thread = 50
    start = threading.Barrier(THREADS)

    def worker(i):
        start.wait()
        for k in range(per_thread):
            engine.observe(
                "shared",
                haven.Message(direction=haven.Direction.FROM_USER, text=f"msg {i} {k}", timestamp_ms=EPOCH_MS + k),
            )
            engine.current_assessment("shared")

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(worker, range(THREADS)))
    assert engine.current_assessment("shared").message_index == THREADS * per_thread - 1


def test_engines_import_and_forget_concurrently():
    fixture = load_conversation("sx-full-script-01")
    source = engine_for(fixture)
    play(source, fixture)
    blob = source.export_state()
    engine = haven.HavenEngine(config())

    def worker(i):
        for _ in range(20):
            engine.import_state(blob)
            engine.forget(fixture["id"])
            engine.observe(f"own-{i}", to_message(fixture["messages"][0]))

    with ThreadPoolExecutor(THREADS) as pool:
        list(pool.map(worker, range(THREADS)))
    engine.import_state(blob)
    assert engine.current_assessment(fixture["id"]).level == source.current_assessment(fixture["id"]).level
