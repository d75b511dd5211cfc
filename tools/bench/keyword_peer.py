#!/usr/bin/env python3
# A plain keyword-list peer for Haven's text engine benchmark (scripts/bench-text.sh): per-category regular
# expressions over lowercased text, one pass per message, scored by a running sum per conversation. It is the
# "afternoon script" that issue 12 compares Haven's speed against; its detections are deliberately naive.
"""Keyword-list peer: `--jsonl` prints one JSON line per message like `haven assess`; `--rounds N` times it."""

import argparse
import json
import os
import re
import sys
import time

# Our own short keyword lists, one alternation per signal kind (English, French and Spanish words, as Haven's packs
# cover those languages). Written for this benchmark, not taken from the packs or any corpus.
KEYWORDS = {
    "flattery": r"\b(so pretty|so cute|beautiful|gorgeous|mature for your age|tr[eè]s belle|muy guapa|preciosa)\b",
    "age_probe": r"\b(how old|what grade|asl|quel [aâ]ge|t'as quel [aâ]ge|cu[aá]ntos a[nñ]os)\b",
    "location_probe": r"\b(where do you live|what school|which school|tu habites o[uù]|d[oó]nde vives)\b",
    "isolation_probe": r"\b(are you alone|home alone|parents home|parents around|t'es seule?|est[aá]s sola)\b",
    "secrecy": r"\b(don'?t tell|keep (it|this) (a )?secret|our secret|between us|ne dis rien|no le digas)\b",
    "exclusivity": r"\b(only one who (gets|understands)|nobody understands you|no one gets you|like i do)\b",
    "gift_offer": r"\b(gift card|free (skins|robux|vbucks)|i'?ll buy you|je t'offre|te compro)\b",
    "migration": r"\b(add me on|snap(chat)?|telegram|whatsapp|discord|kik|dm me|ajoute[- ]moi|agr[eé]game)\b",
    "image_request": r"\b(send (me )?(a )?(pic|pics|photo|photos|selfie)|show me|envoie(-moi)? une photo|m[aá]ndame una foto)\b",
    "send_first": r"\b(i'?ll send first|you first|me first then you|je commence)\b",
    "camera_excuse": r"\b(camera (is )?broken|cam (is )?broken|my cam|webcam doesn'?t work)\b",
    "delete_promise": r"\b(i'?ll delete|delete it after|won'?t save|je supprime|lo borro)\b",
    "sexual_talk": r"\b(nudes?|naked|sexy|in your underwear|bra|topless|nue|desnuda)\b",
    "meet_request": r"\b(meet (up|me)|come over|pick you up|on se voit|nos vemos)\b",
    "leverage": r"\b(i have your (pics|photos|nudes)|screenshots?|i saved|j'ai tes photos|tengo tus fotos)\b",
    "threat": r"\b(i'?ll (post|share|send) (them|it|your)|everyone will see|your (family|parents|friends) will see|je vais publier|voy a publicar)\b",
    "payment": r"\b(pay me|send (me )?money|gift ?cards?|paypal|cash ?app|venmo|bitcoin|\$\d+|paye|p[aá]game)\b",
    "urgency": r"\b(right now|hurry|within (an|one) hour|\d+ (minutes|mins|hours)|tonight or|vite|ahora mismo)\b",
    "age_disclosure": r"\b(i'?m 1[0-7]|im 1[0-7]|i am 1[0-7]|j'ai 1[0-7] ans|tengo 1[0-7] a[nñ]os)\b",
    "pleading": r"\b(please (stop|don'?t)|i'?m begging|i beg you|s'il te pla[iî]t arr[eê]te|por favor no)\b",
    "no_money": r"\b(i don'?t have (any )?money|no money|i'?m broke|pas d'argent|no tengo dinero)\b",
}
PATTERNS = [(kind, re.compile(expr)) for kind, expr in KEYWORDS.items()]
WEIGHT = 0.15
GROOMING = {"flattery", "age_probe", "location_probe", "isolation_probe", "secrecy", "exclusivity", "gift_offer",
            "migration", "meet_request"}
SEXTORTION = {"leverage", "threat", "payment", "urgency"}


def level_of(score):
    """The level for a conversation score, by fixed thresholds."""
    for bound, name in ((0.8, "critical"), (0.6, "high"), (0.4, "medium"), (0.2, "low")):
        if score >= bound:
            return name
    return "none"


def assess(conversation_id, messages):
    """One record per message: the categories whose regex matches the lowercased text, and a running score."""
    score = 0.0
    seen = set()
    records = []
    for index, message in enumerate(messages):
        text = message["text"].lower()
        signals = [kind for kind, pattern in PATTERNS if pattern.search(text)]
        score = min(1.0, score + WEIGHT * len(signals))
        seen.update(signals)
        if seen & SEXTORTION:
            pattern = "sextortion"
        elif seen & GROOMING:
            pattern = "grooming"
        else:
            pattern = "none"
        level = level_of(score)
        records.append({
            "conversation": conversation_id,
            "index": index,
            "level": level,
            "score": round(score, 3),
            "stage": "none",
            "pattern": pattern,
            "signals": signals,
            "intervention": "none" if level in ("none", "low") else "nudge",
            "rules": ["peer." + kind for kind in signals],
        })
    return records


def load(paths):
    """Every fixture under `paths` (files or folders), in file-name order like `haven`'s loader."""
    files = []
    for path in paths:
        if os.path.isdir(path):
            files += sorted(os.path.join(path, n) for n in os.listdir(path) if n.endswith(".json"))
        else:
            files.append(path)
    fixtures = []
    for name in files:
        with open(name, encoding="utf-8") as f:
            fixtures.append(json.load(f))
    return fixtures


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--rounds", type=int, default=0, help="timed passes over the corpus (0: print JSON Lines)")
    args = parser.parse_args()
    fixtures = load(args.paths)
    if args.rounds == 0:
        out = sys.stdout
        for f in fixtures:
            for record in assess(f["id"], f["messages"]):
                out.write(json.dumps(record, separators=(",", ":")) + "\n")
        return
    # One warm-up pass, then timed passes; every message of every pass counts.
    for f in fixtures:
        assess(f["id"], f["messages"])
    messages = 0
    started = time.perf_counter()
    for _ in range(args.rounds):
        for f in fixtures:
            messages += len(assess(f["id"], f["messages"]))
    wall = time.perf_counter() - started
    print(f"messages            {messages}")
    print(f"messages_per_second {messages / wall:.0f}")


if __name__ == "__main__":
    main()
