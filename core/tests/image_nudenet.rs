//! The image check with the real NudeNet 320n model on benign fixtures. Skipped, with a notice, when
//! models/nudenet-320n.onnx is absent (scripts/fetch-models.sh fetches it; CI does).

use std::path::{Path, PathBuf};

use haven_core::image::{
    ImageInput, ImageModel, ImageVerdict, ModelManifest, ModelSource, NudityResult,
};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn nudenet() -> Option<ImageModel> {
    let path = repo().join("models/nudenet-320n.onnx");
    if !path.exists() {
        eprintln!(
            "skipping: {} absent (run scripts/fetch-models.sh)",
            path.display()
        );
        return None;
    }
    let json = std::fs::read_to_string(repo().join("manifests/nudenet-320n.json")).unwrap();
    Some(
        ImageModel::load(
            ModelSource::Path(path),
            ModelManifest::from_json(&json).unwrap(),
        )
        .unwrap(),
    )
}

fn check(model: &ImageModel, name: &str) -> NudityResult {
    let bytes = std::fs::read(repo().join("fixtures/images").join(name)).unwrap();
    model.classify(&ImageInput::Encoded(bytes)).unwrap()
}

#[test]
fn benign_photos_are_safe() {
    let Some(model) = nudenet() else { return };
    for name in [
        "astronaut.jpg",
        "grace_hopper.jpg",
        "grace_hopper_exif6.jpg",
        "camera_gray.png",
        "chelsea_cat.jpg",
        "chelsea_rgba.png",
        "coffee.jpg",
        "rocket.webp",
        "tiny_8x8.png",
    ] {
        let result = check(&model, name);
        assert_eq!(
            result.verdict,
            ImageVerdict::Safe,
            "{name}: {:?}",
            result.detections
        );
    }
}

#[test]
fn faces_are_found_where_they_are() {
    let Some(model) = nudenet() else { return };
    let result = check(&model, "astronaut.jpg");
    let face = result
        .detections
        .iter()
        .find(|d| d.label == "FACE_FEMALE")
        .expect("a female face");
    assert!(face.score > 0.5, "{face:?}");
    // The astronaut's face is in the upper middle of the 512x512 photo.
    let (cx, cy) = (
        face.bbox.x + face.bbox.w / 2.0,
        face.bbox.y + face.bbox.h / 2.0,
    );
    assert!(
        (150.0..350.0).contains(&cx) && (50.0..250.0).contains(&cy),
        "{face:?}"
    );
}

#[test]
fn exif_rotated_jpeg_is_seen_upright() {
    let Some(model) = nudenet() else { return };
    let upright = check(&model, "grace_hopper.jpg");
    let rotated = check(&model, "grace_hopper_exif6.jpg");
    let face = |r: &NudityResult| {
        r.detections
            .iter()
            .find(|d| d.label == "FACE_FEMALE")
            .cloned()
    };
    let (a, b) = (
        face(&upright).expect("face upright"),
        face(&rotated).expect("face when rotated"),
    );
    // Re-encoding the rotated file changes a few pixel values, not where the face is.
    assert!((a.score - b.score).abs() < 0.05, "{a:?} vs {b:?}");
    assert!(
        (a.bbox.x - b.bbox.x).abs() < 12.0 && (a.bbox.y - b.bbox.y).abs() < 12.0,
        "{a:?} vs {b:?}"
    );
}

#[test]
fn coffee_cup_trap_is_detected_but_stays_safe() {
    let Some(model) = nudenet() else { return };
    let result = check(&model, "coffee.jpg");
    let trap = result
        .detections
        .iter()
        .find(|d| d.label == "BUTTOCKS_EXPOSED")
        .expect("the known false positive");
    assert!((0.2..0.45).contains(&trap.score), "{trap:?}");
    assert_eq!(result.verdict, ImageVerdict::Safe);
}
