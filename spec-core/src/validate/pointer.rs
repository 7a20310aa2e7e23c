//! JSON pointers and header names named by the spec.

use super::{Cx, ErrorCode};

/// A JSON pointer (RFC 6901) is empty (the whole document) or starts with `/`; `~` escapes only `~0` / `~1`.
pub(super) fn check(pointer: &str, path: &str, cx: &mut Cx) {
    if !pointer.is_empty() && !pointer.starts_with('/') {
        cx.err(
            ErrorCode::Pointer,
            path,
            format!("`{pointer}` is not a JSON pointer: write `/{pointer}` (RFC 6901 pointers start with `/`)"),
        );
        return;
    }
    let bytes = pointer.as_bytes();
    for (i, b) in bytes.iter().enumerate() {
        if *b == b'~' && !matches!(bytes.get(i + 1), Some(b'0' | b'1')) {
            cx.err(
                ErrorCode::Pointer,
                path,
                format!("`{pointer}`: `~` must be followed by `0` (for `~`) or `1` (for `/`)"),
            );
            return;
        }
    }
}

/// A header name is a non-empty RFC 9110 token.
pub(super) fn check_header_name(name: &str, path: &str, cx: &mut Cx) {
    let is_tchar = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty() || !name.chars().all(is_tchar) {
        cx.err(
            ErrorCode::HeaderName,
            path,
            format!("`{name}` is not a header name: use letters, digits and `-` (`X-Request-Id`)"),
        );
    }
}
