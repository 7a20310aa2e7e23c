//! The run of bytes a JSON string holds as they are: up to the first quote, backslash or control character,
//! found eight bytes at a time.

/// Eight copies of a byte in a word.
pub(crate) const fn splat(b: u8) -> u64 {
    u64::from_ne_bytes([b; 8])
}

const ONES: u64 = splat(0x01);
const HIGHS: u64 = splat(0x80);

/// A word whose high bit is set in (at least) the lowest byte of `w` that is a quote, a backslash or a
/// control character, and in no byte below it. Bytes above the first match may be flagged falsely: only the
/// lowest flag is exact, which is the one used.
fn specials(w: u64) -> u64 {
    let quote = w ^ splat(b'"');
    let backslash = w ^ splat(b'\\');
    let zero = |v: u64| v.wrapping_sub(ONES) & !v;
    // A byte below 0x20 borrows when 0x20 is subtracted from it.
    let control = w.wrapping_sub(splat(0x20)) & !w;
    (zero(quote) | zero(backslash) | control) & HIGHS
}

/// The length of the longest prefix of `bytes` without a quote, a backslash or a control character.
#[inline(always)]
pub(crate) fn plain_len(bytes: &[u8]) -> usize {
    let mut pos = 0;
    while let Some(word) = bytes.get(pos..).and_then(<[u8]>::first_chunk::<8>) {
        let flags = specials(u64::from_le_bytes(*word));
        if flags != 0 {
            return pos + (flags.trailing_zeros() / 8) as usize;
        }
        pos += 8;
    }
    while let Some(&b) = bytes.get(pos) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            break;
        }
        pos += 1;
    }
    pos
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::plain_len;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn stops_at_the_first_byte_a_string_cannot_hold(bytes in prop::collection::vec(
            prop_oneof![Just(b'"'), Just(b'\\'), 0u8..0x20, 0x20u8..=0xff, 0x20u8..0x7f], 0..40)) {
            let expected = bytes.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20).unwrap_or(bytes.len());
            prop_assert_eq!(plain_len(&bytes), expected);
        }
    }
}
