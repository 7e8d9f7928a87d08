//! String commands through `execute`, replies checked byte for byte against
//! Redis 7.0.15, plus typed-API agreement.
mod common;
use common::*;

use redlet::cmd::strings::{GetExExpiry, LcsMatch, LcsMode, LcsOptions, LcsResult, SetOptions};
use redlet::types::{List, Value};
use redlet::{Config, Engine, Error, Protocol};

/// Stores a one-element list under `key` (the list commands live in another
/// family; WRONGTYPE checks only need a non-string value).
fn put_list(e: &mut Engine, key: &[u8]) {
    e.with_ctx(0, |cx| {
        let now = cx.now;
        let l: List = [b"a".to_vec()].into_iter().collect();
        cx.db().set(key, Value::List(Box::new(l)), false, now);
        Ok(())
    })
    .unwrap();
}

/// `OBJECT ENCODING key` as the keyspace holds it.
fn encoding(e: &Engine, key: &str) -> &'static str {
    e.db(0).unwrap().iter().find(|x| &*x.key == key.as_bytes()).map_or("-", |x| x.value.encoding())
}

/// Absolute expiry (ms) of `key`, if it has one.
fn expire_of(e: &Engine, key: &str) -> Option<u64> {
    e.db(0).unwrap().iter().find(|x| &*x.key == key.as_bytes()).and_then(|x| x.expire())
}

/// Runs raw argv (for arguments with spaces or empty strings).
fn resp_argv(e: &mut Engine, c: redlet::ClientId, a: &[&[u8]]) -> String {
    String::from_utf8_lossy(&run_argv(e, c, a).unwrap().to_resp(Protocol::Resp2)).into_owned()
}

const WRONGTYPE: &str = "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n";
const NOT_INT: &str = "-ERR value is not an integer or out of range\r\n";
const NOT_FLOAT: &str = "-ERR value is not a valid float\r\n";
const SYNTAX: &str = "-ERR syntax error\r\n";
const TOO_BIG: &str = "-ERR string exceeds maximum allowed size (proto-max-bulk-len)\r\n";

#[test]
fn set_get_roundtrip_and_options() {
    let (mut e, clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "SET k v"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "GET k"), "$1\r\nv\r\n");
    assert_eq!(resp(&mut e, c, "SET k w NX"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "SET k w XX GET"), "$1\r\nv\r\n");
    assert_eq!(resp(&mut e, c, "SET k w NX XX"), SYNTAX);
    assert_eq!(resp(&mut e, c, "SET k w EX 0"), "-ERR invalid expire time in 'set' command\r\n");
    assert_eq!(resp(&mut e, c, "SET k w PX 100"), "+OK\r\n");
    clock.advance_ms(100);
    assert_eq!(resp(&mut e, c, "GET k"), "$1\r\nw\r\n", "alive through its expiry ms (now > when expires)");
    clock.advance_ms(1);
    assert_eq!(resp(&mut e, c, "GET k"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "GET"), "-ERR wrong number of arguments for 'get' command\r\n");
    assert_eq!(resp(&mut e, c, "NOPE a b"), "-ERR unknown command 'NOPE', with args beginning with: 'a' 'b' \r\n");
}

#[test]
fn setnx() {
    let (mut e, clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "SETNX k v"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "SETNX k w"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "GET k"), "$1\r\nv\r\n");
    assert_eq!(resp(&mut e, c, "SETNX k"), "-ERR wrong number of arguments for 'setnx' command\r\n");
    // An existing key keeps its TTL; an expired one counts as absent.
    assert_eq!(resp(&mut e, c, "SET t v PX 100"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "SETNX t y"), ":0\r\n");
    assert_eq!(expire_of(&e, "t"), Some(1_000_100));
    clock.advance_ms(101);
    assert_eq!(resp(&mut e, c, "SETNX t y"), ":1\r\n");
    assert_eq!(expire_of(&e, "t"), None);
    put_list(&mut e, b"l");
    assert_eq!(resp(&mut e, c, "SETNX l v"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "SETNX n 12"), ":1\r\n");
    assert_eq!(encoding(&e, "n"), "int");
}

#[test]
fn setex_psetex() {
    let (mut e, clock) = engine();
    let c = client(&mut e);
    for bad in ["0", "-1", "9223372036854775", "9223372036854776"] {
        assert_eq!(resp(&mut e, c, &format!("SETEX k {} v", bad)), "-ERR invalid expire time in 'setex' command\r\n", "{}", bad);
    }
    assert_eq!(resp(&mut e, c, "SETEX k abc v"), NOT_INT);
    for bad in ["0", "-5", "9223372036854775807", "9223372036854775000"] {
        assert_eq!(resp(&mut e, c, &format!("PSETEX k {} v", bad)), "-ERR invalid expire time in 'psetex' command\r\n", "{}", bad);
    }
    assert_eq!(resp(&mut e, c, "GET k"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "SETEX k 10 v"), "+OK\r\n");
    assert_eq!(expire_of(&e, "k"), Some(1_010_000));
    assert_eq!(resp(&mut e, c, "PSETEX k 1500 w"), "+OK\r\n");
    assert_eq!(expire_of(&e, "k"), Some(1_001_500));
    clock.advance_ms(1500);
    assert_eq!(resp(&mut e, c, "GET k"), "$1\r\nw\r\n");
    clock.advance_ms(1);
    assert_eq!(resp(&mut e, c, "GET k"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "SETEX k 10 v extra"), "-ERR wrong number of arguments for 'setex' command\r\n");
    // SETEX overwrites any type.
    put_list(&mut e, b"l");
    assert_eq!(resp(&mut e, c, "SETEX l 10 v"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "GET l"), "$1\r\nv\r\n");
}

