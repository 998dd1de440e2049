//! Tests of resolving `mm2.properties`.

use super::*;

fn config(text: &str) -> Result<Mm2Config, Mm2ConfigError> {
    Mm2Config::resolve(&Properties::parse("mm2.properties", text).unwrap())
}

const BASE: &str =
    "clusters = primary, backup\nprimary.bootstrap.servers=p:9092\nbackup.bootstrap.servers=b:9092\n";

#[test]
fn clusters_is_required() {
    let err = config("a.bootstrap.servers=x\n").unwrap_err();
    assert!(err.to_string().contains("`clusters`"), "{err}");
    assert!(matches!(
        config("clusters= , \n"),
        Err(Mm2ConfigError::NoClusters { .. })
    ));
}

#[test]
fn only_pairs_enabled_with_true_are_inspected() {
    let c = config(&format!(
        "{BASE}primary->backup.enabled=True\nbackup->primary.enabled=false\n"
    ))
    .unwrap();
    let names: Vec<_> = c.pairs.iter().map(Pair::name).collect();
    assert_eq!(names, ["primary->backup"]);
    assert!(config(BASE).unwrap().pairs.is_empty());
    let off = config(&format!(
        "{BASE}primary->backup.enabled=true\nprimary->backup.emit.checkpoints.enabled=false\n"
    ))
    .unwrap();
    assert!(off.pairs.is_empty());
    // Settings of a flow that end in `.enabled` are not flows (generated files have them).
    let on = config(&format!(
        "{BASE}primary->backup.enabled=true\nprimary->backup.emit.checkpoints.enabled=true\n\
         primary->backup.emit.heartbeats.enabled=true\n"
    ))
    .unwrap();
    assert_eq!(on.pairs.len(), 1);
    assert!(config(&format!("{BASE}primary->other.enabled=true\n")).is_err());
}

#[test]
fn defaults_of_a_pair() {
    let c = config(&format!("{BASE}primary->backup.enabled=true\n")).unwrap();
    let p = &c.pairs[0];
    assert_eq!(p.policy, ReplicationPolicy::default_policy());
    assert_eq!(p.offset_syncs_topic(), "mm2-offset-syncs.backup.internal");
    assert_eq!(p.offset_syncs_cluster(), "primary");
    assert!(!p.sync_group_offsets);
    assert!(p.groups.accepts("orders-app"));
    for excluded in ["console-consumer-1", "connect-x", "__x"] {
        assert!(!p.groups.accepts(excluded), "{excluded}");
    }
    for excluded in ["a.internal", "a-internal", "x.replica", "__consumer_offsets"] {
        assert!(!p.topics.accepts(excluded), "{excluded}");
    }
}

#[test]
fn pair_prefix_wins_and_filters_fully_match() {
    let c = config(&format!(
        "{BASE}primary->backup.enabled=true\ngroups=nothing\nprimary->backup.groups=app-.*, other\n\
         primary->backup.topics.blacklist=secret\nprimary->backup.topics.exclude=hidden.*\n\
         replication.policy.class=org.apache.kafka.connect.mirror.IdentityReplicationPolicy\n\
         primary->backup.offset-syncs.topic.location=target\nsync.group.offsets.enabled=TRUE\n"
    ))
    .unwrap();
    let p = &c.pairs[0];
    assert!(p.groups.accepts("app-1") && p.groups.accepts("other"));
    assert!(!p.groups.accepts("xapp-1") && !p.groups.accepts("other2") && !p.groups.accepts("nothing"));
    // topics.exclude wins over the deprecated blacklist
    assert!(p.topics.accepts("secret") && !p.topics.accepts("hidden-1"));
    assert_eq!(p.policy.kind, PolicyKind::Identity);
    assert_eq!(p.offset_syncs_topic(), "mm2-offset-syncs.primary.internal");
    assert_eq!(p.offset_syncs_cluster(), "backup");
    assert!(p.sync_group_offsets);
}

#[test]
fn empty_include_selects_nothing() {
    let c = config(&format!("{BASE}primary->backup.enabled=true\ntopics=\n")).unwrap();
    assert!(!c.pairs[0].topics.accepts("a"));
}

#[test]
fn unsupported_settings_are_errors() {
    for (extra, needle) in [
        ("group.filter.class=com.example.MyFilter", "custom filter classes"),
        ("replication.policy.class=com.example.Policy", "only org.apache"),
        ("groups=(?!x).*", "look-around"),
        ("topics=(a)\\\\1", "backreferences"),
        ("offset-syncs.topic.location=elsewhere", "`source` or `target`"),
        (
            "config.providers=vault\nconfig.providers.vault.class=com.V",
            "config providers",
        ),
    ] {
        let err = config(&format!("{BASE}primary->backup.enabled=true\n{extra}\n")).unwrap_err();
        assert!(err.to_string().contains(needle), "{extra}: {err}");
    }
}

