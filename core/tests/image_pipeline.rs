//! The image check end to end with the tiny synthetic ONNX models in fixtures/models (outputs we
//! control, no real imagery): verdicts, box mapping, padding, orientation, threads, and every error.

use haven_core::image::{
    ImageError, ImageInput, ImageModel, ImageVerdict, ModelManifest, ModelOptions, ModelSource,
    PixelFormat,
};

mod common;
use common::{manifest, model_path, repo};

/// The SHA-256 of `bytes` in lowercase hex, as a manifest names it.
fn hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn synthetic(name: &str) -> ImageModel {
    ImageModel::load(ModelSource::Path(model_path(name)), manifest(name)).unwrap()
}

fn fixture(name: &str) -> ImageInput {
    ImageInput::Encoded(std::fs::read(repo().join("fixtures/images").join(name)).unwrap())
}

/// A uniform RGBA image.
fn gray(width: u32, height: u32, value: u8) -> ImageInput {
    let data = [value, value, value, 255].repeat((width * height) as usize);
    ImageInput::Pixels {
        data,
        width,
        height,
        row_stride: width * 4,
        format: PixelFormat::Rgba8,
    }
}

#[test]
fn constant_models_drive_each_verdict() {
    let input = gray(64, 64, 128);
    let explicit = synthetic("explicit").classify(&input).unwrap();
    assert_eq!(explicit.verdict, ImageVerdict::Explicit);
    assert!((explicit.score - 0.9).abs() < 1e-6);
    let labels: Vec<&str> = explicit
        .detections
        .iter()
        .map(|d| d.label.as_str())
        .collect();
    assert_eq!(
        labels,
        ["FEMALE_BREAST_EXPOSED", "FACE_FEMALE"],
        "best first"
    );

    let suggestive = synthetic("suggestive").classify(&input).unwrap();
    assert_eq!(suggestive.verdict, ImageVerdict::Suggestive);
    assert!((suggestive.score - 0.7).abs() < 1e-6);

    let safe = synthetic("safe").classify(&input).unwrap();
    assert_eq!(safe.verdict, ImageVerdict::Safe);
    assert_eq!(safe.score, 0.0, "a face is not a policy label");
    assert_eq!(safe.detections.len(), 1);
}

#[test]
fn boxes_come_back_in_original_pixels() {
    // FACE_FEMALE is (cx 80, cy 80, w 60, h 60) in the 320x320 input. A 640x480 image pads to
    // 640x640, so input pixels are 2 original pixels.
    let result = synthetic("safe").classify(&gray(640, 480, 90)).unwrap();
    let b = result.detections[0].bbox;
    assert_eq!((b.x, b.y, b.w, b.h), (100.0, 100.0, 120.0, 120.0));
    // Upright 512x600 from a JPEG stored 600x512 with EXIF orientation 6: same as the upright file.
    let upright = synthetic("safe")
        .classify(&fixture("grace_hopper.jpg"))
        .unwrap();
    let rotated = synthetic("safe")
        .classify(&fixture("grace_hopper_exif6.jpg"))
        .unwrap();
    assert_eq!(upright.detections[0].bbox, rotated.detections[0].bbox);
    let b = upright.detections[0].bbox;
    assert_eq!((b.x, b.y, b.w, b.h), (93.75, 93.75, 112.5, 112.5));
}

#[test]
fn brightness_model_sees_pixels_and_black_padding() {
    // The model's verdict follows the mean input value: < 1/3 safe, < 2/3 suggestive, else explicit.
    let model = synthetic("brightness");
    assert_eq!(
        model.classify(&gray(50, 50, 40)).unwrap().verdict,
        ImageVerdict::Safe
    );
    assert_eq!(
        model.classify(&gray(50, 50, 128)).unwrap().verdict,
        ImageVerdict::Suggestive
    );
    assert_eq!(
        model.classify(&gray(50, 50, 230)).unwrap().verdict,
        ImageVerdict::Explicit
    );
    // White 200x100 pads to 200x200 with black: mean 0.5.
    assert_eq!(
        model.classify(&gray(200, 100, 255)).unwrap().verdict,
        ImageVerdict::Suggestive
    );
}

