//! Line diffs in the unified format (`diff -u`, `git diff`): what
//! `pyopt optimize --diff` prints for every changed code object.
//!
//! The edit script comes from Myers' algorithm (the `similar` crate); this
//! module turns it into hunks: runs of changed lines with [`CONTEXT`]
//! unchanged lines around them, hunks closer than twice that merged, each
//! headed `@@ -OLD_START,OLD_LEN +NEW_START,NEW_LEN @@` (1-based line
//! numbers; `,1` is left out, and an empty side starts at the line before
//! it, as `diff -u` writes them). Within a run of changes the removed lines
//! come first, then the added ones.

use std::hash::Hash;
use std::ops::Range;

/// Unchanged lines shown before and after each change (as `diff -u`).
pub const CONTEXT: usize = 3;

/// One step of an edit script, by line index (0-based).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Old line `.0` is new line `.1`.
    Equal(usize, usize),
    /// Old line `.0` is removed.
    Delete(usize),
    /// New line `.0` is added.
    Insert(usize),
}

/// The edit script that turns `old` into `new`: every old line is kept or
/// deleted and every new line kept or inserted, in order.
pub fn edits<T: Eq + Hash + Ord>(old: &[T], new: &[T]) -> Vec<Edit> {
    let ops = similar::capture_diff_slices(similar::Algorithm::Myers, old, new);
    let mut out = Vec::with_capacity(old.len().max(new.len()));
    for op in ops {
        let (_, old_range, new_range) = op.as_tag_tuple();
        match op {
            similar::DiffOp::Equal { .. } => {
                out.extend(old_range.zip(new_range).map(|(a, b)| Edit::Equal(a, b)))
            }
            _ => {
                out.extend(old_range.map(Edit::Delete));
                out.extend(new_range.map(Edit::Insert));
            }
        }
    }
    out
}

/// Puts the deletions of every run of changes before its insertions (a run
/// may be interleaved after [`Edit::Equal`] steps were turned into changes).
pub fn normalize(edits: &mut [Edit]) {
    let mut i = 0;
    while i < edits.len() {
        if matches!(edits[i], Edit::Equal(..)) {
            i += 1;
            continue;
        }
        let start = i;
        while i < edits.len() && !matches!(edits[i], Edit::Equal(..)) {
            i += 1;
        }
        // Stable: deletions keep their order, and so do insertions.
        edits[start..i].sort_by_key(|e| matches!(e, Edit::Insert(_)));
    }
}

/// A hunk: the edits `edits` of the script, covering old lines
/// `old_start..old_start + old_len` and new lines likewise (0-based).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hunk {
    pub edits: Range<usize>,
    pub old_start: usize,
    pub old_len: usize,
    pub new_start: usize,
    pub new_len: usize,
}

impl Hunk {
    /// `@@ -1,4 +1,3 @@`.
    pub fn header(&self) -> String {
        fn side(start: usize, len: usize) -> String {
            match len {
                // An empty side names the line before it.
                0 => format!("{start},0"),
                1 => format!("{}", start + 1),
                _ => format!("{},{len}", start + 1),
            }
        }
        format!(
            "@@ -{} +{} @@",
            side(self.old_start, self.old_len),
            side(self.new_start, self.new_len)
        )
    }
}

/// The hunks of an edit script with `context` unchanged lines around the
/// changes; none when nothing changed.
pub fn hunks(edits: &[Edit], context: usize) -> Vec<Hunk> {
    let changed: Vec<usize> = edits
        .iter()
        .enumerate()
        .filter(|(_, e)| !matches!(e, Edit::Equal(..)))
        .map(|(i, _)| i)
        .collect();
    let mut ranges: Vec<Range<usize>> = Vec::new();
    for &i in &changed {
        let start = i.saturating_sub(context);
        let end = (i + 1 + context).min(edits.len());
        match ranges.last_mut() {
            Some(last) if start <= last.end => last.end = end,
            _ => ranges.push(start..end),
        }
    }
    // Where each edit sits in the old and the new text.
    let mut positions = Vec::with_capacity(edits.len() + 1);
    let (mut old, mut new) = (0, 0);
    for e in edits {
        positions.push((old, new));
        match e {
            Edit::Equal(..) => {
                old += 1;
                new += 1;
            }
            Edit::Delete(_) => old += 1,
            Edit::Insert(_) => new += 1,
        }
    }
    positions.push((old, new));
    ranges
        .into_iter()
        .map(|r| {
            let (old_start, new_start) = positions[r.start];
            let (old_end, new_end) = positions[r.end];
            Hunk {
                edits: r,
                old_start,
                old_len: old_end - old_start,
                new_start,
                new_len: new_end - new_start,
            }
        })
        .collect()
}

/// Writes the hunks: the header, then every line prefixed with ` `, `-` or
/// `+`. Unchanged lines are shown as `new` has them.
pub fn write_hunks(
    out: &mut String,
    edits: &[Edit],
    hunks: &[Hunk],
    old: &[String],
    new: &[String],
) {
    for h in hunks {
        out.push_str(&h.header());
        out.push('\n');
        for e in &edits[h.edits.clone()] {
            let (sign, line) = match *e {
                Edit::Equal(_, b) => (' ', &new[b]),
                Edit::Delete(a) => ('-', &old[a]),
                Edit::Insert(b) => ('+', &new[b]),
            };
            out.push(sign);
            out.push_str(line);
            out.push('\n');
        }
    }
}

