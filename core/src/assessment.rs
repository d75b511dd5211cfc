//! What the engine says about a conversation: level, score, stage, the signals behind it and the card to show.

use serde::{Deserialize, Serialize};

use crate::intervention::Intervention;

/// How worried the app should be. Ordered: `None < Low < Medium < High < Critical`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    #[default]
    None,
    Low,
    Medium,
    High,
    Critical,
}

impl Level {
    /// The lowercase word used in JSON and on the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::None => "none",
            Level::Low => "low",
            Level::Medium => "medium",
            Level::High => "high",
            Level::Critical => "critical",
        }
    }

    /// Parses the lowercase word written by [`Level::as_str`].
    pub fn parse(word: &str) -> Option<Level> {
        [
            Level::None,
            Level::Low,
            Level::Medium,
            Level::High,
            Level::Critical,
        ]
        .into_iter()
        .find(|l| l.as_str() == word)
    }
}

/// Where a conversation stands in the sextortion script, or the grooming theme it has reached.
///
/// Ordered by how far along the harm is; the assessment reports the furthest stage with live evidence.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    #[default]
    None,
    /// An unknown contact reached out (S0).
    Contact,
    /// Flattery and fast romantic interest (S1).
    Rapport,
    /// Grooming themes: age or location probing, isolation checks, secrecy, exclusivity.
    Isolation,
    /// Asked to move to another app (S2).
    Migration,
    /// Image requests, sexual talk, "I'll send first" (S3).
    Sexualisation,
    /// Asked to meet in person (grooming approach).
    Approach,
    /// An image was sent or a call recorded (S4).
    Exchange,
    /// "I have your pics", followers or school screenshotted (S5).
    Leverage,
    /// Money demanded with a method (S6).
    Demand,
    /// Countdowns, threats to ruin the teen's life (S7).
    Pressure,
}

impl Stage {
    /// The snake_case word used in JSON and on the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::None => "none",
            Stage::Contact => "contact",
            Stage::Rapport => "rapport",
            Stage::Isolation => "isolation",
            Stage::Migration => "migration",
            Stage::Sexualisation => "sexualisation",
            Stage::Approach => "approach",
            Stage::Exchange => "exchange",
            Stage::Leverage => "leverage",
            Stage::Demand => "demand",
            Stage::Pressure => "pressure",
        }
    }
}

/// Which harm the evidence most resembles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Pattern {
    #[default]
    None,
    Grooming,
    Sextortion,
}

impl Pattern {
    /// The snake_case word used in JSON and on the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            Pattern::None => "none",
            Pattern::Grooming => "grooming",
            Pattern::Sextortion => "sextortion",
        }
    }
}

macro_rules! signal_kinds {
    ($($(#[$doc:meta])* $variant:ident => $word:literal,)*) => {
        /// A kind of evidence. Rule packs name these in snake_case.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum SignalKind {
            $($(#[$doc])* $variant,)*
        }

        impl SignalKind {
            /// Every kind, in declaration order (the order is part of the state format).
            pub const ALL: &'static [SignalKind] = &[$(SignalKind::$variant,)*];

            /// This kind's position in [`SignalKind::ALL`], for tables indexed by kind.
            pub fn index(self) -> usize {
                self as usize
            }

            /// The snake_case word used in rule packs, JSON and on the CLI.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(SignalKind::$variant => $word,)*
                }
            }

            /// Parses the snake_case word written by [`SignalKind::as_str`].
            pub fn parse(word: &str) -> Option<SignalKind> {
                match word {
                    $($word => Some(SignalKind::$variant),)*
                    _ => None,
                }
            }
        }
    };
}

signal_kinds! {
    /// "ur cute", "so mature for your age".
    Flattery => "flattery",
    /// "how old are you", "asl".
    AgeProbe => "age_probe",
    /// "what school do you go to", "where do you live".
    LocationProbe => "location_probe",
    /// "are you alone", "do your parents check your phone".
    IsolationProbe => "isolation_probe",
    /// "our secret", "delete our messages", "don't tell anyone".
    Secrecy => "secrecy",
    /// "nobody understands you like I do".
    Exclusivity => "exclusivity",
    /// Gifts and favours: "I'll buy you robux", "want a gift card".
    GiftOffer => "gift_offer",
    /// "add my snap", "move to telegram".
    Migration => "migration",
    /// "send pics", "show me", "video call me alone".
    ImageRequest => "image_request",
    /// "I'll send first", "let's trade".
    SendFirst => "send_first",
    /// "my cam is broken", "mic doesn't work".
    CameraExcuse => "camera_excuse",
    /// "I promise I'll delete it".
    DeletePromise => "delete_promise",
    /// Sexual or body talk aimed at the teen.
    SexualTalk => "sexual_talk",
    /// "let's meet", "I'll pick you up".
    MeetRequest => "meet_request",
    /// "I have your pics", "I screenshotted your followers", "I recorded you".
    Leverage => "leverage",
    /// "I'll send them to everyone", "ruin your life", "go viral".
    Threat => "threat",
    /// Gift cards, Cash App, PayPal, crypto, amounts.
    Payment => "payment",
    /// "you have 10 minutes", "hurry".
    Urgency => "urgency",
    /// The teen says how young they are.
    AgeDisclosure => "age_disclosure",
    /// The teen pleads: "please don't", "I'll do anything".
    Pleading => "pleading",
    /// The teen says they have no money.
    NoMoney => "no_money",
    /// The teen's own words about self-harm or suicide.
    SelfHarm => "self_harm",
    /// The teen sent an image in this conversation.
    ImageShared => "image_shared",
    /// An explicit image arrived from the contact.
    ExplicitImageReceived => "explicit_image_received",
    /// The teen tried to send an explicit image.
    ExplicitImageSent => "explicit_image_sent",
}

/// Where in a message's original text the evidence stands, so an app can highlight it.
///
/// `start..end` count Unicode scalar values (Rust `char`, Swift `unicodeScalars`); `start_utf16..end_utf16`
/// count UTF-16 code units (Kotlin/Java `String`, `NSString`, JavaScript).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: u32,
    pub end: u32,
    pub start_utf16: u32,
    pub end_utf16: u32,
}

/// One piece of evidence with its origin.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Signal {
    pub kind: SignalKind,
    /// Index of the message (0-based, in the order observed) that produced it.
    pub message_index: u32,
    /// The words that matched, if the signal came from text.
    pub span: Option<Span>,
    /// Contribution in 0..1 after contact context and decay.
    pub weight: f32,
    /// The rule that matched, such as `en.payment.gift_card`; empty for non-text signals.
    pub rule: String,
}

/// The engine's view of a conversation after one message.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assessment {
    pub conversation_id: String,
    /// Index of the message just observed (0-based).
    pub message_index: u32,
    pub level: Level,
    /// Risk in 0..1; `level` is derived from it.
    pub score: f32,
    pub stage: Stage,
    pub pattern: Pattern,
    /// Signals found in this message.
    pub signals: Vec<Signal>,
    /// The strongest live evidence across the conversation, at most one per kind, strongest first.
    pub evidence: Vec<Signal>,
    pub intervention: Intervention,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_kind_index_is_its_position_in_all() {
        for (position, kind) in SignalKind::ALL.iter().enumerate() {
            assert_eq!(kind.index(), position, "{kind:?}");
        }
    }
}
