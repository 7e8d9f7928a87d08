//! Generic key commands through `execute`; every expected reply was checked
//! against Redis 7.0.15 (TTL cases by Redis's arithmetic on the manual clock).
mod common;
use common::*;

use std::collections::HashSet;

use redlet::cmd::keys::{ExpireFlags, ExpireKind, TtlKind};
use redlet::types::{List, Value};
use redlet::{Config, Engine, Protocol};

const WRONGARGS: &str = "-ERR wrong number of arguments for";

/// The bulk strings of an array reply, sorted (key order is unspecified).
fn sorted_bulks(e: &mut Engine, c: u64, line: &str) -> Vec<String> {
    let mut v = bulks(&run(e, c, line));
    v.sort();
    v
}

fn bulks(r: &redlet::Reply) -> Vec<String> {
    match r {
        redlet::Reply::Array(items) => items
            .iter()
            .map(|i| match i {
                redlet::Reply::Bulk(b) => String::from_utf8_lossy(b).into_owned(),
                other => format!("{:?}", other),
            })
            .collect(),
        other => panic!("not an array: {:?}", other),
    }
}

/// SCAN step: (next cursor, keys).
fn scan_step(e: &mut Engine, c: u64, line: &str) -> (u64, Vec<String>) {
    match run(e, c, line) {
        redlet::Reply::Array(v) if v.len() == 2 => {
            let cur = match &v[0] {
                redlet::Reply::Bulk(b) => String::from_utf8_lossy(b).parse().unwrap(),
                other => panic!("{:?}", other),
            };
            (cur, bulks(&v[1]))
        }
        other => panic!("not a scan reply: {:?}", other),
    }
}

#[test]
fn del_unlink_exists_touch_count_like_redis() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    for k in ["a", "b", "c"] {
        run(&mut e, c, &format!("SET {} 1", k));
    }
    // Repeated keys: DEL/UNLINK count each key once, EXISTS/TOUCH each time.
    assert_eq!(resp(&mut e, c, "DEL a a b nokey"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "EXISTS a b c c c nokey"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "TOUCH c c nokey"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "UNLINK c c"), ":1\r\n");
    assert!(resp(&mut e, c, "DEL").starts_with(WRONGARGS));
    assert_eq!(resp(&mut e, c, "EXISTS"), "-ERR wrong number of arguments for 'exists' command\r\n");
    assert_eq!(resp(&mut e, c, "TOUCH"), "-ERR wrong number of arguments for 'touch' command\r\n");
    assert_eq!(resp(&mut e, c, "UNLINK"), "-ERR wrong number of arguments for 'unlink' command\r\n");
}

#[test]
fn type_names() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    run(&mut e, c, "SET s hello");
    assert_eq!(resp(&mut e, c, "TYPE s"), "+string\r\n");
    assert_eq!(resp(&mut e, c, "TYPE nokey"), "+none\r\n");
    e.with_ctx(0, |cx| {
        let now = cx.now;
        cx.db().set(b"l", Value::List(Box::new([b"x".to_vec()].into_iter().collect::<List>())), false, now);
        Ok(())
    })
    .unwrap();
    assert_eq!(resp(&mut e, c, "TYPE l"), "+list\r\n");
    assert_eq!(resp(&mut e, c, "TYPE"), "-ERR wrong number of arguments for 'type' command\r\n");
}

#[test]
fn rename_and_renamenx() {
    let (mut e, clock) = engine();
    let c = client(&mut e);
    run(&mut e, c, "SET s hello");
    assert_eq!(resp(&mut e, c, "RENAME s t"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "RENAME s t"), "-ERR no such key\r\n");
    assert_eq!(resp(&mut e, c, "RENAME t t"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "RENAME nokey nokey"), "-ERR no such key\r\n");
    assert_eq!(resp(&mut e, c, "RENAMENX t t"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "RENAMENX nokey x"), "-ERR no such key\r\n");
    run(&mut e, c, "SET u 1 EX 50");
    assert_eq!(resp(&mut e, c, "RENAMENX t u"), ":0\r\n");
    // Overwriting drops the destination's TTL; the source's TTL moves.
    assert_eq!(resp(&mut e, c, "RENAME t u"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "GET u"), "$5\r\nhello\r\n");
    assert_eq!(resp(&mut e, c, "TTL u"), ":-1\r\n");
    assert_eq!(resp(&mut e, c, "GET t"), "$-1\r\n");
    run(&mut e, c, "SET v 1 PX 10000");
    assert_eq!(resp(&mut e, c, "RENAMENX v w"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "PTTL w"), ":10000\r\n");
    clock.advance_ms(10_001);
    assert_eq!(resp(&mut e, c, "RENAME w x"), "-ERR no such key\r\n");
}

