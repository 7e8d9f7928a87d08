//! Sorted-set commands through `execute`: replies checked byte for byte
//! against Redis 7.0.15 in RESP2 and RESP3 (the `exact_*` tests were
//! captured from redis-server 7.0.15), errors and their precedence, wrong
//! types, encodings and conversions, ZSCAN, random picks, blocking pops,
//! expiry, and the typed API agreeing with `execute`.
mod common;
use common::*;

use std::collections::{BTreeMap, HashSet};

use redlet::cmd::zsets::{Aggregate, RangeBy, RangeSpec, RemRange, SetOp, ZAddOptions, ZAddReply};
use redlet::cmd::ScanArgs;
use redlet::types::zset::ScoreRange;
use redlet::{Config, Engine, Protocol, Reply};

/// OBJECT ENCODING of `key` in db 0, read from the keyspace directly.
fn encoding(e: &Engine, key: &str) -> Option<&'static str> {
    e.db(0)?.iter().find(|x| &*x.key == key.as_bytes()).map(|x| x.value.encoding())
}

/// A client that switched to RESP3.
fn client3(e: &mut Engine) -> redlet::ClientId {
    let c = client(e);
    run(e, c, "HELLO 3");
    c
}

/// Runs `line` and renders the reply as RESP3 text.
fn resp3(e: &mut Engine, c: redlet::ClientId, line: &str) -> String {
    String::from_utf8_lossy(&run(e, c, line).to_resp(Protocol::Resp3)).into_owned()
}

/// Runs raw argv and renders the RESP2 reply.
fn resp_argv(e: &mut Engine, c: redlet::ClientId, a: &[&[u8]]) -> String {
    String::from_utf8_lossy(&e.execute(c, a).expect("blocked").to_resp(Protocol::Resp2)).into_owned()
}

/// Exact replies: ZADD: options, every incompatibility error, CH, INCR, NaN, score syntax (strtod: hex, inf).
#[test]
fn exact_zadd_options_and_errors() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    let c3 = client3(&mut e);
    assert_eq!(resp(&mut e, c, "ZADD z 1 a 2 b 3 c"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z 1 a 2 b 3 c"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z"), "-ERR wrong number of arguments for 'zadd' command\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z 1"), "-ERR wrong number of arguments for 'zadd' command\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z 1 a 2"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z nx"), "-ERR wrong number of arguments for 'zadd' command\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z nx xx 1 a"), "-ERR XX and NX options at the same time are not compatible\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z xx nx 1 a"), "-ERR XX and NX options at the same time are not compatible\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z gt lt 1 a"), "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z nx gt 1 a"), "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z nx lt 1 a"), "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z incr 1 a 2 b"), "-ERR INCR option supports a single increment-element pair\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z nx xx incr 1 a 2 b"), "-ERR XX and NX options at the same time are not compatible\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z xx gt lt 1 a"), "-ERR GT, LT, and/or NX options at the same time are not compatible\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z abc a"), "-ERR value is not a valid float\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z 1 a abc b"), "-ERR value is not a valid float\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z nan a"), "-ERR value is not a valid float\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z 1e400 a"), "-ERR value is not a valid float\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z 1e-400 a"), "-ERR value is not a valid float\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z 1.5x a"), "-ERR value is not a valid float\r\n");
    assert_eq!(resp(&mut e, c, "ZSCORE z a"), "$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z 0x10 x 0x1p-2 y 0X.8p1 w"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "ZSCORE z x"), "$2\r\n16\r\n");
    assert_eq!(resp(&mut e, c, "ZSCORE z y"), "$4\r\n0.25\r\n");
    assert_eq!(resp(&mut e, c, "ZSCORE z w"), "$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z inF i1 -Infinity i2 +inf i3"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z 0 -1 WITHSCORES"), "*18\r\n$2\r\ni2\r\n$4\r\n-inf\r\n$1\r\ny\r\n$4\r\n0.25\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nw\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nx\r\n$2\r\n16\r\n$2\r\ni1\r\n$3\r\ninf\r\n$2\r\ni3\r\n$3\r\ninf\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z ch 5 a 2 b 9 new"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z xx ch 6 a 7 nope"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "ZSCORE z nope"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z gt ch 1 a 10 b 11 fresh"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z lt ch 1 a 100 b"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z NX Ch 50 a 51 brandnew"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z xx incr 1 nope"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z nx incr 1 a"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z gt incr -1 a"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z lt incr 1 a"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z lt incr -1 a"), "$1\r\n0\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z incr 2.5 a"), "$3\r\n2.5\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z incr inf a"), "$3\r\ninf\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z incr -inf a"), "-ERR resulting score is not a number (NaN)\r\n");
    assert_eq!(resp(&mut e, c, "ZSCORE z a"), "$3\r\ninf\r\n");
    assert_eq!(resp(&mut e, c, "ZADD new xx 1 a"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZCARD new"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZADD new xx incr 1 a"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "ZADD new xx ch 1 a"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z 1 a a 2"), "-ERR value is not a valid float\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z 3 dup 4 dup"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "ZSCORE z dup"), "$1\r\n4\r\n");
    assert_eq!(resp3(&mut e, c3, "ZADD z incr 1 dup"), ",5\r\n");
    assert_eq!(resp3(&mut e, c3, "ZADD z nx incr 1 dup"), "_\r\n");
    assert_eq!(resp3(&mut e, c3, "ZINCRBY z 1 dup"), ",6\r\n");
    assert_eq!(resp(&mut e, c, "SET str x"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "ZADD str 1 a"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "ZADD str xx 1 a"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "ZADD str abc a"), "-ERR value is not a valid float\r\n");
    assert_eq!(resp(&mut e, c, "ZADD str nx xx 1 a"), "-ERR XX and NX options at the same time are not compatible\r\n");
}

/// Exact replies: ZINCRBY and score printing (%.17g, -0, inf).
#[test]
fn exact_zincrby_scores() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    let c3 = client3(&mut e);
    assert_eq!(resp(&mut e, c, "ZINCRBY z 1 a"), "$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "ZINCRBY z 1.5 a"), "$3\r\n2.5\r\n");
    assert_eq!(resp(&mut e, c, "ZINCRBY z 0.1 b"), "$19\r\n0.10000000000000001\r\n");
    assert_eq!(resp(&mut e, c, "ZINCRBY z 0.2 b"), "$19\r\n0.30000000000000004\r\n");
    assert_eq!(resp(&mut e, c, "ZINCRBY z abc a"), "-ERR value is not a valid float\r\n");
    assert_eq!(resp(&mut e, c, "ZINCRBY z nan a"), "-ERR value is not a valid float\r\n");
    assert_eq!(resp(&mut e, c, "ZINCRBY z nx a"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZINCRBY z INCR a"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZINCRBY z 1 ch"), "$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "ZINCRBY z 1e17 big"), "$5\r\n1e+17\r\n");
    assert_eq!(resp(&mut e, c, "ZINCRBY z 123456789012345678 big2"), "$22\r\n1.2345678901234568e+17\r\n");
    assert_eq!(resp(&mut e, c, "ZINCRBY z -0 negz"), "$2\r\n-0\r\n");
    assert_eq!(resp(&mut e, c, "ZSCORE z negz"), "$1\r\n0\r\n");
    assert_eq!(resp(&mut e, c, "ZINCRBY inf inf a"), "$3\r\ninf\r\n");
    assert_eq!(resp(&mut e, c, "ZINCRBY inf -inf a"), "-ERR resulting score is not a number (NaN)\r\n");
    assert_eq!(resp(&mut e, c, "ZINCRBY inf 1 a"), "$3\r\ninf\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z 0 -1 WITHSCORES"), "*12\r\n$4\r\nnegz\r\n$1\r\n0\r\n$1\r\nb\r\n$19\r\n0.30000000000000004\r\n$2\r\nch\r\n$1\r\n1\r\n$1\r\na\r\n$3\r\n2.5\r\n$3\r\nbig\r\n$5\r\n1e+17\r\n$4\r\nbig2\r\n$22\r\n1.2345678901234568e+17\r\n");
    assert_eq!(resp3(&mut e, c3, "ZRANGE z 0 -1 WITHSCORES"), "*6\r\n*2\r\n$4\r\nnegz\r\n,0\r\n*2\r\n$1\r\nb\r\n,0.30000000000000004\r\n*2\r\n$2\r\nch\r\n,1\r\n*2\r\n$1\r\na\r\n,2.5\r\n*2\r\n$3\r\nbig\r\n,1e+17\r\n*2\r\n$4\r\nbig2\r\n,1.2345678901234568e+17\r\n");
    assert_eq!(resp3(&mut e, c3, "ZINCRBY z 1 a"), ",3.5\r\n");
    assert_eq!(resp(&mut e, c, "ZINCRBY str 1 a"), "$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "SET str x"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "ZINCRBY str 1 a"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
}

/// Exact replies: A listpack stores integral scores as integers (so -0 reads back as 0); a skiplist keeps -0.
#[test]
fn exact_negative_zero_and_listpack_scores() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "ZADD lp -0 a 1e18 b 0.5 c 4611686018427387904 d 4611686018427387905 e"), ":5\r\n");
    assert_eq!(resp(&mut e, c, "ZSCORE lp a"), "$1\r\n0\r\n");
    assert_eq!(resp(&mut e, c, "ZSCAN lp 0"), "*2\r\n$1\r\n0\r\n*10\r\n$1\r\na\r\n$1\r\n0\r\n$1\r\nc\r\n$3\r\n0.5\r\n$1\r\nb\r\n$19\r\n1000000000000000000\r\n$1\r\nd\r\n$19\r\n4611686018427387904\r\n$1\r\ne\r\n$19\r\n4611686018427387904\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE lp 0 -1 WITHSCORES"), "*10\r\n$1\r\na\r\n$1\r\n0\r\n$1\r\nc\r\n$3\r\n0.5\r\n$1\r\nb\r\n$5\r\n1e+18\r\n$1\r\nd\r\n$22\r\n4.6116860184273879e+18\r\n$1\r\ne\r\n$22\r\n4.6116860184273879e+18\r\n");
    resp(&mut e, c, "CONFIG SET zset-max-listpack-entries 0");
    assert_eq!(resp(&mut e, c, "ZADD sl -0 a"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "ZSCORE sl a"), "$2\r\n-0\r\n");
    assert_eq!(encoding(&e, "sl"), Some("skiplist"));
    assert_eq!(encoding(&e, "lp"), Some("listpack"));
    assert_eq!(resp(&mut e, c, "ZSCAN sl 0"), "*2\r\n$1\r\n0\r\n*2\r\n$1\r\na\r\n$2\r\n-0\r\n");
    resp(&mut e, c, "CONFIG SET zset-max-listpack-entries 128");
}

