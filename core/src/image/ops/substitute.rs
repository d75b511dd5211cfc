//! Swapping operators of an optimized tract model for faster ones of ours, node by node.

use tract_onnx::prelude::*;

/// Gives every node for which `faster` returns an operator that operator instead, with the same inputs and outputs.
/// Returns how many were swapped.
pub(crate) fn substitute(
    model: &mut TypedModel,
    mut faster: impl FnMut(&TypedModel, &TypedNode) -> TractResult<Option<Box<dyn TypedOp>>>,
) -> TractResult<usize> {
    let mut swapped = 0;
    for id in 0..model.nodes().len() {
        if let Some(op) = faster(model, model.node(id))? {
            model.node_mut(id).op = op;
            swapped += 1;
        }
    }
    Ok(swapped)
}
