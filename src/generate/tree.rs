//! The generated output as an in-memory file tree (relative path → bytes), and how it is
//! written: everything is rendered into a staging directory inside the output directory, then
//! each file is renamed into place, so a failed run never leaves half-written files.
//!
//! Files the user adds next to generated ones (Terraform state, `.terraform/`, lock files,
//! `terraform.tfvars`) are never touched. Directories the generator owns completely (copied
//! modules, dashboards) lose files that the current plan no longer produces.
//!
//! Every run also writes a manifest ([`MANIFEST`]) listing the files it generated. The next run
//! removes the files the old manifest lists and the new tree no longer holds (e.g.
//! `observability.tf` once observability is turned off), and `generate --check` reports them.
//! Staging directories left by an interrupted run (killed, or the machine stopped) are removed
//! by the next run and reported by `--check`.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

/// Directories (relative to the output directory) whose whole content is generated.
pub const OWNED_DIRS: &[&str] = &["dashboards", "destination/modules", "migration/modules"];

/// The manifest: every file the last `generate` wrote, one relative path per line.
pub const MANIFEST: &str = ".diskless-migrator-manifest";

/// How the staging directory of a run is named: this prefix and the process id.
const STAGING_PREFIX: &str = ".diskless-migrator-staging-";

/// Generated files by relative path (`/`-separated), in sorted order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Tree {
    files: BTreeMap<String, Vec<u8>>,
}

impl Tree {
    /// An empty tree.
    pub fn new() -> Tree {
        Tree::default()
    }

    /// Adds (or replaces) a file.
    pub fn insert(&mut self, path: impl Into<String>, contents: impl Into<Vec<u8>>) {
        self.files.insert(path.into(), contents.into());
    }

    /// The contents of a file, if generated.
    pub fn get(&self, path: &str) -> Option<&[u8]> {
        self.files.get(path).map(Vec::as_slice)
    }

    /// The contents of a file as text, if generated.
    pub fn get_str(&self, path: &str) -> Option<&str> {
        self.get(path).and_then(|b| std::str::from_utf8(b).ok())
    }

    /// All files, sorted by path.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &[u8])> {
        self.files.iter().map(|(p, b)| (p.as_str(), b.as_slice()))
    }

    /// All paths, sorted.
    pub fn paths(&self) -> impl Iterator<Item = &str> {
        self.files.keys().map(String::as_str)
    }

    /// Number of files.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether the tree has no files.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// Total size in bytes.
    pub fn total_bytes(&self) -> usize {
        self.files.values().map(Vec::len).sum()
    }

    /// Adds the [`MANIFEST`], listing every file of the tree, after `header`.
    pub fn add_manifest(&mut self, header: &str) {
        let mut text = format!(
            "{header}\n# The files it wrote; the next run removes those it no longer writes, and\n\
             # `generate --check` reports them.\n"
        );
        for path in self.files.keys().filter(|p| *p != MANIFEST) {
            text.push_str(path);
            text.push('\n');
        }
        self.insert(MANIFEST, text);
    }

    /// Writes the tree under `dir` (created if missing): remove staging left by interrupted
    /// runs, stage, rename into place, then remove files in [`OWNED_DIRS`] that are not part of
    /// the tree and files the previous [`MANIFEST`] lists that the tree no longer holds.
    pub fn write_to(&self, dir: &Path) -> Result<(), WriteError> {
        let err = |path: &Path| {
            let path = path.to_path_buf();
            move |source| WriteError { path, source }
        };
        std::fs::create_dir_all(dir).map_err(err(dir))?;
        for leftover in leftover_staging(dir).map_err(err(dir))? {
            let path = dir.join(&leftover);
            std::fs::remove_dir_all(&path).map_err(err(&path))?;
        }
        let stale = self.stale_in(dir).map_err(err(&dir.join(MANIFEST)))?;
        let staging = dir.join(format!("{STAGING_PREFIX}{}", std::process::id()));
        let result = self.stage_and_move(dir, &staging);
        let _ = std::fs::remove_dir_all(&staging);
        result?;
        for owned in OWNED_DIRS {
            for stale in self.unexpected_in(dir, owned).map_err(err(&dir.join(owned)))? {
                let path = dir.join(&stale);
                std::fs::remove_file(&path).map_err(err(&path))?;
                remove_empty_parents(dir, &path);
            }
        }
        for rel in stale {
            let path = dir.join(&rel);
            match std::fs::remove_file(&path) {
                Ok(()) => remove_empty_parents(dir, &path),
                Err(e) if e.kind() == io::ErrorKind::NotFound => {}
                Err(e) => return Err(err(&path)(e)),
            }
        }
        Ok(())
    }

    /// Files the [`MANIFEST`] under `dir` lists that the tree does not hold and that still
    /// exist (relative paths, sorted). Lines that are not plain relative paths below `dir` are
    /// ignored: a hand-edited manifest can never make `generate` delete outside its folder.
    pub(crate) fn stale_in(&self, dir: &Path) -> io::Result<Vec<String>> {
        let text = match std::fs::read_to_string(dir.join(MANIFEST)) {
            Ok(text) => text,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) if e.kind() == io::ErrorKind::InvalidData => return Ok(Vec::new()),
            Err(e) => return Err(e),
        };
        let mut stale: Vec<String> = text
            .lines()
            .map(str::trim)
            .filter(|line| !line.starts_with('#') && is_plain_relative(line))
            .filter(|rel| *rel != MANIFEST && !self.files.contains_key(*rel))
            .filter(|rel| std::fs::symlink_metadata(dir.join(rel)).is_ok_and(|m| m.file_type().is_file()))
            .map(String::from)
            .collect();
        stale.sort();
        stale.dedup();
        Ok(stale)
    }

    fn stage_and_move(&self, dir: &Path, staging: &Path) -> Result<(), WriteError> {
        let err = |path: &Path| {
            let path = path.to_path_buf();
            move |source| WriteError { path, source }
        };
        for (rel, contents) in &self.files {
            let path = staging.join(rel);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent).map_err(err(parent))?;
            }
            std::fs::write(&path, contents).map_err(err(&path))?;
        }
        for rel in self.files.keys() {
            let target = dir.join(rel);
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(err(parent))?;
            }
            std::fs::rename(staging.join(rel), &target).map_err(err(&target))?;
        }
        Ok(())
    }

    /// Files present under `dir/owned` that the tree does not contain (relative paths).
    pub(crate) fn unexpected_in(&self, dir: &Path, owned: &str) -> io::Result<Vec<String>> {
        let mut found = Vec::new();
        let root = dir.join(owned);
        if !root.is_dir() {
            return Ok(found);
        }
        let mut stack: Vec<PathBuf> = vec![root];
        while let Some(d) = stack.pop() {
            for entry in std::fs::read_dir(&d)? {
                let entry = entry?;
                let path = entry.path();
                if entry.file_type()?.is_dir() {
                    // Terraform's own cache directories are not ours to judge.
                    if entry.file_name() != ".terraform" {
                        stack.push(path);
                    }
                    continue;
                }
                let rel = path
                    .strip_prefix(dir)
                    .expect("walked below dir")
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect::<Vec<_>>()
                    .join("/");
                if !self.files.contains_key(&rel) {
                    found.push(rel);
                }
            }
        }
        found.sort();
        Ok(found)
    }
}