/// Exact replies: ZREM ZCARD ZSCORE ZMSCORE, key deletion and wrong types.
#[test]
fn exact_zrem_zcard_zscore_zmscore() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    let c3 = client3(&mut e);
    assert_eq!(resp(&mut e, c, "ZADD z 1 a 2 b 3 c"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "ZREM z a nope"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "ZREM z nope"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZREM nokey a"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZCARD z"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "ZCARD nokey"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZSCORE z b"), "$1\r\n2\r\n");
    assert_eq!(resp(&mut e, c, "ZSCORE z nope"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "ZSCORE nokey b"), "$-1\r\n");
    assert_eq!(resp3(&mut e, c3, "ZSCORE z b"), ",2\r\n");
    assert_eq!(resp3(&mut e, c3, "ZSCORE z nope"), "_\r\n");
    assert_eq!(resp(&mut e, c, "ZMSCORE z b nope c"), "*3\r\n$1\r\n2\r\n$-1\r\n$1\r\n3\r\n");
    assert_eq!(resp(&mut e, c, "ZMSCORE nokey a b"), "*2\r\n$-1\r\n$-1\r\n");
    assert_eq!(resp3(&mut e, c3, "ZMSCORE z b nope"), "*2\r\n,2\r\n_\r\n");
    assert_eq!(resp(&mut e, c, "ZREM z b c b"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "ZCARD z"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZSCORE z b"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "SET str x"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "ZREM str a"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "ZCARD str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "ZSCORE str a"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "ZMSCORE str a"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
}

/// Exact replies: ZRANK ZREVRANK.
#[test]
fn exact_zrank_zrevrank() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    let c3 = client3(&mut e);
    assert_eq!(resp(&mut e, c, "ZADD z 1 a 2 b 3 c 3 d"), ":4\r\n");
    assert_eq!(resp(&mut e, c, "ZRANK z a"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZRANK z d"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "ZREVRANK z a"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "ZREVRANK z d"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZRANK z nope"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "ZRANK nokey a"), "$-1\r\n");
    assert_eq!(resp3(&mut e, c3, "ZRANK z nope"), "_\r\n");
    assert_eq!(resp3(&mut e, c3, "ZREVRANK nokey a"), "_\r\n");
    assert_eq!(resp(&mut e, c, "SET str x"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "ZRANK str a"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
}

/// Exact replies: ZCOUNT with inclusive, exclusive and infinite ends, and range syntax errors.
#[test]
fn exact_zcount_ranges() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "ZADD z 1 a 2 b 3 c 4 d 5 e -inf ninf inf pinf"), ":7\r\n");
    assert_eq!(resp(&mut e, c, "ZCOUNT z -inf +inf"), ":7\r\n");
    assert_eq!(resp(&mut e, c, "ZCOUNT z (1 3"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "ZCOUNT z 1 (3"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "ZCOUNT z (1 (3"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "ZCOUNT z (3 (3"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZCOUNT z 3 3"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "ZCOUNT z 5 1"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZCOUNT z (-inf (inf"), ":5\r\n");
    assert_eq!(resp(&mut e, c, "ZCOUNT z -Infinity inf"), ":7\r\n");
    assert_eq!(resp(&mut e, c, "ZCOUNT z 0x1 0x3"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "ZCOUNT z ( +inf"), ":6\r\n");
    assert_eq!(resp(&mut e, c, "ZCOUNT z a b"), "-ERR min or max is not a float\r\n");
    assert_eq!(resp(&mut e, c, "ZCOUNT z 1 b"), "-ERR min or max is not a float\r\n");
    assert_eq!(resp(&mut e, c, "ZCOUNT z nan 1"), "-ERR min or max is not a float\r\n");
    assert_eq!(resp(&mut e, c, "ZCOUNT z (nan 1"), "-ERR min or max is not a float\r\n");
    assert_eq!(resp(&mut e, c, "ZCOUNT z 1e400 inf"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "ZCOUNT z -1e400 -inf"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "ZCOUNT nokey 0 1"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZCOUNT nokey a b"), "-ERR min or max is not a float\r\n");
    assert_eq!(resp(&mut e, c, "SET str x"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "ZCOUNT str 0 1"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "ZCOUNT str a b"), "-ERR min or max is not a float\r\n");
}

/// Exact replies: ZLEXCOUNT ZRANGEBYLEX ZREVRANGEBYLEX ZRANGE BYLEX, `[` `(` `-` `+` and their errors.
#[test]
fn exact_lex_ranges() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "ZADD z 0 a 0 b 0 c 0 d 0 e 0 f 0 g"), ":7\r\n");
    assert_eq!(resp(&mut e, c, "ZLEXCOUNT z - +"), ":7\r\n");
    assert_eq!(resp(&mut e, c, "ZLEXCOUNT z [b (f"), ":4\r\n");
    assert_eq!(resp(&mut e, c, "ZLEXCOUNT z (b [f"), ":4\r\n");
    assert_eq!(resp(&mut e, c, "ZLEXCOUNT z + -"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZLEXCOUNT z - -"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZLEXCOUNT z + +"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZLEXCOUNT z [c [c"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "ZLEXCOUNT z (c [c"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZLEXCOUNT z [c (c"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZLEXCOUNT z [d [a"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZLEXCOUNT z a b"), "-ERR min or max not valid string range item\r\n");
    assert_eq!(resp(&mut e, c, "ZLEXCOUNT z [a b"), "-ERR min or max not valid string range item\r\n");
    assert_eq!(resp(&mut e, c, "ZLEXCOUNT z +x +"), "-ERR min or max not valid string range item\r\n");
    assert_eq!(resp(&mut e, c, "ZLEXCOUNT z - -x"), "-ERR min or max not valid string range item\r\n");
    assert_eq!(resp(&mut e, c, "ZLEXCOUNT z [ +"), ":7\r\n");
    assert_eq!(resp(&mut e, c, "ZLEXCOUNT z ( ("), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZLEXCOUNT nokey - +"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZLEXCOUNT nokey a b"), "-ERR min or max not valid string range item\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYLEX z - +"), "*7\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n$1\r\ng\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYLEX z [c +"), "*5\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n$1\r\ng\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYLEX z (c (f"), "*2\r\n$1\r\nd\r\n$1\r\ne\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYLEX z - + LIMIT 1 2"), "*2\r\n$1\r\nb\r\n$1\r\nc\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYLEX z - + LIMIT -1 2"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYLEX z - + LIMIT 1 -1"), "*6\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n$1\r\ng\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYLEX z - + LIMIT 1 0"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYLEX z - + LIMIT 10 1"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYLEX z - + LIMIT 1"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYLEX z - + LIMIT a 1"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYLEX z - + WITHSCORES"), "-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYLEX z - + REV"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYLEX z - + BYSCORE"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYLEX z a +"), "-ERR min or max not valid string range item\r\n");
    assert_eq!(resp(&mut e, c, "ZREVRANGEBYLEX z + -"), "*7\r\n$1\r\ng\r\n$1\r\nf\r\n$1\r\ne\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n");
    assert_eq!(resp(&mut e, c, "ZREVRANGEBYLEX z + - LIMIT 2 3"), "*3\r\n$1\r\ne\r\n$1\r\nd\r\n$1\r\nc\r\n");
    assert_eq!(resp(&mut e, c, "ZREVRANGEBYLEX z [e (b"), "*3\r\n$1\r\ne\r\n$1\r\nd\r\n$1\r\nc\r\n");
    assert_eq!(resp(&mut e, c, "ZREVRANGEBYLEX z - +"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z - + BYLEX"), "*7\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n$1\r\ng\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z + - BYLEX REV"), "*7\r\n$1\r\ng\r\n$1\r\nf\r\n$1\r\ne\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z + - BYLEX REV LIMIT 1 1"), "*1\r\n$1\r\nf\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z [b [d BYLEX LIMIT 0 -1"), "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z - + BYLEX WITHSCORES"), "-ERR syntax error, WITHSCORES not supported in combination with BYLEX\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z 0 -1 BYLEX"), "-ERR min or max not valid string range item\r\n");
    assert_eq!(resp(&mut e, c, "ZADD m 3 a 1 b 2 c"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYLEX m - +"), "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYLEX m [b +"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "ZLEXCOUNT m [b +"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZREVRANGEBYLEX m [c -"), "*3\r\n$1\r\na\r\n$1\r\nc\r\n$1\r\nb\r\n");
    assert_eq!(resp(&mut e, c, "SET str x"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYLEX str - +"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "ZLEXCOUNT str - +"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYLEX str a b"), "-ERR min or max not valid string range item\r\n");
}

/// Exact replies: ZRANGE and ZREVRANGE by rank: negative and huge indexes, WITHSCORES, REV, option errors.
#[test]
fn exact_zrange_by_rank() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    let c3 = client3(&mut e);
    assert_eq!(resp(&mut e, c, "ZADD z 1 a 2 b 3 c 4 d 5 e"), ":5\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z 0 -1"), "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z 1 1 WITHSCORES"), "*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z -2 -1 WITHSCORES"), "*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n");
    assert_eq!(resp3(&mut e, c3, "ZRANGE z -2 -1 WITHSCORES"), "*2\r\n*2\r\n$1\r\nd\r\n,4\r\n*2\r\n$1\r\ne\r\n,5\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z -100 100"), "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z 3 1"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z 5 10"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z 0 -9223372036854775808"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z -9223372036854775808 9223372036854775807"), "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z 0 9223372036854775807 REV"), "*5\r\n$1\r\ne\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z 0 -1 REV"), "*5\r\n$1\r\ne\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z 1 2 REV WITHSCORES"), "*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n3\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z 0 -1 withscores rev"), "*10\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z 0 -1 LIMIT 0 1"), "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z 0 -1 LIMIT 0 -1"), "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z 0 -1 LIMIT 0 -1 WITHSCORES"), "*10\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z 0 -1 REV REV"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z 0 -1 foo"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z 0 -1 LIMIT"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z a b"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z 0 b"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z 9223372036854775808 1"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE nokey 0 -1"), "*0\r\n");
    assert_eq!(resp3(&mut e, c3, "ZRANGE nokey 0 -1"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "ZREVRANGE z 0 1 WITHSCORES"), "*4\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nd\r\n$1\r\n4\r\n");
    assert_eq!(resp(&mut e, c, "ZREVRANGE z 0 -1"), "*5\r\n$1\r\ne\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n");
    assert_eq!(resp(&mut e, c, "ZREVRANGE z -1 -1"), "*1\r\n$1\r\na\r\n");
    assert_eq!(resp(&mut e, c, "ZREVRANGE z 0 1 REV"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZREVRANGE z 0 1 BYSCORE"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZREVRANGE z 0 1 LIMIT 0 1"), "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n");
    assert_eq!(resp(&mut e, c, "SET str x"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE str 0 -1"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE str 0 -1 foo"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE str a b"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "ZREVRANGE str 0 1"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
}

/// Exact replies: ZRANGEBYSCORE ZREVRANGEBYSCORE and ZRANGE BYSCORE with LIMIT (negative offset empties, negative count is unlimited).
#[test]
fn exact_zrange_by_score() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    let c3 = client3(&mut e);
    assert_eq!(resp(&mut e, c, "ZADD z 1 a 2 b 3 c 4 d 5 e 5 f"), ":6\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYSCORE z -inf +inf WITHSCORES"), "*12\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nf\r\n$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYSCORE z (1 +inf"), "*5\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYSCORE z (1 (5"), "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYSCORE z 5 5"), "*2\r\n$1\r\ne\r\n$1\r\nf\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYSCORE z -inf +inf LIMIT 0 2"), "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYSCORE z -inf +inf LIMIT 2 2 WITHSCORES"), "*4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYSCORE z -inf +inf LIMIT 2 -1"), "*4\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYSCORE z -inf +inf LIMIT 2 0"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYSCORE z -inf +inf LIMIT -1 2"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYSCORE z -inf +inf LIMIT 6 2"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYSCORE z -inf +inf LIMIT 5 2"), "*1\r\n$1\r\nf\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYSCORE z 2 4 LIMIT 1 10"), "*2\r\n$1\r\nc\r\n$1\r\nd\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYSCORE z -inf +inf REV"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYSCORE z -inf +inf BYLEX"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYSCORE z x y"), "-ERR min or max is not a float\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYSCORE z 1 y"), "-ERR min or max is not a float\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYSCORE z -inf +inf WITHSCORES LIMIT 0 1 WITHSCORES"), "*2\r\n$1\r\na\r\n$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "ZREVRANGEBYSCORE z +inf -inf WITHSCORES"), "*12\r\n$1\r\nf\r\n$1\r\n5\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n");
    assert_eq!(resp3(&mut e, c3, "ZREVRANGEBYSCORE z +inf -inf WITHSCORES"), "*6\r\n*2\r\n$1\r\nf\r\n,5\r\n*2\r\n$1\r\ne\r\n,5\r\n*2\r\n$1\r\nd\r\n,4\r\n*2\r\n$1\r\nc\r\n,3\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\na\r\n,1\r\n");
    assert_eq!(resp(&mut e, c, "ZREVRANGEBYSCORE z 4 (1"), "*3\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n");
    assert_eq!(resp(&mut e, c, "ZREVRANGEBYSCORE z -inf +inf"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "ZREVRANGEBYSCORE z +inf -inf LIMIT 1 2"), "*2\r\n$1\r\ne\r\n$1\r\nd\r\n");
    assert_eq!(resp(&mut e, c, "ZREVRANGEBYSCORE z +inf -inf LIMIT 5 2"), "*1\r\n$1\r\na\r\n");
    assert_eq!(resp(&mut e, c, "ZREVRANGEBYSCORE z +inf -inf LIMIT 6 2"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z -inf +inf BYSCORE"), "*6\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z (2 4 BYSCORE WITHSCORES"), "*4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z +inf -inf BYSCORE REV LIMIT 1 2 WITHSCORES"), "*4\r\n$1\r\ne\r\n$1\r\n5\r\n$1\r\nd\r\n$1\r\n4\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z -inf +inf BYSCORE REV"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z -inf +inf BYSCORE LIMIT a 2"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z -inf +inf BYSCORE LIMIT 1 b"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z -inf +inf BYSCORE BYSCORE"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z -inf +inf BYSCORE BYLEX"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z -inf +inf BYLEX BYSCORE"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE nokey -inf +inf BYSCORE"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE nokey x y BYSCORE"), "-ERR min or max is not a float\r\n");
    assert_eq!(resp(&mut e, c, "SET str x"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYSCORE str 0 1"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGEBYSCORE str x y"), "-ERR min or max is not a float\r\n");
}

