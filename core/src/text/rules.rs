//! Rule packs: per-language TOML files embedded at compile time, compiled once into regex sets.
//!
//! A pack is a list of rules; each names a [`SignalKind`], who must have written the message, a prior weight and
//! regex patterns over the normalised text (see [`super::normalize`]). Adding a language is adding a file to
//! `data/rules/` and a line to [`PACK_SOURCES`].

use std::collections::HashMap;

use regex::{Regex, RegexSet, RegexSetBuilder};
use serde::Deserialize;

use super::normalize::{squeeze_pattern, Normalized};
use crate::assessment::SignalKind;
use crate::error::{Error, Result};
use crate::message::Direction;

/// The embedded packs: (file name, contents).
const PACK_SOURCES: &[(&str, &str)] = &[
    ("en.toml", include_str!("../../data/rules/en.toml")),
    ("fr.toml", include_str!("../../data/rules/fr.toml")),
    ("es.toml", include_str!("../../data/rules/es.toml")),
];

/// Compiled regexes are bounded so a hostile pack cannot make matching costly.
const REGEX_SIZE_LIMIT: usize = 4 << 20;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackFile {
    language: String,
    /// Named pattern fragments, written `%name%` in patterns.
    #[serde(default)]
    vocab: HashMap<String, String>,
    rules: Vec<RuleFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    id: String,
    signal: String,
    #[serde(default)]
    from: Author,
    weight: f32,
    patterns: Vec<String>,
    #[serde(default)]
    unless: Vec<String>,
}

/// Who must have written a message for a rule to apply.
#[derive(Deserialize, Default, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
pub enum Author {
    #[default]
    Contact,
    User,
    Any,
}

impl Author {
    fn admits(self, direction: Direction) -> bool {
        match self {
            Author::Any => true,
            Author::Contact => direction == Direction::FromContact,
            Author::User => direction == Direction::FromUser,
        }
    }
}

/// One compiled rule.
#[derive(Debug)]
pub struct Rule {
    /// `<language>.<id>`, such as `en.payment.gift_card`.
    pub id: String,
    pub kind: SignalKind,
    pub author: Author,
    pub weight: f32,
    patterns: Vec<Regex>,
    unless: Option<RegexSet>,
}

/// A rule that fired on a message, with the normalised byte range of its first match.
#[derive(Debug, Clone, Copy)]
pub struct Hit<'r> {
    pub rule: &'r Rule,
    pub start: usize,
    pub end: usize,
}

/// Every pack compiled into one regex set for a single pass per message.
#[derive(Debug)]
pub struct RuleBook {
    rules: Vec<Rule>,
    /// One entry per pattern, in rule order; `owner[i]` is the rule of pattern `i`.
    set: RegexSet,
    owner: Vec<usize>,
    languages: Vec<String>,
}

impl RuleBook {
    /// Compiles the embedded packs. Costly (milliseconds): the engine does it once per process.
    pub fn embedded() -> Result<RuleBook> {
        RuleBook::compile(PACK_SOURCES)
    }

