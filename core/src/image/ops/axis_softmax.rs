//! A tract operator computing softmax along an axis that is not the innermost one, and the pass
//! that substitutes it into an optimized model. YOLOv8's distribution focal loss head runs softmax
//! over 16 bins on axis 1 of `[4, 16, anchors]`; tract 0.23 evaluates that case lane by lane
//! through strided ndarray views with scalar `exp`, which cost 40% of NudeNet 320n's inference.
//! Here the reduction runs over whole contiguous rows instead (vectorisable), with the same maths,
//! except that terms too small to matter are flushed to zero instead of becoming subnormal floats
//! (the DFL logits are spread widely, and subnormal arithmetic was the other half of the cost).

use tract_onnx::prelude::*;
use tract_onnx::tract_core::internal::*;
use tract_onnx::tract_core::ops::nn::{Softmax, SoftmaxKind};

/// Exponent below which a softmax term is taken as zero (e^-80 is about 1.8e-35, still a normal float).
const FLUSH_BELOW: f32 = -80.0;

/// Softmax of a float32 tensor along `axis`, computed over contiguous inner rows.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct AxisSoftmax {
    axis: usize,
}

impl Op for AxisSoftmax {
    fn name(&self) -> StaticName {
        "AxisSoftmax".into()
    }

    fn info(&self) -> TractResult<Vec<String>> {
        Ok(vec![format!("axis: {}", self.axis)])
    }

    op_as_typed_op!();
}

impl EvalOp for AxisSoftmax {
    op_out_of_plan!();

    fn eval(&self, _ctx: &EvalContext, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let input = args_1!(inputs);
        let shape: TVec<usize> = input.shape().into();
        let bins = shape[self.axis];
        let inner: usize = shape[self.axis + 1..].iter().product();
        let mut tensor = input.into_tensor();
        {
            let mut plain = tensor.try_as_plain_ram_mut()?;
            let data = plain.as_slice_mut::<f32>()?;
            if bins > 0 && inner > 0 {
                let mut max = vec![0f32; inner];
                let mut sum = vec![0f32; inner];
                for block in data.chunks_exact_mut(bins * inner) {
                    softmax_block(block, inner, &mut max, &mut sum);
                }
            }
        }
        Ok(tvec!(tensor.into_tvalue()))
    }
}

/// Softmax down the columns of `block`, `inner` floats per row.
fn softmax_block(block: &mut [f32], inner: usize, max: &mut [f32], sum: &mut [f32]) {
    max.copy_from_slice(&block[..inner]);
    for row in block.chunks_exact(inner).skip(1) {
        for (m, &x) in max.iter_mut().zip(row) {
            *m = m.max(x);
        }
    }
    sum.fill(0.0);
    for row in block.chunks_exact_mut(inner) {
        for ((x, s), m) in row.iter_mut().zip(sum.iter_mut()).zip(max.iter()) {
            // Terms below e^-80 (1e-35) are flushed to zero: they cannot change a sum that
            // includes e^0 = 1, and letting them become subnormal floats made every later
            // operation on them dozens of times slower.
            let d = *x - m;
            *x = if d < FLUSH_BELOW { 0.0 } else { d.exp() };
            *s += *x;
        }
    }
    for s in sum.iter_mut() {
        *s = s.recip();
    }
    for row in block.chunks_exact_mut(inner) {
        for (x, s) in row.iter_mut().zip(sum.iter()) {
            *x *= s;
        }
    }
}

impl TypedOp for AxisSoftmax {
    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        Ok(tvec!(inputs[0].datum_type.fact(inputs[0].shape.clone())))
    }

    as_op!();
}

/// [`AxisSoftmax`] for a float32 softmax over a single non-innermost axis (see [`super::substitute`]).
pub(crate) fn faster_softmax(
    model: &TypedModel,
    node: &TypedNode,
) -> TractResult<Option<Box<dyn TypedOp>>> {
    let Some(softmax) = node.op_as::<Softmax>() else {
        return Ok(None);
    };
    let fact = model.outlet_fact(node.inputs[0])?;
    let strided = softmax.kind == SoftmaxKind::Softmax
        && softmax.quant_output_dt.is_none()
        && fact.datum_type == f32::datum_type()
        && softmax.axes.len() == 1
        && softmax.axes[0] + 1 < fact.rank();
    Ok(strided.then(|| {
        Box::new(AxisSoftmax {
            axis: softmax.axes[0],
        }) as _
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_a_direct_softmax_along_the_middle_axis() {
        // [2, 3, 4]: softmax over the 3 values at each (i, k).
        let data: Vec<f32> = (0..24)
            .map(|i| ((i * 37) % 11) as f32 * 0.7 - 3.0)
            .collect();
        let input = Tensor::from_shape(&[2, 3, 4], &data).unwrap();
        let out = AxisSoftmax { axis: 1 }
            .eval(&EvalContext::out_of_plan(), tvec!(input.into_tvalue()))
            .unwrap();
        let got = out[0]
            .try_as_plain_ram()
            .unwrap()
            .as_slice::<f32>()
            .unwrap()
            .to_vec();
        for i in 0..2 {
            for k in 0..4 {
                let col: Vec<f32> = (0..3).map(|j| data[i * 12 + j * 4 + k]).collect();
                let denom: f32 = col.iter().map(|v| v.exp()).sum();
                for j in 0..3 {
                    let want = col[j].exp() / denom;
                    assert!(
                        (got[i * 12 + j * 4 + k] - want).abs() < 1e-6,
                        "({i}, {j}, {k})"
                    );
                }
            }
        }
    }
}
