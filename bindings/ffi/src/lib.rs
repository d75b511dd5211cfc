//! UniFFI bindings of the Haven engine: thin mirror types over `haven-core` and one [`HavenEngine`] object.
//!
//! Kotlin, Swift and Python are generated from this crate in library mode (`scripts/gen-bindings.sh`). Every
//! exported call catches panics and returns [`HavenError::Internal`] instead, so nothing unwinds into the host.

#![warn(missing_docs)]

mod assessment;
mod config;
mod conversation;
mod engine;
mod error;
mod image;
mod intervention;
mod limits;

pub use assessment::{Assessment, Level, Pattern, Signal, SignalKind, Span, Stage};
pub use config::{EngineConfig, Sensitivity};
pub use conversation::{Attachment, ContactContext, Direction, Message};
pub use engine::HavenEngine;
pub use error::HavenError;
pub use image::{
    BoundingBox, Detection, ImageAssessment, ImageInput, ImageTimings, ImageVerdict, ModelSource,
    NudityResult, PixelFormat,
};
pub use intervention::{
    Action, HelpResource, Intervention, InterventionKind, ResourceKind, SuggestedAction, Topic,
};
pub use limits::{haven_version, limits, Limits};

uniffi::setup_scaffolding!();
