//! `inspect` on bad input: every case exits with the documented code and says what is wrong,
//! without needing a running cluster.

use std::time::{Duration, Instant};

use assert_cmd::Command;

fn inspect(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("diskless-migrator")
        .unwrap()
        .arg("inspect")
        .args(args)
        .env("NO_COLOR", "1")
        .timeout(Duration::from_secs(60))
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn write(dir: &tempfile::TempDir, text: &str) -> String {
    let path = dir.path().join("mm2.properties");
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

#[test]
fn missing_config_file_is_a_usage_error() {
    let (code, stdout, stderr) = inspect(&["--mm2-config", "/nonexistent/mm2.properties"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("cannot read /nonexistent/mm2.properties"),
        "{stderr}"
    );
}

#[test]
fn unreadable_config_file_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    // A directory cannot be read as a file, also when running as root.
    let (code, _, stderr) = inspect(&["--mm2-config", &dir.path().display().to_string()]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("cannot read"), "{stderr}");
}

#[test]
fn missing_clusters_names_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "a.bootstrap.servers=127.0.0.1:1\na->b.enabled=true\n");
    let (code, _, stderr) = inspect(&["--mm2-config", &file]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("`clusters` is missing"), "{stderr}");
}

#[test]
fn admin_timeout_shorter_than_request_timeout_is_explained() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "clusters=a,b\n");
    let (code, _, stderr) = inspect(&[
        "--mm2-config",
        &file,
        "--admin-timeout",
        "PT10S",
        "--request-timeout",
        "PT30S",
    ]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("--admin-timeout (10s) is shorter than --request-timeout (30s)"),
        "{stderr}"
    );
}

#[test]
fn malformed_duration_is_a_usage_error() {
    let (code, _, stderr) = inspect(&["--mm2-config", "x", "--admin-timeout", "one minute"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("is not a duration"), "{stderr}");
}

#[test]
fn bad_filter_regex_points_at_the_key() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        &dir,
        "clusters=a,b\na.bootstrap.servers=127.0.0.1:1\nb.bootstrap.servers=127.0.0.1:1\na->b.enabled=true\n\
         a->b.groups=(?!internal).*\n",
    );
    let (code, _, stderr) = inspect(&["--mm2-config", &file]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("a->b.groups") && stderr.contains("look-around"),
        "{stderr}"
    );
}

#[test]
fn unreachable_cluster_exits_3_within_the_timeout() {
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        &dir,
        &format!(
            "clusters=a,b\na.bootstrap.servers=127.0.0.1:{port}\nb.bootstrap.servers=127.0.0.1:{port}\n\
             a->b.enabled=true\n"
        ),
    );
    let started = Instant::now();
    let (code, stdout, stderr) = inspect(&[
        "--mm2-config",
        &file,
        "--admin-timeout",
        "PT3S",
        "--request-timeout",
        "PT2S",
    ]);
    let took = started.elapsed();
    assert_eq!(code, 3, "{stderr}");
    assert!(stdout.is_empty());
    assert!(stderr.contains("cannot reach the cluster"), "{stderr}");
    assert!(took < Duration::from_secs(15), "took {took:?}");
}

/// A configuration that enables no flow checks nothing, so it can never pass the gate.
#[test]
fn no_enabled_pair_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "clusters=a,b\na->b.enabled=false\n");
    let (code, stdout, stderr) = inspect(&["--mm2-config", &file]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("nothing to inspect"), "{stderr}");
}

/// A flow between aliases `clusters` does not list is an error naming its line, not a warning
/// followed by a passing gate.
#[test]
fn a_flow_with_an_unknown_alias_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        &dir,
        "clusters=a,b\na.bootstrap.servers=127.0.0.1:9\nb.bootstrap.servers=127.0.0.1:9\n\
         a->b.enabled=true\nsource->b.enabled=true\n",
    );
    let (code, stdout, stderr) = inspect(&["--mm2-config", &file]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stdout.is_empty(), "{stdout}");
    assert!(stderr.contains("source->b.enabled"), "{stderr}");
    assert!(stderr.contains("not both in `clusters`"), "{stderr}");
    assert!(stderr.contains("mm2.properties:5"), "{stderr}");
}

/// A malformed address is exit 2 at once, not exit 3 after a connection timeout.
#[test]
fn a_malformed_bootstrap_port_is_a_usage_error_at_once() {
    let dir = tempfile::tempdir().unwrap();
    for bad in ["127.0.0.1:99999", "127.0.0.1", "host:90x2", "a b:9092"] {
        let file = write(
            &dir,
            &format!(
                "clusters=a,b\na.bootstrap.servers={bad}\nb.bootstrap.servers=127.0.0.1:9\na->b.enabled=true\n"
            ),
        );
        let started = Instant::now();
        let (code, _, stderr) = inspect(&["--mm2-config", &file]);
        assert_eq!(code, 2, "{bad}: {stderr}");
        assert!(stderr.contains("not a list of host:port"), "{bad}: {stderr}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{bad}: took {:?}",
            started.elapsed()
        );
    }
}

