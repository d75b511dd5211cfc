//! Model output to detections: YOLOv8 decoding with NudeNet's confidence rule and OpenCV's
//! `dnn::NMSBoxes` (class-agnostic), or classifier scores; boxes in original image pixels.

use serde::Serialize;

/// An axis-aligned box in the original image's pixels (upright, EXIF orientation applied):
/// top-left corner, width and height, clipped to the image.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct BoundingBox {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

/// One thing the model found: its label (from the manifest), score in 0..1 and where.
/// A classifier's detections cover the whole image.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Detection {
    pub label: String,
    pub score: f32,
    pub bbox: BoundingBox,
}

/// Maps model input coordinates to original image pixels: multiply, then clip to the image.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct BoxMap {
    pub(crate) x_ratio: f32,
    pub(crate) y_ratio: f32,
    pub(crate) width: f32,
    pub(crate) height: f32,
}

/// Candidates of a YOLOv8 head `[4 + labels, anchors]` (row-major): every anchor whose best label
/// scores at least `confidence`, with that label (the first one on ties) and its box converted
/// from centre and size to corner and size, scaled and clipped as NudeNet 3.4.2 does.
pub(crate) fn decode_yolov8(
    output: &[f32],
    labels: usize,
    confidence: f32,
    map: &BoxMap,
) -> Vec<(usize, f32, BoundingBox)> {
    let anchors = output.len() / (4 + labels);
    let row = |r: usize| &output[r * anchors..(r + 1) * anchors];
    let mut best = row(4).to_vec();
    let mut best_label = vec![0usize; anchors];
    for c in 1..labels {
        for ((b, l), &s) in best.iter_mut().zip(best_label.iter_mut()).zip(row(4 + c)) {
            if s > *b {
                *b = s;
                *l = c;
            }
        }
    }
    let (cx, cy, w, h) = (row(0), row(1), row(2), row(3));
    (0..anchors)
        .filter(|&a| best[a] >= confidence)
        .map(|a| {
            let x = ((cx[a] - w[a] / 2.0) * map.x_ratio).clamp(0.0, map.width);
            let y = ((cy[a] - h[a] / 2.0) * map.y_ratio).clamp(0.0, map.height);
            let bw = (w[a] * map.x_ratio).min(map.width - x);
            let bh = (h[a] * map.y_ratio).min(map.height - y);
            (best_label[a], best[a], BoundingBox { x, y, w: bw, h: bh })
        })
        .collect()
}

/// Indices of the boxes kept by non-maximum suppression, best first, as `cv::dnn::NMSBoxes` with
/// `eta = 1` and no `top_k`: boxes scoring above `score_threshold`, stably sorted by falling score,
/// each kept unless it overlaps an already kept box by more than `iou_threshold`.
pub(crate) fn nms(
    boxes: &[(f32, BoundingBox)],
    score_threshold: f32,
    iou_threshold: f32,
) -> Vec<usize> {
    let mut order: Vec<usize> = (0..boxes.len())
        .filter(|&i| boxes[i].0 > score_threshold)
        .collect();
    // A stable sort, as OpenCV's, so equal scores keep their anchor order.
    order.sort_by(|&a, &b| boxes[b].0.total_cmp(&boxes[a].0));
    let mut kept: Vec<usize> = Vec::new();
    for i in order {
        if kept
            .iter()
            .all(|&k| overlap(&boxes[i].1, &boxes[k].1) <= iou_threshold)
        {
            kept.push(i);
        }
    }
    kept
}

/// Intersection over union in double precision, as OpenCV's `rectOverlap` on `Rect2d`.
fn overlap(a: &BoundingBox, b: &BoundingBox) -> f32 {
    let area = |r: &BoundingBox| f64::from(r.w) * f64::from(r.h);
    let (aa, ab) = (area(a), area(b));
    if aa + ab <= f64::EPSILON {
        return 1.0;
    }
    let x1 = f64::from(a.x.max(b.x));
    let y1 = f64::from(a.y.max(b.y));
    let iw = (f64::from(a.x) + f64::from(a.w)).min(f64::from(b.x) + f64::from(b.w)) - x1;
    let ih = (f64::from(a.y) + f64::from(a.h)).min(f64::from(b.y) + f64::from(b.h)) - y1;
    let inter = if iw <= 0.0 || ih <= 0.0 { 0.0 } else { iw * ih };
    (inter / (aa + ab - inter)) as f32
}