#[test]
fn mget_mset_msetnx() {
    let (mut e, clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "MSET a"), "-ERR wrong number of arguments for 'mset' command\r\n");
    assert_eq!(resp(&mut e, c, "MSET a 1 b"), "-ERR wrong number of arguments for 'mset' command\r\n");
    assert_eq!(resp(&mut e, c, "MSET a 1 b 2"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "MGET a b nokey"), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$-1\r\n");
    assert_eq!(resp(&mut e, c, "MGET"), "-ERR wrong number of arguments for 'mget' command\r\n");
    assert_eq!(resp(&mut e, c, "MSETNX a 1 c 3"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "GET c"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "MSETNX c 3 d 4"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "MSETNX x 1 x 2"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "GET x"), "$1\r\n2\r\n");
    assert_eq!(resp(&mut e, c, "MSETNX a"), "-ERR wrong number of arguments for 'msetnx' command\r\n");
    assert_eq!(resp(&mut e, c, "MSETNX e 1 f"), "-ERR wrong number of arguments for 'msetnx' command\r\n");
    assert_eq!(resp(&mut e, c, "MSETNX"), "-ERR wrong number of arguments for 'msetnx' command\r\n");
    // MGET answers nil for other types; MSETNX sees them as existing; MSET overwrites them.
    put_list(&mut e, b"l");
    assert_eq!(resp(&mut e, c, "MGET a l"), "*2\r\n$1\r\n1\r\n$-1\r\n");
    assert_eq!(resp(&mut e, c, "MSETNX l 1"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "MSET l 1"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "GET l"), "$1\r\n1\r\n");
    // MSET clears TTLs; MSETNX treats expired keys as absent.
    assert_eq!(resp(&mut e, c, "SET t v EX 100"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "MSET t x"), "+OK\r\n");
    assert_eq!(expire_of(&e, "t"), None);
    assert_eq!(resp(&mut e, c, "SET t v PX 10"), "+OK\r\n");
    clock.advance_ms(11);
    assert_eq!(resp(&mut e, c, "MSETNX t new"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "MGET t"), "*1\r\n$3\r\nnew\r\n");
    let r = run(&mut e, c, "MGET a nokey");
    assert_eq!(r.to_resp(Protocol::Resp3), b"*2\r\n$1\r\n1\r\n_\r\n".to_vec());
}

#[test]
fn getset_getdel() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "GETSET k 1"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "GETSET k 5"), "$1\r\n1\r\n");
    assert_eq!(encoding(&e, "k"), "int");
    assert_eq!(resp(&mut e, c, "SET t v EX 100"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "GETSET t w"), "$1\r\nv\r\n");
    assert_eq!(expire_of(&e, "t"), None);
    put_list(&mut e, b"l");
    assert_eq!(resp(&mut e, c, "GETSET l x"), WRONGTYPE);
    assert_eq!(encoding(&e, "l"), "quicklist");
    assert_eq!(resp(&mut e, c, "GETDEL k"), "$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "GETDEL k"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "GET k"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "GETDEL l"), WRONGTYPE);
    assert_eq!(resp(&mut e, c, "GETDEL"), "-ERR wrong number of arguments for 'getdel' command\r\n");
    assert_eq!(resp(&mut e, c, "SET t v EX 100"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "GETDEL t"), "$1\r\nv\r\n");
    assert_eq!(expire_of(&e, "t"), None);
    assert_eq!(e.db(0).unwrap().volatile_len(), 0);
}

#[test]
fn getex() {
    let (mut e, clock) = engine();
    let c = client(&mut e);
    // Options are parsed first; the time is validated only for a string key.
    assert_eq!(resp(&mut e, c, "GETEX nokey"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "GETEX nokey EX 0"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "GETEX nokey EX abc"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "GETEX nokey FOO"), SYNTAX);
    assert_eq!(resp(&mut e, c, "SET k v"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "GETEX k EX 0"), "-ERR invalid expire time in 'getex' command\r\n");
    assert_eq!(resp(&mut e, c, "GETEX k ex 9223372036854775"), "-ERR invalid expire time in 'getex' command\r\n");
    assert_eq!(resp(&mut e, c, "GETEX k EX abc"), NOT_INT);
    assert_eq!(resp(&mut e, c, "GETEX k EX 100"), "$1\r\nv\r\n");
    assert_eq!(expire_of(&e, "k"), Some(1_100_000));
    assert_eq!(resp(&mut e, c, "GETEX k"), "$1\r\nv\r\n");
    assert_eq!(expire_of(&e, "k"), Some(1_100_000));
    assert_eq!(resp(&mut e, c, "GETEX k PERSIST"), "$1\r\nv\r\n");
    assert_eq!(expire_of(&e, "k"), None);
    assert_eq!(resp(&mut e, c, "GETEX k PERSIST"), "$1\r\nv\r\n");
    assert_eq!(resp(&mut e, c, "GETEX k PX 5000"), "$1\r\nv\r\n");
    assert_eq!(expire_of(&e, "k"), Some(1_005_000));
    assert_eq!(resp(&mut e, c, "GETEX k EXAT 2000"), "$1\r\nv\r\n");
    assert_eq!(expire_of(&e, "k"), Some(2_000_000));
    assert_eq!(resp(&mut e, c, "GETEX k PXAT 1000500"), "$1\r\nv\r\n");
    assert_eq!(expire_of(&e, "k"), Some(1_000_500));
    // An absolute time already past deletes the key after reading it.
    assert_eq!(resp(&mut e, c, "GETEX k EXAT 1"), "$1\r\nv\r\n");
    assert_eq!(resp(&mut e, c, "GET k"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "SET k v"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "GETEX k PXAT 1000000"), "$1\r\nv\r\n");
    assert_eq!(e.db(0).unwrap().len(), 0);
    assert_eq!(resp(&mut e, c, "SET k v"), "+OK\r\n");
    for bad in ["EX 10 PX 10", "PERSIST EX 1", "EX 1 PERSIST", "KEEPTTL", "NX", "GET", "EX", "PXAT"] {
        assert_eq!(resp(&mut e, c, &format!("GETEX k {}", bad)), SYNTAX, "{}", bad);
    }
    assert_eq!(resp(&mut e, c, "GETEX k EX 10 EX 20"), "$1\r\nv\r\n");
    assert_eq!(expire_of(&e, "k"), Some(1_020_000));
    assert_eq!(resp(&mut e, c, "GETEX k PERSIST PERSIST"), "$1\r\nv\r\n");
    assert_eq!(resp(&mut e, c, "GETEX k pxat 9223372036854775807"), "$1\r\nv\r\n");
    assert_eq!(expire_of(&e, "k"), Some(9223372036854775807));
    put_list(&mut e, b"l");
    assert_eq!(resp(&mut e, c, "GETEX l"), WRONGTYPE);
    assert_eq!(resp(&mut e, c, "GETEX l EX 0"), WRONGTYPE);
    assert_eq!(resp(&mut e, c, "GETEX l FOO"), SYNTAX);
    assert_eq!(resp(&mut e, c, "GETEX"), "-ERR wrong number of arguments for 'getex' command\r\n");
    // A relative TTL runs out like any other.
    assert_eq!(resp(&mut e, c, "GETEX k PX 10"), "$1\r\nv\r\n");
    clock.advance_ms(11);
    assert_eq!(resp(&mut e, c, "GETEX k"), "$-1\r\n");
}

