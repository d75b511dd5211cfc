//! Assessment records: level, stage, pattern, and the signals with their evidence spans.

use crate::intervention::Intervention;

/// How worried the app should be, from `None` to `Critical` (declared in increasing order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, uniffi::Enum)]
pub enum Level {
    /// Nothing of concern.
    None,
    /// Something a bit odd: a light tip at most.
    Low,
    /// Worth a pause: an image request from a stranger, grooming themes building up.
    Medium,
    /// A warning: leverage, a threat or a money demand.
    High,
    /// Crisis: the full extortion, or the teen's own words about self-harm.
    Critical,
}

/// Where a conversation stands in the sextortion script, or the grooming theme it has reached, declared in the
/// order harm progresses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Stage {
    /// No stage reached.
    None,
    /// An unknown contact reached out.
    Contact,
    /// Flattery and fast romantic interest.
    Rapport,
    /// Grooming themes: age or location probing, isolation checks, secrecy, exclusivity.
    Isolation,
    /// Asked to move to another app.
    Migration,
    /// Image requests, sexual talk, "I'll send first".
    Sexualisation,
    /// Asked to meet in person.
    Approach,
    /// An image was sent or a call recorded.
    Exchange,
    /// "I have your pics", followers or school screenshotted.
    Leverage,
    /// Money demanded with a method.
    Demand,
    /// Countdowns, threats to ruin the teen's life.
    Pressure,
}

/// Which harm the evidence most resembles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum Pattern {
    /// Neither harm stands out.
    None,
    /// Grooming: building trust, isolation and secrecy towards abuse or a meeting.
    Grooming,
    /// Financial sextortion: images obtained, then money demanded under threat.
    Sextortion,
}

/// A kind of evidence.
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Enum)]
pub enum SignalKind {
    /// "ur cute", "so mature for your age".
    Flattery,
    /// "how old are you", "asl".
    AgeProbe,
    /// "what school do you go to", "where do you live".
    LocationProbe,
    /// "are you alone", "do your parents check your phone".
    IsolationProbe,
    /// "our secret", "delete our messages", "don't tell anyone".
    Secrecy,
    /// "nobody understands you like I do".
    Exclusivity,
    /// Gifts and favours: "I'll buy you robux", "want a gift card".
    GiftOffer,
    /// "add my snap", "move to telegram".
    Migration,
    /// "send pics", "show me", "video call me alone".
    ImageRequest,
    /// "I'll send first", "let's trade".
    SendFirst,
    /// "my cam is broken", "mic doesn't work".
    CameraExcuse,
    /// "I promise I'll delete it".
    DeletePromise,
    /// Sexual or body talk aimed at the teen.
    SexualTalk,
    /// "let's meet", "I'll pick you up".
    MeetRequest,
    /// "I have your pics", "I screenshotted your followers", "I recorded you".
    Leverage,
    /// "I'll send them to everyone", "ruin your life", "go viral".
    Threat,
    /// Gift cards, Cash App, PayPal, crypto, amounts.
    Payment,
    /// "you have 10 minutes", "hurry".
    Urgency,
    /// The teen says how young they are.
    AgeDisclosure,
    /// The teen pleads: "please don't", "I'll do anything".
    Pleading,
    /// The teen says they have no money.
    NoMoney,
    /// The teen's own words about self-harm or suicide.
    SelfHarm,
    /// The teen sent an image in this conversation.
    ImageShared,
    /// An explicit image arrived from the contact.
    ExplicitImageReceived,
    /// The teen tried to send an explicit image.
    ExplicitImageSent,
}

/// Where in a message's original text the evidence stands, so an app can highlight it.
///
/// `start..end` count Unicode scalar values (Swift `unicodeScalars`, Python `str` indices);
/// `start_utf16..end_utf16` count UTF-16 code units (Kotlin/Java `String`, `NSString`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, uniffi::Record)]
pub struct Span {
    /// First Unicode scalar value of the words.
    pub start: u32,
    /// One past the last Unicode scalar value.
    pub end: u32,
    /// First UTF-16 code unit of the words.
    pub start_utf16: u32,
    /// One past the last UTF-16 code unit.
    pub end_utf16: u32,
}

