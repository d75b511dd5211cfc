//! Derives obfuscated variants of every risky fixture (leetspeak, spaced letters, homoglyphs, zero-width
//! characters) and requires the same expectations to hold as for the plain text.

use std::path::PathBuf;

use haven_cli::expectations::judge;
use haven_cli::fixture::{self, Fixture, From, Label};

fn fixtures() -> Vec<Fixture> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fixtures/conversations");
    fixture::load(&[dir]).expect("fixtures load")
}

/// Applies `word` to each purely alphabetic word of the contact's messages; other tokens are kept.
fn obfuscate(f: &Fixture, name: &str, word: impl Fn(&str) -> String) -> Fixture {
    let mut variant = f.clone();
    variant.id = format!("{}~{name}", f.id);
    for m in variant
        .messages
        .iter_mut()
        .filter(|m| m.from == From::Contact)
    {
        m.text = m
            .text
            .split(' ')
            .map(|token| {
                if token.len() > 1 && token.chars().all(|c| c.is_ascii_alphabetic()) {
                    word(token)
                } else {
                    token.to_owned()
                }
            })
            .collect::<Vec<_>>()
            .join(if name == "spaced" { "  " } else { " " });
    }
    variant
}

/// Rewrites one word.
type Obfuscation = fn(&str) -> String;

/// Typical evasion leetspeak: vowels inside a word become digits ("p1cs", "s3nd", "h4v3" stays readable),
/// first and last letters kept, short words left alone.
fn leet(word: &str) -> String {
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 4 {
        return word.to_owned();
    }
    chars
        .iter()
        .enumerate()
        .map(|(i, &c)| match c {
            'a' if i > 0 && i + 1 < chars.len() => '4',
            'e' if i > 0 && i + 1 < chars.len() => '3',
            'o' if i > 0 && i + 1 < chars.len() => '0',
            'i' if i > 0 && i + 1 < chars.len() => '1',
            other => other,
        })
        .collect()
}

fn spaced(word: &str) -> String {
    word.chars().map(String::from).collect::<Vec<_>>().join(" ")
}

fn homoglyphs(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            'a' => 'а',
            'e' => 'е',
            'o' => 'о',
            'p' => 'р',
            'c' => 'с',
            'x' => 'х',
            'y' => 'у',
            other => other,
        })
        .collect()
}

fn zero_width(word: &str) -> String {
    word.chars()
        .map(String::from)
        .collect::<Vec<_>>()
        .join("\u{200B}")
}

#[test]
fn risky_fixtures_keep_their_expectations_when_obfuscated() {
    let variants: [(&str, Obfuscation); 4] = [
        ("leet", leet),
        ("spaced", spaced),
        ("homoglyphs", homoglyphs),
        ("zero-width", zero_width),
    ];
    let mut failures = Vec::new();
    let mut checked = 0;
    // `ob-` fixtures are obfuscated by hand already; a second layer on top is not a realistic message.
    let plain_risky = fixtures()
        .into_iter()
        .filter(|f| f.expect.label != Label::Benign && !f.id.starts_with("ob-"));
    for f in &plain_risky.collect::<Vec<_>>() {
        for (name, transform) in &variants {
            let variant = obfuscate(f, name, transform);
            let outcome = judge(&variant, &variant.run().expect("fixture runs"));
            checked += 1;
            failures.extend(
                outcome
                    .failures
                    .into_iter()
                    .map(|why| format!("{}: {why}", variant.id)),
            );
        }
    }
    assert!(checked >= 100, "only {checked} variants checked");
    assert!(
        failures.is_empty(),
        "{} of {checked} variants failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_fixture_meets_its_expectations() {
    let failures: Vec<String> = fixtures()
        .iter()
        .flat_map(|f| {
            let outcome = judge(f, &f.run().expect("fixture runs"));
            outcome
                .failures
                .into_iter()
                .map(move |why| format!("{}: {why}", f.id))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
