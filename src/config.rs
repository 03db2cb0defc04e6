//! Configuration: `pyopt.toml`, `[tool.pyopt]` in `pyproject.toml`, and the
//! command-line flags that override them.
//!
//! # Where pyopt looks
//!
//! Starting at the target (the directory itself, or the directory of a file),
//! pyopt walks up to the filesystem root and uses the first configuration it
//! finds. In each directory `pyopt.toml` wins over `pyproject.toml`; a
//! `pyproject.toml` without a `[tool.pyopt]` table is ignored and the search
//! goes on upward. `--config FILE` skips the search and reads `FILE`: a file
//! named `pyproject.toml` is read for its `[tool.pyopt]` table (which must
//! exist), any other file is read like a `pyopt.toml`.
//!
//! # Format
//!
//! In `pyopt.toml` the keys are at the top level; in `pyproject.toml` the same
//! keys go in `[tool.pyopt]` (and the pass table is `[tool.pyopt.passes]`).
//!
//! ```toml
//! level = "aggressive"              # "safe" (the default) or "aggressive"
//! exclude = ["tests/**", "**/vendor/**", "legacy_*.pyc"]
//! jobs = 4                          # worker threads; default: all cores
//!
//! [passes]
//! all = false                       # start from nothing ...
//! constant-folding = true           # ... and turn on just these
//! jump-threading = true
//! ```
//!
//! | key       | value                                                  |
//! |-----------|--------------------------------------------------------|
//! | `level`   | `"safe"` or `"aggressive"`; default `"safe"`           |
//! | `exclude` | list of glob patterns of files and directories to skip |
//! | `jobs`    | positive integer: number of worker threads             |
//! | `passes`  | table of `pass-name = true / false`                    |
//!
//! Keys are kebab-case. An unknown key, an unknown pass name or a value of the
//! wrong type is an error that names the file and the key (and lists the valid
//! keys or pass names); type errors also give the line and column.
//!
//! # Which passes run
//!
//! Every pass has a level: *safe*, *aggressive* or *opt-in* (`pyopt passes`
//! lists them). The set of passes is computed in this order:
//!
//! 1. the level (`level` in the file, overridden by `--level`) turns on every
//!    pass of that level and below: at `safe` the safe passes, at
//!    `aggressive` the safe and aggressive ones. Opt-in passes (they change
//!    observable behaviour, e.g. stripping docstrings) are never on by
//!    default;
//! 2. the `[passes]` table turns passes on (`true`) or off (`false`). The
//!    special name `all` stands for every pass, opt-in ones included, and is
//!    applied *before* the other entries wherever it is written, so
//!    `all = false` followed by `name = true` means "only `name`";
//! 3. `--enable a,b` turns passes on, then `--disable c` turns them off: a
//!    pass named in both stays off. `all` works in both flags.
//!
//! # Excluding files
//!
//! `exclude` patterns are globs: `*`, `?` and `[...]` match within one path
//! component, `**` matches any number of directories. Patterns from the
//! configuration file are matched against the path *relative to the directory
//! of that file* (patterns from `--exclude` against the path relative to the
//! target given on the command line), so `tests/**` skips the `tests`
//! directory next to `pyopt.toml`, and `**/vendor/**` any `vendor` directory.
//! A pattern without a `/` matches a file or directory name at any depth
//! (`__pycache__`, `*_test.pyc`); a trailing `/` is ignored. An absolute
//! pattern (`/opt/app/legacy/**`) is matched against the full path, as is
//! every pattern for a file that lies outside that directory. A directory
//! that matches excludes everything below it. `--exclude` adds to the
//! patterns of the file.

use std::collections::BTreeMap;
use std::fmt;
use std::io;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use globset::{GlobBuilder, GlobSet, GlobSetBuilder};
use serde::Deserialize;

/// The keys a configuration may contain, in the order the documentation uses.
pub const VALID_KEYS: &[&str] = &["level", "exclude", "jobs", "passes"];

/// The pseudo pass name that stands for every pass.
pub const ALL_PASSES: &str = "all";

