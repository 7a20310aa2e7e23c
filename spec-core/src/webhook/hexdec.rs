//! Hex decoding of candidate signatures, eight digits at a time.
//!
//! A signature header carries 40 (SHA-1) or 64 (SHA-256) hex digits, decoded on every request. Sixteen
//! digits are classified and converted together in one SSE2 register on x86-64; eight together inside one
//! `u64` (SIMD within a register) elsewhere and for a remainder of eight; a remainder shorter than eight
//! uses a per-digit table.

/// Each byte's high bit.
const HIGH: u64 = 0x8080_8080_8080_8080;
/// One in each byte.
const ONES: u64 = 0x0101_0101_0101_0101;

/// Hex digit values by ASCII byte; 0xff for bytes that are not hex digits.
static TABLE: [u8; 256] = {
    let mut table = [0xff; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        table[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
};

/// The high bit of each byte set where that byte is ≥ `m`. Every byte of `x` must be below 0x80 and
/// `m` at most 0x80, so no lane borrows from its neighbour.
const fn ge(x: u64, m: u8) -> u64 {
    ((x | HIGH) - ONES * m as u64) & HIGH
}

/// The high bit of each byte set where that byte is ≤ `n`. Every byte of `x` must be below 0x80 and
/// `n` below 0x80, so no lane borrows from its neighbour.
const fn le(x: u64, n: u8) -> u64 {
    ((ONES * (0x80 | n) as u64) - x) & HIGH
}

/// Decodes eight ASCII hex digits (either case), the first digit in the lowest byte of `x`, into four
/// bytes, the first in the lowest byte of the result; `None` when any byte is not a hex digit.
fn decode8(x: u64) -> Option<u32> {
    if x & HIGH != 0 {
        return None;
    }
    // Setting bit 5 maps `A`–`F` onto `a`–`f`, and nothing else onto `a`–`f`.
    let folded = x | (ONES * 0x20);
    let digit = ge(x, b'0') & le(x, b'9');
    let letter = ge(folded, b'a') & le(folded, b'f');
    if digit | letter != HIGH {
        return None;
    }
    // Digits: the low nibble. Letters: the low nibble (1–6) plus 9.
    let nibbles = (x & (ONES * 0x0f)) + (letter >> 7) * 9;
    // Pairs of nibbles into bytes, each in the low byte of a 16-bit lane, then the lanes packed together.
    let lanes = ((nibbles & 0x000f_000f_000f_000f) << 4) | ((nibbles >> 8) & 0x000f_000f_000f_000f);
    let packed = (lanes | (lanes >> 8)) & 0x0000_ffff_0000_ffff;
    Some(((packed | (packed >> 16)) & 0xffff_ffff) as u32)
}

/// Decodes sixteen ASCII hex digits (either case) into eight bytes with SSE2 (part of every x86-64 CPU);
/// `None` when any byte is not a hex digit.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
fn decode16(src: &[u8]) -> Option<[u8; 8]> {
    // SAFETY: the build targets SSE2 (`cfg(target_feature = "sse2")`), so every CPU running it has SSE2.
    unsafe { decode16_sse2(src) }
}

/// [`decode16`] with SSE2 intrinsics.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
fn decode16_sse2(src: &[u8]) -> Option<[u8; 8]> {
    use std::arch::x86_64::{
        _mm_add_epi8, _mm_and_si128, _mm_cmpeq_epi8, _mm_cvtsi128_si64, _mm_min_epu8, _mm_movemask_epi8, _mm_or_si128,
        _mm_packus_epi16, _mm_set_epi64x, _mm_set1_epi8, _mm_set1_epi16, _mm_slli_epi16, _mm_srli_epi16, _mm_sub_epi8,
    };
    let (lo, hi) = src.split_at_checked(8)?;
    let word = |b: &[u8]| -> Option<i64> { Some(i64::from_le_bytes(b.try_into().ok()?)) };
    let v = _mm_set_epi64x(word(hi)?, word(lo)?);
    // Digits: `b - '0'` is at most 9 (unsigned). Letters: `(b | 0x20) - 'a'` is at most 5; setting bit 5
    // maps `A`–`F` onto `a`–`f` and nothing else onto them.
    let digit = _mm_sub_epi8(v, _mm_set1_epi8(b'0' as i8));
    let is_digit = _mm_cmpeq_epi8(_mm_min_epu8(digit, _mm_set1_epi8(9)), digit);
    let letter = _mm_sub_epi8(_mm_or_si128(v, _mm_set1_epi8(0x20)), _mm_set1_epi8(b'a' as i8));
    let is_letter = _mm_cmpeq_epi8(_mm_min_epu8(letter, _mm_set1_epi8(5)), letter);
    if _mm_movemask_epi8(_mm_or_si128(is_digit, is_letter)) != 0xffff {
        return None;
    }
    let nibbles = _mm_or_si128(
        _mm_and_si128(is_digit, digit),
        _mm_and_si128(is_letter, _mm_add_epi8(letter, _mm_set1_epi8(10))),
    );
    // Each 16-bit lane holds two nibbles, the first in its low byte: make them one byte, then pack.
    let pairs = _mm_or_si128(
        _mm_slli_epi16(_mm_and_si128(nibbles, _mm_set1_epi16(0x00ff)), 4),
        _mm_srli_epi16(nibbles, 8),
    );
    Some(_mm_cvtsi128_si64(_mm_packus_epi16(pairs, pairs)).to_le_bytes())
}

/// Decodes sixteen hex digits as two words of eight.
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
fn decode16(src: &[u8]) -> Option<[u8; 8]> {
    let (lo, hi) = src.split_at_checked(8)?;
    let word = |b: &[u8]| -> Option<u32> { decode8(u64::from_le_bytes(b.try_into().ok()?)) };
    let mut out = [0u8; 8];
    out[..4].copy_from_slice(&word(lo)?.to_le_bytes());
    out[4..].copy_from_slice(&word(hi)?.to_le_bytes());
    Some(out)
}

/// Decodes `src` (an even number of hex digits, either case) into `dst`, which must hold exactly half as
/// many bytes: sixteen digits at a time, then eight, then the last few by table. Returns `false`, with
/// `dst` partly written, when `src` holds anything but hex digits or the lengths do not match.
pub(crate) fn decode(src: &[u8], dst: &mut [u8]) -> bool {
    if src.len() != 2 * dst.len() {
        return false;
    }
    let mut src_chunks = src.chunks_exact(16);
    let mut dst_chunks = dst.chunks_exact_mut(8);
    for (s, d) in (&mut src_chunks).zip(&mut dst_chunks) {
        match decode16(s) {
            Some(v) => d.copy_from_slice(&v),
            None => return false,
        }
    }
    let (src, rest) = (src_chunks.remainder(), dst_chunks.into_remainder());
    let (src, dst) = match src.split_first_chunk::<8>() {
        Some((s, src_rest)) => {
            let Some((d, dst_rest)) = rest.split_first_chunk_mut::<4>() else {
                return false;
            };
            match decode8(u64::from_le_bytes(*s)) {
                Some(v) => *d = v.to_le_bytes(),
                None => return false,
            }
            (src_rest, dst_rest)
        }
        None => (src, rest),
    };
    let mut invalid = 0u8;
    for (out, pair) in dst.iter_mut().zip(src.chunks_exact(2)) {
        let (hi, lo) = (TABLE[usize::from(pair[0])], TABLE[usize::from(pair[1])]);
        invalid |= hi | lo;
        *out = (hi << 4) | (lo & 0x0f);
    }
    // Every valid digit maps below 16; the table marks anything else with 0xff.
    invalid & 0xf0 == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table's reading of one byte, the reference for the word-wise classification.
    fn reference(src: &[u8]) -> Option<Vec<u8>> {
        src.chunks_exact(2)
            .map(|p| {
                let (hi, lo) = (TABLE[usize::from(p[0])], TABLE[usize::from(p[1])]);
                (hi < 16 && lo < 16).then_some((hi << 4) | lo)
            })
            .collect()
    }

    fn decoded(src: &[u8]) -> Option<Vec<u8>> {
        let mut out = vec![0u8; src.len() / 2];
        decode(src, &mut out).then_some(out)
    }

    #[test]
    fn table_matches_the_hex_digits() {
        for b in 0..=255u8 {
            let expected = (b as char).to_digit(16).map(|d| d as u8);
            assert_eq!(TABLE[usize::from(b)] < 16, expected.is_some(), "byte {b:#04x}");
            if let Some(d) = expected {
                assert_eq!(TABLE[usize::from(b)], d);
            }
        }
    }

    #[test]
    fn every_byte_in_every_lane_is_classified_like_the_table() {
        // Neighbours of both kinds around the byte under test: digits, lower- and upper-case letters.
        // Sixteen digits take the sixteen-digit path, their first eight the eight-digit one.
        for fill in [*b"0123456789abcdef", *b"FEDCBA9876543210", *b"aF09bE18cD27dC36"] {
            for pos in 0..16 {
                for b in 0..=255u8 {
                    let mut src = fill;
                    src[pos] = b;
                    assert_eq!(decoded(&src), reference(&src), "byte {b:#04x} at {pos} in {fill:?}");
                    assert_eq!(
                        decoded(&src[..8]),
                        reference(&src[..8]),
                        "byte {b:#04x} at {pos} in {fill:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn decodes_signatures_of_every_length_and_case() {
        let bytes: Vec<u8> = (0..=255u8).collect();
        for len in 0..=40 {
            let lower = hex::encode(&bytes[..len]);
            let upper = lower.to_ascii_uppercase();
            for text in [lower, upper] {
                assert_eq!(decoded(text.as_bytes()).as_deref(), Some(&bytes[..len]), "{text}");
            }
        }
        let all = hex::encode(&bytes);
        assert_eq!(decoded(all.as_bytes()), Some(bytes));
    }

    #[test]
    fn rejects_odd_lengths_and_length_mismatches() {
        let mut out = [0u8; 4];
        assert!(!decode(b"abcdef0", &mut out));
        assert!(!decode(b"abcdef0123", &mut out));
        assert!(decode(b"abcdef01", &mut out));
        assert_eq!(out, [0xab, 0xcd, 0xef, 0x01]);
    }
}
