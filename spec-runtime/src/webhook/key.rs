//! Keys, one per secret: HMAC states keyed once, or Ed25519 keys; and signatures held inline, compared in
//! constant time.

use base64::Engine as _;
use base64::alphabet;
use base64::engine::general_purpose::STANDARD;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use hmac::{Hmac, Mac};
use subtle::{Choice, ConstantTimeEq};

use super::error::VerifierConfigError;
use spec_core::Secret;
use spec_core::{ED25519_SECRET_KEY_PREFIX, SecretEncoding, SecretFormat, SigningAlgorithm};

/// Standard base64 with or without its `=` padding: senders and the official libraries write Standard Webhooks
/// keys both ways.
const KEY_BASE64: GeneralPurpose = GeneralPurpose::new(
    &alphabet::STANDARD,
    GeneralPurposeConfig::new().with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Longest signature: an HMAC-SHA512 output or an Ed25519 signature.
pub(crate) const MAX_TAG: usize = 64;

/// What a key is for: checking signatures, or making them (Ed25519 signers need the secret key).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Role {
    Verify,
    Sign,
}

/// A key: a MAC state keyed once with a secret (cloned for each message so the key schedule runs once), or an
/// Ed25519 public key (verifying) or secret key (signing).
#[derive(Clone)]
pub(crate) enum Key {
    Sha256(Hmac<sha2::Sha256>),
    Sha1(Hmac<sha1::Sha1>),
    Sha512(Hmac<sha2::Sha512>),
    Ed25519Public(VerifyingKey),
    Ed25519Secret(Box<SigningKey>),
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Key::Sha256(_) => "Key(HmacSha256, [REDACTED])",
            Key::Sha1(_) => "Key(HmacSha1, [REDACTED])",
            Key::Sha512(_) => "Key(HmacSha512, [REDACTED])",
            Key::Ed25519Public(_) => "Key(Ed25519 public key)",
            Key::Ed25519Secret(_) => "Key(Ed25519 secret key, [REDACTED])",
        })
    }
}

fn decode_base64(
    text: &str,
    prefix: Option<&str>,
    index: usize,
    reason: &'static str,
) -> Result<Vec<u8>, VerifierConfigError> {
    let b64 = prefix.and_then(|p| text.strip_prefix(p)).unwrap_or(text);
    let decoded = KEY_BASE64
        .decode(b64)
        .map_err(|_| VerifierConfigError::InvalidSecret { index, reason })?;
    if decoded.is_empty() {
        return Err(VerifierConfigError::EmptySecret { index });
    }
    Ok(decoded)
}

impl Key {
    /// A key from `secret` as the layout reads it (`format`: raw text, or base64 after an optional prefix such
    /// as `whsec_`). Ed25519 verifiers take public keys (`whpk_` + base64 of 32 bytes); Ed25519 signers take
    /// secret keys (`whsk_` + base64 of the 32-byte seed or the 64-byte key pair).
    pub(crate) fn new(
        algorithm: SigningAlgorithm,
        format: &SecretFormat,
        role: Role,
        secret: &Secret,
        index: usize,
    ) -> Result<Self, VerifierConfigError> {
        let text = secret.expose();
        if text.trim().is_empty() {
            return Err(VerifierConfigError::EmptySecret { index });
        }
        if algorithm == SigningAlgorithm::Ed25519 {
            return ed25519(format, role, text, index);
        }
        let decoded;
        let bytes = match format.encoding {
            SecretEncoding::Base64 => {
                decoded = decode_base64(
                    text,
                    format.prefix.as_deref(),
                    index,
                    "the key is base64 (padded or not) after its prefix (Standard Webhooks: `whsec_`)",
                )?;
                decoded.as_slice()
            }
            SecretEncoding::Raw => text.as_bytes(),
        };
        // HMAC takes keys of any length, so keying cannot fail.
        let invalid = || VerifierConfigError::InvalidSecret {
            index,
            reason: "the HMAC key is unusable",
        };
        match algorithm {
            SigningAlgorithm::HmacSha256 => Hmac::new_from_slice(bytes).map(Key::Sha256).map_err(|_| invalid()),
            SigningAlgorithm::HmacSha1 => Hmac::new_from_slice(bytes).map(Key::Sha1).map_err(|_| invalid()),
            SigningAlgorithm::HmacSha512 => Hmac::new_from_slice(bytes).map(Key::Sha512).map_err(|_| invalid()),
            SigningAlgorithm::Ed25519 => Err(invalid()),
        }
    }

    /// Whether the key signs with Ed25519 (which needs the signed content in one piece).
    pub(crate) fn is_ed25519(&self) -> bool {
        matches!(self, Key::Ed25519Public(_) | Key::Ed25519Secret(_))
    }

