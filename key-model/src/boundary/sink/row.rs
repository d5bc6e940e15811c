//! A CSV row as the CSV sink writes it: a struct's fields, each one cell.
//!
//! The sink flattens a row with this serializer rather than the `csv`
//! crate's, for two reasons: a field that is not a scalar is an error that
//! names the row type, the field and the rule (the `csv` crate's says
//! "serializing maps is not supported" and asks the user to file an issue
//! there), and each cell keeps whether it is text, so that only text is
//! neutralised as a formula (a number is left alone: `-1` from an `i32` is a
//! number to a spreadsheet, not a formula). Scalars are written as the `csv`
//! crate wrote them: integers in decimal, floats by `ryu` (`1.0`, `NaN`),
//! `bool` as `true`/`false`, `None` and `()` as an empty cell, a unit
//! variant or unit struct as its name, a newtype as what it wraps.

use core::fmt;
use std::borrow::Cow;
use std::io;

use serde::Serialize;
use serde::ser::{self, Impossible};

/// One formatted cell.
struct Cell {
    /// The cell's bytes, unquoted.
    bytes: Vec<u8>,
    /// Whether it came from text (a string, a char, bytes, a name), which a
    /// spreadsheet might read as a formula; numbers and booleans never are.
    text: bool,
}

/// A flattened row: its field names and its cells, in order.
struct Row {
    names: Vec<&'static str>,
    cells: Vec<Cell>,
}

/// Why a value is not a flat row.
#[derive(Debug)]
pub(crate) enum RowError {
    /// The row itself is not a struct with named fields: a map (what a
    /// `#[serde(flatten)]` field turns a struct into) or something else.
    Row(&'static str),
    /// A field is not a scalar.
    Field {
        field: &'static str,
        shape: &'static str,
    },
    /// The row's own `Serialize` failed, with its message.
    Custom(String),
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Shown only inside `SinkError`, which names the row type.
        match self {
            RowError::Row(shape) => write!(f, "serialized as {shape}"),
            RowError::Field { field, shape } => write!(f, "field `{field}` is {shape}"),
            RowError::Custom(message) => f.write_str(message),
        }
    }
}

impl core::error::Error for RowError {}

impl ser::Error for RowError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        RowError::Custom(msg.to_string())
    }
}

/// Flattens `row` into cells, or says why it cannot be a CSV row.
fn flatten<T: Serialize + ?Sized>(row: &T) -> Result<Row, RowError> {
    row.serialize(RowSerializer)
}

/// Serializes the row: a struct (or a newtype around one).
struct RowSerializer;

/// Collects the fields of the row's struct.
struct Fields(Row);

/// Serializes one field into a cell.
struct CellSerializer {
    field: &'static str,
}

fn not_a_row<T>(shape: &'static str) -> Result<T, RowError> {
    Err(RowError::Row(shape))
}

/// Implements the methods of a serializer that refuse a value, each with
/// the shape it would have had.
macro_rules! refuse {
    ($refuse:path; $($method:ident($($arg:ident: $ty:ty),*) -> $ret:ty = $shape:literal;)*) => {
        $(
            fn $method(self, $($arg: $ty),*) -> Result<$ret, RowError> {
                $(let _ = $arg;)*
                $refuse(&self, $shape)
            }
        )*
    };
}

fn refuse_row<T>(_: &RowSerializer, shape: &'static str) -> Result<T, RowError> {
    not_a_row(shape)
}

impl ser::Serializer for RowSerializer {
    type Ok = Row;
    type Error = RowError;
    type SerializeSeq = Impossible<Row, RowError>;
    type SerializeTuple = Impossible<Row, RowError>;
    type SerializeTupleStruct = Impossible<Row, RowError>;
    type SerializeTupleVariant = Impossible<Row, RowError>;
    type SerializeMap = Impossible<Row, RowError>;
    type SerializeStruct = Fields;
    type SerializeStructVariant = Impossible<Row, RowError>;