/// Whether `rel` is a non-empty `/`-separated relative path of ordinary names (no `.`, `..`,
/// empty part, backslash, or control character).
fn is_plain_relative(rel: &str) -> bool {
    !rel.is_empty()
        && !rel.contains('\\')
        && !rel.chars().any(char::is_control)
        && rel
            .split('/')
            .all(|part| !part.is_empty() && part != "." && part != "..")
}

/// Removes the now empty directories between `file` and `dir` (never `dir` itself).
fn remove_empty_parents(dir: &Path, file: &Path) {
    let mut current = file.parent();
    while let Some(parent) = current {
        if parent == dir || !parent.starts_with(dir) || std::fs::remove_dir(parent).is_err() {
            break;
        }
        current = parent.parent();
    }
}

/// Staging directories under `dir` left by runs that are no longer alive (names, sorted).
pub(crate) fn leftover_staging(dir: &Path) -> io::Result<Vec<String>> {
    let mut found = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(found),
        Err(e) => return Err(e),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = name.strip_prefix(STAGING_PREFIX) else {
            continue;
        };
        if entry.file_type()?.is_dir() && crate::output::is_leftover(pid, &entry) {
            found.push(name);
        }
    }
    found.sort();
    Ok(found)
}

/// A file or directory of the output could not be written.
#[derive(Debug, thiserror::Error)]
#[error("cannot write {}: {source}", path.display())]
pub struct WriteError {
    /// The path that failed.
    pub path: PathBuf,
    /// The underlying error.
    #[source]
    pub source: io::Error,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_keeps_user_files_and_prunes_owned_dirs() {
        let dir = tempfile::tempdir().unwrap();
        let mut tree = Tree::new();
        tree.insert("destination/main.tf", "a\n");
        tree.insert("dashboards/one.json", "{}\n");
        tree.write_to(dir.path()).unwrap();
        std::fs::write(dir.path().join("destination/terraform.tfstate"), "state").unwrap();
        std::fs::write(dir.path().join("dashboards/old.json"), "{}").unwrap();
        tree.insert("destination/main.tf", "b\n");
        tree.write_to(dir.path()).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join("destination/main.tf")).unwrap(),
            "b\n"
        );
        assert!(dir.path().join("destination/terraform.tfstate").exists());
        assert!(!dir.path().join("dashboards/old.json").exists());
        let leftovers: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.starts_with('.'))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
    }
}
