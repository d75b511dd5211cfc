//! The model manifest: the JSON file beside an `.onnx` that says how to feed the model, how to read
//! its output and which labels make an image explicit or suggestive. Models are pluggable through it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::error::ImageError;

/// Largest model input side a manifest may declare, in pixels.
const MAX_INPUT_SIDE: u32 = 4096;

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
    /// SHA-256 of the `.onnx` file this manifest was written for; informative (the fetch script checks it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
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
    #[serde(default = "zeros")]
    pub mean: [f32; 3],
    /// Per-channel divisor applied last.
    #[serde(default = "ones")]
    pub std: [f32; 3],
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
    /// Parses and validates a manifest. Errors name the offending field.
    pub fn from_json(json: &str) -> Result<ModelManifest, ImageError> {
        let manifest: ModelManifest =
            serde_json::from_str(json).map_err(|e| ImageError::Manifest(e.to_string()))?;
        manifest.validate()?;
        Ok(manifest)
    }

    /// Checks the values serde cannot: sizes, thresholds and that the policy names known labels.
    pub fn validate(&self) -> Result<(), ImageError> {
        let bad = |msg: String| Err(ImageError::Manifest(msg));
        let input = &self.input;
        for (what, side) in [("width", input.width), ("height", input.height)] {
            if side == 0 || side > MAX_INPUT_SIDE {
                return bad(format!(
                    "input.{what} must be 1 to {MAX_INPUT_SIDE}, got {side}"
                ));
            }
        }
        if !(input.scale.is_finite() && input.scale != 0.0) {
            return bad(format!(
                "input.scale must be finite and non-zero, got {}",
                input.scale
            ));
        }
        if input.mean.iter().any(|m| !m.is_finite()) {
            return bad("input.mean must be finite".into());
        }
        if input.std.iter().any(|s| !s.is_finite() || *s == 0.0) {
            return bad("input.std must be finite and non-zero".into());
        }
        let labels = self.output.labels();
        if labels.is_empty() {
            return bad("output.labels is empty".into());
        }
        for (i, label) in labels.iter().enumerate() {
            if labels[..i].contains(label) {
                return bad(format!("output.labels lists {label:?} twice"));
            }
        }
        let unit = |what: &str, v: f32| -> Result<(), ImageError> {
            if (0.0..=1.0).contains(&v) {
                Ok(())
            } else {
                Err(ImageError::Manifest(format!(
                    "{what} must be within 0..=1, got {v}"
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
                unit("output.confidence_threshold", *confidence_threshold)?;
                unit("output.nms_score_threshold", *nms_score_threshold)?;
                unit("output.nms_iou_threshold", *nms_iou_threshold)?;
            }
            OutputSpec::Classifier {
                confidence_threshold,
                ..
            } => {
                unit("output.confidence_threshold", *confidence_threshold)?;
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
                if !labels.contains(label) {
                    return bad(format!(
                        "policy.{level} names {label:?}, which is not in output.labels"
                    ));
                }
                if !(threshold.is_finite() && *threshold > 0.0 && *threshold <= 1.0) {
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
}
