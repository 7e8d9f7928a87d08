//! Speed against the real interpreter: each script runs through our runtime
//! (in this process) and through `lua5.1` (a child process, timed around
//! the whole run), and the ratio is printed. Ignored by default; run with
//! `cargo test --release -p redlet-lua --test runtime_bench -- --ignored --nocapture`.

use std::process::Command;
use std::time::Instant;

use redlet_lua::api::{Host, Lua};
use redlet_lua::value::Value;

#[derive(Default)]
struct Collect {
    out: Vec<u8>,
}

impl Host for Collect {
    fn write_out(&mut self, bytes: &[u8]) {
        self.out.extend_from_slice(bytes);
    }
}

const SCRIPTS: &[(&str, &str)] = &[
    ("add 10M", "local s = 0 for i = 1, 10000000 do s = s + i end print(s)"),
    ("fib(30)", "local function fib(n) if n < 2 then return n end return fib(n-1) + fib(n-2) end print(fib(30))"),
    (
        "string building",
        "local t = {} for i = 1, 200000 do t[#t+1] = 'x' .. i end local s = table.concat(t) \
         local u = '' for i = 1, 20000 do u = u .. 'ab' end print(#s, #u)",
    ),
    (
        "tables",
        "local t = {} for i = 1, 1000000 do t[i] = i end local s = 0 for i = 1, #t do s = s + t[i] end \
         local h = {} for i = 1, 200000 do h['k' .. i] = i end local c = 0 \
         for k, v in pairs(h) do c = c + v end print(s, c)",
    ),
    (
        "method calls",
        "local P = {} P.__index = P function P.new(x) return setmetatable({x = x}, P) end \
         function P:get() return self.x end local p = P.new(3) local s = 0 \
         for i = 1, 2000000 do s = s + p:get() end print(s)",
    ),
];

#[test]
#[ignore]
fn speed_versus_lua51() {
    for (name, src) in SCRIPTS {
        let mut lua: Lua<Collect> = Lua::new_lua51();
        lua.open_base();
        lua.open_table();
        lua.open_math();
        redlet_lua::lib_string::open_string(&mut lua);
        let mut host = Collect::default();
        let t0 = Instant::now();
        let f = lua.load(src.as_bytes(), b"=bench").unwrap();
        lua.call(&mut host, Value::Function(f), &[]).unwrap();
        let ours = t0.elapsed().as_secs_f64();
        let t1 = Instant::now();
        let real = Command::new("lua5.1").arg("-e").arg(src).output();
        let theirs = t1.elapsed().as_secs_f64();
        match real {
            Ok(out) => {
                assert_eq!(out.stdout, host.out, "{name}: outputs differ");
                println!("{name:16} ours {ours:.3}s  lua5.1 {theirs:.3}s  speed ratio {:.2}x", theirs / ours);
            }
            Err(_) => println!("{name:16} ours {ours:.3}s  (lua5.1 not installed)"),
        }
    }
}
