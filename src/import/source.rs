//! Where article bytes come from: directories (recursive), single files, and `.tar.gz`
//! archives read as a stream, without unpacking to disk.

use flate2::read::GzDecoder;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

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

/// Reads every article file under `path` and hands each to `emit`, in a stable order.
/// Errors on single files are emitted as failed `SourceFile`s, never returned.
pub fn read_source(path: &Path, emit: &mut dyn FnMut(SourceFile)) {
    let shown = path.display().to_string();
    let meta = match std::fs::metadata(path) {
        Ok(m) => m,
        Err(e) => {
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
            emit(SourceFile {
                path: f.display().to_string(),
                bytes,
            });
        }
    } else if is_tar_gz(path) {
        if let Err(reason) = read_tar_gz(path, &shown, emit) {
            emit(SourceFile {
                path: shown,
                bytes: Err(reason),
            });
        }
    } else {
        let bytes = std::fs::read(path).map_err(|e| io_reason(&e));
        emit(SourceFile { path: shown, bytes });
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

fn read_tar_gz(path: &Path, shown: &str, emit: &mut dyn FnMut(SourceFile)) -> Result<(), String> {
    let file = File::open(path).map_err(|e| io_reason(&e))?;
    let mut archive = tar::Archive::new(GzDecoder::new(BufReader::with_capacity(1 << 20, file)));
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
}
