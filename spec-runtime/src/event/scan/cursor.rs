//! A position in JSON text and the grammar (RFC 8259) read from it: whitespace, strings, numbers, literals,
//! and the validating skip of a whole value. Nothing allocates unless an error is reported.

use super::ScanError;
use crate::plain::splat;

/// A read that failed; why is kept in the cursor ([`Cursor::error`]), so that results stay a register wide.
#[derive(Debug, Clone, Copy)]
pub(super) struct Stop;

/// Why a cursor stopped.
#[derive(Debug, Clone, Copy)]
enum Why {
    /// Something else was expected at the position.
    Expected(&'static str),
    /// Nesting passed the limit at the position.
    TooDeep,
}

/// Whether a byte is JSON whitespace.
const WHITESPACE: [bool; 256] = {
    let mut table = [false; 256];
    table[b' ' as usize] = true;
    table[b'\t' as usize] = true;
    table[b'\n' as usize] = true;
    table[b'\r' as usize] = true;
    table
};

/// A reading position in one JSON document.
pub(super) struct Cursor<'a> {
    pub(super) text: &'a str,
    bytes: &'a [u8],
    pub(super) pos: usize,
    /// The deepest nesting of arrays and objects accepted.
    limit: usize,
    /// Whether the last string read contains escapes.
    pub(super) escaped: bool,
    /// Why the read stopped, once it has.
    why: Option<Why>,
}

impl<'a> Cursor<'a> {
    /// The deepest nesting a cursor can check: the skip keeps its open containers as bits of a `u128`.
    pub(super) const MAX_LIMIT: usize = 127;

    /// A cursor at the start of `text`, refusing nesting deeper than `limit` (at most [`Self::MAX_LIMIT`]).
    pub(super) fn new(text: &'a str, limit: usize) -> Self {
        Self {
            text,
            bytes: text.as_bytes(),
            pos: 0,
            limit: limit.min(Self::MAX_LIMIT),
            escaped: false,
            why: None,
        }
    }

    /// The byte at the position, if any.
    pub(super) fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    /// Moves past one byte (already peeked).
    pub(super) fn bump(&mut self) {
        self.pos = self.pos.saturating_add(1);
    }

    /// Skips whitespace; runs of spaces (a pretty-printed document's indentation) eight bytes at a time.
    pub(super) fn whitespace(&mut self) {
        while let Some(&b) = self.bytes.get(self.pos) {
            if b == b' ' {
                self.spaces();
            } else if WHITESPACE[usize::from(b)] {
                self.pos += 1;
            } else {
                return;
            }
        }
    }

    /// Moves past a run of spaces.
    fn spaces(&mut self) {
        while let Some(chunk) = self.bytes.get(self.pos..self.pos.saturating_add(8)) {
            let Ok(word) = <[u8; 8]>::try_from(chunk) else { break };
            let other = u64::from_le_bytes(word) ^ splat(b' ');
            if other != 0 {
                self.pos += (other.trailing_zeros() / 8) as usize;
                return;
            }
            self.pos += 8;
        }
        while self.peek() == Some(b' ') {
            self.bump();
        }
    }

    /// Stops: `what` was expected at the position.
    pub(super) fn fail<T>(&mut self, what: &'static str) -> Result<T, Stop> {
        self.why = Some(Why::Expected(what));
        Err(Stop)
    }

    /// Why the cursor stopped, with the line and column of the position.
    pub(super) fn error(&self) -> ScanError {
        let what = match self.why {
            Some(Why::TooDeep) => return ScanError::TooDeep,
            Some(Why::Expected(what)) => what,
            None => "valid JSON",
        };
        let before = self.bytes.get(..self.pos).unwrap_or(self.bytes);
        let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
        let column = before.iter().rev().take_while(|&&b| b != b'\n').count() + 1;
        let found = match self.peek() {
            None => "the end of the text".to_string(),
            Some(b) if b.is_ascii_graphic() => format!("`{}`", char::from(b)),
            Some(b) => format!("byte 0x{b:02x}"),
        };
        ScanError::Invalid(format!("expected {what} at line {line} column {column}, found {found}"))
    }

    /// Checks that opening a container at nesting `level` (the outermost is 1) stays within the limit.
    pub(super) fn enter(&mut self, level: usize) -> Result<(), Stop> {
        if level > self.limit {
            self.why = Some(Why::TooDeep);
            Err(Stop)
        } else {
            Ok(())
        }
    }

    /// Expects `byte` (after whitespace) and moves past it.
    pub(super) fn expect(&mut self, byte: u8, what: &'static str) -> Result<(), Stop> {
        self.whitespace();
        if self.peek() == Some(byte) {
            self.bump();
            Ok(())
        } else {
            self.fail(what)
        }
    }

