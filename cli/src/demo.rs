//! `haven demo`: replays a few embedded conversations as a chat, with the level, the cited words and the
//! intervention card as they change.

use std::io::IsTerminal;
use std::time::Duration;

use std::path::Path;

use haven_core::image::{ImageInput, ModelSource};
use haven_core::{
    Assessment, Attachment, Direction, Engine, EngineConfig, Intervention, InterventionKind, Level,
};

use haven_cli::fixture::Fixture;

/// Conversations replayed by default: the full script, grooming over days, a French one and a benign chat.
const DEMO_FIXTURES: &[&str] = &[
    include_str!("../../fixtures/conversations/sx-full-script-01.json"),
    include_str!("../../fixtures/conversations/gr-meetup-04.json"),
    include_str!("../../fixtures/conversations/fr-sx-snap-01.json"),
    include_str!("../../fixtures/conversations/bn-venmo-pizza-03.json"),
];

/// The image check shown inside the first conversation: a benign photo, checked by a tiny synthetic model whose
/// output is fixed to "explicit" so the pause card can be shown without any real explicit imagery.
const DEMO_PHOTO: &[u8] = include_bytes!("../../fixtures/images/chelsea_cat.jpg");
const SYNTHETIC_MODEL: &[u8] = include_bytes!("../../fixtures/models/synthetic-explicit.onnx");
const SYNTHETIC_MANIFEST: &str = include_str!("../../fixtures/models/synthetic-explicit.json");
/// The real model, when `scripts/fetch-models.sh` has fetched it.
const NUDENET: &str = "models/nudenet-320n.onnx";

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
    let contact = f
        .contact
        .as_ref()
        .map_or("contact: unknown".to_owned(), |c| {
            format!(
                "contact: {}, {} mutual friends, account {} days old",
                if c.new_contact { "new" } else { "known" },
                c.mutual_connections.map_or("?".into(), |m| m.to_string()),
                c.account_age_days.map_or("?".into(), |d| d.to_string()),
            )
        });
    println!();
    println!(
        "{}",
        style.paint(
            "1",
            &format!(
                "━━ {} ━━ {} · teen {} in {}",
                f.id,
                f.locale,
                age(f),
                f.user.region
            )
        )
    );
    println!("   {contact}");
    let engine = f.start().map_err(|e| e.to_string())?;
    let mut image_shown = false;
    let mut shown: Option<(InterventionKind, haven_core::Topic)> = None;
    for (message, raw) in f.messages().zip(&f.messages) {
        std::thread::sleep(delay);
        if message.direction == Direction::FromUser
            && message.attachments.contains(&Attachment::Image)
            && !image_shown
        {
            image_shown = true;
            image_check(&engine, &f.id, style)?;
        }
        let a = &engine
            .observe(&f.id, message.clone())
            .map_err(|e| e.to_string())?;
        let who = match message.direction {
            Direction::FromContact => style.paint("35", "contact"),
            Direction::FromUser => style.paint("34", "   teen"),
        };
        let attachment = if raw.attachments.is_empty() {
            String::new()
        } else {
            format!(" [{:?}]", raw.attachments)
        };
        println!("{who} ▸ {}{attachment}", message.text);
        println!(
            "          {} stage {:<13} {}",
            style.level(a.level),
            a.stage.as_str(),
            cited(&message.text, a)
        );
        let now = (a.intervention.kind, a.intervention.topic);
        if a.intervention.kind != InterventionKind::None && shown != Some(now) {
            card(&a.intervention, style);
        }
        shown = Some(now);
    }
    Ok(())
}

/// Shows the outgoing-image check the app runs before the teen's photo leaves the device.
fn image_check(engine: &Engine, conversation: &str, style: &Style) -> Result<(), String> {
    let photo = ImageInput::Encoded(DEMO_PHOTO.to_vec());
    println!(
        "          {}",
        style.paint("2", "the teen picks a photo to send (a picture of a cat)")
    );
    if Path::new(NUDENET).exists() {
        let manifest = std::fs::read_to_string(Path::new(NUDENET).with_extension("json"))
            .map_err(|e| e.to_string())?;
        let real = Engine::new(EngineConfig::default()).map_err(|e| e.to_string())?;
        real.load_image_model(ModelSource::Path(NUDENET.into()), &manifest)
            .map_err(|e| e.to_string())?;
        let a = real
            .assess_outgoing_image(None, &photo)
            .map_err(|e| e.to_string())?;
        println!(
            "          NudeNet 320n: {} (score {:.2}, {:.0} ms): nothing to pause",
            serde_json::to_string(&a.nudity.verdict)
                .map_err(|e| e.to_string())?
                .trim_matches('"'),
            a.nudity.score,
            a.nudity.timings.decode_ms
                + a.nudity.timings.preprocess_ms
                + a.nudity.timings.inference_ms
                + a.nudity.timings.postprocess_ms,
        );
    }
    engine
        .load_image_model(
            ModelSource::Bytes(SYNTHETIC_MODEL.to_vec()),
            SYNTHETIC_MANIFEST,
        )
        .map_err(|e| e.to_string())?;
    let a = engine
        .assess_outgoing_image(Some(conversation), &photo)
        .map_err(|e| e.to_string())?;
    println!(
        "          {} verdict {:?}, pause {}",
        style.paint("2", "as if it were explicit (synthetic test model):"),
        a.nudity.verdict,
        a.pause
    );
    card(&a.intervention, style);
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
                let words: String = text
                    .chars()
                    .skip(span.start as usize)
                    .take((span.end - span.start) as usize)
                    .collect();
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
    println!(
        "          {}",
        style.paint(
            code,
            &format!("┌─ {} · {}", i.kind.as_str().to_uppercase(), i.headline)
        )
    );
    for line in wrap(&i.body, 72) {
        println!("          {bar} {line}");
    }
    let actions: Vec<String> = i.actions.iter().map(|a| format!("[{}]", a.label)).collect();
    if !actions.is_empty() {
        println!("          {bar} {}", actions.join(" "));
    }
    for r in &i.resources {
        let reach: Vec<&str> = [
            r.phone.as_deref(),
            r.sms.as_deref().map(|_| "text"),
            r.url.as_deref(),
        ]
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