#[test]
fn append_and_strlen() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "APPEND k 123"), ":3\r\n");
    assert_eq!(encoding(&e, "k"), "int");
    assert_eq!(resp(&mut e, c, "APPEND k 4"), ":4\r\n");
    assert_eq!(encoding(&e, "k"), "raw");
    assert_eq!(resp(&mut e, c, "GET k"), "$4\r\n1234\r\n");
    assert_eq!(resp(&mut e, c, "APPEND s abc"), ":3\r\n");
    assert_eq!(encoding(&e, "s"), "embstr");
    assert_eq!(resp_argv(&mut e, c, &[b"APPEND", b"s", b""]), ":3\r\n");
    assert_eq!(encoding(&e, "s"), "raw");
    // Appending nothing to a missing key creates an empty string.
    assert_eq!(resp_argv(&mut e, c, &[b"APPEND", b"e", b""]), ":0\r\n");
    assert_eq!(encoding(&e, "e"), "embstr");
    assert_eq!(resp(&mut e, c, "STRLEN e"), ":0\r\n");
    // TTL survives.
    assert_eq!(resp(&mut e, c, "SET t 5 EX 100"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "APPEND t 5"), ":2\r\n");
    assert_eq!(expire_of(&e, "t"), Some(1_100_000));
    assert_eq!(resp(&mut e, c, "GET t"), "$2\r\n55\r\n");
    put_list(&mut e, b"l");
    assert_eq!(resp(&mut e, c, "APPEND l x"), WRONGTYPE);
    assert_eq!(resp(&mut e, c, "STRLEN k"), ":4\r\n");
    assert_eq!(resp(&mut e, c, "STRLEN nokey"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "STRLEN l"), WRONGTYPE);
    assert_eq!(resp(&mut e, c, "SET n -12345"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "STRLEN n"), ":6\r\n");
    assert_eq!(resp(&mut e, c, "STRLEN"), "-ERR wrong number of arguments for 'strlen' command\r\n");
    let big = "x".repeat(100);
    assert_eq!(resp(&mut e, c, &format!("APPEND big {}", big)), ":100\r\n");
    assert_eq!(encoding(&e, "big"), "raw");
}

#[test]
fn append_and_setrange_respect_proto_max_bulk_len() {
    let (mut e, _) = engine_with(Config { proto_max_bulk_len: 10, ..Config::default() });
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "SET k 12345"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "APPEND k 67890"), ":10\r\n");
    assert_eq!(resp(&mut e, c, "APPEND k x"), TOO_BIG);
    assert_eq!(resp_argv(&mut e, c, &[b"APPEND", b"k", b""]), ":10\r\n");
    assert_eq!(resp(&mut e, c, "SETRANGE k 9 x"), ":10\r\n");
    assert_eq!(resp(&mut e, c, "SETRANGE k 10 x"), TOO_BIG);
    assert_eq!(resp(&mut e, c, "SETRANGE k 9 xy"), TOO_BIG);
    assert_eq!(resp(&mut e, c, "SETRANGE new 10 x"), TOO_BIG);
    assert_eq!(resp(&mut e, c, "SETRANGE new 9223372036854775807 x"), TOO_BIG);
    // Nothing is checked (or allocated) when there is nothing to write.
    assert_eq!(resp_argv(&mut e, c, &[b"SETRANGE", b"k", b"9223372036854775807", b""]), ":10\r\n");
    assert_eq!(resp_argv(&mut e, c, &[b"SETRANGE", b"new", b"9223372036854775807", b""]), ":0\r\n");
    assert_eq!(resp(&mut e, c, "GET k"), "$10\r\n123456789x\r\n");
    assert_eq!(e.db(0).unwrap().len(), 1);
}

