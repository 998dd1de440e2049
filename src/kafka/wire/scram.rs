//! The client side of SCRAM (RFC 5802) with SHA-256 and SHA-512 (RFC 7677), as Kafka's
//! `SCRAM-SHA-*` mechanisms use it: no channel binding (`n,,`), no extensions.
//!
//! The password is only held for the exchange and never formatted into a message or log.

use openssl::hash::{MessageDigest, hash};
use openssl::pkey::PKey;
use openssl::sign::Signer;

/// Why a SCRAM exchange failed on the client side.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ScramError(pub String);

/// A SCRAM exchange in progress.
pub struct Scram {
    digest: MessageDigest,
    client_first_bare: String,
    nonce: String,
    password: String,
    server_signature: Option<Vec<u8>>,
}

impl Scram {
    /// Starts an exchange for `mechanism` (`SCRAM-SHA-256` or `SCRAM-SHA-512`) with a fresh
    /// random nonce.
    pub fn new(mechanism: &str, user: &str, password: &str) -> Result<Scram, ScramError> {
        let mut random = [0u8; 24];
        openssl::rand::rand_bytes(&mut random).map_err(|e| ScramError(e.to_string()))?;
        let nonce = openssl::base64::encode_block(&random);
        Scram::with_nonce(digest_of(mechanism)?, user, password, &nonce)
    }

    fn with_nonce(
        digest: MessageDigest,
        user: &str,
        password: &str,
        nonce: &str,
    ) -> Result<Scram, ScramError> {
        let name = user.replace('=', "=3D").replace(',', "=2C");
        Ok(Scram {
            digest,
            client_first_bare: format!("n={name},r={nonce}"),
            nonce: nonce.to_owned(),
            password: password.to_owned(),
            server_signature: None,
        })
    }

    /// The client-first message.
    pub fn client_first(&self) -> Vec<u8> {
        format!("n,,{}", self.client_first_bare).into_bytes()
    }

    /// Answers the server-first message with the client-final message (carrying the proof).
    pub fn client_final(&mut self, server_first: &[u8]) -> Result<Vec<u8>, ScramError> {
        let server_first = std::str::from_utf8(server_first).map_err(|_| bad("server-first is not UTF-8"))?;
        let mut nonce = None;
        let mut salt = None;
        let mut iterations = None;
        for part in server_first.split(',') {
            match part.split_once('=') {
                Some(("r", v)) => nonce = Some(v),
                Some(("s", v)) => salt = Some(v),
                Some(("i", v)) => iterations = v.parse::<usize>().ok(),
                Some(("e", v)) => return Err(ScramError(format!("server error: {v}"))),
                _ => {}
            }
        }
        let nonce = nonce.ok_or_else(|| bad("server-first has no nonce"))?;
        if !nonce.starts_with(&self.nonce) || nonce.len() == self.nonce.len() {
            return Err(bad("server nonce does not extend the client nonce"));
        }
        let salt = openssl::base64::decode_block(salt.ok_or_else(|| bad("server-first has no salt"))?)
            .map_err(|_| bad("salt is not base64"))?;
        let iterations = iterations
            .filter(|&i| i > 0)
            .ok_or_else(|| bad("bad iteration count"))?;

        let mut salted = vec![0u8; self.digest.size()];
        openssl::pkcs5::pbkdf2_hmac(
            self.password.as_bytes(),
            &salt,
            iterations,
            self.digest,
            &mut salted,
        )
        .map_err(|e| ScramError(e.to_string()))?;
        let client_key = self.hmac(&salted, b"Client Key")?;
        let stored_key = hash(self.digest, &client_key).map_err(|e| ScramError(e.to_string()))?;
        let without_proof = format!("c=biws,r={nonce}");
        let auth_message = format!("{},{server_first},{without_proof}", self.client_first_bare);
        let signature = self.hmac(&stored_key, auth_message.as_bytes())?;
        let proof: Vec<u8> = client_key.iter().zip(&signature).map(|(a, b)| a ^ b).collect();
        let server_key = self.hmac(&salted, b"Server Key")?;
        self.server_signature = Some(self.hmac(&server_key, auth_message.as_bytes())?);
        Ok(format!("{without_proof},p={}", openssl::base64::encode_block(&proof)).into_bytes())
    }

