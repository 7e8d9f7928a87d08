//! Random programs never panic the runtime: scripts generated from a small
//! grammar (every operator, metatables, closures, varargs, pcall, coroutines,
//! library calls with wrong arguments) run under an instruction budget and
//! a memory limit; any outcome is fine except a panic. Also malformed
//! hand-built prototypes are refused at load.

use std::sync::Arc;

use redlet_lua::api::{Host, Lua, Step};
use redlet_lua::proto::{self, OpCode, Proto};
use redlet_lua::value::Value;

/// Kills runs stuck in nested (unpausable) code, such as an endless loop
/// inside a coroutine or a comparator.
#[derive(Default)]
struct Killer {
    polls: u32,
}

impl Host for Killer {
    fn should_kill(&mut self) -> bool {
        self.polls += 1;
        self.polls > 100
    }
}

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const VARS: &[&str] = &["a", "b", "c", "t", "f", "s", "n", "co"];

fn expr(r: &mut Rng, depth: usize) -> String {
    if depth > 3 {
        return atom(r);
    }
    match r.below(14) {
        0 | 1 => atom(r),
        2 => format!("({} {} {})", expr(r, depth + 1), r.pick(&["+", "-", "*", "/", "%", "^", "..", "==", "~=", "<", "<=", ">", ">=", "and", "or"]), expr(r, depth + 1)),
        3 => format!("{}{}", r.pick(&["-", "not ", "#"]), expr(r, depth + 1)),
        4 => format!("{{{}, {}, x = {}}}", expr(r, depth + 1), expr(r, depth + 1), expr(r, depth + 1)),
        5 => format!("{}[{}]", r.pick(VARS), expr(r, depth + 1)),
        6 => format!("{}({})", r.pick(VARS), expr(r, depth + 1)),
        7 => format!("function(...) return {}, ... end", expr(r, depth + 1)),
        8 => format!("{}({}, {})", r.pick(&["pcall", "select", "rawget", "rawequal", "tostring", "tonumber", "type", "unpack", "next", "setmetatable", "getmetatable", "error", "assert"]), expr(r, depth + 1), expr(r, depth + 1)),
        9 => format!("{}({}, {})", r.pick(&["string.rep", "string.sub", "string.format", "string.find", "string.gsub", "table.concat", "table.insert", "table.remove", "table.sort", "math.max", "math.floor", "coroutine.resume", "coroutine.wrap", "coroutine.create"]), expr(r, depth + 1), expr(r, depth + 1)),
        10 => format!("{}.{}", r.pick(VARS), r.pick(&["x", "y", "__index", "n"])),
        11 => format!("{}:{}({})", r.pick(VARS), r.pick(&["x", "rep", "len", "upper", "sub"]), expr(r, depth + 1)),
        12 => "select('#', 1, nil)".into(),
        _ => format!("coroutine.wrap(function(...) coroutine.yield({}) return {} end)", expr(r, depth + 1), expr(r, depth + 1)),
    }
}

fn atom(r: &mut Rng) -> String {
    match r.below(10) {
        0 => "nil".into(),
        1 => r.pick(&["true", "false"]).into(),
        2 => format!("{}", r.below(20) as i64 - 5),
        3 => r.pick(&["0.5", "1e308", "-0", "0/0", "2^53", "1e-300", "3"]).into(),
        4 => format!("{:?}", r.pick(&["", "abc", "10", "0x1F", " 5 ", "%d", "a.b", "\\0"])),
        5 => "{}".into(),
        _ => r.pick(VARS).into(),
    }
}

fn stmt(r: &mut Rng, depth: usize) -> String {
    if depth > 2 {
        return format!("{} = {}", r.pick(VARS), expr(r, 0));
    }
    match r.below(12) {
        3 => format!("{}[{}] = {}", r.pick(VARS), expr(r, 1), expr(r, 1)),
        4 => format!("if {} then {} else {} end", expr(r, 1), stmt(r, depth + 1), stmt(r, depth + 1)),
        5 => format!("for i = {}, {} do {} end", r.below(3), r.below(30), stmt(r, depth + 1)),
        6 => format!("for k, v in pairs({}) do {} end", r.pick(&["t", "_G", "{1,2,3}", "s"]), stmt(r, depth + 1)),
        7 => format!("local ok, e = pcall(function(...) {} end)", stmt(r, depth + 1)),
        8 => format!("setmetatable(t, {{__index = {}, __add = {}, __call = {}, __concat = {}, __eq = {}, __lt = {}, __newindex = {}}})", expr(r, 1), expr(r, 1), expr(r, 1), expr(r, 1), expr(r, 1), expr(r, 1), expr(r, 1)),
        9 => format!("f = function(...) {} return {} end", stmt(r, depth + 1), expr(r, 1)),
        10 => format!("while {} do {} break end", expr(r, 1), stmt(r, depth + 1)),
        11 => format!("co = coroutine.create(function(...) {} coroutine.yield({}) {} end) coroutine.resume(co)", stmt(r, depth + 1), expr(r, 1), stmt(r, depth + 1)),
        _ => format!("{} = {}", r.pick(VARS), expr(r, 0)),
    }
}