#[test]
fn bgra_and_rgba_buffers_with_padding_bytes_agree() {
    let model = synthetic("brightness");
    // Square, so no padding darkens the mean; each row has 8 bytes of padding after its pixels.
    let (w, h, stride) = (24u32, 24u32, 24 * 4 + 8);
    let mut rgba = vec![0u8; (stride * h) as usize];
    let mut bgra = rgba.clone();
    for y in 0..h {
        for x in 0..w {
            let o = (y * stride + x * 4) as usize;
            let px = [250, 240, 230, 255];
            rgba[o..o + 4].copy_from_slice(&px);
            bgra[o..o + 4].copy_from_slice(&[px[2], px[1], px[0], px[3]]);
        }
    }
    let a = model
        .classify(&ImageInput::Pixels {
            data: rgba,
            width: w,
            height: h,
            row_stride: stride,
            format: PixelFormat::Rgba8,
        })
        .unwrap();
    let b = model
        .classify(&ImageInput::Pixels {
            data: bgra,
            width: w,
            height: h,
            row_stride: stride,
            format: PixelFormat::Bgra8,
        })
        .unwrap();
    assert_eq!(a.verdict, ImageVerdict::Explicit);
    assert_eq!(a.detections, b.detections);
}

#[test]
fn one_model_serves_many_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<ImageModel>();
    let model = synthetic("brightness");
    std::thread::scope(|s| {
        let handles: Vec<_> = [40u8, 128, 230, 40, 128, 230]
            .into_iter()
            .map(|v| {
                let model = &model;
                s.spawn(move || (v, model.classify(&gray(64, 48, v)).unwrap().verdict))
            })
            .collect();
        for h in handles {
            let (v, verdict) = h.join().unwrap();
            let want = match v {
                40 => ImageVerdict::Safe,
                128 => ImageVerdict::Suggestive,
                _ => ImageVerdict::Explicit,
            };
            assert_eq!(verdict, want, "value {v}");
        }
    });
}

#[test]
fn two_inference_threads_give_the_same_answer() {
    let model = ImageModel::load_with_options(
        ModelSource::Path(model_path("brightness")),
        manifest("brightness"),
        ModelOptions { threads: 2 },
    )
    .unwrap();
    assert_eq!(
        model.classify(&gray(64, 64, 230)).unwrap().verdict,
        ImageVerdict::Explicit
    );
}

#[test]
fn model_from_bytes_loads_like_from_path() {
    let bytes = std::fs::read(model_path("explicit")).unwrap();
    let model = ImageModel::load(ModelSource::Bytes(bytes), manifest("explicit")).unwrap();
    assert_eq!(
        model.classify(&gray(10, 10, 1)).unwrap().verdict,
        ImageVerdict::Explicit
    );
}

#[test]
fn model_errors_are_clear() {
    let missing = ImageModel::load(
        ModelSource::Path(repo().join("models/absent.onnx")),
        manifest("safe"),
    )
    .unwrap_err();
    assert!(
        matches!(missing, ImageError::Model(ref m) if m.contains("absent.onnx")),
        "{missing}"
    );
    // Bytes that are not ONNX, with a manifest naming their digest: refused by the parser.
    let garbage = b"not an onnx file".to_vec();
    let mut named = manifest("safe");
    named.sha256 = hex(&garbage);
    let garbage = ImageModel::load(ModelSource::Bytes(garbage), named).unwrap_err();
    assert!(matches!(garbage, ImageError::Model(_)), "{garbage}");
    let broken = ImageModel::load(
        ModelSource::Path(model_path("broken-shape")),
        manifest("broken-shape"),
    )
    .unwrap_err();
    assert!(
        matches!(broken, ImageError::Manifest(ref m) if m.contains("[1, 10, 2100]")),
        "{broken}"
    );
    let no_manifest =
        ImageModel::load_file(&repo().join("fixtures/images/astronaut.jpg")).unwrap_err();
    assert!(
        matches!(no_manifest, ImageError::Manifest(_)),
        "{no_manifest}"
    );
    let threads = ImageModel::load_with_options(
        ModelSource::Path(model_path("safe")),
        manifest("safe"),
        ModelOptions { threads: 0 },
    )
    .unwrap_err();
    assert!(matches!(threads, ImageError::Model(_)));
}

