//! Rule packs compiled for matching: the embedded packs (prepared by the build script) or packs given at run time.
//!
//! A pack is a list of rules; each names a [`SignalKind`], who must have written the message, a prior weight and
//! regex patterns over the normalised text (see [`super::normalize`]). Adding a language is adding a file to
//! `data/rules/`; the build script embeds every file there.
//!
//! Matching a message runs hundreds of patterns, so a prefilter picks the few that can match. When a pack is
//! prepared, each pattern gets one or two sets of literals such that every match contains a literal of each set;
//! all those literals go into one Aho-Corasick automaton, one pass over the message finds the patterns whose sets
//! are all met, and only those run their own regex, compiled on first use. (One automaton over every pattern at
//! once needs a lazy-DFA cache of tens of megabytes to stay fast on varied chat text.)

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use regex::bytes::{Regex, RegexBuilder};

use super::normalize::Normalized;
pub use super::pack::Author;
use super::pack::{self, Prepared, Role};
use crate::assessment::{Signal, SignalKind};
use crate::error::{Error, Result};
use crate::message::Direction;

/// The embedded packs, prepared at compile time by `build.rs`.
static EMBEDDED: &[u8] = include_bytes!(concat!(env!("OUT_DIR"), "/rules.postcard"));

/// Compiled regexes are bounded so a hostile pack cannot make matching costly.
const REGEX_SIZE_LIMIT: usize = 4 << 20;

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
    /// Marker classes (bits of the message's marker mask) that veto the rule, and that soften it.
    vetoed_by: u64,
    softened_by: u64,
    /// The rule a softened hit is reported as (`<id>~softened`, a gentler signal or weight).
    softened: Option<usize>,
    /// Signal kinds of which the conversation must hold a referent for a hit to count; empty: none needed.
    requires: Vec<SignalKind>,
}

/// One pattern, compiled when a message first makes it a candidate.
#[derive(Debug)]
struct Pattern {
    rule: usize,
    role: Role,
    source: String,
    /// The prefilter hits a message needs, one bit per requirement slot.
    needs: u8,
    regex: OnceLock<Option<Regex>>,
}

impl Pattern {
    /// The first match in `haystack`. Sources were parsed when the pack was prepared, so compiling them again only
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

/// Compiled rule packs: the rules, their patterns and the prefilter that picks the patterns worth running.
#[derive(Debug)]
pub struct RuleBook {
    rules: Vec<Rule>,
    patterns: Vec<Pattern>,
    prefilter: AhoCorasick,
    /// `literal_owner[i]` lists the (pattern, requirement slot) pairs that prefilter literal `i` meets.
    literal_owner: Vec<Vec<(u32, u8)>>,
    /// Patterns without a useful literal, run on every message.
    always: Vec<usize>,
    languages: Vec<String>,
}

impl RuleBook {
    /// The embedded packs. A few milliseconds (the prefilter is built here; regexes compile on first use): the engine
    /// does it once per process.
    pub fn embedded() -> Result<RuleBook> {
        let prepared: Prepared =
            postcard::from_bytes(EMBEDDED).map_err(|e| Error::InvalidData {
                file: "embedded rule packs".into(),
                reason: e.to_string(),
            })?;
        RuleBook::build(prepared)
    }

    /// Compiles packs given as (file name, TOML text). Costly (tens of milliseconds per pack): call it off the main
    /// thread.
    pub fn compile(sources: &[(&str, &str)]) -> Result<RuleBook> {
        let prepared = pack::prepare(sources).map_err(|e| Error::InvalidData {
            file: e.file,
            reason: e.reason,
        })?;
        RuleBook::build(prepared)
    }

