//! Turns a conversation's evidence into a score, a level, a stage and a pattern.
//!
//! The score is a noisy-OR of effective strengths. Early-script and grooming evidence is scaled by contact context
//! and capped below `critical`; extortion evidence (payment, urgency, threats) counts fully only in combination,
//! so "venmo me for pizza" or gaming trash talk alone stays low. The teen's self-harm language is always critical.

use crate::assessment::{Level, Pattern, SignalKind, Stage};
use crate::config::Sensitivity;
use crate::contact::ContactContext;

use super::evidence::ConversationState;

/// Evidence below this strength no longer counts for the stage.
pub(crate) const LIVE: f32 = 0.08;
/// Early and grooming evidence alone never reaches critical.
const EARLY_CAP: f32 = 0.8;
/// Flattery, probing questions and a switch of app alone earn a tip (low), as the research's early notices advise.
const LIGHT_CAP: f32 = 0.34;

/// The result of scoring: what goes into an assessment.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    pub score: f32,
    pub level: Level,
    pub stage: Stage,
    pub pattern: Pattern,
    /// Effective contribution per kind, in [`SignalKind::ALL`] order.
    pub effective: Vec<f32>,
}

/// Inputs besides the evidence.
pub struct Context<'a> {
    pub contact: Option<&'a ContactContext>,
    pub user_age: Option<u8>,
    pub sensitivity: Sensitivity,
}

/// Multiplier for early signals from what the app knows about the contact: above 1 for new, isolated, young
/// accounts; below 1 for long-standing contacts with many mutual friends. Unknown context is neutral.
pub fn contact_factor(contact: Option<&ContactContext>) -> f32 {
    let Some(c) = contact else { return 1.0 };
    let mut f: f32 = 1.0;
    if c.new_contact {
        f += 0.25;
    }
    match c.mutual_connections {
        Some(0) => f += 0.2,
        Some(1..=2) => f += 0.05,
        Some(3..=9) => f -= 0.2,
        Some(_) => f -= 0.35,
        None => {}
    }
    match c.account_age_days {
        Some(0..=6) => f += 0.25,
        Some(7..=29) => f += 0.15,
        Some(365..) => f -= 0.1,
        _ => {}
    }
    match c.known_for_days {
        Some(0..=2) => f += 0.05,
        Some(180..) => f -= 0.2,
        _ => {}
    }
    if !c.new_contact && c.mutual_connections.is_none() && c.account_age_days.is_none() {
        f -= 0.2;
    }
    f.clamp(0.4, 1.8)
}

fn stage_of(kind: SignalKind) -> Stage {
    use SignalKind::*;
    match kind {
        Flattery => Stage::Rapport,
        AgeProbe | LocationProbe | IsolationProbe | Secrecy | Exclusivity | GiftOffer => {
            Stage::Isolation
        }
        Migration => Stage::Migration,
        ImageRequest
        | SendFirst
        | CameraExcuse
        | DeletePromise
        | SexualTalk
        | ExplicitImageReceived => Stage::Sexualisation,
        MeetRequest => Stage::Approach,
        ImageShared | ExplicitImageSent => Stage::Exchange,
        Leverage => Stage::Leverage,
        Payment => Stage::Demand,
        Threat | Urgency => Stage::Pressure,
        AgeDisclosure | Pleading | NoMoney | SelfHarm => Stage::None,
    }
}

fn noisy_or(values: impl IntoIterator<Item = f32>) -> f32 {
    1.0 - values
        .into_iter()
        .fold(1.0, |acc, v| acc * (1.0 - v.clamp(0.0, 1.0)))
}