#[test]
fn manifest_labels_must_fit_the_model_output() {
    // The synthetic models output 4 + 18 rows; a manifest naming 17 labels does not describe them.
    let mut json = serde_json::to_value(manifest("safe")).unwrap();
    json["output"]["labels"].as_array_mut().unwrap().pop();
    json["policy"]["suggestive"]
        .as_object_mut()
        .unwrap()
        .remove("BUTTOCKS_COVERED");
    let m = ModelManifest::from_json(&json.to_string()).unwrap();
    let err = ImageModel::load(ModelSource::Path(model_path("safe")), m).unwrap_err();
    assert!(
        matches!(err, ImageError::Manifest(ref msg) if msg.contains("17 labels")),
        "{err}"
    );
}

#[test]
fn bad_files_are_refused_without_panicking() {
    let model = synthetic("safe");
    let check = |name: &str| {
        model
            .classify(&fixture(&format!("bad/{name}")))
            .unwrap_err()
    };
    assert!(matches!(check("empty.jpg"), ImageError::Empty { .. }));
    assert!(
        matches!(check("truncated.jpg"), ImageError::Decode(_)),
        "{}",
        check("truncated.jpg")
    );
    assert!(
        matches!(check("random_bytes.jpg"), ImageError::Unsupported(_)),
        "{}",
        check("random_bytes.jpg")
    );
    let huge = check("huge_header_50000x50000.png");
    assert!(
        matches!(
            huge,
            ImageError::TooManyPixels {
                width: 50_000,
                height: 50_000,
                ..
            }
        ),
        "{huge}"
    );
}

#[test]
fn jpeg_header_claiming_huge_size_is_refused_before_decoding() {
    let mut bytes = Vec::new();
    // SOI, then a baseline SOF0 declaring 50000x50000 with three components, then EOI.
    bytes.extend_from_slice(&[0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08]);
    bytes.extend_from_slice(&50_000u16.to_be_bytes());
    bytes.extend_from_slice(&50_000u16.to_be_bytes());
    bytes.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xFF, 0xD9]);
    let err = synthetic("safe")
        .classify(&ImageInput::Encoded(bytes))
        .unwrap_err();
    assert!(matches!(err, ImageError::TooManyPixels { .. }), "{err}");
}

#[test]
fn bad_pixel_buffers_are_refused() {
    let model = synthetic("safe");
    let pixels = |data: Vec<u8>, width, height, row_stride| ImageInput::Pixels {
        data,
        width,
        height,
        row_stride,
        format: PixelFormat::Bgra8,
    };
    let short = model
        .classify(&pixels(vec![0; 399], 10, 10, 40))
        .unwrap_err();
    assert!(matches!(short, ImageError::InvalidPixels(_)), "{short}");
    let stride = model
        .classify(&pixels(vec![0; 400], 10, 10, 39))
        .unwrap_err();
    assert!(matches!(stride, ImageError::InvalidPixels(_)), "{stride}");
    let empty = model.classify(&pixels(vec![], 0, 10, 0)).unwrap_err();
    assert!(matches!(empty, ImageError::Empty { .. }), "{empty}");
    let huge = model
        .classify(&pixels(vec![0; 16], 50_000, 50_000, 200_000))
        .unwrap_err();
    assert!(matches!(huge, ImageError::TooManyPixels { .. }), "{huge}");
    assert!(model.classify(&pixels(vec![0; 400], 10, 10, 40)).is_ok());
}

#[test]
fn every_benign_fixture_format_decodes() {
    let model = synthetic("safe");
    for name in [
        "astronaut.jpg",
        "camera_gray.png",
        "chelsea_cat.jpg",
        "chelsea_rgba.png",
        "coffee.jpg",
        "grace_hopper_exif6.jpg",
        "rocket.webp",
        "tiny_8x8.png",
        "heldout/astronaut_wide.webp",
        "heldout/brick_gray.jpg",
        "heldout/present_rgba.png",
    ] {
        let result = model
            .classify(&fixture(name))
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(result.verdict, ImageVerdict::Safe, "{name}");
    }
}
