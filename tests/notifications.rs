//! Keyspace notifications (`notify-keyspace-events`), every family's main
//! commands: replies and the events published, in order, verified against
//! redis-server 7.0.15 (a client PSUBSCRIBEd to `__keyevent@*` while
//! another runs the commands).

mod common;
use common::*;
use redlet::{ClientId, Engine, Reply};

/// The events a subscriber received since the last call, as `event key`
/// (`event@db key` outside db 0) for keyevent channels and
/// `key-channel event` for keyspace channels.
fn events(e: &mut Engine, s: ClientId) -> Vec<String> {
    let mut out = Vec::new();
    while let Some(r) = e.pop_output(s) {
        let Reply::Push(items) = r else { panic!("not a push: {r:?}") };
        let text = |r: &Reply| match r {
            Reply::Bulk(b) => String::from_utf8_lossy(b).into_owned(),
            other => panic!("not a bulk: {other:?}"),
        };
        assert_eq!(text(&items[0]), "pmessage");
        let (chan, msg) = (text(&items[2]), text(&items[3]));
        if let Some(rest) = chan.strip_prefix("__keyevent@") {
            let (db, ev) = rest.split_once("__:").unwrap();
            out.push(if db == "0" { format!("{ev} {msg}") } else { format!("{ev}@{db} {msg}") });
        } else {
            out.push(format!("{chan} {msg}"));
        }
    }
    out
}

/// Every message a subscriber received since the last call, as
/// `channel message`.
fn raw_events(e: &mut Engine, s: ClientId) -> Vec<String> {
    let mut out = Vec::new();
    while let Some(r) = e.pop_output(s) {
        let Reply::Push(items) = r else { panic!("not a push: {r:?}") };
        let text = |r: &Reply| match r {
            Reply::Bulk(b) => String::from_utf8_lossy(b).into_owned(),
            other => panic!("not a bulk: {other:?}"),
        };
        out.push(format!("{} {}", text(&items[items.len() - 2]), text(&items[items.len() - 1])));
    }
    out
}

/// Like [`ev`] with the events as [`raw_events`] shows them.
fn evk(e: &mut Engine, w: ClientId, s: ClientId, line: &str, reply: &str, expected: &[&str]) {
    assert_eq!(resp(e, w, line), reply, "{line}");
    assert_eq!(raw_events(e, s), expected, "{line}");
}

/// Sets `notify-keyspace-events`.
fn flags(e: &mut Engine, w: ClientId, classes: &str) {
    let r = run_argv(e, w, &[b"CONFIG", b"SET", b"notify-keyspace-events", classes.as_bytes()]).unwrap();
    assert_eq!(r, Reply::ok());
}

/// Runs `line` as client `cs[who]` and asserts the bytes every client
/// received meanwhile (the issuer's reply included), each in its protocol.
#[track_caller]
fn st(e: &mut Engine, cs: &[ClientId], who: usize, line: &str, expected: &[&str]) {
    let a = argv(line);
    let refs: Vec<&[u8]> = a.iter().map(|v| v.as_slice()).collect();
    let mut got = vec![Vec::new(); cs.len()];
    if let Some(r) = e.execute(cs[who], &refs) {
        r.write_resp(e.protocol(cs[who]), &mut got[who]);
    }
    for (i, &c) in cs.iter().enumerate() {
        while let Some(r) = e.pop_output(c) {
            r.write_resp(e.protocol(c), &mut got[i]);
        }
    }
    let got: Vec<String> = got.into_iter().map(|b| String::from_utf8_lossy(&b).into_owned()).collect();
    assert_eq!(got, expected, "{line}");
}

/// Runs `line` as `w`: asserts its RESP2 reply and the events `s` got.
fn ev(e: &mut Engine, w: ClientId, s: ClientId, line: &str, reply: &str, expected: &[&str]) {
    assert_eq!(resp(e, w, line), reply, "{line}");
    assert_eq!(events(e, s), expected, "{line}");
}

/// An engine with `notify-keyspace-events KEA`, a writer and a subscriber
/// to every keyevent channel.
fn setup() -> (Engine, redlet::clock::ManualClock, ClientId, ClientId) {
    let (mut e, clock) = engine();
    let w = client(&mut e);
    let s = client(&mut e);
    assert_eq!(resp(&mut e, w, "CONFIG SET notify-keyspace-events KEA"), "+OK\r\n");
    assert_eq!(resp(&mut e, s, "PSUBSCRIBE __keyevent@*"), "*3\r\n$10\r\npsubscribe\r\n$12\r\n__keyevent@*\r\n:1\r\n");
    (e, clock, w, s)
}

