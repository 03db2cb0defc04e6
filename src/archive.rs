//! `.pyc` files inside archives: wheels (`.whl`), zip files and zipapps
//! (`.zip`, `.pyz`).
//!
//! Every entry whose name ends in `.pyc` is optimized like a file on disk.
//! If any changed, a new archive is built in memory: unchanged entries are
//! copied raw (their compressed bytes, timestamps, permissions and extra
//! fields as they were), changed entries are written with their original
//! name, compression method (stored or deflated), timestamp and permissions,
//! in the original order, after the original prefix (a zipapp's `#!` line)
//! and with the original archive comment. In a wheel, the rows of
//! `*.dist-info/RECORD` for the changed entries get their new
//! `sha256=<urlsafe base64>` digest and size; every other row stays byte for
//! byte. The new archive is read back and every entry checked (CRC) before it
//! replaces the original atomically (temporary file in the same directory,
//! synced as the run's durability mode says, rename). A corrupt archive, an
//! entry that cannot be read, or a changed entry with a compression method pyopt cannot write is an error
//! naming the archive and the entry; the original is never touched.

use std::io::{Cursor, Read, Write};
use std::path::Path;

use sha2::{Digest, Sha256};
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipArchive, ZipWriter};

use crate::atomic::Writer;
use crate::opt::{optimize_bytes, FileReport, Pipeline, Status};

/// Whether a path names an archive pyopt opens (by extension).
pub fn is_archive(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "whl" | "zip" | "pyz"))
}

/// One archive: optimize its `.pyc` entries and (in write mode) replace it.
/// The report covers the whole archive; `rejected` entries name the entry.
/// `writer`: replace the archive through it (with this archive's index)
/// when it changed; `diff`: collect listings.
pub fn optimize_archive(
    path: &Path,
    pipeline: &Pipeline,
    writer: Option<(&Writer, usize)>,
    diff: bool,
) -> FileReport {
    let data = match std::fs::read(path) {
        Ok(d) => d,
        Err(e) => return FileReport::failed(path, None, format!("cannot read: {e}"), 0),
    };
    let size = data.len() as u64;
    match rewrite(&data, pipeline, diff) {
        Err(e) => FileReport::failed(path, None, e, size),
        Ok((mut report, out)) => {
            report.path = path.to_path_buf();
            report.bytes_before = size;
            if let Some(out) = out {
                report.bytes_after = out.len() as u64;
                report.status = Status::Changed;
                if let Some((writer, index)) = writer {
                    if let Err(e) = writer.write(index, path, out) {
                        return FileReport::failed(path, None, e, size);
                    }
                }
            }
            report
        }
    }
}

/// The archive's new bytes, if any entry changed.
fn rewrite(
    data: &[u8],
    pipeline: &Pipeline,
    diff: bool,
) -> Result<(FileReport, Option<Vec<u8>>), String> {
    let mut zip =
        ZipArchive::new(Cursor::new(data)).map_err(|e| format!("corrupt archive: {e}"))?;
    let mut report = FileReport::unchanged(Path::new(""), None, data.len() as u64);
    let mut versions: Vec<String> = Vec::new();
    // New contents of the changed entries, by index.
    let mut changed: Vec<(usize, Vec<u8>)> = Vec::new();
    let mut record: Option<usize> = None;
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|e| format!("corrupt archive: entry #{i}: {e}"))?;
        let name = entry.name().to_string();
        if name.ends_with(".dist-info/RECORD") {
            record = Some(i);
        }
        if !name.ends_with(".pyc") || entry.is_dir() {
            continue;
        }
        let mut bytes = Vec::with_capacity(entry.size() as usize);
        entry
            .read_to_end(&mut bytes)
            .map_err(|e| format!("entry {name}: cannot read: {e}"))?;
        let (r, out) =
            optimize_bytes(&bytes, pipeline, diff).map_err(|e| format!("entry {name}: {e}"))?;
        if let Some(v) = &r.version {
            if !versions.contains(v) {
                versions.push(v.clone());
            }
        }
        merge(&mut report, &r, &name);
        if let Some(out) = out {
            changed.push((i, out));
        }
    }
    versions.sort();
    report.version = (!versions.is_empty()).then(|| versions.join(","));
    if changed.is_empty() {
        return Ok((report, None));
    }
    // The new RECORD, if the archive has one.
    let new_record = match record {
        Some(ri) => {
            let mut entry = zip
                .by_index(ri)
                .map_err(|e| format!("corrupt archive: RECORD: {e}"))?;
            let mut text = Vec::new();
            entry
                .read_to_end(&mut text)
                .map_err(|e| format!("RECORD: cannot read: {e}"))?;
            drop(entry);
            let mut updates = Vec::new();
            for (i, bytes) in &changed {
                let name = zip
                    .by_index_raw(*i)
                    .map_err(|e| format!("corrupt archive: entry #{i}: {e}"))?
                    .name()
                    .to_string();
                updates.push((name, bytes.as_slice()));
            }
            Some((ri, update_record(&text, &updates)?))
        }
        None => None,
    };
    let out = write_archive(data, &mut zip, &changed, new_record.as_ref())?;
    check_archive(&out)?;
    Ok((report, Some(out)))
}

