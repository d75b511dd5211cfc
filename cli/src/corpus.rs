//! `haven corpus`: measures how often the engine raises its level on plain real text (one message per line, or
//! one `__eou__`-separated dialogue per line), with the rules that fire most and an example span for each. The
//! semantics are agreed in the project's corpus spec and documented in docs/detection.md; the Python helper
//! computes the same numbers.

use std::collections::HashMap;
use std::io::Read;
use std::path::PathBuf;

use haven_core::{
    ContactContext, Direction, Engine, EngineConfig, InterventionKind, Level, Message,
};

/// Largest input file read, in bytes; a bigger file is refused rather than read partially.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// Characters kept of a rule's example span.
const EXAMPLE_CHARS: usize = 120;
/// Time of a conversation's first message, and the gap between messages.
const START_MS: i64 = 1_700_000_000_000;
const STEP_MS: i64 = 60_000;

/// How the lines of a file become conversations.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// One message per line; consecutive lines form conversations of `--window` messages.
    Lines,
    /// One conversation per line, turns separated by `__eou__`.
    Dialogs,
}

/// What the engine is told about the contact of every conversation.
#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Contact {
    /// No contact context.
    Unknown,
    /// An established contact: many mutual connections, old account, known for over a year.
    Known,
    /// A brand-new contact with no mutual connections and a three-day-old account.
    New,
}

/// Arguments of `haven corpus`.
#[derive(clap::Args)]
pub struct CorpusArgs {
    /// Plain UTF-8 text files.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// How lines become conversations.
    #[arg(long, value_enum)]
    pub format: Format,
    /// Messages per conversation with `--format lines` (ignored for dialogs).
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    pub window: u32,
    /// Contact context set on every conversation.
    #[arg(long, value_enum, default_value_t = Contact::Unknown)]
    pub contact: Contact,
    /// Rules listed, most frequent first.
    #[arg(long, default_value_t = 20)]
    pub top: usize,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    pub json: bool,
}

/// Counts per level, indexed by `Level as usize`.
type LevelCounts = [u64; 5];

struct RuleTally {
    signal: &'static str,
    count: u64,
    example: String,
}

#[derive(Default)]
struct Tally {
    conversations: u64,
    messages: u64,
    levels: LevelCounts,
    message_levels: LevelCounts,
    crisis_cards: u64,
    rules: HashMap<String, RuleTally>,
}

const LEVELS: [Level; 5] = [
    Level::None,
    Level::Low,
    Level::Medium,
    Level::High,
    Level::Critical,
];

fn level_index(level: Level) -> usize {
    LEVELS.iter().position(|l| *l == level).unwrap_or(0)
}

