//! The compiler against the real `luac` 5.1.5: every file of
//! `frontend_corpus/` must list (`luac -l -l`) exactly as its golden
//! `.list` file, and every file of `frontend_errors/` must fail with the
//! message of its golden `.err` file (luac's, without the `luac5.1: `
//! prefix). Every corpus file's binary chunk (`proto::dump`) must also equal
//! its golden `.luac` (written by `luac5.1 -o`). When `luac5.1` is installed
//! the goldens are checked against it too, and `REDLET_BLESS=1` rewrites them
//! from it.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use redlet_lua::listing::listing;
use redlet_lua::parse::compile_at_depth;
use redlet_lua::proto::dump;

/// `%p` addresses differ between runs and implementations.
fn normalize(b: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'0' && b.get(i + 1) == Some(&b'x') {
            out.extend_from_slice(b"0x");
            i += 2;
            while i < b.len() && b[i].is_ascii_hexdigit() {
                i += 1;
            }
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    out
}

fn dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests").join(name)
}

fn lua_files(d: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = fs::read_dir(d)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "lua"))
        .collect();
    v.sort();
    v
}

fn have_luac() -> bool {
    Command::new("luac5.1").arg("-v").output().is_ok()
}

/// luac's output for `file` (run in its directory so the chunk name is
/// `@name.lua`): (success, stdout or stderr without the program name).
fn luac(file: &Path) -> (bool, Vec<u8>) {
    let out = Command::new("luac5.1")
        .args(["-l", "-l", "-p"])
        .arg(file.file_name().unwrap())
        .current_dir(file.parent().unwrap())
        .output()
        .unwrap();
    if out.status.success() {
        (true, normalize(&out.stdout))
    } else {
        let e = out.stderr.strip_prefix(b"luac5.1: ").unwrap_or(&out.stderr);
        (false, e.strip_suffix(b"\n").unwrap_or(e).to_vec())
    }
}

/// Ours, as luac loads a file (chunk name `@name.lua`, C-call depth 1).
fn ours(file: &Path) -> (bool, Vec<u8>) {
    let src = fs::read(file).unwrap();
    let name = format!("@{}", file.file_name().unwrap().to_str().unwrap());
    match compile_at_depth(&src, name.as_bytes(), 1) {
        Ok(p) => (true, normalize(&listing(&p, true))),
        Err(e) => (false, e.message),
    }
}

fn run(dirname: &str, ext: &str, expect_ok: bool) {
    let bless = std::env::var("REDLET_BLESS").is_ok_and(|v| v == "1");
    let luac_here = have_luac();
    let mut failures = Vec::new();
    let files = lua_files(&dir(dirname));
    assert!(!files.is_empty());
    for f in &files {
        let golden_path = f.with_extension(ext);
        if bless && luac_here {
            let (ok, text) = luac(f);
            assert_eq!(ok, expect_ok, "{}: luac {}", f.display(), String::from_utf8_lossy(&text));
            fs::write(&golden_path, &text).unwrap();
        }
        let golden = fs::read(&golden_path).unwrap_or_else(|_| panic!("{} missing", golden_path.display()));
        if luac_here && !bless {
            let (_, text) = luac(f);
            assert_eq!(text, golden, "{}: golden file is stale", golden_path.display());
        }
        let (ok, text) = ours(f);
        if ok != expect_ok || text != golden {
            failures.push(format!(
                "=== {}\n--- luac\n{}\n--- ours\n{}",
                f.display(),
                String::from_utf8_lossy(&golden),
                String::from_utf8_lossy(&text)
            ));
        }
    }
    if !failures.is_empty() {
        let n = failures.len();
        let report = failures.join("\n");
        let _ = fs::write(format!("/tmp/frontend-{dirname}-failures.txt"), &report);
        panic!("{n} of {} files differ:\n{}", files.len(), &report[..report.len().min(20000)]);
    }
}

#[test]
fn listings_equal_luac() {
    run("frontend_corpus", "list", true);
}

#[test]
fn syntax_errors_equal_luac() {
    run("frontend_errors", "err", false);
}

/// luac's binary chunk for `file`, written next to it as its golden.
fn luac_dump(file: &Path, out: &Path) {
    let status = Command::new("luac5.1")
        .arg("-o")
        .arg(out)
        .arg(file.file_name().unwrap())
        .current_dir(file.parent().unwrap())
        .status()
        .unwrap();
    assert!(status.success());
}

#[test]
fn binary_chunks_equal_luac() {
    let bless = std::env::var("REDLET_BLESS").is_ok_and(|v| v == "1");
    let luac_here = have_luac();
    let mut differ = Vec::new();
    for f in lua_files(&dir("frontend_corpus")) {
        let golden_path = f.with_extension("luac");
        if bless && luac_here {
            luac_dump(&f, &golden_path);
        }
        let golden = fs::read(&golden_path).unwrap_or_else(|_| panic!("{} missing", golden_path.display()));
        if luac_here && !bless {
            let tmp = std::env::temp_dir().join(format!("redlet-dump-{}.luac", std::process::id()));
            luac_dump(&f, &tmp);
            assert_eq!(fs::read(&tmp).unwrap(), golden, "{}: golden file is stale", golden_path.display());
            let _ = fs::remove_file(&tmp);
        }
        let src = fs::read(&f).unwrap();
        let name = format!("@{}", f.file_name().unwrap().to_str().unwrap());
        let p = compile_at_depth(&src, name.as_bytes(), 1).unwrap();
        if dump(&p, false) != golden {
            differ.push(f.display().to_string());
        }
    }
    assert!(differ.is_empty(), "binary chunks differ: {differ:?}");
}

#[test]
fn stripped_chunks_equal_luac() {
    if !have_luac() {
        return;
    }
    let out = std::env::temp_dir().join(format!("redlet-strip-{}.luac", std::process::id()));
    for f in lua_files(&dir("frontend_corpus")) {
        let status = Command::new("luac5.1")
            .arg("-s")
            .arg("-o")
            .arg(&out)
            .arg(f.file_name().unwrap())
            .current_dir(f.parent().unwrap())
            .status()
            .unwrap();
        assert!(status.success());
        let src = fs::read(&f).unwrap();
        let name = format!("@{}", f.file_name().unwrap().to_str().unwrap());
        let p = compile_at_depth(&src, name.as_bytes(), 1).unwrap();
        assert!(dump(&p, true) == fs::read(&out).unwrap(), "{}", f.display());
    }
    let _ = fs::remove_file(&out);
}
