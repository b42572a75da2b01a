//! Where article bytes come from: directories (recursive), single files, and `.tar.gz`
//! archives read as a stream, without unpacking to disk.

use flate2::read::GzDecoder;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// One file's bytes, or why it could not be read, named by its path.
#[derive(Debug)]
pub struct SourceFile {
    /// The file path (for archive members: `archive.tar.gz:txt/168/Q168465.TXT`).
    pub path: String,
    /// The bytes, or a reason a person can act on.
    pub bytes: Result<Vec<u8>, String>,
}

/// Whether `path` names a gzip-compressed tar archive.
pub fn is_tar_gz(path: &Path) -> bool {
    let name = path.to_string_lossy().to_ascii_lowercase();
    name.ends_with(".tar.gz") || name.ends_with(".tgz")
}

/// Whether a file name looks like an article (`*.TXT` in any case).
pub fn is_article_name(name: &str) -> bool {
    name.len() > 4 && name[name.len() - 4..].eq_ignore_ascii_case(".txt")
}

/// How much work reading `path` is, in the units [`read_source_counted`] counts: files for
/// a directory or a single file, compressed bytes for an archive (whose member count is
/// unknown until it is read through). An unreadable path counts one.
pub fn work_units(path: &Path) -> u64 {
    match std::fs::metadata(path) {
        Ok(m) if m.is_dir() => {
            let mut files = Vec::new();
            let _ = walk(path, &mut files);
            files.len() as u64
        }
        Ok(m) if is_tar_gz(path) => m.len(),
        _ => 1,
    }
}

/// Reads every article file under `path` and hands each to `emit`, in a stable order.
/// Errors on single files are emitted as failed `SourceFile`s, never returned.
pub fn read_source(path: &Path, emit: &mut dyn FnMut(SourceFile)) {
    read_source_counted(path, &AtomicU64::new(0), emit)
}

/// [`read_source`], adding the work done to `done` as it goes (see [`work_units`]).
pub fn read_source_counted(path: &Path, done: &AtomicU64, emit: &mut dyn FnMut(SourceFile)) {
    let shown = path.display().to_string();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
            done.fetch_add(1, Ordering::Relaxed);
            return emit(SourceFile {
                path: shown,
                bytes: Err(io_reason(&e)),
            });
        }
    };
    if meta.is_dir() {
        let mut files = Vec::new();
        if let Err((p, e)) = walk(path, &mut files) {
            emit(SourceFile {
                path: p.display().to_string(),
                bytes: Err(io_reason(&e)),
            });
        }
        files.sort();
        for f in files {
            let bytes = std::fs::read(&f).map_err(|e| io_reason(&e));
            done.fetch_add(1, Ordering::Relaxed);
            emit(SourceFile {
                path: f.display().to_string(),
                bytes,
            });
        }
    } else if is_tar_gz(path) {
        let before = done.load(Ordering::Relaxed);
        if let Err(reason) = read_tar_gz(path, &shown, done, emit) {
            emit(SourceFile {
                path: shown,
                bytes: Err(reason),
            });
        }
        // The tar reader stops at the archive's end marker, before the last bytes: the
        // archive is done all the same.
        let read = done.load(Ordering::Relaxed) - before;
        done.fetch_add(meta.len().saturating_sub(read), Ordering::Relaxed);
    } else {
        let bytes = std::fs::read(path).map_err(|e| io_reason(&e));
        done.fetch_add(1, Ordering::Relaxed);
        emit(SourceFile { path: shown, bytes });
    }
}

/// Counts the bytes read through it: an archive's progress is its compressed bytes read.
struct Counted<'a, R> {
    inner: R,
    done: &'a AtomicU64,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.done.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), (PathBuf, std::io::Error)> {
    let entries = std::fs::read_dir(dir).map_err(|e| (dir.to_path_buf(), e))?;
    for entry in entries {
        let entry = entry.map_err(|e| (dir.to_path_buf(), e))?;
        let path = entry.path();
        let kind = entry.file_type().map_err(|e| (path.clone(), e))?;
        if kind.is_dir() {
            walk(&path, out)?;
        } else if is_article_name(&entry.file_name().to_string_lossy()) {
            out.push(path);
        }
    }
    Ok(())
}

fn read_tar_gz(
    path: &Path,
    shown: &str,
    done: &AtomicU64,
    emit: &mut dyn FnMut(SourceFile),
) -> Result<(), String> {
    let file = File::open(path).map_err(|e| io_reason(&e))?;
    // 64 KiB reads: fine-grained enough for a smooth percentage, large enough to cost nothing.
    let counted = Counted { inner: file, done };
    let mut archive = tar::Archive::new(GzDecoder::new(BufReader::with_capacity(1 << 16, counted)));
    let entries = archive.entries().map_err(|e| archive_reason(&e))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| archive_reason(&e))?;
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let name = entry
            .path()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        if !is_article_name(&name) {
            continue;
        }
        let mut bytes = Vec::with_capacity(entry.size() as usize);
        let read = entry.read_to_end(&mut bytes);
        emit(SourceFile {
            path: format!("{shown}:{name}"),
            bytes: read.map(|_| bytes).map_err(|e| archive_reason(&e)),
        });
    }
    Ok(())
}

fn io_reason(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}

fn archive_reason(e: &std::io::Error) -> String {
    format!("not a readable .tar.gz archive ({e})")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        for (name, want) in [
            ("Q1.TXT", true),
            ("q1.txt", true),
            ("a.Txt", true),
            (".txt", false),
            ("a.md", false),
        ] {
            assert_eq!(is_article_name(name), want, "{name}");
        }
        assert!(is_tar_gz(Path::new("x/kb-txt.tar.gz")));
        assert!(is_tar_gz(Path::new("x.TGZ")));
        assert!(!is_tar_gz(Path::new("x.gz")));
    }

    /// The units read add up to the units announced: files for a directory, compressed
    /// bytes for an archive, so a percentage of one by the other ends at 100.
    #[test]
    fn work_done_reaches_the_work_announced() {
        let dir = tempfile::tempdir().unwrap();
        let articles = dir.path().join("txt");
        std::fs::create_dir_all(articles.join("168")).unwrap();
        for name in ["168/Q168465.TXT", "Q1.txt", "notes.md"] {
            std::fs::write(articles.join(name), "Q1 text").unwrap();
        }
        let archive = dir.path().join("a.tar.gz");
        let gz = flate2::write::GzEncoder::new(
            File::create(&archive).unwrap(),
            flate2::Compression::default(),
        );
        let mut tar = tar::Builder::new(gz);
        tar.append_dir_all("txt", &articles).unwrap();
        tar.into_inner().unwrap().finish().unwrap();

        let missing = dir.path().join("missing");
        for (path, units, files) in [
            (&articles, 2, 2),
            (&archive, std::fs::metadata(&archive).unwrap().len(), 2),
            (&missing, 1, 1),
        ] {
            assert_eq!(work_units(path), units, "{}", path.display());
            let done = AtomicU64::new(0);
            let mut emitted = 0;
            read_source_counted(path, &done, &mut |_| emitted += 1);
            assert_eq!(emitted, files, "{}", path.display());
            assert_eq!(done.load(Ordering::Relaxed), units, "{}", path.display());
        }
    }
}
