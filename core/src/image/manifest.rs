//! The model manifest: the JSON file beside an `.onnx` that says how to feed the model, how to read
//! its output and which labels make an image explicit or suggestive. Models are pluggable through it.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Deserializer, Serialize};

use super::error::ImageError;
use super::limits::{MAX_LABELS, MAX_LABEL_BYTES, MAX_MANIFEST_BYTES, MAX_SOURCE_BYTES};

/// Largest model input side a manifest may declare, in pixels.
const MAX_INPUT_SIDE: u32 = 4096;

/// Largest magnitude of `input.mean` and of `input.std` (the 0..255 sample range, for models fed unscaled).
const MAX_NORMALISATION: f32 = 255.0;

/// Smallest `input.std`: anything smaller multiplies the input beyond what any trained model saw.
const MIN_STD: f32 = 1e-3;

/// Everything Haven needs to know about an image model besides its weights. Parsed from JSON with
/// [`ModelManifest::from_json`], which validates it; cheap to clone.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModelManifest {
    /// Short name of the model, for logs and reports.
    pub name: String,
    /// Where the weights come from and under which licence; informative only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
    /// SHA-256 of the `.onnx` file this manifest was written for, 64 hex digits. Required: loading a
    /// model whose digest differs fails with [`ImageError::ModelDigestMismatch`].
    pub sha256: String,
    /// How an image becomes the model's input tensor.
    pub input: InputSpec,
    /// How the model's output tensor becomes labelled scores.
    pub output: OutputSpec,
    /// Which labels, at which scores, make an image explicit or suggestive.
    pub policy: Policy,
}

/// The model's input tensor: one image, `height` x `width`, float32.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InputSpec {
    /// Input width in pixels.
    pub width: u32,
    /// Input height in pixels.
    pub height: u32,
    /// Axis order of the input tensor.
    pub layout: Layout,
    /// Channel order of the input tensor.
    pub channels: ChannelOrder,
    /// How the image is fitted to the input size.
    pub resize: ResizeMode,
    /// Each 0..255 sample becomes `(sample * scale - mean[c]) / std[c]`, c in the input's channel order.
    pub scale: f32,
    /// Per-channel mean subtracted after scaling.
    #[serde(default = "zeros", deserialize_with = "mean")]
    pub mean: [f32; 3],
    /// Per-channel divisor applied last.
    #[serde(default = "ones", deserialize_with = "std")]
    pub std: [f32; 3],
}

fn mean<'de, D: Deserializer<'de>>(d: D) -> Result<[f32; 3], D::Error> {
    per_channel(d, "input.mean")
}

fn std<'de, D: Deserializer<'de>>(d: D) -> Result<[f32; 3], D::Error> {
    per_channel(d, "input.std")
}

/// Three numbers, one per channel; the error names the field (serde's own names only a column).
fn per_channel<'de, D: Deserializer<'de>>(d: D, field: &str) -> Result<[f32; 3], D::Error> {
    let values = Vec::<f32>::deserialize(d)
        .map_err(|e| serde::de::Error::custom(format!("{field} must be 3 numbers: {e}")))?;
    <[f32; 3]>::try_from(values.as_slice()).map_err(|_| {
        serde::de::Error::custom(format!(
            "{field} must list 3 numbers, one per channel, got {}",
            values.len()
        ))
    })
}

fn zeros() -> [f32; 3] {
    [0.0; 3]
}

fn ones() -> [f32; 3] {
    [1.0; 3]
}

/// Axis order of the input tensor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    /// `[1, 3, height, width]`.
    Nchw,
    /// `[1, height, width, 3]`.
    Nhwc,
}

/// Channel order of the input tensor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChannelOrder {
    /// Red, green, blue.
    Rgb,
    /// Blue, green, red.
    Bgr,
}

