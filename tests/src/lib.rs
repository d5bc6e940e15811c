//! Integration and leak-canary tests for key-model live in `tests/`; this library is empty.
#![forbid(unsafe_code)]
