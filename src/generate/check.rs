//! `generate --check`: compares what `generate` would write now with what is on disk, so CI
//! can fail a pull request whose committed Terraform is stale or was edited by hand.

use std::io;
use std::path::Path;

use super::tree::{OWNED_DIRS, Tree, leftover_staging};

/// How an on-disk file differs from the generated one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum DifferenceKind {
    /// `generate` would write the file, but it does not exist.
    Missing,
    /// The file exists with different contents (stale, or edited by hand).
    Changed,
    /// The file is in a directory `generate` owns, but `generate` would not write it.
    Unexpected,
    /// An earlier `generate` wrote the file (its manifest lists it); the plan no longer has it.
    Stale,
    /// A staging directory left by an interrupted `generate`.
    Leftover,
}

impl DifferenceKind {
    /// A short word for listings.
    pub fn as_str(self) -> &'static str {
        match self {
            DifferenceKind::Missing => "missing",
            DifferenceKind::Changed => "changed",
            DifferenceKind::Unexpected => "unexpected",
            DifferenceKind::Stale => "stale",
            DifferenceKind::Leftover => "leftover",
        }
    }
}

/// One file that differs.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Difference {
    /// Path relative to the output directory, `/`-separated.
    pub path: String,
    /// How it differs.
    pub kind: DifferenceKind,
}

/// Lists every file under `dir` that is not what `tree` holds, sorted by path.
pub fn check_tree(tree: &Tree, dir: &Path) -> io::Result<Vec<Difference>> {
    let mut diffs = Vec::new();
    for (rel, want) in tree.iter() {
        match std::fs::read(dir.join(rel)) {
            Ok(have) if have == want => {}
            Ok(_) => diffs.push(Difference {
                path: rel.to_string(),
                kind: DifferenceKind::Changed,
            }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => diffs.push(Difference {
                path: rel.to_string(),
                kind: DifferenceKind::Missing,
            }),
            Err(e) => return Err(e),
        }
    }
    for owned in OWNED_DIRS {
        for path in tree.unexpected_in(dir, owned)? {
            diffs.push(Difference {
                path,
                kind: DifferenceKind::Unexpected,
            });
        }
    }
    for path in tree.stale_in(dir)? {
        diffs.push(Difference {
            path,
            kind: DifferenceKind::Stale,
        });
    }
    for name in leftover_staging(dir)? {
        diffs.push(Difference {
            path: format!("{name}/"),
            kind: DifferenceKind::Leftover,
        });
    }
    diffs.sort();
    Ok(diffs)
}
