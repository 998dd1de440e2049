//! The HTML report in a real browser: headless Chromium (Debian package `chromium`, installed
//! by `tests/testbed/setup-browser.sh`) loads the bundled example's report with networking off
//! and the test checks that no script error and no network request happened, that the DOM has
//! one row per planned topic and one bar per flow in each flow chart, and saves a screenshot
//! under `target/tmp/report_browser/`. Negative checks prove the detectors work: a report with
//! a broken inline script, and one that tries to load an image, are both caught.
//!
//! Without Chromium the test is skipped with a message, unless `DM_REQUIRE_TESTBED` is set:
//! then it fails.
//!
//! How errors and requests are seen: a copy of the report gets a small harness script first
//! in `<head>` (it records `error` events, `console.error` calls, Content-Security-Policy
//! violations and the page's resource-timing entries) and a last one at the end of `<body>`
//! that writes what was recorded into the DOM, which `--dump-dom` prints. Chromium's own log
//! (`--enable-logging=stderr`) is also checked for console messages.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::report::{INSPECT_JSON, example_plan, report};

/// Chromium's command: `$DM_CHROMIUM`, or `chromium` / `chromium-browser` on PATH.
fn chromium() -> Option<PathBuf> {
    let candidates = std::env::var_os("DM_CHROMIUM")
        .map(PathBuf::from)
        .into_iter()
        .chain(["chromium", "chromium-browser"].map(PathBuf::from));
    for c in candidates {
        let ok = Command::new(&c)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success());
        if ok {
            return Some(c);
        }
    }
    None
}

/// Chromium, or `None` after saying the test is skipped (a failure under `DM_REQUIRE_TESTBED`).
fn chromium_or_skip() -> Option<PathBuf> {
    match chromium() {
        Some(c) => Some(c),
        None if std::env::var_os("DM_REQUIRE_TESTBED").is_some() => {
            panic!(
                "DM_REQUIRE_TESTBED is set but Chromium is missing: run tests/testbed/setup-browser.sh \
                 (or set DM_CHROMIUM to a Chromium binary)"
            )
        }
        None => {
            eprintln!(
                "skipping the browser test of the HTML report: Chromium is missing (run \
                 tests/testbed/setup-browser.sh; set DM_REQUIRE_TESTBED=1 to make this a failure)"
            );
            None
        }
    }
}

/// Records errors, console errors, CSP violations; first in `<head>`.
const HARNESS_HEAD: &str = "<script>window.__harness={errors:[]};\
window.addEventListener('error',function(e){__harness.errors.push('error: '+(e.message||(e.target&&e.target.outerHTML)||e.type))},true);\
window.addEventListener('unhandledrejection',function(e){__harness.errors.push('rejection: '+e.reason)});\
document.addEventListener('securitypolicyviolation',function(e){__harness.errors.push('csp: '+e.violatedDirective+' '+e.blockedURI)});\
(function(){var c=console.error;console.error=function(){__harness.errors.push('console.error: '+[].join.call(arguments,' '));c.apply(console,arguments)}})();\
</script>";

/// Writes what was recorded into the DOM; last in `<body>`.
const HARNESS_TAIL: &str = "<script>(function(){var r=document.createElement('pre');r.id='harness-result';\
function show(){r.textContent=JSON.stringify({errors:__harness.errors,resources:performance.getEntriesByType('resource').map(function(e){return e.name}),pwned:!!window.__pwned})}\
show();document.body.appendChild(r);window.addEventListener('load',show);setTimeout(show,200)})();</script>";

/// The report with the harness around it.
fn instrumented(html: &str) -> String {
    let html = html.replacen("<head>\n", &format!("<head>\n{HARNESS_HEAD}\n"), 1);
    html.replacen("</body>", &format!("{HARNESS_TAIL}\n</body>"), 1)
}