#[test]
fn getrange_substr() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "SET k Hello"), "+OK\r\n");
    let cases = [
        ("0 -1", "$5\r\nHello\r\n"),
        ("-3 -1", "$3\r\nllo\r\n"),
        ("-1 -3", "$0\r\n\r\n"),
        ("2 1", "$0\r\n\r\n"),
        ("10 20", "$0\r\n\r\n"),
        ("3 100", "$2\r\nlo\r\n"),
        ("-100 -100", "$1\r\nH\r\n"),
        ("-100 -5", "$1\r\nH\r\n"),
        ("-100 0", "$1\r\nH\r\n"),
        ("0 -100", "$1\r\nH\r\n"),
        ("5 5", "$0\r\n\r\n"),
        ("4 4", "$1\r\no\r\n"),
        ("-9223372036854775808 9223372036854775807", "$5\r\nHello\r\n"),
        ("9223372036854775807 -9223372036854775808", "$0\r\n\r\n"),
        ("a 1", NOT_INT),
        ("1 a", NOT_INT),
    ];
    for (args, want) in cases {
        assert_eq!(resp(&mut e, c, &format!("GETRANGE k {}", args)), want, "GETRANGE k {}", args);
        assert_eq!(resp(&mut e, c, &format!("SUBSTR k {}", args)), want, "SUBSTR k {}", args);
    }
    assert_eq!(resp(&mut e, c, "GETRANGE nokey a 1"), NOT_INT);
    assert_eq!(resp(&mut e, c, "GETRANGE nokey 0 -1"), "$0\r\n\r\n");
    put_list(&mut e, b"l");
    assert_eq!(resp(&mut e, c, "GETRANGE l 0 1"), WRONGTYPE);
    assert_eq!(resp(&mut e, c, "GETRANGE l a 1"), NOT_INT);
    assert_eq!(resp_argv(&mut e, c, &[b"SET", b"e", b""]), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "GETRANGE e 0 -1"), "$0\r\n\r\n");
    assert_eq!(resp(&mut e, c, "GETRANGE e 0 0"), "$0\r\n\r\n");
    assert_eq!(resp(&mut e, c, "GETRANGE e -1 -1"), "$0\r\n\r\n");
    assert_eq!(resp(&mut e, c, "SET n 12345"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "GETRANGE n 1 2"), "$2\r\n23\r\n");
    assert_eq!(resp(&mut e, c, "SUBSTR n -2 -1"), "$2\r\n45\r\n");
    assert_eq!(resp(&mut e, c, "GETRANGE k 0"), "-ERR wrong number of arguments for 'getrange' command\r\n");
    assert_eq!(resp(&mut e, c, "SUBSTR k 0 1 2"), "-ERR wrong number of arguments for 'substr' command\r\n");
}

#[test]
fn setrange() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "SET k Hello"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "SETRANGE k 6 World"), ":11\r\n");
    assert_eq!(resp(&mut e, c, "GET k"), "$11\r\nHello\0World\r\n");
    assert_eq!(encoding(&e, "k"), "raw");
    assert_eq!(resp(&mut e, c, "SETRANGE k 0 J"), ":11\r\n");
    assert_eq!(resp(&mut e, c, "GET k"), "$11\r\nJello\0World\r\n");
    assert_eq!(resp(&mut e, c, "SETRANGE k -1 x"), "-ERR offset is out of range\r\n");
    assert_eq!(resp(&mut e, c, "SETRANGE k a x"), NOT_INT);
    assert_eq!(resp_argv(&mut e, c, &[b"SETRANGE", b"nokey", b"5", b""]), ":0\r\n");
    assert_eq!(e.db(0).unwrap().len(), 1);
    assert_eq!(resp(&mut e, c, "SETRANGE nokey 3 ab"), ":5\r\n");
    assert_eq!(resp(&mut e, c, "GET nokey"), "$5\r\n\0\0\0ab\r\n");
    assert_eq!(encoding(&e, "nokey"), "raw");
    assert_eq!(resp(&mut e, c, "SETRANGE short 0 ab"), ":2\r\n");
    assert_eq!(encoding(&e, "short"), "raw");
    assert_eq!(resp_argv(&mut e, c, &[b"SETRANGE", b"k", b"1000", b""]), ":11\r\n");
    put_list(&mut e, b"l");
    assert_eq!(resp_argv(&mut e, c, &[b"SETRANGE", b"l", b"0", b""]), WRONGTYPE);
    assert_eq!(resp(&mut e, c, "SETRANGE l 0 a"), WRONGTYPE);
    assert_eq!(resp(&mut e, c, "SETRANGE l -1 a"), "-ERR offset is out of range\r\n");
    assert_eq!(resp(&mut e, c, "SET n 12345"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "SETRANGE n 0 9"), ":5\r\n");
    assert_eq!(encoding(&e, "n"), "raw");
    assert_eq!(resp(&mut e, c, "GET n"), "$5\r\n92345\r\n");
    assert_eq!(resp(&mut e, c, "SET t abc EX 100"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "SETRANGE t 1 X"), ":3\r\n");
    assert_eq!(expire_of(&e, "t"), Some(1_100_000));
    assert_eq!(resp(&mut e, c, "GET t"), "$3\r\naXc\r\n");
    assert_eq!(resp(&mut e, c, "SETRANGE k 0"), "-ERR wrong number of arguments for 'setrange' command\r\n");
}

