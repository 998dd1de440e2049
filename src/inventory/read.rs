//! Reading `inventory.json` with diagnostics that point at the offending line.

use std::io::Read;
use std::path::Path;

use miette::{Diagnostic, SourceSpan};
use thiserror::Error;

use serde::de::DeserializeOwned;

use super::model::{Inventory, SCHEMA_VERSION};
use super::read_parallel::parse_on_all_cores;
use crate::snippet::{Snippet, shorten};

/// Why an inventory file could not be read.
#[derive(Debug, Error, Diagnostic)]
pub enum InventoryError {
    /// The file could not be opened or read.
    #[error("cannot read inventory {path}: {source}")]
    #[diagnostic(code(inventory::io), help("check the path given to --inventory"))]
    Io {
        /// The file.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The file is not valid JSON or does not match the format.
    #[error("{path} is not a valid inventory: {message}")]
    #[diagnostic(
        code(inventory::format),
        help(
            "inventory.json is written by `diskless-migrator discover`; see docs/inventory.schema.json for the format"
        )
    )]
    Format {
        /// The file.
        path: String,
        /// What serde said, with echoed values shortened.
        message: String,
        /// The lines around the error.
        #[source_code]
        src: Snippet,
        /// Where it went wrong.
        #[label("here")]
        span: SourceSpan,
    },
    /// The file was written by a newer version of the tool.
    #[error("{path} has schema_version {found}, but this build reads up to {SCHEMA_VERSION}")]
    #[diagnostic(
        code(inventory::version),
        help("upgrade diskless-migrator, or run `discover` again with this version")
    )]
    NewerVersion {
        /// The file.
        path: String,
        /// The version in the file.
        found: u64,
    },
}

/// Reads and validates an inventory file, each topic read as a `T`: a
/// [`Topic`](super::Topic), or a [`TopicSummary`](super::TopicSummary) for planning.
pub fn read_inventory<T: DeserializeOwned + Send>(path: &Path) -> Result<Inventory<T>, InventoryError> {
    let display = path.display().to_string();
    let io = |source| InventoryError::Io {
        path: display.clone(),
        source,
    };
    let mut file = std::fs::File::open(path).map_err(io)?;
    match map_whole(&file) {
        Some(map) => parse_inventory(&display, &map),
        // Pipes and other files that cannot be mapped are read.
        None => {
            let mut bytes = Vec::new();
            file.read_to_end(&mut bytes).map_err(io)?;
            parse_inventory(&display, &bytes)
        }
    }
}

/// The file's bytes mapped into memory and read in ahead, or `None` when it cannot be mapped.
///
/// Mapping spares copying a large inventory into the heap. The file must not be truncated
/// while it is mapped (the process would get SIGBUS); `discover` writes inventories to a
/// temporary file and renames it, so a file is never rewritten in place by this tool.
fn map_whole(file: &std::fs::File) -> Option<memmap2::Mmap> {
    // SAFETY: the map is only read, and only while `read_inventory` runs; see above for
    // the file changing meanwhile.
    unsafe { memmap2::MmapOptions::new().populate().map(file) }.ok()
}

/// Parses inventory bytes; `name` is used in diagnostics.
///
/// The bytes are parsed as they are: JSON strings are checked for UTF-8 while they are read, so
/// the text is not validated twice. Only a failed parse turns it into text for the diagnostic.
pub fn parse_inventory<T: DeserializeOwned + Send>(
    name: &str,
    bytes: &[u8],
) -> Result<Inventory<T>, InventoryError> {
    let newer_version = |found: u32| InventoryError::NewerVersion {
        path: name.to_owned(),
        found: u64::from(found),
    };
    match parse_on_all_cores(bytes) {
        Ok(inventory) if inventory.schema_version > SCHEMA_VERSION => {
            Err(newer_version(inventory.schema_version))
        }
        Ok(inventory) => Ok(inventory),
        // Parsed once more, in one piece, for a diagnostic whose position is in the whole file.
        Err(_) => parse_in_one_piece(name, bytes),
    }
}

/// Parses the whole inventory in one pass, for exact error positions.
fn parse_in_one_piece<T: DeserializeOwned>(name: &str, bytes: &[u8]) -> Result<Inventory<T>, InventoryError> {
    let format_error = |err: serde_json::Error, bytes: &[u8]| {
        let text = String::from_utf8_lossy(bytes);
        let offset = offset_of(&text, err.line(), err.column());
        let (src, span) = Snippet::around(name, &text, offset..offset);
        InventoryError::Format {
            path: name.to_owned(),
            message: shorten_quoted(&err.to_string()),
            src,
            span,
        }
    };
    // Only when the parse fails is the version looked at, so a newer format is reported as
    // such rather than as a field error.
    #[derive(serde::Deserialize)]
    struct VersionProbe {
        schema_version: Option<serde_json::Value>,
    }
    let newer = |bytes: &[u8]| {
        serde_json::from_slice::<VersionProbe>(bytes)
            .ok()
            .and_then(|p| p.schema_version?.as_u64())
            .filter(|found| *found > u64::from(SCHEMA_VERSION))
    };
    match serde_json::from_slice::<Inventory<T>>(bytes) {
        Ok(inventory) if inventory.schema_version > SCHEMA_VERSION => Err(InventoryError::NewerVersion {
            path: name.to_owned(),
            found: u64::from(inventory.schema_version),
        }),
        Ok(inventory) => Ok(inventory),
        Err(err) => match newer(bytes) {
            Some(found) => Err(InventoryError::NewerVersion {
                path: name.to_owned(),
                found,
            }),
            None => Err(format_error(err, bytes)),
        },
    }
}

