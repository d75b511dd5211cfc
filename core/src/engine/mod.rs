//! The engine an app holds: conversations in, assessments out. Image checks in a conversation live in
//! `image_checks`, the persisted state's format in `state`; text scanning is `crate::text::scan`.

use std::collections::{BTreeMap, HashMap};
use std::sync::{LazyLock, Mutex, MutexGuard, Once};

use crate::assessment::{Assessment, Signal, SignalKind};
use crate::config::EngineConfig;
use crate::contact::ContactContext;
use crate::conversation::scoring::{self, Context, Scored};
use crate::conversation::{ConversationState, Evidence};
use crate::error::{Error, Result};
use crate::image::ImageVerdict;
use crate::intervention::policy;
use crate::intervention::wording::{Copybook, LocalizedCopy};
use crate::intervention::{Intervention, InterventionKind, RegionResources, Topic};
use crate::limits;
use crate::message::{Attachment, Direction, Message};
use crate::text::rules::RuleBook;
use crate::text::scan::scan;

use state::Snapshot;

#[cfg(feature = "image-model")]
mod image_checks;
mod state;

#[cfg(feature = "image-model")]
pub use image_checks::ImageAssessment;

/// Rule packs and copy are compiled once per process and shared by every engine.
static RULES: LazyLock<Result<RuleBook>> = LazyLock::new(RuleBook::embedded);
static COPY: LazyLock<Result<Copybook>> = LazyLock::new(Copybook::embedded);
static WARM_UP: Once = Once::new();

/// Starts compiling the rule packs on a background thread, so the first message does not wait for them.
fn warm_up_rules() {
    WARM_UP.call_once(|| {
        let spawned = std::thread::Builder::new()
            .name("haven-rules".into())
            .spawn(|| {
                if let Ok(book) = LazyLock::force(&RULES) {
                    book.compile_all();
                }
            });
        // Without a thread the first observed message compiles them instead, which is slower but correct.
        drop(spawned);
    });
}

fn rules() -> Result<&'static RuleBook> {
    RULES.as_ref().map_err(clone_data_error)
}

/// Evidence listed per assessment, at most.
const MAX_EVIDENCE_LISTED: usize = 8;
/// Weight of a teen's image attachment; counts only after an image request or during extortion.
const IMAGE_SHARED_WEIGHT: f32 = 0.5;
/// Weight added when the image the teen sends was judged explicit when it was checked.
const EXPLICIT_SENT_WEIGHT: f32 = 0.6;

struct Held {
    state: ConversationState,
    /// Recency stamp for dropping the least recently active conversation.
    touched: u64,
    /// The verdict of the last outgoing image checked and not yet sent. The teen may still cancel, so it is recorded
    /// only with their next image message; a new check replaces it. Held in memory only, never exported.
    checked_outgoing: Option<ImageVerdict>,
    /// A message time far from the conversation's clock, waiting for the next message to confirm it (see
    /// [`advance_clock`]). Memory only: an imported conversation starts without one.
    unconfirmed_ms: Option<i64>,
}

/// The conversations, and their ids by recency stamp so the least recently active one is found in O(log n).
#[derive(Default)]
struct Store {
    conversations: HashMap<String, Held>,
    by_recency: BTreeMap<u64, String>,
    clock: u64,
}

impl Store {
    fn insert(&mut self, id: String, held: Held) {
        self.by_recency.insert(held.touched, id.clone());
        if let Some(old) = self.conversations.insert(id, held) {
            self.by_recency.remove(&old.touched);
        }
    }

    fn remove(&mut self, id: &str) -> bool {
        match self.conversations.remove(id) {
            Some(held) => {
                self.by_recency.remove(&held.touched);
                true
            }
            None => false,
        }
    }

    fn clear(&mut self) {
        self.conversations.clear();
        self.by_recency.clear();
    }
}

/// Scores conversations on the device.
///
/// `Send + Sync`: share one engine across threads. Each call locks the conversation table briefly; text calls cost
/// microseconds and may run on any thread. Memory is bounded by `EngineConfig::max_conversations` times the
/// per-conversation state (under 2 KiB).
pub struct Engine {
    config: EngineConfig,
    copy: &'static LocalizedCopy,
    resources: RegionResources,
    store: Mutex<Store>,
    /// The optional image model, shared with calls in flight when it is replaced.
    #[cfg(feature = "image-model")]
    image_model: image_checks::ModelSlot,
}

