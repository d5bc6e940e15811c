//! Compile-fail and pass cases: leaking code must not build, normal use must.
//!
//! Snapshots are written with `TRYBUILD=overwrite cargo test -p key-model-ui-tests`
//! and reviewed as a diff; nobody edits a `.stderr` by hand.

#[test]
fn ui() {
    let t = trybuild::TestCases::new();
    t.compile_fail("compile-fail/*.rs");
    t.pass("pass/*.rs");
}
