//! The format strings std accepts (the accepted rows of the table in
//! `key-model-derive/src/redact/fmt.rs`) through `RedactedDisplay` and
//! through `format!`: this file compiling is std's acceptance, and each
//! assertion that the derive writes exactly what std writes. The refused
//! rows are `ui-tests/compile-fail/format-specs-std-refuses.rs`.

macro_rules! row {
    ($spec:literal $(, $arg:ident)*) => {{
        #[derive(key_model::RedactedDisplay)]
        #[display($spec)]
        struct Row {
            x: u32,
            #[allow(dead_code)]
            w: usize,
        }
        let row = Row { x: 42, w: 3 };
        assert_eq!(
            row.to_string(),
            format!($spec $(, $arg = row.$arg)*),
            "{}",
            $spec
        );
    }};
}

#[test]
fn derive_writes_what_std_writes_for_every_accepted_spec() {
    row!("{x}", x);
    row!("{x:}", x);
    row!("{x }", x);
    row!("{x: }", x);
    row!("{x:  }", x);
    row!("{x:? }", x);
    row!("{x:x }", x);
    row!("{x:>5 }", x);
    row!("{x:.3 }", x);
    row!("{x:w$ }", x, w);
    row!("{x:}>5}", x);
    row!("{x:{<3}", x);
    row!("{x:é>3}", x);
    row!("{x:_>3}", x);
    row!("{x:0>}", x);
    row!("{x:>0}", x);
    row!("{x:#>+#010}", x);
    row!("{x:+}", x);
    row!("{x:-}", x);
    row!("{x:#}", x);
    row!("{x:0}", x);
    row!("{x:00}", x);
    row!("{x:.}", x);
    row!("{x:5.}", x);
    row!("{x:.2}", x);
    row!("{x:w$.w$}", x, w);
    row!("{x:.w$e}", x, w);
    row!("{x:>65535}", x);
    row!("{x:e}", x);
    row!("{x:x}", x);
    row!("{x:X}", x);
    row!("{x:#?}", x);
    row!("{x:x?}", x);
    row!("{x:#X?}", x);
}