#[test]
fn incr_family() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "INCR a"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "INCRBY b 5"), ":5\r\n");
    assert_eq!(resp(&mut e, c, "DECRBY c 5"), ":-5\r\n");
    assert_eq!(resp(&mut e, c, "DECR d"), ":-1\r\n");
    assert_eq!(resp(&mut e, c, "SET n -12345"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "INCR n"), ":-12344\r\n");
    assert_eq!(encoding(&e, "n"), "int");
    // A raw string holding an integer counts, and becomes "int".
    assert_eq!(resp(&mut e, c, "APPEND r 123"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "APPEND r 4"), ":4\r\n");
    assert_eq!(encoding(&e, "r"), "raw");
    assert_eq!(resp(&mut e, c, "INCR r"), ":1235\r\n");
    assert_eq!(encoding(&e, "r"), "int");
    for bad in ["123456789012345678901", "1.5", "abc", "007", "-0", "+1"] {
        assert_eq!(resp(&mut e, c, &format!("SET x {}", bad)), "+OK\r\n");
        assert_eq!(resp(&mut e, c, "INCR x"), NOT_INT, "{}", bad);
    }
    assert_eq!(resp_argv(&mut e, c, &[b"SET", b"x", b" 1"]), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "INCR x"), NOT_INT);
    assert_eq!(resp_argv(&mut e, c, &[b"SET", b"x", b""]), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "INCR x"), NOT_INT);
    assert_eq!(resp(&mut e, c, "SET m 9223372036854775807"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "INCR m"), "-ERR increment or decrement would overflow\r\n");
    assert_eq!(resp(&mut e, c, "DECRBY m 9223372036854775807"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "DECRBY m -9223372036854775808"), "-ERR decrement would overflow\r\n");
    assert_eq!(resp(&mut e, c, "INCRBY m -9223372036854775808"), ":-9223372036854775808\r\n");
    assert_eq!(resp(&mut e, c, "INCRBY m -1"), "-ERR increment or decrement would overflow\r\n");
    assert_eq!(resp(&mut e, c, "DECR m"), "-ERR increment or decrement would overflow\r\n");
    assert_eq!(resp(&mut e, c, "GET m"), "$20\r\n-9223372036854775808\r\n");
    assert_eq!(resp(&mut e, c, "INCRBY m abc"), NOT_INT);
    // The increment is parsed before the key is looked up.
    put_list(&mut e, b"l");
    assert_eq!(resp(&mut e, c, "INCRBY l abc"), NOT_INT);
    assert_eq!(resp(&mut e, c, "INCR l"), WRONGTYPE);
    assert_eq!(resp(&mut e, c, "DECRBY l 1"), WRONGTYPE);
    assert_eq!(resp(&mut e, c, "SET z 0"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "INCRBY z 0"), ":0\r\n");
    assert_eq!(encoding(&e, "z"), "int");
    // TTL kept.
    assert_eq!(resp(&mut e, c, "SET t 5 EX 100"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "INCR t"), ":6\r\n");
    assert_eq!(expire_of(&e, "t"), Some(1_100_000));
    assert_eq!(resp(&mut e, c, "INCR"), "-ERR wrong number of arguments for 'incr' command\r\n");
    assert_eq!(resp(&mut e, c, "INCRBY a"), "-ERR wrong number of arguments for 'incrby' command\r\n");
}

#[test]
fn incrbyfloat() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    let check = |e: &mut Engine, init: Option<&str>, incr: &str, want: &str| {
        let _ = run(e, c, "GETDEL k");
        if let Some(v) = init {
            assert_eq!(resp_argv(e, c, &[b"SET", b"k", v.as_bytes()]), "+OK\r\n");
        }
        let got = resp_argv(e, c, &[b"INCRBYFLOAT", b"k", incr.as_bytes()]);
        let want = if want.starts_with('-') && want.contains(' ') {
            format!("{}\r\n", want)
        } else {
            format!("${}\r\n{}\r\n", want.len(), want)
        };
        assert_eq!(got, want, "{:?} + {}", init, incr);
    };
    let err = "-ERR value is not a valid float";
    let nan = "-ERR increment would produce NaN or Infinity";
    check(&mut e, Some("0.1"), "0.2", "0.3");
    check(&mut e, Some("10.50"), "0.1", "10.6");
    check(&mut e, Some("10.6"), "5.0e3", "5010.60000000000000009");
    check(&mut e, Some("8"), "34224.5253", "34232.52530000000000143");
    check(&mut e, Some("-6164.4"), "0.71177774121547285", "-6163.68822225878452725");
    check(&mut e, None, "1e-20", "0");
    check(&mut e, None, "-1e-20", "0");
    check(&mut e, None, "-0", "0");
    check(&mut e, Some("-0"), "0", "0");
    check(&mut e, None, "0e999999999999999999999", "0");
    check(&mut e, None, "1e-4950", "0");
    check(&mut e, None, "1e-4951", err);
    check(&mut e, None, "1e-5000", err);
    check(&mut e, None, "1.2e4932", err);
    check(&mut e, None, "0x1p3", "8");
    check(&mut e, None, "0X1.8P1", "3");
    check(&mut e, None, "0x.8", "0.5");
    check(&mut e, Some("16"), "0x10", "32");
    for bad in ["0x", "0x1p", "nan", " 1", "1 ", ".", "1e", "", "abc", "1\x002"] {
        check(&mut e, None, bad, err);
    }
    check(&mut e, None, "+1", "1");
    check(&mut e, None, ".5", "0.5");
    check(&mut e, None, "5.", "5");
    check(&mut e, None, "1e+5", "100000");
    check(&mut e, None, "inf", nan);
    check(&mut e, None, "-INFINITY", nan);
    check(&mut e, Some("inf"), "0", nan);
    check(&mut e, Some("abc"), "3", err);
    check(&mut e, Some("3"), "abc", err);
    check(&mut e, Some("0.000003814697265625"), "0", "0.00000381469726562");
    check(&mut e, Some("0.000003814697265626"), "0", "0.00000381469726563");
    check(&mut e, Some("9223372036854775807"), "1", "9223372036854775808");
    check(&mut e, None, "18446744073709551617", "18446744073709551616");
    check(&mut e, None, "123456789012345678901234567890", "123456789012345678899921813504");
    check(&mut e, None, "2.5e-17", "0.00000000000000002");
    check(&mut e, None, "1e40", "9999999999999999999783686092270256259072");
    check(&mut e, Some("1e308"), "1e308", "199999999999999999993371759311691291321120199694831134415594095989843469737676123744200253843777078640893494450108026446304269499187921167194841628860392837535918200039206381557326219209014213335878306791577877829121087126122536729803237260434173178506889763247582601711514636284849020905456510092687857156096");
}

