//! Bearer secrets: generated with 256 bits of randomness, stored only as their SHA-256.

use std::fmt;

use rand::RngCore;
use sha2::{Digest, Sha256};

/// Prefix of every InfraToken secret, so secret scanners can recognize a leaked one.
pub const INFRA_TOKEN_PREFIX: &str = "iat_";
/// Prefix of every invitation link token.
pub const INVITATION_TOKEN_PREFIX: &str = "inv_";
/// Prefix of every sign-in magic link token.
pub const MAGIC_LINK_PREFIX: &str = "mgl_";
/// Prefix of every session refresh token.
pub const REFRESH_TOKEN_PREFIX: &str = "rft_";

/// A secret handed to a client once. `Debug` never prints it.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Generates a new secret with the given prefix followed by 64 hex digits.
    pub fn generate(prefix: &str) -> Self {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        Self(format!("{prefix}{}", hex::encode(bytes)))
    }

    /// Wraps a secret a client sent.
    pub fn from_client(text: &str) -> Self {
        Self(text.to_owned())
    }

    /// Returns the secret itself, for the one response that hands it out.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Returns the hex SHA-256 of the secret, the only form that is stored.
    pub fn hash(&self) -> String {
        hex::encode(Sha256::digest(self.0.as_bytes()))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(..)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generate_has_prefix_and_length() {
        let secret = Secret::generate(INFRA_TOKEN_PREFIX);

        assert!(secret.expose().starts_with(INFRA_TOKEN_PREFIX));
        assert_eq!(secret.expose().len(), INFRA_TOKEN_PREFIX.len() + 64);
    }

    #[test]
    fn hash_is_sha256_hex() {
        let hash = Secret::from_client("abc").hash();

        assert_eq!(
            hash,
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn debug_hides_secret() {
        let secret = Secret::from_client("iat_visible");

        assert_eq!(format!("{secret:?}"), "Secret(..)");
    }
}
