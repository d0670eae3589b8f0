//! WARC files on disk: one series per name (`DIR/NAME.warc.gz`, then `NAME-1.warc.gz`, … when a
//! file reaches its size limit), each file opening with a `warcinfo` record, every record its own
//! gzip member appended with one write, so a reader can seek to any record and a process killed
//! mid-write loses at most the record being written. A file from an earlier process is never
//! appended to (its last record may be cut short): a new series member is started instead.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::record::Record;

/// Files grow to about this size before the next one is started (the size most crawlers use).
pub const DEFAULT_MAX_FILE_BYTES: u64 = 1_000_000_000;

/// Files kept open at once: a survey of thousands of sites must not run out of file handles, so
/// the file least recently written is closed (and opened again to append when needed).
const MAX_OPEN_FILES: usize = 128;

/// Builds the `warcinfo` record that opens a file, given the file's name and the series name.
pub type WarcinfoFn = Box<dyn Fn(&str, &str) -> Record + Send>;

/// A folder of WARC series, one per name.
pub struct WarcDir {
    dir: PathBuf,
    max_file_bytes: u64,
    warcinfo: WarcinfoFn,
    open: HashMap<String, Current>,
    written: u64,
    files: Vec<PathBuf>,
    clock: u64,
}

struct Current {
    path: PathBuf,
    file: Option<File>,
    bytes: u64,
    used: u64,
}

impl WarcDir {
    /// A folder (created if missing) whose files roll at `max_file_bytes`.
    pub fn create(dir: &Path, max_file_bytes: u64, warcinfo: WarcinfoFn) -> std::io::Result<Self> {
        std::fs::create_dir_all(dir)?;
        Ok(WarcDir {
            dir: dir.to_path_buf(),
            max_file_bytes: max_file_bytes.max(1),
            warcinfo,
            open: HashMap::new(),
            written: 0,
            files: Vec::new(),
            clock: 0,
        })
    }

    /// Appends `records` (one exchange, kept together) to the series `name`, starting a new file
    /// first when the current one is full. Returns the file written to.
    pub fn append(&mut self, name: &str, records: &[Record]) -> std::io::Result<PathBuf> {
        let mut members = Vec::new();
        for r in records {
            members.push(r.to_gzip_member());
        }
        let size: u64 = members.iter().map(|m| m.len() as u64).sum();
        let full = self
            .open
            .get(name)
            .is_some_and(|c| c.bytes > 0 && c.bytes + size > self.max_file_bytes);
        if full || !self.open.contains_key(name) {
            self.start_file(name)?;
        }
        self.clock += 1;
        if self.open.get(name).is_some_and(|c| c.file.is_none()) {
            self.make_room()?;
        }
        let current = self
            .open
            .get_mut(name)
            .ok_or_else(|| std::io::Error::other("no open file"))?;
        current.used = self.clock;
        let file = match &mut current.file {
            Some(f) => f,
            None => current
                .file
                .insert(OpenOptions::new().append(true).open(&current.path)?),
        };
        let all: Vec<u8> = members.concat();
        file.write_all(&all)?;
        current.bytes += size;
        self.written += size;
        Ok(current.path.clone())
    }

    /// Closes the file least recently written when too many are open.
    fn make_room(&mut self) -> std::io::Result<()> {
        let open = self.open.values().filter(|c| c.file.is_some()).count();
        if open < MAX_OPEN_FILES {
            return Ok(());
        }
        if let Some(c) = self
            .open
            .values_mut()
            .filter(|c| c.file.is_some())
            .min_by_key(|c| c.used)
            && let Some(f) = c.file.take()
        {
            f.sync_all()?;
        }
        Ok(())
    }

    /// Closes every file, making sure what was written reached the disk.
    pub fn close(&mut self) -> std::io::Result<()> {
        for (_, c) in self.open.drain() {
            if let Some(f) = c.file {
                f.sync_all()?;
            }
        }
        Ok(())
    }

    /// Bytes written so far (compressed), and the files started.
    pub fn written(&self) -> (u64, &[PathBuf]) {
        (self.written, &self.files)
    }

