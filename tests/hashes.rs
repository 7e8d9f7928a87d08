//! Hash commands through `execute`: replies checked byte for byte against
//! Redis 7.0.15 (RESP2), errors, wrong types, encodings, HSCAN under churn,
//! and the typed API agreeing with `execute`.
mod common;
use common::*;

use redlet::cmd::ScanArgs;
use redlet::ldouble::LongDouble;
use redlet::{Config, Engine, Reply};

/// OBJECT ENCODING of `key` in db 0, read from the keyspace directly.
fn encoding(e: &Engine, key: &str) -> Option<&'static str> {
    e.db(0)?.iter().find(|x| &*x.key == key.as_bytes()).map(|x| x.value.encoding())
}

/// Runs raw argv (arguments may hold spaces) and renders RESP2.
fn resp_argv(e: &mut Engine, c: redlet::ClientId, a: &[&[u8]]) -> String {
    String::from_utf8_lossy(&run_argv(e, c, a).expect("blocked").to_resp(redlet::Protocol::Resp2)).into_owned()
}

/// True once `LongDouble` is the exact x87 emulation (the f64 placeholder
/// cannot represent 2^63 - 2).
fn exact_ldouble() -> bool {
    let x = LongDouble::parse(b"9223372036854775805").map(|x| x.add(LongDouble::from_i64(1)));
    x.and_then(|x| x.to_human()) == Some(b"9223372036854775806".to_vec())
}

#[test]
fn basic_replies_and_listpack_order() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "HSET h b 1 a 2 c 3"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "HSET h a 20 d 4"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "HGETALL h"), "*8\r\n$1\r\nb\r\n$1\r\n1\r\n$1\r\na\r\n$2\r\n20\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n");
    assert_eq!(resp(&mut e, c, "HKEYS h"), "*4\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nc\r\n$1\r\nd\r\n");
    assert_eq!(resp(&mut e, c, "HVALS h"), "*4\r\n$1\r\n1\r\n$2\r\n20\r\n$1\r\n3\r\n$1\r\n4\r\n");
    assert_eq!(resp(&mut e, c, "HLEN h"), ":4\r\n");
    assert_eq!(resp(&mut e, c, "HGET h a"), "$2\r\n20\r\n");
    assert_eq!(resp(&mut e, c, "HGET h zz"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "HGET nokey a"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "HMGET h a zz d"), "*3\r\n$2\r\n20\r\n$-1\r\n$1\r\n4\r\n");
    assert_eq!(resp(&mut e, c, "HMGET nokey a b"), "*2\r\n$-1\r\n$-1\r\n");
    assert_eq!(resp(&mut e, c, "HGETALL nokey"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "HKEYS nokey"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "HVALS nokey"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "HLEN nokey"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "HSTRLEN h a"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "HSTRLEN h zz"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "HSTRLEN nokey a"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "HEXISTS h a"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "HEXISTS h zz"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "HEXISTS nokey a"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "HDEL h a zz"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "HGETALL h"), "*6\r\n$1\r\nb\r\n$1\r\n1\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n");
    assert_eq!(resp(&mut e, c, "HSET h a 5"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "HKEYS h"), "*4\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\na\r\n");
    assert_eq!(resp(&mut e, c, "HDEL h b c d a"), ":4\r\n");
    assert_eq!(resp(&mut e, c, "GET h"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "HDEL h a"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "HSET h"), "-ERR wrong number of arguments for 'hset' command\r\n");
    assert_eq!(resp(&mut e, c, "HSET h a"), "-ERR wrong number of arguments for 'hset' command\r\n");
    assert_eq!(resp(&mut e, c, "HSET h a 1 b"), "-ERR wrong number of arguments for 'hset' command\r\n");
    assert_eq!(resp(&mut e, c, "HMSET h a 1 b"), "-ERR wrong number of arguments for 'hmset' command\r\n");
    assert_eq!(resp(&mut e, c, "HMSET h a 1 b 2"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "HGETALL h"), "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n");
    assert_eq!(resp(&mut e, c, "HSETNX h a 9"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "HSETNX h z 9"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "HGETALL h"), "*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nz\r\n$1\r\n9\r\n");
    assert_eq!(resp(&mut e, c, "HSETNX n x y"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "HGETALL n"), "*2\r\n$1\r\nx\r\n$1\r\ny\r\n");
    assert_eq!(resp(&mut e, c, "HSET h a 1 a 2"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "HGET h a"), "$1\r\n2\r\n");
}