#[test]
fn every_family() {
    let (mut e, _clock, w, s) = setup();
    // strings
    ev(&mut e, w, s, "SET k v", "+OK\r\n", &["set k"]);
    ev(&mut e, w, s, "SET k v2 EX 100", "+OK\r\n", &["set k", "expire k"]);
    ev(&mut e, w, s, "SET k v3 KEEPTTL", "+OK\r\n", &["set k"]);
    ev(&mut e, w, s, "SET k v4 NX", "$-1\r\n", &[]);
    ev(&mut e, w, s, "SET k v5 XX GET", "$2\r\nv3\r\n", &["set k"]);
    ev(&mut e, w, s, "SETNX k2 x", ":1\r\n", &["set k2"]);
    ev(&mut e, w, s, "SETEX k3 10 x", "+OK\r\n", &["set k3", "expire k3"]);
    ev(&mut e, w, s, "PSETEX k4 100000 x", "+OK\r\n", &["set k4", "expire k4"]);
    ev(&mut e, w, s, "MSET a 1 b 2", "+OK\r\n", &["set a", "set b"]);
    ev(&mut e, w, s, "MSETNX a 1 c 3", ":0\r\n", &[]);
    ev(&mut e, w, s, "MSETNX c 3 d 4", ":1\r\n", &["set c", "set d"]);
    ev(&mut e, w, s, "GETSET a 10", "$1\r\n1\r\n", &["set a"]);
    ev(&mut e, w, s, "GETDEL b", "$1\r\n2\r\n", &["del b"]);
    ev(&mut e, w, s, "GETDEL b", "$-1\r\n", &[]);
    ev(&mut e, w, s, "GETEX a EX 100", "$2\r\n10\r\n", &["expire a"]);
    ev(&mut e, w, s, "GETEX a PERSIST", "$2\r\n10\r\n", &["persist a"]);
    ev(&mut e, w, s, "GETEX a PERSIST", "$2\r\n10\r\n", &[]);
    ev(&mut e, w, s, "GETEX a PXAT 1", "$2\r\n10\r\n", &["del a"]);
    ev(&mut e, w, s, "APPEND s hello", ":5\r\n", &["append s"]);
    ev(&mut e, w, s, "APPEND s world", ":10\r\n", &["append s"]);
    ev(&mut e, w, s, "SETRANGE s 0 J", ":10\r\n", &["setrange s"]);
    ev(&mut e, w, s, "SETRANGE s2 3 x", ":4\r\n", &["setrange s2"]);
    ev(&mut e, w, s, "INCR n", ":1\r\n", &["incrby n"]);
    ev(&mut e, w, s, "INCRBY n 5", ":6\r\n", &["incrby n"]);
    ev(&mut e, w, s, "DECR n", ":5\r\n", &["incrby n"]);
    ev(&mut e, w, s, "DECRBY n 2", ":3\r\n", &["incrby n"]);
    ev(&mut e, w, s, "INCRBYFLOAT f 1.5", "$3\r\n1.5\r\n", &["incrbyfloat f"]);
    ev(&mut e, w, s, "INCR s", "-ERR value is not an integer or out of range\r\n", &[]);
    ev(&mut e, w, s, "GET nosuch", "$-1\r\n", &[]);
    run(&mut e, w, "FLUSHALL");
    // keys
    ev(&mut e, w, s, "SET k v", "+OK\r\n", &["set k"]);
    ev(&mut e, w, s, "EXPIRE k 100", ":1\r\n", &["expire k"]);
    ev(&mut e, w, s, "PEXPIRE k 200000 GT", ":1\r\n", &["expire k"]);
    ev(&mut e, w, s, "EXPIRE k 100 NX", ":0\r\n", &[]);
    ev(&mut e, w, s, "PERSIST k", ":1\r\n", &["persist k"]);
    ev(&mut e, w, s, "PERSIST k", ":0\r\n", &[]);
    ev(&mut e, w, s, "EXPIREAT k 1", ":1\r\n", &["del k"]);
    ev(&mut e, w, s, "SET k v", "+OK\r\n", &["set k"]);
    ev(&mut e, w, s, "RENAME k k2", "+OK\r\n", &["rename_from k", "rename_to k2"]);
    ev(&mut e, w, s, "RENAMENX k2 k3", ":1\r\n", &["rename_from k2", "rename_to k3"]);
    ev(&mut e, w, s, "SET k4 x", "+OK\r\n", &["set k4"]);
    ev(&mut e, w, s, "RENAMENX k3 k4", ":0\r\n", &[]);
    ev(&mut e, w, s, "RENAME k3 k4", "+OK\r\n", &["rename_from k3", "rename_to k4"]);
    ev(&mut e, w, s, "COPY k4 k5", ":1\r\n", &["copy_to k5"]);
    ev(&mut e, w, s, "COPY k4 k5 REPLACE", ":1\r\n", &["copy_to k5"]);
    ev(&mut e, w, s, "COPY k4 k6 DB 1", ":1\r\n", &["copy_to@1 k6"]);
    ev(&mut e, w, s, "MOVE k5 2", ":1\r\n", &["move_from k5", "move_to@2 k5"]);
    ev(&mut e, w, s, "MOVE k4 2", ":1\r\n", &["move_from k4", "move_to@2 k4"]);
    ev(&mut e, w, s, "DEL k4 k5 k6 nosuch", ":0\r\n", &[]);
    ev(&mut e, w, s, "UNLINK k4", ":0\r\n", &[]);
    ev(&mut e, w, s, "SET a 1", "+OK\r\n", &["set a"]);
    ev(&mut e, w, s, "SWAPDB 0 1", "+OK\r\n", &[]);
    ev(&mut e, w, s, "FLUSHDB", "+OK\r\n", &[]);
    run(&mut e, w, "FLUSHALL");
    // hashes
    ev(&mut e, w, s, "HSET h f v", ":1\r\n", &["hset h"]);
    ev(&mut e, w, s, "HSET h f v2 g w", ":1\r\n", &["hset h"]);
    ev(&mut e, w, s, "HSETNX h f x", ":0\r\n", &[]);
    ev(&mut e, w, s, "HSETNX h n 1", ":1\r\n", &["hset h"]);
    ev(&mut e, w, s, "HMSET h a b", "+OK\r\n", &["hset h"]);
    ev(&mut e, w, s, "HINCRBY h n 5", ":6\r\n", &["hincrby h"]);
    ev(&mut e, w, s, "HINCRBYFLOAT h n 1.5", "$3\r\n7.5\r\n", &["hincrbyfloat h"]);
    ev(&mut e, w, s, "HDEL h nosuch", ":0\r\n", &[]);
    ev(&mut e, w, s, "HDEL h f g", ":2\r\n", &["hdel h"]);
    ev(&mut e, w, s, "HDEL h a n", ":2\r\n", &["hdel h", "del h"]);
    ev(&mut e, w, s, "HDEL h n", ":0\r\n", &[]);
    run(&mut e, w, "FLUSHALL");
    // lists
    ev(&mut e, w, s, "LPUSH l a b", ":2\r\n", &["lpush l"]);
    ev(&mut e, w, s, "RPUSH l c", ":3\r\n", &["rpush l"]);
    ev(&mut e, w, s, "LPUSHX l d", ":4\r\n", &["lpush l"]);
    ev(&mut e, w, s, "RPUSHX nolist d", ":0\r\n", &[]);
    ev(&mut e, w, s, "LINSERT l BEFORE a z", ":5\r\n", &["linsert l"]);
    ev(&mut e, w, s, "LINSERT l BEFORE nopivot z", ":-1\r\n", &[]);
    ev(&mut e, w, s, "LSET l 0 q", "+OK\r\n", &["lset l"]);
    ev(&mut e, w, s, "LREM l 1 z", ":1\r\n", &["lrem l"]);
    ev(&mut e, w, s, "LREM l 0 nosuch", ":0\r\n", &[]);
    ev(&mut e, w, s, "LPOP l", "$1\r\nq\r\n", &["lpop l"]);
    ev(&mut e, w, s, "RPOP l 2", "*2\r\n$1\r\nc\r\n$1\r\na\r\n", &["rpop l"]);
    ev(&mut e, w, s, "LPOP l 0", "*0\r\n", &[]);
    ev(&mut e, w, s, "LTRIM l 0 0", "+OK\r\n", &["ltrim l"]);
    ev(&mut e, w, s, "LRANGE l 0 -1", "*1\r\n$1\r\nb\r\n", &[]);
    ev(&mut e, w, s, "LTRIM l 5 10", "+OK\r\n", &["ltrim l", "del l"]);
    ev(&mut e, w, s, "RPUSH src a b", ":2\r\n", &["rpush src"]);
    ev(&mut e, w, s, "LMOVE src dst LEFT RIGHT", "$1\r\na\r\n", &["rpush dst", "lpop src"]);
    ev(&mut e, w, s, "RPOPLPUSH src dst", "$1\r\nb\r\n", &["lpush dst", "rpop src", "del src"]);
    ev(&mut e, w, s, "LMOVE dst dst LEFT LEFT", "$1\r\nb\r\n", &["lpush dst", "lpop dst"]);
    ev(&mut e, w, s, "LMPOP 2 nolist dst RIGHT COUNT 5", "*2\r\n$3\r\ndst\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n", &["rpop dst", "del dst"]);
    ev(&mut e, w, s, "RPUSH l2 a", ":1\r\n", &["rpush l2"]);
    ev(&mut e, w, s, "BLPOP l2 0", "*2\r\n$2\r\nl2\r\n$1\r\na\r\n", &["lpop l2", "del l2"]);
    run(&mut e, w, "FLUSHALL");
    // sets
    ev(&mut e, w, s, "SADD s a b c", ":3\r\n", &["sadd s"]);
    ev(&mut e, w, s, "SADD s a", ":0\r\n", &[]);
    ev(&mut e, w, s, "SREM s a nosuch", ":1\r\n", &["srem s"]);
    ev(&mut e, w, s, "SREM s nosuch", ":0\r\n", &[]);
    ev(&mut e, w, s, "SMOVE s t b", ":1\r\n", &["srem s", "sadd t"]);
    ev(&mut e, w, s, "SMOVE s t c", ":1\r\n", &["srem s", "del s", "sadd t"]);
    ev(&mut e, w, s, "SMOVE t t c", ":1\r\n", &[]);
    ev(&mut e, w, s, "SADD s1 1 2 3", ":3\r\n", &["sadd s1"]);
    ev(&mut e, w, s, "SADD s2 2 3 4", ":3\r\n", &["sadd s2"]);
    ev(&mut e, w, s, "SINTERSTORE d s1 s2", ":2\r\n", &["sinterstore d"]);
    ev(&mut e, w, s, "SUNIONSTORE d s1 s2", ":4\r\n", &["sunionstore d"]);
    ev(&mut e, w, s, "SDIFFSTORE d s1 s2", ":1\r\n", &["sdiffstore d"]);
    ev(&mut e, w, s, "SINTERSTORE d s1 nosuch", ":0\r\n", &["del d"]);
    ev(&mut e, w, s, "SINTERSTORE d s1 nosuch", ":0\r\n", &[]);
    ev(&mut e, w, s, "SDIFFSTORE d s1 s1", ":0\r\n", &[]);
    ev(&mut e, w, s, "SADD one x", ":1\r\n", &["sadd one"]);
    ev(&mut e, w, s, "SPOP one", "$1\r\nx\r\n", &["spop one", "del one"]);
    ev(&mut e, w, s, "SADD two 1 2", ":2\r\n", &["sadd two"]);
    ev(&mut e, w, s, "SPOP two 0", "*0\r\n", &[]);
    ev(&mut e, w, s, "SPOP two 5", "*2\r\n$1\r\n1\r\n$1\r\n2\r\n", &["spop two", "del two"]);
    run(&mut e, w, "FLUSHALL");
    // sort
    ev(&mut e, w, s, "RPUSH l 3 1 2", ":3\r\n", &["rpush l"]);
    ev(&mut e, w, s, "SORT l STORE dst", ":3\r\n", &["sortstore dst"]);
    ev(&mut e, w, s, "SORT nosuch STORE dst", ":0\r\n", &["del dst"]);
    ev(&mut e, w, s, "SORT l STORE l", ":3\r\n", &["sortstore l"]);
}