#[test]
fn copy_options_and_errors() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    run(&mut e, c, "SET k 5 EX 100");
    assert_eq!(resp(&mut e, c, "COPY k k"), "-ERR source and destination objects are the same\r\n");
    assert_eq!(resp(&mut e, c, "COPY k k DB 1"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "COPY k k DB 0"), "-ERR source and destination objects are the same\r\n");
    assert_eq!(resp(&mut e, c, "COPY k k2"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "TTL k2"), ":100\r\n");
    assert_eq!(resp(&mut e, c, "COPY k k2"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "COPY k k2 REPLACE"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "COPY k k2 REPLACE REPLACE DB 0"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "COPY k k2 DB"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "COPY k k2 DB 16"), "-ERR DB index is out of range\r\n");
    assert_eq!(resp(&mut e, c, "COPY k k2 DB -1"), "-ERR DB index is out of range\r\n");
    assert_eq!(resp(&mut e, c, "COPY k k2 DB abc"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(
        resp(&mut e, c, "COPY k k2 DB 99999999999"),
        "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n"
    );
    assert_eq!(resp(&mut e, c, "COPY k k2 foo"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "COPY k k2 DB 16 foo"), "-ERR DB index is out of range\r\n");
    assert_eq!(resp(&mut e, c, "COPY k k2 foo DB 16"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "COPY nokey k3"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "COPY k"), "-ERR wrong number of arguments for 'copy' command\r\n");
    // The copy is independent of the source.
    assert_eq!(resp(&mut e, c, "DEL k"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "GET k2"), "$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "SELECT 1"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "GET k"), "$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "TTL k"), ":100\r\n");
}

