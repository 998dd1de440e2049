//! Reading PKCS#12 key and trust stores, in memory (never written back to disk), for both the
//! librdkafka settings (`client.rs`) and the own TLS connections (`wire/tls.rs`).

use openssl::pkcs12::Pkcs12;

/// A key store that cannot be used; the message names the path, never the password.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyStoreError(pub String);

impl std::fmt::Display for KeyStoreError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Reads a PKCS#12 store; a wrong password or a file that is not PKCS#12 is reported with the
/// path (never the password).
pub fn read_pkcs12(path: &str, password: &str) -> Result<openssl::pkcs12::ParsedPkcs12_2, KeyStoreError> {
    let der = std::fs::read(path).map_err(|e| KeyStoreError(format!("cannot read {path}: {e}")))?;
    Pkcs12::from_der(&der)
        .map_err(|_| KeyStoreError(format!("{path} is not a PKCS#12 store")))?
        .parse2(password)
        .map_err(|_| KeyStoreError(format!("cannot open the PKCS#12 store {path}: wrong password?")))
}

/// The certificates of a PKCS#12 trust store as PEM text.
pub fn pkcs12_certificates_pem(path: &str, password: &str) -> Result<String, KeyStoreError> {
    let store = read_pkcs12(path, password)?;
    let mut pem = String::new();
    for cert in store.cert.into_iter().chain(store.ca.into_iter().flatten()) {
        let text = cert.to_pem().map_err(|e| KeyStoreError(format!("{path}: {e}")))?;
        pem.push_str(&String::from_utf8_lossy(&text));
    }
    if pem.is_empty() {
        return Err(KeyStoreError(format!("{path} holds no certificate")));
    }
    Ok(pem)
}
