//! `HavenEngine`, the one object apps hold: every capability of the core engine behind the panic guard.

use std::sync::Arc;

use crate::assessment::Assessment;
use crate::config::EngineConfig;
use crate::conversation::{ContactContext, Message};
use crate::error::{guard, HavenError};
use crate::image::{ImageAssessment, ImageInput, ModelSource};

/// Scores conversations on the device. Nothing leaves it, and no message text is kept.
///
/// Thread-safe: create one engine per signed-in teen and share it across threads. Text calls (`observe`,
/// `set_contact`, `current_assessment`, `forget`) cost microseconds and may run on any thread, including the
/// main one. Image checks (tens of milliseconds) and `load_image_model` (hundreds) must run off the main thread,
/// as must `export_state` and `import_state` when many conversations are held. Release it with `close()`
/// (Kotlin `use {}`) or by dropping the last reference.
#[derive(uniffi::Object)]
pub struct HavenEngine {
    inner: haven_core::Engine,
}

#[uniffi::export]
impl HavenEngine {
    /// Builds an engine for one teen. About a millisecond: the first engine of a process loads the rule packs
    /// (a few milliseconds) and compiles their patterns on a background thread; later ones reuse them. Fails
    /// with `InvalidConfig` on a bad region, age or limit.
    #[uniffi::constructor]
    pub fn new(config: EngineConfig) -> Result<Arc<Self>, HavenError> {
        guard(|| {
            Ok(Arc::new(HavenEngine {
                inner: haven_core::Engine::new(config.into())?,
            }))
        })
    }

    /// Records what the app knows about the contact of a conversation, creating the conversation if needed.
    /// Later assessments use it. Cheap; any thread.
    pub fn set_contact(
        &self,
        conversation_id: &str,
        contact: ContactContext,
    ) -> Result<(), HavenError> {
        guard(|| Ok(self.inner.set_contact(conversation_id, contact.into())?))
    }

    /// Scores one message (from either side) and returns the conversation's assessment after it. Call it for
    /// every message in order. Cheap (tens of microseconds, whatever the text's length); any thread.
    pub fn observe(
        &self,
        conversation_id: &str,
        message: Message,
    ) -> Result<Assessment, HavenError> {
        guard(|| Ok(self.inner.observe(conversation_id, message.into())?.into()))
    }

    /// The conversation's assessment as of its last message, without observing anything. Fails with
    /// `UnknownConversation` when the engine does not hold it. Cheap; any thread.
    pub fn current_assessment(&self, conversation_id: &str) -> Result<Assessment, HavenError> {
        guard(|| Ok(self.inner.current_assessment(conversation_id)?.into()))
    }

    /// Drops a conversation and all evidence held for it (when the chat is deleted). Returns whether it
    /// existed. Cheap; any thread.
    pub fn forget(&self, conversation_id: &str) -> Result<bool, HavenError> {
        guard(|| Ok(self.inner.forget(conversation_id)))
    }

    /// How many conversations the engine holds. Cheap; any thread.
    pub fn conversation_count(&self) -> Result<u64, HavenError> {
        guard(|| Ok(self.inner.conversation_count() as u64))
    }

    /// The configuration in force, with the region upper-cased. Cheap; any thread.
    pub fn config(&self) -> Result<EngineConfig, HavenError> {
        guard(|| Ok(self.inner.config().clone().into()))
    }

    /// Serialises every conversation's derived evidence (never message text) to versioned bytes, to persist
    /// across app restarts. Linear in the conversations held: run it off the main thread.
    pub fn export_state(&self) -> Result<Vec<u8>, HavenError> {
        guard(|| Ok(self.inner.export_state()))
    }

    /// Replaces the held conversations with those in bytes from `export_state`. Corrupt, foreign or
    /// newer-version bytes fail with `InvalidState` and the engine keeps what it held. Linear in the
    /// conversations read: run it off the main thread.
    pub fn import_state(&self, state: Vec<u8>) -> Result<(), HavenError> {
        guard(|| Ok(self.inner.import_state(&state)?))
    }

    /// Loads (or replaces) the image model: an ONNX file or its bytes, with its manifest (JSON). Costly
    /// (hundreds of milliseconds, about twice the model's size in memory while optimising): call once, off the
    /// main thread. Image checks already running finish with the model they started with; on failure the
    /// previous model stays in use. The model keeps one worker thread, idle between checks, that decodes
    /// images while the checking thread waits.
    pub fn load_image_model(
        &self,
        source: ModelSource,
        manifest_json: &str,
    ) -> Result<(), HavenError> {
        guard(|| Ok(self.inner.load_image_model(source.into(), manifest_json)?))
    }

    /// Checks an image the teen is about to send. Costly (one model run, tens of milliseconds): call it off
    /// the main thread. With a conversation id the verdict is weighed against that conversation (an explicit
    /// image to a new contact who asked for pictures is a hard pause); without one, only the image is judged.
    /// Show `intervention` and hold the send while `pause` is true. The check records nothing, since the teen
    /// may still cancel: observe the message they do send, with an `Image` attachment, and the conversation
    /// records the shared image and, if this check judged it explicit, that an explicit image was sent.
    pub fn assess_outgoing_image(
        &self,
        conversation_id: Option<String>,
        image: ImageInput,
    ) -> Result<ImageAssessment, HavenError> {
        guard(|| {
            Ok(self
                .inner
                .assess_outgoing_image(conversation_id.as_deref(), &image.into())?
                .into())
        })
    }

    /// Checks an image the teen received. Costly (one model run, tens of milliseconds): call it off the main
    /// thread. Show it blurred while `blur` is true; an explicit image from a new or isolated contact also
    /// counts as evidence in the named conversation.
    pub fn assess_incoming_image(
        &self,
        conversation_id: Option<String>,
        image: ImageInput,
    ) -> Result<ImageAssessment, HavenError> {
        guard(|| {
            Ok(self
                .inner
                .assess_incoming_image(conversation_id.as_deref(), &image.into())?
                .into())
        })
    }
}