#[test]
fn move_select_swapdb_dbsize() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    run(&mut e, c, "SET k 5 PX 5000");
    assert_eq!(resp(&mut e, c, "MOVE k 0"), "-ERR source and destination objects are the same\r\n");
    assert_eq!(resp(&mut e, c, "MOVE k 16"), "-ERR DB index is out of range\r\n");
    assert_eq!(resp(&mut e, c, "MOVE k -1"), "-ERR DB index is out of range\r\n");
    assert_eq!(resp(&mut e, c, "MOVE k x"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(
        resp(&mut e, c, "MOVE k 9999999999"),
        "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n"
    );
    assert_eq!(resp(&mut e, c, "MOVE nokey 1"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "MOVE k 1"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "MOVE k 1"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "SELECT 1"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "PTTL k"), ":5000\r\n");
    assert_eq!(resp(&mut e, c, "DBSIZE"), ":1\r\n");
    run(&mut e, c, "SET k2 x");
    // Already present in the target db.
    run(&mut e, c, "SELECT 0");
    run(&mut e, c, "SET k2 y");
    assert_eq!(resp(&mut e, c, "MOVE k2 1"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "SELECT 16"), "-ERR DB index is out of range\r\n");
    assert_eq!(resp(&mut e, c, "SELECT -1"), "-ERR DB index is out of range\r\n");
    assert_eq!(resp(&mut e, c, "SELECT x"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(
        resp(&mut e, c, "SELECT 99999999999"),
        "-ERR value is out of range, value must between -2147483648 and 2147483647\r\n"
    );
    assert_eq!(resp(&mut e, c, "SELECT 0 1"), "-ERR wrong number of arguments for 'select' command\r\n");
    // Other clients keep their own db.
    let d = client(&mut e);
    assert_eq!(resp(&mut e, d, "DBSIZE"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "SWAPDB 0 1"), "+OK\r\n");
    assert_eq!(resp(&mut e, d, "GET k"), "$1\r\n5\r\n");
    assert_eq!(resp(&mut e, d, "DBSIZE"), ":2\r\n");
    assert_eq!(resp(&mut e, d, "PTTL k"), ":5000\r\n");
    assert_eq!(resp(&mut e, c, "SWAPDB 0 1"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "SWAPDB 0 0"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "SWAPDB 0 x"), "-ERR invalid second DB index\r\n");
    assert_eq!(resp(&mut e, c, "SWAPDB x 0"), "-ERR invalid first DB index\r\n");
    assert_eq!(resp(&mut e, c, "SWAPDB 0 16"), "-ERR DB index is out of range\r\n");
    assert_eq!(resp(&mut e, c, "SWAPDB 0 -1"), "-ERR DB index is out of range\r\n");
    assert_eq!(resp(&mut e, c, "SWAPDB -1 x"), "-ERR invalid second DB index\r\n");
    assert_eq!(resp(&mut e, c, "SWAPDB 0 99999999999"), "-ERR invalid second DB index\r\n");
    assert_eq!(resp(&mut e, d, "DBSIZE"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "DBSIZE x"), "-ERR wrong number of arguments for 'dbsize' command\r\n");
}

#[test]
fn flushdb_flushall() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    run(&mut e, c, "SET a 1");
    run(&mut e, c, "SELECT 3");
    run(&mut e, c, "SET b 1");
    assert_eq!(resp(&mut e, c, "FLUSHDB x"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "FLUSHDB sync x"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "FLUSHDB async"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "DBSIZE"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "FLUSHDB SYNC"), "+OK\r\n");
    run(&mut e, c, "SET b 1");
    assert_eq!(resp(&mut e, c, "FLUSHALL foo"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "FLUSHALL ASYNC"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "DBSIZE"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "SELECT 0"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "DBSIZE"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "FLUSHALL"), "+OK\r\n");
}

#[test]
fn keys_and_randomkey() {
    let (mut e, clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "RANDOMKEY"), "$-1\r\n");
    for k in ["one", "two", "three", "h*llo", "hallo"] {
        run(&mut e, c, &format!("SET {} 1", k));
    }
    assert_eq!(sorted_bulks(&mut e, c, "KEYS *"), ["h*llo", "hallo", "one", "three", "two"]);
    assert_eq!(sorted_bulks(&mut e, c, "KEYS t*"), ["three", "two"]);
    assert_eq!(sorted_bulks(&mut e, c, "KEYS h\\*llo"), ["h*llo"]);
    assert_eq!(sorted_bulks(&mut e, c, "KEYS ?[^n]*"), ["h*llo", "hallo", "three", "two"]);
    assert_eq!(resp(&mut e, c, "KEYS x*"), "*0\r\n");
    let r = resp(&mut e, c, "RANDOMKEY");
    assert!(["one", "two", "three", "h*llo", "hallo"].iter().any(|k| r == format!("${}\r\n{}\r\n", k.len(), k)), "{}", r);
    // KEYS hides expired keys without deleting them (DBSIZE still counts
    // them); RANDOMKEY deletes the expired keys it draws.
    run(&mut e, c, "FLUSHALL");
    run(&mut e, c, "SET gone 1 PX 10");
    run(&mut e, c, "SET gone2 1 PX 10");
    run(&mut e, c, "SET stay 1");
    clock.advance_ms(20);
    assert_eq!(resp(&mut e, c, "KEYS *"), "*1\r\n$4\r\nstay\r\n");
    assert_eq!(resp(&mut e, c, "DBSIZE"), ":3\r\n");
    run(&mut e, c, "DEL stay");
    assert_eq!(resp(&mut e, c, "RANDOMKEY"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "DBSIZE"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "KEYS"), "-ERR wrong number of arguments for 'keys' command\r\n");
}

#[test]
fn scan_options_and_errors() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    run(&mut e, c, "SET only 1");
    assert_eq!(resp(&mut e, c, "SCAN 0"), "*2\r\n$1\r\n0\r\n*1\r\n$4\r\nonly\r\n");
    assert_eq!(resp(&mut e, c, "SCAN 0 MATCH o*"), "*2\r\n$1\r\n0\r\n*1\r\n$4\r\nonly\r\n");
    assert_eq!(resp(&mut e, c, "SCAN 0 MATCH x* COUNT 100"), "*2\r\n$1\r\n0\r\n*0\r\n");
    assert_eq!(resp(&mut e, c, "SCAN 0 TYPE string"), "*2\r\n$1\r\n0\r\n*1\r\n$4\r\nonly\r\n");
    assert_eq!(resp(&mut e, c, "SCAN 0 TYPE STRING"), "*2\r\n$1\r\n0\r\n*1\r\n$4\r\nonly\r\n");
    assert_eq!(resp(&mut e, c, "SCAN 0 TYPE hash"), "*2\r\n$1\r\n0\r\n*0\r\n");
    assert_eq!(resp(&mut e, c, "SCAN 0 COUNT 0"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "SCAN 0 COUNT -1"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "SCAN 0 COUNT x"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "SCAN 0 MATCH"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "SCAN 0 FOO bar"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "SCAN x"), "-ERR invalid cursor\r\n");
    assert_eq!(resp(&mut e, c, "SCAN 18446744073709551616"), "-ERR invalid cursor\r\n");
    assert_eq!(resp(&mut e, c, "SCAN +"), "-ERR invalid cursor\r\n");
    assert_eq!(resp(&mut e, c, "SCAN"), "-ERR wrong number of arguments for 'scan' command\r\n");
    // strtoul syntax: "+0" and "-0" are cursor 0.
    assert_eq!(resp(&mut e, c, "SCAN +0"), "*2\r\n$1\r\n0\r\n*1\r\n$4\r\nonly\r\n");
    assert_eq!(resp(&mut e, c, "SCAN -0"), "*2\r\n$1\r\n0\r\n*1\r\n$4\r\nonly\r\n");
    let r3 = String::from_utf8(run(&mut e, c, "SCAN 0").to_resp(Protocol::Resp3)).unwrap();
    assert_eq!(r3, "*2\r\n$1\r\n0\r\n*1\r\n$4\r\nonly\r\n");
}

