#!/usr/bin/env python3
"""Structural check of the conversation fixture corpus (fixtures/conversations/*.json).

Checks what the format in docs/fixtures.md promises, without running any engine: valid UTF-8 JSON, id equal to
the file name, required fields and types, message count, non-decreasing timestamps, attachment kinds, valid
levels, expectation indices in range, the sextortion alert pointing at a contact message, crisis points at a
message from the teen, and each file-name prefix carrying the label and locale it stands for.

Usage: python3 scripts/check_fixtures.py [DIR]   (default: fixtures/conversations). Exit 1 on any problem.
"""
import json
import sys
from collections import Counter
from pathlib import Path

LEVELS = ["none", "low", "medium", "high", "critical"]
ATTACHMENT_KINDS = {"image", "video", "audio", "link", "file"}
RISKY_LABELS = {"sextortion", "grooming"}
RISKY_KEYS = {"label", "min_level", "alert_by", "early_level", "early_by", "crisis_by"}
# Prefix -> (allowed labels, required locale language or None).
PREFIXES = {
    "sx": ({"sextortion"}, "en"),
    "gr": ({"grooming"}, "en"),
    "di": ({"sextortion", "grooming"}, None),
    "ob": (RISKY_LABELS, None),
    "bn": ({"benign"}, None),
    "fr": (RISKY_LABELS | {"benign"}, "fr"),
    "es": (RISKY_LABELS | {"benign"}, "es"),
}


def level(value, where, errors):
    if value not in LEVELS:
        errors.append(f"{where}: unknown level {value!r}")
        return None
    return LEVELS.index(value)


def index(expect, key, n, errors):
    value = expect.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value < n:
        errors.append(f"expect.{key}={value!r} is not a message index in 0..{n - 1}")
        return None
    return value


def check(path):
    errors = []
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        return [f"not valid UTF-8 JSON: {e}"], None
    if not isinstance(doc, dict):
        return ["top level is not an object"], None
    extra = set(doc) - {"id", "locale", "user", "contact", "messages", "expect"}
    if extra:
        errors.append(f"unknown top-level keys {sorted(extra)}")
    if doc.get("id") != path.stem:
        errors.append(f"id {doc.get('id')!r} does not match file name {path.stem!r}")
    locale = doc.get("locale")
    if not isinstance(locale, str) or len(locale.split("-")) != 2:
        errors.append(f"locale {locale!r} is not like en-US")
        locale = "xx-XX"
    user = doc.get("user") or {}
    if not isinstance(user.get("age"), int) or not 13 <= user["age"] <= 17:
        errors.append(f"user.age {user.get('age')!r} is not a teen age 13..17")
    if not isinstance(user.get("region"), str) or len(user["region"]) != 2 or not user["region"].isupper():
        errors.append(f"user.region {user.get('region')!r} is not an ISO country code")
    contact = doc.get("contact") or {}
    if not isinstance(contact.get("new_contact"), bool):
        errors.append("contact.new_contact is not a boolean")
    for key in ("mutual_connections", "account_age_days"):
        if not isinstance(contact.get(key), int) or contact[key] < 0:
            errors.append(f"contact.{key} is not a non-negative integer")

    messages = doc.get("messages")
    if not isinstance(messages, list) or not 4 <= len(messages) <= 25:
        errors.append("messages must be a list of 4 to 25 messages")
        return errors, None
    last_t = 0
    for i, m in enumerate(messages):
        where = f"messages[{i}]"
        if set(m) - {"from", "text", "t", "attachments"}:
            errors.append(f"{where}: unknown keys {sorted(set(m) - {'from', 'text', 't', 'attachments'})}")
        if m.get("from") not in ("contact", "user"):
            errors.append(f"{where}: from must be contact or user")
        if not isinstance(m.get("text"), str):
            errors.append(f"{where}: text is not a string")
        elif not m["text"] and not m.get("attachments"):
            errors.append(f"{where}: empty text without attachments")
        t = m.get("t")
        if not isinstance(t, int) or isinstance(t, bool) or t < 0:
            errors.append(f"{where}: t is not a non-negative integer")
        elif t < last_t:
            errors.append(f"{where}: t={t} goes back in time (previous {last_t})")
        else:
            last_t = t
        att = m.get("attachments", [])
        if not isinstance(att, list) or not set(att) <= ATTACHMENT_KINDS:
            errors.append(f"{where}: attachments {att!r} not a list of {sorted(ATTACHMENT_KINDS)}")

    expect = doc.get("expect") or {}
    label = expect.get("label")
    n = len(messages)
    if label == "benign":
        if set(expect) != {"label", "max_level"}:
            errors.append(f"benign expect must hold exactly label and max_level, has {sorted(expect)}")
        mx = level(expect.get("max_level"), "expect.max_level", errors)
        if mx is not None and mx > LEVELS.index("medium"):
            errors.append("benign max_level above medium")
    elif label in RISKY_LABELS:
        if set(expect) - RISKY_KEYS:
            errors.append(f"unknown expect keys {sorted(set(expect) - RISKY_KEYS)}")
        mn = level(expect.get("min_level"), "expect.min_level", errors)
        if mn is not None and mn < LEVELS.index("medium"):
            errors.append("risky min_level below medium")
        alert = index(expect, "alert_by", n, errors)
        if label == "sextortion" and alert is not None and messages[alert].get("from") != "contact":
            errors.append(f"sextortion alert_by={alert} does not point at a contact message")
        if ("early_level" in expect) != ("early_by" in expect):
            errors.append("early_level and early_by go together")
        if "early_level" in expect:
            el = level(expect["early_level"], "expect.early_level", errors)
            eb = index(expect, "early_by", n, errors)
            if el is not None and mn is not None and el >= mn:
                errors.append("early_level should be below min_level")
            if eb is not None and alert is not None and eb > alert:
                errors.append("early_by comes after alert_by")
        if "crisis_by" in expect:
            cb = index(expect, "crisis_by", n, errors)
            if cb is not None and messages[cb].get("from") != "user":
                errors.append(f"crisis_by={cb} does not point at a message from the teen")
    else:
        errors.append(f"unknown expect.label {label!r}")

    prefix = path.stem.split("-")[0]
    if prefix not in PREFIXES:
        errors.append(f"unknown file prefix {prefix!r}")
    else:
        labels, lang = PREFIXES[prefix]
        if label not in labels:
            errors.append(f"prefix {prefix!r} does not allow label {label!r}")
        if lang and locale.split("-")[0] != lang:
            errors.append(f"prefix {prefix!r} needs a {lang}-* locale, has {locale!r}")
        if prefix == "di" and "crisis_by" not in expect:
            errors.append("di-* fixtures must expect crisis_by")
    return errors, (prefix, label)


def main():
    root = Path(sys.argv[1] if len(sys.argv) > 1 else "fixtures/conversations")
    files = sorted(root.glob("*.json"))
    if not files:
        print(f"no fixtures in {root}", file=sys.stderr)
        return 1
    failed = 0
    counts = Counter()
    for path in files:
        errors, kind = check(path)
        if kind:
            counts[kind] += 1
        for e in errors:
            print(f"{path.name}: {e}")
        failed += bool(errors)
    summary = ", ".join(f"{p}/{lab}={c}" for (p, lab), c in sorted(counts.items()))
    print(f"{len(files)} fixtures, {failed} with problems ({summary})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