    fn start_file(&mut self, name: &str) -> std::io::Result<()> {
        let safe = safe_name(name);
        let mut n = 0;
        let (path, file) = loop {
            let file_name = if n == 0 {
                format!("{safe}.warc.gz")
            } else {
                format!("{safe}-{n}.warc.gz")
            };
            let path = self.dir.join(&file_name);
            match OpenOptions::new().write(true).create_new(true).open(&path) {
                Ok(f) => break (path, f),
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => n += 1,
                Err(e) => return Err(e),
            }
        };
        let file_name = path
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        let info = (self.warcinfo)(&file_name, name).to_gzip_member();
        let mut file = file;
        file.write_all(&info)?;
        if let Some(f) = self.open.remove(name).and_then(|old| old.file) {
            f.sync_all()?;
        }
        self.make_room()?;
        self.written += info.len() as u64;
        self.files.push(path.clone());
        self.open.insert(
            name.to_string(),
            Current {
                path,
                file: Some(file),
                bytes: info.len() as u64,
                used: self.clock,
            },
        );
        Ok(())
    }
}

/// A series name safe in a file name: letters, digits, `-` and `_`; anything else becomes `-`.
fn safe_name(name: &str) -> String {
    let s: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    if s.is_empty() { "unnamed".into() } else { s }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::warc::RecordType;
    use jiff::Timestamp;

    fn info() -> WarcinfoFn {
        Box::new(|file, name| {
            Record::new(RecordType::Warcinfo, Timestamp::now())
                .field("WARC-Filename", file)
                .block(
                    "application/warc-fields",
                    format!("series: {name}\r\n").into_bytes(),
                )
        })
    }

    fn meta(n: usize) -> Record {
        Record::new(RecordType::Metadata, Timestamp::now()).block("text/plain", vec![b'x'; n])
    }

    #[test]
    fn files_roll_at_their_size_and_never_reopen_an_earlier_file() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = WarcDir::create(dir.path(), 300, info()).unwrap();
        for _ in 0..4 {
            w.append("a-council", &[meta(10)]).unwrap();
        }
        w.close().unwrap();
        let names = |d: &Path| {
            let mut v: Vec<String> = std::fs::read_dir(d)
                .unwrap()
                .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
                .collect();
            v.sort();
            v
        };
        let first = names(dir.path());
        assert!(first.len() >= 2, "rolled: {first:?}");
        assert!(first.contains(&"a-council.warc.gz".to_string()));
        // Each file reads back whole and opens with its warcinfo.
        for f in &first {
            let records = crate::warc::read::records(&dir.path().join(f)).unwrap();
            assert_eq!(records[0].0.get("WARC-Type"), Some("warcinfo"), "{f}");
            assert_eq!(records[0].0.get("WARC-Filename"), Some(f.as_str()));
        }
        // A second writer (a resumed run) starts new files beside the old ones.
        let mut again = WarcDir::create(dir.path(), 300, info()).unwrap();
        let path = again.append("a-council", &[meta(10)]).unwrap();
        assert!(!first.contains(&path.file_name().unwrap().to_string_lossy().into_owned()));
    }

    #[test]
    fn more_series_than_open_files_are_written_whole() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = WarcDir::create(dir.path(), 1 << 30, info()).unwrap();
        let n = MAX_OPEN_FILES + 10;
        for round in 0..2 {
            for i in 0..n {
                w.append(&format!("site-{i}"), &[meta(round + 1)]).unwrap();
            }
        }
        w.close().unwrap();
        for i in 0..n {
            let path = dir.path().join(format!("site-{i}.warc.gz"));
            let records = crate::warc::read::records(&path).unwrap();
            assert_eq!(
                records.len(),
                3,
                "warcinfo and two records in {}",
                path.display()
            );
        }
    }

    #[test]
    fn odd_names_make_safe_file_names() {
        assert_eq!(safe_name("../etc/passwd"), "---etc-passwd");
        assert_eq!(safe_name(""), "unnamed");
    }
}
