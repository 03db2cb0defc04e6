//! The configuration layer: discovery, parsing, validation and resolution.

use std::fs;
use std::path::{Path, PathBuf};

use pyopt::config::{
    discover, load_file, resolve, CliOverrides, ConfigError, Level, PassInfo, RawOptions, Settings,
};

const PASSES: &[PassInfo] = &[
    PassInfo {
        name: "constant-folding",
        level: Level::Safe,
    },
    PassInfo {
        name: "jump-threading",
        level: Level::Safe,
    },
    PassInfo {
        name: "const-propagation",
        level: Level::Aggressive,
    },
    PassInfo {
        name: "strip-docstrings",
        level: Level::OptIn,
    },
];

/// A fresh, empty directory for one test.
fn tempdir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("config-tests")
        .join(name);
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Writes `text` as `pyopt.toml` in a fresh directory and loads it.
fn load_str(test: &str, text: &str) -> Result<RawOptions, ConfigError> {
    let path = tempdir(test).join("pyopt.toml");
    write(&path, text);
    load_file(&path)
}

fn settings(text: &str, test: &str, cli: &CliOverrides) -> Settings {
    let raw = load_str(test, text).unwrap();
    resolve(&raw, cli, PASSES).unwrap()
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn level_display_and_parse() {
    for level in [Level::Safe, Level::Aggressive, Level::OptIn] {
        assert_eq!(level.to_string().parse::<Level>().unwrap(), level);
    }
    assert_eq!(Level::OptIn.to_string(), "opt-in");
    assert!("turbo".parse::<Level>().is_err());
    assert!(Level::Safe < Level::Aggressive && Level::Aggressive < Level::OptIn);
}

#[test]
fn discovery_walks_up() {
    let root = tempdir("walk-up");
    write(&root.join("pyopt.toml"), "level = \"aggressive\"\n");
    let deep = root.join("a/b/c");
    fs::create_dir_all(&deep).unwrap();
    write(&deep.join("mod.pyc"), "");

    for start in [deep.clone(), deep.join("mod.pyc")] {
        let (path, raw) = discover(&start).unwrap().expect("config found");
        assert_eq!(path, root.join("pyopt.toml"));
        assert_eq!(raw.level, Some(Level::Aggressive));
        assert_eq!(raw.path.as_deref(), Some(path.as_path()));
    }
}

#[test]
fn discovery_takes_the_nearest_file() {
    let root = tempdir("nearest");
    write(&root.join("pyopt.toml"), "jobs = 1\n");
    write(&root.join("sub/pyopt.toml"), "jobs = 2\n");
    let (path, raw) = discover(&root.join("sub/x")).unwrap().unwrap();
    assert_eq!(path, root.join("sub/pyopt.toml"));
    assert_eq!(raw.jobs, Some(2));
}

#[test]
fn pyproject_without_tool_pyopt_is_skipped() {
    let root = tempdir("pyproject-skip");
    write(
        &root.join("pyproject.toml"),
        "[tool.pyopt]\nlevel = \"aggressive\"\n",
    );
    write(
        &root.join("pkg/pyproject.toml"),
        "[project]\nname = \"pkg\"\n[tool.black]\nline-length = 99\n",
    );
    let (path, raw) = discover(&root.join("pkg")).unwrap().unwrap();
    assert_eq!(path, root.join("pyproject.toml"));
    assert_eq!(raw.level, Some(Level::Aggressive));
}

#[test]
fn pyopt_toml_wins_over_pyproject_in_the_same_dir() {
    let root = tempdir("precedence");
    write(&root.join("pyproject.toml"), "[tool.pyopt]\njobs = 3\n");
    write(&root.join("pyopt.toml"), "jobs = 5\n");
    let (path, raw) = discover(&root).unwrap().unwrap();
    assert_eq!(path, root.join("pyopt.toml"));
    assert_eq!(raw.jobs, Some(5));
}

#[test]
fn config_file_option_reads_either_kind() {
    let root = tempdir("explicit");
    let custom = root.join("ci-settings.toml");
    write(&custom, "level = \"aggressive\"\nexclude = [\"x/**\"]\n");
    let raw = load_file(&custom).unwrap();
    assert_eq!(raw.level, Some(Level::Aggressive));
    assert_eq!(raw.exclude, strings(&["x/**"]));

    let pyproject = root.join("pyproject.toml");
    write(
        &pyproject,
        "[tool.pyopt]\njobs = 7\n[tool.pyopt.passes]\nstrip-docstrings = true\n",
    );
    let raw = load_file(&pyproject).unwrap();
    assert_eq!(raw.jobs, Some(7));
    assert_eq!(raw.passes.get("strip-docstrings"), Some(&true));

    // An explicit pyproject.toml must have the table.
    let bare = root.join("bare/pyproject.toml");
    write(&bare, "[project]\nname = \"x\"\n");
    let err = load_file(&bare).unwrap_err().to_string();
    assert!(
        err.contains("pyproject.toml") && err.contains("[tool.pyopt]"),
        "{err}"
    );

    let err = load_file(&root.join("missing.toml"))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("missing.toml") && err.contains("cannot read"),
        "{err}"
    );
}