#[test]
fn scan_expired_keys_like_redis() {
    let (mut e, clock) = engine();
    let c = client(&mut e);
    run(&mut e, c, "SET e1 1 PX 30");
    run(&mut e, c, "SET e2 1 PX 30");
    run(&mut e, c, "SET s x");
    clock.advance_ms(60);
    // Not matching MATCH: left alone.
    assert_eq!(resp(&mut e, c, "SCAN 0 MATCH zz*"), "*2\r\n$1\r\n0\r\n*0\r\n");
    assert_eq!(resp(&mut e, c, "DBSIZE"), ":3\r\n");
    // TYPE none: the type lookup expires them, then they pass as "none".
    assert_eq!(sorted_bulks_scan(&mut e, c, "SCAN 0 TYPE none"), ["e1", "e2"]);
    assert_eq!(resp(&mut e, c, "DBSIZE"), ":1\r\n");
    run(&mut e, c, "SET e3 1 PX 30");
    clock.advance_ms(60);
    assert_eq!(resp(&mut e, c, "SCAN 0"), "*2\r\n$1\r\n0\r\n*1\r\n$1\r\ns\r\n");
    assert_eq!(resp(&mut e, c, "DBSIZE"), ":1\r\n");
}

fn sorted_bulks_scan(e: &mut Engine, c: u64, line: &str) -> Vec<String> {
    let (cur, mut v) = scan_step(e, c, line);
    assert_eq!(cur, 0);
    v.sort();
    v
}

#[test]
fn scan_under_churn_returns_every_stable_key() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    for i in 0..2000 {
        run(&mut e, c, &format!("SET stable:{} x", i));
        run(&mut e, c, &format!("SET churn:{} x", i));
    }
    let mut seen: HashSet<String> = HashSet::new();
    let mut cursor = 0u64;
    let mut next_new = 0;
    let mut victim = 0;
    loop {
        let (next, keys) = scan_step(&mut e, c, &format!("SCAN {} COUNT 7", cursor));
        seen.extend(keys);
        // Between calls: delete some churn keys, add new ones.
        for _ in 0..5 {
            run(&mut e, c, &format!("SET new:{} x", next_new));
            next_new += 1;
        }
        for _ in 0..3 {
            run(&mut e, c, &format!("DEL churn:{}", victim));
            victim += 1;
        }
        cursor = next;
        if cursor == 0 {
            break;
        }
    }
    for i in 0..2000 {
        assert!(seen.contains(&format!("stable:{}", i)), "stable:{} missed", i);
    }
    // MATCH and TYPE filter per step without breaking the guarantee.
    let mut seen = HashSet::new();
    let mut cursor = 0u64;
    loop {
        let (next, keys) = scan_step(&mut e, c, &format!("SCAN {} MATCH stable:1* TYPE string", cursor));
        assert!(keys.iter().all(|k| k.starts_with("stable:1")));
        seen.extend(keys);
        run(&mut e, c, &format!("SET more:{} x", cursor));
        cursor = next;
        if cursor == 0 {
            break;
        }
    }
    assert_eq!(seen.len(), 1111);
}