/// How far a pass may go. Ordered: `Safe < Aggressive < OptIn`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Level {
    /// Never changes what a program observes; on by default.
    #[default]
    Safe,
    /// Relies on assumptions almost every program meets; on at `aggressive`.
    Aggressive,
    /// Changes observable behaviour; only ever on when asked for by name.
    OptIn,
}

impl Level {
    /// The spelling used in configuration files, on the command line and in
    /// listings.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Safe => "safe",
            Level::Aggressive => "aggressive",
            Level::OptIn => "opt-in",
        }
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error of [`Level::from_str`]: the text that is not a level.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown level \"{0}\" (valid: safe, aggressive, opt-in)")]
pub struct ParseLevelError(pub String);

impl FromStr for Level {
    type Err = ParseLevelError;

    fn from_str(s: &str) -> Result<Level, ParseLevelError> {
        match s {
            "safe" => Ok(Level::Safe),
            "aggressive" => Ok(Level::Aggressive),
            "opt-in" => Ok(Level::OptIn),
            _ => Err(ParseLevelError(s.to_string())),
        }
    }
}

/// What the configuration layer needs to know about a pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PassInfo {
    pub name: &'static str,
    pub level: Level,
}

/// Any problem with the configuration. Every message names where the bad
/// value came from: the configuration file, or the command-line flag.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{}: cannot read: {error}", path.display())]
    Read { path: PathBuf, error: io::Error },
    /// Not valid TOML; the message has the line and column.
    #[error("{}: {}", path.display(), error.to_string().trim_end())]
    Syntax {
        path: PathBuf,
        error: Box<toml::de::Error>,
    },
    #[error("{}: no [tool.pyopt] table", path.display())]
    NoToolTable { path: PathBuf },
    #[error("{}: unknown key \"{key}\"{table} (valid keys: {})", path.display(), VALID_KEYS.join(", "))]
    UnknownKey {
        path: PathBuf,
        key: String,
        /// `""`, or ` in [tool.pyopt]`.
        table: String,
    },
    /// A value of the wrong type; the message has the line and column.
    #[error("{}: invalid value for \"{key}\"{table}: {}", path.display(), error.to_string().trim_end())]
    InvalidValue {
        path: PathBuf,
        key: String,
        /// `""`, or where `key` is, like ` in [tool.pyopt.passes]`.
        table: String,
        error: Box<toml::de::Error>,
    },
    /// `origin` is the file, or `--level`.
    #[error("{origin}: level must be \"safe\" or \"aggressive\", not \"{value}\"")]
    BadLevel { origin: String, value: String },
    /// `origin` is the file, or `--jobs`.
    #[error("{origin}: jobs must be a positive integer, not {value}")]
    BadJobs { origin: String, value: i64 },
    /// `origin` is the file, or `--exclude`.
    #[error("{origin}: invalid exclude pattern \"{pattern}\": {error}")]
    BadGlob {
        origin: String,
        pattern: String,
        error: globset::Error,
    },
    /// `origin` is the file, `--enable` or `--disable`.
    #[error("{origin}: unknown pass \"{name}\"{table} (valid: {})", valid.join(", "))]
    UnknownPass {
        origin: String,
        name: String,
        /// `""`, or ` in [passes]` / ` in [tool.pyopt.passes]`.
        table: String,
        /// Every pass name, then `all`.
        valid: Vec<String>,
    },
}

/// The options of one configuration file, parsed and checked as far as the
/// file alone allows (pass names are checked by [`resolve`], which knows the
/// passes). `RawOptions::default()` means "no configuration file".
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawOptions {
    /// The file these options come from.
    pub path: Option<PathBuf>,
    pub level: Option<Level>,
    pub exclude: Vec<String>,
    pub jobs: Option<usize>,
    /// The `[passes]` table.
    pub passes: BTreeMap<String, bool>,
}

