//! Stream commands. Every exact reply asserted here was produced by Redis
//! 7.0.15 for the same command sequence (the single-client sections were
//! generated from a live `redis-server`; the multi-client and clock-driven
//! ones were run against it with one connection per client, comparing
//! shapes where Redis's wall clock shows through).
mod common;
use common::*;
use redlet::cmd::streams::{GroupStart, StreamEntry, TrimSpec, XaddId, XaddOptions};
use redlet::types::stream::{StreamId, TrimStrategy};
use redlet::{ClientId, Config, Engine, Protocol, Reply};

/// Runs `line` for `c` and asserts that it blocks.
fn block(e: &mut Engine, c: ClientId, line: &str) {
    let a = argv(line);
    let refs: Vec<&[u8]> = a.iter().map(|v| v.as_slice()).collect();
    let r = e.execute(c, &refs);
    assert!(r.is_none(), "{line} should block, got {r:?}");
    assert!(e.is_blocked(c));
}

/// The next reply delivered to `c` out of band, as RESP2 text ("" if none).
fn out(e: &mut Engine, c: ClientId) -> String {
    e.pop_output(c).map_or_else(String::new, |r| String::from_utf8_lossy(&r.to_resp(Protocol::Resp2)).into_owned())
}

#[test]
fn xadd() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "XADD s 1-1 a 1 b 2"), "$3\r\n1-1\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 1-2 a 3 b 4"), "$3\r\n1-2\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 2-0 c 5"), "$3\r\n2-0\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 2 x y"), "-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 1-5 x y"), "-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 0-0 x y"), "-ERR The ID specified in XADD must be greater than 0-0\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 0-* x y"), "-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 2-* x y"), "$3\r\n2-1\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 3-* x y"), "$3\r\n3-0\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 3-* x y z"), "-ERR wrong number of arguments for 'xadd' command\r\n");
    assert_eq!(resp(&mut e, c, "XADD s NOMKSTREAM a b"), "-ERR Invalid stream ID specified as stream command argument\r\n");
    assert_eq!(resp(&mut e, c, "XADD s MAXLEN 5 NOMKSTREAM"), "-ERR wrong number of arguments for 'xadd' command\r\n");
    assert_eq!(resp(&mut e, c, "XADD s MAXLEN ~ 5 4-0 f v"), "$3\r\n4-0\r\n");
    assert_eq!(resp(&mut e, c, "XADD s MAXLEN = 5 5-0 f v"), "$3\r\n5-0\r\n");
    assert_eq!(resp(&mut e, c, "XADD s MAXLEN -1 6-0 f v"), "-ERR The MAXLEN argument must be >= 0.\r\n");
    assert_eq!(resp(&mut e, c, "XADD s MAXLEN x 6-0 f v"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "XADD s MAXLEN ~ 6-0 f v"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "XADD s MINID 1 MAXLEN 1 6-0 f v"), "-ERR syntax error, MAXLEN and MINID options at the same time are not compatible\r\n");
    assert_eq!(resp(&mut e, c, "XADD s LIMIT 5 6-0 f v"), "-ERR syntax error, LIMIT cannot be used without specifying a trimming strategy\r\n");
    assert_eq!(resp(&mut e, c, "XADD s LIMIT 0 6-0 f v"), "-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n");
    assert_eq!(resp(&mut e, c, "XADD s MAXLEN 100 LIMIT 5 6-1 f v"), "-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n");
    assert_eq!(resp(&mut e, c, "XADD s MAXLEN ~ 100 LIMIT -1 6-1 f v"), "-ERR The LIMIT argument must be >= 0.\r\n");
    assert_eq!(resp(&mut e, c, "XADD s MAXLEN ~ 100 LIMIT 5 6-1 f v"), "$3\r\n6-1\r\n");
    assert_eq!(resp(&mut e, c, "XADD s MINID - 6-2 f v"), "-ERR Invalid stream ID specified as stream command argument\r\n");
    assert_eq!(resp(&mut e, c, "XADD s MINID ~ 1-2 6-3 f v"), "$3\r\n6-3\r\n");
    assert_eq!(resp(&mut e, c, "XADD s MINID = 1-2 6-4 f v"), "$3\r\n6-4\r\n");
    assert_eq!(resp(&mut e, c, "XRANGE s - +"), "*8\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nc\r\n$1\r\n5\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nx\r\n$1\r\ny\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$3\r\n5-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$3\r\n6-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$3\r\n6-3\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n*2\r\n$3\r\n6-4\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
    assert_eq!(resp(&mut e, c, "XADD nokey NOMKSTREAM 1-1 a b"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "EXISTS nokey"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 18446744073709551616 a b"), "-ERR Invalid stream ID specified as stream command argument\r\n");
    assert_eq!(resp(&mut e, c, "XADD s abc a b"), "-ERR Invalid stream ID specified as stream command argument\r\n");
    assert_eq!(resp(&mut e, c, "XADD s - a b"), "-ERR Invalid stream ID specified as stream command argument\r\n");
    assert_eq!(resp(&mut e, c, "XADD s + a b"), "-ERR Invalid stream ID specified as stream command argument\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 1-2-3 a b"), "-ERR Invalid stream ID specified as stream command argument\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 18446744073709551615-18446744073709551615 a b"), "$41\r\n18446744073709551615-18446744073709551615\r\n");
    assert_eq!(resp(&mut e, c, "XADD s * a b"), "-ERR The stream has exhausted the last possible ID, unable to add more items\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 18446744073709551615-* a b"), "-ERR The stream has exhausted the last possible ID, unable to add more items\r\n");
    assert_eq!(resp(&mut e, c, "XADD t 5-18446744073709551615 a b"), "$22\r\n5-18446744073709551615\r\n");
    assert_eq!(resp(&mut e, c, "XADD t 5-* a b"), "-ERR Elements are too large to be stored\r\n");
    assert_eq!(resp(&mut e, c, "XADD t 6-* a b"), "$3\r\n6-0\r\n");
    assert_eq!(resp(&mut e, c, "XLEN s"), ":9\r\n");
    assert_eq!(resp(&mut e, c, "XLEN t"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "XLEN nokey"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "SET str v"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "XLEN str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "XADD str * a b"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "XADD str NOMKSTREAM * a b"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "OBJECT ENCODING s"), "$6\r\nstream\r\n");
    assert_eq!(resp(&mut e, c, "TYPE s"), "+stream\r\n");
}

#[test]
fn xrange() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "XADD s 1-1 a 1"), "$3\r\n1-1\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 1-2 b 2"), "$3\r\n1-2\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 2-0 c 3"), "$3\r\n2-0\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 3-5 d 4 e 5"), "$3\r\n3-5\r\n");
    assert_eq!(resp(&mut e, c, "XRANGE s - +"), "*4\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-2\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n3-5\r\n*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "XRANGE s - + COUNT 2"), "*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-2\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
    assert_eq!(resp(&mut e, c, "XRANGE s - + COUNT 0"), "*-1\r\n");
    assert_eq!(resp(&mut e, c, "XRANGE s - + COUNT -1"), "*-1\r\n");
    assert_eq!(resp(&mut e, c, "XRANGE nokey - + COUNT 0"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "XRANGE s (1-1 (3-5"), "*2\r\n*2\r\n$3\r\n1-2\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n");
    assert_eq!(resp(&mut e, c, "XRANGE s (1 +"), "*4\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-2\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n3-5\r\n*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "XRANGE s 1 1"), "*2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-2\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
    assert_eq!(resp(&mut e, c, "XRANGE s 3 +"), "*1\r\n*2\r\n$3\r\n3-5\r\n*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "XRANGE s (- +"), "-ERR Invalid stream ID specified as stream command argument\r\n");
    assert_eq!(resp(&mut e, c, "XRANGE s - (+"), "-ERR Invalid stream ID specified as stream command argument\r\n");
    assert_eq!(resp(&mut e, c, "XRANGE s - (0-0"), "-ERR invalid end ID for the interval\r\n");
    assert_eq!(resp(&mut e, c, "XRANGE s (18446744073709551615-18446744073709551615 +"), "-ERR invalid start ID for the interval\r\n");
    assert_eq!(resp(&mut e, c, "XRANGE s 2 1"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "XRANGE s - + COUNT"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "XRANGE s - + FOO 1"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "XRANGE s - + COUNT x"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "XRANGE s - + COUNT 1 COUNT 3"), "*3\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n1-2\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n");
    assert_eq!(resp(&mut e, c, "XRANGE s x +"), "-ERR Invalid stream ID specified as stream command argument\r\n");
    assert_eq!(resp(&mut e, c, "XRANGE s - x"), "-ERR Invalid stream ID specified as stream command argument\r\n");
    assert_eq!(resp(&mut e, c, "SET str v"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "XRANGE str - +"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "XRANGE str x +"), "-ERR Invalid stream ID specified as stream command argument\r\n");
    assert_eq!(resp(&mut e, c, "XREVRANGE s + -"), "*4\r\n*2\r\n$3\r\n3-5\r\n*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n1-2\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "XREVRANGE s + - COUNT 1"), "*1\r\n*2\r\n$3\r\n3-5\r\n*4\r\n$1\r\nd\r\n$1\r\n4\r\n$1\r\ne\r\n$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "XREVRANGE s (3-5 -"), "*3\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n1-2\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "XREVRANGE s 1 2"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "XREVRANGE s + (-"), "-ERR Invalid stream ID specified as stream command argument\r\n");
    assert_eq!(resp(&mut e, c, "XREVRANGE s (+ -"), "-ERR Invalid stream ID specified as stream command argument\r\n");
    assert_eq!(resp(&mut e, c, "XREVRANGE s 2 (0-0"), "*3\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n1-2\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n1-1\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
}

#[test]
fn xdel() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "XADD s 1-1 a 1"), "$3\r\n1-1\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 1-2 b 2"), "$3\r\n1-2\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 2-0 c 3"), "$3\r\n2-0\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 3-0 d 4"), "$3\r\n3-0\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 4-0 e 5"), "$3\r\n4-0\r\n");
    assert_eq!(resp(&mut e, c, "XDEL s 1-1 1-2 9-9"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "XDEL s 1-1"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "XDEL nokey abc"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "XDEL s abc"), "-ERR Invalid stream ID specified as stream command argument\r\n");
    assert_eq!(resp(&mut e, c, "XDEL s 5-0 +"), "-ERR Invalid stream ID specified as stream command argument\r\n");
    assert_eq!(resp(&mut e, c, "SET str v"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "XDEL str 1-1"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "XRANGE s - +"), "*3\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\ne\r\n$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "XLEN s"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "XINFO STREAM s"), "*20\r\n$6\r\nlength\r\n:3\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$3\r\n4-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n1-2\r\n$13\r\nentries-added\r\n:5\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n2-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\ne\r\n$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "XTRIM s"), "-ERR wrong number of arguments for 'xtrim' command\r\n");
    assert_eq!(resp(&mut e, c, "XTRIM s MAXLEN"), "-ERR wrong number of arguments for 'xtrim' command\r\n");
    assert_eq!(resp(&mut e, c, "XTRIM s FOO 1"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "XTRIM s MAXLEN 5 FOO"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "XTRIM s NOMKSTREAM MAXLEN 1"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "XTRIM s MAXLEN 2 LIMIT 1"), "-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n");
    assert_eq!(resp(&mut e, c, "XTRIM s MINID 1 LIMIT 1"), "-ERR syntax error, LIMIT cannot be used without the special ~ option\r\n");
    assert_eq!(resp(&mut e, c, "XTRIM s LIMIT 1"), "-ERR syntax error, LIMIT cannot be used without specifying a trimming strategy\r\n");
    assert_eq!(resp(&mut e, c, "XTRIM s MAXLEN ~ 0"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "XTRIM s MAXLEN 3"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "XTRIM s MINID 3-0"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "XINFO STREAM s"), "*20\r\n$6\r\nlength\r\n:0\r\n$15\r\nradix-tree-keys\r\n:0\r\n$16\r\nradix-tree-nodes\r\n:1\r\n$17\r\nlast-generated-id\r\n$3\r\n4-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n1-2\r\n$13\r\nentries-added\r\n:5\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n0-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n$-1\r\n$10\r\nlast-entry\r\n$-1\r\n");
    assert_eq!(resp(&mut e, c, "XTRIM nokey MAXLEN 0"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "XTRIM str MAXLEN 0"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "XTRIM s MAXLEN 0"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "XLEN s"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "EXISTS s"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "XINFO STREAM s"), "*20\r\n$6\r\nlength\r\n:0\r\n$15\r\nradix-tree-keys\r\n:0\r\n$16\r\nradix-tree-nodes\r\n:1\r\n$17\r\nlast-generated-id\r\n$3\r\n4-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n1-2\r\n$13\r\nentries-added\r\n:5\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n0-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n$-1\r\n$10\r\nlast-entry\r\n$-1\r\n");
    assert_eq!(resp(&mut e, c, "XRANGE s - +"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 3-0 a b"), "-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 5-0 a b"), "$3\r\n5-0\r\n");
    assert_eq!(resp(&mut e, c, "XDEL s 5-0"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "XINFO STREAM s"), "*20\r\n$6\r\nlength\r\n:0\r\n$15\r\nradix-tree-keys\r\n:0\r\n$16\r\nradix-tree-nodes\r\n:1\r\n$17\r\nlast-generated-id\r\n$3\r\n5-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n5-0\r\n$13\r\nentries-added\r\n:6\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n0-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n$-1\r\n$10\r\nlast-entry\r\n$-1\r\n");
}

#[test]
fn groups() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "XGROUP HELP"), "*17\r\n+XGROUP <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+CREATE <key> <groupname> <id|$> [option]\r\n+    Create a new consumer group. Options are:\r\n+    * MKSTREAM\r\n+      Create the empty stream if it does not exist.\r\n+    * ENTRIESREAD entries_read\r\n+      Set the group's entries_read counter (internal use).\r\n+CREATECONSUMER <key> <groupname> <consumer>\r\n+    Create a new consumer in the specified group.\r\n+DELCONSUMER <key> <groupname> <consumer>\r\n+    Remove the specified consumer.\r\n+DESTROY <key> <groupname>\r\n+    Remove the specified group.\r\n+SETID <key> <groupname> <id|$> [ENTRIESREAD entries_read]\r\n+    Set the current group ID and entries_read counter.\r\n+HELP\r\n+    Prints this help.\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP CREATE s g $"), "-ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP CREATE s g $ MKSTREAM"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP CREATE s g $ MKSTREAM"), "-BUSYGROUP Consumer Group name already exists\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP CREATE s g2 0 ENTRIESREAD"), "-ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP.\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP CREATE s g2 0 ENTRIESREAD -2"), "-ERR value for ENTRIESREAD must be positive or -1\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP CREATE s g2 0 ENTRIESREAD x"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP CREATE s g2 0 FOO"), "-ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP.\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP CREATE s g2 -"), "-ERR Invalid stream ID specified as stream command argument\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP CREATE s g2 bad"), "-ERR Invalid stream ID specified as stream command argument\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP CREATE nokey g2 bad"), "-ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.\r\n");
    assert_eq!(resp(&mut e, c, "SET str x"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP CREATE str g 0"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP CREATE str g 0 MKSTREAM"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP SETID s nog 0"), "-NOGROUP No such consumer group 'nog' for key name 's'\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP SETID s g 0 MKSTREAM"), "-ERR unknown subcommand or wrong number of arguments for 'SETID'. Try XGROUP HELP.\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP SETID s g 0 ENTRIESREAD"), "-ERR unknown subcommand or wrong number of arguments for 'SETID'. Try XGROUP HELP.\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP SETID s g 0 ENTRIESREAD 1 ENTRIESREAD 2"), "-ERR unknown subcommand or wrong number of arguments for 'SETID'. Try XGROUP HELP.\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP SETID s g 0 ENTRIESREAD 3"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP SETID s g -"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP SETID s g bad"), "-ERR Invalid stream ID specified as stream command argument\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP CREATECONSUMER s nog c"), "-NOGROUP No such consumer group 'nog' for key name 's'\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP CREATECONSUMER s g c1"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP CREATECONSUMER s g c1"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP DELCONSUMER s g c9"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP DELCONSUMER s nog c9"), "-NOGROUP No such consumer group 'nog' for key name 's'\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP DESTROY s nog"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP DESTROY nokey g"), "-ERR The XGROUP subcommand requires the key to exist. Note that for CREATE you may want to use the MKSTREAM option to create an empty stream automatically.\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP FOO s g"), "-ERR unknown subcommand 'FOO'. Try XGROUP HELP.\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP CREATE s g 0 MKSTREAM MKSTREAM MKSTREAM MKSTREAM"), "-ERR unknown subcommand or wrong number of arguments for 'CREATE'. Try XGROUP HELP.\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP CREATE s"), "-ERR wrong number of arguments for 'xgroup|create' command\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP HELP x"), "-ERR wrong number of arguments for 'xgroup|help' command\r\n");
    assert_eq!(resp(&mut e, c, "XINFO GROUPS s"), "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 1-0 a 1"), "$3\r\n1-0\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 2-0 b 2"), "$3\r\n2-0\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 3-0 c 3"), "$3\r\n3-0\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 4-0 d 4"), "$3\r\n4-0\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP SETID s g 0"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "XINFO GROUPS s"), "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:4\r\n");
    assert_eq!(resp(&mut e, c, "XREADGROUP GROUP g alice COUNT 2 STREAMS s >"), "*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
    assert_eq!(resp(&mut e, c, "XINFO GROUPS s"), "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:2\r\n$7\r\npending\r\n:2\r\n$17\r\nlast-delivered-id\r\n$3\r\n2-0\r\n$12\r\nentries-read\r\n:2\r\n$3\r\nlag\r\n:2\r\n");
    assert_eq!(resp(&mut e, c, "XREADGROUP GROUP g bob STREAMS s >"), "*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n");
    assert_eq!(resp(&mut e, c, "XREADGROUP GROUP g bob STREAMS s >"), "*-1\r\n");
    assert_eq!(resp(&mut e, c, "XREADGROUP GROUP g carol STREAMS s 0"), "*1\r\n*2\r\n$1\r\ns\r\n*0\r\n");
    assert_eq!(resp(&mut e, c, "XREADGROUP GROUP g alice STREAMS s 0"), "*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
    assert_eq!(resp(&mut e, c, "XREADGROUP GROUP g alice STREAMS s 1"), "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
    assert_eq!(resp(&mut e, c, "XREADGROUP GROUP g alice COUNT 1 STREAMS s 0"), "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "XPENDING s g"), "*4\r\n:4\r\n$3\r\n1-0\r\n$3\r\n4-0\r\n*2\r\n*2\r\n$5\r\nalice\r\n$1\r\n2\r\n*2\r\n$3\r\nbob\r\n$1\r\n2\r\n");
    assert_eq!(resp(&mut e, c, "XACK s g 1-0 9-9 1-0"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "XACK s nog 1-0"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "XACK s g bad"), "-ERR Invalid stream ID specified as stream command argument\r\n");
    assert_eq!(resp(&mut e, c, "XACK nokey g bad"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "XACK str g bad"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "XPENDING s g"), "*4\r\n:3\r\n$3\r\n2-0\r\n$3\r\n4-0\r\n*2\r\n*2\r\n$5\r\nalice\r\n$1\r\n1\r\n*2\r\n$3\r\nbob\r\n$1\r\n2\r\n");
    assert_eq!(resp(&mut e, c, "XDEL s 2-0"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "XREADGROUP GROUP g alice STREAMS s 0"), "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*-1\r\n");
    assert_eq!(resp(&mut e, c, "XPENDING s g"), "*4\r\n:3\r\n$3\r\n2-0\r\n$3\r\n4-0\r\n*2\r\n*2\r\n$5\r\nalice\r\n$1\r\n1\r\n*2\r\n$3\r\nbob\r\n$1\r\n2\r\n");
    assert_eq!(resp(&mut e, c, "XINFO GROUPS s"), "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:4\r\n$7\r\npending\r\n:3\r\n$17\r\nlast-delivered-id\r\n$3\r\n4-0\r\n$12\r\nentries-read\r\n:4\r\n$3\r\nlag\r\n:0\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 5-0 e 5"), "$3\r\n5-0\r\n");
    assert_eq!(resp(&mut e, c, "XINFO GROUPS s"), "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:4\r\n$7\r\npending\r\n:3\r\n$17\r\nlast-delivered-id\r\n$3\r\n4-0\r\n$12\r\nentries-read\r\n:4\r\n$3\r\nlag\r\n:1\r\n");
    assert_eq!(resp(&mut e, c, "XREADGROUP GROUP g alice NOACK STREAMS s >"), "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n5-0\r\n*2\r\n$1\r\ne\r\n$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "XINFO GROUPS s"), "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:4\r\n$7\r\npending\r\n:3\r\n$17\r\nlast-delivered-id\r\n$3\r\n5-0\r\n$12\r\nentries-read\r\n:5\r\n$3\r\nlag\r\n:0\r\n");
    assert_eq!(resp(&mut e, c, "XPENDING s g"), "*4\r\n:3\r\n$3\r\n2-0\r\n$3\r\n4-0\r\n*2\r\n*2\r\n$5\r\nalice\r\n$1\r\n1\r\n*2\r\n$3\r\nbob\r\n$1\r\n2\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP SETID s g 0"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "XINFO GROUPS s"), "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:4\r\n$7\r\npending\r\n:3\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n$-1\r\n");
    assert_eq!(resp(&mut e, c, "XREADGROUP GROUP g dave STREAMS s >"), "*1\r\n*2\r\n$1\r\ns\r\n*4\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n*2\r\n$3\r\n5-0\r\n*2\r\n$1\r\ne\r\n$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "XPENDING s g"), "*4\r\n:5\r\n$3\r\n1-0\r\n$3\r\n5-0\r\n*2\r\n*2\r\n$5\r\nalice\r\n$1\r\n1\r\n*2\r\n$4\r\ndave\r\n$1\r\n4\r\n");
    assert_eq!(resp(&mut e, c, "XINFO GROUPS s"), "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:5\r\n$7\r\npending\r\n:5\r\n$17\r\nlast-delivered-id\r\n$3\r\n5-0\r\n$12\r\nentries-read\r\n:5\r\n$3\r\nlag\r\n:0\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP SETID s g 0 ENTRIESREAD 0"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "XINFO GROUPS s"), "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:5\r\n$7\r\npending\r\n:5\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n:0\r\n$3\r\nlag\r\n$-1\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP DELCONSUMER s g dave"), ":4\r\n");
    assert_eq!(resp(&mut e, c, "XPENDING s g"), "*4\r\n:1\r\n$3\r\n2-0\r\n$3\r\n2-0\r\n*1\r\n*2\r\n$5\r\nalice\r\n$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP DESTROY s g"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "XINFO GROUPS s"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "XINFO STREAM s"), "*20\r\n$6\r\nlength\r\n:4\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$3\r\n5-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n2-0\r\n$13\r\nentries-added\r\n:5\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n5-0\r\n*2\r\n$1\r\ne\r\n$1\r\n5\r\n");
}

