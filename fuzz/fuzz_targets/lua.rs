//! cargo-fuzz target: the Lua interpreter (`redlet-lua`) on arbitrary
//! source text. The compiler must refuse or compile it (a compiled chunk is
//! also listed and dumped); a compiled chunk then runs with the libraries
//! Redis loads, under an instruction budget and a memory limit, with a host
//! that kills runs stuck in unpausable nested code. Any outcome but a
//! panic, a stack overflow or a hang is fine. The smoke runs of the same
//! paths are `lua/tests/frontend_fuzz.rs` and `lua/tests/runtime_fuzz.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use redlet_lua::api::{Host, Lua, Step};
use redlet_lua::value::Value;

/// Ends runs stuck in nested code (a comparator, a coroutine) after a
/// bounded number of polls.
#[derive(Default)]
struct Killer {
    polls: u32,
}

impl Host for Killer {
    fn should_kill(&mut self) -> bool {
        self.polls += 1;
        self.polls > 50
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(p) = redlet_lua::parse::compile(data, b"@fuzz") else { return };
    let _ = redlet_lua::listing::listing(&p, true);
    let _ = redlet_lua::proto::dump(&p, false);
    let mut lua: Lua<Killer> = Lua::new();
    lua.open_base();
    lua.open_table();
    lua.open_math();
    redlet_lua::lib_string::open_string(&mut lua);
    redlet_lua::lib_cjson::open_cjson(&mut lua);
    redlet_lua::lib_cmsgpack::open_cmsgpack(&mut lua);
    redlet_lua::lib_bit::open_bit(&mut lua);
    redlet_lua::lib_struct::open_struct(&mut lua);
    lua.set_memory_limit(64 << 20);
    let Ok(f) = lua.load_proto(p) else { return };
    let mut host = Killer::default();
    if lua.start(Value::Function(f), &[]).is_err() {
        return;
    }
    // 50 slices of 20,000 instructions, then give up.
    for _ in 0..50 {
        match lua.resume(&mut host, 20_000) {
            Ok(Step::Paused) => continue,
            _ => return,
        }
    }
    lua.abort();
});
