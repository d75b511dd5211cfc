//! Rule packs: per-language TOML files embedded at compile time, compiled once into regex sets.
//!
//! A pack is a list of rules; each names a [`SignalKind`], who must have written the message, a prior weight and
//! regex patterns over the normalised text (see [`super::normalize`]). Adding a language is adding a file to
//! `data/rules/` and a line to [`PACK_SOURCES`].
//!
//! Matching a message runs hundreds of patterns, so a keyword prefilter picks the few that can match: every
//! literal that a pattern's matches must start with goes into one Aho-Corasick automaton, and one pass over the
//! message finds the patterns whose literals occur. Only those run their own regex, which is compiled on first
//! use. (One automaton over every pattern at once needs a lazy-DFA cache of tens of megabytes to stay fast on
//! varied chat text; this stays in the microseconds with a small memory footprint.)

use std::collections::HashMap;
use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use regex::bytes::{Regex, RegexBuilder};
use regex_syntax::hir::literal::{ExtractKind, Extractor};
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
/// Bounds on the prefix literals taken from one pattern; past them a pattern is checked on every message.
const MAX_LITERALS_PER_PATTERN: usize = 300;

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
}

/// What a pattern belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Owner {
    Pattern(usize),
    Unless(usize),
}

impl Owner {
    fn rule(self) -> usize {
        match self {
            Owner::Pattern(rule) | Owner::Unless(rule) => rule,
        }
    }
}

/// One expanded, squeezed pattern, compiled when a message first makes it a candidate.
#[derive(Debug)]
struct Pattern {
    owner: Owner,
    source: String,
    regex: OnceLock<Option<Regex>>,
}

impl Pattern {
    /// The first match in `haystack`. Sources were parsed when the book was built, so compiling them again only
    /// fails past the size limit, and such a pattern never matches.
    fn find(&self, haystack: &[u8]) -> Option<(usize, usize)> {
        let regex = self
            .regex
            .get_or_init(|| compile_one(&self.source).ok())
            .as_ref()?;
        regex.find(haystack).map(|m| (m.start(), m.end()))
    }
}

/// A rule that fired on a message, with the normalised byte range of its first match.
#[derive(Debug, Clone, Copy)]
pub struct Hit<'r> {
    pub rule: &'r Rule,
    pub start: usize,
    pub end: usize,
}

/// Every pack compiled into one multi-pattern regex for a single pass per message.
#[derive(Debug)]
pub struct RuleBook {
    rules: Vec<Rule>,
    /// Every pattern and `unless` pattern of every rule, in rule order.
    patterns: Vec<Pattern>,
    /// Prefix literals; `literal_owner[i]` is the pattern that literal `i` came from.
    prefilter: AhoCorasick,
    literal_owner: Vec<usize>,
    /// Patterns without a usable literal prefix, checked on every message.
    always: Vec<usize>,
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
        let mut patterns = Vec::new();
        let mut languages = Vec::new();
        for (file, text) in sources {
            let invalid = |reason: String| Error::InvalidData {
                file: (*file).to_owned(),
                reason,
            };
            let pack: PackFile = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
            languages.push(pack.language.clone());
            for r in pack.rules {
                let kind = SignalKind::parse(&r.signal).ok_or_else(|| {
                    invalid(format!("rule {}: unknown signal {:?}", r.id, r.signal))
                })?;
                if !(0.0..=1.0).contains(&r.weight) {
                    return Err(invalid(format!(
                        "rule {}: weight must be within 0..1",
                        r.id
                    )));
                }
                if r.patterns.is_empty() {
                    return Err(invalid(format!("rule {}: no patterns", r.id)));
                }
                let id = format!("{}.{}", pack.language, r.id);
                if rules.iter().any(|x: &Rule| x.id == id) {
                    return Err(invalid(format!("rule {id} is defined twice")));
                }
                let prepare = |p: &String| {
                    expand(p, &pack.vocab)
                        .map(|p| squeeze_pattern(&p))
                        .map_err(|e| invalid(format!("rule {id}: {e}")))
                };
                let index = rules.len();
                let owned = r.patterns.iter().map(|p| (Owner::Pattern(index), p));
                for (owner, p) in owned.chain(r.unless.iter().map(|p| (Owner::Unless(index), p))) {
                    patterns.push(Pattern {
                        owner,
                        source: prepare(p)?,
                        regex: OnceLock::new(),
                    });
                }
                rules.push(Rule {
                    id,
                    kind,
                    author: r.from,
                    weight: r.weight,
                });
            }
        }
        let mut extractor = Extractor::new();
        extractor
            .kind(ExtractKind::Prefix)
            .limit_class(16)
            .limit_repeat(4)
            .limit_total(MAX_LITERALS_PER_PATTERN);
        let mut literals = Vec::new();
        let mut literal_owner = Vec::new();
        let mut always = Vec::new();
        let mut parser = regex_syntax::ParserBuilder::new();
        parser.unicode(false).utf8(false);
        for (i, pattern) in patterns.iter().enumerate() {
            let hir = parser
                .build()
                .parse(&pattern.source)
                .map_err(|e| Error::InvalidData {
                    file: "rule packs".into(),
                    reason: format!("rule {}: {e}", rules[pattern.owner.rule()].id),
                })?;
            match extractor.extract(&hir).literals() {
                Some(found)
                    if !found.is_empty() && found.iter().all(|l| !l.as_bytes().is_empty()) =>
                {
                    for literal in found {
                        literals.push(literal.as_bytes().to_vec());
                        literal_owner.push(i);
                    }
                }
                _ => always.push(i),
            }
        }
        let prefilter = AhoCorasick::new(&literals).map_err(|e| Error::InvalidData {
            file: "rule packs".into(),
            reason: e.to_string(),
        })?;
        Ok(RuleBook {
            rules,
            patterns,
            prefilter,
            literal_owner,
            always,
            languages,
        })
    }

    /// Compiles every pattern's own regex now rather than when a message first needs it. The engine calls this on
    /// its background thread after building the book, so early messages rarely pay for a compilation.
    pub fn compile_all(&self) {
        for pattern in &self.patterns {
            pattern
                .regex
                .get_or_init(|| compile_one(&pattern.source).ok());
        }
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
        let haystack = text.text().as_bytes();
        let mut candidate = vec![false; self.patterns.len()];
        for &i in &self.always {
            candidate[i] = true;
        }
        for m in self.prefilter.find_overlapping_iter(haystack) {
            candidate[self.literal_owner[m.pattern().as_usize()]] = true;
        }
        let mut vetoed = vec![false; self.rules.len()];
        let mut found: Vec<Option<(usize, usize)>> = vec![None; self.rules.len()];
        for (pattern, _) in self.patterns.iter().zip(&candidate).filter(|(_, c)| **c) {
            match pattern.owner {
                Owner::Pattern(rule)
                    if found[rule].is_none() && self.rules[rule].author.admits(direction) =>
                {
                    found[rule] = pattern.find(haystack).filter(|(start, end)| start < end);
                }
                Owner::Unless(rule) if !vetoed[rule] => {
                    vetoed[rule] = pattern.find(haystack).is_some()
                }
                _ => {}
            }
        }
        self.rules
            .iter()
            .zip(found)
            .zip(vetoed)
            .filter_map(|((rule, found), vetoed)| match found {
                Some((start, end)) if !vetoed => Some(Hit { rule, start, end }),
                _ => None,
            })
            .collect()
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
    Err(format!(
        "vocab nested deeper than {MAX_VOCAB_DEPTH} levels in {pattern:?}"
    ))
}