#[test]
fn incrbyfloat_encoding_ttl_and_types() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "SET k 5 EX 100"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "INCRBYFLOAT k 5"), "$2\r\n10\r\n");
    // Stored as text, not as an integer, and the TTL survives.
    assert_eq!(encoding(&e, "k"), "embstr");
    assert_eq!(expire_of(&e, "k"), Some(1_100_000));
    // 10 is lost to rounding next to 1e40.
    assert_eq!(resp(&mut e, c, "INCRBYFLOAT k 1e40"), "$40\r\n9999999999999999999783686092270256259072\r\n");
    assert_eq!(encoding(&e, "k"), "embstr");
    assert_eq!(resp(&mut e, c, "INCRBYFLOAT k 1e50"), "$51\r\n100000000010000000008388076242351276750871828889600\r\n");
    assert_eq!(encoding(&e, "k"), "raw");
    // A huge result is printed in full (no exponent form).
    assert_eq!(resp(&mut e, c, "SET h 1"), "+OK\r\n");
    let r = resp(&mut e, c, "INCRBYFLOAT h 1e4932");
    assert!(r.starts_with("$4933\r\n1000000000000000000006018949387963891323837774254533114773785041352533019486608722407533327779433142773666525563666277682061860906440460336623416164931097542108653623739947237824273607755646282077337746770628281083461244709457643633409272844851420914666765408339856497738306756454137037618440476182982865954054046320908299555942321302503320602080070208203623921079151881460203745014774931620490030394998719312614654064081373493248877120892455186383753439197870978041502797716880193955403107721911638646256939484197293128160329482360996995779489224859264034146949087194820794222433687849284561987230134006305414553626323614864479565079390052761980633463640128979696615362545507608303960553830866145592644372289102918602696741767741297153998359263135897985849697638678310586803720024647593066044070323761747439375151949994191528876172274034561238465689530914002496208547488452249219821049217690359246594326188537200846025476936856707726986425804304053688317572380292690880454677852210458790733177421098965346383845533016192965653377533421097553773202105452559589360227732550843545717469715211293029277100649951579279463212875228768700827274629951331584994203243708412190948315614798641721054158397351395747758548328754270534225721361640356227816080094892433366902417454242382629232277544026609640255325557814321580325340352330660617642326696140257239552549121071985189443846777623334881929189773707008403466595204838733621633273383631944856989484138444978386656058755310848833689791896484998847550364264104800800578245511762594691161545730891319744107953897993101008217601269310629890308357893793344340072837782716410520818640099771094401772024731084835860689936533035726854175396195351768096519310944631445923638053214575993378468775292865871435742249777979822775014324475845899615096380079899099538453121043851821349178371736640702645304284254885437611441690360616466368202194307769462209963387690446576691969551571041941288302648912827345194286271122230347823246073498285153708579500062656222714954113329293953346495615947784091175883554988117167387650681525781361864450364992605079129770604793291076559668041153558254765774288831330658676910296506538343982699076824147706077401185501337053676875440863113630172067902223837838525802181406003942606507609826320015193807633035586661539150425605940691768637845815434184585255915074081317250319572700370579877977177644345205933505850374212779064837146242765034714569464306865784829936445754893825213995710137567750342556762329137973387913047300554841737506800154984198686923965286147079273203561004647365286049876790788288301130050437207489067798842078443360167772245834103629301041345252122743437501935254370757049878526838283810705343010153283985958550741661374001212323172562230037290597675029278865489570268803618001520280748588481858632332145422181524500970533738858652881625738158955840469334830106366243262210429210258173978186522208306814207038831590332622155464159216193005478809313772661406449321989529908990407599717265354887081027622412165764793106246309910984757869627982700885055259900973567128498437782671492610351088858271463387495833021819318548705558606395846070390500323204636339383655528123657438115225035433947543876805317781492691295772410403746456774175666884503175504415270824258750305653788473882671038340481278188648013647450190431469737277008003041204693859153544058059108384516541261521127088116402349679151317227395183628490922161336429757386698401928682323657056924758648793848799822907606679071280964393541325129231682456669123450140879120137931548652537601508656209183486928384515842973760163601756230697826779237275078471824258664382133759876151537532598429521999758431018087001817485300919479583171049967781322202936864648780744025361452947117776701129210049872555316467204668470989130203733391349501708713181244068921199587314823974568234174792429139799088587794666528769986602820375968045445209219875596678877912103336949894142378173648692130854177898020194629670311101994938157038765957014792056173739623614871557317714453597336202068774935086409386414223375141765601758268418764114651053088281009248246110195084364468926837572992870110411414878770616397817334529367403238061699632089293543118185299881280463481800696201966723511922556078483839325067415562633057448408746541808590342228476964416681055875561781810005936328191844815915658719683522845979901018335050006246392027657149580332319739660376707180429166280658258434773362764563277134220525779869893832824866422909928484939374964071386248088592408142723646533801882861736205992781965360090000802821408763787641023437653119263757280212773694655213507075717622521160227187157631635583682130089364682543007292042009976150135189415923413244100006421082817394988300265734422677548100741829682842668334472314928702968616204691717366798642916146473018363370523427203416579250811577900985980957404830019403600361860520985937973506956557739754741783354728589350876379371163141086538418113791886622720\r\n"));
    assert_eq!(resp(&mut e, c, "INCRBYFLOAT h 1e4932"), "-ERR increment would produce NaN or Infinity\r\n");
    assert_eq!(resp(&mut e, c, "INCRBYFLOAT h -inf"), "-ERR increment would produce NaN or Infinity\r\n");
    put_list(&mut e, b"l");
    assert_eq!(resp(&mut e, c, "INCRBYFLOAT l 1"), WRONGTYPE);
    // Type is checked before the increment is parsed.
    assert_eq!(resp(&mut e, c, "INCRBYFLOAT l x"), WRONGTYPE);
    assert_eq!(resp(&mut e, c, "INCRBYFLOAT nokey x"), NOT_FLOAT);
    assert_eq!(e.db(0).unwrap().iter().count(), 3);
    assert_eq!(resp(&mut e, c, "INCRBYFLOAT k"), "-ERR wrong number of arguments for 'incrbyfloat' command\r\n");
}

