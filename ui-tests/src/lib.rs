//! trybuild cases for key-model live in `compile-fail/` and `pass/`, driven by `tests/ui.rs`; this library is empty.
#![forbid(unsafe_code)]
