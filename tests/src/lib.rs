//! End-to-end workflow tests live in `tests/tests/`. This library only compiles the README's example.

/// The README, whose Rust example is compiled as a doctest so it stays true.
#[doc = include_str!("../../README.md")]
pub struct ReadmeExample;