    /// Compiles packs given as (file name, TOML text).
    pub fn compile(sources: &[(&str, &str)]) -> Result<RuleBook> {
        let mut rules = Vec::new();
        let mut sources_of_set = Vec::new();
        let mut owner = Vec::new();
        let mut languages = Vec::new();
        for (file, text) in sources {
            let invalid = |reason: String| Error::InvalidData { file: (*file).to_owned(), reason };
            let pack: PackFile = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
            languages.push(pack.language.clone());
            for r in pack.rules {
                let kind = SignalKind::parse(&r.signal)
                    .ok_or_else(|| invalid(format!("rule {}: unknown signal {:?}", r.id, r.signal)))?;
                if !(0.0..=1.0).contains(&r.weight) {
                    return Err(invalid(format!("rule {}: weight must be within 0..1", r.id)));
                }
                if r.patterns.is_empty() {
                    return Err(invalid(format!("rule {}: no patterns", r.id)));
                }
                let id = format!("{}.{}", pack.language, r.id);
                if rules.iter().any(|x: &Rule| x.id == id) {
                    return Err(invalid(format!("rule {id} is defined twice")));
                }
                let prepare = |p: &String| {
                    expand(p, &pack.vocab).map(|p| squeeze_pattern(&p)).map_err(|e| invalid(format!("rule {id}: {e}")))
                };
                let squeezed = r.patterns.iter().map(prepare).collect::<Result<Vec<_>>>()?;
                let squeezed_unless = r.unless.iter().map(prepare).collect::<Result<Vec<_>>>()?;
                let patterns = squeezed
                    .iter()
                    .map(|p| compile_one(p).map_err(|e| invalid(format!("rule {id}: {e}"))))
                    .collect::<Result<Vec<_>>>()?;
                let unless = if squeezed_unless.is_empty() {
                    None
                } else {
                    Some(
                        RegexSetBuilder::new(squeezed_unless)
                            .size_limit(REGEX_SIZE_LIMIT)
                            .build()
                            .map_err(|e| invalid(format!("rule {id} unless: {e}")))?,
                    )
                };
                for p in squeezed {
                    sources_of_set.push(p);
                    owner.push(rules.len());
                }
                rules.push(Rule { id, kind, author: r.from, weight: r.weight, patterns, unless });
            }
        }
        let set = RegexSetBuilder::new(&sources_of_set)
            .size_limit(REGEX_SIZE_LIMIT * 8)
            .dfa_size_limit(REGEX_SIZE_LIMIT * 2)
            .build()
            .map_err(|e| Error::InvalidData { file: "rule packs".into(), reason: e.to_string() })?;
        Ok(RuleBook { rules, set, owner, languages })
    }

    /// The languages of the compiled packs, in file order.
    pub fn languages(&self) -> &[String] {
        &self.languages
    }

    /// Every compiled rule.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rules that fire on `text` written by `direction`: one pass of the regex set, then a `find` only for
    /// the rules it flagged, to locate their evidence.
    pub fn scan<'r>(&'r self, text: &Normalized, direction: Direction) -> Vec<Hit<'r>> {
        let haystack = text.text();
        let mut hits: Vec<Hit<'r>> = Vec::new();
        let mut last_rule = usize::MAX;
        for pattern in self.set.matches(haystack).iter() {
            let index = self.owner[pattern];
            if index == last_rule {
                continue;
            }
            let rule = &self.rules[index];
            if !rule.author.admits(direction) {
                continue;
            }
            if rule.unless.as_ref().is_some_and(|u| u.is_match(haystack)) {
                last_rule = index;
                continue;
            }
            if let Some(m) = rule.patterns.iter().find_map(|p| p.find(haystack)) {
                if m.start() < m.end() {
                    hits.push(Hit { rule, start: m.start(), end: m.end() });
                    last_rule = index;
                }
            }
        }
        hits
    }
}

/// Vocab entries may use other entries this many levels deep.
const MAX_VOCAB_DEPTH: usize = 4;

/// Replaces each `%name%` with the vocab entry of that name, wrapped in a non-capturing group.
fn expand(pattern: &str, vocab: &HashMap<String, String>) -> std::result::Result<String, String> {
    let mut expanded = pattern.to_owned();
    for _ in 0..MAX_VOCAB_DEPTH {
        if !expanded.contains('%') {
            return Ok(expanded);
        }
        expanded = expand_once(&expanded, vocab)?;
    }
    Err(format!("vocab nested deeper than {MAX_VOCAB_DEPTH} levels in {pattern:?}"))
}

fn expand_once(pattern: &str, vocab: &HashMap<String, String>) -> std::result::Result<String, String> {
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(start) = rest.find('%') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let end = after.find('%').ok_or_else(|| format!("unclosed %name% in {pattern:?}"))?;
        let name = &after[..end];
        let fragment = vocab.get(name).ok_or_else(|| format!("unknown vocab %{name}%"))?;
        out.push_str("(?:");
        out.push_str(fragment);
        out.push(')');
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn compile_one(pattern: &str) -> std::result::Result<Regex, regex::Error> {
    regex::RegexBuilder::new(pattern).size_limit(REGEX_SIZE_LIMIT).build()
}
