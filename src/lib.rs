//! kbfix: a troubleshooter over the Microsoft Knowledge Base archive.
//!
//! Data flows one way: bytes → [`kb`] (the article format) → [`store`] (SQLite) →
//! domain modules ([`matcher`], [`wizard`]) → [`web`]. [`paste`] parses what users paste.

pub mod cli;
pub mod clock;
pub mod hex;
pub mod import;
pub mod kb;
pub mod matcher;
pub mod memory;
pub mod paste;
pub mod search;
pub mod store;
pub mod web;
pub mod wizard;

/// Guards the one-way flow above: each top-level module may import only the modules listed
/// for it, so an upward import (store → web, kb → store) fails the build's tests.
#[cfg(test)]
mod layering {
    use std::collections::BTreeSet;
    use std::path::{Path, PathBuf};

    /// Leaves: they import nothing from the crate, and every module may use them.
    const LEAVES: &[&str] = &["clock", "hex", "memory"];

    /// Each top-level module and the crate modules it may use (beside itself and the
    /// leaves).
    const ALLOWED: &[(&str, &[&str])] = &[
        ("clock", &[]),
        ("hex", &[]),
        ("memory", &[]),
        ("kb", &[]),
        ("paste", &[]),
        ("store", &["kb", "paste"]),
        ("import", &["kb", "store"]),
        ("search", &["kb", "store"]),
        ("matcher", &["kb", "paste", "store", "search"]),
        ("wizard", &["kb", "paste", "store", "search", "matcher"]),
        (
            "web",
            &["kb", "paste", "store", "search", "matcher", "wizard"],
        ),
        (
            "cli",
            &[
                "kb", "paste", "store", "import", "search", "matcher", "wizard", "web",
            ],
        ),
    ];

    fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("readable src dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }

    /// The top-level modules a source file names after `crate::`, including grouped
    /// `crate::{a, b::c}` imports.
    pub(super) fn crate_modules(src: &str) -> BTreeSet<String> {
        // Comments may name any module (`see crate::web`): only code counts.
        let code: String = src
            .lines()
            .filter(|l| !l.trim_start().starts_with("//"))
            .map(|l| format!("{l}\n"))
            .collect();
        let src = code.as_str();
        let mut found = BTreeSet::new();
        for (at, _) in src.match_indices("crate::") {
            let rest = &src[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let mut depth = 0;
                let end = group
                    .char_indices()
                    .find(|&(_, c)| {
                        depth += i32::from(c == '{') - i32::from(c == '}');
                        depth < 0
                    })
                    .map_or(group.len(), |(i, _)| i);
                let mut depth = 0;
                for part in group[..end].split(|c: char| {
                    depth += i32::from(c == '{') - i32::from(c == '}');
                    c == ',' && depth == 0
                }) {
                    found.insert(first_ident(part.trim()));
                }
            } else {
                found.insert(first_ident(rest));
            }
        }
        found.retain(|m| !m.is_empty());
        found
    }

    fn first_ident(s: &str) -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    }

    /// The top-level module a file under `src/` belongs to, `None` for lib.rs and main.rs.
    fn owner(src_dir: &Path, file: &Path) -> Option<String> {
        let rel = file.strip_prefix(src_dir).ok()?;
        let first = rel.components().next()?.as_os_str().to_str()?;
        let name = first.strip_suffix(".rs").unwrap_or(first);
        (name != "lib" && name != "main").then(|| name.to_string())
    }

    #[test]
    fn grouped_imports_are_read() {
        let cases: &[(&str, &[&str])] = &[
            ("use crate::kb::Article;", &["kb"]),
            (
                "use crate::{kb::{self, Block}, store::Store};",
                &["kb", "store"],
            ),
            ("let x = crate::web::router();", &["web"]),
            ("no imports here", &[]),
            ("//! ranks in the index of `crate::search`", &[]),
            ("/// Uses [`crate::web`].\nuse crate::kb::Article;", &["kb"]),
        ];
        for (src, want) in cases {
            let got: Vec<String> = crate_modules(src).into_iter().collect();
            assert_eq!(got, *want, "{src}");
        }
    }

    #[test]
    fn imports_flow_one_way() {
        let src_dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
        let mut files = Vec::new();
        rust_files(&src_dir, &mut files);
        let mut upward = Vec::new();
        for file in &files {
            let Some(module) = owner(&src_dir, file) else {
                continue;
            };
            let Some((_, allowed)) = ALLOWED.iter().find(|(m, _)| *m == module) else {
                panic!("src/{module} is not placed in a layer: add it to ALLOWED in lib.rs");
            };
            let text = std::fs::read_to_string(file).expect("readable source");
            for used in crate_modules(&text) {
                let leaf = LEAVES.contains(&used.as_str()) && !LEAVES.contains(&module.as_str());
                if used != module && !leaf && !allowed.contains(&used.as_str()) {
                    upward.push(format!("{} uses crate::{used}", file.display()));
                }
            }
        }
        assert!(
            upward.is_empty(),
            "imports against the flow:\n{}",
            upward.join("\n")
        );
    }
}