    fn serialize_struct(self, _name: &'static str, len: usize) -> Result<Fields, RowError> {
        Ok(Fields(Row {
            names: Vec::with_capacity(len),
            cells: Vec::with_capacity(len),
        }))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Row, RowError> {
        value.serialize(self)
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, RowError> {
        not_a_row("a map (a `#[serde(flatten)]` field does that)")
    }

    fn serialize_some<T: Serialize + ?Sized>(self, _value: &T) -> Result<Row, RowError> {
        not_a_row("an `Option`")
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<Row, RowError> {
        not_a_row("an enum variant")
    }

    refuse! { refuse_row;
        serialize_bool(v: bool) -> Row = "a scalar";
        serialize_i8(v: i8) -> Row = "a scalar";
        serialize_i16(v: i16) -> Row = "a scalar";
        serialize_i32(v: i32) -> Row = "a scalar";
        serialize_i64(v: i64) -> Row = "a scalar";
        serialize_i128(v: i128) -> Row = "a scalar";
        serialize_u8(v: u8) -> Row = "a scalar";
        serialize_u16(v: u16) -> Row = "a scalar";
        serialize_u32(v: u32) -> Row = "a scalar";
        serialize_u64(v: u64) -> Row = "a scalar";
        serialize_u128(v: u128) -> Row = "a scalar";
        serialize_f32(v: f32) -> Row = "a scalar";
        serialize_f64(v: f64) -> Row = "a scalar";
        serialize_char(v: char) -> Row = "a scalar";
        serialize_str(v: &str) -> Row = "a string";
        serialize_bytes(v: &[u8]) -> Row = "bytes";
        serialize_none() -> Row = "an `Option`";
        serialize_unit() -> Row = "`()`";
        serialize_unit_struct(name: &'static str) -> Row = "a unit struct";
        serialize_unit_variant(name: &'static str, index: u32, variant: &'static str) -> Row = "an enum variant";
        serialize_seq(len: Option<usize>) -> Self::SerializeSeq = "a sequence";
        serialize_tuple(len: usize) -> Self::SerializeTuple = "a tuple";
        serialize_tuple_struct(name: &'static str, len: usize) -> Self::SerializeTupleStruct = "a tuple struct";
        serialize_tuple_variant(name: &'static str, index: u32, variant: &'static str, len: usize) -> Self::SerializeTupleVariant = "an enum variant";
        serialize_struct_variant(name: &'static str, index: u32, variant: &'static str, len: usize) -> Self::SerializeStructVariant = "an enum variant";
    }
}

impl ser::SerializeStruct for Fields {
    type Ok = Row;
    type Error = RowError;

    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), RowError> {
        let cell = value.serialize(CellSerializer { field: key })?;
        self.0.names.push(key);
        self.0.cells.push(cell);
        Ok(())
    }

    fn end(self) -> Result<Row, RowError> {
        Ok(self.0)
    }
}

fn number(bytes: impl Into<Vec<u8>>) -> Cell {
    Cell {
        bytes: bytes.into(),
        text: false,
    }
}

fn text(bytes: impl Into<Vec<u8>>) -> Cell {
    Cell {
        bytes: bytes.into(),
        text: true,
    }
}

fn refuse_cell<T>(cell: &CellSerializer, shape: &'static str) -> Result<T, RowError> {
    Err(RowError::Field {
        field: cell.field,
        shape,
    })
}

/// Implements the integer methods: decimal, as the `csv` crate wrote them.
macro_rules! integers {
    ($($method:ident($ty:ty);)*) => {
        $(
            fn $method(self, v: $ty) -> Result<Cell, RowError> {
                Ok(number(v.to_string()))
            }
        )*
    };
}

impl ser::Serializer for CellSerializer {
    type Ok = Cell;
    type Error = RowError;
    type SerializeSeq = Impossible<Cell, RowError>;
    type SerializeTuple = Impossible<Cell, RowError>;
    type SerializeTupleStruct = Impossible<Cell, RowError>;
    type SerializeTupleVariant = Impossible<Cell, RowError>;
    type SerializeMap = Impossible<Cell, RowError>;
    type SerializeStruct = Impossible<Cell, RowError>;
    type SerializeStructVariant = Impossible<Cell, RowError>;

    integers! {
        serialize_i8(i8);
        serialize_i16(i16);
        serialize_i32(i32);
        serialize_i64(i64);
        serialize_i128(i128);
        serialize_u8(u8);
        serialize_u16(u16);
        serialize_u32(u32);
        serialize_u64(u64);
        serialize_u128(u128);
    }

    fn serialize_bool(self, v: bool) -> Result<Cell, RowError> {
        Ok(number(if v { "true" } else { "false" }))
    }

    fn serialize_f32(self, v: f32) -> Result<Cell, RowError> {
        Ok(number(ryu::Buffer::new().format(v)))
    }

    fn serialize_f64(self, v: f64) -> Result<Cell, RowError> {
        Ok(number(ryu::Buffer::new().format(v)))
    }

    fn serialize_char(self, v: char) -> Result<Cell, RowError> {
        Ok(text(v.encode_utf8(&mut [0; 4]).as_bytes()))
    }

    fn serialize_str(self, v: &str) -> Result<Cell, RowError> {
        Ok(text(v))
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<Cell, RowError> {
        Ok(text(v))
    }

    fn serialize_none(self) -> Result<Cell, RowError> {
        Ok(number(Vec::new()))
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Cell, RowError> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Cell, RowError> {
        Ok(number(Vec::new()))
    }

    fn serialize_unit_struct(self, name: &'static str) -> Result<Cell, RowError> {
        Ok(text(name))
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Cell, RowError> {
        Ok(text(variant))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Cell, RowError> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<Cell, RowError> {
        refuse_cell(&self, "an enum variant with data")
    }

    refuse! { refuse_cell;
        serialize_seq(len: Option<usize>) -> Self::SerializeSeq = "a sequence";
        serialize_tuple(len: usize) -> Self::SerializeTuple = "a tuple";
        serialize_tuple_struct(name: &'static str, len: usize) -> Self::SerializeTupleStruct = "a tuple struct";
        serialize_tuple_variant(name: &'static str, index: u32, variant: &'static str, len: usize) -> Self::SerializeTupleVariant = "an enum variant with data";
        serialize_map(len: Option<usize>) -> Self::SerializeMap = "a map";
        serialize_struct(name: &'static str, len: usize) -> Self::SerializeStruct = "a struct";
        serialize_struct_variant(name: &'static str, index: u32, variant: &'static str, len: usize) -> Self::SerializeStructVariant = "an enum variant with data";
    }
}

/// The first characters that make a spreadsheet read a text cell as a
/// formula (OWASP, "CSV Injection"): `=`, `+`, `-`, `@`, tab and carriage
/// return.
const FORMULA_STARTS: &[u8] = b"=+-@\t\r";

/// Whether `cell` would be run as a formula: text that starts with one of
/// [`FORMULA_STARTS`]. Numbers are never (see the module docs).
fn is_formula(cell: &Cell) -> bool {
    cell.text
        && cell
            .bytes
            .first()
            .is_some_and(|b| FORMULA_STARTS.contains(b))
}

/// `cell`'s bytes with a single quote in front, which spreadsheets read as
/// "this is text" and show without the quote in most of them.
fn neutralised(cell: &Cell) -> Vec<u8> {
    let mut out = Vec::with_capacity(cell.bytes.len() + 1);
    out.push(b'\'');
    out.extend_from_slice(&cell.bytes);
    out
}

/// Why [`record`] failed.
pub(crate) enum Failure {
    /// The row is not flat, or its `Serialize` failed.
    Row(RowError),
    /// The `csv` crate refused the record.
    Csv(csv::Error),
    /// The record could not be flushed out of its buffer.
    Io(io::Error),
}

/// `row` as CSV text: the header record first if `header`, then the row's
/// record, with formula cells neutralised if `neutralise`. Formatted apart
/// so that the sink writes a row with one `write_all` or not at all.
pub(crate) fn record<T: Serialize + ?Sized>(
    row: &T,
    header: bool,
    neutralise: bool,
) -> Result<Vec<u8>, Failure> {
    let flat = flatten(row).map_err(Failure::Row)?;
    let mut record = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .quote_style(csv::QuoteStyle::Necessary)
        .from_writer(Vec::new());
    if header {
        record.write_record(&flat.names).map_err(Failure::Csv)?;
    }
    record
        .write_record(flat.cells.iter().map(|cell| {
            if neutralise && is_formula(cell) {
                Cow::Owned(neutralised(cell))
            } else {
                Cow::Borrowed(&cell.bytes[..])
            }
        }))
        .map_err(Failure::Csv)?;
    finish_record(record).map_err(Failure::Io)
}

/// The formatted record, flushed out of `record`. A failed flush gives the
/// writer's own `io::Error`, cause included.
pub(crate) fn finish_record<V: io::Write>(record: csv::Writer<V>) -> Result<V, io::Error> {
    record.into_inner().map_err(csv::IntoInnerError::into_error)
}