/// The command-line flags that override the configuration file.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CliOverrides {
    /// `--level`.
    pub level: Option<Level>,
    /// `--enable`; items may themselves be comma-separated lists.
    pub enable: Vec<String>,
    /// `--disable`; items may themselves be comma-separated lists.
    pub disable: Vec<String>,
    /// `--jobs`.
    pub jobs: Option<usize>,
    /// `--exclude`; matched relative to the target, added to the file's.
    pub exclude: Vec<String>,
}

/// The configuration in effect: file and command line resolved together.
#[derive(Debug, Clone)]
pub struct Settings {
    pub level: Level,
    /// The passes to run, in the order of the pass list given to [`resolve`].
    pub enabled: Vec<&'static str>,
    /// `None`: use all cores.
    pub jobs: Option<usize>,
    /// `exclude` of the configuration file; relative to its directory.
    pub exclude: Exclude,
    /// `--exclude`; relative to the target.
    pub cli_exclude: Exclude,
    /// The configuration file used, if any.
    pub config_path: Option<PathBuf>,
}

impl Settings {
    /// Whether pass `name` runs.
    pub fn is_enabled(&self, name: &str) -> bool {
        self.enabled.contains(&name)
    }

    /// The directory of the configuration file, if one was used.
    pub fn config_dir(&self) -> Option<&Path> {
        self.config_path.as_deref().and_then(Path::parent)
    }

    /// Whether `path` (a file or directory met while walking `target_root`,
    /// the path given on the command line) is excluded. The file's patterns
    /// are matched relative to the configuration file's directory (relative to
    /// `target_root` when there is no file), `--exclude` patterns relative to
    /// `target_root`. See the [module documentation](self) for the rules.
    pub fn is_excluded(&self, path: &Path, target_root: &Path) -> bool {
        let config_base = self.config_dir().unwrap_or(target_root);
        self.exclude.matches(path, config_base) || self.cli_exclude.matches(path, target_root)
    }
}

/// A compiled list of exclude patterns.
#[derive(Debug, Clone)]
pub struct Exclude {
    patterns: Vec<String>,
    /// Patterns matched against the path relative to the base directory.
    relative: GlobSet,
    /// Absolute patterns, matched against the full path.
    absolute: GlobSet,
}

impl Default for Exclude {
    fn default() -> Exclude {
        Exclude {
            patterns: Vec::new(),
            relative: GlobSet::empty(),
            absolute: GlobSet::empty(),
        }
    }
}

impl Exclude {
    /// Compiles `patterns`; `origin` (file or flag) names them in errors.
    pub fn new(patterns: &[String], origin: &str) -> Result<Exclude, ConfigError> {
        let mut relative = GlobSetBuilder::new();
        let mut absolute = GlobSetBuilder::new();
        for pattern in patterns {
            if pattern.is_empty() {
                continue; // matches nothing
            }
            let trimmed = match pattern.trim_end_matches('/') {
                "" => "/",
                trimmed => trimmed,
            };
            let glob = |text: &str| {
                GlobBuilder::new(text)
                    .literal_separator(true)
                    .build()
                    .map_err(|error| ConfigError::BadGlob {
                        origin: origin.to_string(),
                        pattern: pattern.clone(),
                        error,
                    })
            };
            if trimmed.starts_with('/') {
                absolute.add(glob(trimmed)?);
            } else if trimmed.contains('/') {
                relative.add(glob(trimmed)?);
            } else {
                relative.add(glob(&format!("**/{trimmed}"))?);
            }
        }
        let build = |builder: GlobSetBuilder| {
            builder.build().map_err(|error| ConfigError::BadGlob {
                origin: origin.to_string(),
                pattern: patterns.join(", "),
                error,
            })
        };
        Ok(Exclude {
            patterns: patterns.to_vec(),
            relative: build(relative)?,
            absolute: build(absolute)?,
        })
    }

    /// The patterns as written.
    pub fn patterns(&self) -> &[String] {
        &self.patterns
    }

    pub fn is_empty(&self) -> bool {
        self.patterns.is_empty()
    }

