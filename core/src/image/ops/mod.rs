//! tract operators that replace tract's own after optimisation, each faster on NudeNet's graph and each
//! saying which node it takes and why. [`substitute`] swaps them in; `avx_state` repairs what tract's x86 kernels
//! leave behind.

pub(super) mod avx_state;
pub(super) mod axis_softmax;
pub(super) mod constant_pad;
pub(super) mod fast_im2col;
pub(super) mod substitute;