#[test]
fn xread() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "XADD s 1-0 a 1"), "$3\r\n1-0\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 2-0 b 2"), "$3\r\n2-0\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP CREATE s g 0"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "XREADGROUP GROUP g alice STREAMS s $"), "-ERR The $ ID is meaningless in the context of XREADGROUP: you want to read the history of this consumer by specifying a proper ID, or use the > ID to get new messages. The $ ID would just return an empty result set.\r\n");
    assert_eq!(resp(&mut e, c, "XREADGROUP GROUP g alice STREAMS s"), "-ERR wrong number of arguments for 'xreadgroup' command\r\n");
    assert_eq!(resp(&mut e, c, "XREAD GROUP g alice STREAMS s 0"), "-ERR The GROUP option is only supported by XREADGROUP. You called XREAD instead.\r\n");
    assert_eq!(resp(&mut e, c, "XREAD NOACK STREAMS s 0"), "-ERR The NOACK option is only supported by XREADGROUP. You called XREAD instead.\r\n");
    assert_eq!(resp(&mut e, c, "XREAD STREAMS s >"), "-ERR The > ID can be specified only when calling XREADGROUP using the GROUP <group> <consumer> option.\r\n");
    assert_eq!(resp(&mut e, c, "XREAD FOO STREAMS s 0"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "XREADGROUP STREAMS s >"), "-ERR wrong number of arguments for 'xreadgroup' command\r\n");
    assert_eq!(resp(&mut e, c, "XREADGROUP GROUP g alice FOO STREAMS s >"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "XREADGROUP GROUP nog alice STREAMS s >"), "-NOGROUP No such key 's' or consumer group 'nog' in XREADGROUP with GROUP option\r\n");
    assert_eq!(resp(&mut e, c, "XREADGROUP GROUP g alice STREAMS nokey >"), "-NOGROUP No such key 'nokey' or consumer group 'g' in XREADGROUP with GROUP option\r\n");
    assert_eq!(resp(&mut e, c, "SET str v"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "XREADGROUP GROUP g alice STREAMS str >"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "XREADGROUP GROUP g alice STREAMS s bad"), "-ERR Invalid stream ID specified as stream command argument\r\n");
    assert_eq!(resp(&mut e, c, "XREADGROUP GROUP g alice STREAMS s s > bad"), "-ERR Invalid stream ID specified as stream command argument\r\n");
    assert_eq!(resp(&mut e, c, "XREADGROUP GROUP g alice STREAMS s nokey > >"), "-NOGROUP No such key 'nokey' or consumer group 'g' in XREADGROUP with GROUP option\r\n");
    assert_eq!(resp(&mut e, c, "XREADGROUP GROUP g alice BLOCK x STREAMS s >"), "-ERR timeout is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "XREAD COUNT -1 STREAMS s 0"), "*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
    assert_eq!(resp(&mut e, c, "XREAD COUNT x STREAMS s 0"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "XREAD BLOCK x STREAMS s 0"), "-ERR timeout is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "XREAD BLOCK -1 STREAMS s 0"), "-ERR timeout is negative\r\n");
    assert_eq!(resp(&mut e, c, "XREAD BLOCK 1 BLOCK 1"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "XREAD STREAMS s nokey 0 0"), "*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
    assert_eq!(resp(&mut e, c, "XREAD STREAMS s str 0 0"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "XREAD STREAMS str s 0 0"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "XREAD STREAMS s s 0 1"), "*2\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
    assert_eq!(resp(&mut e, c, "XREAD STREAMS s $"), "*-1\r\n");
    assert_eq!(resp(&mut e, c, "XREAD STREAMS s 2"), "*-1\r\n");
    assert_eq!(resp(&mut e, c, "XREAD STREAMS s 1"), "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
    assert_eq!(resp(&mut e, c, "XREAD COUNT 1 STREAMS s 0"), "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "XREAD STREAMS s -"), "-ERR Invalid stream ID specified as stream command argument\r\n");
    assert_eq!(resp(&mut e, c, "XREAD STREAMS s +"), "-ERR Invalid stream ID specified as stream command argument\r\n");
    assert_eq!(resp(&mut e, c, "XREAD STREAMS nokey 0"), "*-1\r\n");
    assert_eq!(resp(&mut e, c, "XREAD STREAMS s"), "-ERR wrong number of arguments for 'xread' command\r\n");
    assert_eq!(resp(&mut e, c, "XREAD STREAMS s nokey 0"), "-ERR Unbalanced XREAD list of streams: for each stream key an ID or '$' must be specified.\r\n");
    assert_eq!(resp(&mut e, c, "XREAD COUNT 1 STREAMS"), "-ERR syntax error\r\n");
}

#[test]
fn claim() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "XGROUP CREATE s g $ MKSTREAM"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 1-0 a 1"), "$3\r\n1-0\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 2-0 b 2"), "$3\r\n2-0\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 3-0 c 3"), "$3\r\n3-0\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 4-0 d 4"), "$3\r\n4-0\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 5-0 e 5"), "$3\r\n5-0\r\n");
    assert_eq!(resp(&mut e, c, "XREADGROUP GROUP g alice STREAMS s >"), "*1\r\n*2\r\n$1\r\ns\r\n*5\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n*2\r\n$3\r\n5-0\r\n*2\r\n$1\r\ne\r\n$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "XCLAIM s g bob 100000 1-0"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "XCLAIM s g bob 0 1-0"), "*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "XCLAIM s g bob 0 1-0 JUSTID"), "*1\r\n$3\r\n1-0\r\n");
    assert_eq!(resp(&mut e, c, "XCLAIM s g bob 0 1-0 RETRYCOUNT 7 JUSTID"), "*1\r\n$3\r\n1-0\r\n");
    assert_eq!(resp(&mut e, c, "XCLAIM s g bob x 1-0"), "-ERR Invalid min-idle-time argument for XCLAIM\r\n");
    assert_eq!(resp(&mut e, c, "XCLAIM s g bob -5 1-0 JUSTID"), "*1\r\n$3\r\n1-0\r\n");
    assert_eq!(resp(&mut e, c, "XCLAIM s g bob 0 1-0 IDLE"), "-ERR Unrecognized XCLAIM option 'IDLE'\r\n");
    assert_eq!(resp(&mut e, c, "XCLAIM s g bob 0 1-0 IDLE x"), "-ERR Invalid IDLE option argument for XCLAIM\r\n");
    assert_eq!(resp(&mut e, c, "XCLAIM s g bob 0 1-0 TIME x"), "-ERR Invalid TIME option argument for XCLAIM\r\n");
    assert_eq!(resp(&mut e, c, "XCLAIM s g bob 0 1-0 RETRYCOUNT x"), "-ERR Invalid RETRYCOUNT option argument for XCLAIM\r\n");
    assert_eq!(resp(&mut e, c, "XCLAIM s g bob 0 1-0 LASTID x"), "-ERR Invalid stream ID specified as stream command argument\r\n");
    assert_eq!(resp(&mut e, c, "XCLAIM s g bob 0 1-0 FOO"), "-ERR Unrecognized XCLAIM option 'FOO'\r\n");
    assert_eq!(resp(&mut e, c, "XCLAIM s g bob 0 1-0 - JUSTID"), "-ERR Unrecognized XCLAIM option '-'\r\n");
    assert_eq!(resp(&mut e, c, "XCLAIM s g bob 0 FORCE"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "XCLAIM s nog bob 0 1-0"), "-NOGROUP No such key 's' or consumer group 'nog'\r\n");
    assert_eq!(resp(&mut e, c, "XCLAIM nokey g bob x 1-0"), "-NOGROUP No such key 'nokey' or consumer group 'g'\r\n");
    assert_eq!(resp(&mut e, c, "SET str x"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "XCLAIM str g bob 0 1-0"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "XCLAIM s g bob 0 9-9 FORCE"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "XINFO GROUPS s"), "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:2\r\n$7\r\npending\r\n:5\r\n$17\r\nlast-delivered-id\r\n$3\r\n5-0\r\n$12\r\nentries-read\r\n:5\r\n$3\r\nlag\r\n:0\r\n");
    assert_eq!(resp(&mut e, c, "XCLAIM s g carol 0 4-0 LASTID 10-0 JUSTID"), "*1\r\n$3\r\n4-0\r\n");
    assert_eq!(resp(&mut e, c, "XINFO GROUPS s"), "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:3\r\n$7\r\npending\r\n:5\r\n$17\r\nlast-delivered-id\r\n$4\r\n10-0\r\n$12\r\nentries-read\r\n:5\r\n$3\r\nlag\r\n:0\r\n");
    assert_eq!(resp(&mut e, c, "XCLAIM s g carol 0 LASTID 20-0"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "XINFO GROUPS s"), "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:3\r\n$7\r\npending\r\n:5\r\n$17\r\nlast-delivered-id\r\n$4\r\n20-0\r\n$12\r\nentries-read\r\n:5\r\n$3\r\nlag\r\n:0\r\n");
    assert_eq!(resp(&mut e, c, "XACK s g 5-0"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "XCLAIM s g dave 0 5-0 FORCE"), "*1\r\n*2\r\n$3\r\n5-0\r\n*2\r\n$1\r\ne\r\n$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "XPENDING s g"), "*4\r\n:5\r\n$3\r\n1-0\r\n$3\r\n5-0\r\n*4\r\n*2\r\n$5\r\nalice\r\n$1\r\n2\r\n*2\r\n$3\r\nbob\r\n$1\r\n1\r\n*2\r\n$5\r\ncarol\r\n$1\r\n1\r\n*2\r\n$4\r\ndave\r\n$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "XDEL s 5-0"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "XCLAIM s g dave 0 5-0 FORCE"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "XPENDING s g"), "*4\r\n:4\r\n$3\r\n1-0\r\n$3\r\n4-0\r\n*3\r\n*2\r\n$5\r\nalice\r\n$1\r\n2\r\n*2\r\n$3\r\nbob\r\n$1\r\n1\r\n*2\r\n$5\r\ncarol\r\n$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "XCLAIM s g erin 0 5-0 4-0 4-0 JUSTID"), "*2\r\n$3\r\n4-0\r\n$3\r\n4-0\r\n");
    assert_eq!(resp(&mut e, c, "XPENDING s g"), "*4\r\n:4\r\n$3\r\n1-0\r\n$3\r\n4-0\r\n*3\r\n*2\r\n$5\r\nalice\r\n$1\r\n2\r\n*2\r\n$3\r\nbob\r\n$1\r\n1\r\n*2\r\n$4\r\nerin\r\n$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "XAUTOCLAIM s g frank 0 0"), "*3\r\n$3\r\n0-0\r\n*4\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n*0\r\n");
    assert_eq!(resp(&mut e, c, "XAUTOCLAIM s g frank 0 0 COUNT 1"), "*3\r\n$3\r\n2-0\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*0\r\n");
    assert_eq!(resp(&mut e, c, "XAUTOCLAIM s g frank 0 (1-0 COUNT 1 JUSTID"), "*3\r\n$3\r\n3-0\r\n*1\r\n$3\r\n2-0\r\n*0\r\n");
    assert_eq!(resp(&mut e, c, "XAUTOCLAIM s g frank 0 - COUNT 2 JUSTID"), "*3\r\n$3\r\n3-0\r\n*2\r\n$3\r\n1-0\r\n$3\r\n2-0\r\n*0\r\n");
    assert_eq!(resp(&mut e, c, "XAUTOCLAIM s g frank 0 (18446744073709551615-18446744073709551615"), "-ERR invalid start ID for the interval\r\n");
    assert_eq!(resp(&mut e, c, "XAUTOCLAIM s g frank x 0"), "-ERR Invalid min-idle-time argument for XAUTOCLAIM\r\n");
    assert_eq!(resp(&mut e, c, "XAUTOCLAIM s g frank 0 x"), "-ERR Invalid stream ID specified as stream command argument\r\n");
    assert_eq!(resp(&mut e, c, "XAUTOCLAIM s g frank 0 0 COUNT 0"), "-ERR COUNT must be > 0\r\n");
    assert_eq!(resp(&mut e, c, "XAUTOCLAIM s g frank 0 0 COUNT x"), "-ERR COUNT must be > 0\r\n");
    assert_eq!(resp(&mut e, c, "XAUTOCLAIM s g frank 0 0 COUNT 576460752303423488"), "-ERR COUNT must be > 0\r\n");
    assert_eq!(resp(&mut e, c, "XAUTOCLAIM s g frank 0 0 COUNT 576460752303423487 JUSTID"), "-ERR Insufficient memory, failed allocating transient memory, COUNT too high.\r\n");
    assert_eq!(resp(&mut e, c, "XAUTOCLAIM s g frank 0 0 COUNT 4398046511104 JUSTID"), "*3\r\n$3\r\n0-0\r\n*4\r\n$3\r\n1-0\r\n$3\r\n2-0\r\n$3\r\n3-0\r\n$3\r\n4-0\r\n*0\r\n");
    assert_eq!(resp(&mut e, c, "XAUTOCLAIM s g frank 0 0 COUNT 4398046511105 JUSTID"), "-ERR Insufficient memory, failed allocating transient memory, COUNT too high.\r\n");
    assert_eq!(resp(&mut e, c, "XAUTOCLAIM s g frank 0 0 FOO"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "XAUTOCLAIM s nog frank 0 0"), "-NOGROUP No such key 's' or consumer group 'nog'\r\n");
    assert_eq!(resp(&mut e, c, "XAUTOCLAIM str g frank 0 0"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "XAUTOCLAIM nokey g frank 0 0"), "-NOGROUP No such key 'nokey' or consumer group 'g'\r\n");
    assert_eq!(resp(&mut e, c, "XDEL s 1-0 3-0"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "XAUTOCLAIM s g gina 0 0 COUNT 1"), "*3\r\n$3\r\n2-0\r\n*0\r\n*1\r\n$3\r\n1-0\r\n");
    assert_eq!(resp(&mut e, c, "XAUTOCLAIM s g gina 0 0 COUNT 1"), "*3\r\n$3\r\n3-0\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*0\r\n");
    assert_eq!(resp(&mut e, c, "XAUTOCLAIM s g gina 0 0 COUNT 5"), "*3\r\n$3\r\n0-0\r\n*2\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n*1\r\n$3\r\n3-0\r\n");
    assert_eq!(resp(&mut e, c, "XAUTOCLAIM s g gina 100000 0 COUNT 5"), "*3\r\n$3\r\n0-0\r\n*0\r\n*0\r\n");
    assert_eq!(resp(&mut e, c, "XPENDING s g"), "*4\r\n:2\r\n$3\r\n2-0\r\n$3\r\n4-0\r\n*1\r\n*2\r\n$4\r\ngina\r\n$1\r\n2\r\n");
    assert_eq!(resp(&mut e, c, "XINFO GROUPS s"), "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:7\r\n$7\r\npending\r\n:2\r\n$17\r\nlast-delivered-id\r\n$4\r\n20-0\r\n$12\r\nentries-read\r\n:5\r\n$3\r\nlag\r\n:0\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP DELCONSUMER s g gina"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "XPENDING s g"), "*4\r\n:0\r\n$-1\r\n$-1\r\n*-1\r\n");
}

#[test]
fn xinfo() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "XINFO HELP"), "*9\r\n+XINFO <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+CONSUMERS <key> <groupname>\r\n+    Show consumers of <groupname>.\r\n+GROUPS <key>\r\n+    Show the stream consumer groups.\r\n+STREAM <key> [FULL [COUNT <count>]\r\n+    Show information about the stream.\r\n+HELP\r\n+    Prints this help.\r\n");
    assert_eq!(resp(&mut e, c, "XINFO FOO s"), "-ERR unknown subcommand 'FOO'. Try XINFO HELP.\r\n");
    assert_eq!(resp(&mut e, c, "XINFO STREAM nokey"), "-ERR no such key\r\n");
    assert_eq!(resp(&mut e, c, "SET str x"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "XINFO STREAM str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "XINFO GROUPS str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 1-0 a 1"), "$3\r\n1-0\r\n");
    assert_eq!(resp(&mut e, c, "XINFO STREAM s FULL COUNT"), "-ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP.\r\n");
    assert_eq!(resp(&mut e, c, "XINFO STREAM s FOO"), "-ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP.\r\n");
    assert_eq!(resp(&mut e, c, "XINFO STREAM s FULL FOO 1"), "-ERR unknown subcommand or wrong number of arguments for 'STREAM'. Try XINFO HELP.\r\n");
    assert_eq!(resp(&mut e, c, "XINFO STREAM s FULL COUNT x"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "XINFO CONSUMERS s nog"), "-NOGROUP No such consumer group 'nog' for key name 's'\r\n");
    assert_eq!(resp(&mut e, c, "XINFO CONSUMERS nokey g"), "-ERR no such key\r\n");
    assert_eq!(resp(&mut e, c, "XINFO GROUPS s"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "XSETID s 0-5"), "-ERR The ID specified in XSETID is smaller than the target stream top item\r\n");
    assert_eq!(resp(&mut e, c, "XSETID s 99-0"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "XSETID s 99-0 ENTRIESADDED 0"), "-ERR The entries_added specified in XSETID is smaller than the target stream length\r\n");
    assert_eq!(resp(&mut e, c, "XSETID s 99-0 ENTRIESADDED -1"), "-ERR entries_added must be positive\r\n");
    assert_eq!(resp(&mut e, c, "XSETID s 99-0 ENTRIESADDED 100 MAXDELETEDID 100-0"), "-ERR The ID specified in XSETID is smaller than the provided max_deleted_entry_id\r\n");
    assert_eq!(resp(&mut e, c, "XSETID s 99-0 ENTRIESADDED 100 MAXDELETEDID 50-0 FOO"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "XSETID s 99-0 ENTRIESADDED 100 MAXDELETEDID 50-0"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "XSETID s -"), "-ERR Invalid stream ID specified as stream command argument\r\n");
    assert_eq!(resp(&mut e, c, "XSETID s 100 MAXDELETEDID +"), "-ERR Invalid stream ID specified as stream command argument\r\n");
    assert_eq!(resp(&mut e, c, "XSETID nokey 1-0"), "-ERR no such key\r\n");
    assert_eq!(resp(&mut e, c, "XSETID str 1-0"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "XINFO STREAM s"), "*20\r\n$6\r\nlength\r\n:1\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$4\r\n99-0\r\n$20\r\nmax-deleted-entry-id\r\n$4\r\n50-0\r\n$13\r\nentries-added\r\n:100\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "XSETID s 99-0 MAXDELETEDID 0-0"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "XINFO STREAM s"), "*20\r\n$6\r\nlength\r\n:1\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$4\r\n99-0\r\n$20\r\nmax-deleted-entry-id\r\n$4\r\n50-0\r\n$13\r\nentries-added\r\n:100\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n$10\r\nlast-entry\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP CREATE s g1 0"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP CREATE s g2 $"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP CREATE s g3 1-0"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP CREATE s g4 1-0 ENTRIESREAD 1"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "XINFO GROUPS s"), "*4\r\n*12\r\n$4\r\nname\r\n$2\r\ng1\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n$-1\r\n*12\r\n$4\r\nname\r\n$2\r\ng2\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$4\r\n99-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$2\r\ng3\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n$-1\r\n*12\r\n$4\r\nname\r\n$2\r\ng4\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-0\r\n$12\r\nentries-read\r\n:1\r\n$3\r\nlag\r\n$-1\r\n");
    assert_eq!(resp(&mut e, c, "XDEL s 1-0"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "XINFO STREAM s"), "*20\r\n$6\r\nlength\r\n:0\r\n$15\r\nradix-tree-keys\r\n:0\r\n$16\r\nradix-tree-nodes\r\n:1\r\n$17\r\nlast-generated-id\r\n$4\r\n99-0\r\n$20\r\nmax-deleted-entry-id\r\n$4\r\n50-0\r\n$13\r\nentries-added\r\n:100\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n0-0\r\n$6\r\ngroups\r\n:4\r\n$11\r\nfirst-entry\r\n$-1\r\n$10\r\nlast-entry\r\n$-1\r\n");
    assert_eq!(resp(&mut e, c, "XINFO GROUPS s"), "*4\r\n*12\r\n$4\r\nname\r\n$2\r\ng1\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$2\r\ng2\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$4\r\n99-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$2\r\ng3\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:0\r\n*12\r\n$4\r\nname\r\n$2\r\ng4\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-0\r\n$12\r\nentries-read\r\n:1\r\n$3\r\nlag\r\n:99\r\n");
    assert_eq!(resp(&mut e, c, "XSETID s 5-0"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 100-0 b 2"), "$5\r\n100-0\r\n");
    assert_eq!(resp(&mut e, c, "XINFO STREAM s"), "*20\r\n$6\r\nlength\r\n:1\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$5\r\n100-0\r\n$20\r\nmax-deleted-entry-id\r\n$4\r\n50-0\r\n$13\r\nentries-added\r\n:101\r\n$23\r\nrecorded-first-entry-id\r\n$5\r\n100-0\r\n$6\r\ngroups\r\n:4\r\n$11\r\nfirst-entry\r\n*2\r\n$5\r\n100-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n$10\r\nlast-entry\r\n*2\r\n$5\r\n100-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
    assert_eq!(resp(&mut e, c, "XINFO GROUPS s"), "*4\r\n*12\r\n$4\r\nname\r\n$2\r\ng1\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n0-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:1\r\n*12\r\n$4\r\nname\r\n$2\r\ng2\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$4\r\n99-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:1\r\n*12\r\n$4\r\nname\r\n$2\r\ng3\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-0\r\n$12\r\nentries-read\r\n$-1\r\n$3\r\nlag\r\n:1\r\n*12\r\n$4\r\nname\r\n$2\r\ng4\r\n$9\r\nconsumers\r\n:0\r\n$7\r\npending\r\n:0\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-0\r\n$12\r\nentries-read\r\n:1\r\n$3\r\nlag\r\n:100\r\n");
}

/// Node layout: entries are grouped into nodes of `stream-node-max-entries`
/// (tombstones included) or `stream-node-max-bytes`, which decides what
/// approximate trimming removes and what XINFO reports.
#[test]
fn nodes_and_approximate_trimming() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    for i in 1..251 {
        let r = resp(&mut e, c, &format!("XADD s {i}-0 f v"));
        assert!(r.starts_with('$'), "{r}");
    }
    assert_eq!(resp(&mut e, c, "XINFO STREAM s"), "*20\r\n$6\r\nlength\r\n:250\r\n$15\r\nradix-tree-keys\r\n:3\r\n$16\r\nradix-tree-nodes\r\n:8\r\n$17\r\nlast-generated-id\r\n$5\r\n250-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:250\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n$10\r\nlast-entry\r\n*2\r\n$5\r\n250-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
    assert_eq!(resp(&mut e, c, "XADD s MAXLEN ~ 120 251-0 f v"), "$5\r\n251-0\r\n");
    assert_eq!(resp(&mut e, c, "XTRIM s MAXLEN ~ 120"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "XTRIM s MAXLEN ~ 0 LIMIT 99"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "XTRIM s MAXLEN ~ 0 LIMIT 100"), ":100\r\n");
    assert_eq!(resp(&mut e, c, "XLEN s"), ":51\r\n");
    assert_eq!(resp(&mut e, c, "XTRIM s MINID ~ 240"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "XTRIM s MINID 240"), ":39\r\n");
    assert_eq!(resp(&mut e, c, "XINFO STREAM s"), "*20\r\n$6\r\nlength\r\n:12\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$5\r\n251-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:251\r\n$23\r\nrecorded-first-entry-id\r\n$5\r\n240-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$5\r\n240-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n$10\r\nlast-entry\r\n*2\r\n$5\r\n251-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
    assert_eq!(resp(&mut e, c, "XDEL s 240-0 241-0"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "XTRIM s MAXLEN ~ 9"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "XINFO STREAM s"), "*20\r\n$6\r\nlength\r\n:10\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$5\r\n251-0\r\n$20\r\nmax-deleted-entry-id\r\n$5\r\n241-0\r\n$13\r\nentries-added\r\n:251\r\n$23\r\nrecorded-first-entry-id\r\n$5\r\n242-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$5\r\n242-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n$10\r\nlast-entry\r\n*2\r\n$5\r\n251-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
    let big = "x".repeat(300);
    for i in 1..41 {
        let r = resp(&mut e, c, &format!("XADD b {i}-0 f {big}"));
        assert!(r.starts_with('$'), "{r}");
    }
    assert_eq!(resp(&mut e, c, "XINFO STREAM b"), format!("*20\r\n$6\r\nlength\r\n:40\r\n$15\r\nradix-tree-keys\r\n:4\r\n$16\r\nradix-tree-nodes\r\n:10\r\n$17\r\nlast-generated-id\r\n$4\r\n40-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:40\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$300\r\n{big}\r\n$10\r\nlast-entry\r\n*2\r\n$4\r\n40-0\r\n*2\r\n$1\r\nf\r\n$300\r\n{big}\r\n"));
    assert_eq!(resp(&mut e, c, "XTRIM b MAXLEN ~ 30"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "XLEN b"), ":40\r\n");
    for i in 1..101 {
        let r = resp(&mut e, c, &format!("XADD t {i}-0 f v"));
        assert!(r.starts_with('$'), "{r}");
    }
    assert_eq!(resp(&mut e, c, "XDEL t 50-0"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "XADD t 101-0 f v"), "$5\r\n101-0\r\n");
    assert_eq!(resp(&mut e, c, "XINFO STREAM t"), "*20\r\n$6\r\nlength\r\n:100\r\n$15\r\nradix-tree-keys\r\n:2\r\n$16\r\nradix-tree-nodes\r\n:6\r\n$17\r\nlast-generated-id\r\n$5\r\n101-0\r\n$20\r\nmax-deleted-entry-id\r\n$4\r\n50-0\r\n$13\r\nentries-added\r\n:101\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n$10\r\nlast-entry\r\n*2\r\n$5\r\n101-0\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
    for i in 1..121 {
        let r = resp(&mut e, c, &format!("XADD n {}-{i} n{} {}", i * 1000000, i % 3, i * 12345));
        assert!(r.starts_with('$'), "{r}");
    }
    assert_eq!(resp(&mut e, c, "XINFO STREAM n"), "*20\r\n$6\r\nlength\r\n:120\r\n$15\r\nradix-tree-keys\r\n:2\r\n$16\r\nradix-tree-nodes\r\n:6\r\n$17\r\nlast-generated-id\r\n$13\r\n120000000-120\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:120\r\n$23\r\nrecorded-first-entry-id\r\n$9\r\n1000000-1\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$9\r\n1000000-1\r\n*2\r\n$2\r\nn1\r\n$5\r\n12345\r\n$10\r\nlast-entry\r\n*2\r\n$13\r\n120000000-120\r\n*2\r\n$2\r\nn0\r\n$7\r\n1481400\r\n");
    assert_eq!(resp(&mut e, c, "XTRIM n MAXLEN ~ 1"), ":100\r\n");
    assert_eq!(resp(&mut e, c, "XINFO STREAM n"), "*20\r\n$6\r\nlength\r\n:20\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$13\r\n120000000-120\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:120\r\n$23\r\nrecorded-first-entry-id\r\n$13\r\n101000000-101\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$13\r\n101000000-101\r\n*2\r\n$2\r\nn2\r\n$7\r\n1246845\r\n$10\r\nlast-entry\r\n*2\r\n$13\r\n120000000-120\r\n*2\r\n$2\r\nn0\r\n$7\r\n1481400\r\n");
}


/// Auto ids come from the engine's clock and never go backwards.
#[test]
fn auto_ids_follow_the_clock() {
    let (mut e, clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "XADD s * a 1"), "$9\r\n1000000-0\r\n");
    assert_eq!(resp(&mut e, c, "XADD s * a 2"), "$9\r\n1000000-1\r\n");
    clock.advance_ms(5);
    assert_eq!(resp(&mut e, c, "XADD s * a 3"), "$9\r\n1000005-0\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 1000005-* a 4"), "$9\r\n1000005-1\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 1000007-* a 5"), "$9\r\n1000007-0\r\n");
    // The clock is behind the last id: the sequence grows instead.
    assert_eq!(resp(&mut e, c, "XADD s * a 6"), "$9\r\n1000007-1\r\n");
    clock.set_ms(999_000);
    assert_eq!(resp(&mut e, c, "XADD s * a 7"), "$9\r\n1000007-2\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 1000006-* a 8"), "-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n");
    assert_eq!(resp(&mut e, c, "XINFO STREAM s"), "*20\r\n$6\r\nlength\r\n:7\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$9\r\n1000007-2\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:7\r\n$23\r\nrecorded-first-entry-id\r\n$9\r\n1000000-0\r\n$6\r\ngroups\r\n:0\r\n$11\r\nfirst-entry\r\n*2\r\n$9\r\n1000000-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n$10\r\nlast-entry\r\n*2\r\n$9\r\n1000007-2\r\n*2\r\n$1\r\na\r\n$1\r\n7\r\n");
}

/// Idle times, delivery times and seen times all come from the clock.
#[test]
fn pending_idle_times() {
    let (mut e, clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "XGROUP CREATE s g $ MKSTREAM"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 1-0 a 1"), "$3\r\n1-0\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 2-0 b 2"), "$3\r\n2-0\r\n");
    assert_eq!(resp(&mut e, c, "XREADGROUP GROUP g alice COUNT 1 STREAMS s >"), "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
    clock.advance_ms(1500);
    assert_eq!(resp(&mut e, c, "XREADGROUP GROUP g bob STREAMS s >"), "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
    clock.advance_ms(500);
    assert_eq!(resp(&mut e, c, "XPENDING s g - + 10"), "*2\r\n*4\r\n$3\r\n1-0\r\n$5\r\nalice\r\n:2000\r\n:1\r\n*4\r\n$3\r\n2-0\r\n$3\r\nbob\r\n:500\r\n:1\r\n");
    assert_eq!(resp(&mut e, c, "XPENDING s g IDLE 1000 - + 10"), "*1\r\n*4\r\n$3\r\n1-0\r\n$5\r\nalice\r\n:2000\r\n:1\r\n");
    assert_eq!(resp(&mut e, c, "XPENDING s g IDLE 2001 - + 10"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "XPENDING s g IDLE 0 - + 10 bob"), "*1\r\n*4\r\n$3\r\n2-0\r\n$3\r\nbob\r\n:500\r\n:1\r\n");
    assert_eq!(resp(&mut e, c, "XINFO CONSUMERS s g"), "*2\r\n*6\r\n$4\r\nname\r\n$5\r\nalice\r\n$7\r\npending\r\n:1\r\n$4\r\nidle\r\n:2000\r\n*6\r\n$4\r\nname\r\n$3\r\nbob\r\n$7\r\npending\r\n:1\r\n$4\r\nidle\r\n:500\r\n");
    // Too recent to claim, then old enough.
    assert_eq!(resp(&mut e, c, "XCLAIM s g carol 1000 2-0 JUSTID"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "XCLAIM s g carol 1000 1-0 2-0 JUSTID"), "*1\r\n$3\r\n1-0\r\n");
    assert_eq!(resp(&mut e, c, "XCLAIM s g carol 0 2-0 IDLE 300"), "*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
    assert_eq!(resp(&mut e, c, "XPENDING s g - + 10"), "*2\r\n*4\r\n$3\r\n1-0\r\n$5\r\ncarol\r\n:0\r\n:1\r\n*4\r\n$3\r\n2-0\r\n$5\r\ncarol\r\n:300\r\n:2\r\n");
    // TIME in the future means now; TIME in the past is kept.
    assert_eq!(resp(&mut e, c, "XCLAIM s g carol 0 1-0 TIME 99999999999 JUSTID"), "*1\r\n$3\r\n1-0\r\n");
    assert_eq!(resp(&mut e, c, "XCLAIM s g carol 0 2-0 TIME 1000000 JUSTID"), "*1\r\n$3\r\n2-0\r\n");
    assert_eq!(resp(&mut e, c, "XPENDING s g - + 10"), "*2\r\n*4\r\n$3\r\n1-0\r\n$5\r\ncarol\r\n:0\r\n:1\r\n*4\r\n$3\r\n2-0\r\n$5\r\ncarol\r\n:2000\r\n:2\r\n");
    clock.advance_ms(100);
    assert_eq!(resp(&mut e, c, "XAUTOCLAIM s g dave 1000 0 JUSTID"), "*3\r\n$3\r\n0-0\r\n*1\r\n$3\r\n2-0\r\n*0\r\n");
    assert_eq!(
        resp(&mut e, c, "XINFO STREAM s FULL"),
        "*18\r\n$6\r\nlength\r\n:2\r\n$15\r\nradix-tree-keys\r\n:1\r\n$16\r\nradix-tree-nodes\r\n:2\r\n$17\r\nlast-generated-id\r\n$3\r\n2-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n0-0\r\n$13\r\nentries-added\r\n:2\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n1-0\r\n$7\r\nentries\r\n*2\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n$6\r\ngroups\r\n*1\r\n*14\r\n$4\r\nname\r\n$1\r\ng\r\n$17\r\nlast-delivered-id\r\n$3\r\n2-0\r\n$12\r\nentries-read\r\n:2\r\n$3\r\nlag\r\n:0\r\n$9\r\npel-count\r\n:2\r\n$7\r\npending\r\n*2\r\n*4\r\n$3\r\n1-0\r\n$5\r\ncarol\r\n:1002000\r\n:1\r\n*4\r\n$3\r\n2-0\r\n$4\r\ndave\r\n:1002100\r\n:2\r\n$9\r\nconsumers\r\n*4\r\n*8\r\n$4\r\nname\r\n$5\r\nalice\r\n$9\r\nseen-time\r\n:1000000\r\n$9\r\npel-count\r\n:0\r\n$7\r\npending\r\n*0\r\n*8\r\n$4\r\nname\r\n$3\r\nbob\r\n$9\r\nseen-time\r\n:1001500\r\n$9\r\npel-count\r\n:0\r\n$7\r\npending\r\n*0\r\n*8\r\n$4\r\nname\r\n$5\r\ncarol\r\n$9\r\nseen-time\r\n:1002000\r\n$9\r\npel-count\r\n:1\r\n$7\r\npending\r\n*1\r\n*3\r\n$3\r\n1-0\r\n:1002000\r\n:1\r\n*8\r\n$4\r\nname\r\n$4\r\ndave\r\n$9\r\nseen-time\r\n:1002100\r\n$9\r\npel-count\r\n:1\r\n$7\r\npending\r\n*1\r\n*3\r\n$3\r\n2-0\r\n:1002100\r\n:2\r\n"
    );
}

#[test]
fn blocked_readers_are_served_by_xadd() {
    let (mut e, _clock) = engine();
    let (w, a, b, d) = (client(&mut e), client(&mut e), client(&mut e), client(&mut e));
    block(&mut e, a, "XREAD BLOCK 0 STREAMS s $");
    assert_eq!(resp(&mut e, w, "XADD s 1-0 a 1"), "$3\r\n1-0\r\n");
    assert_eq!(e.take_woken(), vec![a]);
    assert_eq!(out(&mut e, a), "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
    // `$` means the last id when the reader blocked.
    block(&mut e, a, "XREAD BLOCK 0 STREAMS s $");
    block(&mut e, b, "XREAD BLOCK 0 STREAMS s 1");
    assert_eq!(resp(&mut e, w, "XADD s 2-0 b 2"), "$3\r\n2-0\r\n");
    assert_eq!(out(&mut e, a), "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
    assert_eq!(out(&mut e, b), "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nb\r\n$1\r\n2\r\n");
    // Group readers are served in blocking order; one entry goes to one reader.
    assert_eq!(resp(&mut e, w, "XGROUP CREATE s g $"), "+OK\r\n");
    block(&mut e, a, "XREADGROUP GROUP g alice BLOCK 0 STREAMS s >");
    block(&mut e, b, "XREADGROUP GROUP g bob BLOCK 0 STREAMS s >");
    block(&mut e, d, "XREAD BLOCK 0 STREAMS s $");
    assert_eq!(resp(&mut e, w, "XADD s 3-0 c 3"), "$3\r\n3-0\r\n");
    assert_eq!(out(&mut e, a), "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n");
    assert_eq!(out(&mut e, b), "");
    assert_eq!(out(&mut e, d), "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n3-0\r\n*2\r\n$1\r\nc\r\n$1\r\n3\r\n");
    assert!(e.is_blocked(b));
    assert_eq!(resp(&mut e, w, "XADD s 4-0 d 4"), "$3\r\n4-0\r\n");
    assert_eq!(out(&mut e, b), "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n4-0\r\n*2\r\n$1\r\nd\r\n$1\r\n4\r\n");
    assert_eq!(resp(&mut e, w, "XPENDING s g"), "*4\r\n:2\r\n$3\r\n3-0\r\n$3\r\n4-0\r\n*2\r\n*2\r\n$5\r\nalice\r\n$1\r\n1\r\n*2\r\n$3\r\nbob\r\n$1\r\n1\r\n");
    // NOACK readers leave nothing pending.
    block(&mut e, a, "XREADGROUP GROUP g alice BLOCK 0 NOACK STREAMS s >");
    assert_eq!(resp(&mut e, w, "XADD s 5-0 e 5"), "$3\r\n5-0\r\n");
    assert_eq!(out(&mut e, a), "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n5-0\r\n*2\r\n$1\r\ne\r\n$1\r\n5\r\n");
    assert_eq!(resp(&mut e, w, "XPENDING s g"), "*4\r\n:2\r\n$3\r\n3-0\r\n$3\r\n4-0\r\n*2\r\n*2\r\n$5\r\nalice\r\n$1\r\n1\r\n*2\r\n$3\r\nbob\r\n$1\r\n1\r\n");
    // A reader blocked on two keys is served from the one written.
    block(&mut e, a, "XREAD BLOCK 0 STREAMS x y $ $");
    assert_eq!(resp(&mut e, w, "XADD y 1-0 k v"), "$3\r\n1-0\r\n");
    assert_eq!(out(&mut e, a), "*1\r\n*2\r\n$1\r\ny\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nk\r\n$1\r\nv\r\n");
    // A key named twice waits after its first id.
    block(&mut e, a, "XREAD BLOCK 0 STREAMS y y 1-0 5-0");
    assert_eq!(resp(&mut e, w, "XADD y 2-0 k v"), "$3\r\n2-0\r\n");
    assert_eq!(out(&mut e, a), "*1\r\n*2\r\n$1\r\ny\r\n*1\r\n*2\r\n$3\r\n2-0\r\n*2\r\n$1\r\nk\r\n$1\r\nv\r\n");
    // The consumer is created when the blocked reader is served.
    block(&mut e, a, "XREADGROUP GROUP g zoe BLOCK 0 STREAMS s >");
    assert_eq!(resp(&mut e, w, "XINFO GROUPS s"), "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:2\r\n$7\r\npending\r\n:2\r\n$17\r\nlast-delivered-id\r\n$3\r\n5-0\r\n$12\r\nentries-read\r\n:5\r\n$3\r\nlag\r\n:0\r\n");
    assert_eq!(resp(&mut e, w, "XADD s 6-0 f 6"), "$3\r\n6-0\r\n");
    assert_eq!(out(&mut e, a), "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n6-0\r\n*2\r\n$1\r\nf\r\n$1\r\n6\r\n");
    assert_eq!(resp(&mut e, w, "XINFO GROUPS s"), "*1\r\n*12\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:3\r\n$7\r\npending\r\n:3\r\n$17\r\nlast-delivered-id\r\n$3\r\n6-0\r\n$12\r\nentries-read\r\n:6\r\n$3\r\nlag\r\n:0\r\n");
}

/// Only what Redis signals wakes a stream reader: XDEL, XTRIM, XSETID and
/// XGROUP SETID do not, even when they leave the last id above the one it
/// waits after; the next XADD serves it. An XADD whose entry is trimmed
/// at once still serves XREAD, with no entries.
#[test]
fn only_redis_signals_wake_stream_readers() {
    let (mut e, _clock) = engine();
    let (w, a, b) = (client(&mut e), client(&mut e), client(&mut e));
    assert_eq!(resp(&mut e, w, "XADD s 7-0 f 7"), "$3\r\n7-0\r\n");
    assert_eq!(resp(&mut e, w, "XGROUP CREATE s g $"), "+OK\r\n");
    block(&mut e, a, "XREADGROUP GROUP g alice BLOCK 0 STREAMS s >");
    block(&mut e, b, "XREAD BLOCK 0 STREAMS s $");
    assert_eq!(resp(&mut e, w, "XSETID s 100-0"), "+OK\r\n");
    assert_eq!(resp(&mut e, w, "XDEL s 7-0"), ":1\r\n");
    assert_eq!(resp(&mut e, w, "XTRIM s MAXLEN 0"), ":0\r\n");
    assert_eq!(resp(&mut e, w, "XGROUP SETID s g 0"), "+OK\r\n");
    assert_eq!(resp(&mut e, w, "XGROUP CREATECONSUMER s g zed"), ":1\r\n");
    assert!(e.take_woken().is_empty());
    assert_eq!(resp(&mut e, w, "XADD s 101-0 g 1"), "$5\r\n101-0\r\n");
    assert_eq!(out(&mut e, a), "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$5\r\n101-0\r\n*2\r\n$1\r\ng\r\n$1\r\n1\r\n");
    assert_eq!(out(&mut e, b), "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$5\r\n101-0\r\n*2\r\n$1\r\ng\r\n$1\r\n1\r\n");
    block(&mut e, b, "XREAD BLOCK 0 COUNT 1 STREAMS s $");
    assert_eq!(resp(&mut e, w, "XADD s MAXLEN 0 102-0 a 1"), "$5\r\n102-0\r\n");
    assert_eq!(out(&mut e, b), "*1\r\n*2\r\n$1\r\ns\r\n*0\r\n");
}

/// Redis 7.0 answers a blocked XREADGROUP when its group is destroyed
/// (-NOGROUP) or its stream is deleted or overwritten (-UNBLOCKED); a plain
/// XREAD keeps waiting.
#[test]
fn blocked_group_readers_see_deletions() {
    let (mut e, _clock) = engine();
    let (w, a, b) = (client(&mut e), client(&mut e), client(&mut e));
    assert_eq!(resp(&mut e, w, "XGROUP CREATE s g $ MKSTREAM"), "+OK\r\n");
    block(&mut e, a, "XREADGROUP GROUP g alice BLOCK 0 STREAMS s >");
    block(&mut e, b, "XREAD BLOCK 0 STREAMS s $");
    assert_eq!(resp(&mut e, w, "DEL s"), ":1\r\n");
    assert_eq!(out(&mut e, a), "-UNBLOCKED the stream key no longer exists\r\n");
    assert!(e.is_blocked(b));
    assert_eq!(resp(&mut e, w, "XGROUP CREATE s g $ MKSTREAM"), "+OK\r\n");
    block(&mut e, a, "XREADGROUP GROUP g alice BLOCK 0 STREAMS s >");
    assert_eq!(resp(&mut e, w, "XGROUP DESTROY s g"), ":1\r\n");
    assert_eq!(out(&mut e, a), "-NOGROUP the consumer group this client was blocked on no longer exists\r\n");
    assert_eq!(resp(&mut e, w, "XGROUP CREATE s g $"), "+OK\r\n");
    block(&mut e, a, "XREADGROUP GROUP g alice BLOCK 0 STREAMS s >");
    assert_eq!(resp(&mut e, w, "SET s x"), "+OK\r\n");
    assert_eq!(out(&mut e, a), "-UNBLOCKED the stream key no longer exists\r\n");
    assert!(e.is_blocked(b));
    assert_eq!(resp(&mut e, w, "DEL s"), ":1\r\n");
    assert_eq!(resp(&mut e, w, "XADD s 1-0 f 1"), "$3\r\n1-0\r\n");
    assert_eq!(out(&mut e, b), "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nf\r\n$1\r\n1\r\n");
    assert_eq!(resp(&mut e, w, "XGROUP CREATE s g $"), "+OK\r\n");
    block(&mut e, a, "XREADGROUP GROUP g alice BLOCK 0 STREAMS s >");
    assert_eq!(resp(&mut e, w, "FLUSHALL"), "+OK\r\n");
    assert_eq!(out(&mut e, a), "-UNBLOCKED the stream key no longer exists\r\n");
    // A stream renamed onto a waited key serves its reader.
    block(&mut e, b, "XREAD BLOCK 0 STREAMS t $");
    assert_eq!(resp(&mut e, w, "XADD u 1-0 q 1"), "$3\r\n1-0\r\n");
    assert_eq!(resp(&mut e, w, "RENAME u t"), "+OK\r\n");
    assert_eq!(out(&mut e, b), "*1\r\n*2\r\n$1\r\nt\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\nq\r\n$1\r\n1\r\n");
}

#[test]
fn block_timeouts_and_no_blocking_contexts() {
    let (mut e, clock) = engine();
    let (w, a) = (client(&mut e), client(&mut e));
    block(&mut e, a, "XREAD BLOCK 100 STREAMS s $");
    clock.advance_ms(100);
    e.tick();
    assert!(e.is_blocked(a));
    clock.advance_ms(1);
    e.tick();
    assert_eq!(out(&mut e, a), "*-1\r\n");
    assert_eq!(resp(&mut e, w, "XGROUP CREATE s g $ MKSTREAM"), "+OK\r\n");
    block(&mut e, a, "XREADGROUP GROUP g c BLOCK 50 STREAMS s >");
    clock.advance_ms(51);
    e.tick();
    assert_eq!(out(&mut e, a), "*-1\r\n");
    // The consumer was never served, so never created.
    assert_eq!(resp(&mut e, w, "XINFO CONSUMERS s g"), "*0\r\n");
    // The engine's own client never blocks: a timeout at once.
    assert_eq!(e.command(&[b"XREAD", b"BLOCK", b"0", b"STREAMS", b"s", b"$"]), Reply::NilArray);
}

#[test]
fn resp3_replies() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    run(&mut e, c, "HELLO 3");
    let r3 = |e: &mut Engine, line: &str| String::from_utf8_lossy(&run(e, c, line).to_resp(Protocol::Resp3)).into_owned();
    assert_eq!(r3(&mut e, "XADD s 1-0 a 1"), "$3\r\n1-0\r\n");
    assert_eq!(r3(&mut e, "XGROUP CREATE s g 0"), "+OK\r\n");
    assert_eq!(r3(&mut e, "XREAD STREAMS s s2 0 0"), "%1\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
    assert_eq!(r3(&mut e, "XREADGROUP GROUP g c STREAMS s >"), "%1\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
    assert_eq!(r3(&mut e, "XREADGROUP GROUP g c STREAMS s >"), "_\r\n");
    assert_eq!(r3(&mut e, "XPENDING s g"), "*4\r\n:1\r\n$3\r\n1-0\r\n$3\r\n1-0\r\n*1\r\n*2\r\n$1\r\nc\r\n$1\r\n1\r\n");
    assert_eq!(r3(&mut e, "XINFO GROUPS s"), "*1\r\n%6\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:1\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-0\r\n$12\r\nentries-read\r\n:1\r\n$3\r\nlag\r\n:0\r\n");
    assert_eq!(r3(&mut e, "XADD s2 NOMKSTREAM * a b"), "_\r\n");
    assert_eq!(r3(&mut e, "XRANGE s - + COUNT 0"), "_\r\n");
    assert_eq!(r3(&mut e, "XDEL s 1-0"), ":1\r\n");
    assert_eq!(r3(&mut e, "XINFO GROUPS s"), "*1\r\n%6\r\n$4\r\nname\r\n$1\r\ng\r\n$9\r\nconsumers\r\n:1\r\n$7\r\npending\r\n:1\r\n$17\r\nlast-delivered-id\r\n$3\r\n1-0\r\n$12\r\nentries-read\r\n:1\r\n$3\r\nlag\r\n:0\r\n");
    assert_eq!(r3(&mut e, "XINFO STREAM s"), "%10\r\n$6\r\nlength\r\n:0\r\n$15\r\nradix-tree-keys\r\n:0\r\n$16\r\nradix-tree-nodes\r\n:1\r\n$17\r\nlast-generated-id\r\n$3\r\n1-0\r\n$20\r\nmax-deleted-entry-id\r\n$3\r\n1-0\r\n$13\r\nentries-added\r\n:1\r\n$23\r\nrecorded-first-entry-id\r\n$3\r\n0-0\r\n$6\r\ngroups\r\n:1\r\n$11\r\nfirst-entry\r\n_\r\n$10\r\nlast-entry\r\n_\r\n");
    assert_eq!(r3(&mut e, "XREADGROUP GROUP g c STREAMS s 0"), "%1\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n_\r\n");
}

/// A stream survives being emptied, and COPY copies its groups.
#[test]
fn empty_streams_and_copies() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "XADD s 1-0 a 1"), "$3\r\n1-0\r\n");
    assert_eq!(resp(&mut e, c, "XGROUP CREATE s g 0"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "XREADGROUP GROUP g c STREAMS s >"), "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "COPY s t"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "XDEL s 1-0"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "EXISTS s"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "XLEN s"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "TYPE s"), "+stream\r\n");
    assert_eq!(resp(&mut e, c, "XPENDING t g"), "*4\r\n:1\r\n$3\r\n1-0\r\n$3\r\n1-0\r\n*1\r\n*2\r\n$1\r\nc\r\n$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "XRANGE t - +"), "*1\r\n*2\r\n$3\r\n1-0\r\n*2\r\n$1\r\na\r\n$1\r\n1\r\n");
}

/// The typed API and `execute` share one implementation: the same calls on
/// two engines leave the same state and answer the same.
#[test]
fn typed_api_agrees_with_execute() {
    let (mut t, _c1) = engine();
    let (mut x, _c2) = engine();
    let c = client(&mut x);
    let id = |ms, seq| StreamId::new(ms, seq);
    let opts = |id: XaddId| XaddOptions { id, ..XaddOptions::default() };

    assert_eq!(t.xadd(0, b"s", &opts(XaddId::Explicit(id(1, 1))), &[(b"a", b"1"), (b"b", b"2")]), Ok(Some(id(1, 1))));
    assert_eq!(resp(&mut x, c, "XADD s 1-1 a 1 b 2"), "$3\r\n1-1\r\n");
    assert_eq!(t.xadd(0, b"s", &opts(XaddId::AutoSeq(1)), &[(b"a", b"3")]), Ok(Some(id(1, 2))));
    assert_eq!(resp(&mut x, c, "XADD s 1-* a 3"), "$3\r\n1-2\r\n");
    assert_eq!(t.xadd(0, b"s", &opts(XaddId::Auto), &[(b"c", b"4")]), Ok(Some(id(1_000_000, 0))));
    assert_eq!(resp(&mut x, c, "XADD s * c 4"), "$9\r\n1000000-0\r\n");
    let e = t.xadd(0, b"s", &opts(XaddId::Explicit(id(1, 0))), &[(b"a", b"1")]).unwrap_err();
    assert_eq!(Reply::Error(e).to_resp(Protocol::Resp2), b"-ERR The ID specified in XADD is equal or smaller than the target stream top item\r\n");
    assert_eq!(t.xadd(0, b"none", &XaddOptions { nomkstream: true, ..XaddOptions::default() }, &[(b"a", b"1")]), Ok(None));
    let trim = Some(TrimSpec { strategy: TrimStrategy::MaxLen(3), approx: false, limit: None });
    assert_eq!(t.xadd(0, b"s", &XaddOptions { id: XaddId::Explicit(id(1_000_001, 0)), nomkstream: false, trim }, &[(b"d", b"5")]), Ok(Some(id(1_000_001, 0))));
    assert_eq!(resp(&mut x, c, "XADD s MAXLEN 3 1000001-0 d 5"), "$9\r\n1000001-0\r\n");

    assert_eq!(t.xlen(0, b"s"), Ok(3));
    assert_eq!(resp(&mut x, c, "XLEN s"), ":3\r\n");
    let all = t.xrange(0, b"s", StreamId::MIN, StreamId::MAX, false, None).unwrap().unwrap();
    let ids: Vec<StreamId> = all.iter().map(|e| e.id).collect();
    assert_eq!(ids, vec![id(1, 2), id(1_000_000, 0), id(1_000_001, 0)]);
    assert_eq!(all[0], StreamEntry { id: id(1, 2), fields: vec![(b"a".to_vec(), b"3".to_vec())] });
    assert_eq!(t.xrange(0, b"s", StreamId::MIN, StreamId::MAX, true, Some(1)).unwrap().unwrap()[0].id, id(1_000_001, 0));
    assert_eq!(t.xrange(0, b"s", StreamId::MIN, StreamId::MAX, false, Some(0)), Ok(None));
    assert_eq!(t.xrange(0, b"nokey", StreamId::MIN, StreamId::MAX, false, Some(0)), Ok(Some(vec![])));

    assert_eq!(t.xgroup_create(0, b"s", b"g", GroupStart::Id(StreamId::MIN), false, -1), Ok(()));
    assert_eq!(resp(&mut x, c, "XGROUP CREATE s g 0"), "+OK\r\n");
    assert!(t.xgroup_create(0, b"s", b"g", GroupStart::Last, false, -1).is_err());
    assert_eq!(t.xgroup_create(0, b"m", b"g", GroupStart::Last, true, -1), Ok(()));
    assert_eq!(resp(&mut x, c, "XGROUP CREATE m g $ MKSTREAM"), "+OK\r\n");

    let r = t.xreadgroup(0, b"g", b"alice", &[b"s"], &[None], 2, false).unwrap();
    assert_eq!(r.len(), 1);
    assert_eq!(r[0].0, b"s".to_vec());
    assert_eq!(r[0].1.iter().map(|(i, _)| *i).collect::<Vec<_>>(), vec![id(1, 2), id(1_000_000, 0)]);
    assert_eq!(
        resp(&mut x, c, "XREADGROUP GROUP g alice COUNT 2 STREAMS s >"),
        "*1\r\n*2\r\n$1\r\ns\r\n*2\r\n*2\r\n$3\r\n1-2\r\n*2\r\n$1\r\na\r\n$1\r\n3\r\n*2\r\n$9\r\n1000000-0\r\n*2\r\n$1\r\nc\r\n$1\r\n4\r\n"
    );
    assert!(t.xreadgroup(0, b"nog", b"alice", &[b"s"], &[None], 0, false).is_err());

    assert_eq!(t.xack(0, b"s", b"g", &[id(1, 2), id(9, 9)]), Ok(1));
    assert_eq!(resp(&mut x, c, "XACK s g 1-2 9-9"), ":1\r\n");
    assert_eq!(t.xdel(0, b"s", &[id(1_000_000, 0), id(5, 5)]), Ok(1));
    assert_eq!(resp(&mut x, c, "XDEL s 1000000-0 5-5"), ":1\r\n");
    assert_eq!(t.xtrim(0, b"s", &TrimSpec { strategy: TrimStrategy::MinId(id(1_000_001, 0)), approx: false, limit: None }), Ok(1));
    assert_eq!(resp(&mut x, c, "XTRIM s MINID 1000001-0"), ":1\r\n");

    // Both engines now hold the same streams and groups.
    let c2 = client(&mut t);
    for line in ["XINFO STREAM s FULL", "XINFO STREAM m", "XPENDING s g", "XINFO GROUPS s", "XRANGE s - +"] {
        assert_eq!(resp(&mut t, c2, line), resp(&mut x, c, line), "{line}");
    }
}

#[test]
fn stream_node_config() {
    let (mut e, _clock) = engine_with(Config { stream_node_max_entries: 2, ..Config::default() });
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "CONFIG GET stream-node-max-entries"), "*2\r\n$23\r\nstream-node-max-entries\r\n$1\r\n2\r\n");
    for i in 1..6 {
        assert_eq!(resp(&mut e, c, &format!("XADD s {i}-0 f v")), format!("$3\r\n{i}-0\r\n"));
    }
    assert_eq!(resp(&mut e, c, "XTRIM s MAXLEN ~ 2"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "CONFIG SET stream-node-max-bytes 1"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "CONFIG GET stream-node-max-bytes"), "*2\r\n$21\r\nstream-node-max-bytes\r\n$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "XADD s 6-0 f v"), "$3\r\n6-0\r\n");
    assert_eq!(resp(&mut e, c, "XTRIM s MAXLEN ~ 3"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "XTRIM s MAXLEN ~ 2"), ":2\r\n");
}

/// A stream key expiring under blocked readers (Redis 7.0.15, checked on
/// redis-server: XREADGROUP BLOCK 0, PEXPIRE 100, wait): XREADGROUP waiters
/// are woken with `-UNBLOCKED the stream key no longer exists`, whether the
/// key expires lazily (a lookup) or actively (the expiry cycle); XREAD
/// waiters stay blocked.
#[test]
fn expired_stream_wakes_group_readers() {
    for active in [false, true] {
        let (mut e, clock) = engine();
        let (w, a, b) = (client(&mut e), client(&mut e), client(&mut e));
        resp(&mut e, w, "XADD s 1-1 f v");
        resp(&mut e, w, "XGROUP CREATE s g $");
        block(&mut e, a, "XREADGROUP GROUP g alice BLOCK 0 STREAMS s >");
        block(&mut e, b, "XREAD BLOCK 0 STREAMS s $");
        assert_eq!(resp(&mut e, w, "PEXPIRE s 100"), ":1\r\n");
        clock.advance_ms(200);
        if active {
            e.tick();
        } else {
            resp(&mut e, w, "DEBUG SET-ACTIVE-EXPIRE 0");
            e.tick();
            assert!(e.is_blocked(a));
            assert_eq!(resp(&mut e, w, "EXISTS s"), ":0\r\n");
        }
        assert!(!e.is_blocked(a), "active={active}");
        assert_eq!(out(&mut e, a), "-UNBLOCKED the stream key no longer exists\r\n");
        assert!(e.is_blocked(b));
        assert_eq!(out(&mut e, b), "");
        // Once served, a new stream under the same name feeds XREAD.
        resp(&mut e, w, "XADD s 2-1 f v");
        assert_eq!(out(&mut e, b), "*1\r\n*2\r\n$1\r\ns\r\n*1\r\n*2\r\n$3\r\n2-1\r\n*2\r\n$1\r\nf\r\n$1\r\nv\r\n");
    }
}

#[test]
fn xgroup_destroy_is_not_a_watched_write() {
    // Redis 7.0.15 only signals the key as ready (readers get -NOGROUP):
    // a WATCHing client's EXEC still runs.
    let (mut e, _clock) = engine();
    let (a, b) = (client(&mut e), client(&mut e));
    assert_eq!(resp(&mut e, b, "XGROUP CREATE s g $ MKSTREAM"), "+OK\r\n");
    block(&mut e, b, "XREADGROUP GROUP g c BLOCK 0 STREAMS s >");
    assert_eq!(resp(&mut e, a, "WATCH s"), "+OK\r\n");
    assert_eq!(resp(&mut e, a, "XGROUP DESTROY s g"), ":1\r\n");
    assert_eq!(out(&mut e, b), "-NOGROUP the consumer group this client was blocked on no longer exists\r\n");
    assert_eq!(resp(&mut e, a, "MULTI"), "+OK\r\n");
    assert_eq!(resp(&mut e, a, "PING"), "+QUEUED\r\n");
    assert_eq!(resp(&mut e, a, "EXEC"), "*1\r\n+PONG\r\n");
}
