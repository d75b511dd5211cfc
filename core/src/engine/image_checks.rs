//! Image checks in the context of a conversation: the nudity verdict combined with the conversation's stage and
//! contact, turned into a pause, a blur and a card.

use std::sync::{Arc, RwLock};

use serde::Serialize;

use crate::assessment::{Assessment, Level, SignalKind, Stage};
use crate::contact::ContactContext;
use crate::conversation::scoring::contact_factor;
use crate::error::Result;
use crate::image::{
    ImageInput, ImageModel, ImageVerdict, ModelManifest, ModelSource, NudityResult,
};
use crate::intervention::{Intervention, InterventionKind, Topic};

use super::{image_signal, record, Engine};

/// The engine's image model, if one is loaded, shared with calls in flight when it is replaced.
pub(super) type ModelSlot = RwLock<Option<Arc<ImageModel>>>;

/// Weight of an explicit image arriving from a new contact: offenders often send a nude first.
const EXPLICIT_RECEIVED_WEIGHT: f32 = 0.5;

/// What the app should do with an image.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImageAssessment {
    /// The model's verdict, score, detections and timings.
    pub nudity: NudityResult,
    /// How worried the app should be, from the image and the conversation together.
    pub level: Level,
    /// Outgoing: ask the teen before sending (a caution, warning or crisis card).
    pub pause: bool,
    /// Incoming: show the image blurred until the teen chooses to see it.
    pub blur: bool,
    pub intervention: Intervention,
    /// The conversation's assessment, when a conversation was named: after the image for an incoming one; for an
    /// outgoing one, as it stands until the teen sends the image.
    pub conversation: Option<Assessment>,
}

/// How risky the conversation around an image is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Context {
    /// A long-standing contact, no risky evidence.
    Trusted,
    /// Nothing known.
    Unknown,
    /// A new or isolated contact, or someone who asked for pictures.
    Risky,
    /// Leverage, demand or pressure: extortion under way.
    Extortion,
}

fn context_of(contact: Option<&ContactContext>, conversation: Option<&Assessment>) -> Context {
    let asked_for_images = conversation.is_some_and(|a| {
        a.evidence
            .iter()
            .any(|s| matches!(s.kind, SignalKind::ImageRequest | SignalKind::SendFirst))
    });
    match conversation {
        Some(a) if a.stage >= Stage::Leverage => Context::Extortion,
        _ if asked_for_images || contact_factor(contact) > 1.0 => Context::Risky,
        _ if contact.is_some() && contact_factor(contact) < 1.0 => Context::Trusted,
        _ => Context::Unknown,
    }
}

fn level_of(kind: InterventionKind) -> Level {
    match kind {
        InterventionKind::None => Level::None,
        InterventionKind::Tip => Level::Low,
        InterventionKind::Caution => Level::Medium,
        InterventionKind::Warning => Level::High,
        InterventionKind::Crisis => Level::Critical,
    }
}

impl Engine {
    /// Loads (or replaces) the image model: an ONNX file or its bytes, and its manifest (JSON). Costly (hundreds
    /// of milliseconds, about twice the model's size in memory while optimizing): call once, off the main thread.
    /// Calls in flight keep the model they started with. The model keeps one worker thread, idle between checks,
    /// that decodes images while the checking thread waits.
    pub fn load_image_model(&self, source: ModelSource, manifest_json: &str) -> Result<()> {
        let manifest = ModelManifest::from_json(manifest_json)?;
        self.set_image_model(ImageModel::load(source, manifest)?);
        Ok(())
    }

    /// Checks an image the teen is about to send. Costly (one model run, tens of milliseconds): call off the main
    /// thread. With a conversation id, the verdict is weighed against the conversation: an explicit image to a new
    /// contact who asked for pictures, or during extortion, is a hard pause with a warning or crisis card; the same
    /// image to a long-standing contact is a caution; a safe image changes nothing.
    ///
    /// The check records nothing, since the teen may still cancel: observe the message they do send, with its
    /// [`Attachment::Image`](crate::Attachment::Image), and the conversation records the shared image (the script's
    /// exchange stage) and, if this check judged it explicit, that an explicit image was sent. The verdict waits,
    /// in memory, for the teen's next image message in the conversation; a new check replaces it.
    pub fn assess_outgoing_image(
        &self,
        conversation_id: Option<&str>,
        image: &ImageInput,
    ) -> Result<ImageAssessment> {
        let (nudity, _, context) = self.check(conversation_id, image)?;
        let kind = match (nudity.verdict, context) {
            (ImageVerdict::Safe, _) => InterventionKind::None,
            (ImageVerdict::Explicit, Context::Extortion) => InterventionKind::Crisis,
            (ImageVerdict::Explicit, Context::Risky)
            | (ImageVerdict::Suggestive, Context::Extortion) => InterventionKind::Warning,
            (ImageVerdict::Explicit, _) | (ImageVerdict::Suggestive, Context::Risky) => {
                InterventionKind::Caution
            }
            (ImageVerdict::Suggestive, _) => InterventionKind::None,
        };
        let conversation = conversation_id
            .map(|id| self.hold_outgoing_verdict(id, nudity.verdict))
            .transpose()?;
        Ok(ImageAssessment {
            level: level_of(kind).max(conversation.as_ref().map_or(Level::None, |a| a.level)),
            pause: kind >= InterventionKind::Caution,
            blur: false,
            intervention: self.card(Topic::OutgoingImage, kind),
            nudity,
            conversation,
        })
    }

