//! The loaded image model: tract plan, manifest, and the whole check from input to verdict.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::{ThreadPool, ThreadPoolBuilder};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tract_onnx::prelude::*;
use tract_onnx::tract_core::plan::{eval, SimpleState};
use tract_onnx::tract_core::runtime::RunOptions;
use tract_onnx::tract_core::tract_linalg::multithread::Executor;

use super::decode::decode;
use super::error::ImageError;
use super::input::ImageInput;
use super::limits::{MAX_MANIFEST_BYTES, MAX_MODEL_BYTES};
use super::manifest::{Layout, ModelManifest, OutputSpec};
use super::ops::avx_state;
use super::ops::axis_softmax::faster_softmax;
use super::ops::constant_pad::faster_pad;
use super::ops::fast_im2col::{convolutions, faster_im2col};
use super::ops::substitute::substitute;
use super::postprocess::{classifier_scores, decode_yolov8, nms, BoundingBox, BoxMap, Detection};
use super::prepare::prepare;
use super::verdict::{verdict, ImageVerdict};

/// Where the ONNX model comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelSource {
    /// A file on disk.
    Path(PathBuf),
    /// The file's bytes (e.g. an app asset already in memory).
    Bytes(Vec<u8>),
}

/// How a model runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct ModelOptions {
    /// Threads one check uses. The model owns a pool of that many threads, idle between checks: a JPEG is
    /// decoded on it while the calling thread waits, and with the `image-threads` feature and more than one
    /// thread tract splits its matrix products across it too (otherwise inference runs on the calling thread).
    /// 1 is the default.
    pub threads: usize,
}

impl Default for ModelOptions {
    fn default() -> ModelOptions {
        ModelOptions { threads: 1 }
    }
}

/// Milliseconds spent in each stage of one check.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct ImageTimings {
    pub decode_ms: f32,
    pub preprocess_ms: f32,
    pub inference_ms: f32,
    pub postprocess_ms: f32,
}

/// The outcome of one check: the verdict, its score (see [`ImageVerdict`]), every detection after
/// non-maximum suppression (best first) and where the time went.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NudityResult {
    pub verdict: ImageVerdict,
    pub score: f32,
    pub detections: Vec<Detection>,
    pub timings: ImageTimings,
}

/// An ONNX image model loaded with tract, optimized for its fixed input size once, then run any
/// number of times. `Send + Sync`: [`ImageModel::classify`] takes `&self` and may run on several
/// threads at once (each call has its own scratch state; the weights are shared).
pub struct ImageModel {
    plan: Arc<TypedRunnableModel>,
    manifest: ModelManifest,
    /// The model's threads (see [`ModelOptions::threads`]).
    pool: Arc<ThreadPool>,
}

impl std::fmt::Debug for ImageModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ImageModel")
            .field("manifest", &self.manifest.name)
            .finish_non_exhaustive()
    }
}

impl ImageModel {
    /// Loads and optimizes a model with one inference thread. Costs a few hundred milliseconds and
    /// about twice the model's size in memory while optimizing; call once and keep the model.
    ///
    /// The model is read whole (a path at most [`MAX_MODEL_BYTES`] far, and only if it names a regular
    /// file) and its SHA-256 must be the manifest's `sha256`, or the load fails with
    /// [`ImageError::ModelDigestMismatch`] before the bytes are parsed. The digest costs about 9 ms for
    /// NudeNet 320n's 12 MB on x86-64 with SHA-NI (ARMv8 has SHA instructions too), several times that on a
    /// CPU without them.
    pub fn load(source: ModelSource, manifest: ModelManifest) -> Result<ImageModel, ImageError> {
        ImageModel::load_with_options(source, manifest, ModelOptions::default())
    }

    /// Loads the model at `onnx_path` with the manifest beside it (same name, `.json`).
    pub fn load_file(onnx_path: &Path) -> Result<ImageModel, ImageError> {
        let manifest_path = onnx_path.with_extension("json");
        let json = read_bounded(&manifest_path, MAX_MANIFEST_BYTES as u64)
            .map_err(|e| ImageError::Manifest(e.describe(&manifest_path)))
            .and_then(|bytes| {
                String::from_utf8(bytes).map_err(|_| {
                    ImageError::Manifest(format!("{} is not UTF-8", manifest_path.display()))
                })
            })?;
        let manifest = ModelManifest::from_json(&json)?;
        ImageModel::load(ModelSource::Path(onnx_path.to_path_buf()), manifest)
    }

