//! cmsgpack.unpack against redis-server 7.0.15: `tests/data/libs_msgpack_vectors.tsv`
//! holds 2500 random MessagePack streams (every format, nested, truncated and
//! mutated) with what Redis's Lua returned for `cmsgpack.unpack(x)` and
//! `cmsgpack.unpack_limit(x, 2, 1)`, each value serialised by a Lua function
//! (pairs order, `%.17g` numbers, hex strings). The same Lua serialiser, taken
//! from `libs_msgpack_vectors.py`, runs here on redlet-lua.

use redlet_lua::api::Lua;
use redlet_lua::value::Value;

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len() / 2).map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap()).collect()
}

#[test]
fn unpack_vectors_match_redis() {
    let py = include_str!("data/libs_msgpack_vectors.py");
    let start = py.find("SERIALISE = r\"\"\"").unwrap() + "SERIALISE = r\"\"\"".len();
    let end = start + py[start..].find("\"\"\"").unwrap();
    let src = format!(
        "{}\nreturn function(doc) return all(pcall(cmsgpack.unpack, doc)), all(pcall(cmsgpack.unpack_limit, doc, 2, 1)) end",
        &py[start..end]
    );
    let mut lua: Lua<()> = Lua::new();
    lua.open_base();
    lua.open_table();
    redlet_lua::lib_string::open_string(&mut lua);
    redlet_lua::lib_cmsgpack::open_cmsgpack(&mut lua);
    let chunk = lua.load(src.as_bytes(), b"=serialise").unwrap();
    let f = lua.call(&mut (), Value::Function(chunk), &[]).unwrap()[0];
    let mut failures = Vec::new();
    for line in include_str!("data/libs_msgpack_vectors.tsv").lines() {
        let cols: Vec<&str> = line.split('\t').collect();
        assert_eq!(cols.len(), 3, "bad line {line:?}");
        let doc = Value::String(lua.new_string(&unhex(cols[0])));
        let r = lua.call(&mut (), f, &[doc]).unwrap();
        let text = |lua: &Lua<()>, v: Value| match v {
            Value::String(s) => String::from_utf8_lossy(lua.str_bytes(s)).into_owned(),
            other => format!("{other:?}"),
        };
        let (a, b) = (text(&lua, r[0]), text(&lua, r[1]));
        if a != cols[1] || b != cols[2] {
            failures.push(format!("{}\n  want {}\n       {}\n  got  {a}\n       {b}", cols[0], cols[1], cols[2]));
        }
    }
    assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
}
