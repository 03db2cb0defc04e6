//! Finding the files a command works on: the one tree walker of pyopt.
//!
//! Every command that takes `PATH...` (`optimize`, `compile`'s optimize
//! step, `roundtrip`, `verify`, `difftest`'s programs and tree mode) goes
//! through [`collect`], so they agree on what a path means:
//!
//! - a path named on the command line that is a file (or a symlink to one)
//!   is taken as given, whatever its name (a `.zip`/`.pyz` archive only this
//!   way);
//! - a directory named on the command line is walked even when it is a
//!   symbolic link (like `find -H`); inside it, symbolic links are followed
//!   only with `follow_symlinks` (`--follow-symlinks`), and then a link back
//!   to one of its own ancestors is reported as a "symbolic link loop"
//!   instead of being walked forever;
//! - files whose names end with one of [`Walk::suffixes`] are collected;
//!   files whose names contain [`crate::atomic::TEMP_MARKER`] (left behind
//!   by a killed run) are listed apart, as stale;
//! - paths matched by the configuration's `exclude` globs are skipped, with
//!   everything below them;
//! - what cannot be read (a missing path, an unreadable directory, a loop)
//!   is an error naming the path, and the walk goes on with the rest.
//!
//! The files come back sorted and without duplicates, so that output never
//! depends on directory order or on the number of threads.

use std::path::{Path, PathBuf};

use crate::config::Settings;

/// What to collect, and how.
#[derive(Clone, Copy)]
pub struct Walk<'a> {
    /// Suffixes of the file names collected inside directories (`".pyc"`).
    pub suffixes: &'a [&'a str],
    /// Follow symbolic links below the named paths (loops are detected).
    pub follow_symlinks: bool,
    /// Skip the paths these settings exclude (`exclude` globs, matched on
    /// canonical paths relative to each named directory).
    pub exclude: Option<&'a Settings>,
}

/// `.pyc` files.
pub const PYC: &[&str] = &[".pyc"];
/// What `optimize` rewrites: `.pyc` files and wheels.
pub const PYC_AND_WHEELS: &[&str] = &[".pyc", ".whl"];
/// Python sources (`difftest`'s programs).
pub const PY: &[&str] = &[".py"];

impl<'a> Walk<'a> {
    /// Files ending with one of `suffixes`; symlinks not followed, nothing excluded.
    pub fn new(suffixes: &'a [&'a str]) -> Walk<'a> {
        Walk {
            suffixes,
            follow_symlinks: false,
            exclude: None,
        }
    }

    /// The same, following symbolic links or not.
    pub fn follow_symlinks(self, follow: bool) -> Walk<'a> {
        Walk {
            follow_symlinks: follow,
            ..self
        }
    }

    /// The same, skipping what `settings` exclude.
    pub fn exclude(self, settings: &'a Settings) -> Walk<'a> {
        Walk {
            exclude: Some(settings),
            ..self
        }
    }
}

/// What a walk found.
#[derive(Debug, Default)]
pub struct Found {
    /// The files, sorted, without duplicates.
    pub files: Vec<PathBuf>,
    /// Paths that could not be walked, with the reason, in the order met.
    pub errors: Vec<(PathBuf, String)>,
    /// Temporary files an interrupted run left behind.
    pub stale: Vec<PathBuf>,
}

/// Walks `roots` (see the module documentation).
pub fn collect(roots: &[PathBuf], walk: &Walk<'_>) -> Found {
    let mut found = Found::default();
    for root in roots {
        // Paths named on the command line are always followed (like `find -H`).
        match std::fs::metadata(root) {
            Err(e) => {
                found.errors.push((root.clone(), e.to_string()));
                continue;
            }
            Ok(m) if m.is_file() => {
                found.files.push(root.clone());
                continue;
            }
            Ok(_) => {}
        }
        walk_dir(root, walk, &mut found);
    }
    found.files.sort();
    found.files.dedup();
    found
}