fn expand_once(
    pattern: &str,
    vocab: &HashMap<String, String>,
) -> std::result::Result<String, String> {
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(start) = rest.find('%') {
        out.push_str(&rest[..start]);
        let after = &rest[start + 1..];
        let end = after
            .find('%')
            .ok_or_else(|| format!("unclosed %name% in {pattern:?}"))?;
        let name = &after[..end];
        let fragment = vocab
            .get(name)
            .ok_or_else(|| format!("unknown vocab %{name}%"))?;
        out.push_str("(?:");
        out.push_str(fragment);
        out.push(')');
        rest = &after[end + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

fn compile_one(pattern: &str) -> std::result::Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .size_limit(REGEX_SIZE_LIMIT)
        .unicode(false)
        .build()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_packs_compile_and_every_rule_finds_its_own_words() {
        let book = RuleBook::embedded().expect("embedded packs compile");
        assert!(book.languages().len() >= 3);
        for pattern in &book.patterns {
            let rule = &book.rules[pattern.owner.rule()];
            compile_one(&pattern.source).unwrap_or_else(|e| panic!("{}: {e}", rule.id));
        }
    }

    #[test]
    fn bad_packs_are_refused_with_the_file_and_rule_named() {
        let cases = [
            ("language = 'xx'\n[[rules]]\nid = 'a'\nsignal = 'nope'\nweight = 0.5\npatterns = ['x']", "unknown signal"),
            ("language = 'xx'\n[[rules]]\nid = 'a'\nsignal = 'threat'\nweight = 2.0\npatterns = ['x']", "weight"),
            ("language = 'xx'\n[[rules]]\nid = 'a'\nsignal = 'threat'\nweight = 0.5\npatterns = ['%nope%']", "vocab"),
            ("language = 'xx'\n[[rules]]\nid = 'a'\nsignal = 'threat'\nweight = 0.5\npatterns = ['(']", "rule packs"),
            ("language = 'xx'\n[[rules]]\nid = 'a'\nsignal = 'threat'\nweight = 0.5\npatterns = []", "no patterns"),
        ];
        for (source, expected) in cases {
            let error = RuleBook::compile(&[("xx.toml", source)])
                .unwrap_err()
                .to_string();
            assert!(error.contains(expected), "{error}");
        }
    }

    #[test]
    fn unless_vetoes_a_rule_and_authorship_is_respected() {
        let pack = "language = 'xx'\n[vocab]\npic = 'pics?'\n[[rules]]\nid = 'req'\nsignal = 'image_request'\n\
                    weight = 0.5\npatterns = ['send %pic%']\nunless = ['homework']\n";
        let book = RuleBook::compile(&[("xx.toml", pack)]).unwrap();
        let scan = |text: &str, d| book.scan(&Normalized::new(text), d).len();
        assert_eq!(scan("send pics", Direction::FromContact), 1);
        assert_eq!(scan("send pics of the homework", Direction::FromContact), 0);
        assert_eq!(scan("send pics", Direction::FromUser), 0);
    }
}