/// One piece of evidence with its origin.
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Signal {
    /// What the evidence is.
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
#[derive(Debug, Clone, PartialEq, uniffi::Record)]
pub struct Assessment {
    /// The conversation assessed.
    pub conversation_id: String,
    /// Index of the message just observed (0-based).
    pub message_index: u32,
    /// How worried the app should be; drives the intervention.
    pub level: Level,
    /// Risk in 0..1; `level` is derived from it.
    pub score: f32,
    /// The furthest stage with live evidence.
    pub stage: Stage,
    /// Which harm the evidence most resembles.
    pub pattern: Pattern,
    /// Signals found in this message.
    pub signals: Vec<Signal>,
    /// The strongest live evidence across the conversation, at most one per kind, strongest first.
    pub evidence: Vec<Signal>,
    /// The card to show; `kind == None` means show nothing.
    pub intervention: Intervention,
}

impl From<haven_core::Level> for Level {
    fn from(l: haven_core::Level) -> Self {
        use haven_core::Level as L;
        match l {
            L::None => Level::None,
            L::Low => Level::Low,
            L::Medium => Level::Medium,
            L::High => Level::High,
            L::Critical => Level::Critical,
        }
    }
}

impl From<haven_core::Stage> for Stage {
    fn from(s: haven_core::Stage) -> Self {
        use haven_core::Stage as S;
        match s {
            S::None => Stage::None,
            S::Contact => Stage::Contact,
            S::Rapport => Stage::Rapport,
            S::Isolation => Stage::Isolation,
            S::Migration => Stage::Migration,
            S::Sexualisation => Stage::Sexualisation,
            S::Approach => Stage::Approach,
            S::Exchange => Stage::Exchange,
            S::Leverage => Stage::Leverage,
            S::Demand => Stage::Demand,
            S::Pressure => Stage::Pressure,
        }
    }
}

impl From<haven_core::Pattern> for Pattern {
    fn from(p: haven_core::Pattern) -> Self {
        match p {
            haven_core::Pattern::None => Pattern::None,
            haven_core::Pattern::Grooming => Pattern::Grooming,
            haven_core::Pattern::Sextortion => Pattern::Sextortion,
        }
    }
}

impl From<haven_core::SignalKind> for SignalKind {
    fn from(k: haven_core::SignalKind) -> Self {
        use haven_core::SignalKind as K;
        match k {
            K::Flattery => SignalKind::Flattery,
            K::AgeProbe => SignalKind::AgeProbe,
            K::LocationProbe => SignalKind::LocationProbe,
            K::IsolationProbe => SignalKind::IsolationProbe,
            K::Secrecy => SignalKind::Secrecy,
            K::Exclusivity => SignalKind::Exclusivity,
            K::GiftOffer => SignalKind::GiftOffer,
            K::Migration => SignalKind::Migration,
            K::ImageRequest => SignalKind::ImageRequest,
            K::SendFirst => SignalKind::SendFirst,
            K::CameraExcuse => SignalKind::CameraExcuse,
            K::DeletePromise => SignalKind::DeletePromise,
            K::SexualTalk => SignalKind::SexualTalk,
            K::MeetRequest => SignalKind::MeetRequest,
            K::Leverage => SignalKind::Leverage,
            K::Threat => SignalKind::Threat,
            K::Payment => SignalKind::Payment,
            K::Urgency => SignalKind::Urgency,
            K::AgeDisclosure => SignalKind::AgeDisclosure,
            K::Pleading => SignalKind::Pleading,
            K::NoMoney => SignalKind::NoMoney,
            K::SelfHarm => SignalKind::SelfHarm,
            K::ImageShared => SignalKind::ImageShared,
            K::ExplicitImageReceived => SignalKind::ExplicitImageReceived,
            K::ExplicitImageSent => SignalKind::ExplicitImageSent,
        }
    }
}

impl From<haven_core::Span> for Span {
    fn from(s: haven_core::Span) -> Self {
        Span {
            start: s.start,
            end: s.end,
            start_utf16: s.start_utf16,
            end_utf16: s.end_utf16,
        }
    }
}

impl From<haven_core::Signal> for Signal {
    fn from(s: haven_core::Signal) -> Self {
        Signal {
            kind: s.kind.into(),
            message_index: s.message_index,
            span: s.span.map(Into::into),
            weight: s.weight,
            rule: s.rule,
        }
    }
}

impl From<haven_core::Assessment> for Assessment {
    fn from(a: haven_core::Assessment) -> Self {
        Assessment {
            conversation_id: a.conversation_id,
            message_index: a.message_index,
            level: a.level.into(),
            score: a.score,
            stage: a.stage.into(),
            pattern: a.pattern.into(),
            signals: a.signals.into_iter().map(Into::into).collect(),
            evidence: a.evidence.into_iter().map(Into::into).collect(),
            intervention: a.intervention.into(),
        }
    }
}