/// Scores `state` as of `now_ms`.
pub fn score(state: &ConversationState, now_ms: i64, ctx: &Context) -> Scored {
    use SignalKind::*;
    let s = |k: SignalKind| state.strength(k, now_ms);
    let factor = contact_factor(ctx.contact);
    let minor = ctx.user_age.is_some_and(|a| a < 18) || s(AgeDisclosure) > LIVE;
    // An adult who keeps sexualising after learning the teen's age is a stronger signal.
    let minor_boost = if s(AgeDisclosure) > LIVE { 1.25 } else { 1.0 };

    let leverage = s(Leverage);
    let threat_raw = s(Threat);
    let payment_raw = s(Payment);
    let sexual_context = noisy_or([s(ImageRequest), s(SendFirst), s(SexualTalk)]) * factor;
    let anchored =
        leverage > LIVE || (threat_raw > 0.5 && (payment_raw > LIVE || sexual_context > 0.3));
    // Threats with nothing to back them are usually jokes between friends; known contacts dampen them further.
    let threat = threat_raw
        * if leverage > LIVE || payment_raw > 0.3 || sexual_context > 0.3 {
            1.0
        } else {
            0.55 * factor.min(1.0)
        };
    // Money talk with nothing to extort with is ordinary business or friends settling up.
    let payment = payment_raw * if anchored { 1.0 } else { 0.3 };
    // Money talk with a deadline is pressure from a stranger, but ordinary between friends ("cash app me for the
    // tix, they sell out in 10 min") and in everyday business talk when nothing says the contact is a stranger.
    let urgency = s(Urgency)
        * if anchored || (payment_raw > 0.5 && factor > 1.0) {
            1.0
        } else {
            0.15
        };
    // A hacked friend's account can extort too, so contact context dampens extortion only partly.
    let extortion = noisy_or([leverage, threat, payment, urgency]) * factor.clamp(0.7, 1.0);

    let mut effective = vec![0.0f32; SignalKind::ALL.len()];
    let mut light = Vec::new();
    let mut heavy = Vec::new();
    for (i, &kind) in SignalKind::ALL.iter().enumerate() {
        let raw = s(kind);
        effective[i] = match kind {
            Leverage => leverage,
            Threat => threat,
            Payment => payment,
            Urgency => urgency,
            SelfHarm => raw,
            // The teen's distress matters once someone is pressuring them; alone it is ordinary talk.
            Pleading | NoMoney => raw * if extortion > 0.3 { 1.0 } else { 0.3 },
            AgeDisclosure => 0.0,
            ImageShared => {
                raw * if sexual_context > 0.4 || extortion > 0.3 {
                    1.0
                } else {
                    0.1
                }
            }
            ExplicitImageReceived | ExplicitImageSent => raw,
            ImageRequest | SendFirst | SexualTalk | MeetRequest | CameraExcuse | DeletePromise => {
                (raw * factor * minor_boost).min(1.0)
            }
            _ => (raw * factor).min(1.0),
        };
        if matches!(kind, Flattery | AgeProbe | LocationProbe | Migration) {
            light.push(effective[i]);
        } else if !matches!(
            kind,
            Leverage | Threat | Payment | Urgency | SelfHarm | Pleading | NoMoney
        ) {
            heavy.push(effective[i]);
        }
    }
    let heavy = noisy_or(heavy);
    let mut early_score = noisy_or([noisy_or(light), heavy]) * EARLY_CAP;
    if heavy <= LIVE {
        early_score = early_score.min(LIGHT_CAP);
    }
    let distress = noisy_or([s(Pleading), s(NoMoney)]);
    let mut score = noisy_or([
        early_score,
        extortion,
        effective[Pleading.index()],
        effective[NoMoney.index()],
    ]);
    // A new, isolated account alone earns a light tip, nothing more.
    if factor >= 1.5 {
        score = score.max(0.15 + (factor - 1.5) * 0.1);
    }
    let full_extortion =
        leverage > LIVE && payment_raw > LIVE && (threat_raw > LIVE || s(Urgency) > LIVE);
    let mut level = level_for(score, ctx.sensitivity);
    if full_extortion || (extortion > 0.5 && distress > LIVE) {
        level = Level::Critical;
        score = score.max(0.9);
    }
    if s(SelfHarm) > LIVE {
        level = Level::Critical;
        score = score.max(0.95);
    }

    let stage = SignalKind::ALL
        .iter()
        .zip(&effective)
        .filter(|(_, e)| **e > LIVE)
        .map(|(k, _)| stage_of(*k))
        .max()
        .unwrap_or(if factor >= 1.5 {
            Stage::Contact
        } else {
            Stage::None
        });

    let grooming = noisy_or(
        [
            AgeProbe,
            LocationProbe,
            IsolationProbe,
            Secrecy,
            Exclusivity,
            GiftOffer,
            MeetRequest,
        ]
        .map(|k| effective[k.index()]),
    ) + if minor {
        0.5 * effective[SexualTalk.index()]
    } else {
        0.0
    };
    let sextortion = extortion
        + 0.6
            * noisy_or(
                [SendFirst, CameraExcuse, DeletePromise, Migration].map(|k| effective[k.index()]),
            );
    let pattern = if level == Level::None {
        Pattern::None
    } else if sextortion >= grooming
        && (sextortion > LIVE || effective[ImageRequest.index()] > LIVE)
    {
        Pattern::Sextortion
    } else if grooming > LIVE
        || effective[SexualTalk.index()] > LIVE
        || effective[ImageRequest.index()] > LIVE
    {
        Pattern::Grooming
    } else {
        Pattern::None
    };

    Scored {
        score: score.clamp(0.0, 1.0),
        level,
        stage,
        pattern,
        effective,
    }
}

/// Maps a score to a level. Sensitivity moves the thresholds, not the evidence.
pub fn level_for(score: f32, sensitivity: Sensitivity) -> Level {
    let scale = match sensitivity {
        Sensitivity::Relaxed => 1.15,
        Sensitivity::Standard => 1.0,
        Sensitivity::Vigilant => 0.85,
    };
    let t = |x: f32| (x * scale).min(0.97);
    if score >= t(0.85) {
        Level::Critical
    } else if score >= t(0.6) {
        Level::High
    } else if score >= t(0.35) {
        Level::Medium
    } else if score >= t(0.15) {
        Level::Low
    } else {
        Level::None
    }
}
