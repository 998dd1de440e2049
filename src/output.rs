//! Writing output files atomically: a file is written to a temporary path next to its
//! destination and renamed into place, so a failed run never leaves a half-written file.
//! A run that is killed between the two leaves its temporary file behind; the next write of
//! the same file removes it.

use std::io::Write;
use std::path::{Path, PathBuf};

/// Writes `contents` to `path` atomically (temporary file in the same directory, fsync, rename).
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    write_atomic_with(path, |out| out.write_all(contents))
}

/// Like [`write_atomic`], with the contents streamed by `write` through a buffer, so a large
/// output is never held in memory whole.
pub fn write_atomic_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let tmp = temp_path_for(path);
    remove_leftover_temps(path);
    let result = (|| {
        let mut out = std::io::BufWriter::with_capacity(1 << 16, std::fs::File::create(&tmp)?);
        write(&mut out)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Removes the temporary files of `path` that runs no longer alive left behind. Best effort:
/// a file that cannot be removed is left for the next run.
fn remove_leftover_temps(path: &Path) {
    let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
        return;
    };
    let prefix = format!(".{}.tmp-", name.to_string_lossy());
    let dir = if dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        dir
    };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(pid) = file_name
            .to_string_lossy()
            .strip_prefix(&prefix)
            .map(String::from)
        else {
            continue;
        };
        if entry.file_type().is_ok_and(|t| t.is_file()) && is_leftover(&pid, &entry) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether a temporary file or staging directory named after process `pid` was left by a run
/// that is no longer alive. With a process table (`/proc`) that is asked; without one, an entry
/// untouched for an hour counts as left over.
pub(crate) fn is_leftover(pid: &str, entry: &std::fs::DirEntry) -> bool {
    if Path::new("/proc/self").exists() {
        return pid.parse::<u32>().is_ok_and(|pid| {
            pid != std::process::id() && !Path::new("/proc").join(pid.to_string()).exists()
        });
    }
    entry.metadata().and_then(|m| m.modified()).is_ok_and(|modified| {
        modified
            .elapsed()
            .is_ok_and(|age| age >= std::time::Duration::from_secs(3600))
    })
}

/// The hidden temporary path used while `path` is being written.
fn temp_path_for(path: &Path) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    path.with_file_name(format!(".{name}.tmp-{}", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_file_and_leaves_no_temp() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("inventory.json");
        write_atomic(&target, b"first").unwrap();
        write_atomic(&target, b"second").unwrap();
        assert_eq!(std::fs::read(&target).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names.len(), 1, "only the target remains: {names:?}");
    }

    #[test]
    fn temp_files_of_dead_runs_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("plan.json");
        let dead = dir.path().join(".plan.json.tmp-4000000000");
        let other = dir.path().join(".other.json.tmp-4000000000");
        std::fs::write(&dead, "half").unwrap();
        std::fs::write(&other, "not ours").unwrap();
        write_atomic(&target, b"whole").unwrap();
        assert!(!dead.exists());
        assert!(other.exists());
    }

    #[test]
    fn failure_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("missing-dir").join("x.json");
        assert!(write_atomic(&target, b"data").is_err());
        assert!(!target.exists());
    }
}