#[test]
fn client_precedence() {
    let c = config(
        "clusters=a,b\na->b.enabled=true\nadmin.bootstrap.servers=lowest:1\nbootstrap.servers=top:1\n\
         a.bootstrap.servers=alias:1\na.admin.bootstrap.servers=alias-admin:1\nb.admin.client.id=x\n\
         a.consumer.bootstrap.servers=alias-consumer:1\n",
    )
    .unwrap();
    assert_eq!(c.admin["a"].get("bootstrap.servers"), Some("alias-admin:1"));
    assert_eq!(c.admin["b"].get("bootstrap.servers"), Some("top:1"));
    assert_eq!(c.consumer["a"].get("bootstrap.servers"), Some("alias-consumer:1"));
    let low = config(
        "clusters=a,b\na->b.enabled=true\nadmin.bootstrap.servers=lowest:1\na.bootstrap.servers=x:1\n",
    )
    .unwrap();
    assert_eq!(low.admin["b"].get("bootstrap.servers"), Some("lowest:1"));
}

#[test]
fn config_providers_env_file_directory() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("creds.properties"), "user=alice\n").unwrap();
    std::fs::write(dir.path().join("pw"), "s3cret").unwrap();
    // SAFETY: tests in this module do not read this variable concurrently.
    unsafe { std::env::set_var("INSPECT_TEST_BOOTSTRAP", "from-env:9092") };
    let d = dir.path().display();
    let c = config(&format!(
        "clusters=a,b\na->b.enabled=true\nconfig.providers=env,file,directory\n\
         config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider\n\
         config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider\n\
         config.providers.directory.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider\n\
         bootstrap.servers=${{env:INSPECT_TEST_BOOTSTRAP}}\na.security.protocol=SASL_PLAINTEXT\n\
         a.sasl.mechanism=PLAIN\na.sasl.jaas.config=PlainLoginModule required \
         username=\"${{file:{d}/creds.properties:user}}\" password=\"${{directory:{d}:pw}}\";\n"
    ))
    .unwrap();
    assert_eq!(c.admin["b"].get("bootstrap.servers"), Some("from-env:9092"));
    assert_eq!(c.admin["a"].get("sasl.username"), Some("alice"));
    assert_eq!(c.admin["a"].get("sasl.password"), Some("s3cret"));
    let err = config(
        "clusters=a,b\na->b.enabled=true\nconfig.providers=env\n\
         config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider\n\
         bootstrap.servers=${env:INSPECT_TEST_SURELY_UNSET}\n",
    )
    .unwrap_err();
    assert!(
        err.to_string().contains("INSPECT_TEST_SURELY_UNSET is not set"),
        "{err}"
    );
}

/// Kafka's `allowed.paths` and `allowlist.pattern` limits hold here too; `..` cannot leave
/// an allowed folder; no error message shows a value read from a file.
#[test]
fn config_providers_honour_their_limits_and_never_echo_values() {
    let dir = tempfile::tempdir().unwrap();
    let allowed = dir.path().join("allowed");
    std::fs::create_dir_all(&allowed).unwrap();
    std::fs::write(allowed.join("creds.properties"), "user=alice\n").unwrap();
    std::fs::write(dir.path().join("secret.properties"), "user=mallory\n").unwrap();
    std::fs::write(dir.path().join("pw"), "outside-secret").unwrap();
    std::fs::write(allowed.join("broken.properties"), "user=tops3cret\\uZZZZ\n").unwrap();
    let (a, d) = (allowed.display(), dir.path().display());
    let with = |value: &str| {
        config(&format!(
            "clusters=a,b\na->b.enabled=true\nconfig.providers=file,directory,env\n\
             config.providers.file.class=org.apache.kafka.common.config.provider.FileConfigProvider\n\
             config.providers.file.param.allowed.paths={a}\n\
             config.providers.directory.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider\n\
             config.providers.directory.param.allowed.paths={a}\n\
             config.providers.env.class=org.apache.kafka.common.config.provider.EnvVarConfigProvider\n\
             config.providers.env.param.allowlist.pattern=KAFKA_.*\n\
             b.bootstrap.servers=b:9092\na.bootstrap.servers={value}\n"
        ))
    };
    let ok = with(&format!("${{file:{a}/creds.properties:user}}:9092")).unwrap();
    assert_eq!(ok.admin["a"].get("bootstrap.servers"), Some("alice:9092"));
    for (value, expected) in [
        (
            format!("${{file:{d}/secret.properties:user}}"),
            "outside the provider's allowed.paths",
        ),
        (
            format!("${{file:{a}/../secret.properties:user}}"),
            "outside the provider's allowed.paths",
        ),
        (
            format!("${{directory:{a}/..:pw}}"),
            "outside the provider's allowed.paths",
        ),
        (
            format!("${{directory:{a}:../../pw}}"),
            "is not the name of a file directly in",
        ),
        (
            "${env:HOME}".to_string(),
            "not matched by the provider's allowlist.pattern",
        ),
        (
            format!("${{file:{a}/broken.properties:user}}"),
            "its text is not shown",
        ),
    ] {
        let err = with(&value).unwrap_err();
        let text = format!("{err:?} {err}");
        assert!(text.contains(expected), "{value}: {text}");
        for secret in ["mallory", "outside-secret", "tops3cret"] {
            assert!(!text.contains(secret), "{value}: {secret} echoed in {text}");
        }
    }
}
