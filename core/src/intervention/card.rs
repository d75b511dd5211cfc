//! The card an app shows: kind, localized copy, suggested actions and help resources.

use serde::{Deserialize, Serialize};

use super::resources::HelpResource;

/// How strongly the app should interrupt. Ordered from nothing to a full-screen crisis card.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum InterventionKind {
    #[default]
    None,
    /// A light, dismissible note.
    Tip,
    /// A pause with a choice.
    Caution,
    /// A clear warning with actions.
    Warning,
    /// Help first: crisis lines and recovery steps above everything else.
    Crisis,
}

impl InterventionKind {
    /// The lowercase word used in JSON and on the CLI.
    pub fn as_str(self) -> &'static str {
        match self {
            InterventionKind::None => "none",
            InterventionKind::Tip => "tip",
            InterventionKind::Caution => "caution",
            InterventionKind::Warning => "warning",
            InterventionKind::Crisis => "crisis",
        }
    }
}

/// What the card is about; chooses its copy and actions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Topic {
    #[default]
    None,
    /// A new account with no shared friends.
    UnknownContact,
    /// Asked to switch apps.
    Migration,
    /// Secrecy, isolation, age probing from someone the teen does not know well.
    Grooming,
    /// Asked for pictures or sexual talk.
    ImageRequest,
    /// Asked to meet in person.
    MeetRequest,
    /// Threats, leverage or demands: the recovery card.
    Sextortion,
    /// The teen's own words about self-harm or suicide.
    SelfHarm,
    /// The teen is about to send a nude or suggestive image.
    OutgoingImage,
    /// A nude or suggestive image arrived.
    IncomingImage,
}

impl Topic {
    /// The snake_case key used in the copy files.
    pub fn as_str(self) -> &'static str {
        match self {
            Topic::None => "none",
            Topic::UnknownContact => "unknown_contact",
            Topic::Migration => "migration",
            Topic::Grooming => "grooming",
            Topic::ImageRequest => "image_request",
            Topic::MeetRequest => "meet_request",
            Topic::Sextortion => "sextortion",
            Topic::SelfHarm => "self_harm",
            Topic::OutgoingImage => "outgoing_image",
            Topic::IncomingImage => "incoming_image",
        }
    }
}

/// Something the teen can do from the card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Block,
    Report,
    SaveEvidence,
    TalkToSomeone,
    DontPay,
    DontSend,
    StopReplying,
    RemoveImages,
    GetHelpNow,
}

impl Action {
    /// The snake_case key used in the copy files.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Block => "block",
            Action::Report => "report",
            Action::SaveEvidence => "save_evidence",
            Action::TalkToSomeone => "talk_to_someone",
            Action::DontPay => "dont_pay",
            Action::DontSend => "dont_send",
            Action::StopReplying => "stop_replying",
            Action::RemoveImages => "remove_images",
            Action::GetHelpNow => "get_help_now",
        }
    }
}

/// An action with its button label in the card's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SuggestedAction {
    pub action: Action,
    pub label: String,
}

/// What to show the teen. `kind == None` means show nothing; the text fields are then empty.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Intervention {
    pub kind: InterventionKind,
    pub topic: Topic,
    /// BCP 47 language of the copy, such as "en" or "fr".
    pub language: String,
    pub headline: String,
    pub body: String,
    pub actions: Vec<SuggestedAction>,
    /// Help for the teen's region, most urgent first.
    pub resources: Vec<HelpResource>,
}