fn read_lines(path: &PathBuf) -> Result<Vec<String>, String> {
    let file = std::fs::File::open(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("{}: {e}", path.display()))?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(format!(
            "{}: larger than the {} MiB a corpus file may have",
            path.display(),
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    Ok(String::from_utf8_lossy(&bytes)
        .lines()
        .map(|l| l.trim_end_matches(['\r', '\n']).to_owned())
        .filter(|l| !l.is_empty())
        .collect())
}

/// Splits a file's lines into conversations as the format says.
fn conversations(lines: Vec<String>, format: Format, window: usize) -> Vec<Vec<String>> {
    match format {
        Format::Lines => lines.chunks(window).map(<[String]>::to_vec).collect(),
        Format::Dialogs => lines
            .iter()
            .map(|line| {
                line.split("__eou__")
                    .map(str::trim)
                    .filter(|t| !t.is_empty())
                    .map(str::to_owned)
                    .collect::<Vec<_>>()
            })
            .filter(|turns| !turns.is_empty())
            .collect(),
    }
}

fn contact_context(contact: Contact) -> Option<ContactContext> {
    match contact {
        Contact::Unknown => None,
        Contact::Known => Some(ContactContext {
            new_contact: false,
            mutual_connections: Some(25),
            account_age_days: Some(1000),
            known_for_days: Some(400),
        }),
        Contact::New => Some(ContactContext {
            new_contact: true,
            mutual_connections: Some(0),
            account_age_days: Some(3),
            known_for_days: Some(0),
        }),
    }
}

fn example(text: &str, start: u32, end: u32) -> String {
    text.chars()
        .skip(start as usize)
        .take((end.saturating_sub(start) as usize).min(EXAMPLE_CHARS))
        .collect()
}

impl Tally {
    fn observe_conversation(
        &mut self,
        engine: &Engine,
        id: &str,
        turns: &[String],
        contact: Option<&ContactContext>,
    ) -> Result<(), String> {
        if let Some(c) = contact {
            engine.set_contact(id, *c).map_err(|e| e.to_string())?;
        }
        let mut highest = Level::None;
        let mut crisis = false;
        for (i, text) in turns.iter().enumerate() {
            let message = Message {
                direction: if i % 2 == 0 {
                    Direction::FromContact
                } else {
                    Direction::FromUser
                },
                text: text.clone(),
                timestamp_ms: START_MS + i as i64 * STEP_MS,
                attachments: Vec::new(),
            };
            let a = engine.observe(id, message).map_err(|e| e.to_string())?;
            self.messages += 1;
            self.message_levels[level_index(a.level)] += 1;
            highest = highest.max(a.level);
            crisis |= a.intervention.kind == InterventionKind::Crisis;
            let mut seen: Vec<&str> = Vec::new();
            for s in a
                .signals
                .iter()
                .filter(|s| s.message_index == a.message_index)
            {
                if seen.contains(&s.rule.as_str()) {
                    continue;
                }
                seen.push(&s.rule);
                let entry = self
                    .rules
                    .entry(s.rule.clone())
                    .or_insert_with(|| RuleTally {
                        signal: s.kind.as_str(),
                        count: 0,
                        example: s
                            .span
                            .as_ref()
                            .map(|sp| example(text, sp.start, sp.end))
                            .unwrap_or_default(),
                    });
                entry.count += 1;
            }
        }
        engine.forget(id);
        self.conversations += 1;
        self.levels[level_index(highest)] += 1;
        self.crisis_cards += u64::from(crisis);
        Ok(())
    }

    fn at_or_above(&self, level: Level) -> u64 {
        self.levels[level_index(level)..].iter().sum()
    }

    fn top_rules(&self, k: usize) -> Vec<(&String, &RuleTally)> {
        let mut rules: Vec<(&String, &RuleTally)> = self.rules.iter().collect();
        rules.sort_by(|a, b| b.1.count.cmp(&a.1.count).then_with(|| a.0.cmp(b.0)));
        rules.truncate(k);
        rules
    }
}

fn levels_json(counts: &LevelCounts) -> serde_json::Value {
    LEVELS
        .iter()
        .zip(counts)
        .map(|(l, n)| (l.as_str().to_owned(), serde_json::json!(n)))
        .collect::<serde_json::Map<_, _>>()
        .into()
}

fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        "-".to_owned()
    } else {
        format!("{:.2}%", part as f64 * 100.0 / whole as f64)
    }
}

pub fn run(args: CorpusArgs) -> Result<(), String> {
    let engine = Engine::new(EngineConfig::default()).map_err(|e| e.to_string())?;
    let contact = contact_context(args.contact);
    let mut tally = Tally::default();
    for path in &args.paths {
        let lines = read_lines(path)?;
        for turns in conversations(lines, args.format, args.window as usize) {
            let id = format!("corpus-{}", tally.conversations);
            tally.observe_conversation(&engine, &id, &turns, contact.as_ref())?;
        }
    }
    let top = tally.top_rules(args.top);
    if args.json {
        let rules: Vec<serde_json::Value> = top
            .iter()
            .map(|(id, r)| {
                serde_json::json!({"rule": id, "signal": r.signal, "count": r.count, "example": r.example})
            })
            .collect();
        let out = serde_json::json!({
            "conversations": tally.conversations,
            "messages": tally.messages,
            "levels": levels_json(&tally.levels),
            "message_levels": levels_json(&tally.message_levels),
            "medium_or_above": tally.at_or_above(Level::Medium),
            "high_or_above": tally.at_or_above(Level::High),
            "critical": tally.at_or_above(Level::Critical),
            "crisis_cards": tally.crisis_cards,
            "rules": rules,
        });
        println!("{out}");
        return Ok(());
    }
    let n = tally.conversations;
    println!("conversations {n}, messages {}", tally.messages);
    println!(
        "{:<10} {:>14} {:>9} {:>10} {:>9}",
        "level", "conversations", "share", "messages", "share"
    );
    for (i, l) in LEVELS.iter().enumerate() {
        println!(
            "{:<10} {:>14} {:>9} {:>10} {:>9}",
            l.as_str(),
            tally.levels[i],
            percent(tally.levels[i], n),
            tally.message_levels[i],
            percent(tally.message_levels[i], tally.messages)
        );
    }
    for (name, count) in [
        ("medium or above", tally.at_or_above(Level::Medium)),
        ("high or above", tally.at_or_above(Level::High)),
        ("critical", tally.at_or_above(Level::Critical)),
        ("crisis cards", tally.crisis_cards),
    ] {
        println!("{name:<16} {count:>7} {:>9}", percent(count, n));
    }
    println!("top rules (messages where each fired):");
    for (id, r) in top {
        println!("{:>7}  {id}  [{}]  {:?}", r.count, r.signal, r.example);
    }
    Ok(())
}