impl Engine {
    /// Builds an engine; fails on an invalid configuration. Cheap (about a millisecond): the first engine of a
    /// process loads the rule packs (prepared at build time; a few milliseconds) and compiles their regexes on a
    /// background thread (about a hundred milliseconds, once per process). A message observed before then compiles
    /// just the regexes it needs, so the first message is ready within about ten milliseconds of start-up.
    pub fn new(config: EngineConfig) -> Result<Engine> {
        let config = config.validated()?;
        warm_up_rules();
        let copy = COPY
            .as_ref()
            .map_err(clone_data_error)?
            .choose(&config.languages);
        let resources = RegionResources::resolve(&config.region, &copy.language)?;
        Ok(Engine {
            config,
            copy,
            resources,
            store: Mutex::new(Store::default()),
            #[cfg(feature = "image-model")]
            image_model: image_checks::ModelSlot::default(),
        })
    }

    /// The configuration in force (region upper-cased).
    pub fn config(&self) -> &EngineConfig {
        &self.config
    }

    /// Records what the app knows about the contact of a conversation, creating the conversation if needed.
    /// Cheap. Later assessments use it; past evidence is re-weighted, not re-read.
    pub fn set_contact(&self, conversation_id: &str, contact: ContactContext) -> Result<()> {
        check_id(conversation_id)?;
        let mut store = self.lock();
        let held = self.entry(&mut store, conversation_id);
        held.state.contact = Some(contact);
        Ok(())
    }

    /// Scores one message and returns the conversation's assessment after it. Cheap (tens of microseconds for a
    /// chat message, linear in the text up to the window); texts with more than [`limits::MAX_ASSESSED_CHARS`]
    /// visible characters are assessed on their first and last halves of that window. A timestamp earlier than the
    /// conversation's clock counts as the clock (late delivery); one far from it moves the clock by at most
    /// [`limits::MAX_CLOCK_STEP_MS`] until the next message confirms it (see `advance_clock`).
    pub fn observe(&self, conversation_id: &str, message: Message) -> Result<Assessment> {
        check_id(conversation_id)?;
        if !(0..=limits::MAX_TIMESTAMP_MS).contains(&message.timestamp_ms) {
            return Err(Error::InvalidTimestamp(message.timestamp_ms));
        }
        // Matching runs before the lock is taken: only the evidence update is serialised.
        let book = rules()?;
        let signals_found = scan(book, &message);
        let mut store = self.lock();
        let held = self.entry(&mut store, conversation_id);
        let sends_image = message.direction == Direction::FromUser
            && message.attachments.contains(&Attachment::Image);
        let sent_explicit =
            sends_image && held.checked_outgoing.take() == Some(ImageVerdict::Explicit);
        let now = advance_clock(held, message.timestamp_ms);
        let state = &mut held.state;
        // The count never wraps (import refuses u32::MAX); past four billion messages the last index repeats.
        let index = state.messages_seen.min(u32::MAX - 2);
        state.messages_seen = index + 1;
        let mut signals: Vec<Signal> = signals_found
            .into_iter()
            .map(|(kind, weight, span, rule)| Signal {
                kind,
                message_index: index,
                span,
                weight,
                rule,
            })
            .collect();
        if sends_image {
            signals.push(image_signal(
                SignalKind::ImageShared,
                IMAGE_SHARED_WEIGHT,
                index,
            ));
        }
        if sent_explicit {
            signals.push(image_signal(
                SignalKind::ExplicitImageSent,
                EXPLICIT_SENT_WEIGHT,
                index,
            ));
        }
        // Context: a rule with `requires` counts only with a referent in the conversation (text/context.rs).
        book.keep_referenced(&mut signals, |k| state.strength(k, now) > scoring::LIVE);
        record(state, &signals, now);
        Ok(self.assess(conversation_id, state, now, index, signals))
    }

