//! Detections to a verdict, by the manifest's per-label thresholds.

use serde::{Deserialize, Serialize};

use super::manifest::Policy;
use super::postprocess::Detection;

/// How risky an image is. Ordered: `Safe < Suggestive < Explicit`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageVerdict {
    /// Nothing reached a suggestive or explicit threshold.
    Safe,
    /// A detection reached a suggestive threshold (e.g. covered intimate areas, or an exposed one
    /// at moderate confidence).
    Suggestive,
    /// A detection reached an explicit threshold.
    Explicit,
}

/// The verdict and its score: the highest score among the detections that reached the verdict's
/// level; for `Safe`, the highest score among labels the policy names (0 when there are none), so
/// the number says how close the image came to a warning.
pub(crate) fn verdict(detections: &[Detection], policy: &Policy) -> (ImageVerdict, f32) {
    let reached = |map: &std::collections::BTreeMap<String, f32>| {
        detections
            .iter()
            .filter(|d| map.get(&d.label).is_some_and(|t| d.score >= *t))
            .map(|d| d.score)
            .reduce(f32::max)
    };
    if let Some(score) = reached(&policy.explicit) {
        return (ImageVerdict::Explicit, score);
    }
    if let Some(score) = reached(&policy.suggestive) {
        return (ImageVerdict::Suggestive, score);
    }
    let closest = detections
        .iter()
        .filter(|d| {
            policy.explicit.contains_key(&d.label) || policy.suggestive.contains_key(&d.label)
        })
        .map(|d| d.score)
        .fold(0.0, f32::max);
    (ImageVerdict::Safe, closest)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::postprocess::BoundingBox;

    fn det(label: &str, score: f32) -> Detection {
        Detection {
            label: label.into(),
            score,
            bbox: BoundingBox {
                x: 0.0,
                y: 0.0,
                w: 1.0,
                h: 1.0,
            },
        }
    }

    fn policy() -> Policy {
        Policy {
            explicit: [("EXPOSED".to_string(), 0.5)].into(),
            suggestive: [("EXPOSED".to_string(), 0.4), ("COVERED".to_string(), 0.6)].into(),
        }
    }

    #[test]
    fn the_strongest_level_wins() {
        let p = policy();
        assert_eq!(
            verdict(&[det("COVERED", 0.9), det("EXPOSED", 0.55)], &p),
            (ImageVerdict::Explicit, 0.55)
        );
        assert_eq!(
            verdict(&[det("COVERED", 0.7), det("EXPOSED", 0.45)], &p),
            (ImageVerdict::Suggestive, 0.7)
        );
        assert_eq!(
            verdict(&[det("EXPOSED", 0.4)], &p),
            (ImageVerdict::Suggestive, 0.4)
        );
    }

    #[test]
    fn safe_reports_the_closest_policy_label_only() {
        let p = policy();
        assert_eq!(
            verdict(&[det("FACE", 0.95), det("EXPOSED", 0.3)], &p),
            (ImageVerdict::Safe, 0.3)
        );
        assert_eq!(verdict(&[det("FACE", 0.95)], &p), (ImageVerdict::Safe, 0.0));
        assert_eq!(verdict(&[], &p), (ImageVerdict::Safe, 0.0));
    }

    #[test]
    fn verdicts_are_ordered_and_lowercase() {
        assert!(
            ImageVerdict::Safe < ImageVerdict::Suggestive
                && ImageVerdict::Suggestive < ImageVerdict::Explicit
        );
        assert_eq!(
            serde_json::to_string(&ImageVerdict::Suggestive).unwrap(),
            "\"suggestive\""
        );
    }
}
