//! A single script for profiling (`perf record` on this test binary). Ignored.
use redlet_lua::api::Lua;
use redlet_lua::value::Value;

#[test]
#[ignore]
fn profile_script() {
    let src = std::env::var("LUA_PROFILE_SRC").unwrap_or_else(|_| "local s = 0 for i = 1, 30000000 do s = s + i end".into());
    let mut lua: Lua<()> = Lua::new();
    lua.open_base();
    lua.open_table();
    redlet_lua::lib_string::open_string(&mut lua);
    let f = lua.load(src.as_bytes(), b"=profile").unwrap();
    lua.call(&mut (), Value::Function(f), &[]).unwrap();
}