/// How an image is fitted to the model's input size. Both resize bilinearly with OpenCV
/// `INTER_LINEAR` semantics (half-pixel centres, no antialiasing).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ResizeMode {
    /// Pad with black on the right or bottom to a square, then resize (YOLO-style detectors).
    PadBottomRight,
    /// Resize to the input size directly, ignoring the aspect ratio (typical classifiers).
    Stretch,
}

/// The model's output and how to read it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "format", rename_all = "kebab-case", deny_unknown_fields)]
pub enum OutputSpec {
    /// A YOLOv8 detection head: one output `[1, 4 + labels, anchors]` holding, per anchor, the box
    /// centre, width and height in input pixels and one sigmoid score per label. Decoded with a
    /// confidence threshold, then class-agnostic non-maximum suppression.
    Yolov8Detector {
        /// Label of each score row, in output order.
        labels: Vec<String>,
        /// Anchors whose best label scores below this are dropped.
        confidence_threshold: f32,
        /// Boxes must score above this to enter non-maximum suppression.
        nms_score_threshold: f32,
        /// A box overlapping a better one by more than this intersection over union is dropped.
        nms_iou_threshold: f32,
    },
    /// An image classifier: one output with one score per label (`[1, labels]` or `[labels]`).
    /// Every label scoring at least the threshold becomes a detection covering the whole image.
    Classifier {
        /// Label of each score, in output order.
        labels: Vec<String>,
        /// Whether the output is logits to pass through softmax (otherwise they are probabilities).
        softmax: bool,
        /// Labels scoring below this are not reported.
        confidence_threshold: f32,
    },
}

impl OutputSpec {
    /// The labels, in output order.
    pub fn labels(&self) -> &[String] {
        match self {
            OutputSpec::Yolov8Detector { labels, .. } | OutputSpec::Classifier { labels, .. } => {
                labels
            }
        }
    }
}

/// Minimum score per label at which a detection makes the image explicit or suggestive. A label
/// may appear in both (suggestive at a lower score, explicit at a higher one); labels in neither
/// (faces, feet, covered bellies...) never raise the verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// Label to minimum score for `explicit`.
    pub explicit: BTreeMap<String, f32>,
    /// Label to minimum score for `suggestive`.
    #[serde(default)]
    pub suggestive: BTreeMap<String, f32>,
}

impl ModelManifest {
    /// Parses and validates a manifest of at most [`MAX_MANIFEST_BYTES`]. Errors name the offending
    /// field. Costs time linear in the manifest's size.
    pub fn from_json(json: &str) -> Result<ModelManifest, ImageError> {
        if json.len() > MAX_MANIFEST_BYTES {
            return Err(ImageError::Manifest(format!(
                "manifest is {} bytes, more than the limit of {MAX_MANIFEST_BYTES} bytes",
                json.len()
            )));
        }
        let manifest: ModelManifest =
            serde_json::from_str(json).map_err(|e| ImageError::Manifest(e.to_string()))?;
        manifest.validate()?;
        Ok(manifest)
    }

    /// The expected model digest as 32 bytes; `None` if `sha256` is not 64 hex digits.
    pub(crate) fn digest(&self) -> Option<[u8; 32]> {
        let hex = self.sha256.as_bytes();
        if hex.len() != 64 {
            return None;
        }
        let mut out = [0u8; 32];
        for (byte, pair) in out.iter_mut().zip(hex.chunks_exact(2)) {
            let text = std::str::from_utf8(pair).ok()?;
            *byte = u8::from_str_radix(text, 16).ok()?;
        }
        Some(out)
    }