#[test]
fn wrong_type_and_argument_errors() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "SET s x"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "HSET s a 1"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "HMSET s a 1"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "HSETNX s a 1"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "HGET s a"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "HMGET s a"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "HGETALL s"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "HKEYS s"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "HVALS s"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "HLEN s"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "HSTRLEN s a"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "HEXISTS s a"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "HDEL s a"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBY s a 1"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT s a 1"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "HRANDFIELD s"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "HRANDFIELD s 1"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "HRANDFIELD s 0"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "HSCAN s 0"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "HSCAN s abc"), "-ERR invalid cursor\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBY s a x"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT s a x"), "-ERR value is not a valid float\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT s a inf"), "-ERR value is NaN or Infinity\r\n");
    assert_eq!(resp(&mut e, c, "HRANDFIELD s -9223372036854775808"), "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n");
    assert_eq!(resp(&mut e, c, "HRANDFIELD s 1 x"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "HRANDFIELD s 1 withvalues x"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "HRANDFIELD s -4611686018427387904 withvalues"), "-ERR value is out of range\r\n");
    assert_eq!(resp(&mut e, c, "HRANDFIELD s 4611686018427387904 withvalues"), "-ERR value is out of range\r\n");
    assert_eq!(resp(&mut e, c, "HRANDFIELD s 4611686018427387903 withvalues"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "HSCAN s 0 COUNT 0"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
}

#[test]
fn hincrby() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "HINCRBY h n 5"), ":5\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBY h n -7"), ":-2\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBY h n abc"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBY h n 9223372036854775807"), ":9223372036854775805\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBY h n 9223372036854775808"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "HSET h big 9223372036854775807 small -9223372036854775808 txt hello lead 01"), ":4\r\n");
    assert_eq!(resp_argv(&mut e, c, &[b"HSET", b"h", b"sp", b" 1"]), ":1\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBY h sp 1"), "-ERR hash value is not an integer\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBY h big 1"), "-ERR increment or decrement would overflow\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBY h small -1"), "-ERR increment or decrement would overflow\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBY h txt 1"), "-ERR hash value is not an integer\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBY h lead 1"), "-ERR hash value is not an integer\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBY h big -1"), ":9223372036854775806\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBY h big 0"), ":9223372036854775806\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBY h small 9223372036854775807"), ":-1\r\n");
    assert_eq!(resp(&mut e, c, "HGET h small"), "$2\r\n-1\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBY new f -3"), ":-3\r\n");
    assert_eq!(resp(&mut e, c, "HGETALL new"), "*2\r\n$1\r\nf\r\n$2\r\n-3\r\n");
}