/// Exact replies: ZRANGESTORE: stored encodings, deletion of the destination on an empty result, option errors.
#[test]
fn exact_zrangestore() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "ZADD z 1 a 2 b 3 c 4 d 5 e"), ":5\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGESTORE dst z 0 -1"), ":5\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE dst 0 -1 WITHSCORES"), "*10\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n");
    assert_eq!(encoding(&e, "dst"), Some("listpack"));
    assert_eq!(resp(&mut e, c, "ZRANGESTORE dst z 1 2 BYSCORE"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE dst 0 -1 WITHSCORES"), "*4\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGESTORE dst z +inf -inf BYSCORE REV LIMIT 0 2"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE dst 0 -1 WITHSCORES"), "*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGESTORE dst z 3 0 REV"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE dst 0 -1"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGESTORE dst z 10 20 BYSCORE"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZCARD dst"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGESTORE dst z 0 -1"), ":5\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGESTORE dst nokey 0 -1"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZCARD dst"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZADD lx 0 a 0 b 0 c"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGESTORE dst lx [b + BYLEX"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE dst 0 -1"), "*2\r\n$1\r\nb\r\n$1\r\nc\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGESTORE dst z 0 -1 WITHSCORES"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGESTORE dst z 0 -1 LIMIT 0 1"), "-ERR syntax error, LIMIT is only supported in combination with either BYSCORE or BYLEX\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGESTORE dst z a b"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGESTORE dst z - + BYLEX WITHSCORES"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "SET str x"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGESTORE dst str 0 -1"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGESTORE str z 0 -1"), ":5\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE str 0 -1"), "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n");
}

