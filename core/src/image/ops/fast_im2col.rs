//! A faster stand-in for tract's lazy im2col, the input that feeds each 3x3 convolution's matrix product one panel
//! of output positions at a time, and the pass that substitutes it into an optimized model.
//!
//! tract 0.23 gathers every panel element by element through a table of byte offsets: 13% of the time `haven
//! bench-image` spends on a phone photo. But a panel's positions are mostly pixels of one output row, so for each
//! kernel tap they read input floats evenly spaced (consecutive at stride 1). Here each panel is split into such
//! runs once, when the model is loaded; a run the width of the panel is copied as one block (or gathered with a
//! fixed step) per tap. The packed panels are byte for byte those tract writes, read by tract's own kernels: the
//! gather fell to 8.6% of the time, and the phone photo from 43 to 39 ms in alternated runs of the two builds.

use std::collections::HashMap;
use std::fmt;
use std::hash::{Hash, Hasher};

use tract_onnx::prelude::*;
use tract_onnx::tract_core::internal::*;
use tract_onnx::tract_core::ops::cnn::conv::Conv;
use tract_onnx::tract_core::ops::cnn::{PaddingSpec, PoolSpec};
use tract_onnx::tract_core::ops::matmul::pack::DynPackedExoticFact;
use tract_onnx::tract_core::tract_linalg::mmm::{
    EagerPackedInput, MMMInputFormat, MMMInputValue, PackedMatrixStorage,
};
use tract_onnx::tract_core::tract_linalg::pack::PackedFormat;
use tract_onnx::tract_core::tract_linalg::WeightType;

/// The name tract gives the lazy im2col node of a convolution node named `conv`.
fn lazy_im2col_name(conv: &str) -> String {
    format!("{conv}.lazyIm2col")
}

const F32_BYTES: isize = 4;

/// Consecutive output positions of one panel that read input floats evenly spaced: `step` is 4 bytes for a
/// stride-1 convolution, 8 for stride 2.
#[derive(Debug, Clone, Copy, Hash, PartialEq, Eq)]
struct Run {
    /// First column of the panel the run fills.
    column: usize,
    len: usize,
    /// Byte offset, in the input, of the run's first position (before the kernel tap's offset).
    byte_offset: isize,
    step: isize,
}

impl Run {
    /// Whether the position at `byte_offset` continues this run.
    fn continues(&self, byte_offset: isize) -> bool {
        let next = self.byte_offset + self.len as isize * self.step;
        byte_offset == next || (self.len == 1 && byte_offset > self.byte_offset)
    }
}

/// Where every packed value of every panel comes from, for one convolution on one input shape.
#[derive(Debug, Clone, Hash, PartialEq, Eq)]
struct PanelPlan {
    packer: PackedFormat,
    input_shape: TVec<usize>,
    /// Byte offset of each kernel tap (input channel, then kernel rows, then columns), as tract orders k.
    k_byte_offsets: Vec<isize>,
    /// Runs of panel `i` are `runs[starts[i]..starts[i + 1]]`.
    starts: Vec<usize>,
    runs: Vec<Run>,
    /// Output positions (the matrix product's n).
    mn: usize,
}

impl PanelPlan {
    /// Splits each panel of `n_byte_offsets` (one offset per output position) into runs.
    fn new(
        packer: PackedFormat,
        input_shape: TVec<usize>,
        k_byte_offsets: Vec<isize>,
        n_byte_offsets: &[isize],
    ) -> PanelPlan {
        let mut starts = vec![0];
        let mut runs: Vec<Run> = Vec::new();
        for panel in n_byte_offsets.chunks(packer.r) {
            let first = runs.len();
            for (column, &byte_offset) in panel.iter().enumerate() {
                match runs[first..]
                    .last_mut()
                    .filter(|run| run.continues(byte_offset))
                {
                    Some(run) => {
                        run.step = (byte_offset - run.byte_offset) / run.len as isize;
                        run.len += 1;
                    }
                    None => runs.push(Run {
                        column,
                        len: 1,
                        byte_offset,
                        step: F32_BYTES,
                    }),
                }
            }
            starts.push(runs.len());
        }
        PanelPlan {
            packer,
            input_shape,
            k_byte_offsets,
            starts,
            runs,
            mn: n_byte_offsets.len(),
        }
    }