#[test]
fn defaults_per_level() {
    let none = resolve(&RawOptions::default(), &CliOverrides::default(), PASSES).unwrap();
    assert_eq!(none.level, Level::Safe);
    assert_eq!(none.enabled, ["constant-folding", "jump-threading"]);
    assert_eq!(none.jobs, None);
    assert_eq!(none.config_path, None);

    let aggressive = settings(
        "level = \"aggressive\"",
        "aggressive",
        &CliOverrides::default(),
    );
    assert_eq!(aggressive.level, Level::Aggressive);
    assert_eq!(
        aggressive.enabled,
        ["constant-folding", "jump-threading", "const-propagation"]
    );
    assert!(!aggressive.is_enabled("strip-docstrings"));

    // --level overrides the file.
    let cli = CliOverrides {
        level: Some(Level::Safe),
        ..Default::default()
    };
    let back = settings("level = \"aggressive\"", "cli-level", &cli);
    assert_eq!(back.enabled, ["constant-folding", "jump-threading"]);

    let cli = CliOverrides {
        level: Some(Level::OptIn),
        ..Default::default()
    };
    let err = resolve(&RawOptions::default(), &cli, PASSES)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("--level:") && err.contains("\"opt-in\""),
        "{err}"
    );
}

#[test]
fn passes_table_overrides_the_level() {
    let s = settings(
        "[passes]\njump-threading = false\nstrip-docstrings = true\n",
        "passes-table",
        &CliOverrides::default(),
    );
    // Enabled list keeps the order of the pass list, not of the table.
    assert_eq!(s.enabled, ["constant-folding", "strip-docstrings"]);
}

#[test]
fn all_false_then_enable_one() {
    let s = settings(
        "[passes]\nall = false\nconst-propagation = true\n",
        "all-false",
        &CliOverrides::default(),
    );
    assert_eq!(s.enabled, ["const-propagation"]);

    // `all` applies first wherever it is written.
    let s = settings(
        "[passes]\njump-threading = true\nall = false\n",
        "all-false-last",
        &CliOverrides::default(),
    );
    assert_eq!(s.enabled, ["jump-threading"]);

    let s = settings(
        "[passes]\nall = true\n",
        "all-true",
        &CliOverrides::default(),
    );
    assert_eq!(s.enabled.len(), PASSES.len());
}