    /// [`ImageModel::load`] with explicit [`ModelOptions`].
    pub fn load_with_options(
        source: ModelSource,
        manifest: ModelManifest,
        options: ModelOptions,
    ) -> Result<ImageModel, ImageError> {
        manifest.validate()?;
        if options.threads == 0 || options.threads > 64 {
            return Err(ImageError::Model(format!(
                "threads must be 1 to 64, got {}",
                options.threads
            )));
        }
        let onnx = tract_onnx::onnx()
            .with_ignore_output_shapes(true)
            .with_ignore_value_info(true);
        let read;
        let bytes = match &source {
            ModelSource::Path(path) => {
                read = read_bounded(path, MAX_MODEL_BYTES).map_err(|e| match e {
                    ReadError::TooLarge(bytes) => ImageError::ModelTooLarge {
                        bytes,
                        max: MAX_MODEL_BYTES,
                    },
                    e => ImageError::Model(e.describe(path)),
                })?;
                read.as_slice()
            }
            ModelSource::Bytes(bytes) => {
                if bytes.len() as u64 > MAX_MODEL_BYTES {
                    return Err(ImageError::ModelTooLarge {
                        bytes: bytes.len() as u64,
                        max: MAX_MODEL_BYTES,
                    });
                }
                bytes.as_slice()
            }
        };
        check_digest(bytes, &manifest)?;
        let model = onnx
            .model_for_read(&mut &*bytes)
            .map_err(|e| ImageError::Model(format!("not a loadable ONNX model: {e:#}")))?;
        let pool = ThreadPoolBuilder::new()
            .num_threads(options.threads)
            .thread_name(|i| format!("haven-image-{i}"))
            .build()
            .map(Arc::new)
            .map_err(|e| {
                ImageError::Model(format!(
                    "cannot start {} image threads: {e}",
                    options.threads
                ))
            })?;
        let plan = optimize(model, &manifest, &pool)?;
        check_output(&plan, &manifest)?;
        Ok(ImageModel {
            plan,
            manifest,
            pool,
        })
    }

    /// The manifest the model was loaded with.
    pub fn manifest(&self) -> &ModelManifest {
        &self.manifest
    }

