//! The evidence pack: see `run`.