#[test]
fn cli_enable_and_disable() {
    let text = "[passes]\nconstant-folding = false\n";
    // --enable beats the file.
    let cli = CliOverrides {
        enable: strings(&["constant-folding,strip-docstrings"]),
        ..Default::default()
    };
    let s = settings(text, "cli-enable", &cli);
    assert_eq!(
        s.enabled,
        ["constant-folding", "jump-threading", "strip-docstrings"]
    );

    // --disable beats --enable.
    let cli = CliOverrides {
        enable: strings(&["const-propagation", "jump-threading"]),
        disable: strings(&[" jump-threading "]),
        ..Default::default()
    };
    let s = settings(text, "cli-both", &cli);
    assert_eq!(s.enabled, ["const-propagation"]);

    // `all` in both flags.
    let cli = CliOverrides {
        enable: strings(&["all"]),
        disable: strings(&["strip-docstrings"]),
        ..Default::default()
    };
    let s = settings(text, "cli-all", &cli);
    assert_eq!(
        s.enabled,
        ["constant-folding", "jump-threading", "const-propagation"]
    );
    let cli = CliOverrides {
        enable: strings(&["strip-docstrings"]),
        disable: strings(&["all"]),
        ..Default::default()
    };
    assert!(settings(text, "cli-none", &cli).enabled.is_empty());

    let cli = CliOverrides {
        disable: strings(&["constant-folding,nope"]),
        ..Default::default()
    };
    let err = resolve(&RawOptions::default(), &cli, PASSES)
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "--disable: unknown pass \"nope\" (valid: constant-folding, jump-threading, \
         const-propagation, strip-docstrings, all)"
    );
}

#[test]
fn unknown_key_lists_valid_keys() {
    let err = load_str("unknown-key", "levle = \"safe\"\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("pyopt.toml"), "{err}");
    assert!(
        err.ends_with("unknown key \"levle\" (valid keys: level, exclude, jobs, passes)"),
        "{err}"
    );

    let path = tempdir("unknown-key-pyproject").join("pyproject.toml");
    write(&path, "[tool.pyopt]\nlevel = \"safe\"\nexlude = []\n");
    let err = load_file(&path).unwrap_err().to_string();
    assert!(
        err.contains("pyproject.toml: unknown key \"exlude\" in [tool.pyopt] (valid keys: level"),
        "{err}"
    );
}

#[test]
fn unknown_pass_lists_valid_names() {
    let raw = load_str("unknown-pass", "[passes]\ndead-cod = true\n").unwrap();
    let err = resolve(&raw, &CliOverrides::default(), PASSES)
        .unwrap_err()
        .to_string();
    assert!(
        err.ends_with(
            "pyopt.toml: unknown pass \"dead-cod\" in [passes] (valid: constant-folding, \
             jump-threading, const-propagation, strip-docstrings, all)"
        ),
        "{err}"
    );

    let cli = CliOverrides {
        enable: strings(&["x"]),
        ..Default::default()
    };
    let err = resolve(&RawOptions::default(), &cli, PASSES)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("--enable: unknown pass \"x\" (valid: constant-folding"),
        "{err}"
    );
}

#[test]
fn bad_level() {
    let err = load_str("bad-level", "level = \"turbo\"\n")
        .unwrap_err()
        .to_string();
    assert!(
        err.ends_with("pyopt.toml: level must be \"safe\" or \"aggressive\", not \"turbo\""),
        "{err}"
    );
    // opt-in is a pass level, not a configuration level.
    let err = load_str("opt-in-level", "level = \"opt-in\"\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("not \"opt-in\""), "{err}");
}

#[test]
fn bad_type_names_key_file_and_position() {
    let err = load_str("bad-type-jobs", "level = \"safe\"\njobs = \"four\"\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("pyopt.toml"), "{err}");
    assert!(err.contains("invalid value for \"jobs\""), "{err}");
    assert!(err.contains("line 2"), "{err}");

    let err = load_str("bad-type-exclude", "exclude = \"tests/**\"\n")
        .unwrap_err()
        .to_string();
    assert!(err.contains("invalid value for \"exclude\""), "{err}");

    let err = load_str("bad-type-pass", "[passes]\nconstant-folding = \"yes\"\n")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("invalid value for \"constant-folding\" in [passes]"),
        "{err}"
    );
    assert!(err.contains("line 2"), "{err}");

    let path = tempdir("bad-type-pyproject").join("pyproject.toml");
    write(
        &path,
        "[project]\nname = \"x\"\n\n[tool.pyopt]\nlevel = 3\n",
    );
    let err = load_file(&path).unwrap_err().to_string();
    assert!(
        err.contains("pyproject.toml: invalid value for \"level\" in [tool.pyopt]"),
        "{err}"
    );
    assert!(err.contains("line 5"), "{err}");

    let err = load_str("syntax", "level = \n").unwrap_err().to_string();
    assert!(
        err.contains("pyopt.toml") && err.contains("line 1"),
        "{err}"
    );
}