    /// Writes panel `i` of `input` into `panel`, k-major: the value for tap `k` and column `j` at `k * r + j`.
    ///
    /// SAFETY: `input` has `self.input_shape` (every offset then lies inside it), and `panel` holds
    /// `k * r` floats.
    unsafe fn write_panel(&self, input: *const u8, i: usize, panel: *mut f32) {
        let runs = &self.runs[self.starts[i]..self.starts[i + 1]];
        let r = self.packer.r;
        if let [run] = runs {
            if run.len == r {
                let source = input.offset(run.byte_offset);
                match r {
                    2 => return self.whole_panel::<2>(source, run.step, panel),
                    4 => return self.whole_panel::<4>(source, run.step, panel),
                    6 => return self.whole_panel::<6>(source, run.step, panel),
                    8 => return self.whole_panel::<8>(source, run.step, panel),
                    12 => return self.whole_panel::<12>(source, run.step, panel),
                    16 => return self.whole_panel::<16>(source, run.step, panel),
                    _ => {}
                }
            }
        }
        for &Run {
            column,
            len,
            byte_offset,
            step,
        } in runs
        {
            // Run by run, so that the run's fields stay in registers while the panel is written.
            let source = input.offset(byte_offset);
            let mut row = panel.add(column);
            for &tap in &self.k_byte_offsets {
                let at = source.offset(tap);
                for j in 0..len {
                    *row.add(j) = *(at.offset(j as isize * step) as *const f32);
                }
                row = row.add(r);
            }
        }
    }

    /// A panel read as one run of `R` positions: one block copy per tap when they are consecutive floats.
    #[inline(always)]
    unsafe fn whole_panel<const R: usize>(&self, source: *const u8, step: isize, panel: *mut f32) {
        let mut row = panel as *mut [f32; R];
        if step == F32_BYTES {
            for &tap in &self.k_byte_offsets {
                row.write_unaligned((source.offset(tap) as *const [f32; R]).read_unaligned());
                row = row.add(1);
            }
        } else {
            for &tap in &self.k_byte_offsets {
                let at = source.offset(tap);
                row.write_unaligned(std::array::from_fn(|j| {
                    *(at.offset(j as isize * step) as *const f32)
                }));
                row = row.add(1);
            }
        }
    }
}

impl fmt::Display for PanelPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FastIm2col")
    }
}

impl MMMInputFormat for PanelPlan {
    fn prepare_tensor(&self, _t: &Tensor, _k_axis: usize, _mn_axis: usize) -> TractResult<Tensor> {
        bail!("FastIm2col packs panels lazily, not whole tensors")
    }

    fn prepare_one_view(
        &self,
        _t: &TensorView,
        _k_axis: usize,
        _mn_axis: usize,
    ) -> TractResult<Box<dyn MMMInputValue>> {
        bail!("FastIm2col packs panels lazily, not whole tensors")
    }

    fn precursor(&self) -> WeightType {
        self.packer.precursor()
    }

    fn r(&self) -> usize {
        self.packer.r
    }

    fn k_alignment(&self) -> usize {
        1
    }

    fn mem_size(&self, k: TDim, mn: TDim) -> TDim {
        k * mn * F32_BYTES as usize
    }

    fn extract_at_mn_f16(
        &self,
        _data: &EagerPackedInput,
        _mn: usize,
        _slice: &mut [f16],
    ) -> TractResult<()> {
        bail!("FastIm2col holds no packed data")
    }

    fn extract_at_mn_f32(
        &self,
        _data: &EagerPackedInput,
        _mn: usize,
        _slice: &mut [f32],
    ) -> TractResult<()> {
        bail!("FastIm2col holds no packed data")
    }
}

