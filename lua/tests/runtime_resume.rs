//! Pause/resume equivalence, collector stress and limits: every corpus
//! script gives the same output when run in slices of a few instructions
//! (`start`/`resume`), when the collector runs at every safe point, and a
//! memory limit or a kill request ends a run cleanly and leaves the state
//! usable.

use std::path::Path;

use redlet_lua::api::{Host, Lua, Step};
use redlet_lua::value::{LuaError, Value};

#[derive(Default)]
struct Collect {
    out: Vec<u8>,
    kill_after: Option<u32>,
    polls: u32,
}

impl Host for Collect {
    fn write_out(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
    }
    fn should_kill(&mut self) -> bool {
        self.polls += 1;
        matches!(self.kill_after, Some(n) if self.polls > n)
    }
}

fn new_state() -> Lua<Collect> {
    let mut lua: Lua<Collect> = Lua::new_lua51();
    lua.open_base();
    lua.open_table();
    lua.open_math();
    lua.open_debug();
    redlet_lua::lib_string::open_string(&mut lua);
    lua
}

fn corpus() -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/runtime_corpus");
    let mut v: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".lua"))
        .map(|n| {
            let src = std::fs::read(dir.join(&n)).unwrap();
            (n, src)
        })
        .collect();
    v.sort();
    v
}

fn chunkname(name: &str) -> Vec<u8> {
    let mut c = b"@".to_vec();
    c.extend_from_slice(name.as_bytes());
    c
}

/// Output of a whole run with `call`.
fn run_call(name: &str, src: &[u8], gc_step: usize) -> Vec<u8> {
    let mut lua = new_state();
    if gc_step != 0 {
        lua.set_gc_step(gc_step);
    }
    let mut host = Collect::default();
    let f = lua.load(src, &chunkname(name)).unwrap();
    let _ = lua.call(&mut host, Value::Function(f), &[]);
    host.out
}

/// Output of a run in slices of `budget` instructions; also returns how many
/// pauses happened.
fn run_sliced(name: &str, src: &[u8], budget: u64) -> (Vec<u8>, u64) {
    let mut lua = new_state();
    let mut host = Collect::default();
    let f = lua.load(src, &chunkname(name)).unwrap();
    lua.start(Value::Function(f), &[]).unwrap();
    let mut pauses = 0;
    while let Ok(Step::Paused) = lua.resume(&mut host, budget) {
        pauses += 1;
    }
    (host.out, pauses)
}

#[test]
fn sliced_runs_match_whole_runs() {
    for (name, src) in corpus() {
        let whole = run_call(&name, &src, 0);
        for budget in [1u64, 3, 17, 1000] {
            let (sliced, pauses) = run_sliced(&name, &src, budget);
            assert_eq!(
                String::from_utf8_lossy(&sliced),
                String::from_utf8_lossy(&whole),
                "{name} with budget {budget}"
            );
            if budget == 1 {
                assert!(pauses > 10, "{name}: only {pauses} pauses");
            }
        }
    }
}

#[test]
fn collector_stress_keeps_output() {
    for (name, src) in corpus() {
        if name == "recursion.lua" {
            continue; // deep stacks: a collection per safe point is too slow
        }
        let whole = run_call(&name, &src, 0);
        let stressed = run_call(&name, &src, 1);
        assert_eq!(String::from_utf8_lossy(&stressed), String::from_utf8_lossy(&whole), "{name} under GC stress");
    }
}

#[test]
fn pause_inside_pcall_and_results() {
    let mut lua = new_state();
    let mut host = Collect::default();
    let src = b"local ok, v = pcall(function() local s = 0 for i = 1, 1000 do s = s + i end return s end) return ok, v, 'x'";
    let f = lua.load(src, b"=t").unwrap();
    lua.start(Value::Function(f), &[]).unwrap();
    let mut pauses = 0;
    let res = loop {
        match lua.resume(&mut host, 10).unwrap() {
            Step::Paused => pauses += 1,
            Step::Done(v) => break v,
        }
    };
    assert!(pauses > 100);
    assert_eq!(res.len(), 3);
    assert_eq!(res[0], Value::Boolean(true));
    assert_eq!(res[1], Value::Number(500500.0));
    assert_eq!(lua.tostring(res[2]), b"x");
    assert!(!lua.is_paused());
}

#[test]
fn abort_drops_a_paused_run() {
    let mut lua = new_state();
    let mut host = Collect::default();
    let f = lua.load(b"local t = {} while true do t[#t % 10 + 1] = {} end", b"=loop").unwrap();
    lua.start(Value::Function(f), &[]).unwrap();
    assert_eq!(lua.resume(&mut host, 10_000).unwrap(), Step::Paused);
    lua.abort();
    assert!(!lua.is_paused());
    let g = lua.load(b"return 1 + 1", b"=after").unwrap();
    assert_eq!(lua.call(&mut host, Value::Function(g), &[]).unwrap(), vec![Value::Number(2.0)]);
}

