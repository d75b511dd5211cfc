//! Clears the upper halves of the x86-64 vector registers after tract's AVX kernels.
//!
//! tract-linalg 0.23's assembly kernels return without `vzeroupper`. Until something clears it, that dirty state
//! makes every legacy-SSE instruction that follows pay for a state transition: the softmax after the last
//! convolution ran 35x slower (18 ms instead of 0.5 ms for NudeNet 320n on an AVX-512 machine). On other
//! architectures this is a no-op.

/// Clears the dirty upper register state, if this CPU has AVX. Costs a few cycles.
pub(crate) fn clear() {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx") {
        // SAFETY: the CPU supports AVX (checked above), which is all `vzeroupper` needs.
        unsafe { zero_upper() }
    }
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx")]
fn zero_upper() {
    // Code compiled without AVX keeps no values in the upper halves, so nothing live is lost.
    std::arch::x86_64::_mm256_zeroupper()
}