/// Scores of a classifier output, through softmax when the manifest says they are logits.
pub(crate) fn classifier_scores(output: &[f32], softmax: bool) -> Vec<f32> {
    if !softmax {
        return output.to_vec();
    }
    let max = output.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    let exp: Vec<f32> = output.iter().map(|v| (v - max).exp()).collect();
    let sum: f32 = exp.iter().sum();
    exp.iter().map(|e| e / sum).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bx(x: f32, y: f32, w: f32, h: f32) -> BoundingBox {
        BoundingBox { x, y, w, h }
    }

    const IDENTITY: BoxMap = BoxMap {
        x_ratio: 1.0,
        y_ratio: 1.0,
        width: 320.0,
        height: 320.0,
    };

    /// A `[4 + 2, anchors]` output from per-anchor (cx, cy, w, h, score0, score1).
    fn head(anchors: &[[f32; 6]]) -> Vec<f32> {
        (0..6)
            .flat_map(|r| anchors.iter().map(move |a| a[r]))
            .collect()
    }

    #[test]
    fn decode_keeps_confident_anchors_with_their_best_label() {
        let out = head(&[
            [100.0, 100.0, 20.0, 40.0, 0.1, 0.9],
            [50.0, 50.0, 10.0, 10.0, 0.19, 0.1],
            [10.0, 300.0, 40.0, 60.0, 0.2, 0.2],
        ]);
        let got = decode_yolov8(&out, 2, 0.2, &IDENTITY);
        assert_eq!(got.len(), 2, "the 0.19 anchor is below the 0.2 confidence");
        assert_eq!(got[0], (1, 0.9, bx(90.0, 80.0, 20.0, 40.0)));
        // A tie goes to the first label; the box is clipped at the left and bottom edges.
        assert_eq!(got[1], (0, 0.2, bx(0.0, 270.0, 40.0, 50.0)));
    }

    #[test]
    fn decode_scales_to_original_pixels() {
        let map = BoxMap {
            x_ratio: 2.0,
            y_ratio: 2.0,
            width: 640.0,
            height: 400.0,
        };
        let out = head(&[[160.0, 100.0, 20.0, 20.0, 0.5, 0.0]]);
        assert_eq!(
            decode_yolov8(&out, 2, 0.2, &map)[0].2,
            bx(300.0, 180.0, 40.0, 40.0)
        );
    }

    #[test]
    fn nms_suppresses_overlaps_across_labels_and_keeps_score_order() {
        let boxes = [
            (0.5, bx(0.0, 0.0, 10.0, 10.0)),
            (0.9, bx(1.0, 1.0, 10.0, 10.0)), // IoU with the first: 81 / 119 = 0.68
            (0.7, bx(50.0, 50.0, 10.0, 10.0)), // disjoint
            (0.25, bx(80.0, 80.0, 5.0, 5.0)), // not above the 0.25 score threshold
            (0.6, bx(5.0, 0.0, 10.0, 10.0)), // IoU with the second: 54 / 146 = 0.37, kept
        ];
        assert_eq!(nms(&boxes, 0.25, 0.45), vec![1, 2, 4]);
        assert_eq!(nms(&boxes, 0.25, 0.3), vec![1, 2]);
        assert_eq!(nms(&[], 0.25, 0.45), Vec::<usize>::new());
    }

    #[test]
    fn nms_ties_keep_anchor_order() {
        let boxes = [
            (0.5, bx(0.0, 0.0, 10.0, 10.0)),
            (0.5, bx(0.0, 0.0, 10.0, 10.0)),
        ];
        assert_eq!(nms(&boxes, 0.25, 0.45), vec![0]);
    }

    #[test]
    fn overlap_of_empty_boxes_is_total_and_disjoint_is_none() {
        assert_eq!(
            overlap(&bx(0.0, 0.0, 0.0, 0.0), &bx(5.0, 5.0, 0.0, 0.0)),
            1.0
        );
        assert_eq!(
            overlap(&bx(0.0, 0.0, 1.0, 1.0), &bx(1.0, 0.0, 1.0, 1.0)),
            0.0
        );
        assert_eq!(
            overlap(&bx(0.0, 0.0, 2.0, 2.0), &bx(0.0, 0.0, 2.0, 2.0)),
            1.0
        );
    }

    #[test]
    fn classifier_softmax_sums_to_one() {
        let s = classifier_scores(&[1.0, 2.0, 3.0], true);
        assert!((s.iter().sum::<f32>() - 1.0).abs() < 1e-6);
        assert!((s[2] - 0.665_240_9).abs() < 1e-6);
        assert_eq!(classifier_scores(&[0.2, 0.8], false), vec![0.2, 0.8]);
    }
}