    fn build(prepared: Prepared) -> Result<RuleBook> {
        let invalid = |reason: String| Error::InvalidData {
            file: "rule packs".into(),
            reason,
        };
        let kind = |id: &str, name: &str| {
            SignalKind::parse(name)
                .ok_or_else(|| invalid(format!("rule {id}: unknown signal {name:?}")))
        };
        let mut rules = Vec::with_capacity(prepared.rules.len());
        let mut softened = Vec::new();
        for r in prepared.rules {
            let c = r.context;
            if c.softened_by != 0 {
                softened.push(Rule {
                    id: format!("{}~softened", r.id),
                    kind: kind(&r.id, c.soften_signal.as_deref().unwrap_or(&r.signal))?,
                    author: r.author,
                    weight: c.soften_weight,
                    vetoed_by: 0,
                    softened_by: 0,
                    softened: None,
                    requires: Vec::new(),
                });
            }
            rules.push(Rule {
                kind: kind(&r.id, &r.signal)?,
                requires: c
                    .requires
                    .iter()
                    .map(|name| kind(&r.id, name))
                    .collect::<Result<_>>()?,
                id: r.id,
                author: r.author,
                weight: r.weight,
                vetoed_by: c.vetoed_by,
                softened_by: c.softened_by,
                softened: None,
            });
        }
        // Softened variants follow the written rules, so pattern rule indices stay valid.
        let first = rules.len();
        for (index, rule) in (first..).zip(rules.iter_mut().filter(|r| r.softened_by != 0)) {
            rule.softened = Some(index);
        }
        rules.extend(softened);
        let patterns: Vec<Pattern> = prepared
            .patterns
            .into_iter()
            .map(|p| Pattern {
                rule: p.rule as usize,
                role: p.role,
                source: p.source,
                needs: (1u8 << p.requirements) - 1,
                regex: OnceLock::new(),
            })
            .collect();
        let always = (0..patterns.len())
            .filter(|&i| patterns[i].needs == 0)
            .collect();
        let (literals, literal_owner): (Vec<_>, Vec<_>) = prepared
            .literals
            .into_iter()
            .map(|l| (l.bytes, l.meets))
            .unzip();
        let prefilter = AhoCorasick::new(&literals).map_err(|e| invalid(e.to_string()))?;
        Ok(RuleBook {
            rules,
            patterns,
            prefilter,
            literal_owner,
            always,
            languages: prepared.languages,
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

    /// The languages of the compiled packs, in file-name order.
    pub fn languages(&self) -> &[String] {
        &self.languages
    }

    /// Every compiled rule.
    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }

    /// The rules that fire on `text` written by `direction`: one prefilter pass, then a `find` only for the
    /// patterns it flagged, and the `unless` patterns only of rules that matched.
    pub fn scan<'r>(&'r self, text: &Normalized, direction: Direction) -> Vec<Hit<'r>> {
        let haystack = text.text().as_bytes();
        self.scan_candidates(haystack, direction, &self.candidates(haystack))
    }

    /// Which patterns can match `haystack`, by the prefilter: those with every requirement met, in pattern order.
    ///
    /// A message of chat text meets about one literal per byte, many of them more than once, so the literals met
    /// are gathered in a set of one bit per literal (a few hundred bytes, whatever the message's length), which
    /// yields each distinct literal once, in order, before its (pattern, slot) owners are marked.
    fn candidates(&self, haystack: &[u8]) -> Vec<usize> {
        let mut seen = vec![0u64; self.literal_owner.len().div_ceil(64)];
        for m in self.prefilter.find_overlapping_iter(haystack) {
            let literal = m.pattern().as_usize();
            seen[literal / 64] |= 1 << (literal % 64);
        }
        let mut met = vec![0u8; self.patterns.len()];
        let mut touched = Vec::new();
        let literals = seen.iter().enumerate().flat_map(|(at, &word)| {
            // Each step clears the lowest bit set.
            std::iter::successors(Some(word), |bits| Some(bits & bits.wrapping_sub(1)))
                .take_while(|&bits| bits != 0)
                .map(move |bits| at * 64 + bits.trailing_zeros() as usize)
        });
        for literal in literals {
            for &(pattern, slot) in &self.literal_owner[literal] {
                let pattern = pattern as usize;
                if met[pattern] == 0 {
                    touched.push(pattern);
                }
                met[pattern] |= 1 << slot;
            }
        }
        touched.retain(|&p| met[p] == self.patterns[p].needs);
        touched.extend(&self.always);
        touched.sort_unstable();
        touched
    }