#[test]
fn channels_classes_new_keymiss_expired() {
    let (mut e, clock) = engine();
    let w = client(&mut e);
    let s = client(&mut e);
    run(&mut e, s, "PSUBSCRIBE __key*");
    run(&mut e, w, "FLUSHALL");
    flags(&mut e, w, "KEA");
    evk(&mut e, w, s, "SET k v", "+OK\r\n", &["__keyspace@0__:k set", "__keyevent@0__:set k"]);
    evk(&mut e, w, s, "DEL k", ":1\r\n", &["__keyspace@0__:k del", "__keyevent@0__:del k"]);
    // only keyspace, only strings
    run(&mut e, w, "FLUSHALL");
    flags(&mut e, w, "K$");
    evk(&mut e, w, s, "SET k v EX 100", "+OK\r\n", &["__keyspace@0__:k set"]);
    evk(&mut e, w, s, "DEL k", ":1\r\n", &[]);
    evk(&mut e, w, s, "LPUSH l a", ":1\r\n", &[]);
    // only keyevent, only generic
    run(&mut e, w, "FLUSHALL");
    flags(&mut e, w, "Eg");
    evk(&mut e, w, s, "SET k v EX 100", "+OK\r\n", &["__keyevent@0__:expire k"]);
    evk(&mut e, w, s, "DEL k", ":1\r\n", &["__keyevent@0__:del k"]);
    evk(&mut e, w, s, "LPUSH l a", ":1\r\n", &[]);
    // classes without K or E deliver nothing
    run(&mut e, w, "FLUSHALL");
    flags(&mut e, w, "A");
    evk(&mut e, w, s, "SET k v", "+OK\r\n", &[]);
    // new keys
    run(&mut e, w, "FLUSHALL");
    flags(&mut e, w, "KEAn");
    evk(&mut e, w, s, "SET k v", "+OK\r\n", &["__keyspace@0__:k new", "__keyevent@0__:new k", "__keyspace@0__:k set", "__keyevent@0__:set k"]);
    evk(&mut e, w, s, "SET k v2", "+OK\r\n", &["__keyspace@0__:k set", "__keyevent@0__:set k"]);
    evk(&mut e, w, s, "LPUSH l a", ":1\r\n", &["__keyspace@0__:l new", "__keyevent@0__:new l", "__keyspace@0__:l lpush", "__keyevent@0__:lpush l"]);
    evk(&mut e, w, s, "RPUSH l b", ":2\r\n", &["__keyspace@0__:l rpush", "__keyevent@0__:rpush l"]);
    evk(&mut e, w, s, "SET r 1", "+OK\r\n", &["__keyspace@0__:r new", "__keyevent@0__:new r", "__keyspace@0__:r set", "__keyevent@0__:set r"]);
    evk(&mut e, w, s, "RENAME k r", "+OK\r\n", &["__keyspace@0__:r new", "__keyevent@0__:new r", "__keyspace@0__:k rename_from", "__keyevent@0__:rename_from k", "__keyspace@0__:r rename_to", "__keyevent@0__:rename_to r"]);
    evk(&mut e, w, s, "COPY r c", ":1\r\n", &["__keyspace@0__:c new", "__keyevent@0__:new c", "__keyspace@0__:c copy_to", "__keyevent@0__:copy_to c"]);
    evk(&mut e, w, s, "HSET h a 1", ":1\r\n", &["__keyspace@0__:h new", "__keyevent@0__:new h", "__keyspace@0__:h hset", "__keyevent@0__:hset h"]);
    evk(&mut e, w, s, "SADD s 1", ":1\r\n", &["__keyspace@0__:s new", "__keyevent@0__:new s", "__keyspace@0__:s sadd", "__keyevent@0__:sadd s"]);
    evk(&mut e, w, s, "INCR i", ":1\r\n", &["__keyspace@0__:i new", "__keyevent@0__:new i", "__keyspace@0__:i incrby", "__keyevent@0__:incrby i"]);
    evk(&mut e, w, s, "APPEND ap x", ":1\r\n", &["__keyspace@0__:ap new", "__keyevent@0__:new ap", "__keyspace@0__:ap append", "__keyevent@0__:append ap"]);
    evk(&mut e, w, s, "SETRANGE sr 1 x", ":2\r\n", &["__keyspace@0__:sr new", "__keyevent@0__:new sr", "__keyspace@0__:sr setrange", "__keyevent@0__:setrange sr"]);
    evk(&mut e, w, s, "INCRBYFLOAT fl 1", "$1\r\n1\r\n", &["__keyspace@0__:fl new", "__keyevent@0__:new fl", "__keyspace@0__:fl incrbyfloat", "__keyevent@0__:incrbyfloat fl"]);
    evk(&mut e, w, s, "SUNIONSTORE su s", ":1\r\n", &["__keyspace@0__:su new", "__keyevent@0__:new su", "__keyspace@0__:su sunionstore", "__keyevent@0__:sunionstore su"]);
    evk(&mut e, w, s, "MOVE su 1", ":1\r\n", &["__keyspace@1__:su new", "__keyevent@1__:new su", "__keyspace@0__:su move_from", "__keyevent@0__:move_from su", "__keyspace@1__:su move_to", "__keyevent@1__:move_to su"]);
    evk(&mut e, w, s, "LMOVE l dst LEFT LEFT", "$1\r\na\r\n", &["__keyspace@0__:dst new", "__keyevent@0__:new dst", "__keyspace@0__:dst lpush", "__keyevent@0__:lpush dst", "__keyspace@0__:l lpop", "__keyevent@0__:lpop l"]);
    evk(&mut e, w, s, "SMOVE s sd 1", ":1\r\n", &["__keyspace@0__:s srem", "__keyevent@0__:srem s", "__keyspace@0__:s del", "__keyevent@0__:del s", "__keyspace@0__:sd new", "__keyevent@0__:new sd", "__keyspace@0__:sd sadd", "__keyevent@0__:sadd sd"]);
    // key misses
    run(&mut e, w, "FLUSHALL");
    flags(&mut e, w, "KEAm");
    evk(&mut e, w, s, "GET nosuch", "$-1\r\n", &["__keyspace@0__:nosuch keymiss", "__keyevent@0__:keymiss nosuch"]);
    evk(&mut e, w, s, "SET k v", "+OK\r\n", &["__keyspace@0__:k set", "__keyevent@0__:set k"]);
    evk(&mut e, w, s, "GET k", "$1\r\nv\r\n", &[]);
    evk(&mut e, w, s, "EXISTS nosuch", ":0\r\n", &["__keyspace@0__:nosuch keymiss", "__keyevent@0__:keymiss nosuch"]);
    evk(&mut e, w, s, "TYPE nosuch", "+none\r\n", &["__keyspace@0__:nosuch keymiss", "__keyevent@0__:keymiss nosuch"]);
    evk(&mut e, w, s, "LRANGE nolist 0 -1", "*0\r\n", &["__keyspace@0__:nolist keymiss", "__keyevent@0__:keymiss nolist"]);
    evk(&mut e, w, s, "HGET noh f", "$-1\r\n", &["__keyspace@0__:noh keymiss", "__keyevent@0__:keymiss noh"]);
    evk(&mut e, w, s, "SMEMBERS nos", "*0\r\n", &["__keyspace@0__:nos keymiss", "__keyevent@0__:keymiss nos"]);
    evk(&mut e, w, s, "MGET a b", "*2\r\n$-1\r\n$-1\r\n", &["__keyspace@0__:a keymiss", "__keyevent@0__:keymiss a", "__keyspace@0__:b keymiss", "__keyevent@0__:keymiss b"]);
    evk(&mut e, w, s, "TTL nosuch", ":-2\r\n", &["__keyspace@0__:nosuch keymiss", "__keyevent@0__:keymiss nosuch"]);
    evk(&mut e, w, s, "DEL nosuch", ":0\r\n", &[]);
    evk(&mut e, w, s, "OBJECT ENCODING nosuch", "$-1\r\n", &[]);
    evk(&mut e, w, s, "STRLEN x", ":0\r\n", &["__keyspace@0__:x keymiss", "__keyevent@0__:keymiss x"]);
    evk(&mut e, w, s, "SCARD x", ":0\r\n", &["__keyspace@0__:x keymiss", "__keyevent@0__:keymiss x"]);
    evk(&mut e, w, s, "SINTER x y", "*0\r\n", &["__keyspace@0__:x keymiss", "__keyevent@0__:keymiss x", "__keyspace@0__:y keymiss", "__keyevent@0__:keymiss y"]);
    evk(&mut e, w, s, "SORT x", "*0\r\n", &["__keyspace@0__:x keymiss", "__keyevent@0__:keymiss x"]);
    evk(&mut e, w, s, "GETRANGE x 0 1", "$0\r\n\r\n", &["__keyspace@0__:x keymiss", "__keyevent@0__:keymiss x"]);
    evk(&mut e, w, s, "HGETALL x", "*0\r\n", &["__keyspace@0__:x keymiss", "__keyevent@0__:keymiss x"]);
    evk(&mut e, w, s, "LINDEX x 0", "$-1\r\n", &["__keyspace@0__:x keymiss", "__keyevent@0__:keymiss x"]);
    evk(&mut e, w, s, "EXPIRE x 10", ":0\r\n", &[]);
    evk(&mut e, w, s, "LPOP x", "$-1\r\n", &[]);
    evk(&mut e, w, s, "INCR x", ":1\r\n", &["__keyspace@0__:x incrby", "__keyevent@0__:incrby x"]);
    // lazy and active expiry
    run(&mut e, w, "FLUSHALL");
    flags(&mut e, w, "KEA");
    evk(&mut e, w, s, "SET k v PX 100", "+OK\r\n", &["__keyspace@0__:k set", "__keyevent@0__:set k", "__keyspace@0__:k expire", "__keyevent@0__:expire k"]);
    clock.advance_ms(200);
    evk(&mut e, w, s, "GET k", "$-1\r\n", &["__keyspace@0__:k expired", "__keyevent@0__:expired k"]);
    evk(&mut e, w, s, "SET k v PX 100", "+OK\r\n", &["__keyspace@0__:k set", "__keyevent@0__:set k", "__keyspace@0__:k expire", "__keyevent@0__:expire k"]);
    clock.advance_ms(200);
    evk(&mut e, w, s, "LPUSH k a", ":1\r\n", &["__keyspace@0__:k expired", "__keyevent@0__:expired k", "__keyspace@0__:k lpush", "__keyevent@0__:lpush k"]);
    evk(&mut e, w, s, "SET x v PX 100", "+OK\r\n", &["__keyspace@0__:x set", "__keyevent@0__:set x", "__keyspace@0__:x expire", "__keyevent@0__:expire x"]);
    clock.advance_ms(200);
    e.tick();
    assert_eq!(raw_events(&mut e, s), ["__keyspace@0__:x expired", "__keyevent@0__:expired x"] as [&str; 2]);
    run(&mut e, w, "FLUSHALL");
    flags(&mut e, w, "KEAn");
    evk(&mut e, w, s, "SET k v PX 100", "+OK\r\n", &["__keyspace@0__:k new", "__keyevent@0__:new k", "__keyspace@0__:k set", "__keyevent@0__:set k", "__keyspace@0__:k expire", "__keyevent@0__:expire k"]);
    clock.advance_ms(200);
    evk(&mut e, w, s, "LPUSH k a", ":1\r\n", &["__keyspace@0__:k expired", "__keyevent@0__:expired k", "__keyspace@0__:k new", "__keyevent@0__:new k", "__keyspace@0__:k lpush", "__keyevent@0__:lpush k"]);
    run(&mut e, w, "FLUSHALL");
    flags(&mut e, w, "Ex");
    evk(&mut e, w, s, "SET k v PX 100", "+OK\r\n", &[]);
    clock.advance_ms(200);
    evk(&mut e, w, s, "GET k", "$-1\r\n", &["__keyevent@0__:expired k"]);
    run(&mut e, w, "FLUSHALL");
    flags(&mut e, w, "KEAm");
    evk(&mut e, w, s, "SET k v PX 100", "+OK\r\n", &["__keyspace@0__:k set", "__keyevent@0__:set k", "__keyspace@0__:k expire", "__keyevent@0__:expire k"]);
    clock.advance_ms(200);
    evk(&mut e, w, s, "GET k", "$-1\r\n", &["__keyspace@0__:k expired", "__keyevent@0__:expired k", "__keyspace@0__:k keymiss", "__keyevent@0__:keymiss k"]);
}

