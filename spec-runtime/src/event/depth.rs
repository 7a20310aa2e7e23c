//! The nesting depth of JSON text, measured without parsing it.

/// What a byte outside strings is to the depth count.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    /// Anything that neither nests nor starts a string.
    Other,
    /// `"`: a string starts.
    Quote,
    /// `[` or `{`.
    Open,
    /// `]` or `}`.
    Close,
}

/// The class of every byte.
const CLASSES: [Class; 256] = {
    let mut table = [Class::Other; 256];
    table[b'"' as usize] = Class::Quote;
    table[b'[' as usize] = Class::Open;
    table[b'{' as usize] = Class::Open;
    table[b']' as usize] = Class::Close;
    table[b'}' as usize] = Class::Close;
    table
};

/// Whether `json` nests arrays and objects deeper than `limit`. One pass over the bytes: outside strings
/// each byte is classed by a table; a string is crossed by searching for its closing quote or the next
/// backslash with `memchr` (escapes included). The text need not be valid JSON (the scan that follows
/// checks it).
pub(crate) fn exceeds(json: &[u8], limit: usize) -> bool {
    let mut depth = 0usize;
    let mut i = 0usize;
    while let Some(&b) = json.get(i) {
        i += 1;
        match CLASSES[usize::from(b)] {
            Class::Other => {}
            Class::Quote => match string_end(json, i) {
                Some(end) => i = end,
                // An unterminated string: nothing after it nests.
                None => return false,
            },
            Class::Open => {
                depth = depth.saturating_add(1);
                if depth > limit {
                    return true;
                }
            }
            Class::Close => depth = depth.saturating_sub(1),
        }
    }
    false
}

/// The index just past the quote closing the string whose content starts at `from`; `None` when the text
/// ends first.
fn string_end(json: &[u8], mut from: usize) -> Option<usize> {
    loop {
        let at = from + memchr::memchr2(b'"', b'\\', json.get(from..)?)?;
        if json.get(at) == Some(&b'"') {
            return Some(at + 1);
        }
        // A backslash escapes the byte after it.
        from = at + 2;
    }
}

#[cfg(test)]
mod tests {
    use super::exceeds;
    use proptest::prelude::*;

    /// The byte-by-byte state machine the table and `memchr` version replaces, as the reference.
    fn reference(json: &[u8], limit: usize) -> bool {
        let mut depth = 0usize;
        let mut in_string = false;
        let mut escaped = false;
        for &b in json {
            if in_string {
                if escaped {
                    escaped = false;
                } else if b == b'\\' {
                    escaped = true;
                } else if b == b'"' {
                    in_string = false;
                }
                continue;
            }
            match b {
                b'"' => in_string = true,
                b'[' | b'{' => {
                    depth = depth.saturating_add(1);
                    if depth > limit {
                        return true;
                    }
                }
                b']' | b'}' => depth = depth.saturating_sub(1),
                _ => {}
            }
        }
        false
    }

    #[test]
    fn counts_brackets_outside_strings_only() {
        assert!(!exceeds(br#"{"a": [1, {"b": "[[[[\"{{{{"}]}"#, 3));
        assert!(exceeds(br#"{"a": [1, {"b": [[]]}]}"#, 4));
        assert!(!exceeds(br#"{"a": [1, {"b": [[]]}]}"#, 5));
        assert!(exceeds(&[b'['; 100_000], 100));
        assert!(!exceeds(b"", 0));
        // Escapes: an escaped backslash ends before the quote; a trailing backslash ends the text.
        assert!(exceeds(br#"{"a\\": [[1]]}"#, 2));
        assert!(!exceeds(br#"{"a\"": "[[["}"#, 1));
        assert!(!exceeds(br#"["abc\"#, 1));
        assert!(exceeds(br#"["abc\"#, 0));
        assert!(!exceeds(br#"["unterminated [[[["#, 1));
    }

    proptest! {
        #[test]
        fn agrees_with_the_byte_by_byte_reference(
            json in prop::collection::vec(prop::sample::select(b"[]{}\"\\ax ,:".to_vec()), 0..300),
            limit in 0usize..12,
        ) {
            prop_assert_eq!(exceeds(&json, limit), reference(&json, limit));
        }
    }
}
