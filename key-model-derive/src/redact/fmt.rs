//! A parser for the format strings of `#[display("...")]`, following std's
//! `format!` grammar, so that every argument can be checked against the
//! fields (a redacted or unknown field is an error) and then rewritten to
//! name the generated argument that stands for it.
//!
//! ```text
//! format      := (text | '{{' | '}}' | '{' argument? (':' spec)? '}')*
//! argument    := integer | identifier
//! spec        := [[fill] align] [sign] ['#'] ['0'] [width] ['.' precision] type
//! width       := count
//! precision   := count | '*'
//! count       := parameter | integer
//! parameter   := argument '$'
//! type        := '' | '?' | 'x?' | 'X?' | identifier
//! ```

/// A piece of a format string.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Piece {
    /// Text, with `{{` and `}}` kept escaped so it can be emitted as is.
    Text(String),
    Placeholder(Placeholder),
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Placeholder {
    pub(crate) arg: Arg,
    pub(crate) spec: Spec,
    /// Where it stands in the string, in bytes, braces included: for
    /// errors pointed at the placeholder itself where rustc allows it.
    pub(crate) range: core::ops::Range<usize>,
}

/// Which argument a placeholder or a count names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Arg {
    /// `{}`: the next positional argument.
    Next,
    /// `{0}`.
    Index(usize),
    /// `{name}`.
    Name(String),
}

#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Spec {
    /// Fill, alignment, sign, `#` and `0`, as written.
    pub(crate) flags: String,
    pub(crate) width: Option<Count>,
    pub(crate) precision: Option<Precision>,
    /// The formatting trait: `""` for `Display`, `"?"` for `Debug`, `"x"`...
    pub(crate) ty: String,
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Count {
    Literal(String),
    /// `name$` or `0$`.
    Arg(Arg),
}

#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Precision {
    Count(Count),
    /// `.*`: the next positional argument is the precision.
    Star,
}

/// Parses a format string; the error says what is wrong, in std's words
/// where they exist.
pub(crate) fn parse(input: &str) -> Result<Vec<Piece>, String> {
    let mut parser = Parser {
        chars: input.chars().collect(),
        offsets: input
            .char_indices()
            .map(|(offset, _)| offset)
            .chain([input.len()])
            .collect(),
        pos: 0,
    };
    parser.format()
}

struct Parser {
    chars: Vec<char>,
    /// The byte offset of each char, and of the end.
    offsets: Vec<usize>,
    pos: usize,
}

