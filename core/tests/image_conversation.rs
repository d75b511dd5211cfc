//! Image checks tied to the conversation, driven by tiny synthetic models whose outputs are fixed: the explicit,
//! suggestive and safe paths through the whole pipeline and the conversation escalation. No real imagery is used.

use std::path::{Path, PathBuf};

use haven_core::image::{ImageInput, ModelSource, PixelFormat};
use haven_core::{
    Attachment, ContactContext, Direction, Engine, EngineConfig, Error, InterventionKind, Level,
    Message, SignalKind, Stage, Topic,
};

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../fixtures")
}

fn engine_with(model: &str) -> Engine {
    let engine = Engine::new(EngineConfig {
        user_age: Some(15),
        ..EngineConfig::default()
    })
    .unwrap();
    let onnx = fixtures().join(format!("models/{model}.onnx"));
    let manifest = std::fs::read_to_string(onnx.with_extension("json")).unwrap();
    engine
        .load_image_model(ModelSource::Path(onnx), &manifest)
        .unwrap();
    engine
}

fn photo() -> ImageInput {
    ImageInput::Encoded(std::fs::read(fixtures().join("images/chelsea_cat.jpg")).unwrap())
}

fn flat(value: u8) -> ImageInput {
    let (width, height) = (64, 48);
    ImageInput::Pixels {
        data: vec![value; width * height * 4],
        width: 64,
        height: 48,
        row_stride: 64 * 4,
        format: PixelFormat::Rgba8,
    }
}

const STRANGER: ContactContext = ContactContext {
    new_contact: true,
    mutual_connections: Some(0),
    account_age_days: Some(2),
    known_for_days: None,
};
const OLD_FRIEND: ContactContext = ContactContext {
    new_contact: false,
    mutual_connections: Some(40),
    account_age_days: Some(1500),
    known_for_days: Some(900),
};

fn contact_says(engine: &Engine, id: &str, text: &str, t_s: i64) {
    let m = Message {
        direction: Direction::FromContact,
        text: text.into(),
        timestamp_ms: t_s * 1000,
        attachments: vec![],
    };
    engine.observe(id, m).unwrap();
}

/// The teen sends the photo they had checked.
fn teen_sends_photo(engine: &Engine, id: &str, t_s: i64) -> haven_core::Assessment {
    let m = Message {
        direction: Direction::FromUser,
        text: String::new(),
        timestamp_ms: t_s * 1000,
        attachments: vec![Attachment::Image],
    };
    engine.observe(id, m).unwrap()
}

fn has(assessment: &haven_core::Assessment, kind: SignalKind) -> bool {
    assessment.evidence.iter().any(|s| s.kind == kind)
}

#[test]
fn without_a_model_image_calls_fail_clearly_and_text_still_works() {
    let engine = Engine::new(EngineConfig::default()).unwrap();
    assert!(matches!(
        engine.assess_outgoing_image(None, &photo()),
        Err(Error::NoImageModel)
    ));
    assert!(matches!(
        engine.assess_incoming_image(Some("c"), &photo()),
        Err(Error::NoImageModel)
    ));
    contact_says(&engine, "c", "hey", 0);
    assert_eq!(engine.conversation_count(), 1);
}

#[test]
fn explicit_image_to_a_stranger_who_asked_is_a_hard_pause() {
    let engine = engine_with("synthetic-explicit");
    engine.set_contact("c", STRANGER).unwrap();
    contact_says(
        &engine,
        "c",
        "add my snap. send me a pic? i'll send first",
        0,
    );
    let a = engine.assess_outgoing_image(Some("c"), &photo()).unwrap();
    assert_eq!(a.nudity.verdict, haven_core::image::ImageVerdict::Explicit);
    assert!(a.pause);
    assert_eq!(a.intervention.topic, Topic::OutgoingImage);
    assert_eq!(a.intervention.kind, InterventionKind::Warning);
    assert!(!a.intervention.headline.is_empty());
    let checked = a.conversation.expect("named conversation");
    assert!(checked.stage < Stage::Exchange, "a check is not a send");

    // The teen sends it anyway: the conversation records the shared image and its verdict.
    let after = teen_sends_photo(&engine, "c", 60);
    assert!(after.stage >= Stage::Exchange);
    assert!(has(&after, SignalKind::ImageShared));
    assert!(has(&after, SignalKind::ExplicitImageSent));
    assert!(after.score > checked.score);
}

