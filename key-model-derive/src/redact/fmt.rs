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
        let arg = self.argument().unwrap_or(Arg::Next);
        let spec = if self.eat(':') {
            self.spec()?
        } else {
            Spec::default()
        };
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

    fn argument(&mut self) -> Option<Arg> {
        if let Some(digits) = self.integer() {
            // A literal too large for `usize` names no field either way.
            return Some(Arg::Index(digits.parse().unwrap_or(usize::MAX)));
        }
        self.identifier().map(Arg::Name)
    }

    /// A count, or `None` (and nothing consumed) when what follows is not
    /// one, e.g. the identifier of a formatting trait.
    fn count(&mut self) -> Option<Count> {
        let start = self.pos;
        if let Some(digits) = self.integer() {
            if self.eat('$') {
                return Some(Count::Arg(Arg::Index(digits.parse().unwrap_or(usize::MAX))));
            }
            return Some(Count::Literal(digits));
        }
        if let Some(name) = self.identifier()
            && self.eat('$')
        {
            return Some(Count::Arg(Arg::Name(name)));
        }
        self.pos = start;
        None
    }

    fn spec(&mut self) -> Result<Spec, String> {
        let mut spec = Spec::default();
        let is_align = |c: Option<char>| matches!(c, Some('<' | '^' | '>'));
        if self.peek().is_some_and(|c| c != '}') && is_align(self.peek_at(1)) {
            spec.flags.extend(&self.chars[self.pos..self.pos + 2]);
            self.pos += 2;
        } else if is_align(self.peek()) {
            spec.flags.extend(self.peek());
            self.pos += 1;
        }
        for flag in ['+', '-', '#'] {
            if self.eat(flag) {
                spec.flags.push(flag);
            }
        }
        // `0` is the zero-padding flag unless it is the parameter `0$`.
        if self.peek() == Some('0') && self.peek_at(1) != Some('$') {
            self.pos += 1;
            spec.flags.push('0');
        }
        spec.width = self.count();
        if self.eat('.') {
            spec.precision = Some(if self.eat('*') {
                Precision::Star
            } else {
                Precision::Count(
                    self.count()
                        .ok_or("invalid format string: expected a precision after `.`")?,
                )
            });
        }
        let start = self.pos;
        while self.peek().is_some_and(|c| c != '}') {
            self.pos += 1;
        }
        spec.ty = self.chars[start..self.pos].iter().collect();
        Ok(spec)
    }
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

    #[test]
    fn errors() {
        for bad in ["{", "}", "{name", "{:", "a } b", "{x:.}", "{0 }"] {
            assert!(parse(bad).is_err(), "{bad:?} parsed");
        }
    }
}
