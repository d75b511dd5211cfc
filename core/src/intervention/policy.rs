//! Chooses the intervention for an assessment: which topic, how strong, which actions and resources.

use crate::assessment::{Level, SignalKind};
use crate::conversation::scoring::{Scored, LIVE};

use super::card::{Action, Intervention, InterventionKind, SuggestedAction, Topic};
use super::resources::{RegionResources, ResourceKind};
use super::wording::LocalizedCopy;

/// The card kind that matches a level.
pub fn kind_for(level: Level) -> InterventionKind {
    match level {
        Level::None => InterventionKind::None,
        Level::Low => InterventionKind::Tip,
        Level::Medium => InterventionKind::Caution,
        Level::High => InterventionKind::Warning,
        Level::Critical => InterventionKind::Crisis,
    }
}

/// The topic a conversation's evidence calls for, most urgent first.
pub fn topic_for(scored: &Scored) -> Topic {
    let live = |k: SignalKind| scored.effective[k.index()] > LIVE;
    use SignalKind::*;
    if live(SelfHarm) {
        Topic::SelfHarm
    } else if scored.level >= Level::High && [Leverage, Threat, Payment].iter().any(|k| live(*k)) {
        Topic::Sextortion
    } else if scored.level == Level::None {
        Topic::None
    } else if live(MeetRequest) && scored.level >= Level::Medium {
        Topic::MeetRequest
    } else if [
        ImageRequest,
        SendFirst,
        SexualTalk,
        CameraExcuse,
        DeletePromise,
    ]
    .iter()
    .any(|k| live(*k))
        && scored.level >= Level::Medium
    {
        Topic::ImageRequest
    } else if [
        AgeProbe,
        LocationProbe,
        IsolationProbe,
        Secrecy,
        Exclusivity,
        GiftOffer,
    ]
    .iter()
    .any(|k| live(*k))
        && scored.level >= Level::Medium
    {
        Topic::Grooming
    } else if live(Migration) {
        Topic::Migration
    } else if [Leverage, Threat, Payment].iter().any(|k| live(*k)) {
        Topic::Sextortion
    } else {
        Topic::UnknownContact
    }
}

/// Actions offered on a card about `topic`, most helpful first.
fn actions_for(topic: Topic) -> &'static [Action] {
    use Action::*;
    match topic {
        Topic::None => &[],
        Topic::UnknownContact | Topic::Migration => &[Block, Report, TalkToSomeone],
        Topic::Grooming | Topic::MeetRequest => &[TalkToSomeone, Block, Report],
        Topic::ImageRequest => &[DontSend, Block, Report, TalkToSomeone],
        Topic::Sextortion => &[
            DontPay,
            StopReplying,
            SaveEvidence,
            Block,
            Report,
            TalkToSomeone,
            RemoveImages,
        ],
        Topic::SelfHarm => &[GetHelpNow, TalkToSomeone],
        Topic::OutgoingImage => &[DontSend, TalkToSomeone, Block],
        Topic::IncomingImage => &[Block, Report, TalkToSomeone],
    }
}

/// Resources shown on a card about `topic` at `kind`, most urgent first. Light notes carry none.
fn resources_for(topic: Topic, kind: InterventionKind) -> &'static [ResourceKind] {
    use ResourceKind::*;
    if kind < InterventionKind::Caution {
        return &[];
    }
    match topic {
        Topic::None | Topic::UnknownContact | Topic::Migration => &[],
        Topic::SelfHarm => &[TalkToSomeone, Emergency],
        Topic::Sextortion => &[TalkToSomeone, Report, ImageRemoval],
        Topic::Grooming | Topic::MeetRequest | Topic::IncomingImage => &[TalkToSomeone, Report],
        Topic::ImageRequest | Topic::OutgoingImage => &[TalkToSomeone, ImageRemoval],
    }
}

/// Builds the full card for `topic` at `kind` in the engine's language.
pub fn build(
    topic: Topic,
    kind: InterventionKind,
    copy: &LocalizedCopy,
    resources: &RegionResources,
) -> Intervention {
    if kind == InterventionKind::None || topic == Topic::None {
        return Intervention {
            language: copy.language.clone(),
            ..Intervention::default()
        };
    }
    let (headline, body) = copy
        .text(topic, kind)
        .map(|t| (t.headline.clone(), t.body.clone()))
        .unwrap_or_default();
    Intervention {
        kind,
        topic,
        language: copy.language.clone(),
        headline,
        body,
        actions: actions_for(topic)
            .iter()
            .map(|a| SuggestedAction {
                action: *a,
                label: copy.action_label(*a).to_owned(),
            })
            .collect(),
        resources: resources.select(resources_for(topic, kind)),
    }
}