#[test]
fn a_photo_the_teen_cancels_is_not_recorded_and_the_next_check_replaces_its_verdict() {
    let engine = engine_with("synthetic-explicit");
    engine.set_contact("c", STRANGER).unwrap();
    contact_says(&engine, "c", "send me a pic? i'll send first", 0);
    let before = engine.current_assessment("c").unwrap();
    let a = engine.assess_outgoing_image(Some("c"), &photo()).unwrap();
    assert!(a.pause);
    // Cancelled: nothing is sent, so nothing is recorded.
    let after = engine.current_assessment("c").unwrap();
    assert_eq!(after.stage, before.stage);
    assert!(!has(&after, SignalKind::ImageShared));
    assert!(!has(&after, SignalKind::ExplicitImageSent));

    // A later photo, checked with a model that finds it safe, is shared without the old verdict.
    engine
        .load_image_model(
            ModelSource::Path(fixtures().join("models/synthetic-safe.onnx")),
            &std::fs::read_to_string(fixtures().join("models/synthetic-safe.json")).unwrap(),
        )
        .unwrap();
    assert!(
        !engine
            .assess_outgoing_image(Some("c"), &photo())
            .unwrap()
            .pause
    );
    let sent = teen_sends_photo(&engine, "c", 120);
    assert!(has(&sent, SignalKind::ImageShared));
    assert!(!has(&sent, SignalKind::ExplicitImageSent));
}

#[test]
fn explicit_image_during_extortion_is_a_crisis() {
    let engine = engine_with("synthetic-explicit");
    engine.set_contact("c", STRANGER).unwrap();
    contact_says(
        &engine,
        "c",
        "i have ur pics and ur followers list. $200 apple card or everyone sees",
        0,
    );
    let a = engine.assess_outgoing_image(Some("c"), &photo()).unwrap();
    assert_eq!(a.intervention.kind, InterventionKind::Crisis);
    assert_eq!(a.level, Level::Critical);
}

#[test]
fn the_same_image_to_an_old_friend_is_a_caution() {
    let engine = engine_with("synthetic-explicit");
    engine.set_contact("c", OLD_FRIEND).unwrap();
    contact_says(&engine, "c", "how was the game", 0);
    let a = engine.assess_outgoing_image(Some("c"), &photo()).unwrap();
    assert!(a.pause);
    assert_eq!(a.intervention.kind, InterventionKind::Caution);
}

#[test]
fn a_safe_image_changes_nothing() {
    let engine = engine_with("synthetic-safe");
    engine.set_contact("c", STRANGER).unwrap();
    contact_says(&engine, "c", "send me a pic?", 0);
    let a = engine.assess_outgoing_image(Some("c"), &photo()).unwrap();
    assert!(!a.pause);
    assert_eq!(a.intervention.kind, InterventionKind::None);
}

#[test]
fn suggestive_images_are_blurred_when_received_and_explicit_ones_from_strangers_count() {
    let engine = engine_with("synthetic-suggestive");
    let a = engine.assess_incoming_image(None, &photo()).unwrap();
    assert!(a.blur);
    assert_eq!(a.intervention.kind, InterventionKind::Tip);

    let engine = engine_with("synthetic-explicit");
    engine.set_contact("c", STRANGER).unwrap();
    let a = engine.assess_incoming_image(Some("c"), &photo()).unwrap();
    assert!(a.blur);
    assert_eq!(a.intervention.kind, InterventionKind::Warning);
    let after = a.conversation.expect("named conversation");
    assert!(after
        .evidence
        .iter()
        .any(|s| s.kind == SignalKind::ExplicitImageReceived));
}

#[test]
fn one_model_drives_both_paths_from_benign_synthetic_pixels() {
    let engine = engine_with("synthetic-brightness");
    let dark = engine.assess_outgoing_image(None, &flat(10)).unwrap();
    let bright = engine.assess_outgoing_image(None, &flat(250)).unwrap();
    assert_eq!(dark.nudity.verdict, haven_core::image::ImageVerdict::Safe);
    assert_eq!(
        bright.nudity.verdict,
        haven_core::image::ImageVerdict::Explicit
    );
    assert!(!dark.pause && bright.pause);
}

#[test]
fn a_bad_model_or_image_is_refused_and_the_loaded_model_stays() {
    let engine = engine_with("synthetic-safe");
    let broken = fixtures().join("models/synthetic-broken-shape.onnx");
    let manifest = std::fs::read_to_string(broken.with_extension("json")).unwrap();
    assert!(matches!(
        engine.load_image_model(ModelSource::Path(broken), &manifest),
        Err(Error::Image(_))
    ));
    assert!(matches!(
        engine.load_image_model(ModelSource::Path("no/such/model.onnx".into()), &manifest),
        Err(Error::Image(_))
    ));
    assert!(matches!(
        engine.load_image_model(ModelSource::Bytes(vec![1, 2, 3]), "{"),
        Err(Error::Image(_))
    ));
    assert!(matches!(
        engine.assess_outgoing_image(None, &ImageInput::Encoded(b"not an image".to_vec())),
        Err(Error::Image(_))
    ));
    assert!(engine.assess_outgoing_image(None, &photo()).is_ok());
}