    /// Whether `path`, or one of its directories below `base`, matches.
    pub fn matches(&self, path: &Path, base: &Path) -> bool {
        if self.is_empty() {
            return false;
        }
        let full = absolute(path);
        if !self.absolute.is_empty() && full.ancestors().any(|p| self.absolute.is_match(p)) {
            return true;
        }
        if self.relative.is_empty() {
            return false;
        }
        match relative_to(path, &full, base) {
            Some(rel) => rel
                .ancestors()
                .filter(|p| !p.as_os_str().is_empty())
                .any(|p| self.relative.is_match(p)),
            None => self.relative.is_match(&full),
        }
    }
}

fn absolute(path: &Path) -> PathBuf {
    std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf())
}

/// `path` relative to `base`, lexically; `None` if it is not below `base`.
fn relative_to(path: &Path, full: &Path, base: &Path) -> Option<PathBuf> {
    if let Ok(rel) = path.strip_prefix(base) {
        return Some(rel.to_path_buf());
    }
    full.strip_prefix(absolute(base))
        .ok()
        .map(Path::to_path_buf)
}

/// The serde view of the options, exactly as written.
#[derive(Debug, Default, Deserialize)]
#[serde(
    rename_all = "kebab-case",
    deny_unknown_fields,
    expecting = "a table of pyopt options"
)]
struct Options {
    level: Option<String>,
    exclude: Option<Vec<String>>,
    jobs: Option<i64>,
    passes: Option<BTreeMap<String, bool>>,
}

#[derive(Deserialize)]
struct Pyproject {
    tool: Option<Tool>,
}

#[derive(Deserialize)]
struct Tool {
    pyopt: Option<Options>,
}

fn is_pyproject(path: &Path) -> bool {
    path.file_name().is_some_and(|n| n == "pyproject.toml")
}

/// Reads the configuration file `path` (`--config FILE`). A file named
/// `pyproject.toml` must have a `[tool.pyopt]` table; any other file is read
/// as a `pyopt.toml`.
pub fn load_file(path: &Path) -> Result<RawOptions, ConfigError> {
    let text = read(path)?;
    if is_pyproject(path) {
        parse_pyproject(path, &text)?.ok_or_else(|| ConfigError::NoToolTable {
            path: path.to_path_buf(),
        })
    } else {
        parse_pyopt_toml(path, &text)
    }
}

/// Finds the configuration for `start` (a file or directory): walks up from
/// it to the filesystem root; in each directory `pyopt.toml` wins over
/// `pyproject.toml`, and a `pyproject.toml` without `[tool.pyopt]` is
/// skipped. Returns the file found (as an absolute path) and its options.
pub fn discover(start: &Path) -> Result<Option<(PathBuf, RawOptions)>, ConfigError> {
    let start = if start.as_os_str().is_empty() {
        Path::new(".")
    } else {
        start
    };
    let start = std::path::absolute(start).map_err(|error| ConfigError::Read {
        path: start.to_path_buf(),
        error,
    })?;
    let first = if start.is_dir() {
        start.as_path()
    } else {
        match start.parent() {
            Some(parent) => parent,
            None => return Ok(None),
        }
    };
    for dir in first.ancestors() {
        let candidate = dir.join("pyopt.toml");
        if candidate.is_file() {
            let raw = load_file(&candidate)?;
            return Ok(Some((candidate, raw)));
        }
        let candidate = dir.join("pyproject.toml");
        if candidate.is_file() {
            let text = read(&candidate)?;
            if let Some(raw) = parse_pyproject(&candidate, &text)? {
                return Ok(Some((candidate, raw)));
            }
        }
    }
    Ok(None)
}

fn read(path: &Path) -> Result<String, ConfigError> {
    std::fs::read_to_string(path).map_err(|error| ConfigError::Read {
        path: path.to_path_buf(),
        error,
    })
}

fn parse_table(path: &Path, text: &str) -> Result<toml::Table, ConfigError> {
    text.parse::<toml::Table>()
        .map_err(|error| ConfigError::Syntax {
            path: path.to_path_buf(),
            error: Box::new(error),
        })
}