    /// Reads a string at the position (its opening quote); returns its contents as written, and sets
    /// [`escaped`](Self::escaped) when they contain escapes.
    #[inline(always)]
    pub(super) fn string(&mut self) -> Result<&'a str, Stop> {
        if self.peek() != Some(b'"') {
            return self.fail("a string");
        }
        self.bump();
        let start = self.pos;
        let mut escaped = false;
        loop {
            self.skip_plain();
            match self.peek() {
                Some(b'"') => {
                    let contents = self.text.get(start..self.pos).unwrap_or_default();
                    self.bump();
                    self.escaped = escaped;
                    return Ok(contents);
                }
                Some(b'\\') => {
                    escaped = true;
                    self.bump();
                    self.escape()?;
                }
                _ => return self.fail("a closing quote (control characters must be escaped)"),
            }
        }
    }

    /// Moves to the next quote, backslash or control character, eight bytes at a time; to the end of the
    /// text when there is none.
    #[inline(always)]
    fn skip_plain(&mut self) {
        self.pos += self.bytes.get(self.pos..).map_or(0, crate::plain::plain_len);
    }

    /// Reads the escape after a backslash.
    fn escape(&mut self) -> Result<(), Stop> {
        match self.peek() {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                self.bump();
                Ok(())
            }
            Some(b'u') => {
                self.bump();
                for _ in 0..4 {
                    match self.peek() {
                        Some(b) if b.is_ascii_hexdigit() => self.bump(),
                        _ => return self.fail("four hexadecimal digits after `\\u`"),
                    }
                }
                Ok(())
            }
            _ => self.fail("an escape (one of `\"\\/bfnrtu`) after the backslash"),
        }
    }

    /// Skips digits; returns how many.
    fn digits(&mut self) -> usize {
        let start = self.pos;
        while self.peek().is_some_and(|b| b.is_ascii_digit()) {
            self.bump();
        }
        self.pos - start
    }

    /// Reads a number: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
    fn number(&mut self) -> Result<(), Stop> {
        if self.peek() == Some(b'-') {
            self.bump();
        }
        match self.peek() {
            Some(b'0') => {
                self.bump();
                if self.peek().is_some_and(|b| b.is_ascii_digit()) {
                    return self.fail("no digit after a leading zero");
                }
            }
            Some(b'1'..=b'9') => {
                self.digits();
            }
            _ => return self.fail("a digit"),
        }
        if self.peek() == Some(b'.') {
            self.bump();
            if self.digits() == 0 {
                return self.fail("a digit after the decimal point");
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.bump();
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.bump();
            }
            if self.digits() == 0 {
                return self.fail("a digit in the exponent");
            }
        }
        Ok(())
    }

    /// Reads `word` (`true`, `false`, `null`).
    fn literal(&mut self, word: &'static str) -> Result<(), Stop> {
        let end = self.pos.saturating_add(word.len());
        if self.bytes.get(self.pos..end) == Some(word.as_bytes()) {
            self.pos = end;
            Ok(())
        } else {
            self.fail(word)
        }
    }

    /// Reads a scalar (string, number or literal) at the position, after whitespace.
    pub(super) fn scalar(&mut self) -> Result<(), Stop> {
        match self.peek() {
            Some(b'"') => self.string().map(drop),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(b't') => self.literal("true"),
            Some(b'f') => self.literal("false"),
            Some(b'n') => self.literal("null"),
            _ => self.fail("a JSON value"),
        }
    }

    /// Reads an object's key and the colon after it (whitespace before each); returns the key as written.
    pub(super) fn key(&mut self) -> Result<&'a str, Stop> {
        self.whitespace();
        if self.peek() != Some(b'"') {
            return self.fail("a member name (a string)");
        }
        let key = self.string()?;
        self.expect(b':', "`:` after the member name")?;
        Ok(key)
    }

    /// Skips one whole value (after whitespace), checking it; `depth` containers enclose it. Iterative: the
    /// open containers are bits of a `u128` (1 for an object), so hostile nesting costs no stack.
    pub(super) fn skip_value(&mut self, depth: usize) -> Result<(), Stop> {
        let mut objects: u128 = 0;
        let mut open: usize = 0;
        loop {
            // A value is expected.
            self.whitespace();
            match self.peek() {
                Some(open_byte @ (b'{' | b'[')) => {
                    self.enter(depth.saturating_add(open).saturating_add(1))?;
                    self.bump();
                    self.whitespace();
                    let object = open_byte == b'{';
                    let close = if object { b'}' } else { b']' };
                    if self.peek() == Some(close) {
                        self.bump();
                    } else {
                        objects = (objects << 1) | u128::from(object);
                        open += 1;
                        if object {
                            self.key()?;
                        }
                        continue;
                    }
                }
                _ => self.scalar()?,
            }
            // After a value: close containers until a comma continues one, or nothing is open.
            loop {
                if open == 0 {
                    return Ok(());
                }
                self.whitespace();
                let object = objects & 1 == 1;
                match (self.peek(), object) {
                    (Some(b','), _) => {
                        self.bump();
                        if object {
                            self.key()?;
                        }
                        break;
                    }
                    (Some(b'}'), true) | (Some(b']'), false) => {
                        self.bump();
                        objects >>= 1;
                        open -= 1;
                    }
                    (_, true) => return self.fail("`,` or `}` after an object member"),
                    (_, false) => return self.fail("`,` or `]` after an array element"),
                }
            }
        }
    }
}