#[test]
fn memory_limit_ends_the_run() {
    let mut lua = new_state();
    lua.set_memory_limit(2 * 1024 * 1024);
    let mut host = Collect::default();
    let f = lua.load(b"local t = {} for i = 1, 1e9 do t[i] = tostring(i) .. 'xxxxxxxx' end", b"=hog").unwrap();
    let r = lua.call(&mut host, Value::Function(f), &[]);
    assert_eq!(r, Err(LuaError::Memory));
    // pcall does not catch it either.
    let f = lua.load(b"return pcall(function() local t = {} for i = 1, 1e9 do t[i] = {} end end)", b"=hog2").unwrap();
    assert_eq!(lua.call(&mut host, Value::Function(f), &[]), Err(LuaError::Memory));
    lua.gc_collect();
    assert!(lua.memory_used() < 2 * 1024 * 1024);
    let g = lua.load(b"local t = {} for i = 1, 100 do t[i] = i end return #t", b"=small").unwrap();
    assert_eq!(lua.call(&mut host, Value::Function(g), &[]).unwrap(), vec![Value::Number(100.0)]);
}

#[test]
fn kill_stops_nested_and_plain_runs() {
    let mut lua = new_state();
    lua.set_kill_check_interval(1000);
    let mut host = Collect { kill_after: Some(3), ..Default::default() };
    let f = lua.load(b"while true do end", b"=spin").unwrap();
    assert_eq!(lua.call(&mut host, Value::Function(f), &[]), Err(LuaError::Killed));
    // Inside a native's callback (table.sort's comparator), with pcall around.
    let mut host = Collect { kill_after: Some(3), ..Default::default() };
    let f = lua
        .load(b"return pcall(table.sort, {3, 2, 1}, function(a, b) while true do end end)", b"=spin2")
        .unwrap();
    assert_eq!(lua.call(&mut host, Value::Function(f), &[]), Err(LuaError::Killed));
    let g = lua.load(b"return 'alive'", b"=after").unwrap();
    let r = lua.call(&mut host, Value::Function(g), &[]).unwrap();
    assert_eq!(lua.tostring(r[0]), b"alive");
}

#[test]
fn unpausable_native_callbacks_still_count() {
    // A resumable run whose work happens inside a comparator: it cannot pause
    // there, but it pauses soon after the native returns.
    let mut lua = new_state();
    lua.set_kill_check_interval(100);
    let mut host = Collect::default();
    let f = lua
        .load(b"local t = {} for i = 1, 200 do t[i] = (i * 7) % 200 end table.sort(t, function(a, b) return a < b end) return t[1], t[200]", b"=s")
        .unwrap();
    lua.start(Value::Function(f), &[]).unwrap();
    let mut pauses = 0;
    let res = loop {
        match lua.resume(&mut host, 50).unwrap() {
            Step::Paused => pauses += 1,
            Step::Done(v) => break v,
        }
    };
    assert!(pauses > 5);
    assert_eq!(res, vec![Value::Number(0.0), Value::Number(199.0)]);
}

#[test]
fn garbage_is_collected() {
    let mut lua = new_state();
    let mut host = Collect::default();
    let f = lua
        .load(b"for i = 1, 200000 do local t = {i, tostring(i), function() return i end} end collectgarbage() return collectgarbage('count')", b"=g")
        .unwrap();
    let r = lua.call(&mut host, Value::Function(f), &[]).unwrap();
    let kb = match r[0] {
        Value::Number(n) => n,
        _ => panic!(),
    };
    assert!(kb < 1024.0, "{kb} KB in use after collecting");
    lua.gc_collect();
    assert!(lua.memory_used() < 1024 * 1024);
}

#[test]
fn loading_many_chunks_does_not_leak_accounting() {
    let mut lua = new_state();
    lua.set_memory_limit(4 * 1024 * 1024);
    let mut host = Collect::default();
    for i in 0..3000 {
        let src = format!("local t = {{}} for j = 1, 10 do t[j] = '{i}' .. j end return #t + {i}");
        let f = lua.load(src.as_bytes(), b"=chunk").unwrap();
        let r = lua.call(&mut host, Value::Function(f), &[]).unwrap();
        assert_eq!(r, vec![Value::Number(10.0 + i as f64)]);
    }
    lua.gc_collect();
    assert!(lua.memory_used() < 512 * 1024, "{} bytes after collecting", lua.memory_used());
}