    /// Changes a conversation (created if new) between messages, as of its last message's time and index, and
    /// returns its assessment with the signals `change` recorded.
    fn update(
        &self,
        conversation_id: &str,
        change: impl FnOnce(&mut Held, i64, u32) -> Vec<Signal>,
    ) -> Result<Assessment> {
        check_id(conversation_id)?;
        let mut store = self.lock();
        let held = self.entry(&mut store, conversation_id);
        let now = held.state.last_timestamp_ms.unwrap_or(0);
        let index = held.state.messages_seen.saturating_sub(1);
        let signals = change(held, now, index);
        Ok(self.assess(conversation_id, &mut held.state, now, index, signals))
    }

    /// The conversation's assessment as of its last message, without observing anything. Cheap.
    pub fn current_assessment(&self, conversation_id: &str) -> Result<Assessment> {
        check_id(conversation_id)?;
        let store = self.lock();
        let held = store
            .conversations
            .get(conversation_id)
            .ok_or_else(|| Error::UnknownConversation(conversation_id.to_owned()))?;
        let now = held.state.last_timestamp_ms.unwrap_or(0);
        let index = held.state.messages_seen.saturating_sub(1);
        let mut state = held.state.clone();
        drop(store);
        Ok(self.assess(conversation_id, &mut state, now, index, Vec::new()))
    }

    /// Drops a conversation and all it holds. Returns whether it existed. Cheap.
    pub fn forget(&self, conversation_id: &str) -> bool {
        self.lock().remove(conversation_id)
    }

    /// How many conversations are held.
    pub fn conversation_count(&self) -> usize {
        self.lock().conversations.len()
    }

    /// Serialises every conversation's derived evidence (never message text) to versioned bytes. Linear in the
    /// number of conversations; call it off the main thread when many are held.
    pub fn export_state(&self) -> Vec<u8> {
        let store = self.lock();
        let snapshot = Snapshot {
            conversations: store
                .by_recency
                .values()
                .map(|id| (id.clone(), store.conversations[id].state.clone()))
                .collect(),
        };
        drop(store);
        state::encode(&snapshot)
    }

    /// Replaces the held conversations with those in `bytes` from [`Engine::export_state`]. Corrupt, foreign or
    /// future-version bytes are refused with [`Error::InvalidState`] and the engine keeps what it held.
    pub fn import_state(&self, bytes: &[u8]) -> Result<()> {
        let snapshot = state::decode(bytes)?;
        let mut store = self.lock();
        store.clear();
        let keep_from = snapshot
            .conversations
            .len()
            .saturating_sub(self.config.max_conversations);
        for (id, state) in snapshot.conversations.into_iter().skip(keep_from) {
            store.clock += 1;
            let touched = store.clock;
            store.insert(
                id,
                Held {
                    state,
                    touched,
                    checked_outgoing: None,
                    unconfirmed_ms: None,
                },
            );
        }
        Ok(())
    }

    fn lock(&self) -> MutexGuard<'_, Store> {
        // A panic while holding the lock cannot leave the table half-written (updates are single inserts), so a
        // poisoned lock is still safe to use.
        self.store
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn entry<'s>(&self, store: &'s mut Store, id: &str) -> &'s mut Held {
        store.clock += 1;
        let clock = store.clock;
        let Store {
            conversations,
            by_recency,
            ..
        } = store;
        if let Some(held) = conversations.get_mut(id) {
            by_recency.remove(&held.touched);
            by_recency.insert(clock, id.to_owned());
            held.touched = clock;
            // Looked up again so the borrow checker sees one exclusive borrow of the table per branch.
            return conversations.get_mut(id).expect("present above");
        }
        if conversations.len() >= self.config.max_conversations {
            if let Some((_, oldest)) = by_recency.pop_first() {
                conversations.remove(&oldest);
            }
        }
        by_recency.insert(clock, id.to_owned());
        conversations.entry(id.to_owned()).or_insert(Held {
            state: ConversationState::default(),
            touched: clock,
            checked_outgoing: None,
            unconfirmed_ms: None,
        })
    }

    fn assess(
        &self,
        conversation_id: &str,
        state: &mut ConversationState,
        now: i64,
        index: u32,
        signals: Vec<Signal>,
    ) -> Assessment {
        let ctx = Context {
            contact: state.contact.as_ref(),
            user_age: self.config.user_age,
            sensitivity: self.config.sensitivity,
        };
        let scored = scoring::score(state, now, &ctx);
        Assessment {
            conversation_id: conversation_id.to_owned(),
            message_index: index,
            level: scored.level,
            score: scored.score,
            stage: scored.stage,
            pattern: scored.pattern,
            signals,
            evidence: evidence_of(state, &scored),
            intervention: self.intervention(&scored),
        }
    }

    fn intervention(&self, scored: &Scored) -> Intervention {
        let topic = policy::topic_for(scored);
        policy::build(
            topic,
            policy::kind_for(scored.level),
            self.copy,
            &self.resources,
        )
    }

    /// The card for an arbitrary topic and kind in this engine's language and region.
    pub(crate) fn card(&self, topic: Topic, kind: InterventionKind) -> Intervention {
        policy::build(topic, kind, self.copy, &self.resources)
    }
}