    /// The MAC or signature of the concatenation of `parts`. An Ed25519 public key cannot sign: `None`.
    pub(crate) fn tag(&self, parts: &[&[u8]]) -> Option<Tag> {
        fn mac<M: Mac + Clone>(k: &M, parts: &[&[u8]]) -> Tag {
            let mut mac = k.clone();
            for p in parts {
                mac.update(p);
            }
            let mut out = Tag::default();
            out.fill(&mac.finalize().into_bytes());
            out
        }
        match self {
            Key::Sha256(k) => Some(mac(k, parts)),
            Key::Sha1(k) => Some(mac(k, parts)),
            Key::Sha512(k) => Some(mac(k, parts)),
            Key::Ed25519Secret(k) => {
                let mut out = Tag::default();
                out.fill(&k.sign(&parts.concat()).to_bytes());
                Some(out)
            }
            Key::Ed25519Public(_) => None,
        }
    }

    /// Whether `candidate` is a valid signature of `message` (Ed25519 keys; strict verification). MAC keys
    /// compare tags instead ([`tag`](Self::tag)).
    pub(crate) fn verifies(&self, message: &[u8], candidate: &Tag) -> bool {
        let key = match self {
            Key::Ed25519Public(k) => *k,
            Key::Ed25519Secret(k) => k.verifying_key(),
            _ => return false,
        };
        let Ok(signature) = Signature::from_slice(candidate.as_slice()) else {
            return false;
        };
        key.verify_strict(message, &signature).is_ok()
    }
}

fn ed25519(format: &SecretFormat, role: Role, text: &str, index: usize) -> Result<Key, VerifierConfigError> {
    match role {
        Role::Verify => {
            let reason = "an Ed25519 public key is `whpk_` followed by the base64 of 32 bytes";
            if text.starts_with(ED25519_SECRET_KEY_PREFIX)
                || text.starts_with(spec_core::STANDARD_WEBHOOKS_SECRET_PREFIX)
            {
                return Err(VerifierConfigError::InvalidSecret { index, reason });
            }
            let bytes = decode_base64(text, format.prefix.as_deref(), index, reason)?;
            let bytes: [u8; 32] = bytes
                .try_into()
                .map_err(|_| VerifierConfigError::InvalidSecret { index, reason })?;
            VerifyingKey::from_bytes(&bytes)
                .map(Key::Ed25519Public)
                .map_err(|_| VerifierConfigError::InvalidSecret { index, reason })
        }
        Role::Sign => {
            let reason = "an Ed25519 secret key is `whsk_` followed by the base64 of the 32-byte seed or the \
                          64-byte key pair";
            let invalid = || VerifierConfigError::InvalidSecret { index, reason };
            let bytes = decode_base64(text, Some(ED25519_SECRET_KEY_PREFIX), index, reason)?;
            let key = match bytes.len() {
                32 => {
                    let mut seed = [0u8; 32];
                    seed.copy_from_slice(&bytes);
                    SigningKey::from_bytes(&seed)
                }
                64 => {
                    let mut pair = [0u8; 64];
                    pair.copy_from_slice(&bytes);
                    SigningKey::from_keypair_bytes(&pair).map_err(|_| invalid())?
                }
                _ => return Err(invalid()),
            };
            Ok(Key::Ed25519Secret(Box::new(key)))
        }
    }
}

/// A MAC output, an Ed25519 signature or a decoded candidate signature, held inline.
#[derive(Clone, Copy)]
pub(crate) struct Tag {
    bytes: [u8; MAX_TAG],
    /// At most `MAX_TAG`; a byte keeps the decoded candidates small to copy.
    len: u8,
}

impl Default for Tag {
    fn default() -> Self {
        Tag {
            bytes: [0; MAX_TAG],
            len: 0,
        }
    }
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

    /// Constant-time equality. Lengths are public; the bytes are compared as four 128-bit words with
    /// `subtle` (unused bytes are zero in every tag), so the cost is a few instructions, not one
    /// optimisation barrier per byte.
    pub(crate) fn ct_eq(&self, other: &Tag) -> Choice {
        let (a, b) = (self.words(), other.words());
        a[0].ct_eq(&b[0])
            & a[1].ct_eq(&b[1])
            & a[2].ct_eq(&b[2])
            & a[3].ct_eq(&b[3])
            & Choice::from(u8::from(self.len == other.len))
    }

    fn words(&self) -> [u128; 4] {
        let mut out = [0u128; 4];
        for (word, chunk) in out.iter_mut().zip(self.bytes.chunks_exact(16)) {
            let mut w = [0u8; 16];
            w.copy_from_slice(chunk);
            *word = u128::from_ne_bytes(w);
        }
        out
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
