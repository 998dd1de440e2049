//! TLS for the own connection, from the same librdkafka settings the rest of the client uses:
//! CA from `ssl.ca.pem` or `ssl.ca.location` (PEM), client certificate and key from
//! `ssl.certificate.pem`/`ssl.key.pem`, `ssl.certificate.location`/`ssl.key.location` (PEM) or
//! `ssl.keystore.location` (PKCS#12). Certificates are always verified; host names are verified
//! unless `ssl.endpoint.identification.algorithm` is `none`.
//! PKCS#12 stores are read by [`crate::kafka::key_store`].

use openssl::pkey::PKey;
use openssl::ssl::{SslConnector, SslMethod, SslVerifyMode};
use openssl::x509::X509;

use crate::kafka::client::ClientSettings;
use crate::kafka::key_store::read_pkcs12;

/// A TLS setting that could not be used; the message names the setting, never a secret.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TlsConfigError(pub String);

impl From<crate::kafka::key_store::KeyStoreError> for TlsConfigError {
    fn from(e: crate::kafka::key_store::KeyStoreError) -> TlsConfigError {
        TlsConfigError(e.0)
    }
}

/// TLS client configuration for one cluster.
pub struct TlsConfig {
    connector: SslConnector,
    verify_hostname: bool,
}

impl TlsConfig {
    /// Builds the TLS configuration from librdkafka-style settings.
    pub fn from_settings(settings: &ClientSettings) -> Result<TlsConfig, TlsConfigError> {
        let fail = |what: &str, e: &dyn std::fmt::Display| TlsConfigError(format!("{what}: {e}"));
        let mut builder =
            SslConnector::builder(SslMethod::tls_client()).map_err(|e| fail("TLS setup", &e))?;
        builder.set_verify(SslVerifyMode::PEER);
        if let Some(pem) = settings.get("ssl.ca.pem") {
            let store = builder.cert_store_mut();
            for cert in X509::stack_from_pem(pem.as_bytes()).map_err(|e| fail("ssl.ca.pem", &e))? {
                store.add_cert(cert).map_err(|e| fail("ssl.ca.pem", &e))?;
            }
        } else if let Some(path) = settings.get("ssl.ca.location") {
            // A file of PEM certificates, or (as librdkafka allows) a hashed certificate folder.
            let location = std::path::Path::new(path);
            let dir = location.is_dir();
            builder
                .load_verify_locations((!dir).then_some(location), dir.then_some(location))
                .map_err(|e| fail(&format!("CA file {path}"), &e))?;
        }

        let key_password = settings.get("ssl.key.password");
        if let (Some(cert), Some(key)) = (settings.get("ssl.certificate.pem"), settings.get("ssl.key.pem")) {
            let mut chain = X509::stack_from_pem(cert.as_bytes())
                .map_err(|e| fail("ssl.keystore.certificate.chain", &e))?
                .into_iter();
            let leaf = chain.next().ok_or_else(|| {
                TlsConfigError("ssl.keystore.certificate.chain holds no certificate".into())
            })?;
            builder
                .set_certificate(&leaf)
                .map_err(|e| fail("client certificate", &e))?;
            for extra in chain {
                builder
                    .add_extra_chain_cert(extra)
                    .map_err(|e| fail("client certificate chain", &e))?;
            }
            let key = match key_password {
                Some(p) => PKey::private_key_from_pem_passphrase(key.as_bytes(), p.as_bytes()),
                None => PKey::private_key_from_pem(key.as_bytes()),
            }
            .map_err(|_| TlsConfigError("ssl.keystore.key: cannot read the private key".into()))?;
            builder
                .set_private_key(&key)
                .map_err(|e| fail("client key", &e))?;
        } else if let (Some(cert), Some(key)) = (
            settings.get("ssl.certificate.location"),
            settings.get("ssl.key.location"),
        ) {
            builder
                .set_certificate_chain_file(cert)
                .map_err(|e| fail(&format!("client certificate {cert}"), &e))?;
            let pem = std::fs::read(key).map_err(|e| fail(&format!("client key {key}"), &e))?;
            let key_value = match key_password {
                Some(p) => PKey::private_key_from_pem_passphrase(&pem, p.as_bytes()),
                None => PKey::private_key_from_pem(&pem),
            }
            .map_err(|_| TlsConfigError(format!("client key {key}: cannot read the private key")))?;
            builder
                .set_private_key(&key_value)
                .map_err(|e| fail("client key", &e))?;
        } else if let Some(path) = settings.get("ssl.keystore.location") {
            let password = settings.get("ssl.keystore.password").unwrap_or("");
            let store = read_pkcs12(path, password)?;
            let cert = store
                .cert
                .ok_or_else(|| TlsConfigError(format!("key store {path} holds no certificate")))?;
            let key = store
                .pkey
                .ok_or_else(|| TlsConfigError(format!("key store {path} holds no private key")))?;
            builder
                .set_certificate(&cert)
                .map_err(|e| fail("client certificate", &e))?;
            builder
                .set_private_key(&key)
                .map_err(|e| fail("client key", &e))?;
            for extra in store.ca.into_iter().flatten() {
                builder
                    .add_extra_chain_cert(extra)
                    .map_err(|e| fail("client certificate chain", &e))?;
            }
        }
        Ok(TlsConfig {
            connector: builder.build(),
            verify_hostname: settings.get("ssl.endpoint.identification.algorithm") != Some("none"),
        })
    }

    /// The connector and whether host names are checked.
    pub fn connector(&self) -> (&SslConnector, bool) {
        (&self.connector, self.verify_hostname)
    }
}
