//! The libraries run as scripts: each case file under `tests/data` holds one
//! Lua chunk per line; the expected transcripts were produced by real Lua
//! (`lua5.1 libs_run_cases.lua CASES`, for the string library) or by
//! redis-server 7.0.15 (`libs_redis_cases.sh CASES`, for cjson, cmsgpack,
//! bit and struct). Here every case is compiled as its own chunk and called
//! with redlet-lua, and the transcripts must be identical.

use redlet_lua::api::{Ctx, Host, Lua, Step};
use redlet_lua::value::{LuaError, Value};

#[derive(Default)]
struct Out {
    text: Vec<u8>,
}

impl Host for Out {}

/// A `print` for the tests (the base library's is not needed): tostring of
/// each argument, tab-separated, then a newline.
fn print(ctx: &mut Ctx<'_, Out>) -> Result<usize, LuaError> {
    let mut line = Vec::new();
    for i in 1..=ctx.nargs() {
        if i > 1 {
            line.push(b'\t');
        }
        let s = ctx.tostring(ctx.arg(i))?;
        line.extend_from_slice(ctx.str_bytes(s));
    }
    line.push(b'\n');
    ctx.host().text.extend_from_slice(&line);
    Ok(0)
}

/// A state with the libraries the cases use and the test `print`.
fn state(open: &[fn(&mut Lua<Out>)]) -> Lua<Out> {
    let mut lua = Lua::new();
    for f in open {
        f(&mut lua);
    }
    let g = lua.globals();
    lua.register(g, "print", print);
    lua
}

/// Runs a case file the way `libs_run_cases.lua` does.
fn transcript(lua: &mut Lua<Out>, cases: &str, chunkname: &[u8]) -> Vec<u8> {
    transcript_with(lua, cases, chunkname, None)
}

/// [`transcript`], optionally running each case with `start`/`resume` under
/// an instruction budget of `budget` per step (pausing between library
/// calls must not change anything).
fn transcript_with(lua: &mut Lua<Out>, cases: &str, chunkname: &[u8], budget: Option<u64>) -> Vec<u8> {
    let mut host = Out::default();
    for line in cases.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        host.text.extend_from_slice(b"== ");
        host.text.extend_from_slice(line.as_bytes());
        host.text.push(b'\n');
        match lua.load(line.as_bytes(), chunkname) {
            Err(e) => {
                let m = lua.error_bytes(&e);
                host.text.extend_from_slice(b"compile error: ");
                host.text.extend_from_slice(&m);
                host.text.push(b'\n');
            }
            Ok(f) => {
                let r = match budget {
                    None => lua.call(&mut host, Value::Function(f), &[]),
                    Some(b) => lua.start(Value::Function(f), &[]).and_then(|()| loop {
                        match lua.resume(&mut host, b) {
                            Ok(Step::Done(v)) => break Ok(v),
                            Ok(Step::Paused) => continue,
                            Err(e) => break Err(e),
                        }
                    }),
                };
                if let Err(e) = r {
                    let m = lua.error_bytes(&e);
                    host.text.extend_from_slice(b"error: ");
                    host.text.extend_from_slice(&m);
                    host.text.push(b'\n');
                }
            }
        }
    }
    host.text
}

/// Compares two transcripts case by case, listing the differing cases.
fn compare(got: &[u8], want: &[u8]) {
    if got == want {
        return;
    }
    let (got, want) = (String::from_utf8_lossy(got), String::from_utf8_lossy(want));
    let split = |t: &str| -> Vec<String> {
        let mut v: Vec<String> = Vec::new();
        for l in t.lines() {
            if l.starts_with("== ") || v.is_empty() {
                v.push(String::new());
            }
            let last = v.last_mut().unwrap();
            last.push_str(l);
            last.push('\n');
        }
        v
    };
    let (g, w) = (split(&got), split(&want));
    let mut diffs = Vec::new();
    for (a, b) in g.iter().zip(w.iter()) {
        if a != b {
            diffs.push(format!("--- expected\n{b}--- got\n{a}"));
        }
    }
    if g.len() != w.len() {
        diffs.push(format!("{} cases run, {} expected", g.len(), w.len()));
    }
    panic!("{} differences:\n{}", diffs.len(), diffs.join("\n"));
}

#[test]
fn string_library_matches_lua51() {
    let mut lua = state(&[redlet_lua::lib_string::open_string]);
    let got = transcript(&mut lua, include_str!("data/libs_string_cases.txt"), b"=c");
    compare(&got, include_bytes!("data/libs_string_cases.expected"));
}

#[test]
fn redis_libraries_match_redis() {
    let mut lua = state(&[
        |l| l.open_base(),
        |l| l.open_table(),
        |l| l.open_math(),
        redlet_lua::lib_string::open_string,
        redlet_lua::lib_cjson::open_cjson,
        redlet_lua::lib_cmsgpack::open_cmsgpack,
        redlet_lua::lib_bit::open_bit,
        redlet_lua::lib_struct::open_struct,
    ]);
    let got = transcript(&mut lua, include_str!("data/libs_redis_cases.txt"), b"@user_script");
    compare(&got, include_bytes!("data/libs_redis_cases.expected"));
}

/// The same cases with a collection at every safe point (and a memory limit
/// that makes the libraries' own allocation checks collect too): values the
/// natives hold across calls back into Lua must survive.
#[test]
fn cases_survive_constant_collection() {
    let mut lua = state(&[redlet_lua::lib_string::open_string]);
    lua.set_gc_step(1);
    let got = transcript(&mut lua, include_str!("data/libs_string_cases.txt"), b"=c");
    compare(&got, include_bytes!("data/libs_string_cases.expected"));
    let mut lua = state(&[
        |l| l.open_base(),
        |l| l.open_table(),
        |l| l.open_math(),
        redlet_lua::lib_string::open_string,
        redlet_lua::lib_cjson::open_cjson,
        redlet_lua::lib_cmsgpack::open_cmsgpack,
        redlet_lua::lib_bit::open_bit,
        redlet_lua::lib_struct::open_struct,
    ]);
    lua.set_gc_step(1);
    lua.set_memory_limit(lua.memory_used() + (4 << 20));
    let got = transcript(&mut lua, include_str!("data/libs_redis_cases.txt"), b"@user_script");
    compare(&got, include_bytes!("data/libs_redis_cases.expected"));
}

/// The Redis cases again, each run with `start`/`resume` in steps of 3
/// instructions: pausing around library calls changes nothing.
#[test]
fn cases_survive_pause_and_resume() {
    let mut lua = state(&[
        |l| l.open_base(),
        |l| l.open_table(),
        |l| l.open_math(),
        redlet_lua::lib_string::open_string,
        redlet_lua::lib_cjson::open_cjson,
        redlet_lua::lib_cmsgpack::open_cmsgpack,
        redlet_lua::lib_bit::open_bit,
        redlet_lua::lib_struct::open_struct,
    ]);
    let got = transcript_with(&mut lua, include_str!("data/libs_redis_cases.txt"), b"@user_script", Some(3));
    compare(&got, include_bytes!("data/libs_redis_cases.expected"));
}
