//! Issue 11's image findings as regression tests: the model digest is checked on load (path and bytes),
//! model and manifest paths are read bounded and without blocking on special files, and image errors
//! say what was wrong (a wrapped WebP width, a PNG claiming 2^31 x 2^31 pixels).

use std::path::PathBuf;
use std::sync::mpsc;
use std::time::Duration;

use haven_core::image::limits::MAX_MODEL_BYTES;
use haven_core::image::{ImageError, ImageInput, ImageModel, ModelSource};

mod common;
use common::{manifest, model_path};

/// A scratch directory of this test process.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("haven-image-limits-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

/// Runs `f` on a thread and fails the test if it has not returned within ten seconds (a blocked open).
fn within_seconds<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    let (send, receive) = mpsc::channel();
    std::thread::spawn(move || send.send(f()));
    receive
        .recv_timeout(Duration::from_secs(10))
        .expect("the call blocked for 10 s")
}

#[test]
fn a_model_with_changed_bytes_is_refused_by_path_and_by_bytes() {
    let mut bytes = std::fs::read(model_path("explicit")).unwrap();
    // 20 bytes changed in the middle of the weights: still a loadable ONNX file.
    let middle = bytes.len() / 2;
    for b in &mut bytes[middle..middle + 20] {
        *b ^= 0x5a;
    }
    let expected = manifest("explicit").sha256;
    let from_bytes =
        ImageModel::load(ModelSource::Bytes(bytes.clone()), manifest("explicit")).unwrap_err();
    match &from_bytes {
        ImageError::ModelDigestMismatch {
            expected: e,
            actual,
        } => {
            assert_eq!(*e, expected);
            assert_eq!(actual.len(), 64);
            assert_ne!(*actual, expected);
        }
        other => panic!("expected a digest mismatch, got {other}"),
    }
    assert!(from_bytes.to_string().contains(&expected), "{from_bytes}");
    let path = scratch("changed.onnx");
    std::fs::write(&path, &bytes).unwrap();
    let from_path = ImageModel::load(ModelSource::Path(path), manifest("explicit")).unwrap_err();
    assert_eq!(from_path, from_bytes);
}

#[test]
fn a_manifest_naming_another_digest_is_refused() {
    // The explicit model under the safe model's manifest: each file valid, the pair is not.
    let err =
        ImageModel::load(ModelSource::Path(model_path("explicit")), manifest("safe")).unwrap_err();
    assert!(
        matches!(err, ImageError::ModelDigestMismatch { ref expected, .. } if *expected == manifest("safe").sha256),
        "{err}"
    );
    // Upper-case hex names the same digest.
    let mut upper = manifest("explicit");
    upper.sha256 = upper.sha256.to_uppercase();
    assert!(ImageModel::load(ModelSource::Path(model_path("explicit")), upper).is_ok());
}

#[test]
fn an_endless_device_is_not_read() {
    let err = within_seconds(|| {
        ImageModel::load(ModelSource::Path("/dev/zero".into()), manifest("safe")).unwrap_err()
    });
    assert!(
        matches!(err, ImageError::Model(ref m) if m.contains("not a regular file")),
        "{err}"
    );
}

#[cfg(unix)]
#[test]
fn a_fifo_without_writer_does_not_block() {
    let fifo = scratch("model.onnx");
    let _ = std::fs::remove_file(&fifo);
    let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path; mkfifo only creates a file.
    assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
    let manifest_fifo = fifo.with_extension("json");
    let _ = std::fs::remove_file(&manifest_fifo);
    let c_manifest = std::ffi::CString::new(manifest_fifo.to_str().unwrap()).unwrap();
    // SAFETY: as above.
    assert_eq!(unsafe { libc::mkfifo(c_manifest.as_ptr(), 0o600) }, 0);

    let path = fifo.clone();
    let model = within_seconds(move || {
        ImageModel::load(ModelSource::Path(path), manifest("safe")).unwrap_err()
    });
    assert!(
        matches!(model, ImageError::Model(ref m) if m.contains("not a regular file")),
        "{model}"
    );
    // load_file reads the manifest beside the model: a FIFO there must not block either.
    let beside = within_seconds(move || ImageModel::load_file(&fifo).unwrap_err());
    assert!(
        matches!(beside, ImageError::Manifest(ref m) if m.contains("not a regular file")),
        "{beside}"
    );
}

#[test]
fn a_model_file_over_the_limit_is_refused_before_reading() {
    let path = scratch("huge.onnx");
    // Sparse: no disk space or memory is used for the hole.
    std::fs::File::create(&path)
        .unwrap()
        .set_len(MAX_MODEL_BYTES + 1)
        .unwrap();
    let err = ImageModel::load(ModelSource::Path(path.clone()), manifest("safe")).unwrap_err();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(
        err,
        ImageError::ModelTooLarge {
            bytes: MAX_MODEL_BYTES + 1,
            max: MAX_MODEL_BYTES
        }
    );
}

fn safe_model() -> ImageModel {
    ImageModel::load(ModelSource::Path(model_path("safe")), manifest("safe")).unwrap()
}

/// A RIFF/WEBP file with one lossless (VP8L) chunk whose header declares `width` x `height`.
fn lossless_webp(width: u32, height: u32) -> Vec<u8> {
    let bits = (width - 1) | (height - 1) << 14;
    let mut chunk = vec![0x2f];
    chunk.extend_from_slice(&bits.to_le_bytes());
    chunk.extend_from_slice(&[0; 16]);
    let mut bytes = b"RIFF".to_vec();
    bytes.extend_from_slice(&(4 + 8 + chunk.len() as u32).to_le_bytes());
    bytes.extend_from_slice(b"WEBPVP8L");
    bytes.extend_from_slice(&(chunk.len() as u32).to_le_bytes());
    bytes.extend_from_slice(&chunk);
    bytes
}

#[test]
fn a_lossless_webp_whose_width_wraps_is_not_called_empty() {
    // 16384 is a valid lossless width, but the decoder computes it as (1 + 16383) & 0x3fff = 0.
    let err = safe_model()
        .classify(&ImageInput::Encoded(lossless_webp(16_384, 100)))
        .unwrap_err();
    assert!(
        matches!(err, ImageError::Unsupported(ref m) if m.contains("16384x100")),
        "{err}"
    );
}

/// A PNG signature and IHDR chunk declaring `width` x `height` (8-bit RGB), then nothing.
fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut bytes = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
    bytes.extend_from_slice(&width.to_be_bytes());
    bytes.extend_from_slice(&height.to_be_bytes());
    bytes.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
    bytes
}

#[test]
fn a_png_claiming_two_to_the_31_pixels_per_side_is_too_large() {
    let side = 1u32 << 31;
    let err = safe_model()
        .classify(&ImageInput::Encoded(png_header(side, side)))
        .unwrap_err();
    assert!(
        matches!(err, ImageError::TooManyPixels { width, height, .. } if width == u64::from(side) && height == u64::from(side)),
        "{err}"
    );
}

#[test]
fn a_header_declaring_a_zero_side_is_corrupt_not_empty() {
    let err = safe_model()
        .classify(&ImageInput::Encoded(png_header(0, 100)))
        .unwrap_err();
    assert!(
        matches!(err, ImageError::Decode(ref m) if m.contains("PNG header declares 0x100")),
        "{err}"
    );
}