    /// Checks one image: decode (or validate the pixel buffer), preprocess, infer, decode the
    /// output, apply the policy. Thread-safe. Costs one inference (tens of milliseconds for NudeNet
    /// 320n on a phone core) plus decoding, which reduced-scale JPEG decoding keeps small.
    pub fn classify(&self, input: &ImageInput) -> Result<NudityResult, ImageError> {
        let spec = &self.manifest.input;
        let start = Instant::now();
        let (w, h) = (spec.width as usize, spec.height as usize);
        let shape = match spec.layout {
            Layout::Nchw => [1, 3, h, w],
            Layout::Nhwc => [1, h, w, 3],
        };
        // Preprocessed straight into tract's own (aligned) buffer: an ndarray would be copied.
        let input_error = |e: TractError| ImageError::Model(format!("input tensor: {e:#}"));
        let mut tensor = Tensor::zero::<f32>(&shape).map_err(input_error)?;
        let prepared = {
            let mut plain = tensor.try_as_plain_ram_mut().map_err(input_error)?;
            prepare(
                input,
                spec,
                // jpeg-decoder runs its inverse DCTs on the current rayon pool: on the model's own, not
                // on a global pool of one thread per core, nor on threads of its own started per image.
                |bytes, min_side| self.pool.install(|| decode(bytes, min_side)),
                plain.as_slice_mut::<f32>().map_err(input_error)?,
            )?
        };
        let preprocessed_at = Instant::now();

        let outputs = SimpleState::new(&self.plan)
            .and_then(|mut state| {
                state.run_plan_with_eval(
                    tvec!(tensor.into_tvalue()),
                    |ctx, op_state, node, inputs| {
                        let outputs = eval(ctx, op_state, node, inputs);
                        // tract's kernels leave the upper vector state dirty; clear it before the
                        // next operator's SSE code pays for it (see `avx_state`).
                        avx_state::clear();
                        outputs
                    },
                )
            })
            .map_err(|e| ImageError::Model(format!("inference failed: {e:#}")))?;
        let inferred_at = Instant::now();

        let output = outputs[0]
            .try_as_plain_ram()
            .and_then(|plain| plain.as_slice::<f32>().map(<[f32]>::to_vec))
            .map_err(|e| ImageError::Model(format!("output is not float32: {e:#}")))?;
        let (fw, fh) = (prepared.full_width as f32, prepared.full_height as f32);
        let detections = match &self.manifest.output {
            OutputSpec::Yolov8Detector {
                labels,
                confidence_threshold,
                nms_score_threshold,
                nms_iou_threshold,
            } => {
                let map = BoxMap {
                    x_ratio: prepared.x_ratio,
                    y_ratio: prepared.y_ratio,
                    width: fw,
                    height: fh,
                };
                let candidates = decode_yolov8(&output, labels.len(), *confidence_threshold, &map);
                let scored: Vec<(f32, BoundingBox)> =
                    candidates.iter().map(|c| (c.1, c.2)).collect();
                nms(&scored, *nms_score_threshold, *nms_iou_threshold)
                    .into_iter()
                    .map(|i| {
                        let (label, score, bbox) = candidates[i];
                        Detection {
                            label: labels[label].clone(),
                            score,
                            bbox,
                        }
                    })
                    .collect()
            }
            OutputSpec::Classifier {
                labels,
                softmax,
                confidence_threshold,
            } => {
                let whole = BoundingBox {
                    x: 0.0,
                    y: 0.0,
                    w: fw,
                    h: fh,
                };
                let mut found: Vec<Detection> = classifier_scores(&output, *softmax)
                    .into_iter()
                    .zip(labels)
                    .filter(|(score, _)| *score >= *confidence_threshold)
                    .map(|(score, label)| Detection {
                        label: label.clone(),
                        score,
                        bbox: whole,
                    })
                    .collect();
                found.sort_by(|a, b| b.score.total_cmp(&a.score));
                found
            }
        };
        let (verdict, score) = verdict(&detections, &self.manifest.policy);
        let done = Instant::now();
        let ms = |a: Instant, b: Instant| (b - a).as_secs_f32() * 1000.0;
        Ok(NudityResult {
            verdict,
            score,
            detections,
            timings: ImageTimings {
                decode_ms: ms(start, prepared.decoded_at),
                preprocess_ms: ms(prepared.decoded_at, preprocessed_at),
                inference_ms: ms(preprocessed_at, inferred_at),
                postprocess_ms: ms(inferred_at, done),
            },
        })
    }
}

/// Why a file could not be read by [`read_bounded`].
#[derive(Debug)]
enum ReadError {
    /// Opening or reading failed.
    Io(std::io::Error),
    /// Not a regular file: a FIFO, a device, a socket or a directory.
    NotAFile,
    /// Larger than the limit: the size found, or the limit plus one for a file that grew while read.
    TooLarge(u64),
}

impl ReadError {
    fn describe(&self, path: &Path) -> String {
        match self {
            ReadError::Io(e) => format!("cannot read {}: {e}", path.display()),
            ReadError::NotAFile => format!(
                "{} is not a regular file (a FIFO, device or directory)",
                path.display()
            ),
            ReadError::TooLarge(bytes) => {
                format!("{} is too large ({bytes} bytes)", path.display())
            }
        }
    }
}

/// Reads the regular file at `path`, at most `max` bytes. Opened without blocking, so a FIFO with no
/// writer is refused at once instead of waiting; a device such as `/dev/zero` is refused before any
/// read, and a file that grows while read stops at `max + 1` bytes.
fn read_bounded(path: &Path, max: u64) -> Result<Vec<u8>, ReadError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file: File = options.open(path).map_err(ReadError::Io)?;
    let meta = file.metadata().map_err(ReadError::Io)?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile);
    }
    if meta.len() > max {
        return Err(ReadError::TooLarge(meta.len()));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(max + 1)
        .read_to_end(&mut bytes)
        .map_err(ReadError::Io)?;
    if bytes.len() as u64 > max {
        return Err(ReadError::TooLarge(max + 1));
    }
    Ok(bytes)
}

/// Refuses model bytes whose SHA-256 is not the manifest's.
fn check_digest(bytes: &[u8], manifest: &ModelManifest) -> Result<(), ImageError> {
    let actual: [u8; 32] = Sha256::digest(bytes).into();
    if manifest.digest() == Some(actual) {
        return Ok(());
    }
    Err(ImageError::ModelDigestMismatch {
        expected: manifest.sha256.to_ascii_lowercase(),
        actual: actual.iter().map(|b| format!("{b:02x}")).collect(),
    })
}