impl ExoticFact for PanelPlan {
    fn buffer_sizes(&self) -> TVec<TDim> {
        tvec!(MMMInputFormat::mem_size(
            self,
            self.k_byte_offsets.len().to_dim(),
            self.mn.to_dim()
        ))
    }
}

/// One input tensor, seen as the convolution's im2col matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
struct FastIm2colInput {
    input: TValue,
    plan: Arc<PanelPlan>,
}

impl Hash for FastIm2colInput {
    fn hash<H: Hasher>(&self, state: &mut H) {
        (self.input.as_bytes(), &self.plan).hash(state);
    }
}

impl fmt::Display for FastIm2colInput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "FastIm2col input {:?}", self.plan.input_shape)
    }
}

impl MMMInputValue for FastIm2colInput {
    fn format(&self) -> &dyn MMMInputFormat {
        &*self.plan
    }

    fn scratch_panel_buffer_layout(&self) -> Option<std::alloc::Layout> {
        Some(
            self.plan
                .packer
                .single_panel_layout(self.k(), F32_BYTES as usize),
        )
    }

    fn panel_bytes(&self, i: usize, buffer: Option<*mut u8>) -> TractResult<*const u8> {
        let panel = buffer.context("FastIm2col needs a panel buffer")?;
        ensure!(i + 1 < self.plan.starts.len(), "FastIm2col: no panel {i}");
        // SAFETY: the op checked the input's shape against the plan; the buffer has the layout asked for above.
        unsafe {
            self.plan
                .write_panel(self.input.as_bytes().as_ptr(), i, panel as *mut f32)
        };
        Ok(panel)
    }

    fn mn(&self) -> usize {
        self.plan.mn
    }

    fn k(&self) -> usize {
        self.plan.k_byte_offsets.len()
    }

    fn exotic_fact(&self) -> &dyn ExoticFact {
        &*self.plan
    }

    fn extract_at_mn_f16(&self, _mn: usize, _slice: &mut [f16]) -> TractResult<()> {
        bail!("FastIm2col cannot extract columns")
    }

    fn extract_at_mn_f32(&self, _mn: usize, _slice: &mut [f32]) -> TractResult<()> {
        bail!("FastIm2col cannot extract columns")
    }
}

/// The operator: wraps its input as a [`FastIm2colInput`] for the matrix product that follows.
#[derive(Debug, Clone, Hash, PartialEq, Eq)]
pub(crate) struct FastIm2col {
    plan: Arc<PanelPlan>,
}

impl Op for FastIm2col {
    fn name(&self) -> StaticName {
        "FastIm2col".into()
    }

    op_as_typed_op!();
}

impl EvalOp for FastIm2col {
    op_out_of_plan!();

    fn eval(&self, _ctx: &EvalContext, inputs: TVec<TValue>) -> TractResult<TVec<TValue>> {
        let input = args_1!(inputs);
        ensure!(
            input.datum_type() == f32::datum_type() && input.shape() == &*self.plan.input_shape,
            "FastIm2col planned for f32 {:?}, got {:?} {:?}",
            self.plan.input_shape,
            input.datum_type(),
            input.shape()
        );
        let value = FastIm2colInput {
            input,
            plan: self.plan.clone(),
        };
        let packed = PackedMatrixStorage::new_batched(&[1, 1], tvec!(Box::new(value) as _));
        Ok(tvec!(packed.into_tensor(f32::datum_type()).into_tvalue()))
    }
}

impl TypedOp for FastIm2col {
    fn output_facts(&self, _inputs: &[&TypedFact]) -> TractResult<TVec<TypedFact>> {
        let exotic = DynPackedExoticFact {
            k: self.plan.k_byte_offsets.len().to_dim(),
            mn: self.plan.mn.to_dim(),
            packers: vec![Box::new(self.plan.packer.clone())],
        };
        Ok(tvec!(f32::fact([1, 1]).with_exotic_fact(exotic)))
    }

