//! Per-conversation evidence: what has been seen, how strongly, and when; never the message text.

pub mod evidence;
pub mod scoring;

pub use evidence::{ConversationState, Evidence};
