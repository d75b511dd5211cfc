//! Rule pack sources: the TOML schema, `%vocab%` expansion, pattern squeezing and the prefilter's required
//! literals. Shared by the build script, which prepares the embedded packs at compile time, and by
//! [`super::rules::RuleBook::compile`] for packs given at run time.

use std::collections::{BTreeMap, HashMap};

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Hir, HirKind};
use serde::{Deserialize, Serialize};

use super::context::{ContextFile, MarkerClasses, PreparedContext, SoftenFile};
use super::squeeze::squeeze_pattern;

/// Bound on the literals taken from one pattern; past it a pattern is checked on every message.
const MAX_LITERALS_PER_PATTERN: usize = 300;
/// Required literals are cut to this many bytes: longer ones hardly filter better, and fewer distinct literals keep
/// the automaton small and quick to build.
const MAX_LITERAL_BYTES: usize = 8;
/// Vocab entries may use other entries this many levels deep.
const MAX_VOCAB_DEPTH: usize = 4;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PackFile {
    language: String,
    /// Named pattern fragments, written `%name%` in patterns.
    #[serde(default)]
    vocab: HashMap<String, String>,
    /// Marker classes for the rules' context conditions (see [`super::context`]).
    #[serde(default)]
    markers: BTreeMap<String, Vec<String>>,
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
    #[serde(default)]
    requires: Vec<String>,
    #[serde(default)]
    vetoed_by: Vec<String>,
    #[serde(default)]
    soften: Option<SoftenFile>,
}

/// Who must have written a message for a rule to apply.
#[derive(Serialize, Deserialize, Default, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "lowercase")]
pub enum Author {
    #[default]
    Contact,
    User,
    Any,
}

/// Packs ready to compile: rules, their expanded patterns and the prefilter's literals.
#[derive(Serialize, Deserialize, Debug)]
pub struct Prepared {
    /// The packs' languages, in the order the files were given.
    pub languages: Vec<String>,
    pub rules: Vec<PreparedRule>,
    /// Every pattern and `unless` pattern of every rule, in rule order, after each pack's marker patterns.
    pub patterns: Vec<PreparedPattern>,
    pub literals: Vec<PrefilterLiteral>,
}

/// A literal of the prefilter and the requirements it meets: (pattern index, requirement slot) pairs.
#[derive(Serialize, Deserialize, Debug)]
pub struct PrefilterLiteral {
    pub bytes: Vec<u8>,
    pub meets: Vec<(u32, u8)>,
}

/// A rule as written, its id prefixed with the pack's language (`en.payment.gift_card`).
#[derive(Serialize, Deserialize, Debug)]
pub struct PreparedRule {
    pub id: String,
    /// The signal's name, checked against the signal kinds when the book is built.
    pub signal: String,
    pub author: Author,
    pub weight: f32,
    pub context: PreparedContext,
}

/// One expanded, squeezed pattern of a rule.
#[derive(Serialize, Deserialize, Debug)]
pub struct PreparedPattern {
    /// Index of the rule in [`Prepared::rules`].
    pub rule: u32,
    pub role: Role,
    pub source: String,
    /// How many literal sets a message must hit for this pattern to be worth running (each set in one slot); zero
    /// means every message.
    pub requirements: u8,
}

/// What a pattern does when it matches.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Fires its rule.
    Fires,
    /// Vetoes its rule.
    Unless,
    /// Puts a marker of this class (a bit of the message's marker mask) on the message; `rule` is unused.
    Marker(u8),
}

/// Why a pack could not be prepared.
#[derive(Debug)]
pub struct PackError {
    pub file: String,
    pub reason: String,
}