impl Parser {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.pos).copied()
    }

    fn peek_at(&self, offset: usize) -> Option<char> {
        self.chars.get(self.pos + offset).copied()
    }

    fn eat(&mut self, ch: char) -> bool {
        if self.peek() == Some(ch) {
            self.pos += 1;
            true
        } else {
            false
        }
    }

    fn format(&mut self) -> Result<Vec<Piece>, String> {
        let mut pieces = Vec::new();
        let mut text = String::new();
        while let Some(ch) = self.peek() {
            self.pos += 1;
            match ch {
                '{' if self.eat('{') => text.push_str("{{"),
                '}' if self.eat('}') => text.push_str("}}"),
                '}' => {
                    return Err(
                        "invalid format string: unmatched `}` found; write `}}` for a literal `}`"
                            .to_owned(),
                    );
                }
                '{' => {
                    if !text.is_empty() {
                        pieces.push(Piece::Text(core::mem::take(&mut text)));
                    }
                    let start = self.offsets[self.pos - 1];
                    let (arg, spec) = self.placeholder()?;
                    pieces.push(Piece::Placeholder(Placeholder {
                        arg,
                        spec,
                        range: start..self.offsets[self.pos],
                    }));
                }
                other => text.push(other),
            }
        }
        if !text.is_empty() {
            pieces.push(Piece::Text(text));
        }
        Ok(pieces)
    }

    fn placeholder(&mut self) -> Result<(Arg, Spec), String> {
        let arg = self.argument()?.unwrap_or(Arg::Next);
        // std allows white space after the argument and after the spec,
        // not inside the spec.
        self.white_space();
        let spec = if self.eat(':') {
            self.spec()?
        } else {
            Spec::default()
        };
        self.white_space();
        if self.eat('}') {
            Ok((arg, spec))
        } else if self.peek().is_none() {
            Err("invalid format string: expected `}` but the string ended; write `{{` for a literal `{`".to_owned())
        } else {
            Err(format!(
                "invalid format string: expected `}}`, found `{}`",
                self.peek().unwrap_or_default()
            ))
        }
    }

    fn white_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.pos += 1;
        }
    }

    fn integer(&mut self) -> Option<String> {
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_ascii_digit()) {
            self.pos += 1;
        }
        (self.pos > start).then(|| self.chars[start..self.pos].iter().collect())
    }

    fn identifier(&mut self) -> Option<String> {
        let first = self.peek()?;
        if !(first.is_alphabetic() || first == '_') {
            return None;
        }
        let start = self.pos;
        while self.peek().is_some_and(|c| c.is_alphanumeric() || c == '_') {
            self.pos += 1;
        }
        Some(self.chars[start..self.pos].iter().collect())
    }

    fn argument(&mut self) -> Result<Option<Arg>, String> {
        if let Some(digits) = self.integer() {
            return index(&digits).map(|i| Some(Arg::Index(i)));
        }
        match self.identifier() {
            Some(name) if name == "_" => {
                Err("invalid format string: invalid argument name `_`".to_owned())
            }
            name => Ok(name.map(Arg::Name)),
        }
    }

    /// A count, or `None` (and nothing consumed) when what follows is not
    /// one, e.g. the identifier of a formatting trait.
    fn count(&mut self) -> Result<Option<Count>, String> {
        let start = self.pos;
        if let Some(digits) = self.integer() {
            if self.eat('$') {
                return index(&digits).map(|i| Some(Count::Arg(Arg::Index(i))));
            }
            index(&digits)?;
            return Ok(Some(Count::Literal(digits)));
        }
        if let Some(name) = self.identifier()
            && self.eat('$')
        {
            return Ok(Some(Count::Arg(Arg::Name(name))));
        }
        self.pos = start;
        Ok(None)
    }

    /// std's `format_spec`, step by step as `rustc_parse_format` reads it:
    /// `[[fill] align] [sign] ['#'] ['0'] [width] ['.' precision] type`.
    fn spec(&mut self) -> Result<Spec, String> {
        let mut spec = Spec::default();
        let is_align = |c: Option<char>| matches!(c, Some('<' | '^' | '>'));
        // The fill is any character, `}` and `{` included, when an
        // alignment follows it.
        if self.peek().is_some() && is_align(self.peek_at(1)) {
            spec.flags.extend(&self.chars[self.pos..self.pos + 2]);
            self.pos += 2;
        } else if is_align(self.peek()) {
            spec.flags.extend(self.peek());
            self.pos += 1;
        }
        // One sign at most.
        if let Some(sign @ ('+' | '-')) = self.peek() {
            self.pos += 1;
            spec.flags.push(sign);
        }
        if self.eat('#') {
            spec.flags.push('#');
        }
        // `0` is the zero-padding flag unless it is the parameter `0$`.
        if self.peek() == Some('0') && self.peek_at(1) != Some('$') {
            self.pos += 1;
            spec.flags.push('0');
        }
        spec.width = self.count()?;
        if self.eat('.') {
            // A `.` with no count after it is accepted, and means nothing.
            spec.precision = if self.eat('*') {
                Some(Precision::Star)
            } else {
                self.count()?.map(Precision::Count)
            };
        }
        spec.ty = match self.peek() {
            Some(radix @ ('x' | 'X')) => {
                self.pos += 1;
                let mut ty = radix.to_string();
                if self.eat('?') {
                    ty.push('?');
                }
                ty
            }
            Some('?') => {
                self.pos += 1;
                "?".to_owned()
            }
            _ => self.identifier().unwrap_or_default(),
        };
        Ok(spec)
    }
}