fn clone_data_error(e: &Error) -> Error {
    Error::InvalidData {
        file: "embedded data".into(),
        reason: e.to_string(),
    }
}

fn check_id(id: &str) -> Result<()> {
    if id.is_empty() || id.len() > limits::MAX_CONVERSATION_ID_BYTES {
        return Err(Error::InvalidConversationId { len: id.len() });
    }
    Ok(())
}

/// Moves the conversation's clock for a message stamped `stamp_ms` and returns the time the message counts at.
///
/// A stamp within [`limits::MAX_CLOCK_STEP_MS`] ahead of the clock moves it there; an earlier stamp within that
/// distance counts at the clock (late delivery). A stamp further away, ahead or behind, is not believed on its own:
/// the clock steps at most `MAX_CLOCK_STEP_MS` forward and remembers the stamp; when the next message's stamp lies
/// within a step of the remembered one, two messages agree and the clock moves to the new time, backwards too,
/// and evidence dated after it is re-dated to it (so it then ages normally). One wrong stamp therefore moves a
/// conversation by at most a step, and a device clock that was wrong and is fixed is followed after two messages.
fn advance_clock(held: &mut Held, stamp_ms: i64) -> i64 {
    let step = limits::MAX_CLOCK_STEP_MS;
    let (clock, unconfirmed) = match held.state.last_timestamp_ms {
        None => (stamp_ms, None),
        Some(clock) if (clock - step..=clock).contains(&stamp_ms) => (clock, None),
        Some(clock) if (clock..=clock + step).contains(&stamp_ms) => (stamp_ms, None),
        Some(clock) => match held.unconfirmed_ms {
            Some(u) if (stamp_ms - u).abs() <= step => {
                for e in held.state.evidence.iter_mut().flatten() {
                    e.at_ms = e.at_ms.min(stamp_ms);
                }
                (stamp_ms, None)
            }
            _ if stamp_ms > clock => (clock + step, Some(stamp_ms)),
            _ => (clock, Some(stamp_ms)),
        },
    };
    held.unconfirmed_ms = unconfirmed;
    held.state.last_timestamp_ms = Some(clock);
    clock
}

/// A signal that comes from an image rather than from words: no span, no rule.
fn image_signal(kind: SignalKind, weight: f32, message_index: u32) -> Signal {
    Signal {
        kind,
        message_index,
        span: None,
        weight,
        rule: String::new(),
    }
}

/// Adds this message's signals to the evidence, once per kind at the strongest weight.
fn record(state: &mut ConversationState, signals: &[Signal], now: i64) {
    for kind in SignalKind::ALL {
        let strongest = signals
            .iter()
            .filter(|s| s.kind == *kind)
            .max_by(|a, b| a.weight.total_cmp(&b.weight));
        if let Some(s) = strongest {
            let source = Evidence {
                strength: s.weight,
                at_ms: now,
                message_index: s.message_index,
                span: s.span,
                rule: s.rule.clone(),
            };
            state.reinforce(*kind, s.weight, now, source);
        }
    }
}

/// The strongest live evidence per kind, strongest first.
fn evidence_of(state: &ConversationState, scored: &Scored) -> Vec<Signal> {
    let mut listed: Vec<Signal> = SignalKind::ALL
        .iter()
        .zip(&scored.effective)
        .filter(|(_, w)| **w > 0.0)
        .filter_map(|(kind, w)| {
            state.get(*kind).map(|e| Signal {
                kind: *kind,
                message_index: e.message_index,
                span: e.span,
                weight: *w,
                rule: e.rule.clone(),
            })
        })
        .collect();
    listed.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    listed.truncate(MAX_EVIDENCE_LISTED);
    listed
}
