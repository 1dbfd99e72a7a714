//! End-to-end workflow tests live in `tests/tests/`; this library is empty.