#[test]
fn jobs_must_be_positive() {
    assert_eq!(load_str("jobs-ok", "jobs = 3\n").unwrap().jobs, Some(3));
    for text in ["jobs = 0\n", "jobs = -2\n"] {
        let err = load_str("jobs-bad", text).unwrap_err().to_string();
        assert!(
            err.contains("pyopt.toml: jobs must be a positive integer"),
            "{err}"
        );
    }
    let cli = CliOverrides {
        jobs: Some(0),
        ..Default::default()
    };
    let err = resolve(&RawOptions::default(), &cli, PASSES)
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("--jobs:"), "{err}");

    // --jobs overrides the file.
    let cli = CliOverrides {
        jobs: Some(9),
        ..Default::default()
    };
    assert_eq!(settings("jobs = 2\n", "jobs-cli", &cli).jobs, Some(9));
}

#[test]
fn exclude_globs() {
    let root = tempdir("exclude");
    write(
        &root.join("pyopt.toml"),
        "exclude = [\"tests/**\", \"**/vendor/**\", \"build/\", \"*_gen.pyc\"]\n",
    );
    let (_, raw) = discover(&root).unwrap().unwrap();
    let s = resolve(&raw, &CliOverrides::default(), PASSES).unwrap();
    assert_eq!(s.config_dir(), Some(root.as_path()));
    assert_eq!(s.exclude.patterns().len(), 4);
    // The target is a subdirectory: patterns stay relative to pyopt.toml.
    let target = root.join("src");
    let excluded = |rel: &str| s.is_excluded(&root.join(rel), &target);

    assert!(excluded("tests/test_a.pyc"));
    assert!(excluded("tests/deep/x/test_b.pyc"));
    assert!(!excluded("src/tests/test_a.pyc"), "tests/** is anchored");
    assert!(excluded("vendor/lib.pyc"));
    assert!(excluded("src/pkg/vendor/six/__init__.pyc"));
    assert!(!excluded("src/pkg/vendored.pyc"));
    assert!(excluded("build"), "directory itself");
    assert!(
        excluded("src/build/lib/x.pyc"),
        "name without / at any depth"
    );
    assert!(excluded("src/pkg/models_gen.pyc"));
    assert!(!excluded("src/pkg/models.pyc"));
    assert!(!excluded("src/main.pyc"));
}

#[test]
fn exclude_without_config_and_from_cli() {
    let root = tempdir("exclude-cli");
    let cli = CliOverrides {
        exclude: strings(&["tests/**", "/nonexistent-root/**"]),
        ..Default::default()
    };
    let s = resolve(&RawOptions::default(), &cli, PASSES).unwrap();
    assert!(s.exclude.is_empty());
    assert!(s.is_excluded(&root.join("tests/x.pyc"), &root));
    assert!(!s.is_excluded(&root.join("src/tests/x.pyc"), &root));
    assert!(s.is_excluded(Path::new("/nonexistent-root/a/b.pyc"), &root));

    // --exclude is relative to the target even when a config file exists.
    write(&root.join("pyopt.toml"), "exclude = [\"docs/**\"]\n");
    let (_, raw) = discover(&root).unwrap().unwrap();
    let s = resolve(&raw, &cli, PASSES).unwrap();
    let target = root.join("app");
    assert!(s.is_excluded(&target.join("tests/x.pyc"), &target));
    assert!(!s.is_excluded(&root.join("tests/x.pyc"), &target));
    assert!(s.is_excluded(&root.join("docs/conf.pyc"), &target));

    let cli = CliOverrides {
        exclude: strings(&["a[b"]),
        ..Default::default()
    };
    let err = resolve(&RawOptions::default(), &cli, PASSES)
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("--exclude: invalid exclude pattern \"a[b\""),
        "{err}"
    );
}