/// `--max-wait` bounds the whole watch while a cluster cannot be reached: the first round's
/// failure does not end the watch early, no round outlasts the wait (the admin timeout is a
/// minute here), and the exit is 3.
#[test]
fn max_wait_is_honoured_while_clusters_are_unreachable() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        &dir,
        &format!(
            "clusters=a,b\na.bootstrap.servers=127.0.0.1:{port}\nb.bootstrap.servers=127.0.0.1:{port}\n\
             a->b.enabled=true\n"
        ),
    );
    let started = Instant::now();
    let (code, stdout, stderr) = inspect(&[
        "--mm2-config",
        &file,
        "--admin-timeout",
        "PT1M",
        "--watch",
        "PT1S",
        "--until-ok",
        "--max-wait",
        "PT6S",
    ]);
    let took = started.elapsed();
    assert_eq!(code, 3, "{stderr}");
    // At least the wait, and far less than one admin timeout (a minute): generous, so a busy
    // machine does not fail it.
    assert!(
        took >= Duration::from_secs(6) && took < Duration::from_secs(30),
        "took {took:?}"
    );
    assert!(
        stderr.contains("--max-wait ran out") || stdout.contains("inspection failed"),
        "{stdout}\n{stderr}"
    );
}

#[test]
fn silent_cluster_exits_3_within_the_admin_timeout() {
    // A "broker" that accepts connections and never answers: every request runs into the
    // request timeout, and the whole call into the admin timeout.
    // Each client (one per alias) gives up on a request after the request timeout and
    // reconnects, so with 1 s of 5 s the two clients open several connections; with
    // librdkafka's default (60 s) they would open one each.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let connections = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = connections.clone();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming() {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            held.push(stream);
        }
    });
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        &dir,
        &format!(
            "clusters=a,b\na.bootstrap.servers=127.0.0.1:{port}\nb.bootstrap.servers=127.0.0.1:{port}\n\
             a->b.enabled=true\n"
        ),
    );
    let started = Instant::now();
    let (code, stdout, stderr) = inspect(&[
        "--mm2-config",
        &file,
        "--admin-timeout",
        "PT5S",
        "--request-timeout",
        "PT1S",
    ]);
    let took = started.elapsed();
    assert_eq!(code, 3, "{stderr}");
    assert!(stdout.is_empty());
    assert!(
        stderr.contains("cluster `a`") || stderr.contains("cluster `b`"),
        "{stderr}"
    );
    assert!(took < Duration::from_secs(12), "took {took:?}");
    let opened = connections.load(std::sync::atomic::Ordering::SeqCst);
    assert!(
        opened >= 4,
        "{opened} connections: the request timeout was not applied"
    );
}

/// A malformed escape at the end of a 100,000-column line: exit 2, file and line named,
/// stderr small (miette panicked past column 65,535 before).
#[test]
fn an_error_far_along_a_properties_line_is_reported_briefly() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        &dir,
        &format!("clusters=a,b\nlong={}\\u12\n", "v".repeat(100_000)),
    );
    let (code, _, stderr) = inspect(&["--mm2-config", &file]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("mm2.properties:2:1"), "{stderr}");
    assert!(stderr.len() < 4_000, "{} bytes of stderr", stderr.len());
}

/// A 1 MB offending value is echoed as its start and its length, not in full.
#[test]
fn a_huge_offending_value_is_echoed_briefly() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        &dir,
        &format!(
            "clusters=a,b\na.bootstrap.servers=127.0.0.1:1\nb.bootstrap.servers=127.0.0.1:1\na->b.enabled=true\n\
             a->b.offset-syncs.topic.location={}\n",
            "x".repeat(1_000_000)
        ),
    );
    let (code, _, stderr) = inspect(&["--mm2-config", &file]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("mm2.properties:5:1"), "{stderr}");
    assert!(stderr.contains("1000000 bytes in all"), "{stderr}");
    assert!(stderr.len() < 4_000, "{} bytes of stderr", stderr.len());
}

/// An `mm2.properties` of 80,000 lines is read whole and its error found on its last line. How
/// long that takes (linear in the lines; it took seconds when the reader was quadratic) is
/// measured by `benches/big_inputs.sh`, not here: a timed test fails on a busy machine.
#[test]
fn eighty_thousand_properties_lines_are_read_quickly() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("clusters=a,b\n");
    for i in 0..80_000 {
        text.push_str(&format!("key.{i}=value-{i}\n"));
    }
    text.push_str("a->b.enabled=true\na->b.groups=(?!x).*\n");
    let file = write(&dir, &text);
    let (code, _, stderr) = inspect(&["--mm2-config", &file]);
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains("mm2.properties:80003:1: a->b.groups=(?!x).*"),
        "{stderr}"
    );
}