fn program(r: &mut Rng) -> String {
    let mut p = String::from("local a, b, c, t, f, s, n, co = 1, 'x', nil, {}, print, 'str', 42, nil\n");
    for _ in 0..(2 + r.below(12)) {
        p.push_str(&stmt(r, 0));
        p.push('\n');
    }
    p
}

#[test]
fn random_programs_never_panic() {
    let seed = std::env::var("FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x9e37_79b9_7f4a_7c15u64);
    let iters = std::env::var("FUZZ_ITERS").ok().and_then(|s| s.parse().ok()).unwrap_or(3000usize);
    let mut r = Rng(seed);
    let mut ran = 0;
    for _ in 0..iters {
        let src = program(&mut r);
        let mut lua: Lua<Killer> = Lua::new();
        lua.open_base();
        lua.open_table();
        lua.open_math();
        redlet_lua::lib_string::open_string(&mut lua);
        lua.set_memory_limit(8 * 1024 * 1024);
        lua.set_kill_check_interval(1000);
        let mut host = Killer::default();
        let g = lua.globals();
        let k = lua.new_string(b"print");
        let _ = lua.raw_set(g, Value::String(k), Value::Nil);
        let f = match lua.load(src.as_bytes(), b"=fuzz") {
            Ok(f) => f,
            Err(e) => {
                if std::env::var("FUZZ_SHOW").is_ok() {
                    eprintln!("{}\n{}", String::from_utf8_lossy(&lua.error_bytes(&e)), src);
                }
                continue;
            }
        };
        ran += 1;
        if std::env::var("FUZZ_TRACE").is_ok() {
            std::fs::write("/tmp/fuzz-current.lua", &src).unwrap();
        }
        if lua.start(Value::Function(f), &[]).is_err() {
            continue;
        }
        for _ in 0..50 {
            match lua.resume(&mut host, 2000) {
                Ok(Step::Paused) => {}
                _ => break,
            }
        }
        lua.abort();
        lua.gc_collect();
    }
    assert!(ran > iters / 3, "only {ran} programs compiled");
}

fn base_proto(code: Vec<u32>) -> Proto {
    Proto {
        code: code.clone(),
        constants: vec![proto::Constant::String(Arc::from(&b"x"[..]))],
        protos: vec![],
        lineinfo: vec![1; code.len()],
        locvars: vec![],
        upvalue_names: vec![],
        source: Arc::from(&b"=hand"[..]),
        linedefined: 0,
        lastlinedefined: 0,
        nups: 0,
        numparams: 0,
        is_vararg: 2,
        maxstacksize: 2,
    }
}

#[test]
fn malformed_protos_are_refused() {
    let ret = proto::create_abc(OpCode::Return, 0, 1, 0);
    let bad: Vec<Vec<u32>> = vec![
        vec![],
        vec![proto::create_abc(OpCode::Move, 0, 1, 0)],
        vec![proto::create_abc(OpCode::Move, 200, 1, 0), ret],
        vec![proto::create_abx(OpCode::LoadK, 0, 5), ret],
        vec![proto::create_asbx(OpCode::Jmp, 0, 100), ret],
        vec![proto::create_abc(OpCode::GetUpval, 0, 3, 0), ret],
        vec![proto::create_abx(OpCode::Closure, 0, 0), ret],
        vec![proto::create_abc(OpCode::Call, 1, 5, 1), ret],
        vec![63, ret],
        vec![proto::create_abc(OpCode::Eq, 0, 0, 0), ret],
        vec![proto::create_abc(OpCode::Add, 0, 256 + 9, 0), ret],
    ];
    for code in bad {
        let mut lua: Lua<()> = Lua::new();
        let p = Arc::new(base_proto(code.clone()));
        assert!(lua.load_proto(p).is_err(), "{code:?} accepted");
    }
    // A good one runs.
    let mut lua: Lua<()> = Lua::new();
    let code = vec![proto::create_abx(OpCode::LoadK, 0, 0), proto::create_abc(OpCode::Return, 0, 2, 0)];
    let f = lua.load_proto(Arc::new(base_proto(code))).unwrap();
    let r = lua.call(&mut (), Value::Function(f), &[]).unwrap();
    assert_eq!(lua.tostring(r[0]), b"x");
}
