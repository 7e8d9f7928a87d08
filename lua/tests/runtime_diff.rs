//! Differential tests: every `runtime_corpus/*.lua` script runs through our
//! runtime and its stdout must equal real Lua 5.1's. The expected output is
//! the `.expected` file next to the script (made by `lua5.1`); when `lua5.1`
//! is installed it is run too and must agree with the file (a missing file is
//! written, so new scripts get their golden from the real interpreter).

use std::path::{Path, PathBuf};
use std::process::Command;

use redlet_lua::api::{Host, Lua};
use redlet_lua::value::{LuaError, Value};

/// A host that collects `print` output.
#[derive(Default)]
struct Collect {
    out: Vec<u8>,
}

impl Host for Collect {
    fn write_out(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
    }
}

fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/runtime_corpus")
}

/// Runs a script file like `lua5.1 file` does (chunkname "@file"); an
/// uncaught error goes to the returned error text, as lua5.1's stderr.
fn run_ours(name: &str, src: &[u8]) -> (Vec<u8>, Option<Vec<u8>>) {
    let mut lua: Lua<Collect> = Lua::new_lua51();
    lua.open_base();
    lua.open_table();
    lua.open_math();
    lua.open_debug();
    redlet_lua::lib_string::open_string(&mut lua);
    let mut host = Collect::default();
    let mut chunk = b"@".to_vec();
    chunk.extend_from_slice(name.as_bytes());
    let err = match lua.load(src, &chunk) {
        Ok(f) => match lua.call(&mut host, Value::Function(f), &[]) {
            Ok(_) => None,
            Err(e) => Some(lua.error_bytes(&e)),
        },
        Err(e) => Some(lua.error_bytes(&e)),
    };
    let _ = LuaError::Memory;
    (host.out, err)
}

fn run_real(dir: &Path, name: &str) -> Option<Vec<u8>> {
    let out = Command::new("lua5.1").arg(name).current_dir(dir).output().ok()?;
    Some(out.stdout)
}

#[test]
fn corpus_matches_lua51() {
    let dir = corpus_dir();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".lua"))
        .collect();
    names.sort();
    assert!(!names.is_empty());
    let mut failures = Vec::new();
    for name in &names {
        let src = std::fs::read(dir.join(name)).unwrap();
        let expected_path = dir.join(name.replace(".lua", ".expected"));
        let real = run_real(&dir, name);
        let expected = match (&real, std::fs::read(&expected_path)) {
            (Some(r), Ok(e)) => {
                assert_eq!(r, &e, "{name}: .expected differs from lua5.1's output");
                e
            }
            (Some(r), Err(_)) => {
                std::fs::write(&expected_path, r).unwrap();
                r.clone()
            }
            (None, Ok(e)) => e,
            (None, Err(_)) => panic!("{name}: no .expected and no lua5.1"),
        };
        let (ours, err) = run_ours(name, &src);
        if let Ok(dir) = std::env::var("RUNTIME_DIFF_DUMP") {
            let _ = std::fs::write(Path::new(&dir).join(format!("{name}.ours")), &ours);
        }
        if ours != expected {
            let o = String::from_utf8_lossy(&ours);
            let e = String::from_utf8_lossy(&expected);
            let line = o.lines().zip(e.lines()).position(|(a, b)| a != b);
            failures.push(format!(
                "{name}: output differs (first differing line {:?})\n--- ours:\n{}\n--- lua5.1:\n{}\n--- error: {:?}",
                line,
                o,
                e,
                err.map(|e| String::from_utf8_lossy(&e).into_owned())
            ));
        }
    }
    if !failures.is_empty() {
        panic!("{} of {} scripts differ:\n{}", failures.len(), names.len(), failures.join("\n\n"));
    }
}