/// A RESP3 client subscribed to its own keys' events gets each message
/// where Redis writes it: before the reply for most commands, after it for
/// those that reply first (LPUSH, HSET, GETSET, EXPIRE, ...), around it for
/// LMOVE and SPOP.
#[test]
fn own_events_around_the_reply() {
    let (mut e, _clock) = engine();
    let cs: Vec<ClientId> = (0..4).map(|_| client(&mut e)).collect();
    run(&mut e, cs[0], "CONFIG SET notify-keyspace-events KEA");
    run(&mut e, cs[2], "HELLO 3");
    st(&mut e, &cs, 2, "PSUBSCRIBE __keyevent@*", &["", "", ">3\r\n$10\r\npsubscribe\r\n$12\r\n__keyevent@*\r\n:1\r\n", ""]);
    st(&mut e, &cs, 2, "SET k v", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$18\r\n__keyevent@0__:set\r\n$1\r\nk\r\n+OK\r\n", ""]);
    st(&mut e, &cs, 2, "SET k v2 EX 100", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$18\r\n__keyevent@0__:set\r\n$1\r\nk\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$21\r\n__keyevent@0__:expire\r\n$1\r\nk\r\n+OK\r\n", ""]);
    st(&mut e, &cs, 2, "SET k v3 KEEPTTL", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$18\r\n__keyevent@0__:set\r\n$1\r\nk\r\n+OK\r\n", ""]);
    st(&mut e, &cs, 2, "SET k v4 NX", &["", "", "_\r\n", ""]);
    st(&mut e, &cs, 2, "SET k v5 XX GET", &["", "", "$2\r\nv3\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$18\r\n__keyevent@0__:set\r\n$1\r\nk\r\n", ""]);
    st(&mut e, &cs, 2, "SETNX k2 x", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$18\r\n__keyevent@0__:set\r\n$2\r\nk2\r\n:1\r\n", ""]);
    st(&mut e, &cs, 2, "SETEX k3 10 x", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$18\r\n__keyevent@0__:set\r\n$2\r\nk3\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$21\r\n__keyevent@0__:expire\r\n$2\r\nk3\r\n+OK\r\n", ""]);
    st(&mut e, &cs, 2, "PSETEX k4 100000 x", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$18\r\n__keyevent@0__:set\r\n$2\r\nk4\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$21\r\n__keyevent@0__:expire\r\n$2\r\nk4\r\n+OK\r\n", ""]);
    st(&mut e, &cs, 2, "MSET a 1 b 2", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$18\r\n__keyevent@0__:set\r\n$1\r\na\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$18\r\n__keyevent@0__:set\r\n$1\r\nb\r\n+OK\r\n", ""]);
    st(&mut e, &cs, 2, "MSETNX a 1 c 3", &["", "", ":0\r\n", ""]);
    st(&mut e, &cs, 2, "MSETNX c 3 d 4", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$18\r\n__keyevent@0__:set\r\n$1\r\nc\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$18\r\n__keyevent@0__:set\r\n$1\r\nd\r\n:1\r\n", ""]);
    st(&mut e, &cs, 2, "GETSET a 10", &["", "", "$1\r\n1\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$18\r\n__keyevent@0__:set\r\n$1\r\na\r\n", ""]);
    st(&mut e, &cs, 2, "GETDEL b", &["", "", "$1\r\n2\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$18\r\n__keyevent@0__:del\r\n$1\r\nb\r\n", ""]);
    st(&mut e, &cs, 2, "GETDEL b", &["", "", "_\r\n", ""]);
    st(&mut e, &cs, 2, "GETEX a EX 100", &["", "", "$2\r\n10\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$21\r\n__keyevent@0__:expire\r\n$1\r\na\r\n", ""]);
    st(&mut e, &cs, 2, "GETEX a PERSIST", &["", "", "$2\r\n10\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$22\r\n__keyevent@0__:persist\r\n$1\r\na\r\n", ""]);
    st(&mut e, &cs, 2, "GETEX a PERSIST", &["", "", "$2\r\n10\r\n", ""]);
    st(&mut e, &cs, 2, "GETEX a PXAT 1", &["", "", "$2\r\n10\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$18\r\n__keyevent@0__:del\r\n$1\r\na\r\n", ""]);
    st(&mut e, &cs, 2, "APPEND s hello", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$21\r\n__keyevent@0__:append\r\n$1\r\ns\r\n:5\r\n", ""]);
    st(&mut e, &cs, 2, "APPEND s world", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$21\r\n__keyevent@0__:append\r\n$1\r\ns\r\n:10\r\n", ""]);
    st(&mut e, &cs, 2, "SETRANGE s 0 J", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$23\r\n__keyevent@0__:setrange\r\n$1\r\ns\r\n:10\r\n", ""]);
    st(&mut e, &cs, 2, "SETRANGE s2 3 x", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$23\r\n__keyevent@0__:setrange\r\n$2\r\ns2\r\n:4\r\n", ""]);
    st(&mut e, &cs, 2, "INCR n", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$21\r\n__keyevent@0__:incrby\r\n$1\r\nn\r\n:1\r\n", ""]);
    st(&mut e, &cs, 2, "INCRBY n 5", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$21\r\n__keyevent@0__:incrby\r\n$1\r\nn\r\n:6\r\n", ""]);
    st(&mut e, &cs, 2, "DECR n", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$21\r\n__keyevent@0__:incrby\r\n$1\r\nn\r\n:5\r\n", ""]);
    st(&mut e, &cs, 2, "DECRBY n 2", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$21\r\n__keyevent@0__:incrby\r\n$1\r\nn\r\n:3\r\n", ""]);
    st(&mut e, &cs, 2, "INCRBYFLOAT f 1.5", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$26\r\n__keyevent@0__:incrbyfloat\r\n$1\r\nf\r\n$3\r\n1.5\r\n", ""]);
    st(&mut e, &cs, 2, "INCR s", &["", "", "-ERR value is not an integer or out of range\r\n", ""]);
    st(&mut e, &cs, 2, "GET nosuch", &["", "", "_\r\n", ""]);
    st(&mut e, &cs, 2, "FLUSHALL", &["", "", "+OK\r\n", ""]);
    st(&mut e, &cs, 2, "SET k v", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$18\r\n__keyevent@0__:set\r\n$1\r\nk\r\n+OK\r\n", ""]);
    st(&mut e, &cs, 2, "EXPIRE k 100", &["", "", ":1\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$21\r\n__keyevent@0__:expire\r\n$1\r\nk\r\n", ""]);
    st(&mut e, &cs, 2, "PEXPIRE k 200000 GT", &["", "", ":1\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$21\r\n__keyevent@0__:expire\r\n$1\r\nk\r\n", ""]);
    st(&mut e, &cs, 2, "EXPIRE k 100 NX", &["", "", ":0\r\n", ""]);
    st(&mut e, &cs, 2, "PERSIST k", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$22\r\n__keyevent@0__:persist\r\n$1\r\nk\r\n:1\r\n", ""]);
    st(&mut e, &cs, 2, "PERSIST k", &["", "", ":0\r\n", ""]);
    st(&mut e, &cs, 2, "EXPIREAT k 1", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$18\r\n__keyevent@0__:del\r\n$1\r\nk\r\n:1\r\n", ""]);
    st(&mut e, &cs, 2, "SET k v", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$18\r\n__keyevent@0__:set\r\n$1\r\nk\r\n+OK\r\n", ""]);
    st(&mut e, &cs, 2, "RENAME k k2", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$26\r\n__keyevent@0__:rename_from\r\n$1\r\nk\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$24\r\n__keyevent@0__:rename_to\r\n$2\r\nk2\r\n+OK\r\n", ""]);
    st(&mut e, &cs, 2, "RENAMENX k2 k3", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$26\r\n__keyevent@0__:rename_from\r\n$2\r\nk2\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$24\r\n__keyevent@0__:rename_to\r\n$2\r\nk3\r\n:1\r\n", ""]);
    st(&mut e, &cs, 2, "SET k4 x", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$18\r\n__keyevent@0__:set\r\n$2\r\nk4\r\n+OK\r\n", ""]);
    st(&mut e, &cs, 2, "RENAMENX k3 k4", &["", "", ":0\r\n", ""]);
    st(&mut e, &cs, 2, "RENAME k3 k4", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$26\r\n__keyevent@0__:rename_from\r\n$2\r\nk3\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$24\r\n__keyevent@0__:rename_to\r\n$2\r\nk4\r\n+OK\r\n", ""]);
    st(&mut e, &cs, 2, "COPY k4 k5", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$22\r\n__keyevent@0__:copy_to\r\n$2\r\nk5\r\n:1\r\n", ""]);
    st(&mut e, &cs, 2, "COPY k4 k5 REPLACE", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$22\r\n__keyevent@0__:copy_to\r\n$2\r\nk5\r\n:1\r\n", ""]);
    st(&mut e, &cs, 2, "COPY k4 k6 DB 1", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$22\r\n__keyevent@1__:copy_to\r\n$2\r\nk6\r\n:1\r\n", ""]);
    st(&mut e, &cs, 2, "MOVE k5 2", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$24\r\n__keyevent@0__:move_from\r\n$2\r\nk5\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$22\r\n__keyevent@2__:move_to\r\n$2\r\nk5\r\n:1\r\n", ""]);
    st(&mut e, &cs, 2, "MOVE k4 2", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$24\r\n__keyevent@0__:move_from\r\n$2\r\nk4\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$22\r\n__keyevent@2__:move_to\r\n$2\r\nk4\r\n:1\r\n", ""]);
    st(&mut e, &cs, 2, "DEL k4 k5 k6 nosuch", &["", "", ":0\r\n", ""]);
    st(&mut e, &cs, 2, "UNLINK k4", &["", "", ":0\r\n", ""]);
    st(&mut e, &cs, 2, "SET a 1", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$18\r\n__keyevent@0__:set\r\n$1\r\na\r\n+OK\r\n", ""]);
    st(&mut e, &cs, 2, "SWAPDB 0 1", &["", "", "+OK\r\n", ""]);
    st(&mut e, &cs, 2, "FLUSHDB", &["", "", "+OK\r\n", ""]);
    st(&mut e, &cs, 2, "FLUSHALL", &["", "", "+OK\r\n", ""]);
    st(&mut e, &cs, 2, "HSET h f v", &["", "", ":1\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$19\r\n__keyevent@0__:hset\r\n$1\r\nh\r\n", ""]);
    st(&mut e, &cs, 2, "HSET h f v2 g w", &["", "", ":1\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$19\r\n__keyevent@0__:hset\r\n$1\r\nh\r\n", ""]);
    st(&mut e, &cs, 2, "HSETNX h f x", &["", "", ":0\r\n", ""]);
    st(&mut e, &cs, 2, "HSETNX h n 1", &["", "", ":1\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$19\r\n__keyevent@0__:hset\r\n$1\r\nh\r\n", ""]);
    st(&mut e, &cs, 2, "HMSET h a b", &["", "", "+OK\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$19\r\n__keyevent@0__:hset\r\n$1\r\nh\r\n", ""]);
    st(&mut e, &cs, 2, "HINCRBY h n 5", &["", "", ":6\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$22\r\n__keyevent@0__:hincrby\r\n$1\r\nh\r\n", ""]);
    st(&mut e, &cs, 2, "HINCRBYFLOAT h n 1.5", &["", "", "$3\r\n7.5\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$27\r\n__keyevent@0__:hincrbyfloat\r\n$1\r\nh\r\n", ""]);
    st(&mut e, &cs, 2, "HDEL h nosuch", &["", "", ":0\r\n", ""]);
    st(&mut e, &cs, 2, "HDEL h f g", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$19\r\n__keyevent@0__:hdel\r\n$1\r\nh\r\n:2\r\n", ""]);
    st(&mut e, &cs, 2, "HDEL h a n", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$19\r\n__keyevent@0__:hdel\r\n$1\r\nh\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$18\r\n__keyevent@0__:del\r\n$1\r\nh\r\n:2\r\n", ""]);
    st(&mut e, &cs, 2, "HDEL h n", &["", "", ":0\r\n", ""]);
    st(&mut e, &cs, 2, "FLUSHALL", &["", "", "+OK\r\n", ""]);
    st(&mut e, &cs, 2, "LPUSH l a b", &["", "", ":2\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$20\r\n__keyevent@0__:lpush\r\n$1\r\nl\r\n", ""]);
    st(&mut e, &cs, 2, "RPUSH l c", &["", "", ":3\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$20\r\n__keyevent@0__:rpush\r\n$1\r\nl\r\n", ""]);
    st(&mut e, &cs, 2, "LPUSHX l d", &["", "", ":4\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$20\r\n__keyevent@0__:lpush\r\n$1\r\nl\r\n", ""]);
    st(&mut e, &cs, 2, "RPUSHX nolist d", &["", "", ":0\r\n", ""]);
    st(&mut e, &cs, 2, "LINSERT l BEFORE a z", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$22\r\n__keyevent@0__:linsert\r\n$1\r\nl\r\n:5\r\n", ""]);
    st(&mut e, &cs, 2, "LINSERT l BEFORE nopivot z", &["", "", ":-1\r\n", ""]);
    st(&mut e, &cs, 2, "LSET l 0 q", &["", "", "+OK\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$19\r\n__keyevent@0__:lset\r\n$1\r\nl\r\n", ""]);
    st(&mut e, &cs, 2, "LREM l 1 z", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$19\r\n__keyevent@0__:lrem\r\n$1\r\nl\r\n:1\r\n", ""]);
    st(&mut e, &cs, 2, "LREM l 0 nosuch", &["", "", ":0\r\n", ""]);
    st(&mut e, &cs, 2, "LPOP l", &["", "", "$1\r\nq\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$19\r\n__keyevent@0__:lpop\r\n$1\r\nl\r\n", ""]);
    st(&mut e, &cs, 2, "RPOP l 2", &["", "", "*2\r\n$1\r\nc\r\n$1\r\na\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$19\r\n__keyevent@0__:rpop\r\n$1\r\nl\r\n", ""]);
    st(&mut e, &cs, 2, "LPOP l 0", &["", "", "*0\r\n", ""]);
    st(&mut e, &cs, 2, "LTRIM l 0 0", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$20\r\n__keyevent@0__:ltrim\r\n$1\r\nl\r\n+OK\r\n", ""]);
    st(&mut e, &cs, 2, "LRANGE l 0 -1", &["", "", "*1\r\n$1\r\nb\r\n", ""]);
    st(&mut e, &cs, 2, "LTRIM l 5 10", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$20\r\n__keyevent@0__:ltrim\r\n$1\r\nl\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$18\r\n__keyevent@0__:del\r\n$1\r\nl\r\n+OK\r\n", ""]);
    st(&mut e, &cs, 2, "RPUSH src a b", &["", "", ":2\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$20\r\n__keyevent@0__:rpush\r\n$3\r\nsrc\r\n", ""]);
    st(&mut e, &cs, 2, "LMOVE src dst LEFT RIGHT", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$20\r\n__keyevent@0__:rpush\r\n$3\r\ndst\r\n$1\r\na\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$19\r\n__keyevent@0__:lpop\r\n$3\r\nsrc\r\n", ""]);
    st(&mut e, &cs, 2, "RPOPLPUSH src dst", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$20\r\n__keyevent@0__:lpush\r\n$3\r\ndst\r\n$1\r\nb\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$19\r\n__keyevent@0__:rpop\r\n$3\r\nsrc\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$18\r\n__keyevent@0__:del\r\n$3\r\nsrc\r\n", ""]);
    st(&mut e, &cs, 2, "LMOVE dst dst LEFT LEFT", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$20\r\n__keyevent@0__:lpush\r\n$3\r\ndst\r\n$1\r\nb\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$19\r\n__keyevent@0__:lpop\r\n$3\r\ndst\r\n", ""]);
    st(&mut e, &cs, 2, "LMPOP 2 nolist dst RIGHT COUNT 5", &["", "", "*2\r\n$3\r\ndst\r\n*2\r\n$1\r\na\r\n$1\r\nb\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$19\r\n__keyevent@0__:rpop\r\n$3\r\ndst\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$18\r\n__keyevent@0__:del\r\n$3\r\ndst\r\n", ""]);
    st(&mut e, &cs, 2, "RPUSH l2 a", &["", "", ":1\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$20\r\n__keyevent@0__:rpush\r\n$2\r\nl2\r\n", ""]);
    st(&mut e, &cs, 2, "BLPOP l2 0", &["", "", "*2\r\n$2\r\nl2\r\n$1\r\na\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$19\r\n__keyevent@0__:lpop\r\n$2\r\nl2\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$18\r\n__keyevent@0__:del\r\n$2\r\nl2\r\n", ""]);
    st(&mut e, &cs, 2, "FLUSHALL", &["", "", "+OK\r\n", ""]);
    st(&mut e, &cs, 2, "SADD s a b c", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$19\r\n__keyevent@0__:sadd\r\n$1\r\ns\r\n:3\r\n", ""]);
    st(&mut e, &cs, 2, "SADD s a", &["", "", ":0\r\n", ""]);
    st(&mut e, &cs, 2, "SREM s a nosuch", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$19\r\n__keyevent@0__:srem\r\n$1\r\ns\r\n:1\r\n", ""]);
    st(&mut e, &cs, 2, "SREM s nosuch", &["", "", ":0\r\n", ""]);
    st(&mut e, &cs, 2, "SMOVE s t b", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$19\r\n__keyevent@0__:srem\r\n$1\r\ns\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$19\r\n__keyevent@0__:sadd\r\n$1\r\nt\r\n:1\r\n", ""]);
    st(&mut e, &cs, 2, "SMOVE s t c", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$19\r\n__keyevent@0__:srem\r\n$1\r\ns\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$18\r\n__keyevent@0__:del\r\n$1\r\ns\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$19\r\n__keyevent@0__:sadd\r\n$1\r\nt\r\n:1\r\n", ""]);
    st(&mut e, &cs, 2, "SMOVE t t c", &["", "", ":1\r\n", ""]);
    st(&mut e, &cs, 2, "SADD s1 1 2 3", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$19\r\n__keyevent@0__:sadd\r\n$2\r\ns1\r\n:3\r\n", ""]);
    st(&mut e, &cs, 2, "SADD s2 2 3 4", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$19\r\n__keyevent@0__:sadd\r\n$2\r\ns2\r\n:3\r\n", ""]);
    st(&mut e, &cs, 2, "SINTERSTORE d s1 s2", &["", "", ":2\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$26\r\n__keyevent@0__:sinterstore\r\n$1\r\nd\r\n", ""]);
    st(&mut e, &cs, 2, "SUNIONSTORE d s1 s2", &["", "", ":4\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$26\r\n__keyevent@0__:sunionstore\r\n$1\r\nd\r\n", ""]);
    st(&mut e, &cs, 2, "SDIFFSTORE d s1 s2", &["", "", ":1\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$25\r\n__keyevent@0__:sdiffstore\r\n$1\r\nd\r\n", ""]);
    st(&mut e, &cs, 2, "SINTERSTORE d s1 nosuch", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$18\r\n__keyevent@0__:del\r\n$1\r\nd\r\n:0\r\n", ""]);
    st(&mut e, &cs, 2, "SINTERSTORE d s1 nosuch", &["", "", ":0\r\n", ""]);
    st(&mut e, &cs, 2, "SDIFFSTORE d s1 s1", &["", "", ":0\r\n", ""]);
    st(&mut e, &cs, 2, "SADD one x", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$19\r\n__keyevent@0__:sadd\r\n$3\r\none\r\n:1\r\n", ""]);
    st(&mut e, &cs, 2, "SPOP one", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$19\r\n__keyevent@0__:spop\r\n$3\r\none\r\n$1\r\nx\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$18\r\n__keyevent@0__:del\r\n$3\r\none\r\n", ""]);
    st(&mut e, &cs, 2, "SADD two 1 2", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$19\r\n__keyevent@0__:sadd\r\n$3\r\ntwo\r\n:2\r\n", ""]);
    st(&mut e, &cs, 2, "SPOP two 0", &["", "", "~0\r\n", ""]);
    st(&mut e, &cs, 2, "SPOP two 5", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$19\r\n__keyevent@0__:spop\r\n$3\r\ntwo\r\n~2\r\n$1\r\n1\r\n$1\r\n2\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$18\r\n__keyevent@0__:del\r\n$3\r\ntwo\r\n", ""]);
    st(&mut e, &cs, 2, "FLUSHALL", &["", "", "+OK\r\n", ""]);
    st(&mut e, &cs, 2, "RPUSH l 3 1 2", &["", "", ":3\r\n>4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$20\r\n__keyevent@0__:rpush\r\n$1\r\nl\r\n", ""]);
    st(&mut e, &cs, 2, "SORT l STORE dst", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$24\r\n__keyevent@0__:sortstore\r\n$3\r\ndst\r\n:3\r\n", ""]);
    st(&mut e, &cs, 2, "SORT nosuch STORE dst", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$18\r\n__keyevent@0__:del\r\n$3\r\ndst\r\n:0\r\n", ""]);
    st(&mut e, &cs, 2, "SORT l STORE l", &["", "", ">4\r\n$8\r\npmessage\r\n$12\r\n__keyevent@*\r\n$24\r\n__keyevent@0__:sortstore\r\n$1\r\nl\r\n:3\r\n", ""]);
    st(&mut e, &cs, 2, "PUNSUBSCRIBE", &["", "", ">3\r\n$12\r\npunsubscribe\r\n$12\r\n__keyevent@*\r\n:0\r\n", ""]);
    run(&mut e, cs[0], "CONFIG SET notify-keyspace-events x");
    run(&mut e, cs[0], "FLUSHALL");
    // keyspace events to a RESP3 subscriber: its own come before its replies,
    // inside EXEC before each command's reply
    run(&mut e, cs[0], "CONFIG SET notify-keyspace-events KEA");
    run(&mut e, cs[2], "HELLO 3");
    st(&mut e, &cs, 2, "PSUBSCRIBE __keyevent@0__:*", &["", "", ">3\r\n$10\r\npsubscribe\r\n$16\r\n__keyevent@0__:*\r\n:1\r\n", ""]);
    st(&mut e, &cs, 2, "SET k v", &["", "", ">4\r\n$8\r\npmessage\r\n$16\r\n__keyevent@0__:*\r\n$18\r\n__keyevent@0__:set\r\n$1\r\nk\r\n+OK\r\n", ""]);
    st(&mut e, &cs, 2, "MULTI", &["", "", "+OK\r\n", ""]);
    st(&mut e, &cs, 2, "SET k v2", &["", "", "+QUEUED\r\n", ""]);
    st(&mut e, &cs, 2, "DEL k", &["", "", "+QUEUED\r\n", ""]);
    st(&mut e, &cs, 2, "EXEC", &["", "", "*2\r\n>4\r\n$8\r\npmessage\r\n$16\r\n__keyevent@0__:*\r\n$18\r\n__keyevent@0__:set\r\n$1\r\nk\r\n+OK\r\n>4\r\n$8\r\npmessage\r\n$16\r\n__keyevent@0__:*\r\n$18\r\n__keyevent@0__:del\r\n$1\r\nk\r\n:1\r\n", ""]);
    // a blocked client served by a write: events of the serving follow the reply
    st(&mut e, &cs, 1, "BLPOP l 0", &["", "", "", ""]);
    st(&mut e, &cs, 2, "LPUSH l x", &["", "*2\r\n$1\r\nl\r\n$1\r\nx\r\n", ":1\r\n>4\r\n$8\r\npmessage\r\n$16\r\n__keyevent@0__:*\r\n$20\r\n__keyevent@0__:lpush\r\n$1\r\nl\r\n>4\r\n$8\r\npmessage\r\n$16\r\n__keyevent@0__:*\r\n$19\r\n__keyevent@0__:lpop\r\n$1\r\nl\r\n>4\r\n$8\r\npmessage\r\n$16\r\n__keyevent@0__:*\r\n$18\r\n__keyevent@0__:del\r\n$1\r\nl\r\n", ""]);
    st(&mut e, &cs, 0, "LPUSH l y", &[":1\r\n", "", ">4\r\n$8\r\npmessage\r\n$16\r\n__keyevent@0__:*\r\n$20\r\n__keyevent@0__:lpush\r\n$1\r\nl\r\n", ""]);
    st(&mut e, &cs, 2, "PUNSUBSCRIBE", &["", "", ">3\r\n$12\r\npunsubscribe\r\n$16\r\n__keyevent@0__:*\r\n:0\r\n", ""]);
    run(&mut e, cs[0], "CONFIG SET notify-keyspace-events x");
}