    /// Checks the server-final message: the server proves it knows the credentials too.
    pub fn verify_server_final(&self, server_final: &[u8]) -> Result<(), ScramError> {
        let text = std::str::from_utf8(server_final).map_err(|_| bad("server-final is not UTF-8"))?;
        if let Some(error) = text.strip_prefix("e=") {
            return Err(ScramError(format!("server error: {error}")));
        }
        let verifier = text
            .split(',')
            .find_map(|p| p.strip_prefix("v="))
            .ok_or_else(|| bad("server-final has no verifier"))?;
        let verifier = openssl::base64::decode_block(verifier).map_err(|_| bad("verifier is not base64"))?;
        match &self.server_signature {
            Some(expected)
                if expected.len() == verifier.len() && openssl::memcmp::eq(expected, &verifier) =>
            {
                Ok(())
            }
            _ => Err(bad("the server's signature does not match")),
        }
    }

    fn hmac(&self, key: &[u8], data: &[u8]) -> Result<Vec<u8>, ScramError> {
        let key = PKey::hmac(key).map_err(|e| ScramError(e.to_string()))?;
        let mut signer = Signer::new(self.digest, &key).map_err(|e| ScramError(e.to_string()))?;
        signer.update(data).map_err(|e| ScramError(e.to_string()))?;
        signer.sign_to_vec().map_err(|e| ScramError(e.to_string()))
    }
}

fn bad(what: &str) -> ScramError {
    ScramError(what.to_owned())
}

fn digest_of(mechanism: &str) -> Result<MessageDigest, ScramError> {
    match mechanism {
        "SCRAM-SHA-256" => Ok(MessageDigest::sha256()),
        "SCRAM-SHA-512" => Ok(MessageDigest::sha512()),
        other => Err(ScramError(format!("{other} is not a SCRAM mechanism"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 5802 section 5 (SCRAM-SHA-1): the same algorithm with another digest.
    #[test]
    fn rfc5802_example() {
        let mut s = Scram::with_nonce(
            MessageDigest::sha1(),
            "user",
            "pencil",
            "fyko+d2lbbFgONRv9qkxdawL",
        )
        .unwrap();
        assert_eq!(s.client_first(), b"n,,n=user,r=fyko+d2lbbFgONRv9qkxdawL");
        let last = s
            .client_final(b"r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096")
            .unwrap();
        assert_eq!(
            String::from_utf8(last).unwrap(),
            "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,p=v0X8v3Bz2T0CJGbJQyF0X+HI4Ts="
        );
        s.verify_server_final(b"v=rmF9pqV8S7suAoZWja4dJRkFsKQ=").unwrap();
        assert!(s.verify_server_final(b"v=AAAAAAAAAAAAAAAAAAAAAAAAAAA=").is_err());
    }

    /// RFC 7677 section 3 (SCRAM-SHA-256).
    #[test]
    fn rfc7677_example() {
        let mut s =
            Scram::with_nonce(MessageDigest::sha256(), "user", "pencil", "rOprNGfwEbeRWgbNEkqO").unwrap();
        assert_eq!(s.client_first(), b"n,,n=user,r=rOprNGfwEbeRWgbNEkqO");
        let last = s
            .client_final(
                b"r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
            )
            .unwrap();
        assert_eq!(
            String::from_utf8(last).unwrap(),
            "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
        );
        s.verify_server_final(b"v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=")
            .unwrap();
    }

    #[test]
    fn names_are_escaped_and_foreign_nonces_refused() {
        let mut s = Scram::with_nonce(MessageDigest::sha512(), "a=b,c", "pw", "abc").unwrap();
        assert_eq!(s.client_first(), b"n,,n=a=3Db=2Cc,r=abc");
        assert!(s.client_final(b"r=xyz123,s=QSXCR+Q6sek8bf92,i=4096").is_err());
        assert!(s.client_final(b"e=invalid-proof").is_err());
    }
}
