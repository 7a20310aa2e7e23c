//! Keyed MAC states, one per secret, and MAC outputs compared in constant time.

use base64::Engine as _;
use base64::alphabet;
use base64::engine::general_purpose::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use hmac::{Hmac, Mac};
use subtle::{Choice, ConstantTimeEq};

use super::error::VerifierConfigError;
use spec_core::Secret;
use spec_core::{SignatureScheme, SigningAlgorithm};

/// Standard base64 with or without its `=` padding: senders and the official libraries write Standard Webhooks
/// keys both ways.
const KEY_BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Longest MAC output (SHA-256).
const MAX_TAG: usize = 32;

/// A MAC state keyed once with a secret; cloned for each message so the key schedule runs once.
#[derive(Clone)]
pub(crate) enum Key {
    Sha256(Hmac<sha2::Sha256>),
    Sha1(Hmac<sha1::Sha1>),
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Key::Sha256(_) => "Key(HmacSha256, [REDACTED])",
            Key::Sha1(_) => "Key(HmacSha1, [REDACTED])",
        })
    }
}

impl Key {
    /// Keys a MAC with `secret` as the scheme reads it (Standard Webhooks: `whsec_` + base64; others: raw bytes).
    pub(crate) fn new(
        scheme: SignatureScheme,
        algorithm: SigningAlgorithm,
        secret: &Secret,
        index: usize,
    ) -> Result<Self, VerifierConfigError> {
        let text = secret.expose();
        if text.trim().is_empty() {
            return Err(VerifierConfigError::EmptySecret { index });
        }
        let decoded;
        let bytes = if scheme == SignatureScheme::StandardWebhooks {
            let b64 = text.strip_prefix("whsec_").unwrap_or(text);
            decoded = KEY_BASE64.decode(b64).map_err(|_| VerifierConfigError::InvalidSecret {
                index,
                reason: "a Standard Webhooks key is `whsec_` followed by base64 (padded or not)",
            })?;
            if decoded.is_empty() {
                return Err(VerifierConfigError::EmptySecret { index });
            }
            decoded.as_slice()
        } else {
            text.as_bytes()
        };
        let unsupported = || VerifierConfigError::UnsupportedAlgorithm { scheme, algorithm };
        match algorithm {
            // HMAC takes keys of any length, so keying cannot fail.
            SigningAlgorithm::HmacSha256 => Hmac::new_from_slice(bytes).map(Key::Sha256).map_err(|_| unsupported()),
            SigningAlgorithm::HmacSha1 => Hmac::new_from_slice(bytes).map(Key::Sha1).map_err(|_| unsupported()),
            SigningAlgorithm::Ed25519 => Err(unsupported()),
        }
    }

    /// The MAC of the concatenation of `parts`, each fed to the MAC in turn.
    pub(crate) fn tag(&self, parts: &[&[u8]]) -> Tag {
        let mut out = Tag::default();
        match self {
            Key::Sha256(k) => {
                let mut mac = k.clone();
                for p in parts {
                    mac.update(p);
                }
                out.fill(&mac.finalize().into_bytes());
            }
            Key::Sha1(k) => {
                let mut mac = k.clone();
                for p in parts {
                    mac.update(p);
                }
                out.fill(&mac.finalize().into_bytes());
            }
        }
        out
    }
}

/// A MAC output or a decoded candidate signature, held inline.
#[derive(Clone, Copy, Default)]
pub(crate) struct Tag {
    bytes: [u8; MAX_TAG],
    /// At most `MAX_TAG`; a byte keeps the decoded candidates small to copy.
    len: u8,
}

impl Tag {
    fn fill(&mut self, src: &[u8]) {
        let n = src.len().min(MAX_TAG);
        self.bytes[..n].copy_from_slice(&src[..n]);
        self.len = n as u8;
    }

    pub(crate) fn as_slice(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }

    /// Constant-time equality. Lengths are public; the bytes are compared as two 128-bit words with
    /// `subtle` (unused bytes are zero in every tag), so the cost is a couple of instructions, not one
    /// optimisation barrier per byte.
    pub(crate) fn ct_eq(&self, other: &Tag) -> Choice {
        let (a0, a1) = self.words();
        let (b0, b1) = other.words();
        a0.ct_eq(&b0) & a1.ct_eq(&b1) & Choice::from(u8::from(self.len == other.len))
    }

    fn words(&self) -> (u128, u128) {
        let mut lo = [0u8; 16];
        let mut hi = [0u8; 16];
        lo.copy_from_slice(&self.bytes[..16]);
        hi.copy_from_slice(&self.bytes[16..]);
        (u128::from_ne_bytes(lo), u128::from_ne_bytes(hi))
    }

    /// Decodes a hex candidate (either case); `None` when it is not hex of a plausible length.
    pub(crate) fn from_hex(s: &[u8]) -> Option<Tag> {
        if s.is_empty() || s.len() > 2 * MAX_TAG || s.len() & 1 == 1 {
            return None;
        }
        let mut t = Tag::default();
        let len = s.len() / 2;
        if faster_hex::hex_decode(s, &mut t.bytes[..len]).is_err() {
            return None;
        }
        t.len = len as u8;
        Some(t)
    }

    /// Decodes a standard base64 candidate; `None` when it is not base64 of a plausible length.
    pub(crate) fn from_base64(s: &str) -> Option<Tag> {
        if s.is_empty() || s.len() > 4 * MAX_TAG.div_ceil(3) {
            return None;
        }
        // decode_slice wants room for its length estimate, which may exceed the decoded length.
        let mut buf = [0u8; MAX_TAG + 3];
        let n = STANDARD.decode_slice(s, &mut buf).ok()?;
        if n > MAX_TAG {
            return None;
        }
        let mut t = Tag::default();
        t.fill(&buf[..n]);
        Some(t)
    }

    pub(crate) fn to_hex(self) -> String {
        hex::encode(self.as_slice())
    }

    pub(crate) fn to_base64(self) -> String {
        STANDARD.encode(self.as_slice())
    }
}