    /// Checks an image the teen received. Costly (one model run): call off the main thread. Explicit and
    /// suggestive images are to be shown blurred; an explicit image from a new or isolated contact also counts as
    /// evidence in the conversation.
    pub fn assess_incoming_image(
        &self,
        conversation_id: Option<&str>,
        image: &ImageInput,
    ) -> Result<ImageAssessment> {
        let (nudity, before, context) = self.check(conversation_id, image)?;
        let kind = match (nudity.verdict, context) {
            (ImageVerdict::Safe, _) => InterventionKind::None,
            (ImageVerdict::Explicit, Context::Risky | Context::Extortion) => {
                InterventionKind::Warning
            }
            (ImageVerdict::Explicit, _) => InterventionKind::Caution,
            (ImageVerdict::Suggestive, _) => InterventionKind::Tip,
        };
        let conversation = match conversation_id {
            Some(id) if nudity.verdict == ImageVerdict::Explicit && context >= Context::Risky => {
                Some(self.record_signal(
                    id,
                    SignalKind::ExplicitImageReceived,
                    EXPLICIT_RECEIVED_WEIGHT,
                )?)
            }
            _ => before,
        };
        Ok(ImageAssessment {
            level: level_of(kind).max(conversation.as_ref().map_or(Level::None, |a| a.level)),
            pause: false,
            blur: nudity.verdict >= ImageVerdict::Suggestive,
            intervention: self.card(Topic::IncomingImage, kind),
            nudity,
            conversation,
        })
    }

    /// Runs the model, then reads the conversation around the image: its assessment before it, and how risky it is.
    fn check(
        &self,
        conversation_id: Option<&str>,
        image: &ImageInput,
    ) -> Result<(NudityResult, Option<Assessment>, Context)> {
        let nudity = self.image_model()?.classify(image)?;
        let (contact, before) = self.surroundings(conversation_id)?;
        let context = context_of(contact.as_ref(), before.as_ref());
        Ok((nudity, before, context))
    }

    /// The contact and current assessment of a named conversation; an unknown id is a new, empty conversation.
    fn surroundings(
        &self,
        conversation_id: Option<&str>,
    ) -> Result<(Option<ContactContext>, Option<Assessment>)> {
        let Some(id) = conversation_id else {
            return Ok((None, None));
        };
        let contact = self.contact_of(id);
        match self.current_assessment(id) {
            Ok(a) => Ok((contact, Some(a))),
            Err(crate::Error::UnknownConversation(_)) => Ok((contact, None)),
            Err(e) => Err(e),
        }
    }
}

/// What an image check reads from and writes to the engine.
impl Engine {
    /// Installs (or replaces) the image model.
    fn set_image_model(&self, model: ImageModel) {
        *self.image_model.write().unwrap_or_else(|p| p.into_inner()) = Some(Arc::new(model));
    }

    /// The image model, or [`crate::Error::NoImageModel`].
    fn image_model(&self) -> Result<Arc<ImageModel>> {
        self.image_model
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
            .ok_or(crate::Error::NoImageModel)
    }

    /// The contact context of a conversation, if it is held and the app set one.
    fn contact_of(&self, conversation_id: &str) -> Option<ContactContext> {
        self.lock()
            .conversations
            .get(conversation_id)
            .and_then(|h| h.state.contact)
    }

    /// Records a signal that did not come from text (an image verdict), and returns the assessment after it.
    fn record_signal(
        &self,
        conversation_id: &str,
        kind: SignalKind,
        weight: f32,
    ) -> Result<Assessment> {
        self.update(conversation_id, |held, now, index| {
            let signal = image_signal(kind, weight, index);
            record(&mut held.state, std::slice::from_ref(&signal), now);
            vec![signal]
        })
    }

    /// Remembers the verdict of an image the teen is about to send, for their next image message (see
    /// [`super::Held::checked_outgoing`]), and returns the conversation's assessment, which the check itself leaves
    /// as it was.
    fn hold_outgoing_verdict(
        &self,
        conversation_id: &str,
        verdict: ImageVerdict,
    ) -> Result<Assessment> {
        self.update(conversation_id, |held, _, _| {
            held.checked_outgoing = Some(verdict);
            Vec::new()
        })
    }
}
