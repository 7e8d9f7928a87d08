//! cjson and cmsgpack against redis-server 7.0.15: `tests/data/libs_json_vectors.tsv`
//! holds 2500 random JSON texts (valid, mutated, odd numbers, escapes,
//! nesting) with what Redis's Lua gave for `cjson.encode(cjson.decode(x))`
//! and `cmsgpack.pack(cjson.decode(x))`: re-encoding shows the key order of
//! decoded objects, so this also checks the table layout behind `next`.
//! Regenerate with `libs_json_vectors.py`.

use redlet_lua::api::Lua;
use redlet_lua::value::Value;

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap()).collect()
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|c| format!("{c:02x}")).collect()
}

fn field(lua: &mut Lua<()>, t: Value, name: &[u8]) -> Value {
    let Value::Table(t) = t else { panic!("not a table") };
    let k = lua.new_string(name);
    lua.raw_get(t, Value::String(k))
}

fn run(lua: &mut Lua<()>, f: Value, arg: Value) -> Result<Value, String> {
    match lua.call(&mut (), f, &[arg]) {
        Ok(v) => Ok(v[0]),
        Err(e) => Err(format!("err {}", String::from_utf8_lossy(&lua.error_bytes(&e)))),
    }
}

#[test]
fn json_round_trips_match_redis() {
    let mut lua: Lua<()> = Lua::new();
    redlet_lua::lib_cjson::open_cjson(&mut lua);
    redlet_lua::lib_cmsgpack::open_cmsgpack(&mut lua);
    let g = Value::Table(lua.globals());
    let cjson = field(&mut lua, g, b"cjson");
    let cmsgpack = field(&mut lua, g, b"cmsgpack");
    let (decode, encode) = (field(&mut lua, cjson, b"decode"), field(&mut lua, cjson, b"encode"));
    let pack = field(&mut lua, cmsgpack, b"pack");
    let mut failures = Vec::new();
    for line in include_str!("data/libs_json_vectors.tsv").lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 3, "bad line {line:?}");
        let doc = Value::String(lua.new_string(&unhex(cols[0])));
        let (a, b) = match run(&mut lua, decode, doc) {
            Err(e) => (e.clone(), e),
            Ok(v) => {
                let text = |lua: &mut Lua<()>, r: Result<Value, String>| match r {
                    Ok(Value::String(s)) => hex(lua.str_bytes(s)),
                    Ok(other) => format!("{other:?}"),
                    Err(e) => e,
                };
                let a = run(&mut lua, encode, v);
                let a = text(&mut lua, a);
                let b = run(&mut lua, pack, v);
                let b = text(&mut lua, b);
                (a, b)
            }
        };
        if a != cols[1] || b != cols[2] {
            failures.push(format!("{}\n  got {a}\n      {b}", String::from_utf8_lossy(&unhex(cols[0]))));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