/// Parses, expands and squeezes packs given as (file name, TOML text), and finds their prefilter literals.
/// Costly (about a hundred milliseconds for the embedded packs): the build script does it for those.
pub fn prepare(sources: &[(&str, &str)]) -> Result<Prepared, PackError> {
    let mut prepared = Prepared {
        languages: Vec::new(),
        rules: Vec::new(),
        patterns: Vec::new(),
        literals: Vec::new(),
    };
    let mut literal_index: HashMap<Vec<u8>, usize> = HashMap::new();
    let mut parser = regex_syntax::ParserBuilder::new();
    parser.unicode(false).utf8(false);
    let mut classes = MarkerClasses::default();
    for (file, text) in sources {
        let invalid = |reason: String| PackError {
            file: (*file).to_owned(),
            reason,
        };
        let pack: PackFile = toml::from_str(text).map_err(|e| invalid(e.to_string()))?;
        let markers = classes
            .add(&pack.language, &pack.markers)
            .map_err(invalid)?;
        for (bit, p) in markers {
            add_pattern(
                &mut prepared,
                &mut literal_index,
                &parser,
                &pack.vocab,
                p,
                0,
                Role::Marker(bit),
            )
            .map_err(|e| invalid(format!("markers: {e}")))?;
        }
        for r in pack.rules {
            let id = format!("{}.{}", pack.language, r.id);
            if !(0.0..=1.0).contains(&r.weight) {
                return Err(invalid(format!("rule {id}: weight must be within 0..1")));
            }
            if r.patterns.is_empty() {
                return Err(invalid(format!("rule {id}: no patterns")));
            }
            if prepared.rules.iter().any(|x| x.id == id) {
                return Err(invalid(format!("rule {id} is defined twice")));
            }
            let rule = prepared.rules.len() as u32;
            let context = ContextFile {
                requires: r.requires,
                vetoed_by: r.vetoed_by,
                soften: r.soften,
            };
            let context = classes
                .prepare(&pack.language, context)
                .map_err(|e| invalid(format!("rule {id}: {e}")))?;
            let fires = r.patterns.iter().map(|p| (Role::Fires, p));
            for (role, p) in fires.chain(r.unless.iter().map(|p| (Role::Unless, p))) {
                add_pattern(
                    &mut prepared,
                    &mut literal_index,
                    &parser,
                    &pack.vocab,
                    p,
                    rule,
                    role,
                )
                .map_err(|e| invalid(format!("rule {id}: {e}")))?;
            }
            prepared.rules.push(PreparedRule {
                id,
                signal: r.signal,
                author: r.from,
                weight: r.weight,
                context,
            });
        }
        prepared.languages.push(pack.language);
    }
    Ok(prepared)
}

/// Expands, squeezes and parses one pattern, registers its prefilter literals and appends it.
fn add_pattern(
    prepared: &mut Prepared,
    literal_index: &mut HashMap<Vec<u8>, usize>,
    parser: &regex_syntax::ParserBuilder,
    vocab: &HashMap<String, String>,
    pattern: &str,
    rule: u32,
    role: Role,
) -> Result<(), String> {
    let source = expand(pattern, vocab).map(|p| squeeze_pattern(&p))?;
    let hir = parser.build().parse(&source).map_err(|e| e.to_string())?;
    let index = prepared.patterns.len() as u32;
    let requirements = required_literals(&hir);
    for (slot, set) in requirements.iter().enumerate() {
        for literal in set {
            let literal = &literal[..literal.len().min(MAX_LITERAL_BYTES)];
            let next = prepared.literals.len();
            let at = *literal_index.entry(literal.to_vec()).or_insert(next);
            if at == next {
                prepared.literals.push(PrefilterLiteral {
                    bytes: literal.to_vec(),
                    meets: Vec::new(),
                });
            }
            let owners = &mut prepared.literals[at].meets;
            if !owners.contains(&(index, slot as u8)) {
                owners.push((index, slot as u8));
            }
        }
    }
    prepared.patterns.push(PreparedPattern {
        rule,
        role,
        source,
        requirements: requirements.len() as u8,
    });
    Ok(())
}

