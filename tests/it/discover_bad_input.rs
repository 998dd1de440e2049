//! `discover` with bad input: each case fails with the documented exit code and a message a
//! user can act on, and leaves no inventory.json behind. No cluster is needed.

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use assert_cmd::Command;

fn discover(args: &[&str]) -> Output {
    Command::cargo_bin("diskless-migrator")
        .unwrap()
        .args(["--color", "never", "discover"])
        .args(args)
        .env_remove("KAFKA_BOOTSTRAP_SERVER")
        .env_remove("KAFKA_USER")
        .env_remove("KAFKA_PASS")
        .env_remove("CA_PATH")
        .output()
        .unwrap()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// A loopback port nothing listens on.
fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap().port()
}

fn no_inventory(dir: &Path) {
    assert!(
        !dir.join("inventory.json").exists(),
        "a failed run left inventory.json"
    );
}

#[test]
fn unreachable_bootstrap_fails_within_the_timeout() {
    let dir = tempfile::tempdir().unwrap();
    let bootstrap = format!("127.0.0.1:{}", closed_port());
    let started = Instant::now();
    let out = discover(&[
        "--bootstrap-server",
        &bootstrap,
        "--timeout",
        "3",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    let elapsed = started.elapsed();
    assert_eq!(out.status.code(), Some(3), "{}", stderr(&out));
    assert!(stderr(&out).contains(&bootstrap), "{}", stderr(&out));
    // The help says what happened (no answer in time), not how many brokers did not answer.
    assert!(
        stderr(&out).contains("did not answer a request within 3 s (--timeout)"),
        "{}",
        stderr(&out)
    );
    assert!(elapsed < Duration::from_secs(12), "took {elapsed:?}");
    no_inventory(dir.path());
}

#[test]
fn malformed_properties_point_at_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let props = dir.path().join("client.properties");
    std::fs::write(
        &props,
        "bootstrap.servers=k:9092\n# comment\nsasl.mechanism=PLAIN\\u00zz\n",
    )
    .unwrap();
    let out = discover(&[
        "--command-config",
        props.to_str().unwrap(),
        "--out",
        dir.path().join("out").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains(":3"), "names line 3: {}", stderr(&out));
    no_inventory(&dir.path().join("out"));
}

#[test]
fn unsupported_setting_points_at_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let props = dir.path().join("client.properties");
    std::fs::write(
        &props,
        "bootstrap.servers=k:9092\nsecurity.protocol=SASL_SSL\nsasl.mechanism=GSSAPI\n",
    )
    .unwrap();
    let out = discover(&[
        "--command-config",
        props.to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("client.properties:3"), "{}", stderr(&out));
}

#[test]
fn jks_store_gets_the_conversion_command() {
    let dir = tempfile::tempdir().unwrap();
    let props = dir.path().join("client.properties");
    std::fs::write(
        &props,
        "bootstrap.servers=k:9093\nsecurity.protocol=SSL\nssl.truststore.location=/etc/kafka/truststore.jks\nssl.truststore.password=changeit\n",
    )
    .unwrap();
    let out = discover(&[
        "--command-config",
        props.to_str().unwrap(),
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("keytool -importkeystore"),
        "{}",
        stderr(&out)
    );
    assert!(!stderr(&out).contains("changeit"));
    no_inventory(dir.path());
}

#[test]
fn unwritable_output_directory() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    std::fs::write(&file, "").unwrap();
    let out = discover(&[
        "--bootstrap-server",
        "127.0.0.1:1",
        "--out",
        file.join("sub").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("not writable"), "{}", stderr(&out));
}

#[test]
fn legacy_import_of_an_empty_directory() {
    let dir = tempfile::tempdir().unwrap();
    let out = discover(&[
        "--from-legacy",
        dir.path().to_str().unwrap(),
        "--out",
        dir.path().join("out").to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    no_inventory(&dir.path().join("out"));
}