#[test]
fn lcs() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "MSET key1 ohmytext key2 mynewtext"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "LCS key1 key2"), "$6\r\nmytext\r\n");
    assert_eq!(resp(&mut e, c, "LCS key1 key2 LEN"), ":6\r\n");
    let idx = "*4\r\n$7\r\nmatches\r\n*2\r\n*2\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n*2\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n$3\r\nlen\r\n:6\r\n";
    assert_eq!(resp(&mut e, c, "LCS key1 key2 IDX"), idx);
    assert_eq!(
        resp(&mut e, c, "LCS key1 key2 IDX MINMATCHLEN 4 WITHMATCHLEN"),
        "*4\r\n$7\r\nmatches\r\n*1\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n$3\r\nlen\r\n:6\r\n"
    );
    let withlen = "*2\r\n*3\r\n*2\r\n:4\r\n:7\r\n*2\r\n:5\r\n:8\r\n:4\r\n*3\r\n*2\r\n:2\r\n:3\r\n*2\r\n:0\r\n:1\r\n:2\r\n";
    assert_eq!(resp(&mut e, c, "LCS key1 key2 MINMATCHLEN -5 IDX WITHMATCHLEN"), format!("*4\r\n$7\r\nmatches\r\n{}$3\r\nlen\r\n:6\r\n", withlen));
    // RESP3: a map.
    let r = run(&mut e, c, "LCS key1 key2 idx withmatchlen");
    assert_eq!(String::from_utf8(r.to_resp(Protocol::Resp3)).unwrap(), format!("%2\r\n$7\r\nmatches\r\n{}$3\r\nlen\r\n:6\r\n", withlen));
    assert_eq!(
        String::from_utf8(run(&mut e, c, "LCS nokey key1 IDX").to_resp(Protocol::Resp3)).unwrap(),
        "%2\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n"
    );
    assert_eq!(resp(&mut e, c, "LCS key1 key2 IDX LEN"), "-ERR If you want both the length and indexes, please just use IDX.\r\n");
    assert_eq!(resp(&mut e, c, "LCS key1 key2 LEN LEN"), ":6\r\n");
    assert_eq!(resp(&mut e, c, "LCS key1 key2 foo"), SYNTAX);
    assert_eq!(resp(&mut e, c, "LCS key1 key2 MINMATCHLEN"), SYNTAX);
    assert_eq!(resp(&mut e, c, "LCS key1 key2 MINMATCHLEN x"), NOT_INT);
    assert_eq!(resp(&mut e, c, "LCS nokey1 nokey2"), "$0\r\n\r\n");
    assert_eq!(resp(&mut e, c, "LCS nokey1 nokey2 IDX"), "*4\r\n$7\r\nmatches\r\n*0\r\n$3\r\nlen\r\n:0\r\n");
    // Types are checked before options.
    put_list(&mut e, b"l");
    assert_eq!(resp(&mut e, c, "LCS l key1"), "-ERR The specified keys must contain string values\r\n");
    assert_eq!(resp(&mut e, c, "LCS key1 l foo"), "-ERR The specified keys must contain string values\r\n");
    assert_eq!(resp(&mut e, c, "LCS key1"), "-ERR wrong number of arguments for 'lcs' command\r\n");
    assert_eq!(resp(&mut e, c, "SET n 12345"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "LCS n key1"), "$0\r\n\r\n");
    assert_eq!(resp(&mut e, c, "SET m 9234"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "LCS n m"), "$3\r\n234\r\n");
}

#[test]
fn lcs_transient_memory_limit() {
    let (mut e, _) = engine_with(Config { proto_max_bulk_len: 1024 * 1024, ..Config::default() });
    let c = client(&mut e);
    let a = "a".repeat(600);
    assert_eq!(resp(&mut e, c, &format!("MSET x {} y {}", a, a)), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "LCS x y LEN"), "-ERR Insufficient memory, transient memory for LCS exceeds proto-max-bulk-len\r\n");
    assert_eq!(resp(&mut e, c, "SET y aaa"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "LCS x y LEN"), ":3\r\n");
}