/// Chromium with networking off: every host unresolvable and a proxy that refuses.
fn headless(chromium: &Path, profile: &Path) -> Command {
    let mut cmd = Command::new(chromium);
    cmd.args([
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-extensions",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--hide-scrollbars",
        "--enable-logging=stderr",
        "--v=0",
        "--proxy-server=127.0.0.1:9",
        "--host-resolver-rules=MAP * ~NOTFOUND",
        "--virtual-time-budget=3000",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    cmd
}

/// What the page recorded, and Chromium's console lines.
struct Loaded {
    dom: String,
    errors: Vec<String>,
    resources: Vec<String>,
    pwned: bool,
    console: Vec<String>,
}

fn load(chromium: &Path, dir: &Path, name: &str, html: &str) -> Loaded {
    let page = dir.join(name);
    std::fs::write(&page, instrumented(html)).unwrap();
    let out = headless(chromium, &dir.join(format!("profile-{name}")))
        .arg("--dump-dom")
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("chromium runs");
    assert!(
        out.status.success(),
        "chromium failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dom = String::from_utf8(out.stdout).unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let console = stderr
        .lines()
        .filter(|l| l.contains(":CONSOLE"))
        .map(str::to_owned)
        .collect();
    let start = dom.find("<pre id=\"harness-result\">").expect("the harness ran")
        + "<pre id=\"harness-result\">".len();
    let end = start + dom[start..].find("</pre>").unwrap();
    let text = dom[start..end]
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    let result: serde_json::Value = serde_json::from_str(&text).unwrap_or_else(|e| panic!("{e}: {text}"));
    let strings = |key: &str| -> Vec<String> {
        result[key]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_owned())
            .collect()
    };
    Loaded {
        errors: strings("errors"),
        resources: strings("resources"),
        pwned: result["pwned"].as_bool().unwrap(),
        dom,
        console,
    }
}

/// Counts `needle` inside the element that starts with `start` and ends at the next `end`.
fn count_in(dom: &str, start: &str, end: &str, needle: &str) -> usize {
    let from = dom.find(start).unwrap_or_else(|| panic!("{start} is in the DOM"));
    let to = from + dom[from..].find(end).unwrap();
    dom[from..to].matches(needle).count()
}

#[test]
fn the_report_renders_in_headless_chromium() {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let plan_path = example_plan(dir.path());
    let plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&plan_path).unwrap()).unwrap();
    let topics = plan["topics"].as_array().unwrap().len();
    let flows = plan["flows"].as_array().unwrap().len();
    let inspect = dir.path().join("inspect.json");
    std::fs::write(&inspect, INSPECT_JSON).unwrap();
    let html = report(&plan_path, Some(&inspect), &dir.path().join("report.html"));
    // Nothing in the file could be fetched.
    for url in ["http://", "https://", "//cdn", " src=\"", " href=\"", "url("] {
        assert!(!html.contains(url), "the report contains {url}");
    }

    let page = load(&chromium, dir.path(), "report.html", &html);
    assert_eq!(page.errors, Vec::<String>::new(), "script errors");
    assert_eq!(page.resources, Vec::<String>::new(), "network requests");
    assert_eq!(page.console, Vec::<String>::new(), "console messages");
    assert_eq!(
        page.dom.matches("<tr class=\"topic\">").count(),
        topics,
        "one row per planned topic"
    );
    for chart in [
        "chart-flow-bytes",
        "chart-flow-partitions",
        "chart-flow-rate",
        "chart-flow-copy",
    ] {
        let bars = count_in(
            &page.dom,
            &format!("<svg id=\"{chart}\""),
            "</svg>",
            "<rect class=\"bar flow",
        );
        assert_eq!(bars, flows, "one bar per flow in {chart}");
    }
    assert_eq!(
        page.dom.matches("<tr class=\"group\">").count(),
        2,
        "one row per inspected group"
    );

    // The screenshot, kept as a test artifact.
    let artifacts = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report_browser");
    std::fs::create_dir_all(&artifacts).unwrap();
    let png = artifacts.join("example-report.png");
    let _ = std::fs::remove_file(&png);
    let out = headless(&chromium, &dir.path().join("profile-shot"))
        .args([
            "--window-size=1280,2400",
            &format!("--screenshot={}", png.display()),
        ])
        .arg(format!("file://{}", dir.path().join("report.html").display()))
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let bytes = std::fs::read(&png).unwrap();
    assert!(
        bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 10_000,
        "a real PNG"
    );
    eprintln!("screenshot: {}", png.display());
}

#[test]
fn the_browser_check_catches_errors_requests_and_injected_markup() {
    let Some(chromium) = chromium_or_skip() else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let plan_path = example_plan(dir.path());
    let html = report(&plan_path, None, &dir.path().join("report.html"));

    // A broken inline script is an error.
    let broken = html.replacen("(function () {", "(function () { notDefinedAnywhere();", 1);
    assert_ne!(broken, html);
    let page = load(&chromium, dir.path(), "broken.html", &broken);
    assert!(
        page.errors.iter().any(|e| e.contains("notDefinedAnywhere")),
        "the harness saw {:?}",
        page.errors
    );
    // A syntax error too.
    let syntax = html.replacen("(function () {", "(function () {{ ]", 1);
    let page = load(&chromium, dir.path(), "syntax.html", &syntax);
    assert!(!page.errors.is_empty(), "a syntax error is seen");

    // A request is seen (and blocked by the report's policy).
    let fetching = html.replacen(
        "</main>",
        "<img alt=\"\" src=\"https://example.invalid/x.png\"></main>",
        1,
    );
    let page = load(&chromium, dir.path(), "fetching.html", &fetching);
    assert!(
        !page.errors.is_empty() || !page.resources.is_empty(),
        "the request went unseen"
    );

    // A topic named like markup stays text: no script runs, no element appears.
    let mut plan: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&plan_path).unwrap()).unwrap();
    plan["topics"][0]["name"] =
        "<script>window.__pwned=1</script><img src=x onerror=\"window.__pwned=1\">".into();
    let hostile_plan = dir.path().join("hostile-plan.json");
    std::fs::write(&hostile_plan, serde_json::to_string(&plan).unwrap()).unwrap();
    let hostile = report(&hostile_plan, None, &dir.path().join("hostile.html"));
    let page = load(&chromium, dir.path(), "hostile.html", &hostile);
    assert!(!page.pwned, "a topic name ran a script");
    assert_eq!(page.errors, Vec::<String>::new());
    assert!(page.dom.contains("&lt;script&gt;window.__pwned=1&lt;/script&gt;"));
}