fn walk_dir(root: &PathBuf, walk: &Walk<'_>, found: &mut Found) {
    // Exclude patterns are matched on canonical paths: the configuration
    // file was found from the canonical target, and `..` or a symlinked
    // target must not make its patterns miss.
    let canon_root = std::fs::canonicalize(root).unwrap_or_else(|_| root.clone());
    let excluded = |p: &Path| {
        walk.exclude.is_some_and(|settings| {
            let rel = p.strip_prefix(root).unwrap_or(p);
            settings.is_excluded(&canon_root.join(rel), &canon_root)
        })
    };
    let walker = walkdir::WalkDir::new(root)
        .follow_links(walk.follow_symlinks)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !excluded(e.path()));
    for entry in walker {
        match entry {
            Ok(e) => {
                if !e.file_type().is_file() {
                    continue;
                }
                let name = e.file_name().to_string_lossy();
                if name.contains(crate::atomic::TEMP_MARKER) {
                    found.stale.push(e.into_path());
                } else if walk.suffixes.iter().any(|s| name.ends_with(s)) {
                    found.files.push(e.into_path());
                }
            }
            Err(e) => {
                let path = e
                    .path()
                    .map(Path::to_path_buf)
                    .unwrap_or_else(|| root.clone());
                let reason = if e.loop_ancestor().is_some() {
                    "symbolic link loop".to_string()
                } else {
                    e.io_error()
                        .map_or_else(|| e.to_string(), |io| io.to_string())
                };
                found.errors.push((path, reason));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("pyopt-walk-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("mkdir");
        dir
    }

    fn touch(p: &Path) {
        if let Some(d) = p.parent() {
            std::fs::create_dir_all(d).expect("mkdir");
        }
        std::fs::write(p, b"").expect("write");
    }

    #[test]
    fn suffixes_sorting_stale_and_named_files() {
        let d = scratch("basic");
        touch(&d.join("b/z.pyc"));
        touch(&d.join("a.pyc"));
        touch(&d.join("b/y.py"));
        touch(&d.join("w.whl"));
        touch(&d.join(format!(".a.pyc{}1-0", crate::atomic::TEMP_MARKER)));
        touch(&d.join("named.txt"));
        let f = collect(&[d.clone(), d.join("named.txt")], &Walk::new(PYC));
        assert_eq!(
            f.files,
            vec![d.join("a.pyc"), d.join("b/z.pyc"), d.join("named.txt")]
        );
        assert_eq!(f.stale.len(), 1);
        assert!(f.errors.is_empty());
        let f = collect(std::slice::from_ref(&d), &Walk::new(PYC_AND_WHEELS));
        assert_eq!(
            f.files,
            vec![d.join("a.pyc"), d.join("b/z.pyc"), d.join("w.whl")]
        );
        let missing = d.join("missing");
        let f = collect(std::slice::from_ref(&missing), &Walk::new(PYC));
        assert_eq!(f.errors.len(), 1);
        assert_eq!(f.errors[0].0, missing);
        let _ = std::fs::remove_dir_all(&d);
    }

    #[cfg(unix)]
    #[test]
    fn symlinks_only_when_asked_and_loops_reported() {
        let d = scratch("links");
        touch(&d.join("real/x.pyc"));
        std::os::unix::fs::symlink(d.join("real"), d.join("link")).expect("symlink");
        std::os::unix::fs::symlink(&d, d.join("real/loop")).expect("symlink");
        let f = collect(std::slice::from_ref(&d), &Walk::new(PYC));
        assert_eq!(f.files, vec![d.join("real/x.pyc")]);
        assert!(f.errors.is_empty(), "{:?}", f.errors);
        let f = collect(
            std::slice::from_ref(&d),
            &Walk::new(PYC).follow_symlinks(true),
        );
        assert_eq!(f.files, vec![d.join("link/x.pyc"), d.join("real/x.pyc")]);
        assert!(
            f.errors.iter().any(|(_, r)| r == "symbolic link loop"),
            "{:?}",
            f.errors
        );
        // A named symlink to a directory is walked without following others.
        let f = collect(&[d.join("link")], &Walk::new(PYC));
        assert_eq!(f.files, vec![d.join("link/x.pyc")]);
        let _ = std::fs::remove_dir_all(&d);
    }
}