    as_op!();
}

/// The plain float convolutions of a decluttered model, by node name, before codegen lowers them.
pub(crate) fn convolutions(model: &TypedModel) -> HashMap<String, PoolSpec> {
    model
        .nodes()
        .iter()
        .filter_map(|node| {
            let conv = node.op_as::<Conv>()?;
            (conv.group == 1 && conv.q_params.is_none())
                .then(|| (lazy_im2col_name(&node.name), conv.pool_spec.clone()))
        })
        .collect()
}

/// [`FastIm2col`] for the lazy im2col of a convolution in `convolutions` (from [`convolutions`], before codegen),
/// when the plan reproduces tract's exactly (same k, n and packing); others keep tract's (see
/// [`super::substitute`]).
pub(crate) fn faster_im2col(
    convolutions: &HashMap<String, PoolSpec>,
    model: &TypedModel,
    node: &TypedNode,
) -> TractResult<Option<Box<dyn TypedOp>>> {
    let Some(pool_spec) = convolutions.get(&node.name) else {
        return Ok(None);
    };
    if node.op().name() != "LazyIm2col" || node.inputs.len() != 1 {
        return Ok(None);
    }
    let input = model.outlet_fact(node.inputs[0])?;
    let output = model.outlet_fact(OutletId::new(node.id, 0))?;
    let plan = plan_for(pool_spec, input, output)?;
    Ok(plan.map(|plan| {
        Box::new(FastIm2col {
            plan: Arc::new(plan),
        }) as _
    }))
}

/// The panel plan for a convolution whose (already padded) input is `input`, if it matches what tract planned:
/// a single-group float32 product with the same k and n, packed as a [`PackedFormat`].
fn plan_for(
    pool_spec: &PoolSpec,
    input: &TypedFact,
    output: &TypedFact,
) -> TractResult<Option<PanelPlan>> {
    let planned = output
        .exotic_fact
        .as_ref()
        .and_then(|e| e.downcast_ref::<DynPackedExoticFact>())
        .and_then(|e| Some((e, e.packers.first()?.downcast_ref::<PackedFormat>()?)));
    let (Some(shape), Some((exotic, packer))) = (input.shape.as_concrete(), planned) else {
        return Ok(None);
    };
    if input.datum_type != f32::datum_type() || packer.dt != f32::datum_type() {
        return Ok(None);
    }
    // tract pads explicitly before a lazy im2col, so the product reads the input as a valid convolution.
    let valid = PoolSpec {
        padding: PaddingSpec::Valid,
        ..pool_spec.clone()
    };
    let geometry = valid
        .compute_geo(&input.shape)?
        .to_concrete(shape)?
        .into_owned();
    let data_shape = valid.data_format.shape(TVec::<usize>::from(shape))?;
    let c_stride = *data_shape.c_stride() as isize;
    let field = &geometry.patch.standard_layout_data_field;
    let k_byte_offsets: Vec<isize> = (0..pool_spec.input_channels as isize)
        .flat_map(|c| field.iter().map(move |x| (x + c * c_stride) * F32_BYTES))
        .collect();
    let n_byte_offsets: Vec<isize> = geometry
        .patch
        .centers_offsets()
        .into_iter()
        .map(|x| x * F32_BYTES)
        .collect();
    let same_product =
        exotic.k == k_byte_offsets.len().to_dim() && exotic.mn == n_byte_offsets.len().to_dim();
    // Every read must stay inside the input: the plan's safety rests on it.
    let bytes = shape.iter().product::<usize>() as isize * F32_BYTES;
    let (k_min, k_max) = min_max(&k_byte_offsets);
    let (n_min, n_max) = min_max(&n_byte_offsets);
    let in_bounds = k_min >= 0 && n_min >= 0 && k_max + n_max + F32_BYTES <= bytes;
    if !same_product || !in_bounds || n_byte_offsets.is_empty() {
        return Ok(None);
    }
    Ok(Some(PanelPlan::new(
        packer.clone(),
        shape.into(),
        k_byte_offsets,
        &n_byte_offsets,
    )))
}