/// Fixes the input shape from the manifest, optimizes, swaps in faster kernels and builds the plan.
fn optimize(
    model: InferenceModel,
    manifest: &ModelManifest,
    pool: &Arc<ThreadPool>,
) -> Result<Arc<TypedRunnableModel>, ImageError> {
    let spec = &manifest.input;
    let (w, h) = (spec.width as usize, spec.height as usize);
    let shape = match spec.layout {
        Layout::Nchw => [1, 3, h, w],
        Layout::Nhwc => [1, h, w, 3],
    };
    let inputs = model
        .input_outlets()
        .map_err(|e| ImageError::Model(format!("{e:#}")))?
        .len();
    if inputs != 1 {
        return Err(ImageError::Manifest(format!(
            "the model has {inputs} inputs; one image input is expected"
        )));
    }
    let mismatch = |e: TractError| {
        ImageError::Manifest(format!(
            "the model does not accept the manifest's input {shape:?} float32: {e:#}"
        ))
    };
    let mut typed = model
        .with_input_fact(0, f32::fact(shape).into())
        .and_then(|m| m.into_typed())
        .and_then(|m| m.into_decluttered())
        .map_err(mismatch)?;
    // Codegen forgets each convolution's geometry, which the faster im2col needs.
    let convs = convolutions(&typed);
    typed
        .optimize()
        .and_then(|_| {
            substitute(&mut typed, |model, node| {
                Ok(faster_softmax(model, node)?
                    .or(faster_pad(model, node)?)
                    .or(faster_im2col(&convs, model, node)?))
            })
        })
        .map_err(|e| ImageError::Model(format!("{e:#}")))?;
    let run_options = RunOptions {
        executor: executor(pool),
        ..RunOptions::default()
    };
    typed
        .into_runnable_with_options(&run_options)
        .map_err(|e| ImageError::Model(format!("cannot build the execution plan: {e:#}")))
}

/// tract's executor for the model's pool: with `image-threads` and more than one thread, matrix products are split
/// across the pool's threads.
#[cfg(feature = "image-threads")]
fn executor(pool: &Arc<ThreadPool>) -> Option<Executor> {
    (pool.current_num_threads() > 1).then(|| Executor::MultiThread(Arc::clone(pool)))
}

/// Without `image-threads`, tract has no executor but its own: inference runs on the calling thread.
#[cfg(not(feature = "image-threads"))]
fn executor(_pool: &Arc<ThreadPool>) -> Option<Executor> {
    None
}

/// Checks that the model's output has the shape the manifest's output format implies.
fn check_output(plan: &TypedRunnableModel, manifest: &ModelManifest) -> Result<(), ImageError> {
    let model = plan.model();
    let outlets = model
        .output_outlets()
        .map_err(|e| ImageError::Model(format!("{e:#}")))?;
    let fact = outlets
        .first()
        .map(|o| model.outlet_fact(*o))
        .transpose()
        .map_err(|e| ImageError::Model(format!("{e:#}")))?
        .ok_or_else(|| ImageError::Model("the model has no output".into()))?;
    let shape: Vec<usize> = fact
        .shape
        .as_concrete()
        .ok_or_else(|| {
            ImageError::Manifest(format!(
                "output shape {:?} is not fixed by the input size",
                fact.shape
            ))
        })?
        .to_vec();
    if fact.datum_type != f32::datum_type() {
        return Err(ImageError::Manifest(format!(
            "output is {:?}, float32 expected",
            fact.datum_type
        )));
    }
    let labels = manifest.output.labels().len();
    let ok = match manifest.output {
        OutputSpec::Yolov8Detector { .. } => {
            shape.len() == 3 && shape[0] == 1 && shape[1] == 4 + labels && shape[2] > 0
        }
        OutputSpec::Classifier { .. } => {
            shape.iter().product::<usize>() == labels
                && shape.iter().filter(|&&d| d != 1).count() <= 1
        }
    };
    if !ok {
        let want = match manifest.output {
            OutputSpec::Yolov8Detector { .. } => format!("[1, {}, anchors]", 4 + labels),
            OutputSpec::Classifier { .. } => format!("[1, {labels}]"),
        };
        return Err(ImageError::Manifest(format!(
            "model output shape {shape:?} does not match the manifest's {labels} labels: expected {want}"
        )));
    }
    Ok(())
}