#[test]
fn runs_pause_inside_coroutines() {
    let mut lua = new_state();
    let mut host = Collect::default();
    let src = b"local co = coroutine.wrap(function(n) local s = 0 for i = 1, n do s = s + i end coroutine.yield(s) return 'end' end) return co(1000), co()";
    let f = lua.load(src, b"=co").unwrap();
    lua.start(Value::Function(f), &[]).unwrap();
    let mut pauses = 0;
    let res = loop {
        match lua.resume(&mut host, 7).unwrap() {
            Step::Paused => pauses += 1,
            Step::Done(v) => break v,
        }
    };
    assert!(pauses > 200, "{pauses} pauses");
    assert_eq!(res[0], Value::Number(500500.0));
    assert_eq!(lua.tostring(res[1]), b"end");
    // An endless loop inside a coroutine pauses too, and abort leaves it.
    let f = lua.load(b"coroutine.wrap(function() while true do end end)()", b"=spin").unwrap();
    lua.start(Value::Function(f), &[]).unwrap();
    for _ in 0..10 {
        assert_eq!(lua.resume(&mut host, 1000).unwrap(), Step::Paused);
    }
    lua.abort();
    let g = lua.load(b"return coroutine.running(), 1", b"=after").unwrap();
    assert_eq!(lua.call(&mut host, Value::Function(g), &[]).unwrap(), vec![Value::Nil, Value::Number(1.0)]);
}

#[test]
fn stack_shrinks_after_deep_recursion() {
    let mut lua = new_state();
    let mut host = Collect::default();
    let f = lua.load(b"local function r(n) if n == 0 then return 0 end return 1 + r(n - 1) end return r(15000)", b"=deep").unwrap();
    assert_eq!(lua.call(&mut host, Value::Function(f), &[]).unwrap(), vec![Value::Number(15000.0)]);
    let before = lua.memory_used();
    lua.gc_collect();
    let after = lua.memory_used();
    assert!(after < before / 2, "{before} -> {after}");
    let g = lua.load(b"local function r(n) if n == 0 then return 0 end return 1 + r(n - 1) end return r(100)", b"=again").unwrap();
    assert_eq!(lua.call(&mut host, Value::Function(g), &[]).unwrap(), vec![Value::Number(100.0)]);
}

#[test]
fn big_strings_stop_at_the_limit() {
    let mut lua = new_state();
    lua.set_memory_limit(8 * 1024 * 1024);
    let mut host = Collect::default();
    let f = lua.load(b"local s = 'xxxxxxxxxxxxxxxx' while true do s = s .. s end", b"=dbl").unwrap();
    assert_eq!(lua.call(&mut host, Value::Function(f), &[]), Err(LuaError::Memory));
    let f = lua
        .load(b"local t = {} for i = 1, 1000 do t[i] = 'a' end return #table.concat(t, string.rep('-', 100000))", b"=cat")
        .unwrap();
    assert_eq!(lua.call(&mut host, Value::Function(f), &[]), Err(LuaError::Memory));
    lua.gc_collect();
    assert!(lua.memory_used() < 1024 * 1024);
}

#[test]
fn readonly_tables_refuse_writes() {
    let mut lua = new_state();
    let mut host = Collect::default();
    let g = lua.globals();
    let t = lua.new_table(0, 0);
    let k = lua.new_string(b"ro");
    lua.raw_set(g, Value::String(k), Value::Table(t)).unwrap();
    lua.raw_set_int(t, 1, Value::Number(1.0)).unwrap();
    lua.set_readonly(t, true);
    let src = b"local r = {} \
        r[1] = select(2, pcall(function() ro.x = 1 end)) \
        r[2] = select(2, pcall(rawset, ro, 'x', 1)) \
        r[3] = select(2, pcall(table.insert, ro, 2)) \
        r[4] = select(2, pcall(setmetatable, ro, {})) \
        r[5] = tostring(ro[1]) \
        return table.concat(r, '|')";
    let f = lua.load(src, b"@user_script").unwrap();
    let r = lua.call(&mut host, Value::Function(f), &[]).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&lua.tostring(r[0])),
        "user_script:1: Attempt to modify a readonly table|Attempt to modify a readonly table|\
         Attempt to modify a readonly table|Attempt to modify a readonly table|1"
    );
}

