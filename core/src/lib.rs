//! Haven core: on-device risk engine for sextortion and grooming in teen chats.
//!
//! The [`Engine`] scores each message of a conversation against embedded rule packs, tracks evidence per
//! stage of the sextortion script and per grooming theme, and returns an [`Assessment`] with the signals
//! that caused it and the [`Intervention`] to show. No network code lives here and no message text is kept.

pub mod assessment;
pub mod config;
pub mod contact;
pub mod conversation;
mod copy;
pub mod engine;
pub mod error;
pub mod image;
mod image_assessment;
pub mod intervention;
pub mod limits;
pub mod message;
mod policy;
pub mod resources;
mod state;
pub mod text;

pub use assessment::{Assessment, Level, Pattern, Signal, SignalKind, Span, Stage};
pub use config::{EngineConfig, Sensitivity};
pub use contact::ContactContext;
pub use engine::Engine;
pub use error::{Error, Result};
pub use image_assessment::ImageAssessment;
pub use intervention::{Action, Intervention, InterventionKind, SuggestedAction, Topic};
pub use message::{Attachment, Direction, Message};
pub use resources::{HelpResource, ResourceKind};