#[test]
fn typed_api_agrees_with_execute() {
    let (mut e, clock) = engine();
    let c = client(&mut e);
    e.set(0, b"a", b"1", Default::default()).unwrap();
    assert_eq!(resp(&mut e, c, "GET a"), "$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "SET b 2"), "+OK\r\n");
    assert_eq!(e.get(0, b"b").unwrap(), Some(b"2".to_vec()));

    assert_eq!(e.incr_by(0, b"a", 41).unwrap(), 42);
    assert_eq!(resp(&mut e, c, "INCRBY a 1"), ":43\r\n");
    assert_eq!(e.incr_by(0, b"a", -43).unwrap(), 0);
    assert_eq!(e.incr_by(0, b"a", i64::MIN).unwrap(), i64::MIN);
    assert_eq!(e.incr_by(0, b"a", -1), Err(Error::Overflow));
    assert_eq!(resp(&mut e, c, "DECR a"), "-ERR increment or decrement would overflow\r\n");

    assert_eq!(e.append(0, b"s", b"Hello").unwrap(), 5);
    assert_eq!(resp(&mut e, c, "APPEND s World"), ":10\r\n");
    assert_eq!(e.strlen(0, b"s").unwrap(), 10);
    assert_eq!(e.getrange(0, b"s", -5, -1).unwrap(), b"World".to_vec());
    assert_eq!(resp(&mut e, c, "GETRANGE s -5 -1"), "$5\r\nWorld\r\n");
    assert_eq!(e.setrange(0, b"s", 5, b"!").unwrap(), 10);
    assert_eq!(resp(&mut e, c, "GET s"), "$10\r\nHello!orld\r\n");
    assert_eq!(e.setrange(0, b"s", -1, b"!"), Err(Error::err("offset is out of range")));

    assert_eq!(e.mget(0, &[b"s", b"nokey"]).unwrap(), vec![Some(b"Hello!orld".to_vec()), None]);
    e.mset(0, &[(b"m1", b"x"), (b"m2", b"y")]).unwrap();
    assert_eq!(resp(&mut e, c, "MGET m1 m2"), "*2\r\n$1\r\nx\r\n$1\r\ny\r\n");
    assert!(!e.msetnx(0, &[(b"m1", b"z"), (b"m3", b"z")]).unwrap());
    assert!(e.msetnx(0, &[(b"m3", b"z")]).unwrap());
    assert!(!e.setnx(0, b"m3", b"w").unwrap());
    assert_eq!(resp(&mut e, c, "SETNX m3 w"), ":0\r\n");

    assert_eq!(e.getset(0, b"m3", b"q").unwrap(), Some(b"z".to_vec()));
    assert_eq!(resp(&mut e, c, "GETSET m3 r"), "$1\r\nq\r\n");
    assert_eq!(e.getdel(0, b"m3").unwrap(), Some(b"r".to_vec()));
    assert_eq!(resp(&mut e, c, "GETDEL m3"), "$-1\r\n");

    assert_eq!(e.getex(0, b"m1", GetExExpiry::At(1_005_000)).unwrap(), Some(b"x".to_vec()));
    assert_eq!(expire_of(&e, "m1"), Some(1_005_000));
    assert_eq!(e.getex(0, b"m1", GetExExpiry::Persist).unwrap(), Some(b"x".to_vec()));
    assert_eq!(expire_of(&e, "m1"), None);
    assert_eq!(e.getex(0, b"m1", GetExExpiry::At(1)).unwrap(), Some(b"x".to_vec()));
    assert_eq!(resp(&mut e, c, "GET m1"), "$-1\r\n");

    assert_eq!(e.incr_by_float(0, b"f", b"10.5").unwrap(), b"10.5".to_vec());
    assert_eq!(resp(&mut e, c, "INCRBYFLOAT f 0.1"), "$4\r\n10.6\r\n");
    assert_eq!(e.incr_by_float(0, b"f", b"5.0e3").unwrap(), b"5010.60000000000000009".to_vec());
    assert_eq!(e.incr_by_float(0, b"f", b"x"), Err(Error::NotFloat));
    assert_eq!(e.incr_by_float(0, b"f", b"inf"), Err(Error::NanOrInfinity));

    e.mset(0, &[(b"k1", b"ohmytext"), (b"k2", b"mynewtext")]).unwrap();
    assert_eq!(e.lcs(0, b"k1", b"k2", LcsOptions::default()).unwrap(), LcsResult::String(b"mytext".to_vec()));
    assert_eq!(e.lcs(0, b"k1", b"k2", LcsOptions { mode: LcsMode::Len, ..Default::default() }).unwrap(), LcsResult::Len(6));
    let idx = e.lcs(0, b"k1", b"k2", LcsOptions { mode: LcsMode::Idx, min_match_len: 3, with_match_len: true }).unwrap();
    assert_eq!(idx, LcsResult::Idx { matches: vec![LcsMatch { a: (4, 7), b: (5, 8), len: 4 }], len: 6 });

    // Errors are the same values either way.
    let _ = e.set(0, b"num", b"abc", SetOptions::default()).unwrap();
    assert_eq!(e.incr_by(0, b"num", 1), Err(Error::NotInteger));
    put_list(&mut e, b"l");
    assert_eq!(e.append(0, b"l", b"x"), Err(Error::WrongType));
    assert_eq!(e.strlen(0, b"l"), Err(Error::WrongType));
    assert_eq!(e.mget(0, &[b"l"]).unwrap(), vec![None]);
    assert_eq!(e.getrange(99, b"l", 0, 1), Err(Error::DbIndexOutOfRange));
    clock.advance_ms(1);
}