/// Replaces each `%name%` with the vocab entry of that name, wrapped in a non-capturing group.
fn expand(pattern: &str, vocab: &HashMap<String, String>) -> Result<String, String> {
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

fn expand_once(pattern: &str, vocab: &HashMap<String, String>) -> Result<String, String> {
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

/// Sets of literals such that every match of `hir` contains a literal of each set: at most two, the least likely
/// to occur, and none when no useful set is known.
///
/// Prefix literals alone are weak: `\b(mon|ton|l')\s*walet` must start with `l`, which nearly every message
/// contains, but it must also contain `walet`. So every suffix of every concatenation is offered as a place to take
/// prefix literals from and alternations join their branches' sets. A second set, required by another part of a
/// concatenation, lets `\bj'ai\s+(1[0-7])\b` wait for both `j'ai` and a digit.
fn required_literals(hir: &Hir) -> Vec<Vec<Vec<u8>>> {
    let mut extractor = Extractor::new();
    extractor
        .kind(ExtractKind::Prefix)
        .limit_class(16)
        .limit_repeat(4)
        .limit_total(MAX_LITERALS_PER_PATTERN);
    let mut hir = hir;
    while let HirKind::Capture(capture) = hir.kind() {
        hir = &capture.sub;
    }
    let Some(best) = best_required(hir, &extractor) else {
        return Vec::new();
    };
    let mut parts: Vec<Vec<Vec<u8>>> = match hir.kind() {
        HirKind::Concat(children) => children
            .iter()
            .filter_map(|c| best_required(c, &extractor))
            .filter(|part| !implied_by(part, &best))
            .collect(),
        _ => Vec::new(),
    };
    parts.sort_by(|a, b| hit_chance(a).total_cmp(&hit_chance(b)));
    std::iter::once(best)
        .chain(parts.into_iter().take(1))
        .collect()
}

/// Whether every literal of `set` contains one of `part`, so that meeting `set` always meets `part` too.
fn implied_by(part: &[Vec<u8>], set: &[Vec<u8>]) -> bool {
    set.iter().all(|literal| {
        part.iter()
            .any(|p| literal.windows(p.len()).any(|w| w == p.as_slice()))
    })
}

/// A rough chance that a message contains one of `literals`: each byte of a literal is taken to match one time
/// in eight, which ranks long literals above short ones and few above many.
fn hit_chance(literals: &[Vec<u8>]) -> f64 {
    literals
        .iter()
        .map(|l| 0.125f64.powi(l.len().min(MAX_LITERAL_BYTES) as i32))
        .sum()
}

fn best_required(hir: &Hir, extractor: &Extractor) -> Option<Vec<Vec<u8>>> {
    let prefixes = |h: &Hir| -> Option<Vec<Vec<u8>>> {
        let found = extractor.extract(h);
        // Normalised text writes every space as ' ', so a literal with any other whitespace never occurs.
        let set: Vec<Vec<u8>> = found
            .literals()?
            .iter()
            .map(|l| l.as_bytes())
            .filter(|l| {
                !l.iter()
                    .any(|b| matches!(b, b'\t' | b'\n' | 0x0b | 0x0c | b'\r'))
            })
            .map(<[u8]>::to_vec)
            .collect();
        (!set.is_empty() && set.iter().all(|l| !l.is_empty())).then_some(set)
    };
    let mut offers = vec![prefixes(hir)];
    match hir.kind() {
        HirKind::Concat(children) => {
            for start in 1..children.len() {
                offers.push(prefixes(&Hir::concat(children[start..].to_vec())));
            }
            offers.extend(children.iter().map(|c| best_required(c, extractor)));
        }
        HirKind::Alternation(branches) => {
            let sets: Option<Vec<Vec<Vec<u8>>>> = branches
                .iter()
                .map(|b| best_required(b, extractor))
                .collect();
            offers.push(
                sets.map(|s| s.concat())
                    .filter(|s| s.len() <= MAX_LITERALS_PER_PATTERN),
            );
        }
        HirKind::Capture(capture) => offers.push(best_required(&capture.sub, extractor)),
        HirKind::Repetition(repetition) if repetition.min > 0 => {
            offers.push(best_required(&repetition.sub, extractor))
        }
        _ => {}
    }
    offers
        .into_iter()
        .flatten()
        .min_by(|a, b| hit_chance(a).total_cmp(&hit_chance(b)))
}
