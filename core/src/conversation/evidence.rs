//! The derived evidence a conversation keeps, with decay over time.

use serde::{Deserialize, Serialize};

use crate::assessment::{SignalKind, Span};
use crate::contact::ContactContext;

/// The strongest evidence of one kind, as of `at_ms`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    /// Strength in 0..1 at `at_ms`, before decay to a later time.
    pub strength: f32,
    pub at_ms: i64,
    /// The message that last strengthened it, and where in that message.
    pub message_index: u32,
    pub span: Option<Span>,
    pub rule: String,
}

/// Everything kept per conversation. Bounded: one [`Evidence`] per [`SignalKind`] at most.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ConversationState {
    pub contact: Option<ContactContext>,
    pub messages_seen: u32,
    pub last_timestamp_ms: Option<i64>,
    /// Indexed by the position of the kind in [`SignalKind::ALL`].
    pub evidence: Vec<Option<Evidence>>,
}

/// How fast evidence fades: script stages within days, grooming themes over weeks.
fn half_life_ms(kind: SignalKind) -> f64 {
    const HOUR: f64 = 3_600_000.0;
    match kind {
        SignalKind::Urgency => 6.0 * HOUR,
        SignalKind::Leverage
        | SignalKind::Threat
        | SignalKind::Payment
        | SignalKind::Pleading
        | SignalKind::NoMoney
        | SignalKind::SelfHarm => 72.0 * HOUR,
        SignalKind::Migration
        | SignalKind::ImageRequest
        | SignalKind::SendFirst
        | SignalKind::CameraExcuse
        | SignalKind::DeletePromise
        | SignalKind::ImageShared
        | SignalKind::ExplicitImageReceived
        | SignalKind::ExplicitImageSent => 7.0 * 24.0 * HOUR,
        _ => 21.0 * 24.0 * HOUR,
    }
}

impl ConversationState {
    /// Strength of `kind` decayed to `now_ms`.
    pub fn strength(&self, kind: SignalKind, now_ms: i64) -> f32 {
        self.evidence
            .get(kind.index())
            .and_then(Option::as_ref)
            .map_or(0.0, |e| {
                let elapsed = now_ms.saturating_sub(e.at_ms).max(0) as f64;
                (e.strength as f64 * 0.5f64.powf(elapsed / half_life_ms(kind))) as f32
            })
    }

    /// The stored evidence of `kind`, if any.
    pub fn get(&self, kind: SignalKind) -> Option<&Evidence> {
        self.evidence.get(kind.index()).and_then(Option::as_ref)
    }

    /// Adds a fresh observation of `kind`: repeated evidence reinforces, with diminishing returns.
    pub fn reinforce(&mut self, kind: SignalKind, weight: f32, now_ms: i64, source: Evidence) {
        let current = self.strength(kind, now_ms);
        let (strong, weak) = if weight >= current {
            (weight, current)
        } else {
            (current, weight)
        };
        let combined = (1.0 - (1.0 - strong) * (1.0 - weak * 0.5)).min(1.0);
        if self.evidence.len() < SignalKind::ALL.len() {
            self.evidence.resize(SignalKind::ALL.len(), None);
        }
        let slot = &mut self.evidence[kind.index()];
        // The cited words are those of the strongest single observation, so the highlight explains the level.
        let keep_old_source = slot.as_ref().is_some_and(|_| weight < current);
        let mut next = if keep_old_source {
            slot.take().expect("checked above")
        } else {
            source
        };
        next.strength = combined;
        next.at_ms = now_ms;
        *slot = Some(next);
    }
}
