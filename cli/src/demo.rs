//! `haven demo`: replays a few embedded conversations as a chat, with the level, the cited words and the
//! intervention card as they change.

use std::io::IsTerminal;
use std::time::Duration;

use haven_core::{Assessment, Direction, Intervention, InterventionKind, Level};

use haven_cli::fixture::Fixture;

/// Conversations replayed by default: the full script, grooming over days, a French one and a benign chat.
const DEMO_FIXTURES: &[&str] = &[
    include_str!("../../fixtures/conversations/sx-full-script-01.json"),
    include_str!("../../fixtures/conversations/gr-meetup-04.json"),
    include_str!("../../fixtures/conversations/fr-sx-snap-01.json"),
    include_str!("../../fixtures/conversations/bn-venmo-pizza-03.json"),
];

/// Arguments of `haven demo`.
#[derive(clap::Args)]
pub struct DemoArgs {
    /// Pause between messages in milliseconds (default: 350 on a terminal, 0 otherwise).
    #[arg(long)]
    pub delay_ms: Option<u64>,
}

struct Style {
    color: bool,
}

impl Style {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_owned()
        }
    }

    fn level(&self, level: Level) -> String {
        let code = match level {
            Level::None => "2",
            Level::Low => "36",
            Level::Medium => "33",
            Level::High => "31",
            Level::Critical => "1;41;97",
        };
        let filled = level as usize;
        let bar: String = (0..4).map(|i| if i < filled { '■' } else { '□' }).collect();
        self.paint(code, &format!("{:<8} {bar}", level.as_str()))
    }
}

pub fn run(args: DemoArgs) -> Result<(), String> {
    let terminal = std::io::stdout().is_terminal();
    let delay = Duration::from_millis(args.delay_ms.unwrap_or(if terminal { 350 } else { 0 }));
    let style = Style { color: terminal };
    for source in DEMO_FIXTURES {
        let fixture: Fixture = serde_json::from_str(source).map_err(|e| e.to_string())?;
        replay(&fixture, &style, delay)?;
    }
    Ok(())
}

fn replay(f: &Fixture, style: &Style, delay: Duration) -> Result<(), String> {
    let contact = f.contact.as_ref().map_or("contact: unknown".to_owned(), |c| {
        format!(
            "contact: {}, {} mutual friends, account {} days old",
            if c.new_contact { "new" } else { "known" },
            c.mutual_connections.map_or("?".into(), |m| m.to_string()),
            c.account_age_days.map_or("?".into(), |d| d.to_string()),
        )
    });
    println!();
    println!("{}", style.paint("1", &format!("━━ {} ━━ {} · teen {} in {}", f.id, f.locale, age(f), f.user.region)));
    println!("   {contact}");
    let assessments = f.run().map_err(|e| e.to_string())?;
    let mut shown: Option<(InterventionKind, haven_core::Topic)> = None;
    for ((message, raw), a) in f.messages().zip(&f.messages).zip(&assessments) {
        std::thread::sleep(delay);
        let who = match message.direction {
            Direction::FromContact => style.paint("35", "contact"),
            Direction::FromUser => style.paint("34", "   teen"),
        };
        let attachment = if raw.attachments.is_empty() { String::new() } else { format!(" [{:?}]", raw.attachments) };
        println!("{who} ▸ {}{attachment}", message.text);
        println!("          {} stage {:<13} {}", style.level(a.level), a.stage.as_str(), cited(&message.text, a));
        let now = (a.intervention.kind, a.intervention.topic);
        if a.intervention.kind != InterventionKind::None && shown != Some(now) {
            card(&a.intervention, style);
        }
        shown = Some(now);
    }
    Ok(())
}

fn age(f: &Fixture) -> String {
    f.user.age.map_or("?".into(), |a| a.to_string())
}

/// The signals of this message with the exact words that triggered them.
fn cited(text: &str, a: &Assessment) -> String {
    a.signals
        .iter()
        .map(|s| match s.span {
            Some(span) => {
                let words: String = text.chars().skip(span.start as usize).take((span.end - span.start) as usize).collect();
                format!("{} «{words}»", s.kind.as_str())
            }
            None => s.kind.as_str().to_owned(),
        })
        .collect::<Vec<_>>()
        .join("  ")
}

fn card(i: &Intervention, style: &Style) {
    let code = match i.kind {
        InterventionKind::Crisis => "1;31",
        InterventionKind::Warning => "31",
        InterventionKind::Caution => "33",
        _ => "36",
    };
    let bar = style.paint(code, "│");
    println!("          {}", style.paint(code, &format!("┌─ {} · {}", i.kind.as_str().to_uppercase(), i.headline)));
    for line in wrap(&i.body, 72) {
        println!("          {bar} {line}");
    }
    let actions: Vec<String> = i.actions.iter().map(|a| format!("[{}]", a.label)).collect();
    if !actions.is_empty() {
        println!("          {bar} {}", actions.join(" "));
    }
    for r in &i.resources {
        let reach: Vec<&str> = [r.phone.as_deref(), r.sms.as_deref().map(|_| "text"), r.url.as_deref()]
            .into_iter()
            .flatten()
            .collect();
        println!("          {bar} ☎ {} — {}", r.name, reach.join(" · "));
    }
    println!("          {}", style.paint(code, "└─"));
}

fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = vec![String::new()];
    for word in text.split_whitespace() {
        let line = lines.last_mut().expect("never empty");
        if !line.is_empty() && line.chars().count() + word.chars().count() >= width {
            lines.push(word.to_owned());
        } else {
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(word);
        }
    }
    lines
}