    /// Runs the candidate patterns. Only the rules of candidates are looked at: a message makes a handful of the
    /// packs' rules candidates, so nothing here is sized by the packs.
    fn scan_candidates<'r>(
        &'r self,
        haystack: &[u8],
        direction: Direction,
        candidates: &[usize],
    ) -> Vec<Hit<'r>> {
        let candidates = || candidates.iter().map(|&i| &self.patterns[i]);
        // (rule, match, vetoed by its own `unless`), in the order the rules first fired.
        let mut fired: Vec<(usize, (usize, usize), bool)> = Vec::new();
        for pattern in candidates().filter(|p| p.role == Role::Fires) {
            if !fired.iter().any(|f| f.0 == pattern.rule)
                && self.rules[pattern.rule].author.admits(direction)
            {
                if let Some(found) = pattern.find(haystack).filter(|(start, end)| start < end) {
                    fired.push((pattern.rule, found, false));
                }
            }
        }
        if fired.is_empty() {
            return Vec::new();
        }
        for pattern in candidates().filter(|p| p.role == Role::Unless) {
            if let Some(f) = fired.iter_mut().find(|f| f.0 == pattern.rule && !f.2) {
                f.2 = pattern.find(haystack).is_some();
            }
        }
        // Marker classes are matched only when a rule that fired asks for them, and only those it asks for.
        let wanted = fired.iter().fold(0u64, |m, f| {
            m | self.rules[f.0].vetoed_by | self.rules[f.0].softened_by
        });
        let mut markers = 0u64;
        if wanted != 0 {
            for pattern in candidates() {
                if let Role::Marker(bit) = pattern.role {
                    let bit = 1u64 << bit;
                    if wanted & bit != 0 && markers & bit == 0 && pattern.find(haystack).is_some() {
                        markers |= bit;
                    }
                }
            }
        }
        fired.sort_unstable_by_key(|f| f.0);
        fired
            .into_iter()
            .filter_map(|(index, (start, end), vetoed)| {
                let rule = &self.rules[index];
                if vetoed || rule.vetoed_by & markers != 0 {
                    return None;
                }
                let rule = match rule.softened {
                    Some(soft) if rule.softened_by & markers != 0 => &self.rules[soft],
                    _ => rule,
                };
                Some(Hit { rule, start, end })
            })
            .collect()
    }

    /// Drops the signals of rules with `requires` that have no referent: no other signal of a required kind in
    /// the same message and no live evidence of one in the conversation (`live`, as of before the message).
    /// Called by the engine with the conversation's state; cheap (only rules with `requires` are looked up).
    pub fn keep_referenced(&self, signals: &mut Vec<Signal>, live: impl Fn(SignalKind) -> bool) {
        let requires = |s: &Signal| {
            self.rules
                .iter()
                .find(|r| !r.requires.is_empty() && r.id == s.rule)
                .map(|r| &r.requires)
        };
        let keep: Vec<bool> = signals
            .iter()
            .map(|s| {
                requires(s).is_none_or(|kinds| {
                    kinds.iter().any(|k| {
                        live(*k) || signals.iter().any(|o| o.kind == *k && o.rule != s.rule)
                    })
                })
            })
            .collect();
        let mut keep = keep.into_iter();
        signals.retain(|_| keep.next().unwrap_or(true));
    }
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
            let rule = &book.rules[pattern.rule];
            compile_one(&pattern.source).unwrap_or_else(|e| panic!("{}: {e}", rule.id));
        }
    }

    /// Every message text of the fixture corpora.
    fn fixture_texts() -> Vec<String> {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures");
        let mut texts = Vec::new();
        for folder in ["conversations", "validation"] {
            for entry in std::fs::read_dir(root.join(folder)).unwrap() {
                let path = entry.unwrap().path();
                if path.extension().is_some_and(|e| e == "json") {
                    let fixture: serde_json::Value =
                        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
                    for message in fixture["messages"].as_array().unwrap() {
                        texts.push(message["text"].as_str().unwrap().to_owned());
                    }
                }
            }
        }
        texts
    }

    #[test]
    fn the_prefilter_never_hides_a_match() {
        let book = RuleBook::embedded().unwrap();
        let everything: Vec<usize> = (0..book.patterns.len()).collect();
        let texts = fixture_texts();
        assert!(texts.len() > 1000);
        let mut hits = 0;
        for text in &texts {
            let normalized = Normalized::new(text);
            let haystack = normalized.text().as_bytes();
            for direction in [Direction::FromContact, Direction::FromUser] {
                let ids = |found: Vec<Hit>| -> Vec<(String, usize, usize)> {
                    found
                        .iter()
                        .map(|h| (h.rule.id.clone(), h.start, h.end))
                        .collect()
                };
                let filtered = ids(book.scan(&normalized, direction));
                let brute = ids(book.scan_candidates(haystack, direction, &everything));
                assert_eq!(filtered, brute, "{text:?}");
                hits += filtered.len();
            }
        }
        assert!(
            hits > 500,
            "only {hits} hits: the corpus no longer exercises the packs"
        );
    }

    #[test]
    fn a_pattern_waits_for_every_literal_it_requires() {
        let pack =
            "language = 'xx'\n[[rules]]\nid = 'age'\nsignal = 'age_disclosure'\nfrom = 'user'\n\
                    weight = 0.5\npatterns = ['\\bim\\s+(1[0-7])\\b']\n";
        let book = RuleBook::compile(&[("xx.toml", pack)]).unwrap();
        assert_eq!(book.patterns[0].needs, 0b11);
        let candidates = |text: &str| {
            book.candidates(Normalized::new(text).text().as_bytes())
                .len()
        };
        assert_eq!(candidates("im fine"), 0);
        assert_eq!(candidates("room 101"), 0);
        assert_eq!(candidates("im 15"), 1);
    }

    #[test]
    fn bad_packs_are_refused_with_the_file_and_rule_named() {
        let cases = [
            ("language = 'xx'\n[[rules]]\nid = 'a'\nsignal = 'nope'\nweight = 0.5\npatterns = ['x']", "unknown signal"),
            ("language = 'xx'\n[[rules]]\nid = 'a'\nsignal = 'threat'\nweight = 2.0\npatterns = ['x']", "weight"),
            ("language = 'xx'\n[[rules]]\nid = 'a'\nsignal = 'threat'\nweight = 0.5\npatterns = ['%nope%']", "vocab"),
            ("language = 'xx'\n[[rules]]\nid = 'a'\nsignal = 'threat'\nweight = 0.5\npatterns = ['(']", "unclosed group"),
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

    #[test]
    fn markers_veto_and_soften_and_requires_wants_a_referent() {
        let pack = "language = 'xx'\n[markers]\nlaughter = ['\\blol\\b']\nstory = ['\\bnews\\b']\n\
                    [[rules]]\nid = 'has'\nsignal = 'leverage'\nweight = 0.9\npatterns = ['i have it']\n\
                    requires = ['image_request']\nvetoed_by = ['story']\n\
                    [[rules]]\nid = 'die'\nsignal = 'self_harm'\nfrom = 'user'\nweight = 1.0\n\
                    patterns = ['want to die']\nsoften = { by = ['laughter'], signal = 'pleading', weight = 0.1 }\n";
        let book = RuleBook::compile(&[("xx.toml", pack)]).unwrap();
        let hits = |text: &str, d| -> Vec<(String, SignalKind, f32)> {
            book.scan(&Normalized::new(text), d)
                .iter()
                .map(|h| (h.rule.id.clone(), h.rule.kind, h.rule.weight))
                .collect()
        };
        assert_eq!(hits("i have it", Direction::FromContact).len(), 1);
        assert!(hits("i have it, saw it on the news", Direction::FromContact).is_empty());
        assert_eq!(
            hits("i want to die", Direction::FromUser),
            [("xx.die".to_owned(), SignalKind::SelfHarm, 1.0)]
        );
        assert_eq!(
            hits("this test, i want to die lol", Direction::FromUser),
            [("xx.die~softened".to_owned(), SignalKind::Pleading, 0.1)]
        );
        let signal = |kind, rule: &str| Signal {
            kind,
            message_index: 0,
            span: None,
            weight: 0.9,
            rule: rule.to_owned(),
        };
        let mut alone = vec![signal(SignalKind::Leverage, "xx.has")];
        book.keep_referenced(&mut alone, |_| false);
        assert!(alone.is_empty());
        let mut after_request = vec![signal(SignalKind::Leverage, "xx.has")];
        book.keep_referenced(&mut after_request, |k| k == SignalKind::ImageRequest);
        assert_eq!(after_request.len(), 1);
        let mut same_message = vec![
            signal(SignalKind::ImageRequest, "xx.other"),
            signal(SignalKind::Leverage, "xx.has"),
        ];
        book.keep_referenced(&mut same_message, |_| false);
        assert_eq!(same_message.len(), 2);
    }

    #[test]
    fn context_conditions_name_known_classes_and_kinds() {
        let base = "language = 'xx'\n[markers]\nlaughter = ['lol']\n[[rules]]\nid = 'a'\nsignal = 'threat'\n\
                    weight = 0.5\npatterns = ['x']\n";
        for (extra, expected) in [
            ("vetoed_by = ['nope']", "unknown marker class"),
            ("requires = ['nope']", "unknown signal"),
            (
                "soften = { by = ['laughter'], weight = 1.5 }",
                "soften.weight",
            ),
        ] {
            let error = RuleBook::compile(&[("xx.toml", &format!("{base}{extra}\n"))])
                .unwrap_err()
                .to_string();
            assert!(error.contains(expected), "{error}");
        }
    }
}