fn min_max(offsets: &[isize]) -> (isize, isize) {
    let min = offsets.iter().copied().min().unwrap_or(0);
    let max = offsets.iter().copied().max().unwrap_or(0);
    (min, max)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::image::ops::substitute::substitute;
    use tract_onnx::tract_core::ops::cnn::KernelFormat;
    use tract_onnx::tract_core::ops::nn::DataFormat;

    /// A model of one float convolution: `c` channels of `h` x `w` in, `o` out, a 3x3 kernel.
    fn convolution(
        c: usize,
        o: usize,
        h: usize,
        w: usize,
        stride: usize,
        pad: usize,
    ) -> TypedModel {
        let mut model = TypedModel::default();
        let x = model.add_source("x", f32::fact([1, c, h, w])).unwrap();
        let weights: Vec<f32> = (0..o * c * 9)
            .map(|i| ((i * 7919) % 23) as f32 / 11.0 - 1.0)
            .collect();
        let kernel = model
            .add_const(
                "kernel",
                Tensor::from_shape(&[o, c, 3, 3], &weights).unwrap(),
            )
            .unwrap();
        let bias: Vec<f32> = (0..o).map(|i| i as f32 * 0.25 - 1.0).collect();
        let bias = model
            .add_const("bias", Tensor::from_shape(&[o], &bias).unwrap())
            .unwrap();
        let conv = Conv {
            pool_spec: PoolSpec {
                data_format: DataFormat::NCHW,
                kernel_shape: tvec![3, 3],
                padding: PaddingSpec::Explicit(tvec![pad, pad], tvec![pad, pad]),
                dilations: None,
                strides: Some(tvec![stride, stride]),
                input_channels: c,
                output_channels: o,
            },
            kernel_fmt: KernelFormat::OIHW,
            group: 1,
            q_params: None,
        };
        let y = model.wire_node("conv", conv, &[x, kernel, bias]).unwrap();
        model.select_output_outlets(&y).unwrap();
        model.into_decluttered().unwrap()
    }

    fn run(model: TypedModel, input: &Tensor) -> Vec<f32> {
        let outputs = model
            .into_runnable()
            .unwrap()
            .run(tvec!(input.clone().into_tvalue()))
            .unwrap();
        outputs[0]
            .try_as_plain_ram()
            .unwrap()
            .as_slice::<f32>()
            .unwrap()
            .to_vec()
    }

    #[test]
    fn packs_the_panels_tract_packs() {
        // Stride 1 and 2, padded or not, rows that panels straddle, a row narrower than a panel.
        for (c, o, h, w, stride, pad) in [
            (3, 16, 20, 20, 1, 1),
            (8, 24, 17, 23, 2, 1),
            (16, 16, 10, 10, 1, 0),
            (4, 8, 9, 40, 1, 1),
            (5, 32, 7, 5, 1, 1),
        ] {
            let model = convolution(c, o, h, w, stride, pad);
            let data: Vec<f32> = (0..c * h * w)
                .map(|i| ((i * 104729) % 97) as f32 / 31.0 - 1.5)
                .collect();
            let input = Tensor::from_shape(&[1, c, h, w], &data).unwrap();

            let mut reference = model.clone();
            reference.optimize().unwrap();
            let convs = convolutions(&model);
            let mut fast = model;
            fast.optimize().unwrap();
            let swapped = substitute(&mut fast, |m, n| faster_im2col(&convs, m, n)).unwrap();
            assert_eq!(swapped, 1, "{c}x{h}x{w} stride {stride}");
            assert_eq!(
                run(fast, &input),
                run(reference, &input),
                "{c}x{h}x{w} stride {stride} pad {pad}"
            );
        }
    }
}