/// A unified diff of two texts given as lines, with `---`/`+++` headers
/// naming them; empty when they are equal.
pub fn unified(old_name: &str, new_name: &str, old: &[String], new: &[String]) -> String {
    let script = edits(old, new);
    let hs = hunks(&script, CONTEXT);
    if hs.is_empty() {
        return String::new();
    }
    let mut out = format!("--- {old_name}\n+++ {new_name}\n");
    write_hunks(&mut out, &script, &hs, old, new);
    out
}

/// Puts `file` into the `---`/`+++` headers of a diff made by the driver
/// (`--- QUALNAME (before)` becomes `--- FILE: QUALNAME (before)`). An
/// archive's diff names each entry on a `### ENTRY` line, which becomes
/// part of the file name (`FILE/ENTRY`) instead of being printed.
pub fn name_file(diff: &str, file: &str) -> String {
    let mut out = String::with_capacity(diff.len() + 256);
    let mut entry: Option<&str> = None;
    for line in diff.lines() {
        if let Some(name) = line.strip_prefix("### ") {
            entry = Some(name);
            continue;
        }
        let header = ["--- ", "+++ "]
            .into_iter()
            .find_map(|p| line.strip_prefix(p).map(|rest| (p, rest)));
        match header {
            Some((prefix, rest)) => {
                out.push_str(prefix);
                out.push_str(file);
                if let Some(e) = entry {
                    out.push('/');
                    out.push_str(e);
                }
                out.push_str(": ");
                out.push_str(rest);
            }
            None => out.push_str(line),
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<String> {
        s.split_whitespace().map(str::to_string).collect()
    }

    #[test]
    fn equal_texts_have_no_diff() {
        let a = lines("a b c");
        assert_eq!(unified("x", "y", &a, &a), "");
        assert!(hunks(&edits(&a, &a), 3).is_empty());
    }

    #[test]
    fn one_change_in_the_middle() {
        let a = lines("1 2 3 4 5 6 7 8 9 10");
        let b = lines("1 2 3 4 five 6 7 8 9 10");
        assert_eq!(
            unified("old", "new", &a, &b),
            "--- old\n+++ new\n@@ -2,7 +2,7 @@\n 2\n 3\n 4\n-5\n+five\n 6\n 7\n 8\n"
        );
    }

    #[test]
    fn distant_changes_make_two_hunks_close_ones_one() {
        let a = lines("a b c d e f g h i j k l m n o p");
        // b removed, o changed: 12 lines apart, two hunks.
        let b = lines("a c d e f g h i j k l m n O p");
        assert_eq!(
            unified("o", "n", &a, &b),
            "--- o\n+++ n\n\
             @@ -1,5 +1,4 @@\n a\n-b\n c\n d\n e\n\
             @@ -12,5 +11,5 @@\n l\n m\n n\n-o\n+O\n p\n"
        );
        // Changes 6 lines apart (at most twice the context): one hunk.
        let b = lines("a B c d e f g H i j k l m n o p");
        assert_eq!(
            unified("o", "n", &a, &b),
            "--- o\n+++ n\n\
             @@ -1,11 +1,11 @@\n a\n-b\n+B\n c\n d\n e\n f\n g\n-h\n+H\n i\n j\n k\n"
        );
    }

    #[test]
    fn insertions_and_deletions_at_the_ends() {
        let a = lines("a b");
        let b = lines("x a b y");
        assert_eq!(
            unified("o", "n", &a, &b),
            "--- o\n+++ n\n@@ -1,2 +1,4 @@\n+x\n a\n b\n+y\n"
        );
        let empty: Vec<String> = Vec::new();
        assert_eq!(
            unified("o", "n", &empty, &lines("a")),
            "--- o\n+++ n\n@@ -0,0 +1 @@\n+a\n"
        );
        assert_eq!(
            unified("o", "n", &lines("a b"), &empty),
            "--- o\n+++ n\n@@ -1,2 +0,0 @@\n-a\n-b\n"
        );
    }

    #[test]
    fn normalize_puts_deletions_first() {
        let mut e = vec![
            Edit::Equal(0, 0),
            Edit::Delete(1),
            Edit::Insert(1),
            Edit::Delete(2),
            Edit::Insert(2),
            Edit::Equal(3, 3),
        ];
        normalize(&mut e);
        assert_eq!(
            e,
            vec![
                Edit::Equal(0, 0),
                Edit::Delete(1),
                Edit::Delete(2),
                Edit::Insert(1),
                Edit::Insert(2),
                Edit::Equal(3, 3),
            ]
        );
    }

    #[test]
    fn file_names_go_into_the_headers() {
        let d = "--- f (before)\n+++ f (after)\n@@ -1 +1 @@\n-    --  x\n+a\n";
        assert_eq!(
            name_file(d, "m.pyc"),
            "--- m.pyc: f (before)\n+++ m.pyc: f (after)\n@@ -1 +1 @@\n-    --  x\n+a\n"
        );
        let d = "### pkg/m.pyc\n--- f (before)\n+++ f (after)\n@@ -1 +1 @@\n-x\n+y\n";
        assert_eq!(
            name_file(d, "a.whl"),
            "--- a.whl/pkg/m.pyc: f (before)\n+++ a.whl/pkg/m.pyc: f (after)\n@@ -1 +1 @@\n-x\n+y\n"
        );
    }
}
