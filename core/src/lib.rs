//! Haven core: on-device risk engine for sextortion and grooming in teen chats.
//!
//! The [`Engine`] scores each message of a conversation against embedded rule packs, tracks evidence per
//! stage of the sextortion script and per grooming theme, and returns an [`Assessment`] with the signals
//! that caused it and the [`Intervention`] to show. No network code lives here and no message text is kept.
//!
//! Features: `image-model` (default) adds the image check, run with tract; without it the crate is the text engine
//! plus image decoding and manifests. `image-threads` lets a model split inference across its threads
//! (`ModelOptions::threads`), at the cost of about 5 MB of code; the bindings leave it off.

// Without the `image-model` feature the stages around inference (decoding, preprocessing, postprocessing) and the
// engine's helpers for image checks still build, and the fuzz targets reach the first two, but nothing calls them.
#![cfg_attr(not(feature = "image-model"), allow(dead_code))]

pub mod assessment;
pub mod config;
pub mod contact;
pub mod conversation;
pub mod engine;
pub mod error;
pub mod image;
pub mod intervention;
pub mod limits;
pub mod message;
pub mod text;

pub use assessment::{Assessment, Level, Pattern, Signal, SignalKind, Span, Stage};
pub use config::{EngineConfig, Sensitivity};
pub use contact::ContactContext;
pub use engine::Engine;
#[cfg(feature = "image-model")]
pub use engine::ImageAssessment;
pub use error::{Error, Result};
pub use intervention::resources;
pub use intervention::{Action, Intervention, InterventionKind, SuggestedAction, Topic};
pub use intervention::{HelpResource, ResourceKind};
pub use message::{Attachment, Direction, Message};