/// Exact replies: ZREMRANGEBYRANK ZREMRANGEBYSCORE ZREMRANGEBYLEX, key deletion, errors before the lookup.
#[test]
fn exact_zremrange() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "ZADD z 1 a 2 b 3 c 4 d 5 e 6 f 7 g"), ":7\r\n");
    assert_eq!(resp(&mut e, c, "ZREMRANGEBYRANK z 0 0"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "ZREMRANGEBYRANK z -1 -1"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "ZREMRANGEBYRANK z 10 20"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZREMRANGEBYRANK z 3 1"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZREMRANGEBYRANK z a 0"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "ZREMRANGEBYRANK z 0 a"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z 0 -1"), "*5\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n");
    assert_eq!(resp(&mut e, c, "ZREMRANGEBYSCORE z (2 3"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "ZREMRANGEBYSCORE z a 2"), "-ERR min or max is not a float\r\n");
    assert_eq!(resp(&mut e, c, "ZREMRANGEBYSCORE z 10 20"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z 0 -1"), "*4\r\n$1\r\nb\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nf\r\n");
    assert_eq!(resp(&mut e, c, "ZADD l 0 a 0 b 0 c 0 d"), ":4\r\n");
    assert_eq!(resp(&mut e, c, "ZREMRANGEBYLEX l [a (c"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "ZREMRANGEBYLEX l a [b"), "-ERR min or max not valid string range item\r\n");
    assert_eq!(resp(&mut e, c, "ZREMRANGEBYLEX l + -"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE l 0 -1"), "*2\r\n$1\r\nc\r\n$1\r\nd\r\n");
    assert_eq!(resp(&mut e, c, "ZREMRANGEBYLEX l - +"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "ZCARD l"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZREMRANGEBYRANK z 0 -1"), ":4\r\n");
    assert_eq!(resp(&mut e, c, "ZCARD z"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZREMRANGEBYRANK nokey 0 1"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZREMRANGEBYSCORE nokey 0 1"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZREMRANGEBYLEX nokey - +"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "SET str x"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "ZREMRANGEBYRANK str 0 1"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "ZREMRANGEBYRANK str a 1"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "ZREMRANGEBYSCORE str 0 1"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "ZREMRANGEBYLEX str - +"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
}

/// Exact replies: ZPOPMIN ZPOPMAX: flat pairs without a count, nested pairs in RESP3 with one, count errors.
#[test]
fn exact_zpop_shapes() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    let c3 = client3(&mut e);
    assert_eq!(resp(&mut e, c, "ZADD p 1 a 2 b 3 c 4 d 5 e 6 f"), ":6\r\n");
    assert_eq!(resp(&mut e, c, "ZPOPMIN p"), "*2\r\n$1\r\na\r\n$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "ZPOPMAX p"), "*2\r\n$1\r\nf\r\n$1\r\n6\r\n");
    assert_eq!(resp3(&mut e, c3, "ZPOPMIN p"), "*2\r\n$1\r\nb\r\n,2\r\n");
    assert_eq!(resp3(&mut e, c3, "ZPOPMAX p 1"), "*1\r\n*2\r\n$1\r\ne\r\n,5\r\n");
    assert_eq!(resp(&mut e, c, "ZPOPMIN p 0"), "*0\r\n");
    assert_eq!(resp3(&mut e, c3, "ZPOPMIN p 0"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "ZPOPMIN p -1"), "-ERR value is out of range, must be positive\r\n");
    assert_eq!(resp(&mut e, c, "ZPOPMIN p abc"), "-ERR value is out of range, must be positive\r\n");
    assert_eq!(resp(&mut e, c, "ZPOPMIN p 1 2"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZPOPMIN nokey"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "ZPOPMIN nokey 3"), "*0\r\n");
    assert_eq!(resp3(&mut e, c3, "ZPOPMIN nokey"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "ZPOPMAX p 10"), "*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n3\r\n");
    assert_eq!(resp(&mut e, c, "ZCARD p"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "SET str x"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "ZPOPMIN str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "ZPOPMIN str 0"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "ZPOPMIN str -1"), "-ERR value is out of range, must be positive\r\n");
}

/// Exact replies: ZMPOP: first non-empty key, COUNT, reply shapes and errors.
#[test]
fn exact_zmpop() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    let c3 = client3(&mut e);
    assert_eq!(resp(&mut e, c, "ZADD p 1 a 2 b 3 c"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "ZMPOP 1 p MIN"), "*2\r\n$1\r\np\r\n*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "ZMPOP 2 nokey p MAX COUNT 10"), "*2\r\n$1\r\np\r\n*2\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
    assert_eq!(resp(&mut e, c, "ZMPOP 1 p MIN"), "*-1\r\n");
    assert_eq!(resp3(&mut e, c3, "ZMPOP 1 p MIN"), "_\r\n");
    assert_eq!(resp(&mut e, c, "ZADD p 1 a 2 b 3 c"), ":3\r\n");
    assert_eq!(resp3(&mut e, c3, "ZMPOP 1 p max count 2"), "*2\r\n$1\r\np\r\n*2\r\n*2\r\n$1\r\nc\r\n,3\r\n*2\r\n$1\r\nb\r\n,2\r\n");
    assert_eq!(resp(&mut e, c, "ZMPOP 0 p MIN"), "-ERR numkeys should be greater than 0\r\n");
    assert_eq!(resp(&mut e, c, "ZMPOP -1 p MIN"), "-ERR numkeys should be greater than 0\r\n");
    assert_eq!(resp(&mut e, c, "ZMPOP a p MIN"), "-ERR numkeys should be greater than 0\r\n");
    assert_eq!(resp(&mut e, c, "ZMPOP 2 p MIN"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZMPOP 1 p FOO"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZMPOP 1 p MIN COUNT 0"), "-ERR count should be greater than 0\r\n");
    assert_eq!(resp(&mut e, c, "ZMPOP 1 p MIN COUNT -1"), "-ERR count should be greater than 0\r\n");
    assert_eq!(resp(&mut e, c, "ZMPOP 1 p MIN COUNT a"), "-ERR count should be greater than 0\r\n");
    assert_eq!(resp(&mut e, c, "ZMPOP 1 p MIN COUNT 1 COUNT 1"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZMPOP 1 p MIN COUNT"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZMPOP 1 p MIN foo"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "SET str x"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "ZMPOP 1 str MIN"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "ZMPOP 2 nokey str MIN"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "ZMPOP 2 p str MIN"), "*2\r\n$1\r\np\r\n*1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
}

/// Exact replies: ZRANDMEMBER cases with a fixed reply: whole set (highest first), zero, errors, absent key.
#[test]
fn exact_zrandmember_deterministic() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    let c3 = client3(&mut e);
    assert_eq!(resp(&mut e, c, "ZADD z 1 a 2 b 3 c 4 d"), ":4\r\n");
    assert_eq!(resp(&mut e, c, "ZRANDMEMBER z 100"), "*4\r\n$1\r\nd\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n");
    assert_eq!(resp(&mut e, c, "ZRANDMEMBER z 4 WITHSCORES"), "*8\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\na\r\n$1\r\n1\r\n");
    assert_eq!(resp3(&mut e, c3, "ZRANDMEMBER z 4 WITHSCORES"), "*4\r\n*2\r\n$1\r\nd\r\n,4\r\n*2\r\n$1\r\nc\r\n,3\r\n*2\r\n$1\r\nb\r\n,2\r\n*2\r\n$1\r\na\r\n,1\r\n");
    assert_eq!(resp(&mut e, c, "ZRANDMEMBER z 0"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "ZRANDMEMBER z 0 WITHSCORES"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "ZRANDMEMBER z 1 WITHSCORES x"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZRANDMEMBER z 1 FOO"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZRANDMEMBER z -9223372036854775808"), "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n");
    assert_eq!(resp(&mut e, c, "ZRANDMEMBER z 9223372036854775807 WITHSCORES"), "-ERR value is out of range\r\n");
    assert_eq!(resp(&mut e, c, "ZRANDMEMBER z -4611686018427387904 WITHSCORES"), "-ERR value is out of range\r\n");
    assert_eq!(resp(&mut e, c, "ZRANDMEMBER z abc"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "ZRANDMEMBER nokey"), "$-1\r\n");
    assert_eq!(resp3(&mut e, c3, "ZRANDMEMBER nokey"), "_\r\n");
    assert_eq!(resp(&mut e, c, "ZRANDMEMBER nokey 5"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "ZRANDMEMBER nokey -5 WITHSCORES"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "SET str x"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "ZRANDMEMBER str 5"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "ZRANDMEMBER str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
}

/// Exact replies: ZUNION ZINTER ZDIFF with WEIGHTS, AGGREGATE, sets as inputs (score 1), infinities.
#[test]
fn exact_set_operations() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    let c3 = client3(&mut e);
    assert_eq!(resp(&mut e, c, "ZADD za 1 a 2 b 3 c"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "ZADD zb 10 b 20 c 30 d"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "SADD sa a b x"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "SADD si 1 2 3"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "ZADD zn 1 1 2 2 5 5"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "ZUNION 2 za zb WITHSCORES"), "*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$2\r\n12\r\n$1\r\nc\r\n$2\r\n23\r\n$1\r\nd\r\n$2\r\n30\r\n");
    assert_eq!(resp3(&mut e, c3, "ZUNION 2 za zb WITHSCORES"), "*4\r\n*2\r\n$1\r\na\r\n,1\r\n*2\r\n$1\r\nb\r\n,12\r\n*2\r\n$1\r\nc\r\n,23\r\n*2\r\n$1\r\nd\r\n,30\r\n");
    assert_eq!(resp(&mut e, c, "ZUNION 2 za zb"), "*4\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n");
    assert_eq!(resp(&mut e, c, "ZUNION 2 za zb WEIGHTS 2 3 WITHSCORES"), "*8\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$2\r\n34\r\n$1\r\nc\r\n$2\r\n66\r\n$1\r\nd\r\n$2\r\n90\r\n");
    assert_eq!(resp(&mut e, c, "ZUNION 2 za zb WEIGHTS 2 WITHSCORES"), "-ERR weight value is not a float\r\n");
    assert_eq!(resp(&mut e, c, "ZUNION 2 za zb WEIGHTS 2 abc"), "-ERR weight value is not a float\r\n");
    assert_eq!(resp(&mut e, c, "ZUNION 2 za zb WEIGHTS 0x2 nan"), "-ERR weight value is not a float\r\n");
    assert_eq!(resp(&mut e, c, "ZUNION 2 za zb AGGREGATE MIN WITHSCORES"), "*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nd\r\n$2\r\n30\r\n");
    assert_eq!(resp(&mut e, c, "ZUNION 2 za zb AGGREGATE max WITHSCORES"), "*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$2\r\n10\r\n$1\r\nc\r\n$2\r\n20\r\n$1\r\nd\r\n$2\r\n30\r\n");
    assert_eq!(resp(&mut e, c, "ZUNION 2 za zb AGGREGATE foo"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZUNION 2 za zb AGGREGATE"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZUNION 2 za zb WITHSCORES WITHSCORES"), "*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$2\r\n12\r\n$1\r\nc\r\n$2\r\n23\r\n$1\r\nd\r\n$2\r\n30\r\n");
    assert_eq!(resp(&mut e, c, "ZUNION 3 za zb sa WITHSCORES"), "*10\r\n$1\r\nx\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$2\r\n13\r\n$1\r\nc\r\n$2\r\n23\r\n$1\r\nd\r\n$2\r\n30\r\n");
    assert_eq!(resp(&mut e, c, "ZUNION 3 za si zn WITHSCORES"), "*14\r\n$1\r\n3\r\n$1\r\n1\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\nb\r\n$1\r\n2\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\n5\r\n$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "ZINTER 2 za zb WITHSCORES"), "*4\r\n$1\r\nb\r\n$2\r\n12\r\n$1\r\nc\r\n$2\r\n23\r\n");
    assert_eq!(resp(&mut e, c, "ZINTER 3 za zb sa WITHSCORES"), "*2\r\n$1\r\nb\r\n$2\r\n13\r\n");
    assert_eq!(resp(&mut e, c, "ZINTER 2 za sa WITHSCORES"), "*4\r\n$1\r\na\r\n$1\r\n2\r\n$1\r\nb\r\n$1\r\n3\r\n");
    assert_eq!(resp(&mut e, c, "ZINTER 2 si zn WITHSCORES"), "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n2\r\n$1\r\n3\r\n");
    assert_eq!(resp(&mut e, c, "ZINTER 2 za za WEIGHTS 1 2 WITHSCORES"), "*6\r\n$1\r\na\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n6\r\n$1\r\nc\r\n$1\r\n9\r\n");
    assert_eq!(resp(&mut e, c, "ZINTER 2 za nokey"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "ZDIFF 2 za zb WITHSCORES"), "*2\r\n$1\r\na\r\n$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "ZDIFF 2 za sa WITHSCORES"), "*2\r\n$1\r\nc\r\n$1\r\n3\r\n");
    assert_eq!(resp(&mut e, c, "ZDIFF 2 za za"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "ZDIFF 2 za nokey"), "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
    assert_eq!(resp(&mut e, c, "ZDIFF 1 nokey"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "ZDIFF 2 za zb WEIGHTS 1 1"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZDIFF 2 za zb AGGREGATE SUM"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZADD i1 inf a -inf b"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "ZADD i2 -inf a inf b"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "ZUNION 2 i1 i2 WITHSCORES"), "*4\r\n$1\r\na\r\n$1\r\n0\r\n$1\r\nb\r\n$1\r\n0\r\n");
    assert_eq!(resp(&mut e, c, "ZINTER 2 i1 i2 WITHSCORES"), "*4\r\n$1\r\na\r\n$1\r\n0\r\n$1\r\nb\r\n$1\r\n0\r\n");
    assert_eq!(resp(&mut e, c, "ZUNION 2 i1 i2 WEIGHTS 0 1 WITHSCORES"), "*4\r\n$1\r\na\r\n$4\r\n-inf\r\n$1\r\nb\r\n$3\r\ninf\r\n");
    assert_eq!(resp(&mut e, c, "ZINTER 2 i1 i2 WEIGHTS 1 0 WITHSCORES"), "*4\r\n$1\r\na\r\n$1\r\n0\r\n$1\r\nb\r\n$1\r\n0\r\n");
    assert_eq!(resp(&mut e, c, "ZINTER 2 i1 i2 WEIGHTS 1 0 AGGREGATE MIN WITHSCORES"), "*4\r\n$1\r\nb\r\n$4\r\n-inf\r\n$1\r\na\r\n$3\r\ninf\r\n");
    assert_eq!(resp(&mut e, c, "ZINTER 2 i1 i2 WEIGHTS 1 0 AGGREGATE MAX WITHSCORES"), "*4\r\n$1\r\nb\r\n$4\r\n-inf\r\n$1\r\na\r\n$3\r\ninf\r\n");
    // Inputs of equal size keep their order (stable sort): the sum's rounding shows it.
    assert_eq!(resp(&mut e, c, "ZADD A 1e16 x"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "ZADD B 1 x"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "ZADD C -1e16 x"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "ZINTER 3 A B C WITHSCORES"), "*2\r\n$1\r\nx\r\n$1\r\n0\r\n");
    assert_eq!(resp(&mut e, c, "ZINTER 3 A C B WITHSCORES"), "*2\r\n$1\r\nx\r\n$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "ZUNION 3 B A C WITHSCORES"), "*2\r\n$1\r\nx\r\n$1\r\n0\r\n");
    assert_eq!(resp(&mut e, c, "ZUNION 0 za"), "-ERR at least 1 input key is needed for 'zunion' command\r\n");
    assert_eq!(resp(&mut e, c, "ZUNION -1 za"), "-ERR at least 1 input key is needed for 'zunion' command\r\n");
    assert_eq!(resp(&mut e, c, "ZUNION abc za"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "ZUNION 3 za zb"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "SET str x"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "ZINTER 2 za str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "ZINTER 2 nokey str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "ZINTER 2 str nokey"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "ZINTER 2 str za WEIGHTS 1"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "ZDIFF 1 str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
}

/// Exact replies: ZUNIONSTORE ZINTERSTORE ZDIFFSTORE and ZINTERCARD: stored encodings, empty results deleting the destination.
#[test]
fn exact_set_operation_stores() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "ZADD za 1 a 2 b 3 c"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "ZADD zb 10 b 20 c 30 d"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "ZUNIONSTORE out 2 za zb"), ":4\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE out 0 -1 WITHSCORES"), "*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$2\r\n12\r\n$1\r\nc\r\n$2\r\n23\r\n$1\r\nd\r\n$2\r\n30\r\n");
    assert_eq!(encoding(&e, "out"), Some("listpack"));
    assert_eq!(resp(&mut e, c, "ZUNIONSTORE out 2 za zb WITHSCORES"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZINTERSTORE out 2 za zb WEIGHTS 0 0"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE out 0 -1 WITHSCORES"), "*4\r\n$1\r\nb\r\n$1\r\n0\r\n$1\r\nc\r\n$1\r\n0\r\n");
    assert_eq!(resp(&mut e, c, "ZDIFFSTORE out 2 za zb"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE out 0 -1 WITHSCORES"), "*2\r\n$1\r\na\r\n$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "ZINTERSTORE out 2 za nokey"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZCARD out"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZDIFFSTORE out 2 za za"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZUNIONSTORE out 0 za"), "-ERR at least 1 input key is needed for 'zunionstore' command\r\n");
    assert_eq!(resp(&mut e, c, "ZINTERSTORE out 3 za"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZDIFFSTORE out 1 nokey"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZDIFFSTORE out 2 za zb WEIGHTS 1 2"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZINTERCARD 2 za zb"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "ZINTERCARD 2 za zb LIMIT 1"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "ZINTERCARD 2 za zb LIMIT 0"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "ZINTERCARD 2 za zb LIMIT -1"), "-ERR LIMIT can't be negative\r\n");
    assert_eq!(resp(&mut e, c, "ZINTERCARD 2 za zb LIMIT abc"), "-ERR LIMIT can't be negative\r\n");
    assert_eq!(resp(&mut e, c, "ZINTERCARD 2 za zb WITHSCORES"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZINTERCARD 2 za zb WEIGHTS 1 1"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZINTERCARD 2 za zb AGGREGATE MIN"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZINTERCARD 3 za zb"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZINTERCARD 0 za"), "-ERR at least 1 input key is needed for 'zintercard' command\r\n");
    assert_eq!(resp(&mut e, c, "ZINTERCARD 1 nokey"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "SET str x"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "ZINTERCARD 2 za str LIMIT -1"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "ZUNIONSTORE str 1 za"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE str 0 -1"), "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
    assert_eq!(resp(&mut e, c, "ZUNIONSTORE out 1 str"), ":3\r\n");
}

/// ZADD builds a listpack unless the first member is too long (or the
/// entry limit is 0); it converts at entry 129 or at a 65-byte member and
/// never converts back, even when shrinking (checked on redis-server).
#[test]
fn encodings_and_conversions() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    let members: Vec<String> = (0..128).map(|i| format!("{} m{}", i, i)).collect();
    assert_eq!(resp(&mut e, c, &format!("ZADD big {}", members.join(" "))), ":128\r\n");
    assert_eq!(encoding(&e, "big"), Some("listpack"));
    assert_eq!(resp(&mut e, c, "ZADD big 128 m128"), ":1\r\n");
    assert_eq!(encoding(&e, "big"), Some("skiplist"));
    assert_eq!(resp(&mut e, c, "ZREMRANGEBYRANK big 0 100"), ":101\r\n");
    assert_eq!(encoding(&e, "big"), Some("skiplist"));
    // Updating an existing member never converts.
    assert_eq!(resp(&mut e, c, "ZADD small 1 a 2 b"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "ZINCRBY small 5 a"), "$1\r\n6\r\n");
    assert_eq!(encoding(&e, "small"), Some("listpack"));
    let x64 = "x".repeat(64);
    let y65 = "y".repeat(65);
    assert_eq!(resp(&mut e, c, &format!("ZADD long 1 {}", x64)), ":1\r\n");
    assert_eq!(encoding(&e, "long"), Some("listpack"));
    assert_eq!(resp(&mut e, c, &format!("ZADD long 1 {}", y65)), ":1\r\n");
    assert_eq!(encoding(&e, "long"), Some("skiplist"));
    assert_eq!(resp(&mut e, c, &format!("ZADD long2 1 {}", y65)), ":1\r\n");
    assert_eq!(encoding(&e, "long2"), Some("skiplist"));
    assert_eq!(resp(&mut e, c, &format!("ZADD long3 1 a 2 {}", y65)), ":2\r\n");
    assert_eq!(encoding(&e, "long3"), Some("skiplist"));
    // A rejected XX addition does not convert.
    assert_eq!(resp(&mut e, c, &format!("ZADD small XX 1 {}", y65)), ":0\r\n");
    assert_eq!(encoding(&e, "small"), Some("listpack"));
    // Stores rebuild by size: a small result of a skiplist is a listpack.
    assert_eq!(resp(&mut e, c, "ZUNIONSTORE u 1 big"), ":28\r\n");
    assert_eq!(encoding(&e, "u"), Some("listpack"));
    assert_eq!(resp(&mut e, c, "ZUNIONSTORE u 1 long"), ":2\r\n");
    assert_eq!(encoding(&e, "u"), Some("skiplist"));
    assert_eq!(resp(&mut e, c, "ZINTERSTORE u 2 long long"), ":2\r\n");
    assert_eq!(encoding(&e, "u"), Some("skiplist"));
    assert_eq!(resp(&mut e, c, "ZDIFFSTORE u 2 big small"), ":28\r\n");
    assert_eq!(encoding(&e, "u"), Some("listpack"));
    // ZRANGESTORE: a rank range longer than 128 starts as a skiplist; score
    // and lex ranges start as a listpack and convert while filled.
    let all: Vec<String> = (0..200).map(|i| format!("{} n{}", i, i)).collect();
    assert_eq!(resp(&mut e, c, &format!("ZADD two {}", all.join(" "))), ":200\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGESTORE r two 0 128"), ":129\r\n");
    assert_eq!(encoding(&e, "r"), Some("skiplist"));
    assert_eq!(resp(&mut e, c, "ZRANGESTORE r two 0 127"), ":128\r\n");
    assert_eq!(encoding(&e, "r"), Some("listpack"));
    assert_eq!(resp(&mut e, c, "ZRANGESTORE r two -inf +inf BYSCORE"), ":200\r\n");
    assert_eq!(encoding(&e, "r"), Some("skiplist"));
    assert_eq!(resp(&mut e, c, "ZRANGESTORE r long -inf +inf BYSCORE"), ":2\r\n");
    assert_eq!(encoding(&e, "r"), Some("skiplist"));
    // Configured limits apply.
    resp(&mut e, c, "CONFIG SET zset-max-listpack-entries 2");
    assert_eq!(resp(&mut e, c, "ZADD cfg 1 a 2 b"), ":2\r\n");
    assert_eq!(encoding(&e, "cfg"), Some("listpack"));
    assert_eq!(resp(&mut e, c, "ZADD cfg 3 c"), ":1\r\n");
    assert_eq!(encoding(&e, "cfg"), Some("skiplist"));
    resp(&mut e, c, "CONFIG SET zset-max-listpack-entries 0");
    assert_eq!(resp(&mut e, c, "ZADD cfg0 1 a"), ":1\r\n");
    assert_eq!(encoding(&e, "cfg0"), Some("skiplist"));
    resp(&mut e, c, "CONFIG SET zset-max-listpack-entries 128");
    resp(&mut e, c, "CONFIG SET zset-max-listpack-value 0");
    assert_eq!(resp(&mut e, c, "ZADD cfgv 1 a"), ":1\r\n");
    assert_eq!(encoding(&e, "cfgv"), Some("skiplist"));
}

/// Arguments the space-split helpers cannot carry: empty strings, NUL bytes
/// and spaces (replies checked on redis-server).
#[test]
fn odd_arguments() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(resp_argv(&mut e, c, &[b"ZADD", b"z", b"1", b""]), ":1\r\n");
    assert_eq!(resp_argv(&mut e, c, &[b"ZSCORE", b"z", b""]), "$1\r\n1\r\n");
    assert_eq!(resp_argv(&mut e, c, &[b"ZADD", b"z", b"", b"a"]), "-ERR value is not a valid float\r\n");
    assert_eq!(resp_argv(&mut e, c, &[b"ZADD", b"z", b" 1", b"a"]), "-ERR value is not a valid float\r\n");
    assert_eq!(resp_argv(&mut e, c, &[b"ZADD", b"z", b"1\x00", b"a"]), "-ERR value is not a valid float\r\n");
    assert_eq!(resp_argv(&mut e, c, &[b"ZADD", b"z", b"2", b"b\x00c"]), ":1\r\n");
    assert_eq!(resp_argv(&mut e, c, &[b"ZRANGE", b"z", b"0", b"-1"]), "*2\r\n$0\r\n\r\n$3\r\nb\x00c\r\n");
    // Range ends go through strtod up to the end of the C string: leading
    // spaces, an empty end (0) and a NUL terminator are accepted.
    assert_eq!(resp_argv(&mut e, c, &[b"ZCOUNT", b"z", b" 1", b"2"]), ":2\r\n");
    assert_eq!(resp_argv(&mut e, c, &[b"ZCOUNT", b"z", b"", b"1\x00junk"]), ":1\r\n");
    assert_eq!(resp_argv(&mut e, c, &[b"ZCOUNT", b"z", b"(", b"+inf"]), ":2\r\n");
    assert_eq!(resp_argv(&mut e, c, &[b"ZCOUNT", b"z", b" ", b"+inf"]), "-ERR min or max is not a float\r\n");
    assert_eq!(resp_argv(&mut e, c, &[b"ZCOUNT", b"z", b"1 ", b"+inf"]), "-ERR min or max is not a float\r\n");
    // Lex ends: `+`/`-` must be alone (up to a NUL), `[`/`(` keep all bytes.
    assert_eq!(resp_argv(&mut e, c, &[b"ZLEXCOUNT", b"z", b"-\x00x", b"+"]), ":2\r\n");
    assert_eq!(resp_argv(&mut e, c, &[b"ZLEXCOUNT", b"z", b"", b"+"]), "-ERR min or max not valid string range item\r\n");
    assert_eq!(resp_argv(&mut e, c, &[b"ZLEXCOUNT", b"z", b"(", b"+"]), ":1\r\n");
    assert_eq!(resp_argv(&mut e, c, &[b"ZRANGEBYLEX", b"z", b"[b\x00", b"+"]), "*1\r\n$3\r\nb\x00c\r\n");
    assert_eq!(resp_argv(&mut e, c, &[b"ZADD", b"s", b"1", b"a b"]), ":1\r\n");
    assert_eq!(resp_argv(&mut e, c, &[b"ZRANK", b"s", b"a b"]), ":0\r\n");
}

/// Members with equal scores order by bytes (memcmp, shorter first), in
/// both encodings.
#[test]
fn tie_order_is_bytewise() {
    for entries in ["128", "0"] {
        let (mut e, _) = engine();
        let c = client(&mut e);
        resp(&mut e, c, &format!("CONFIG SET zset-max-listpack-entries {}", entries));
        assert_eq!(resp_argv(&mut e, c, &[b"ZADD", b"z", b"1", b"b", b"1", b"a\xff", b"1", b"a", b"1", b"B", b"0", b"zz"]), ":5\r\n");
        assert_eq!(
            resp(&mut e, c, "ZRANGE z 0 -1"),
            "*5\r\n$2\r\nzz\r\n$1\r\nB\r\n$1\r\na\r\n$2\r\na\u{fffd}\r\n$1\r\nb\r\n"
        );
        assert_eq!(resp(&mut e, c, "ZRANK z b"), ":4\r\n");
        assert_eq!(resp(&mut e, c, "ZREVRANK z zz"), ":4\r\n");
    }
}

/// ZSCAN: a listpack comes back whole, in order, with cursor 0 and scores
/// as the listpack stores them; a skiplist is scanned with cursors and
/// returns every member present for the whole scan exactly once.
#[test]
fn zscan_semantics() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "ZADD z 3 c 1 a 2.5 b 1e18 big"), ":4\r\n");
    assert_eq!(
        resp(&mut e, c, "ZSCAN z 0"),
        "*2\r\n$1\r\n0\r\n*8\r\n$1\r\na\r\n$1\r\n1\r\n$1\r\nb\r\n$3\r\n2.5\r\n$1\r\nc\r\n$1\r\n3\r\n$3\r\nbig\r\n$19\r\n1000000000000000000\r\n"
    );
    assert_eq!(resp(&mut e, c, "ZSCAN z 0 MATCH b*"), "*2\r\n$1\r\n0\r\n*4\r\n$1\r\nb\r\n$3\r\n2.5\r\n$3\r\nbig\r\n$19\r\n1000000000000000000\r\n");
    assert_eq!(resp(&mut e, c, "ZSCAN z 0 COUNT 0"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZSCAN z 0 COUNT x"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "ZSCAN z 0 FOO"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "ZSCAN z abc"), "-ERR invalid cursor\r\n");
    assert_eq!(resp(&mut e, c, "ZSCAN nokey abc"), "-ERR invalid cursor\r\n");
    // Options are only looked at once the key exists.
    assert_eq!(resp(&mut e, c, "ZSCAN nokey 0 COUNT 0"), "*2\r\n$1\r\n0\r\n*0\r\n");
    resp(&mut e, c, "SET str x");
    assert_eq!(resp(&mut e, c, "ZSCAN str 0"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    // Skiplist: %.17g scores, and the SCAN guarantee under churn.
    resp(&mut e, c, "CONFIG SET zset-max-listpack-entries 0");
    assert_eq!(resp(&mut e, c, "ZADD s 1e18 big"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "ZSCAN s 0"), "*2\r\n$1\r\n0\r\n*2\r\n$3\r\nbig\r\n$5\r\n1e+18\r\n");
    for i in 0..1000 {
        e.zadd(0, b"s", &[(i as f64, format!("m{}", i).as_bytes())]).unwrap();
    }
    let mut seen: BTreeMap<String, usize> = BTreeMap::new();
    let mut cursor = 0u64;
    let mut next_new = 1000;
    loop {
        let args = ScanArgs { cursor, pattern: None, count: 10, type_name: None };
        let (next, items) = e.zscan(0, b"s", &args).unwrap();
        for pair in items.chunks(2) {
            *seen.entry(String::from_utf8(pair[0].clone()).unwrap()).or_default() += 1;
        }
        for _ in 0..3 {
            e.zadd(0, b"s", &[(1.0, format!("new{}", next_new).as_bytes())]).unwrap();
            next_new += 1;
        }
        let victim = format!("m{}", 500 + next_new % 500);
        e.zrem(0, b"s", &[victim.as_bytes()]).unwrap();
        cursor = next;
        if cursor == 0 {
            break;
        }
    }
    for i in 0..500 {
        assert_eq!(seen.get(&format!("m{}", i)), Some(&1), "m{} seen once", i);
    }
}

/// ZRANDMEMBER: picks are members with their own scores, distinct for a
/// positive count, the right number for a negative one, and a listpack's
/// small distinct sample comes in order.
#[test]
fn zrandmember_picks() {
    for entries in ["128", "0"] {
        let (mut e, _) = engine();
        let c = client(&mut e);
        resp(&mut e, c, &format!("CONFIG SET zset-max-listpack-entries {}", entries));
        let pairs: Vec<String> = (0..100).map(|i| format!("{} m{:03}", i, i)).collect();
        resp(&mut e, c, &format!("ZADD z {}", pairs.join(" ")));
        let score_of = |m: &[u8]| -> f64 { std::str::from_utf8(&m[1..]).unwrap().parse().unwrap() };
        for count in [1i64, 5, 30, 40, 99, 100, 150, -1, -5, -300] {
            let picks = e.zrandmember_count(0, b"z", count, true).unwrap();
            let want = if count < 0 { (-count) as usize } else { (count as usize).min(100) };
            assert_eq!(picks.len(), want, "count {}", count);
            for (m, s) in &picks {
                assert_eq!(*s, score_of(m));
            }
            if count > 0 {
                let distinct: HashSet<&Vec<u8>> = picks.iter().map(|(m, _)| m).collect();
                assert_eq!(distinct.len(), want);
            }
            if entries == "128" && count > 1 && count * 3 <= 100 {
                assert!(picks.windows(2).all(|w| w[0].1 < w[1].1), "listpack sample in order");
            }
        }
        match run(&mut e, c, "ZRANDMEMBER z") {
            Reply::Bulk(m) => assert!(m.starts_with(b"m")),
            other => panic!("{:?}", other),
        }
        // Redis streams any number of picks; like HRANDFIELD and SRANDMEMBER
        // the engine bounds the reply (RANDOM_REPLY_MAX) instead.
        assert_eq!(resp(&mut e, c, "ZRANDMEMBER z -5000000"), "-ERR value is out of range\r\n");
    }
}

/// BZPOPMIN/BZPOPMAX/BZMPOP block on empty keys, are served in blocking
/// order by a later write, time out with a null array, ignore keys that get
/// another type, and answer at once where blocking is not allowed.
#[test]
fn blocking_pops() {
    let (mut e, clock) = engine();
    let a = client(&mut e);
    let b = client(&mut e);
    let w = client(&mut e);
    let a3 = client3(&mut e);
    assert_eq!(run_argv(&mut e, a, &[b"BZPOPMIN", b"k1", b"k2", b"0"]), None);
    assert_eq!(run_argv(&mut e, b, &[b"BZPOPMAX", b"k2", b"0"]), None);
    assert!(e.is_blocked(a) && e.is_blocked(b));
    assert_eq!(resp(&mut e, w, "ZADD k2 1 x 2 y"), ":2\r\n");
    let woken = e.take_woken();
    assert_eq!(woken, vec![a, b]);
    assert_eq!(e.pop_output(a).unwrap().to_resp(Protocol::Resp2), b"*3\r\n$2\r\nk2\r\n$1\r\nx\r\n$1\r\n1\r\n");
    assert_eq!(e.pop_output(b).unwrap().to_resp(Protocol::Resp2), b"*3\r\n$2\r\nk2\r\n$1\r\ny\r\n$1\r\n2\r\n");
    assert_eq!(resp(&mut e, w, "ZCARD k2"), ":0\r\n");

    // One member serves only the first waiter.
    assert_eq!(run_argv(&mut e, a, &[b"BZPOPMIN", b"k", b"0"]), None);
    assert_eq!(run_argv(&mut e, b, &[b"BZMPOP", b"0", b"1", b"k", b"MAX", b"COUNT", b"5"]), None);
    assert_eq!(resp(&mut e, w, "ZADD k 1 x"), ":1\r\n");
    assert_eq!(e.take_woken(), vec![a]);
    assert_eq!(e.pop_output(a).unwrap().to_resp(Protocol::Resp2), b"*3\r\n$1\r\nk\r\n$1\r\nx\r\n$1\r\n1\r\n");
    assert!(e.is_blocked(b));
    // Another type at the key leaves the waiter blocked.
    assert_eq!(resp(&mut e, w, "SET k str"), "+OK\r\n");
    assert!(e.is_blocked(b));
    assert_eq!(resp(&mut e, w, "DEL k"), ":1\r\n");
    assert!(e.is_blocked(b));
    assert_eq!(resp(&mut e, w, "ZADD k 1 a 2 b 3 c"), ":3\r\n");
    assert_eq!(e.take_woken(), vec![b]);
    assert_eq!(
        e.pop_output(b).unwrap().to_resp(Protocol::Resp2),
        b"*2\r\n$1\r\nk\r\n*3\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n"
    );

    // RESP3 client: the score is a double.
    assert_eq!(run_argv(&mut e, a3, &[b"BZPOPMIN", b"r3", b"0"]), None);
    assert_eq!(resp(&mut e, w, "ZADD r3 1.5 m"), ":1\r\n");
    assert_eq!(e.take_woken(), vec![a3]);
    assert_eq!(e.pop_output(a3).unwrap().to_resp(Protocol::Resp3), b"*3\r\n$2\r\nr3\r\n$1\r\nm\r\n,1.5\r\n");

    // Timeouts.
    assert_eq!(run_argv(&mut e, a, &[b"BZPOPMIN", b"t", b"0.5"]), None);
    assert_eq!(run_argv(&mut e, b, &[b"BZMPOP", b"1", b"1", b"t", b"MIN"]), None);
    clock.advance_ms(501);
    e.tick();
    assert_eq!(e.take_woken(), vec![a]);
    assert_eq!(e.pop_output(a).unwrap().to_resp(Protocol::Resp2), b"*-1\r\n");
    clock.advance_ms(500);
    e.tick();
    assert_eq!(e.pop_output(b).unwrap().to_resp(Protocol::Resp3), b"_\r\n");

    // Served at once when data is there; errors before blocking.
    assert_eq!(resp(&mut e, w, "ZADD now 1 a"), ":1\r\n");
    assert_eq!(resp(&mut e, a, "BZPOPMAX nokey now 0"), "*3\r\n$3\r\nnow\r\n$1\r\na\r\n$1\r\n1\r\n");
    assert_eq!(resp(&mut e, a, "BZPOPMIN now -1"), "-ERR timeout is negative\r\n");
    assert_eq!(resp(&mut e, a, "BZPOPMIN now abc"), "-ERR timeout is not a float or out of range\r\n");
    assert_eq!(resp(&mut e, w, "SET kstr x"), "+OK\r\n");
    assert_eq!(resp(&mut e, a, "BZPOPMIN nokey kstr 0"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, a, "BZMPOP abc 1 now MIN"), "-ERR timeout is not a float or out of range\r\n");
    assert_eq!(resp(&mut e, a, "BZMPOP 0 0 now MIN"), "-ERR numkeys should be greater than 0\r\n");
    assert_eq!(resp(&mut e, a, "BZMPOP -1 1 now FOO"), "-ERR syntax error\r\n");
    // The typed/embedded entry point never blocks.
    assert_eq!(e.command(&[b"BZPOPMIN", b"empty", b"0"]), Reply::NilArray);
    assert_eq!(e.command(&[b"BZMPOP", b"0", b"1", b"empty", b"MIN"]), Reply::NilArray);
}

/// Writes made by the *STORE commands wake clients blocked on the
/// destination.
#[test]
fn stores_wake_blocked_clients() {
    let (mut e, _) = engine();
    let a = client(&mut e);
    let w = client(&mut e);
    assert_eq!(run_argv(&mut e, a, &[b"BZPOPMIN", b"dst", b"0"]), None);
    assert_eq!(resp(&mut e, w, "ZADD src 1 a 2 b"), ":2\r\n");
    assert_eq!(resp(&mut e, w, "ZRANGESTORE dst src 0 0"), ":1\r\n");
    assert_eq!(e.pop_output(a).unwrap().to_resp(Protocol::Resp2), b"*3\r\n$3\r\ndst\r\n$1\r\na\r\n$1\r\n1\r\n");
    assert_eq!(run_argv(&mut e, a, &[b"BZPOPMAX", b"dst", b"0"]), None);
    assert_eq!(resp(&mut e, w, "ZUNIONSTORE dst 1 src"), ":2\r\n");
    assert_eq!(e.pop_output(a).unwrap().to_resp(Protocol::Resp2), b"*3\r\n$3\r\ndst\r\n$1\r\nb\r\n$1\r\n2\r\n");
}

/// Lazy expiry applies to every lookup (a key lives through its expiry
/// millisecond); *STORE destinations lose their TTL; ZADD keeps it.
#[test]
fn expiry() {
    let (mut e, clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "ZADD z 1 a"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "ZADD d 5 old"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "PEXPIRE z 1000"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "PEXPIRE d 5000"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z 2 b"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "PTTL z"), ":1000\r\n");
    assert_eq!(resp(&mut e, c, "ZUNIONSTORE d 1 z"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "PTTL d"), ":-1\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGESTORE d z 0 0"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "PTTL d"), ":-1\r\n");
    clock.advance_ms(1000);
    assert_eq!(resp(&mut e, c, "ZCARD z"), ":2\r\n");
    clock.advance_ms(1);
    assert_eq!(resp(&mut e, c, "ZCARD z"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZADD z XX 1 a"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "EXISTS z"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "ZCARD d"), ":1\r\n");
}

/// A big set (skiplist) driven through `execute` against a model: ranks,
/// rank ranges, score ranges with LIMIT, counts and range removals.
#[test]
fn large_set_against_model() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    let mut model: BTreeMap<(i64, String), ()> = BTreeMap::new();
    let mut seed = 42u64;
    let mut rnd = move || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        seed >> 33
    };
    let mut scores: std::collections::HashMap<String, i64> = Default::default();
    for _ in 0..5000 {
        let m = format!("m{}", rnd() % 3000);
        let s = (rnd() % 200) as i64 - 100;
        run(&mut e, c, &format!("ZADD z {} {}", s, m));
        if let Some(old) = scores.insert(m.clone(), s) {
            model.remove(&(old, m.clone()));
        }
        model.insert((s, m), ());
    }
    let order: Vec<&(i64, String)> = model.keys().collect();
    assert_eq!(resp(&mut e, c, "ZCARD z"), format!(":{}\r\n", order.len()));
    for i in (0..order.len()).step_by(97) {
        assert_eq!(resp(&mut e, c, &format!("ZRANK z {}", order[i].1)), format!(":{}\r\n", i));
        assert_eq!(resp(&mut e, c, &format!("ZREVRANK z {}", order[i].1)), format!(":{}\r\n", order.len() - 1 - i));
        let got = e.zrange(0, b"z", i as i64, i as i64 + 4).unwrap();
        let want: Vec<(Vec<u8>, f64)> = order[i..(i + 5).min(order.len())].iter().map(|(s, m)| (m.clone().into_bytes(), *s as f64)).collect();
        assert_eq!(got, want);
    }
    for (lo, hi) in [(-100, 99), (-5, 5), (10, 10), (50, 20)] {
        let want = order.iter().filter(|(s, _)| *s >= lo && *s <= hi).count();
        assert_eq!(resp(&mut e, c, &format!("ZCOUNT z {} {}", lo, hi)), format!(":{}\r\n", want));
        let spec = RangeSpec { by: RangeBy::Score(ScoreRange { min: lo as f64, max: hi as f64, minex: true, maxex: false }), rev: true, offset: 3, limit: 7 };
        let got: Vec<Vec<u8>> = e.zrange_by(0, b"z", &spec).unwrap().into_iter().map(|(m, _)| m).collect();
        let want: Vec<Vec<u8>> = order.iter().rev().filter(|(s, _)| *s > lo && *s <= hi).skip(3).take(7).map(|(_, m)| m.clone().into_bytes()).collect();
        assert_eq!(got, want);
    }
    let before = order.len();
    let in_range = order.iter().filter(|(s, _)| *s >= 0 && *s < 50).count();
    assert_eq!(resp(&mut e, c, "ZREMRANGEBYSCORE z 0 (50"), format!(":{}\r\n", in_range));
    assert_eq!(resp(&mut e, c, "ZREMRANGEBYRANK z 10 -11"), format!(":{}\r\n", before - in_range - 20));
    assert_eq!(resp(&mut e, c, "ZCARD z"), ":20\r\n");
    let mut popped = 0;
    while let Reply::Array(v) = run(&mut e, c, "ZPOPMIN z 3") {
        if v.is_empty() {
            break;
        }
        popped += v.len() / 2;
    }
    assert_eq!(popped, 20);
    assert_eq!(resp(&mut e, c, "ZCARD z"), ":0\r\n");
}

/// The typed API and `execute` share one implementation: the same
/// operations give the same results and leave the same data.
#[test]
fn typed_api_agrees_with_execute() {
    let (mut t, _) = engine();
    let (mut x, _) = engine();
    let c = client(&mut x);
    assert_eq!(t.zadd(0, b"z", &[(1.0, b"a"), (2.0, b"b"), (3.0, b"c")]).unwrap(), 3);
    assert_eq!(resp(&mut x, c, "ZADD z 1 a 2 b 3 c"), ":3\r\n");
    let o = ZAddOptions { xx: true, ch: true, ..Default::default() };
    assert_eq!(t.zadd_with(0, b"z", o, &[(5.0, b"a"), (1.0, b"nope")]).unwrap(), ZAddReply::Count(1));
    assert_eq!(resp(&mut x, c, "ZADD z XX CH 5 a 1 nope"), ":1\r\n");
    let o = ZAddOptions { nx: true, incr: true, ..Default::default() };
    assert_eq!(t.zadd_with(0, b"z", o, &[(1.0, b"a")]).unwrap(), ZAddReply::Score(None));
    assert_eq!(resp(&mut x, c, "ZADD z NX INCR 1 a"), "$-1\r\n");
    let o = ZAddOptions { nx: true, xx: true, ..Default::default() };
    assert_eq!(t.zadd_with(0, b"z", o, &[(1.0, b"a")]).unwrap_err().to_string(), "ERR XX and NX options at the same time are not compatible");
    assert_eq!(t.zadd(0, b"z", &[(f64::NAN, b"a")]).unwrap_err().to_string(), "ERR value is not a valid float");
    assert_eq!(t.zincrby(0, b"z", 0.5, b"b").unwrap(), 2.5);
    assert_eq!(resp(&mut x, c, "ZINCRBY z 0.5 b"), "$3\r\n2.5\r\n");
    assert_eq!(t.zadd(0, b"inf", &[(f64::INFINITY, b"a")]).unwrap(), 1);
    assert_eq!(t.zincrby(0, b"inf", f64::NEG_INFINITY, b"a").unwrap_err().to_string(), "ERR resulting score is not a number (NaN)");
    assert_eq!(t.zscore(0, b"z", b"b").unwrap(), Some(2.5));
    assert_eq!(t.zmscore(0, b"z", &[b"a", b"zz"]).unwrap(), vec![Some(5.0), None]);
    assert_eq!(t.zrank(0, b"z", b"a").unwrap(), Some(2));
    assert_eq!(t.zrevrank(0, b"z", b"a").unwrap(), Some(0));
    assert_eq!(t.zcard(0, b"z").unwrap(), 3);
    assert_eq!(t.zcount(0, b"z", &ScoreRange { min: 2.0, max: 5.0, minex: true, maxex: false }).unwrap(), 3);
    let all = t.zrange(0, b"z", 0, -1).unwrap();
    assert_eq!(all, vec![(b"b".to_vec(), 2.5), (b"c".to_vec(), 3.0), (b"a".to_vec(), 5.0)]);
    assert_eq!(resp(&mut x, c, "ZRANGE z 0 -1 WITHSCORES"), "*6\r\n$1\r\nb\r\n$3\r\n2.5\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\na\r\n$1\r\n5\r\n");
    assert_eq!(t.zrangestore(0, b"d", b"z", &RangeSpec::rank(0, 1)).unwrap(), 2);
    assert_eq!(resp(&mut x, c, "ZRANGESTORE d z 0 1"), ":2\r\n");
    assert_eq!(t.zsetop(0, SetOp::Union, &[b"z", b"d"], Some(&[1.0, 2.0]), Aggregate::Max).unwrap(), vec![(b"a".to_vec(), 5.0), (b"b".to_vec(), 5.0), (b"c".to_vec(), 6.0)]);
    assert_eq!(resp(&mut x, c, "ZUNION 2 z d WEIGHTS 1 2 AGGREGATE MAX WITHSCORES"), "*6\r\n$1\r\na\r\n$1\r\n5\r\n$1\r\nb\r\n$1\r\n5\r\n$1\r\nc\r\n$1\r\n6\r\n");
    assert_eq!(t.zsetop_store(0, SetOp::Inter, b"i", &[b"z", b"d"], None, Aggregate::Sum).unwrap(), 2);
    assert_eq!(resp(&mut x, c, "ZINTERSTORE i 2 z d"), ":2\r\n");
    assert_eq!(t.zintercard(0, &[b"z", b"d"], 1).unwrap(), 1);
    assert_eq!(t.zremrange(0, b"z", &RemRange::Rank(0, 0)).unwrap(), 1);
    assert_eq!(resp(&mut x, c, "ZREMRANGEBYRANK z 0 0"), ":1\r\n");
    assert_eq!(t.zpop(0, b"z", true, 1).unwrap(), vec![(b"a".to_vec(), 5.0)]);
    assert_eq!(resp(&mut x, c, "ZPOPMAX z"), "*2\r\n$1\r\na\r\n$1\r\n5\r\n");
    assert_eq!(t.zmpop(0, &[b"nokey", b"i"], false, 10).unwrap(), Some((b"i".to_vec(), vec![(b"b".to_vec(), 5.0), (b"c".to_vec(), 6.0)])));
    assert_eq!(resp(&mut x, c, "ZMPOP 2 nokey i MIN COUNT 10"), "*2\r\n$1\r\ni\r\n*2\r\n*2\r\n$1\r\nb\r\n$1\r\n5\r\n*2\r\n$1\r\nc\r\n$1\r\n6\r\n");
    assert_eq!(t.zrem(0, b"z", &[b"c", b"x"]).unwrap(), 1);
    assert_eq!(resp(&mut x, c, "ZREM z c x"), ":1\r\n");
    // Same data left behind in both engines.
    for key in ["z", "d", "i", "inf"] {
        let (tk, xk) = (t.zrange(0, key.as_bytes(), 0, -1).unwrap(), x.zrange(0, key.as_bytes(), 0, -1).unwrap());
        if key != "inf" {
            assert_eq!(tk, xk, "{}", key);
        }
        assert_eq!(encoding(&t, key), if key == "inf" { Some("listpack") } else { encoding(&x, key) });
    }
    // Wrong types through the typed API.
    resp(&mut x, c, "SET s v");
    assert_eq!(x.zscore(0, b"s", b"a").unwrap_err().to_string(), "WRONGTYPE Operation against a key holding the wrong kind of value");
    // SORT and others can walk a set in ascending order.
    let _ = Config::default();
}