/// `message` with each quoted value in it (serde echoes whole strings) shortened.
fn shorten_quoted(message: &str) -> String {
    let mut parts = message.split('"');
    let mut out = parts.next().unwrap_or_default().to_owned();
    let rest: Vec<&str> = parts.collect();
    let last = rest.len().saturating_sub(1);
    for (i, part) in rest.iter().enumerate() {
        out.push('"');
        // Inside quotes are the even-numbered parts, except a lone trailing one.
        if i % 2 == 0 && i != last {
            out.push_str(&shorten(part));
        } else {
            out.push_str(part);
        }
    }
    crate::snippet::shorten(&out).into_owned()
}

/// Byte offset of a 1-based line and column, clamped to the text.
pub(crate) fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let line_start: usize = text
        .split_inclusive('\n')
        .take(line.saturating_sub(1))
        .map(str::len)
        .sum();
    (line_start + column.saturating_sub(1)).min(text.len())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{Topic, TopicSummary};

    #[test]
    fn newer_schema_version_is_refused() {
        let bytes = br#"{"schema_version": 99}"#;
        let err = parse_inventory::<TopicSummary>("inv.json", bytes).unwrap_err();
        assert!(
            matches!(err, InventoryError::NewerVersion { found: 99, .. }),
            "{err:?}"
        );
        let err = parse_inventory::<Topic>("inv.json", bytes).unwrap_err();
        assert!(matches!(err, InventoryError::NewerVersion { found: 99, .. }));
    }

    #[test]
    fn malformed_json_points_at_the_line() {
        let text = "{\n  \"schema_version\": 1,\n  \"topics\": [,]\n}".to_string();
        match parse_inventory::<TopicSummary>("inv.json", text.as_bytes()).unwrap_err() {
            InventoryError::Format { span, src, .. } => {
                assert_eq!(src.position(span), Some((3, 14)));
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn a_broken_topic_is_reported_at_its_line_in_the_file() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/inventory.json");
        let text = std::fs::read_to_string(path).unwrap();
        // A leader in the last topic becomes a string: only the parse of that topic sees it.
        let at = text.rfind("\"leader\": ").expect("a leader");
        assert!(at < text.find("\"consumer_groups\"").unwrap(), "in a topic");
        let broken = format!("{}\"leader\": \"one\", \"x\": {}", &text[..at], &text[at + 10..]);
        let line = broken[..at].matches('\n').count() + 1;
        let reported_line = |err| match err {
            InventoryError::Format {
                span, message, src, ..
            } => (src.position(span).unwrap().0, message),
            other => panic!("unexpected {other:?}"),
        };
        let full = parse_inventory::<Topic>("inv.json", broken.as_bytes()).unwrap_err();
        let summary = parse_inventory::<TopicSummary>("inv.json", broken.as_bytes()).unwrap_err();
        let (reported, message) = reported_line(full);
        assert_eq!(reported, line, "{message}");
        assert_eq!(reported_line(summary), (line, message));
    }

    #[test]
    fn example_inventory_reads() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/inventory.json");
        let inventory = read_inventory::<TopicSummary>(&path).unwrap();
        assert_eq!(inventory.schema_version, SCHEMA_VERSION);
        assert!(inventory.topics.len() >= 12);
    }

    #[test]
    fn an_empty_file_is_a_format_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("inventory.json");
        std::fs::write(&path, b"").unwrap();
        let err = read_inventory::<TopicSummary>(&path).unwrap_err();
        assert!(matches!(err, InventoryError::Format { .. }), "{err:?}");
    }

    #[test]
    fn a_pipe_is_read_like_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("inventory.fifo");
        let c_path = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        assert_eq!(unsafe { libc::mkfifo(c_path.as_ptr(), 0o600) }, 0);
        let example = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/inventory.json");
        let bytes = std::fs::read(&example).unwrap();
        let writer = {
            let (fifo, bytes) = (fifo.clone(), bytes.clone());
            std::thread::spawn(move || std::fs::write(fifo, bytes).unwrap())
        };
        let from_pipe = read_inventory::<TopicSummary>(&fifo).unwrap();
        writer.join().unwrap();
        assert_eq!(from_pipe, read_inventory::<TopicSummary>(&example).unwrap());
    }
}
