//! Runs `haven corpus` on tiny corpora written for this test and checks the counting rules of the corpus spec:
//! grouping into conversations, turn splitting, levels per conversation and the rule tally.

use std::path::PathBuf;
use std::process::Command;

fn corpus(args: &[&str], files: &[(&str, &str)]) -> serde_json::Value {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join(format!("corpus-{}", files[0].0));
    std::fs::create_dir_all(&dir).unwrap();
    let mut paths = Vec::new();
    for (name, text) in files {
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        paths.push(path);
    }
    let out = Command::new(env!("CARGO_BIN_EXE_haven"))
        .arg("corpus")
        .args(&paths)
        .args(args)
        .arg("--json")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn lines_form_windows_that_never_span_files() {
    let a = "see you at practice\r\n\nthe bus was late again\nok\nlunch at noon?\nsure\n";
    let b = "did you finish the reading\nalmost\n";
    let r = corpus(
        &["--format", "lines", "--window", "2", "--contact", "known"],
        &[("a.txt", a), ("b.txt", b)],
    );
    // a: 5 non-empty lines -> 2 + 2 + 1; b: 2 lines -> 1.
    assert_eq!(r["conversations"], 4);
    assert_eq!(r["messages"], 7);
    assert_eq!(r["levels"]["none"], 4);
    assert_eq!(r["message_levels"]["none"], 7);
    assert_eq!(r["medium_or_above"], 0);
    assert_eq!(r["critical"], 0);
    assert_eq!(r["crisis_cards"], 0);
}

#[test]
fn dialogs_split_turns_and_an_extortion_counts_once_per_rule_and_message() {
    let calm = "how was the match __eou__ we won on penalties __eou__  __eou__ nice, see you monday __eou__\n";
    let threat = "i saved all your pics and screenshotted your followers __eou__ what? __eou__ \
                  send $300 on cash app in 10 minutes or every follower gets them __eou__\n";
    let r = corpus(
        &["--format", "dialogs", "--window", "1"],
        &[("d.txt", &format!("{calm}{threat}"))],
    );
    assert_eq!(r["conversations"], 2);
    assert_eq!(r["messages"], 6);
    assert_eq!(r["levels"]["none"], 1);
    assert_eq!(r["critical"], 1);
    assert_eq!(r["high_or_above"], 1);
    assert_eq!(r["medium_or_above"], 1);
    assert_eq!(r["crisis_cards"], 1);
    let rules = r["rules"].as_array().unwrap();
    assert!(!rules.is_empty());
    let counts: Vec<u64> = rules.iter().map(|x| x["count"].as_u64().unwrap()).collect();
    assert!(counts.windows(2).all(|w| w[0] >= w[1]), "{counts:?}");
    // Only the contact's two messages can fire contact rules, each at most once per rule.
    assert!(counts.iter().all(|&c| c <= 2), "{counts:?}");
    for rule in rules {
        let example = rule["example"].as_str().unwrap();
        assert!(!example.is_empty() && threat.contains(example), "{rule}");
    }
}

#[test]
fn an_unreadable_path_is_an_error_in_the_callers_terms() {
    let out = Command::new(env!("CARGO_BIN_EXE_haven"))
        .args(["corpus", "/nonexistent/corpus.txt", "--format", "lines"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/corpus.txt"));
}
