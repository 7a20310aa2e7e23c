//! The nesting depth of JSON text, measured without parsing it.

/// Whether `json` nests arrays and objects deeper than `limit`. One pass over the bytes, skipping strings
/// (escapes included); the text need not be valid JSON (the scan that follows checks it).
pub(crate) fn exceeds(json: &[u8], limit: usize) -> bool {
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

#[cfg(test)]
mod tests {
    use super::exceeds;

    #[test]
    fn counts_brackets_outside_strings_only() {
        assert!(!exceeds(br#"{"a": [1, {"b": "[[[[\"{{{{"}]}"#, 3));
        assert!(exceeds(br#"{"a": [1, {"b": [[]]}]}"#, 4));
        assert!(!exceeds(br#"{"a": [1, {"b": [[]]}]}"#, 5));
        assert!(exceeds(&[b'['; 100_000], 100));
        assert!(!exceeds(b"", 0));
    }
}
