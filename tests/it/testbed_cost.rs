//! What the test bed costs in CPU, the figures behind its settings (`benches/testbed_cost.sh`):
//! a three-broker cluster's start and its idling, and MirrorMaker 2 running between two. On two
//! cores the test command is CPU-bound, so these decide how fast it is. `COST_BROKER_PROPERTIES`
//! (`key=value,key=value`) adds broker properties, `COST_MM2_PROPERTIES` MirrorMaker 2 ones, to
//! compare settings.

use crate::support;
use std::time::Duration;
use support::kafka::{ClusterOptions, KafkaCluster};
use support::mm2::{MirrorMaker, fast_properties};

/// CPU seconds (user and system) process `pid` has used, in clock ticks of 10 ms.
fn ticks(pid: u32) -> u64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).expect("a running process");
    let fields: Vec<&str> = stat
        .rsplit_once(')')
        .expect("stat text")
        .1
        .split_whitespace()
        .collect();
    fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap()
}

fn seconds(ticks: u64) -> f64 {
    ticks as f64 / 100.0
}

/// `key=value,...` pairs from the environment variable `name`.
fn pairs(name: &str) -> Vec<(String, String)> {
    std::env::var(name)
        .unwrap_or_default()
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|kv| {
            let (k, v) = kv
                .split_once('=')
                .unwrap_or_else(|| panic!("{name}: {kv} is not key=value"));
            (k.to_owned(), v.to_owned())
        })
        .collect()
}

fn options(name: &str) -> ClusterOptions {
    pairs("COST_BROKER_PROPERTIES")
        .iter()
        .fold(ClusterOptions::new(name), |o, (k, v)| {
            o.with_broker_property(k, v)
        })
}

fn cluster_ticks(clusters: &[KafkaCluster]) -> u64 {
    clusters.iter().flat_map(|c| c.pids()).map(ticks).sum()
}

#[test]
#[ignore = "benchmark: run benches/testbed_cost.sh"]
fn a_cluster_starting_and_idling() {
    let cluster = KafkaCluster::start(options("cost"));
    let started = cluster_ticks(std::slice::from_ref(&cluster));
    std::thread::sleep(Duration::from_secs(30));
    let idle = cluster_ticks(std::slice::from_ref(&cluster)) - started;
    println!(
        "| cluster of {} brokers | ready after {:.1} s | start: {:.1} CPU-s | idle: {:.1} CPU-s per 30 s |",
        cluster.pids().len(),
        cluster.startup_time().as_secs_f64(),
        seconds(started),
        seconds(idle)
    );
}

#[test]
#[ignore = "benchmark: run benches/testbed_cost.sh"]
fn mirror_maker_between_two_clusters() {
    let clusters = KafkaCluster::start_many(vec![options("cost-a"), options("cost-b")]);
    let mut properties = format!(
        "clusters = a, b\na.bootstrap.servers = {}\nb.bootstrap.servers = {}\na->b.enabled = true\n\
         a->b.topics = .*\n{}",
        clusters[0].bootstrap(),
        clusters[1].bootstrap(),
        fast_properties(3, &["a", "b"])
    );
    for (k, v) in pairs("COST_MM2_PROPERTIES") {
        properties.push_str(&format!("{k} = {v}\n"));
    }
    let before = cluster_ticks(&clusters);
    let mm2 = MirrorMaker::start(&properties);
    std::thread::sleep(Duration::from_secs(20));
    let (mm2_start, brokers_start) = (ticks(mm2.pid()), cluster_ticks(&clusters) - before);
    std::thread::sleep(Duration::from_secs(30));
    let mm2_running = ticks(mm2.pid()) - mm2_start;
    let brokers_running = cluster_ticks(&clusters) - before - brokers_start;
    println!(
        "| MirrorMaker 2 between two clusters | first 20 s: MirrorMaker 2 {:.1}, brokers {:.1} CPU-s | \
         next 30 s: MirrorMaker 2 {:.1}, brokers {:.1} CPU-s |",
        seconds(mm2_start),
        seconds(brokers_start),
        seconds(mm2_running),
        seconds(brokers_running)
    );
}