/// Adds one entry's statistics to the archive's report.
fn merge(report: &mut FileReport, r: &FileReport, name: &str) {
    report.code_objects += r.code_objects;
    report.changed_code_objects += r.changed_code_objects;
    report.instructions_before += r.instructions_before;
    report.instructions_after += r.instructions_after;
    for mut rej in r.rejected.iter().cloned() {
        rej.code_object = format!("{name}: {}", rej.code_object);
        report.rejected.push(rej);
    }
    for (k, v) in &r.pass_changes {
        *report.pass_changes.entry(k.clone()).or_default() += v;
    }
    report.stats.merge(&r.stats);
    if let Some(d) = &r.diff {
        let text = report.diff.get_or_insert_with(String::new);
        text.push_str(&format!("### {name}\n{d}"));
    }
}

/// Builds the new archive: the original prefix, every entry in order
/// (raw-copied unless changed), the original comment.
fn write_archive(
    data: &[u8],
    zip: &mut ZipArchive<Cursor<&[u8]>>,
    changed: &[(usize, Vec<u8>)],
    record: Option<&(usize, Vec<u8>)>,
) -> Result<Vec<u8>, String> {
    // What precedes the first entry (a zipapp's `#!` line). Writers differ
    // in whether their offsets count it, so take it from where the entries
    // really start rather than from the end record.
    let mut first = zip.offset();
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| format!("corrupt archive: entry #{i}: {e}"))?;
        first = if i == 0 {
            entry.header_start()
        } else {
            first.min(entry.header_start())
        };
    }
    let prefix_len = usize::try_from(first).map_err(|_| "corrupt archive: offset")?;
    let prefix = data.get(..prefix_len).ok_or("corrupt archive: offset")?;
    let mut cursor = Cursor::new(prefix.to_vec());
    cursor.set_position(prefix_len as u64);
    let mut w = ZipWriter::new(cursor);
    w.set_raw_comment(zip.comment().to_vec().into_boxed_slice());
    for i in 0..zip.len() {
        let new_bytes = changed
            .iter()
            .find(|(k, _)| *k == i)
            .map(|(_, b)| b.as_slice())
            .or_else(|| record.filter(|(k, _)| *k == i).map(|(_, b)| b.as_slice()));
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| format!("corrupt archive: entry #{i}: {e}"))?;
        let name = entry.name().to_string();
        match new_bytes {
            None => w
                .raw_copy_file(entry)
                .map_err(|e| format!("entry {name}: cannot copy: {e}"))?,
            Some(bytes) => {
                let method = entry.compression();
                if !matches!(
                    method,
                    CompressionMethod::Stored | CompressionMethod::Deflated
                ) {
                    return Err(format!(
                        "entry {name}: compression method {method} cannot be rewritten \
                         (only stored and deflated)"
                    ));
                }
                let mut options = SimpleFileOptions::default()
                    .compression_method(method)
                    .large_file(bytes.len() as u64 >= 0xFFFF_FFFF);
                if let Some(t) = entry.last_modified() {
                    options = options.last_modified_time(t);
                }
                if let Some(mode) = entry.unix_mode() {
                    options = options.unix_permissions(mode);
                }
                drop(entry);
                w.start_file(name.as_str(), options)
                    .map_err(|e| format!("entry {name}: cannot write: {e}"))?;
                w.write_all(bytes)
                    .map_err(|e| format!("entry {name}: cannot write: {e}"))?;
            }
        }
    }
    let cursor = w
        .finish()
        .map_err(|e| format!("cannot finish archive: {e}"))?;
    Ok(cursor.into_inner())
}