#[test]
fn expire_options_and_errors() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    run(&mut e, c, "SET k v");
    assert_eq!(resp(&mut e, c, "EXPIRE k 100"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "EXPIRE k 100 NX"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "EXPIRE k 200 XX"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "TTL k"), ":200\r\n");
    assert_eq!(resp(&mut e, c, "EXPIRE k 100 GT"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "EXPIRE k 300 gt"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "EXPIRE k 400 LT"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "EXPIRE k 50 LT"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "EXPIRE k 60 XX GT"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "EXPIRE k 10 XX LT"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "TTL k"), ":10\r\n");
    assert_eq!(resp(&mut e, c, "EXPIRE k 10 nx xx"), "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n");
    assert_eq!(resp(&mut e, c, "EXPIRE k 10 nx gt"), "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n");
    assert_eq!(resp(&mut e, c, "EXPIRE k 10 nx lt"), "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n");
    assert_eq!(resp(&mut e, c, "EXPIRE k 10 gt lt"), "-ERR GT and LT options at the same time are not compatible\r\n");
    assert_eq!(resp(&mut e, c, "EXPIRE k 10 foo"), "-ERR Unsupported option foo\r\n");
    assert_eq!(resp(&mut e, c, "EXPIRE k 10 nx xx foo"), "-ERR Unsupported option foo\r\n");
    // Options are checked before the time.
    assert_eq!(resp(&mut e, c, "EXPIRE k abc foo"), "-ERR Unsupported option foo\r\n");
    assert_eq!(resp(&mut e, c, "EXPIRE k abc nx xx"), "-ERR NX and XX, GT or LT options at the same time are not compatible\r\n");
    assert_eq!(resp(&mut e, c, "EXPIRE k abc"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "EXPIRE k 1.5"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "EXPIRE k"), "-ERR wrong number of arguments for 'expire' command\r\n");
    assert_eq!(resp(&mut e, c, "PERSIST k"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "PERSIST k"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "PERSIST nokey"), ":0\r\n");
    // No TTL counts as infinite: GT fails, LT succeeds.
    assert_eq!(resp(&mut e, c, "EXPIRE k 100 GT"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "EXPIRE k 100 XX"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "EXPIRE k 100 LT"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "EXPIRE nokey 10"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "EXPIRE nokey abc"), "-ERR value is not an integer or out of range\r\n");
}

#[test]
fn expire_past_times_delete_and_overflow_is_an_error() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    let del_cases = ["EXPIRE k 0", "EXPIRE k -1", "PEXPIRE k -1", "EXPIREAT k 0", "PEXPIREAT k 1", "EXPIRE k -1 NX", "PEXPIRE k -9223372036854775808", "EXPIRE k -9223372036854775"];
    for cmd in del_cases {
        run(&mut e, c, "SET k v");
        assert_eq!(resp(&mut e, c, cmd), ":1\r\n", "{}", cmd);
        assert_eq!(resp(&mut e, c, "EXISTS k"), ":0\r\n", "{}", cmd);
    }
    run(&mut e, c, "SET k v");
    // GT against an existing TTL with a past time fails; LT deletes.
    assert_eq!(resp(&mut e, c, "PEXPIRE k 100000"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "EXPIRE k -5 GT"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "EXPIRE k -5 LT"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "EXISTS k"), ":0\r\n");
    run(&mut e, c, "SET k v");
    for (cmd, name) in [
        ("EXPIRE k 9223372036854775807", "expire"),
        ("EXPIRE k 9223372036854776", "expire"),
        ("EXPIRE k -9223372036854776", "expire"),
        ("PEXPIRE k 9223372036854775807", "pexpire"),
        ("EXPIREAT k 9223372036854775807", "expireat"),
        ("EXPIREAT k -9223372036854776", "expireat"),
    ] {
        assert_eq!(resp(&mut e, c, cmd), format!("-ERR invalid expire time in '{}' command\r\n", name), "{}", cmd);
    }
    assert_eq!(resp(&mut e, c, "EXPIREAT k 9223372036854775"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "EXPIRETIME k"), ":9223372036854775\r\n");
    assert_eq!(resp(&mut e, c, "PEXPIREAT k 9223372036854775807"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "PEXPIRETIME k"), ":9223372036854775807\r\n");
    assert_eq!(resp(&mut e, c, "EXPIRETIME k"), ":9223372036854776\r\n");
}