fn parse_pyopt_toml(path: &Path, text: &str) -> Result<RawOptions, ConfigError> {
    let table = parse_table(path, text)?;
    check_keys(path, &table, "")?;
    let options =
        toml::from_str::<Options>(text).map_err(|error| type_error(path, &table, "", error))?;
    validate(path, options)
}

/// `Ok(None)` if the file has no `[tool.pyopt]`.
fn parse_pyproject(path: &Path, text: &str) -> Result<Option<RawOptions>, ConfigError> {
    let table = parse_table(path, text)?;
    let Some(tool) = table.get("tool").and_then(toml::Value::as_table) else {
        return Ok(None);
    };
    let Some(pyopt) = tool.get("pyopt") else {
        return Ok(None);
    };
    let Some(pyopt) = pyopt.as_table() else {
        // A non-table `tool.pyopt` fails to deserialize, and toml's error says
        // where; should it ever deserialize, there is no table to read.
        let Err(error) = toml::from_str::<Pyproject>(text) else {
            return Ok(None);
        };
        return Err(ConfigError::InvalidValue {
            path: path.to_path_buf(),
            key: "pyopt".to_string(),
            table: " in [tool]".to_string(),
            error: Box::new(error),
        });
    };
    check_keys(path, pyopt, "tool.pyopt")?;
    let options = toml::from_str::<Pyproject>(text)
        .map_err(|error| type_error(path, pyopt, "tool.pyopt", error))?
        .tool
        .and_then(|t| t.pyopt)
        .unwrap_or_default();
    validate(path, options).map(Some)
}

/// ` in [prefix]`, or nothing for the top level.
fn in_table(prefix: &str) -> String {
    if prefix.is_empty() {
        String::new()
    } else {
        format!(" in [{prefix}]")
    }
}

fn check_keys(path: &Path, table: &toml::Table, prefix: &str) -> Result<(), ConfigError> {
    match table.keys().find(|k| !VALID_KEYS.contains(&k.as_str())) {
        Some(key) => Err(ConfigError::UnknownKey {
            path: path.to_path_buf(),
            key: key.clone(),
            table: in_table(prefix),
        }),
        None => Ok(()),
    }
}

/// Names the key whose value made serde fail, keeping toml's message (which
/// has the line and column).
fn type_error(
    path: &Path,
    table: &toml::Table,
    prefix: &str,
    error: toml::de::Error,
) -> ConfigError {
    use toml::Value;
    let mut bad: Option<(String, String)> = None;
    for (key, value) in table {
        let ok = match key.as_str() {
            "level" => value.is_str(),
            "exclude" => value
                .as_array()
                .is_some_and(|items| items.iter().all(Value::is_str)),
            "jobs" => value.is_integer(),
            "passes" => match value.as_table() {
                Some(passes) => {
                    if let Some((name, _)) = passes.iter().find(|(_, v)| !v.is_bool()) {
                        let table = if prefix.is_empty() {
                            "passes".to_string()
                        } else {
                            format!("{prefix}.passes")
                        };
                        bad = Some((name.clone(), table));
                        break;
                    }
                    true
                }
                None => false,
            },
            _ => true,
        };
        if !ok {
            bad = Some((key.clone(), prefix.to_string()));
            break;
        }
    }
    match bad {
        Some((key, table)) => ConfigError::InvalidValue {
            path: path.to_path_buf(),
            key,
            table: in_table(&table),
            error: Box::new(error),
        },
        // Not expected: every value had the right type. Report toml's error.
        None => ConfigError::Syntax {
            path: path.to_path_buf(),
            error: Box::new(error),
        },
    }
}

fn validate(path: &Path, options: Options) -> Result<RawOptions, ConfigError> {
    let origin = path.display().to_string();
    let level = match options.level {
        None => None,
        Some(text) => Some(config_level(&origin, &text)?),
    };
    let jobs = match options.jobs {
        None => None,
        Some(n) if n > 0 => Some(n as usize),
        Some(n) => return Err(ConfigError::BadJobs { origin, value: n }),
    };
    let exclude = options.exclude.unwrap_or_default();
    Exclude::new(&exclude, &origin)?;
    Ok(RawOptions {
        path: Some(path.to_path_buf()),
        level,
        exclude,
        jobs,
        passes: options.passes.unwrap_or_default(),
    })
}