/// Reads every entry of a freshly built archive back (which checks its CRC).
fn check_archive(data: &[u8]) -> Result<(), String> {
    let mut zip = ZipArchive::new(Cursor::new(data))
        .map_err(|e| format!("rewritten archive unreadable: {e}"))?;
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|e| format!("rewritten archive: entry #{i}: {e}"))?;
        std::io::copy(&mut entry, &mut std::io::sink())
            .map_err(|e| format!("rewritten archive: entry #{i}: {e}"))?;
    }
    Ok(())
}

/// `sha256=` + the urlsafe base64 (no padding) of the SHA-256 of `bytes`, as
/// wheel RECORD files spell it (PEP 376 / PEP 427).
pub fn record_digest(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    format!("sha256={}", base64_urlsafe_nopad(&digest))
}

fn base64_urlsafe_nopad(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |acc, (k, b)| acc | (*b as u32) << (16 - 8 * k));
        let chars = chunk.len() + 1;
        for k in 0..chars {
            out.push(ALPHABET[((n >> (18 - 6 * k)) & 63) as usize] as char);
        }
    }
    out
}

/// Rewrites the RECORD rows of the given entries (`path,hash,size`; the path
/// may be quoted CSV). Other rows, and the line endings, stay as they were.
/// An entry missing from RECORD is an error: the wheel would not verify.
pub fn update_record(text: &[u8], updates: &[(String, &[u8])]) -> Result<Vec<u8>, String> {
    let text = std::str::from_utf8(text).map_err(|_| "RECORD is not UTF-8".to_string())?;
    let mut seen = vec![false; updates.len()];
    let mut out = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let body = line.trim_end_matches(['\n', '\r']);
        let ending = &line[body.len()..];
        let path = record_path(body);
        match updates
            .iter()
            .position(|(name, _)| Some(name.as_str()) == path.as_deref())
        {
            Some(k) => {
                seen[k] = true;
                let (name, bytes) = &updates[k];
                let quoted = if name.contains([',', '"', '\n']) {
                    format!("\"{}\"", name.replace('"', "\"\""))
                } else {
                    name.clone()
                };
                out.push_str(&format!(
                    "{quoted},{},{}",
                    record_digest(bytes),
                    bytes.len()
                ));
                out.push_str(ending);
            }
            None => out.push_str(line),
        }
    }
    if let Some(k) = seen.iter().position(|s| !s) {
        return Err(format!(
            "RECORD has no row for {}: the rewritten wheel could not be verified",
            updates[k].0
        ));
    }
    Ok(out.into_bytes())
}

/// The first CSV field of a RECORD row.
fn record_path(row: &str) -> Option<String> {
    if let Some(rest) = row.strip_prefix('"') {
        let mut field = String::new();
        let mut chars = rest.chars().peekable();
        while let Some(c) = chars.next() {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    return Some(field);
                }
            } else {
                field.push(c);
            }
        }
        None
    } else {
        row.split(',').next().map(str::to_string)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digests_are_spelled_like_pip() {
        // hashlib.sha256(b"hello").digest(), urlsafe_b64encode, '=' stripped.
        assert_eq!(
            record_digest(b"hello"),
            "sha256=LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ"
        );
        assert_eq!(base64_urlsafe_nopad(b"a"), "YQ");
        assert_eq!(base64_urlsafe_nopad(b"ab"), "YWI");
        assert_eq!(base64_urlsafe_nopad(b"abc"), "YWJj");
    }

    #[test]
    fn record_rows_are_replaced_in_place() {
        let text = b"pkg/__init__.py,sha256=x,1\r\n\"pkg/a,b.pyc\",sha256=y,2\r\npkg-1.0.dist-info/RECORD,,\r\n";
        let out = update_record(text, &[("pkg/a,b.pyc".to_string(), b"hello")]).expect("update");
        let out = String::from_utf8(out).expect("utf8");
        assert_eq!(
            out,
            "pkg/__init__.py,sha256=x,1\r\n\"pkg/a,b.pyc\",sha256=LPJNul-wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ,5\r\npkg-1.0.dist-info/RECORD,,\r\n"
        );
        assert!(update_record(text, &[("missing.pyc".to_string(), b"x")]).is_err());
    }
}