#[test]
fn ttl_family_on_the_manual_clock() {
    let (mut e, clock) = engine();
    let c = client(&mut e);
    // The clock starts at 1_000_000 ms.
    assert_eq!(resp(&mut e, c, "TTL nokey"), ":-2\r\n");
    assert_eq!(resp(&mut e, c, "PTTL nokey"), ":-2\r\n");
    assert_eq!(resp(&mut e, c, "EXPIRETIME nokey"), ":-2\r\n");
    assert_eq!(resp(&mut e, c, "PEXPIRETIME nokey"), ":-2\r\n");
    run(&mut e, c, "SET k v");
    assert_eq!(resp(&mut e, c, "TTL k"), ":-1\r\n");
    assert_eq!(resp(&mut e, c, "PEXPIRETIME k"), ":-1\r\n");
    assert_eq!(resp(&mut e, c, "PEXPIRE k 1500"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "TTL k"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "PTTL k"), ":1500\r\n");
    assert_eq!(resp(&mut e, c, "PEXPIRETIME k"), ":1001500\r\n");
    assert_eq!(resp(&mut e, c, "EXPIRETIME k"), ":1002\r\n");
    // TTL rounds to the nearest second (half up).
    assert_eq!(resp(&mut e, c, "PEXPIRE k 1499"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "TTL k"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "PEXPIRE k 499"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "TTL k"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "PEXPIRE k 500"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "TTL k"), ":1\r\n");
    clock.advance_ms(499);
    assert_eq!(resp(&mut e, c, "PTTL k"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "TTL k"), ":0\r\n");
    clock.advance_ms(2);
    assert_eq!(resp(&mut e, c, "PTTL k"), ":-2\r\n");
    assert_eq!(resp(&mut e, c, "TTL"), "-ERR wrong number of arguments for 'ttl' command\r\n");
    assert_eq!(resp(&mut e, c, "TTL a b"), "-ERR wrong number of arguments for 'ttl' command\r\n");
    // EXPIREAT in seconds against the clock.
    run(&mut e, c, "SET k v");
    // Now 1_000_501 ms.
    assert_eq!(resp(&mut e, c, "EXPIREAT k 1010"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "PTTL k"), ":9499\r\n");
    assert_eq!(resp(&mut e, c, "TTL k"), ":9\r\n");
    assert_eq!(resp(&mut e, c, "EXPIREAT k 1000"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "EXISTS k"), ":0\r\n");
}

#[test]
fn expired_keys_are_gone_for_every_command() {
    let (mut e, clock) = engine();
    let c = client(&mut e);
    for cmd in ["TTL t", "EXISTS t", "TYPE t", "RENAME t x", "MOVE t 1", "COPY t x", "DEL t", "OBJECT ENCODING t", "PERSIST t", "EXPIRE t 10", "TOUCH t"] {
        run(&mut e, c, "SET t v PX 50");
        clock.advance_ms(80);
        let want = match cmd {
            "TTL t" => ":-2\r\n",
            "TYPE t" => "+none\r\n",
            "RENAME t x" => "-ERR no such key\r\n",
            "OBJECT ENCODING t" => "$-1\r\n",
            _ => ":0\r\n",
        };
        assert_eq!(resp(&mut e, c, cmd), want, "{}", cmd);
    }
}

