//! Producing valid signature headers, for tests and for users testing their own endpoints.

use sha2::{Digest, Sha256};

use super::engine::{self, Compiled, Message};
use super::error::VerifierConfigError;
use super::headers::Headers;
use super::key::{Key, Role};
use super::options::VerifierOptions;
use spec_core::Secret;
use spec_core::{IntegrationSpec, SignatureScheme};

/// Signs bodies the way the provider does.
#[derive(Debug, Clone)]
pub struct Signer {
    options: VerifierOptions,
    compiled: Compiled,
    key: Key,
}

impl Signer {
    /// A signer for the layout, algorithm and header names of `options`. With Ed25519 the secret is the
    /// secret key (`whsk_` + base64 of the 32-byte seed or the 64-byte key pair).
    pub fn new(options: VerifierOptions, secret: &Secret) -> Result<Self, VerifierConfigError> {
        let compiled = Compiled::new(&options)?;
        let key = Key::new(options.algorithm, &compiled.secret, Role::Sign, secret, 0)?;
        Ok(Self { options, compiled, key })
    }

    /// A signer with the scheme's defaults ([`VerifierOptions::for_scheme`]).
    pub fn for_scheme(scheme: SignatureScheme, secret: &Secret) -> Result<Self, VerifierConfigError> {
        Self::new(VerifierOptions::for_scheme(scheme), secret)
    }

    /// A signer configured by the spec's webhook transport ([`VerifierOptions::from_spec`]).
    pub fn from_spec(spec: &IntegrationSpec, secret: &Secret) -> Result<Self, VerifierConfigError> {
        Self::new(VerifierOptions::from_spec(spec)?, secret)
    }

    /// The headers the provider would send with `body` at `timestamp` (Unix seconds). Messages of layouts
    /// signing `{id}` (Standard Webhooks) get the id `msg_<hex>` derived from the timestamp and body; use
    /// [`sign_with_id`](Self::sign_with_id) to choose it.
    pub fn sign(&self, body: &[u8], timestamp: i64) -> SignedHeaders {
        let digest = Sha256::new()
            .chain_update(timestamp.to_be_bytes())
            .chain_update(body)
            .finalize();
        let id = format!("msg_{}", hex::encode(&digest[..12]));
        self.sign_with_id(&id, body, timestamp)
    }

    /// Like [`sign`](Self::sign) with the message id given (used by layouts signing `{id}` only).
    pub fn sign_with_id(&self, id: &str, body: &[u8], timestamp: i64) -> SignedHeaders {
        self.sign_message(id, body, timestamp, "")
    }

    /// Like [`sign_with_id`](Self::sign_with_id) for a delivery to `url` (used by layouts signing `{url}`;
    /// the others sign no URL, and [`sign`](Self::sign) signs an empty one).
    pub fn sign_for_url(&self, url: &str, id: &str, body: &[u8], timestamp: i64) -> SignedHeaders {
        self.sign_message(id, body, timestamp, url)
    }

    fn sign_message(&self, id: &str, body: &[u8], timestamp: i64, url: &str) -> SignedHeaders {
        let message = Message {
            id,
            timestamp,
            body,
            url,
        };
        SignedHeaders(engine::sign(&self.compiled, &self.key, &message))
    }

    /// The options in force.
    pub fn options(&self) -> &VerifierOptions {
        &self.options
    }
}

/// Headers made by a [`Signer`], as `(name, value)` pairs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignedHeaders(pub Vec<(String, String)>);

impl SignedHeaders {
    /// The value of header `name` (ASCII case-insensitive).
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The pairs, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}

impl Headers for SignedHeaders {
    fn header(&self, name: &str) -> Option<&[u8]> {
        self.get(name).map(str::as_bytes)
    }
}

impl IntoIterator for SignedHeaders {
    type Item = (String, String);
    type IntoIter = std::vec::IntoIter<(String, String)>;

    fn into_iter(self) -> Self::IntoIter {
        self.0.into_iter()
    }
}
