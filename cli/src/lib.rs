//! Library side of the `haven` command: the fixture format and expectation checks, shared with the tests.

pub mod expectations;
pub mod fixture;