#[test]
fn object_subcommands() {
    let (mut e, clock) = engine();
    let c = client(&mut e);
    run(&mut e, c, "SET only 1");
    assert_eq!(resp(&mut e, c, "OBJECT ENCODING only"), "$3\r\nint\r\n");
    assert_eq!(resp(&mut e, c, "OBJECT ENCODING nokey"), "$-1\r\n");
    assert_eq!(
        String::from_utf8(run(&mut e, c, "OBJECT ENCODING nokey").to_resp(Protocol::Resp3)).unwrap(),
        "_\r\n"
    );
    assert_eq!(resp(&mut e, c, "OBJECT REFCOUNT only"), ":2147483647\r\n");
    assert_eq!(resp(&mut e, c, "OBJECT REFCOUNT nokey"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "OBJECT IDLETIME only"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "OBJECT IDLETIME nokey"), "$-1\r\n");
    assert_eq!(
        resp(&mut e, c, "OBJECT FREQ only"),
        "-ERR An LFU maxmemory policy is not selected, access frequency not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n"
    );
    assert_eq!(resp(&mut e, c, "OBJECT FREQ nokey"), "$-1\r\n");
    for (v, enc, rc) in [("9999", "int", 2147483647), ("10000", "int", 1), ("-1", "int", 1), ("abc", "embstr", 1)] {
        run(&mut e, c, &format!("SET k {}", v));
        assert_eq!(resp(&mut e, c, "OBJECT ENCODING k"), format!("${}\r\n{}\r\n", enc.len(), enc));
        assert_eq!(resp(&mut e, c, "OBJECT REFCOUNT k"), format!(":{}\r\n", rc));
    }
    run(&mut e, c, &format!("SET k {}", "a".repeat(45)));
    assert_eq!(resp(&mut e, c, "OBJECT ENCODING k"), "$3\r\nraw\r\n");
    // Idle time: OBJECT and TTL do not touch the key, GET does.
    clock.advance_ms(12_000);
    assert_eq!(resp(&mut e, c, "OBJECT IDLETIME k"), ":12\r\n");
    run(&mut e, c, "TTL k");
    assert_eq!(resp(&mut e, c, "OBJECT IDLETIME k"), ":12\r\n");
    run(&mut e, c, "GET k");
    assert_eq!(resp(&mut e, c, "OBJECT IDLETIME k"), ":0\r\n");
    clock.advance_ms(3_000);
    run(&mut e, c, "TOUCH k");
    assert_eq!(resp(&mut e, c, "OBJECT IDLETIME k"), ":0\r\n");
    let help = resp(&mut e, c, "OBJECT help");
    assert!(help.starts_with("*15\r\n+OBJECT <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+ENCODING <key>\r\n"), "{}", help);
    assert!(help.ends_with("+    <key>.\r\n+HELP\r\n+    Prints this help.\r\n"), "{}", help);
    assert_eq!(resp(&mut e, c, "OBJECT HELP x"), "-ERR wrong number of arguments for 'object|help' command\r\n");
    assert_eq!(resp(&mut e, c, "OBJECT"), "-ERR wrong number of arguments for 'object' command\r\n");
    assert_eq!(resp(&mut e, c, "OBJECT foo"), "-ERR unknown subcommand 'foo'. Try OBJECT HELP.\r\n");
    assert_eq!(resp(&mut e, c, "OBJECT foo bar"), "-ERR unknown subcommand 'foo'. Try OBJECT HELP.\r\n");
    assert_eq!(resp(&mut e, c, "OBJECT ENCODING"), "-ERR wrong number of arguments for 'object|encoding' command\r\n");
    assert_eq!(resp(&mut e, c, "OBJECT ENCODING a b"), "-ERR wrong number of arguments for 'object|encoding' command\r\n");
}

#[test]
fn object_under_lfu_policy() {
    let mut config = Config::default();
    config.maxmemory_policy = redlet::config::MaxmemoryPolicy::AllKeysLfu;
    let (mut e, _) = engine_with(config);
    let c = client(&mut e);
    run(&mut e, c, "SET k 1");
    assert_eq!(
        resp(&mut e, c, "OBJECT IDLETIME k"),
        "-ERR An LFU maxmemory policy is selected, idle time not tracked. Please note that when switching between policies at runtime LRU and LFU data will take some time to adjust.\r\n"
    );
    assert_eq!(resp(&mut e, c, "OBJECT IDLETIME nokey"), "$-1\r\n");
    assert!(resp(&mut e, c, "OBJECT FREQ k").starts_with(':'));
    assert_eq!(redlet::cmd::keys::lfu_decayed_counter((100 << 8) | 5, 100 * 60_000, 1), 5);
    assert_eq!(redlet::cmd::keys::lfu_decayed_counter((100 << 8) | 5, 103 * 60_000, 1), 2);
    assert_eq!(redlet::cmd::keys::lfu_decayed_counter((100 << 8) | 5, 120 * 60_000, 1), 0);
    assert_eq!(redlet::cmd::keys::lfu_decayed_counter((100 << 8) | 5, 120 * 60_000, 0), 5);
}