/// A position or count as written, which std reads as a `u16`: a larger
/// one is refused in std's words, quoting the digits as written.
fn index(digits: &str) -> Result<usize, String> {
    digits.parse::<u16>().map(usize::from).map_err(|_| {
        format!(
            "invalid format string: integer `{digits}` does not fit into the type `u16` whose range is `0..={}`",
            u16::MAX
        )
    })
}

#[cfg(test)]
mod tests {
    use super::{Arg, Count, Piece, Placeholder, Precision, Spec, parse};

    fn one(input: &str) -> Placeholder {
        let mut pieces = parse(input).unwrap();
        assert_eq!(pieces.len(), 1, "{input}: {pieces:?}");
        match pieces.remove(0) {
            Piece::Placeholder(p) => p,
            Piece::Text(t) => panic!("{input}: text {t:?}"),
        }
    }

    fn spec(flags: &str, width: Option<Count>, precision: Option<Precision>, ty: &str) -> Spec {
        Spec {
            flags: flags.to_owned(),
            width,
            precision,
            ty: ty.to_owned(),
        }
    }

    #[test]
    fn text_and_escapes() {
        assert_eq!(
            parse("a {{b}} c").unwrap(),
            vec![Piece::Text("a {{b}} c".to_owned())]
        );
        assert_eq!(parse("").unwrap(), vec![]);
    }

    #[test]
    fn arguments() {
        assert_eq!(one("{}").arg, Arg::Next);
        assert_eq!(one("{0}").arg, Arg::Index(0));
        assert_eq!(one("{12}").arg, Arg::Index(12));
        assert_eq!(one("{name}").arg, Arg::Name("name".to_owned()));
        assert_eq!(one("{_x1}").arg, Arg::Name("_x1".to_owned()));
        assert_eq!(one("{name}").spec, Spec::default());
    }

    #[test]
    fn specs() {
        assert_eq!(
            one("{count:>4}").spec,
            spec(">", Some(Count::Literal("4".into())), None, "")
        );
        assert_eq!(
            one("{:*^10}").spec,
            spec("*^", Some(Count::Literal("10".into())), None, "")
        );
        assert_eq!(one("{:#?}").spec, spec("#", None, None, "?"));
        assert_eq!(one("{:?}").spec, spec("", None, None, "?"));
        assert_eq!(one("{:#x}").spec, spec("#", None, None, "x"));
        assert_eq!(one("{:x?}").spec, spec("", None, None, "x?"));
        assert_eq!(
            one("{:+08.3e}").spec,
            spec(
                "+0",
                Some(Count::Literal("8".into())),
                Some(Precision::Count(Count::Literal("3".into()))),
                "e"
            )
        );
        assert_eq!(
            one("{:0$}").spec,
            spec("", Some(Count::Arg(Arg::Index(0))), None, "")
        );
        assert_eq!(
            one("{:00$}").spec,
            spec("0", Some(Count::Arg(Arg::Index(0))), None, "")
        );
        assert_eq!(
            one("{:w$}").spec,
            spec("", Some(Count::Arg(Arg::Name("w".into()))), None, "")
        );
        assert_eq!(
            one("{:.p$}").spec,
            spec(
                "",
                None,
                Some(Precision::Count(Count::Arg(Arg::Name("p".into())))),
                ""
            )
        );
        assert_eq!(one("{:.*}").spec, spec("", None, Some(Precision::Star), ""));
        assert_eq!(one("{:<}").spec, spec("<", None, None, ""));
        assert_eq!(one("{:>>}").spec, spec(">>", None, None, ""));
    }

    #[test]
    fn mixed() {
        let pieces = parse("session {id} under {key_ref}!").unwrap();
        assert_eq!(pieces.len(), 5);
        assert_eq!(pieces[0], Piece::Text("session ".into()));
        assert_eq!(pieces[4], Piece::Text("!".into()));
        let Piece::Placeholder(p) = &pieces[3] else {
            panic!("{pieces:?}")
        };
        assert_eq!(p.range, 19..28);
    }