/// A level for `level =` or `--level`: only `safe` and `aggressive`.
fn config_level(origin: &str, text: &str) -> Result<Level, ConfigError> {
    match text.parse::<Level>() {
        Ok(level @ (Level::Safe | Level::Aggressive)) => Ok(level),
        _ => Err(ConfigError::BadLevel {
            origin: origin.to_string(),
            value: text.to_string(),
        }),
    }
}

/// Combines the file's options, the command line and the pass list into the
/// settings in effect. See the [module documentation](self) for the order in
/// which they apply.
pub fn resolve(
    raw: &RawOptions,
    cli: &CliOverrides,
    passes: &[PassInfo],
) -> Result<Settings, ConfigError> {
    let file_origin = match &raw.path {
        Some(path) => path.display().to_string(),
        None => "configuration".to_string(),
    };
    let passes_table = match &raw.path {
        Some(path) if is_pyproject(path) => " in [tool.pyopt.passes]",
        _ => " in [passes]",
    };
    let valid = || {
        passes
            .iter()
            .map(|p| p.name.to_string())
            .chain([ALL_PASSES.to_string()])
            .collect::<Vec<_>>()
    };
    let unknown = |origin: &str, table: &str, name: &str| ConfigError::UnknownPass {
        origin: origin.to_string(),
        name: name.to_string(),
        table: table.to_string(),
        valid: valid(),
    };

    let level = match (cli.level, raw.level) {
        (Some(level), _) => {
            if level == Level::OptIn {
                return Err(ConfigError::BadLevel {
                    origin: "--level".to_string(),
                    value: level.to_string(),
                });
            }
            level
        }
        (None, Some(level)) => {
            if level == Level::OptIn {
                return Err(ConfigError::BadLevel {
                    origin: file_origin,
                    value: level.to_string(),
                });
            }
            level
        }
        (None, None) => Level::Safe,
    };

    let mut on: Vec<bool> = passes.iter().map(|p| p.level <= level).collect();
    let index = |name: &str| passes.iter().position(|p| p.name == name);

    // [passes]: check every name first, then `all`, then the others.
    for name in raw.passes.keys() {
        if name != ALL_PASSES && index(name).is_none() {
            return Err(unknown(&file_origin, passes_table, name));
        }
    }
    if let Some(&value) = raw.passes.get(ALL_PASSES) {
        on.fill(value);
    }
    for (name, &value) in &raw.passes {
        if let Some(i) = index(name) {
            on[i] = value;
        }
    }

    // --enable, then --disable.
    for (flag, items, value) in [
        ("--enable", &cli.enable, true),
        ("--disable", &cli.disable, false),
    ] {
        for name in items.iter().flat_map(|item| item.split(',')).map(str::trim) {
            if name.is_empty() {
                continue;
            }
            if name == ALL_PASSES {
                on.fill(value);
            } else {
                match index(name) {
                    Some(i) => on[i] = value,
                    None => return Err(unknown(flag, "", name)),
                }
            }
        }
    }

    let jobs = match cli.jobs {
        Some(0) => {
            return Err(ConfigError::BadJobs {
                origin: "--jobs".to_string(),
                value: 0,
            })
        }
        Some(n) => Some(n),
        None => raw.jobs,
    };
    if jobs == Some(0) {
        return Err(ConfigError::BadJobs {
            origin: file_origin,
            value: 0,
        });
    }

    Ok(Settings {
        level,
        enabled: passes
            .iter()
            .zip(&on)
            .filter(|(_, &on)| on)
            .map(|(p, _)| p.name)
            .collect(),
        jobs,
        exclude: Exclude::new(&raw.exclude, &file_origin)?,
        cli_exclude: Exclude::new(&cli.exclude, "--exclude")?,
        config_path: raw.path.clone(),
    })
}