#[test]
fn typed_api_agrees_with_execute() {
    let (mut e, clock) = engine();
    let c = client(&mut e);
    e.set(0, b"a", b"1", Default::default()).unwrap();
    e.set(0, b"b", b"2", Default::default()).unwrap();
    assert_eq!(e.exists(0, &[b"a", b"a", b"b", b"z"]).unwrap(), 3);
    assert_eq!(resp(&mut e, c, "EXISTS a a b z"), ":3\r\n");
    assert_eq!(e.key_type(0, b"a").unwrap(), "string");
    assert!(e.expire(0, b"a", 10, ExpireKind::Seconds, ExpireFlags::default()).unwrap());
    assert_eq!(resp(&mut e, c, "PTTL a"), ":10000\r\n");
    assert_eq!(e.ttl(0, b"a", TtlKind::Millis).unwrap(), 10000);
    assert!(!e.expire(0, b"a", 5, ExpireKind::Seconds, ExpireFlags { gt: true, ..Default::default() }).unwrap());
    assert_eq!(
        e.expire(0, b"a", 5, ExpireKind::Seconds, ExpireFlags { gt: true, lt: true, ..Default::default() }).unwrap_err().to_string(),
        "ERR GT and LT options at the same time are not compatible"
    );
    assert_eq!(
        e.expire(0, b"a", i64::MAX, ExpireKind::Millis, ExpireFlags::default()).unwrap_err().to_string(),
        "ERR invalid expire time in 'pexpire' command"
    );
    assert!(e.persist(0, b"a").unwrap());
    assert_eq!(resp(&mut e, c, "TTL a"), ":-1\r\n");
    assert!(e.rename(0, b"a", b"c", false).unwrap());
    assert_eq!(resp(&mut e, c, "GET c"), "$1\r\n1\r\n");
    assert!(!e.rename(0, b"c", b"b", true).unwrap());
    assert_eq!(e.rename(0, b"zz", b"b", false).unwrap_err().to_string(), "ERR no such key");
    assert!(e.copy(0, b"c", b"d", Some(2), false).unwrap());
    assert_eq!(e.dbsize(2).unwrap(), 1);
    assert!(e.move_key(0, b"c", 3).unwrap());
    assert_eq!(resp(&mut e, c, "EXISTS c"), ":0\r\n");
    assert_eq!(e.keys(3, b"*").unwrap(), vec![b"c".to_vec()]);
    let mut k = e.keys(0, b"*").unwrap();
    k.sort();
    assert_eq!(k, vec![b"b".to_vec()]);
    assert_eq!(sorted_bulks(&mut e, c, "KEYS *"), ["b"]);
    let (cur, found) = e.scan(0, 0, Some(b"*"), 10, Some(b"string")).unwrap();
    assert_eq!((cur, found), (0, vec![b"b".to_vec()]));
    assert_eq!(e.randomkey(0).unwrap(), Some(b"b".to_vec()));
    assert_eq!(e.touch(0, &[b"b", b"b"]).unwrap(), 2);
    assert_eq!(e.object_encoding(0, b"b").unwrap(), Some("int"));
    assert_eq!(e.object_refcount(0, b"b").unwrap(), Some(2147483647));
    clock.advance_ms(5000);
    assert_eq!(e.object_idletime(0, b"b").unwrap(), Some(5));
    assert_eq!(resp(&mut e, c, "OBJECT IDLETIME b"), ":5\r\n");
    e.swapdb(0, 3).unwrap();
    assert_eq!(resp(&mut e, c, "KEYS *"), "*1\r\n$1\r\nc\r\n");
    assert_eq!(e.del(0, &[b"c", b"c"]).unwrap(), 1);
    assert_eq!(e.flushdb(3).unwrap(), 1);
    assert_eq!(e.flushall().unwrap(), 1);
    assert_eq!(resp(&mut e, c, "DBSIZE"), ":0\r\n");
}

/// Found by the differential harness: COPY duplicates a small integer out of
/// Redis's shared pool (refcount 1) until a write makes it shared again.
#[test]
fn copy_of_small_integer_is_unshared() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "SET a 2"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "COPY a b"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "OBJECT REFCOUNT a"), ":2147483647\r\n");
    assert_eq!(resp(&mut e, c, "OBJECT REFCOUNT b"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "OBJECT ENCODING b"), "$3\r\nint\r\n");
    assert_eq!(resp(&mut e, c, "INCR b"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "OBJECT REFCOUNT b"), ":2147483647\r\n");
}