    /// Checks every value against the range a real model can have: sizes, normalisation, thresholds,
    /// label lists (at most [`MAX_LABELS`], unique, each at most [`MAX_LABEL_BYTES`]) and that the policy
    /// names known labels. Costs O(n log n) in the number of labels.
    pub fn validate(&self) -> Result<(), ImageError> {
        let bad = |msg: String| Err(ImageError::Manifest(msg));
        for (what, text, max) in [
            ("name", self.name.as_str(), MAX_LABEL_BYTES),
            (
                "source",
                self.source.as_deref().unwrap_or(""),
                MAX_SOURCE_BYTES,
            ),
        ] {
            if text.len() > max {
                return bad(format!(
                    "{what} is {} bytes, more than the limit of {max}",
                    text.len()
                ));
            }
        }
        if self.name.trim().is_empty() {
            return bad("name is empty".into());
        }
        if self.digest().is_none() {
            return bad(format!(
                "sha256 must be 64 hex digits (the model file's SHA-256), got {:?}",
                self.sha256.chars().take(80).collect::<String>()
            ));
        }
        let input = &self.input;
        for (what, side) in [("width", input.width), ("height", input.height)] {
            if side == 0 || side > MAX_INPUT_SIDE {
                return bad(format!(
                    "input.{what} must be 1 to {MAX_INPUT_SIDE}, got {side}"
                ));
            }
        }
        // Samples are 0..255; a scale outside (0, 1] inverts or amplifies every input.
        if !(input.scale > 0.0 && input.scale <= 1.0) {
            return bad(format!(
                "input.scale must be within (0, 1], got {}",
                input.scale
            ));
        }
        for (c, m) in input.mean.iter().enumerate() {
            if !(-MAX_NORMALISATION..=MAX_NORMALISATION).contains(m) {
                return bad(format!(
                    "input.mean[{c}] must be within -{MAX_NORMALISATION}..={MAX_NORMALISATION}, got {m}"
                ));
            }
        }
        for (c, s) in input.std.iter().enumerate() {
            if !(*s >= MIN_STD && *s <= MAX_NORMALISATION) {
                return bad(format!(
                    "input.std[{c}] must be within {MIN_STD}..={MAX_NORMALISATION}, got {s}"
                ));
            }
        }
        let labels = self.output.labels();
        if labels.is_empty() || labels.len() > MAX_LABELS {
            return bad(format!(
                "output.labels must list 1 to {MAX_LABELS} labels, got {}",
                labels.len()
            ));
        }
        let mut known = BTreeSet::new();
        for (i, label) in labels.iter().enumerate() {
            if label.is_empty() || label.len() > MAX_LABEL_BYTES {
                return bad(format!(
                    "output.labels[{i}] must be 1 to {MAX_LABEL_BYTES} bytes, got {}",
                    label.len()
                ));
            }
            if !known.insert(label.as_str()) {
                return bad(format!("output.labels lists {label:?} twice"));
            }
        }
        // Zero would make every anchor a candidate; a threshold above 1 could never be reached.
        let unit = |what: &str, v: f32, zero_ok: bool| -> Result<(), ImageError> {
            let low = if zero_ok { v >= 0.0 } else { v > 0.0 };
            if low && v <= 1.0 {
                Ok(())
            } else {
                let range = if zero_ok { "0..=1" } else { "(0, 1]" };
                Err(ImageError::Manifest(format!(
                    "{what} must be within {range}, got {v}"
                )))
            }
        };
        match &self.output {
            OutputSpec::Yolov8Detector {
                confidence_threshold,
                nms_score_threshold,
                nms_iou_threshold,
                ..
            } => {
                unit("output.confidence_threshold", *confidence_threshold, false)?;
                unit("output.nms_score_threshold", *nms_score_threshold, true)?;
                unit("output.nms_iou_threshold", *nms_iou_threshold, false)?;
            }
            OutputSpec::Classifier {
                confidence_threshold,
                ..
            } => {
                unit("output.confidence_threshold", *confidence_threshold, false)?;
            }
        }
        if self.policy.explicit.is_empty() {
            return bad("policy.explicit is empty: the model could never flag an image".into());
        }
        for (level, map) in [
            ("explicit", &self.policy.explicit),
            ("suggestive", &self.policy.suggestive),
        ] {
            for (label, threshold) in map {
                if !known.contains(label.as_str()) {
                    return bad(format!(
                        "policy.{level} names {label:?}, which is not in output.labels"
                    ));
                }
                if !(*threshold > 0.0 && *threshold <= 1.0) {
                    return bad(format!(
                        "policy.{level}.{label} must be within (0, 1], got {threshold}"
                    ));
                }
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NUDENET: &str = include_str!("../../../manifests/nudenet-320n.json");

    fn edited(f: impl FnOnce(&mut serde_json::Value)) -> String {
        let mut v: serde_json::Value = serde_json::from_str(NUDENET).unwrap();
        f(&mut v);
        v.to_string()
    }

    #[test]
    fn nudenet_manifest_parses() {
        let m = ModelManifest::from_json(NUDENET).unwrap();
        assert_eq!(m.output.labels().len(), 18);
        assert_eq!((m.input.width, m.input.height), (320, 320));
        assert!(matches!(m.output, OutputSpec::Yolov8Detector { .. }));
        // The coffee-cup trap: BUTTOCKS_EXPOSED at ~0.30 must stay below every threshold.
        assert!(m.policy.explicit["BUTTOCKS_EXPOSED"] > 0.35);
        assert!(m
            .policy
            .suggestive
            .get("BUTTOCKS_EXPOSED")
            .is_none_or(|t| *t > 0.35));
    }

    #[test]
    fn classifier_format_fits_the_same_manifest() {
        let json = edited(|v| {
            v["output"] = serde_json::json!({
                "format": "classifier", "labels": ["neutral", "porn", "sexy"],
                "softmax": true, "confidence_threshold": 0.1
            });
            v["input"]["resize"] = "stretch".into();
            v["policy"] =
                serde_json::json!({"explicit": {"porn": 0.7}, "suggestive": {"sexy": 0.6}});
        });
        let m = ModelManifest::from_json(&json).unwrap();
        assert!(matches!(
            m.output,
            OutputSpec::Classifier { softmax: true, .. }
        ));
        assert_eq!(m.input.resize, ResizeMode::Stretch);
    }

    /// An edit that breaks a valid manifest, and the word the error must name.
    type Breakage = (Box<dyn FnOnce(&mut serde_json::Value)>, &'static str);

    #[test]
    fn invalid_manifests_are_refused_with_the_field_named() {
        let cases: Vec<Breakage> = vec![
            (
                Box::new(|v| v["policy"]["explicit"]["NOT_A_LABEL"] = 0.5.into()),
                "NOT_A_LABEL",
            ),
            (
                Box::new(|v| v["policy"]["explicit"]["ANUS_EXPOSED"] = 1.5.into()),
                "policy.explicit",
            ),
            (
                Box::new(|v| v["policy"]["explicit"] = serde_json::json!({})),
                "policy.explicit",
            ),
            (Box::new(|v| v["input"]["width"] = 0.into()), "input.width"),
            (
                Box::new(|v| v["input"]["std"] = serde_json::json!([1.0, 0.0, 1.0])),
                "input.std",
            ),
            (
                Box::new(|v| v["input"]["layout"] = "chw".into()),
                "unknown variant",
            ),
            (
                Box::new(|v| v["output"]["format"] = "yolov5".into()),
                "unknown variant",
            ),
            (
                Box::new(|v| v["output"]["labels"] = serde_json::json!([])),
                "output.labels",
            ),
            (
                Box::new(|v| v["output"]["labels"][1] = "FEMALE_GENITALIA_COVERED".into()),
                "twice",
            ),
            (
                Box::new(|v| v["output"]["nms_iou_threshold"] = 2.0.into()),
                "nms_iou_threshold",
            ),
            (
                Box::new(|v| v["polcy"] = serde_json::json!({})),
                "unknown field",
            ),
            // Issue 11, finding 2: values no model has.
            (
                Box::new(|v| v["input"]["scale"] = (-1.0).into()),
                "input.scale",
            ),
            (
                Box::new(|v| v["input"]["scale"] = 255.0.into()),
                "input.scale",
            ),
            (
                Box::new(|v| v["input"]["mean"] = serde_json::json!([0.0, 1e9, 0.0])),
                "input.mean[1]",
            ),
            (
                Box::new(|v| v["input"]["std"] = serde_json::json!([1.0, 1.0, 1e-9])),
                "input.std[2]",
            ),
            (
                Box::new(|v| v["output"]["confidence_threshold"] = 0.0.into()),
                "output.confidence_threshold",
            ),
            (
                Box::new(|v| v["output"]["labels"][3] = "".into()),
                "output.labels[3]",
            ),
            (Box::new(|v| v["name"] = "x".repeat(1000).into()), "name"),
            (Box::new(|v| v["sha256"] = "c15d82".into()), "sha256"),
            (Box::new(|v| v["sha256"] = "z".repeat(64).into()), "sha256"),
            (
                Box::new(|v| {
                    v.as_object_mut().unwrap().remove("sha256");
                }),
                "sha256",
            ),
            // Finding 8: a wrong-length mean names the field, not only a JSON column.
            (
                Box::new(|v| v["input"]["mean"] = serde_json::json!([0.0, 0.0, 0.0, 0.0])),
                "input.mean must list 3 numbers, one per channel, got 4",
            ),
            (
                Box::new(|v| v["input"]["std"] = serde_json::json!([1.0])),
                "input.std must list 3 numbers",
            ),
        ];
        for (edit, needle) in cases {
            let err = ModelManifest::from_json(&edited(edit)).unwrap_err();
            let msg = err.to_string();
            assert!(matches!(err, ImageError::Manifest(_)), "{msg}");
            assert!(msg.contains(needle), "{msg:?} should mention {needle:?}");
        }
        assert!(matches!(
            ModelManifest::from_json("{"),
            Err(ImageError::Manifest(_))
        ));
    }

    #[test]
    fn label_lists_are_capped() {
        // 60,000 labels took 15 s in the quadratic duplicate check; now refused by count.
        let many: Vec<String> = (0..60_000).map(|i| format!("L{i}")).collect();
        let json = edited(|v| v["output"]["labels"] = serde_json::json!(many));
        let msg = ModelManifest::from_json(&json).unwrap_err().to_string();
        assert!(msg.contains("output.labels must list 1 to 1024"), "{msg}");
        // At the cap, the checks are O(n log n) and the manifest is accepted.
        let mut json: serde_json::Value = serde_json::from_str(&edited(|_| {})).unwrap();
        let mut labels: Vec<String> = (0..MAX_LABELS - 18).map(|i| format!("L{i}")).collect();
        labels.extend(
            json["output"]["labels"]
                .as_array()
                .unwrap()
                .iter()
                .map(|l| l.as_str().unwrap().to_owned()),
        );
        json["output"]["labels"] = serde_json::json!(labels);
        assert!(ModelManifest::from_json(&json.to_string()).is_ok());
    }

    #[test]
    fn oversized_manifest_text_is_refused_before_parsing() {
        let json = format!("{}{}", edited(|_| {}), " ".repeat(MAX_MANIFEST_BYTES));
        let msg = ModelManifest::from_json(&json).unwrap_err().to_string();
        assert!(msg.contains("limit of 1048576 bytes"), "{msg}");
    }

    #[test]
    fn digest_is_read_from_hex_in_either_case() {
        let m = ModelManifest::from_json(NUDENET).unwrap();
        let upper = edited(|v| v["sha256"] = m.sha256.to_uppercase().into());
        let digest = m.digest().unwrap();
        assert_eq!(digest[0], 0xc1);
        assert_eq!(digest[31], 0x0f);
        assert_eq!(
            ModelManifest::from_json(&upper).unwrap().digest(),
            Some(digest)
        );
    }
}