#[test]
fn hincrbyfloat() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT h f 1.5"), "$3\r\n1.5\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT h f 2.25"), "$4\r\n3.75\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT h f -3.75"), "$1\r\n0\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT h f 1e3"), "$4\r\n1000\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT h g 5.0e3"), "$4\r\n5000\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT h g abc"), "-ERR value is not a valid float\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT h g nan"), "-ERR value is not a valid float\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT h g -inf"), "-ERR value is NaN or Infinity\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT h g +inf"), "-ERR value is NaN or Infinity\r\n");
    assert_eq!(resp(&mut e, c, "HSET h txt hello e 1e3 inf inf lead 01"), ":4\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT h txt 1"), "-ERR hash value is not a float\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT h e 0"), "$4\r\n1000\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT h lead 1"), "$1\r\n2\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT h inf 1"), "-ERR increment would produce NaN or Infinity\r\n");
    assert_eq!(resp_argv(&mut e, c, &[b"HSET", b"h", b"sp", b" 1", b"ws", b"1 "]), ":2\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT h sp 1"), "-ERR hash value is not a float\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT h ws 1"), "-ERR hash value is not a float\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT h m -0"), "$1\r\n0\r\n");
    assert_eq!(resp(&mut e, c, "HGET h m"), "$1\r\n0\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT h m2 -1"), "$2\r\n-1\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT h m2 1"), "$1\r\n0\r\n");
    assert_eq!(resp(&mut e, c, "SET s x"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT s a x"), "-ERR value is not a valid float\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT s a inf"), "-ERR value is NaN or Infinity\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT s a 1"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
}

/// Cases only the exact x87 long double gets right (skipped while the f64
/// placeholder is in place).
#[test]
fn hincrbyfloat_long_double_precision() {
    if !exact_ldouble() {
        eprintln!("skipped: LongDouble is not exact yet");
        return;
    }
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "HSET h big 9223372036854775807 small -9223372036854775808 n 9223372036854775805"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT h n 1"), "$19\r\n9223372036854775806\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT h big 1"), "$19\r\n9223372036854775808\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT h small 0.5"), "$22\r\n-9223372036854775807.5\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT h x 10.5"), "$4\r\n10.5\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT h x 0.1"), "$4\r\n10.6\r\n");
    assert_eq!(resp(&mut e, c, "HSET h hex 0x10"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT h hex 1"), "$2\r\n17\r\n");
    let big = "10000000000000000000281880683947586514586453433629052038625910693539685534008629862039363994848324160522094053927317616200295822777259255734023828976593340661017797447434546173917862448116674971723778943824391593338047470675026246684401359237513603830343735485505244955964979021825038280091068414947402456898653040951017512658092615827588920183472511643316591362664138176309734806343732497430221946880";
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT h g 1e400"), format!("${}\r\n{}\r\n", big.len(), big));
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT h g 0x10"), format!("${}\r\n{}\r\n", big.len(), big));
    assert_eq!(encoding(&e, "h"), Some("hashtable"), "a 401-byte value converts the listpack");
}

#[test]
fn hrandfield_and_hscan_on_listpack() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "HSET h a 1 b 2 c 3"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "HRANDFIELD h 3"), "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
    assert_eq!(resp(&mut e, c, "HRANDFIELD h 5 WITHVALUES"), "*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n");
    assert_eq!(resp(&mut e, c, "HRANDFIELD h 0"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "HRANDFIELD h 0 withvalues"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "HRANDFIELD nokey"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "HRANDFIELD nokey 5"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "HRANDFIELD nokey -5 withvalues"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "HRANDFIELD nokey 0"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "HRANDFIELD nokey -9223372036854775807"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "HRANDFIELD nokey x"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "HRANDFIELD nokey 1 x"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "HSET one f v"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "HRANDFIELD one"), "$1\r\nf\r\n");
    assert_eq!(resp(&mut e, c, "HRANDFIELD one 1"), "*1\r\n$1\r\nf\r\n");
    assert_eq!(resp(&mut e, c, "HRANDFIELD one -3"), "*3\r\n$1\r\nf\r\n$1\r\nf\r\n$1\r\nf\r\n");
    assert_eq!(resp(&mut e, c, "HRANDFIELD one -2 withvalues"), "*4\r\n$1\r\nf\r\n$1\r\nv\r\n$1\r\nf\r\n$1\r\nv\r\n");
    assert_eq!(resp(&mut e, c, "HRANDFIELD one 1 withvalues"), "*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
    assert_eq!(resp(&mut e, c, "HSCAN h 0"), "*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n");
    assert_eq!(resp(&mut e, c, "HSCAN h 0 MATCH b*"), "*2\r\n$1\r\n0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
    assert_eq!(resp(&mut e, c, "HSCAN h 0 MATCH * COUNT 1"), "*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n");
    assert_eq!(resp(&mut e, c, "HSCAN h 12345 count 1"), "*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n");
    assert_eq!(resp(&mut e, c, "HSCAN h -1"), "*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n");
    assert_eq!(resp(&mut e, c, "HSCAN h +0"), "*2\r\n$1\r\n0\r\n*6\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n");
    assert_eq!(resp(&mut e, c, "HSCAN h 0 COUNT 0"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "HSCAN h 0 COUNT -1"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "HSCAN h 0 COUNT x"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "HSCAN h 0 MATCH"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "HSCAN h 0 foo bar"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "HSCAN h 0 TYPE string"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "HSCAN h 18446744073709551616"), "-ERR invalid cursor\r\n");
    assert_eq!(resp(&mut e, c, "HSCAN h 0x1"), "-ERR invalid cursor\r\n");
    assert_eq!(resp(&mut e, c, "HSCAN nokey 0 COUNT 0"), "*2\r\n$1\r\n0\r\n*0\r\n");
    assert_eq!(resp(&mut e, c, "HSCAN nokey 0 bogus"), "*2\r\n$1\r\n0\r\n*0\r\n");
    assert_eq!(resp(&mut e, c, "HSCAN nokey x"), "-ERR invalid cursor\r\n");
    assert_eq!(resp(&mut e, c, "HSCAN h 0 match a count 5 match c"), "*2\r\n$1\r\n0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n");
}

#[test]
fn listpack_to_hashtable_conversion() {
    // Mirrors CONFIG SET hash-max-listpack-entries 4 / -value 8 on Redis.
    let cfg = Config { hash_max_listpack_entries: 4, hash_max_listpack_value: 8, ..Config::default() };
    let (mut e, _) = engine_with(cfg);
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "HSET a f1 1 f2 2 f3 3 f4 4"), ":4\r\n");
    assert_eq!(encoding(&e, "a"), Some("listpack"));
    assert_eq!(resp(&mut e, c, "HSET a f5 5"), ":1\r\n");
    assert_eq!(encoding(&e, "a"), Some("hashtable"));
    assert_eq!(resp(&mut e, c, "HDEL a f1 f2 f3 f4"), ":4\r\n");
    assert_eq!(encoding(&e, "a"), Some("hashtable"), "never converts back");
    // A long value converts at once.
    assert_eq!(resp(&mut e, c, "HSET b f 123456789"), ":1\r\n");
    assert_eq!(encoding(&e, "b"), Some("hashtable"));
    // HINCRBYFLOAT's result is checked like any value: 8 bytes still fit.
    assert_eq!(resp(&mut e, c, "HSET c f 1"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT c f 12345678"), "$8\r\n12345679\r\n");
    assert_eq!(encoding(&e, "c"), Some("listpack"));
    assert_eq!(resp(&mut e, c, "HINCRBYFLOAT c f 100000000"), "$9\r\n112345679\r\n");
    assert_eq!(encoding(&e, "c"), Some("hashtable"));
    // HSETNX on an existing field changes nothing; on a new one it converts.
    assert_eq!(resp(&mut e, c, "HSET d f 1"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "HSETNX d f 123456789"), ":0\r\n");
    assert_eq!(encoding(&e, "d"), Some("listpack"));
    assert_eq!(resp(&mut e, c, "HSETNX d g 123456789"), ":1\r\n");
    assert_eq!(encoding(&e, "d"), Some("hashtable"));
    // A long field name through HINCRBY.
    assert_eq!(resp(&mut e, c, "HSET h f 1"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBY h longfieldname 1"), ":1\r\n");
    assert_eq!(encoding(&e, "h"), Some("hashtable"));
    // Replacing a value by a long one converts too.
    assert_eq!(resp(&mut e, c, "HSET f x 1"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "HSET f x 123456789"), ":0\r\n");
    assert_eq!(encoding(&e, "f"), Some("hashtable"));
    // HSET checks every argument before inserting: the conversion happens
    // even if the long pair comes last.
    assert_eq!(resp(&mut e, c, "HSET g a 1 b 123456789"), ":2\r\n");
    assert_eq!(encoding(&e, "g"), Some("hashtable"));
    // Entry count: exactly max entries stays a listpack, HINCRBY adding the
    // fifth converts.
    assert_eq!(resp(&mut e, c, "HMSET i a 1 b 2 c 3 d 4"), "+OK\r\n");
    assert_eq!(encoding(&e, "i"), Some("listpack"));
    assert_eq!(resp(&mut e, c, "HINCRBY i e 1"), ":1\r\n");
    assert_eq!(encoding(&e, "i"), Some("hashtable"));
}

/// Pulls `[cursor, [items]]` apart.
fn scan_parts(r: Reply) -> (u64, Vec<Vec<u8>>) {
    let Reply::Array(mut parts) = r else { panic!("not a scan reply: {:?}", r) };
    let Reply::Array(items) = parts.pop().unwrap() else { panic!("no items") };
    let Reply::Bulk(cur) = parts.pop().unwrap() else { panic!("no cursor") };
    let cur = std::str::from_utf8(&cur).unwrap().parse().unwrap();
    (cur, items.into_iter().map(|i| if let Reply::Bulk(b) = i { b } else { panic!("item {:?}", i) }).collect())
}

#[test]
fn hscan_full_iteration_under_churn() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    let big = "v".repeat(100);
    for i in 0..1000 {
        assert_eq!(resp(&mut e, c, &format!("HSET h f{} {}{}", i, big, i)), ":1\r\n");
    }
    assert_eq!(encoding(&e, "h"), Some("hashtable"));
    let mut seen = std::collections::HashMap::<Vec<u8>, usize>::new();
    let mut cursor = 0u64;
    let mut next_new = 1000;
    let mut victim = 500;
    let mut steps = 0;
    loop {
        let (next, items) = scan_parts(run(&mut e, c, &format!("HSCAN h {} COUNT 10", cursor)));
        assert_eq!(items.len() % 2, 0);
        for pair in items.chunks(2) {
            let n: usize = std::str::from_utf8(&pair[0][1..]).unwrap().parse().unwrap();
            if n < 500 {
                assert_eq!(pair[1], format!("{}{}", big, n).into_bytes(), "value travels with its field");
            }
            *seen.entry(pair[0].clone()).or_default() += 1;
        }
        // Churn: new fields, deleted fields (never the stable first 500),
        // rewritten values.
        for _ in 0..3 {
            resp(&mut e, c, &format!("HSET h f{} x", next_new));
            next_new += 1;
        }
        resp(&mut e, c, &format!("HDEL h f{}", victim));
        victim += 1;
        resp(&mut e, c, &format!("HSET h f{} {}{}", steps % 500, big, steps % 500));
        steps += 1;
        cursor = next;
        if cursor == 0 {
            break;
        }
        assert!(steps < 10_000, "scan terminates");
    }
    for i in 0..500 {
        assert_eq!(seen.get(format!("f{}", i).as_bytes()), Some(&1), "stable field f{} returned exactly once", i);
    }
    // MATCH filters fields (and their values) after collection.
    let mut cursor = 0u64;
    let mut matched = 0;
    loop {
        let (next, items) = scan_parts(run(&mut e, c, &format!("HSCAN h {} MATCH f1?? COUNT 50", cursor)));
        for pair in items.chunks(2) {
            assert!(pair[0].len() == 4 && pair[0].starts_with(b"f1"));
            matched += 1;
        }
        cursor = next;
        if cursor == 0 {
            break;
        }
    }
    let expected = (100..200).filter(|i| !(500..victim).contains(i)).count();
    assert_eq!(matched, expected);
}

#[test]
fn hrandfield_distinct_and_negative_counts() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    for (name, n) in [("small", 10usize), ("large", 300)] {
        for i in 0..n {
            resp(&mut e, c, &format!("HSET {} f{} v{}", name, i, i));
        }
        for count in [1usize, 2, 3, 5, 9, 10, 11, 50, 99, 100, 101, 200, 299, 300, 301] {
            let Reply::Array(items) = run(&mut e, c, &format!("HRANDFIELD {} {} WITHVALUES", name, count)) else { panic!() };
            let want = count.min(n);
            assert_eq!(items.len(), want * 2, "{} count {}", name, count);
            let mut fields = std::collections::HashSet::new();
            for pair in items.chunks(2) {
                let (Reply::Bulk(f), Reply::Bulk(v)) = (&pair[0], &pair[1]) else { panic!() };
                assert_eq!(&f[1..], &v[1..], "value belongs to its field");
                assert!(fields.insert(f.clone()), "distinct fields");
            }
            let Reply::Array(items) = run(&mut e, c, &format!("HRANDFIELD {} -{}", name, count)) else { panic!() };
            assert_eq!(items.len(), count);
        }
    }
    // A negative count beyond the reply bound is refused instead of
    // allocating without limit; absent keys still answer an empty array.
    assert_eq!(resp(&mut e, c, "HRANDFIELD small -9223372036854775807"), "-ERR value is out of range\r\n");
    assert_eq!(resp(&mut e, c, "HRANDFIELD nokey -9223372036854775807"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "HRANDFIELD small 9223372036854775807"), resp(&mut e, c, "HKEYS small"));
}

#[test]
fn typed_api_agrees_with_execute() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(e.hset(0, b"h", &[(b"a", b"1"), (b"b", b"2")]).unwrap(), 2);
    assert_eq!(resp(&mut e, c, "HGETALL h"), "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n");
    assert_eq!(resp(&mut e, c, "HSET h c 3"), ":1\r\n");
    assert_eq!(e.hgetall(0, b"h").unwrap(), vec![(b"a".to_vec(), b"1".to_vec()), (b"b".to_vec(), b"2".to_vec()), (b"c".to_vec(), b"3".to_vec())]);
    assert_eq!(e.hget(0, b"h", b"c").unwrap(), Some(b"3".to_vec()));
    assert_eq!(e.hmget(0, b"h", &[b"a", b"zz"]).unwrap(), vec![Some(b"1".to_vec()), None]);
    assert_eq!(e.hkeys(0, b"h").unwrap(), vec![b"a".to_vec(), b"b".to_vec(), b"c".to_vec()]);
    assert_eq!(e.hvals(0, b"h").unwrap(), vec![b"1".to_vec(), b"2".to_vec(), b"3".to_vec()]);
    assert_eq!(e.hlen(0, b"h").unwrap(), 3);
    assert_eq!(e.hstrlen(0, b"h", b"a").unwrap(), 1);
    assert!(e.hexists(0, b"h", b"b").unwrap());
    assert!(!e.hsetnx(0, b"h", b"a", b"9").unwrap());
    assert!(e.hsetnx(0, b"h", b"d", b"4").unwrap());
    assert_eq!(resp(&mut e, c, "HGET h d"), "$1\r\n4\r\n");
    assert_eq!(e.hincrby(0, b"h", b"d", 10).unwrap(), 14);
    assert_eq!(resp(&mut e, c, "HINCRBY h d 1"), ":15\r\n");
    assert_eq!(e.hincrbyfloat(0, b"h", b"d", LongDouble::parse(b"0.5").unwrap()).unwrap(), b"15.5".to_vec());
    assert_eq!(e.hdel(0, b"h", &[b"a", b"zz"]).unwrap(), 1);
    assert_eq!(resp(&mut e, c, "HKEYS h"), "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n");
    let args = ScanArgs { cursor: 0, pattern: Some(b"[bc]"), count: 10, type_name: None };
    assert_eq!(e.hscan(0, b"h", &args).unwrap(), (0, vec![b"b".to_vec(), b"2".to_vec(), b"c".to_vec(), b"3".to_vec()]));
    assert_eq!(e.hrandfield_count(0, b"h", 5, true).unwrap().len(), 3);
    assert!(e.hrandfield(0, b"h").unwrap().is_some());
    assert_eq!(resp(&mut e, c, "SET s x"), "+OK\r\n");
    assert_eq!(e.hget(0, b"s", b"a"), Err(redlet::Error::WrongType));
    assert_eq!(e.hset(0, b"s", &[(b"a", b"1")]), Err(redlet::Error::WrongType));
    assert_eq!(e.hdel(0, b"h", &[b"b", b"c", b"d"]).unwrap(), 3);
    assert_eq!(resp(&mut e, c, "HLEN h"), ":0\r\n");
    assert_eq!(e.hset(0, b"h", &[]).unwrap(), 0);
    assert_eq!(resp(&mut e, c, "GET h"), "$-1\r\n", "no empty hash is created");
}

#[test]
fn expired_hash_reads_as_absent() {
    let (mut e, clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "HSET h a 1"), ":1\r\n");
    let now = e.now_ms();
    e.with_ctx(0, |cx| {
        let t = cx.now;
        cx.db().set_expire(b"h", now + 100, t);
        Ok(())
    })
    .unwrap();
    clock.advance_ms(100);
    // Redis keeps a key through its expiry millisecond (expired once now > when).
    assert_eq!(resp(&mut e, c, "HGET h a"), "$1\r\n1\r\n");
    clock.advance_ms(1);
    assert_eq!(resp(&mut e, c, "HGET h a"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "HINCRBY h a 1"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "HGETALL h"), "*2\r\n$1\r\na\r\n$1\r\n1\r\n");
}
