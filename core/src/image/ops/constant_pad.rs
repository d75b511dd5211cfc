//! A tract operator padding a float32 tensor with a constant, row by row, and the pass that
//! substitutes it into an optimized model. tract lowers each padded 3x3 convolution to an explicit
//! `Pad` followed by a lazy im2col product; tract 0.23's `Pad` fills the whole output, then assigns
//! the input through a dynamic-rank ndarray view, element by element. That took 2 ms of NudeNet
//! 320n's inference; copying whole innermost rows takes a fraction of it.

use tract_onnx::prelude::*;
use tract_onnx::tract_core::internal::*;
use tract_onnx::tract_core::ops::array::{Pad, PadMode};

/// Pads a float32 tensor with `value`: `pads[axis]` elements before and after on each axis.
#[derive(Debug, Clone, PartialEq, Hash)]
pub(crate) struct ConstantPad {
    pads: Vec<(usize, usize)>,
    /// The padding value's bits: an `f32` is neither `Hash` nor `Eq`, which tract's operators must be.
    value: u32,
}

impl Eq for ConstantPad {}

impl ConstantPad {
    fn value(&self) -> f32 {
        f32::from_bits(self.value)
    }
}

impl Op for ConstantPad {
    fn name(&self) -> StaticName {
        "ConstantPad".into()
    }

    fn info(&self) -> TractResult<Vec<String>> {
        Ok(vec![format!(
            "pads: {:?}, value: {}",
            self.pads,
            self.value()
        )])
    }

    op_as_typed_op!();
}

impl EvalOp for ConstantPad {
    op_out_of_plan!();

    fn eval(&self, _ctx: &EvalContext, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let input = args_1!(inputs);
        ensure!(
            input.rank() == self.pads.len() && input.rank() > 0,
            "ConstantPad: rank {} input for {} pads",
            input.rank(),
            self.pads.len()
        );
        let in_shape: TVec<usize> = input.shape().into();
        let out_shape: TVec<usize> = in_shape
            .iter()
            .zip(&self.pads)
            .map(|(d, (before, after))| d + before + after)
            .collect();
        let plain = input.try_as_plain_ram()?;
        let source = plain.as_slice::<f32>()?;
        // SAFETY: any bits are a valid f32, and `pad_rows` writes every element before one is read.
        let mut output = unsafe { Tensor::uninitialized::<f32>(&out_shape)? };
        {
            let mut plain = output.try_as_plain_ram_mut()?;
            let target = plain.as_slice_mut::<f32>()?;
            pad_rows(source, &in_shape, &self.pads, self.value(), target);
        }
        Ok(tvec!(output.into_tvalue()))
    }
}

/// Writes `output` row by row (rows along the innermost axis): rows inside the input get the padding value around a
/// copy of their input row, the others only the padding value. Every element is written once.
fn pad_rows(
    source: &[f32],
    in_shape: &[usize],
    pads: &[(usize, usize)],
    value: f32,
    output: &mut [f32],
) {
    let rank = in_shape.len();
    let (before, after) = pads[rank - 1];
    let row = in_shape[rank - 1];
    let out_row = before + row + after;
    if out_row == 0 {
        return;
    }
    let outer: Vec<(usize, usize, usize)> = in_shape[..rank - 1]
        .iter()
        .zip(pads)
        .map(|(&d, &(b, a))| (b, d, b + d + a))
        .collect();
    let mut rows = source.chunks_exact(row.max(1));
    let mut index = vec![0usize; rank - 1];
    for target in output.chunks_exact_mut(out_row) {
        let inside = index
            .iter()
            .zip(&outer)
            .all(|(&i, &(b, d, _))| i >= b && i < b + d);
        match inside.then(|| rows.next()).flatten() {
            Some(input) => {
                target[..before].fill(value);
                target[before..before + row].copy_from_slice(input);
                target[before + row..].fill(value);
            }
            None => target.fill(value),
        }
        // Next output row: the last outer axis moves fastest.
        for (i, &(_, _, len)) in index.iter_mut().zip(&outer).rev() {
            *i += 1;
            if *i < len {
                break;
            }
            *i = 0;
        }
    }
}

impl TypedOp for ConstantPad {
    fn output_facts(&self, inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        let mut fact = inputs[0].without_value();
        for (axis, (before, after)) in self.pads.iter().enumerate() {
            fact.shape
                .set(axis, fact.shape[axis].clone() + *before + *after);
        }
        Ok(tvec!(fact))
    }

    as_op!();
}

/// [`ConstantPad`] for a constant-mode `Pad` of a float32 tensor (see [`super::substitute`]).
pub(crate) fn faster_pad(
    model: &TypedModel,
    node: &TypedNode,
) -> TractResult<Option<Box<dyn TypedOp>>> {
    let Some(pad) = node.op_as::<Pad>() else {
        return Ok(None);
    };
    let PadMode::Constant(value) = &pad.mode else {
        return Ok(None);
    };
    let fact = model.outlet_fact(node.inputs[0])?;
    if fact.datum_type != f32::datum_type() || fact.rank() == 0 {
        return Ok(None);
    }
    Ok(Some(Box::new(ConstantPad {
        pads: pad.pads.clone(),
        value: value.cast_to_scalar::<f32>()?.to_bits(),
    })))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_tract_pad_on_every_axis() {
        let shape = [2, 3, 4, 5];
        let data: Vec<f32> = (0..120).map(|i| i as f32 * 0.5 - 7.0).collect();
        let input = Tensor::from_shape(&shape, &data).unwrap();
        let pads = vec![(0, 1), (2, 0), (1, 1), (3, 2)];
        let value = Arc::new(Tensor::from(-1.5f32));
        let want = Pad::new(pads.clone(), PadMode::Constant(value))
            .eval(
                &EvalContext::out_of_plan(),
                tvec!(input.clone().into_tvalue()),
            )
            .unwrap();
        let got = ConstantPad {
            pads,
            value: (-1.5f32).to_bits(),
        }
        .eval(&EvalContext::out_of_plan(), tvec!(input.into_tvalue()))
        .unwrap();
        assert_eq!(got[0].shape(), want[0].shape());
        assert_eq!(
            got[0]
                .try_as_plain_ram()
                .unwrap()
                .as_slice::<f32>()
                .unwrap(),
            want[0]
                .try_as_plain_ram()
                .unwrap()
                .as_slice::<f32>()
                .unwrap()
        );
    }
}