    #[test]
    fn ranges_count_bytes() {
        let pieces = parse("é {x:>4} ü").unwrap();
        let Piece::Placeholder(p) = &pieces[1] else {
            panic!("{pieces:?}")
        };
        assert_eq!(&"é {x:>4} ü"[p.range.clone()], "{x:>4}");
    }

    /// Every string of up to five characters over the format syntax's own
    /// alphabet parses or is refused, never panics, and a placeholder's
    /// range always covers its braces.
    #[test]
    fn never_panics() {
        const ALPHABET: [char; 14] = [
            '{', '}', ':', '0', 'a', '$', '.', '*', '<', '#', 'x', '?', '1', 'é',
        ];
        let mut stack = vec![String::new()];
        while let Some(input) = stack.pop() {
            if let Ok(pieces) = parse(&input) {
                for piece in pieces {
                    if let Piece::Placeholder(p) = piece {
                        let text = &input[p.range];
                        assert!(text.starts_with('{') && text.ends_with('}'), "{input:?}");
                    }
                }
            }
            if input.chars().count() < 5 {
                for ch in ALPHABET {
                    stack.push(format!("{input}{ch}"));
                }
            }
        }
    }

    /// std's acceptance of each format string, as `format!("...")` with
    /// `x: u32` and `w: usize` in scope reports it on rustc 1.95: the same
    /// rows are compiled against `format!` and the derive in
    /// `tests/tests/boundary/format_specs.rs` (accepted, same output) and
    /// `ui-tests/compile-fail/format-specs-std-refuses.rs` (refused by
    /// both). `{x:q}` parses (an unknown trait is refused after parsing, by
    /// std and by the derive alike).
    const TABLE: &[(&str, bool)] = &[
        ("{x}", true),
        ("{x:}", true),
        ("{x }", true),
        ("{x: }", true),
        ("{x:  }", true),
        ("{x:? }", true),
        ("{x:x }", true),
        ("{x:>5 }", true),
        ("{x:.3 }", true),
        ("{x:w$ }", true),
        ("{x:}>5}", true),
        ("{x:{<3}", true),
        ("{x:é>3}", true),
        ("{x:_>3}", true),
        ("{x:0>}", true),
        ("{x:>0}", true),
        ("{x:#>+#010}", true),
        ("{x:+}", true),
        ("{x:-}", true),
        ("{x:#}", true),
        ("{x:0}", true),
        ("{x:00}", true),
        ("{x:.}", true),
        ("{x:5.}", true),
        ("{x:.2}", true),
        ("{x:w$.w$}", true),
        ("{x:.w$e}", true),
        ("{x:>65535}", true),
        ("{x:e}", true),
        ("{x:x}", true),
        ("{x:X}", true),
        ("{x:#?}", true),
        ("{x:x?}", true),
        ("{x:#X?}", true),
        ("{x:q}", true),
        ("{x:> 5}", false),
        ("{ x}", false),
        ("{x:+-}", false),
        ("{x:<<<}", false),
        ("{x:?x}", false),
        ("{x:>}}", false),
        ("{x:>65536}", false),
        ("{99999999999999999999999}", false),
        ("{_}", false),
        ("{x", false),
        ("}", false),
        ("{x:", false),
        ("a } b", false),
    ];

    #[test]
    fn follows_std_acceptance() {
        for &(input, accepted) in TABLE {
            assert_eq!(
                parse(input).is_ok(),
                accepted,
                "{input:?}: {:?}",
                parse(input)
            );
        }
    }

    /// An error quotes what the user wrote.
    #[test]
    fn errors_quote_the_input() {
        let err = parse("{99999999999999999999999}").unwrap_err();
        assert!(err.contains("`99999999999999999999999`"), "{err}");
        let err = parse("{x:>70000}").unwrap_err();
        assert!(err.contains("`70000`"), "{err}");
    }
}
