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
    assert_eq!(resp(&mut e, c, "ZINCRBY z 1e17 big"), "$5\r\n1e+17\r\n");
    assert_eq!(resp(&mut e, c, "ZINCRBY z 123456789012345678 big2"), "$22\r\n1.2345678901234568e+17\r\n");
    assert_eq!(resp(&mut e, c, "ZINCRBY z -0 negz"), "$2\r\n-0\r\n");
    assert_eq!(resp(&mut e, c, "ZSCORE z negz"), "$1\r\n0\r\n");
    assert_eq!(resp(&mut e, c, "ZINCRBY inf inf a"), "$3\r\ninf\r\n");
    assert_eq!(resp(&mut e, c, "ZINCRBY inf -inf a"), "-ERR resulting score is not a number (NaN)\r\n");
    assert_eq!(resp(&mut e, c, "ZINCRBY inf 1 a"), "$3\r\ninf\r\n");
    assert_eq!(resp(&mut e, c, "ZRANGE z 0 -1 WITHSCORES"), "*10\r\n$4\r\nnegz\r\n$1\r\n0\r\n$1\r\nb\r\n$19\r\n0.30000000000000004\r\n$1\r\na\r\n$3\r\n2.5\r\n$3\r\nbig\r\n$5\r\n1e+17\r\n$4\r\nbig2\r\n$22\r\n1.2345678901234568e+17\r\n");
    assert_eq!(resp3(&mut e, c3, "ZRANGE z 0 -1 WITHSCORES"), "*5\r\n*2\r\n$4\r\nnegz\r\n,0\r\n*2\r\n$1\r\nb\r\n,0.30000000000000004\r\n*2\r\n$1\r\na\r\n,2.5\r\n*2\r\n$3\r\nbig\r\n,1e+17\r\n*2\r\n$4\r\nbig2\r\n,1.2345678901234568e+17\r\n");
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
    let c3 = client3(&mut e);
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
    let c3 = client3(&mut e);
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
    let c3 = client3(&mut e);
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
    let c3 = client3(&mut e);
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
    let c3 = client3(&mut e);
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
    let c3 = client3(&mut e);
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

