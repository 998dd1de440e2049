//! The certificates of a cluster's TLS listeners: a throwaway CA, a server certificate (for
//! `localhost` / `127.0.0.1` unless told otherwise), and a client certificate for mTLS, made
//! with the `openssl` command line as PEM files (Kafka 4 brokers read PEM key stores directly).

use std::path::{Path, PathBuf};
use std::process::Command;

/// PEM files of one cluster's TLS setup.
#[derive(Clone, Debug)]
pub struct TlsFiles {
    /// The CA certificate; clients and the broker trust it.
    pub ca_cert: PathBuf,
    /// The broker's key store: its private key followed by its certificate.
    pub server_keystore: PathBuf,
    /// The client certificate (for mTLS), signed by the CA.
    pub client_cert: PathBuf,
    /// The client certificate's private key (PKCS#8, unencrypted).
    pub client_key: PathBuf,
}

impl TlsFiles {
    /// Creates a CA and server and client certificates in `dir` (valid for two days). The
    /// server certificate names `server_names` (`subjectAltName` entries such as
    /// `DNS:localhost,IP:127.0.0.1`).
    pub fn generate(dir: &Path, server_names: &str) -> TlsFiles {
        let dir = dir.join("tls");
        std::fs::create_dir_all(&dir).expect("create the tls folder");
        let p = |name: &str| dir.join(name);
        let key_args = [
            "-newkey",
            "ec",
            "-pkeyopt",
            "ec_paramgen_curve:prime256v1",
            "-nodes",
        ];

        openssl(
            &dir,
            &[
                &["req", "-x509"][..],
                &key_args,
                &[
                    "-keyout",
                    "ca.key",
                    "-out",
                    "ca.pem",
                    "-days",
                    "2",
                    "-subj",
                    "/CN=testbed-ca",
                    "-addext",
                    "basicConstraints=critical,CA:TRUE",
                    "-addext",
                    "keyUsage=critical,keyCertSign,cRLSign",
                ],
            ]
            .concat(),
        );
        sign(
            &dir,
            "server",
            "/CN=localhost",
            &format!("subjectAltName={server_names}\nextendedKeyUsage=serverAuth\n"),
            &key_args,
        );
        sign(
            &dir,
            "client",
            "/CN=testbed-client",
            "extendedKeyUsage=clientAuth\n",
            &key_args,
        );

        let keystore = [
            std::fs::read_to_string(p("server.key")).expect("read server key"),
            std::fs::read_to_string(p("server.crt")).expect("read server certificate"),
        ]
        .concat();
        std::fs::write(p("server-keystore.pem"), keystore).expect("write the server key store");

        TlsFiles {
            ca_cert: p("ca.pem"),
            server_keystore: p("server-keystore.pem"),
            client_cert: p("client.crt"),
            client_key: p("client.key"),
        }
    }
}

/// Makes `<name>.key` and `<name>.crt` signed by the CA in `dir`, with `extensions`.
fn sign(dir: &Path, name: &str, subject: &str, extensions: &str, key_args: &[&str]) {
    let (key, csr, crt, ext) = (
        format!("{name}.key"),
        format!("{name}.csr"),
        format!("{name}.crt"),
        format!("{name}.ext"),
    );
    std::fs::write(dir.join(&ext), extensions).expect("write certificate extensions");
    openssl(
        dir,
        &[
            &["req"][..],
            key_args,
            &["-keyout", &key, "-out", &csr, "-subj", subject],
        ]
        .concat(),
    );
    openssl(
        dir,
        &[
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-CAcreateserial",
            "-out",
            &crt,
            "-days",
            "2",
            "-extfile",
            &ext,
        ],
    );
}

fn openssl(dir: &Path, args: &[&str]) {
    let output = Command::new("openssl")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("run openssl (install it with tests/testbed/setup.sh)");
    assert!(
        output.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
}
