//! The CSV sink's two limits: a row is flat (scalar fields only), and a text
//! cell that a spreadsheet would run as a formula is neutralised.

use std::collections::BTreeMap;

use key_model::sink::CsvWriter;
use key_model::{ExportDto, SecretFree};
use serde::Serialize;

#[derive(Serialize, SecretFree)]
struct Inner {
    a: u8,
}

#[derive(Serialize, ExportDto)]
struct NestedStruct {
    id: u8,
    inner: Inner,
}

#[derive(Serialize, ExportDto)]
struct WithMap {
    id: u8,
    labels: BTreeMap<String, String>,
}

#[derive(Serialize, ExportDto)]
struct WithSeq {
    id: u8,
    tags: Vec<String>,
}

#[derive(Serialize, ExportDto)]
struct Flattened {
    id: u8,
    #[serde(flatten)]
    inner: Inner,
}

fn csv_error<T: ExportDto + Serialize>(row: &T) -> String {
    let mut export = CsvWriter::new(Vec::new());
    let err = export.write(row).unwrap_err();
    assert!(!err.is_io());
    // Nothing of the failed row was written.
    assert!(export.into_inner().unwrap().is_empty());
    err.to_string()
}

#[test]
fn a_row_that_is_not_flat_names_the_type_the_field_and_the_rule() {
    let cases = [
        (
            csv_error(&NestedStruct {
                id: 1,
                inner: Inner { a: 2 },
            }),
            "sink could not write CSV: CSV rows are flat (scalar fields only): field `inner` of `boundary::csv::NestedStruct` is a struct",
        ),
        (
            csv_error(&WithMap {
                id: 1,
                labels: BTreeMap::from([("k".to_owned(), "v".to_owned())]),
            }),
            "sink could not write CSV: CSV rows are flat (scalar fields only): field `labels` of `boundary::csv::WithMap` is a map",
        ),
        (
            csv_error(&WithSeq {
                id: 1,
                tags: vec!["a".to_owned()],
            }),
            "sink could not write CSV: CSV rows are flat (scalar fields only): field `tags` of `boundary::csv::WithSeq` is a sequence",
        ),
        (
            csv_error(&Flattened {
                id: 1,
                inner: Inner { a: 2 },
            }),
            "sink could not write CSV: CSV rows are flat (scalar fields only): `boundary::csv::Flattened` is serialized as a map (a `#[serde(flatten)]` field does that), not as a struct",
        ),
    ];
    for (message, expected) in cases {
        assert_eq!(message, expected);
        assert!(!message.contains("issue"), "{message}");
    }
}

#[derive(Serialize, ExportDto)]
struct Cells {
    text: String,
    int: i64,
    float: f64,
    ch: char,
}

fn row(text: &str, int: i64, float: f64, ch: char) -> Cells {
    Cells {
        text: text.to_owned(),
        int,
        float,
        ch,
    }
}

#[test]
fn formula_cells_are_neutralised_and_numbers_left_alone() {
    let mut export = CsvWriter::new(Vec::new());
    for r in [
        row("=HYPERLINK(\"http://x\")", -1, -2.5, '='),
        row("+1", 0, 1.0, '+'),
        row("-1", 1, 0.5, '-'),
        row("@SUM(A1)", 2, 1.5, '@'),
        row("\tx", 3, 2.0, '\t'),
        row("\rx", 4, 3.0, 'a'),
        row("a=b", 5, 4.0, ' '),
        row("'quoted", 6, 5.0, '\''),
    ] {
        export.write(&r).unwrap();
    }
    assert_eq!(
        String::from_utf8(export.into_inner().unwrap()).unwrap(),
        "text,int,float,ch\r\n\
         \"'=HYPERLINK(\"\"http://x\"\")\",-1,-2.5,'=\r\n\
         '+1,0,1.0,'+\r\n\
         '-1,1,0.5,'-\r\n\
         '@SUM(A1),2,1.5,'@\r\n\
         '\tx,3,2.0,'\t\r\n\
         \"'\rx\",4,3.0,a\r\n\
         a=b,5,4.0, \r\n\
         'quoted,6,5.0,'\r\n"
    );
}

#[test]
fn neutralising_formulas_can_be_turned_off() {
    let mut export = CsvWriter::new(Vec::new()).neutralise_formulas(false);
    export.write(&row("=1+2", -1, -0.5, '@')).unwrap();
    assert_eq!(
        String::from_utf8(export.into_inner().unwrap()).unwrap(),
        "text,int,float,ch\r\n=1+2,-1,-0.5,@\r\n"
    );
}

#[test]
fn a_failing_serialize_names_the_row_and_keeps_its_message() {
    #[derive(SecretFree)]
    struct Fails;
    impl Serialize for Fails {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("clock not set"))
        }
    }
    #[derive(Serialize, ExportDto)]
    struct Row {
        at: Fails,
    }
    assert_eq!(
        csv_error(&Row { at: Fails }),
        "sink could not write CSV: `boundary::csv::a_failing_serialize_names_the_row_and_keeps_its_message::Row` failed to serialize: clock not set"
    );
}

#[test]
fn flat_rows_write_every_scalar_as_before() {
    #[derive(Serialize, SecretFree)]
    struct Meters(u32);
    #[derive(Serialize, SecretFree)]
    enum Kind {
        Plain,
    }
    #[derive(Serialize, ExportDto)]
    struct Scalars {
        yes: bool,
        small: i8,
        big: u128,
        f: f32,
        nan: f64,
        none: Option<u8>,
        some: Option<&'static str>,
        unit: (),
        kind: Kind,
        meters: Meters,
        #[serde(skip)]
        skipped: u8,
    }
    let mut export = CsvWriter::new(Vec::new());
    let row = Scalars {
        yes: true,
        small: -8,
        big: u128::MAX,
        f: 1.5,
        nan: f64::NAN,
        none: None,
        some: Some("x"),
        unit: (),
        kind: Kind::Plain,
        meters: Meters(7),
        skipped: 0,
    };
    export.write(&row).unwrap();
    assert_eq!(
        row.skipped, 0,
        "a skipped field is in the value, not the row"
    );
    assert_eq!(
        String::from_utf8(export.into_inner().unwrap()).unwrap(),
        "yes,small,big,f,nan,none,some,unit,kind,meters\r\n\
         true,-8,340282366920938463463374607431768211455,1.5,NaN,,x,,Plain,7\r\n"
    );
}