#[test]
fn pcall_filter_applies_to_pcall_only() {
    fn unwrap_err(lua: &mut Lua<Collect>, v: Value) -> Value {
        if let Value::Table(t) = v {
            let k = lua.new_string(b"err");
            let e = lua.raw_get(t, Value::String(k));
            if !e.is_nil() {
                return e;
            }
        }
        v
    }
    let mut lua = new_state();
    lua.set_pcall_filter(Some(unwrap_err));
    let mut host = Collect::default();
    let f = lua
        .load(b"local a = select(2, pcall(error, {err = 'E1'})) local b = select(2, xpcall(function() error({err = 'E2'}) end, function(e) return e end)) return a, type(b)", b"=f")
        .unwrap();
    let r = lua.call(&mut host, Value::Function(f), &[]).unwrap();
    assert_eq!(lua.tostring(r[0]), b"E1");
    assert_eq!(lua.tostring(r[1]), b"table");
}

#[test]
fn error_position_records_the_innermost_lua_frame() {
    let mut lua = new_state();
    let mut host = Collect::default();
    let f = lua.load(b"local function g()\n  error({code = 1})\nend\ng()\n", b"@user_script").unwrap();
    assert!(lua.call(&mut host, Value::Function(f), &[]).is_err());
    assert_eq!(lua.error_position(), Some((b"@user_script".to_vec(), 2)));
    // Inside a coroutine wrap, the error surfaces in the resumer.
    let f = lua.load(b"local w = coroutine.wrap(function()\n error('x')\n end)\n\nw()\n", b"@co").unwrap();
    assert!(lua.call(&mut host, Value::Function(f), &[]).is_err());
    assert_eq!(lua.error_position(), Some((b"@co".to_vec(), 5)));
}

const STACK: usize = 1024 * 1024;

#[test]
fn deepest_nesting_fits_in_a_small_rust_stack() {
    // 200 levels of metamethods and native callbacks (the C-stack limit)
    // must fit in a 1 MiB Rust stack (wasm32's default).
    let t = std::thread::Builder::new()
        .stack_size(STACK)
        .spawn(|| {
            let mut lua = new_state();
            let mut host = Collect::default();
            let src = b"local mt = {} mt.__index = function(t, k) if k <= 0 then return 0 end return t[k - 1] + 1 end \
                local m = setmetatable({}, mt) \
                local ok1, e1 = pcall(function() return m[1000] end) \
                local function srt(n) if n == 0 then return 0 end local r = 0 table.sort({2, 1}, function(a, b) r = srt(n - 1) return a < b end) return r + 1 end \
                local ok2, e2 = pcall(srt, 1000) \
                local ok3, v3 = pcall(function() return m[150] end) \
                return tostring(ok1) .. ' ' .. tostring(e1) .. ' | ' .. tostring(ok2) .. ' ' .. tostring(e2) .. ' | ' .. tostring(v3)";
            let f = lua.load(src, b"=deep").unwrap();
            let r = lua.call(&mut host, Value::Function(f), &[]).unwrap();
            String::from_utf8_lossy(&lua.tostring(r[0])).into_owned()
        })
        .unwrap();
    let out = t.join().unwrap();
    // As lua5.1: the sort callback overflows inside the native (no position).
    assert_eq!(out, "false deep:1: C stack overflow | false C stack overflow | 150");
}

#[test]
fn stack_growth_respects_the_memory_limit() {
    let mut lua = new_state();
    lua.set_memory_limit(4 * 1024 * 1024);
    let mut host = Collect::default();
    let f = lua
        .load(b"local t = {} for i = 1, 7000 do t[i] = i end local function f(...) local x = f(...) return x end return f(unpack(t))", b"=deepargs")
        .unwrap();
    assert_eq!(lua.call(&mut host, Value::Function(f), &[]), Err(LuaError::Memory));
    lua.gc_collect();
    assert!(lua.memory_used() < 4 * 1024 * 1024);
    let g = lua.load(b"return 1", b"=ok").unwrap();
    assert_eq!(lua.call(&mut host, Value::Function(g), &[]).unwrap(), vec![Value::Number(1.0)]);
}

#[test]
fn table_growth_respects_the_memory_limit() {
    let mut lua = new_state();
    lua.set_memory_limit(16 * 1024 * 1024);
    let mut host = Collect::default();
    let f = lua.load(b"local t = {} local i = 0 while true do i = i + 1 t['k' .. i] = true end", b"=grow").unwrap();
    assert_eq!(lua.call(&mut host, Value::Function(f), &[]), Err(LuaError::Memory));
    let f = lua.load(b"local t = {} local i = 0 while true do i = i + 1 t[i] = i end", b"=grow2").unwrap();
    assert_eq!(lua.call(&mut host, Value::Function(f), &[]), Err(LuaError::Memory));
    lua.gc_collect();
    assert!(lua.memory_used() < 1024 * 1024);
}
