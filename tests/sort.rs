//! SORT and SORT_RO through `execute`; every expected reply was checked
//! against Redis 7.0.15. Lists are built through the keyspace directly so
//! these tests do not depend on the list command family.
mod common;
use common::*;

use redlet::cmd::sort::{SortOptions, SortOutcome};
use redlet::types::{List, Value};
use redlet::Engine;

fn put(e: &mut Engine, key: &str, v: Value) {
    e.with_ctx(0, |cx| {
        let now = cx.now;
        cx.db().set(key.as_bytes(), v, false, now);
        Ok(())
    })
    .unwrap();
}

/// RPUSH key items... (space separated).
fn list(e: &mut Engine, key: &str, items: &str) {
    let l = items.split(' ').map(|s| s.as_bytes().to_vec()).collect::<List>();
    put(e, key, Value::List(Box::new(l)));
}

/// SADD key members... (via the set family).
fn intset(e: &mut Engine, key: &str, members: &str) {
    let c = redlet::engine::SYSTEM_CLIENT;
    run(e, c, &format!("SADD {} {}", key, members));
}

/// HSET key field value... (via the hash family).
fn hash(e: &mut Engine, key: &str, pairs: &[(&str, &str)]) {
    let c = redlet::engine::SYSTEM_CLIENT;
    let args: Vec<String> = pairs.iter().map(|(f, v)| format!("{} {}", f, v)).collect();
    run(e, c, &format!("HSET {} {}", key, args.join(" ")));
}

/// The RESP2 text of an array of bulk strings.
fn arr(items: &[&str]) -> String {
    let mut s = format!("*{}\r\n", items.len());
    for i in items {
        if *i == "(nil)" {
            s.push_str("$-1\r\n");
        } else {
            s.push_str(&format!("${}\r\n{}\r\n", i.len(), i));
        }
    }
    s
}

/// The stored list under `key`, as an array reply (LRANGE key 0 -1).
fn stored(e: &Engine, key: &str) -> String {
    let db = e.db(0).unwrap();
    match db.iter().find(|en| &en.key[..] == key.as_bytes()).map(|en| &en.value) {
        Some(Value::List(l)) => {
            let v: Vec<String> = l.iter().map(|x| String::from_utf8_lossy(x).into_owned()).collect();
            arr(&v.iter().map(|s| s.as_str()).collect::<Vec<_>>())
        }
        Some(_) => "not a list".into(),
        None => "*0\r\n".into(),
    }
}

const DOUBLE_ERR: &str = "-ERR One or more scores can't be converted into double\r\n";

#[test]
fn numeric_sort_limit_desc() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    list(&mut e, "n", "3 1 2 10 -5 2.5");
    assert_eq!(resp(&mut e, c, "SORT n"), arr(&["-5", "1", "2", "2.5", "3", "10"]));
    assert_eq!(resp(&mut e, c, "SORT n DESC"), arr(&["10", "3", "2.5", "2", "1", "-5"]));
    assert_eq!(resp(&mut e, c, "SORT n LIMIT 1 3"), arr(&["1", "2", "2.5"]));
    assert_eq!(resp(&mut e, c, "SORT n LIMIT 1 -1"), arr(&["1", "2", "2.5", "3", "10"]));
    assert_eq!(resp(&mut e, c, "SORT n LIMIT -5 2"), arr(&["-5", "1"]));
    assert_eq!(resp(&mut e, c, "SORT n LIMIT 10 2"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "SORT n LIMIT 0 0"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "SORT n DESC LIMIT 0 2"), arr(&["10", "3"]));
    assert_eq!(resp(&mut e, c, "SORT_RO n DESC LIMIT 0 2"), arr(&["10", "3"]));
    assert_eq!(resp(&mut e, c, "SORT nokey"), "*0\r\n");
}

#[test]
fn numeric_weights_follow_strtod() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    list(&mut e, "w", "0x10 1e2 inf -inf +5 .5");
    assert_eq!(resp(&mut e, c, "SORT w"), arr(&["-inf", ".5", "+5", "0x10", "1e2", "inf"]));
    // Empty is 0; leading whitespace is fine, trailing is not.
    list(&mut e, "z", "3 ");
    assert_eq!(resp(&mut e, c, "SORT z"), arr(&["", "3"]));
    put(&mut e, "x", Value::List(Box::new([b"\t 5".to_vec(), b"4".to_vec()].into_iter().collect::<List>())));
    assert_eq!(resp(&mut e, c, "SORT x"), "*2\r\n$1\r\n4\r\n$3\r\n\t 5\r\n");
    put(&mut e, "x", Value::List(Box::new([b"5\t".to_vec()].into_iter().collect::<List>())));
    assert_eq!(resp(&mut e, c, "SORT x"), DOUBLE_ERR);
    // Overflow and inexact underflow are range errors; NaN is refused.
    for bad in ["1e400", "1e-400", "1e-310", "nan", "abc", "1e", "0x"] {
        list(&mut e, "f", bad);
        assert_eq!(resp(&mut e, c, "SORT f"), DOUBLE_ERR, "{}", bad);
    }
    list(&mut e, "f", "1e400");
    assert_eq!(resp(&mut e, c, "SORT f ALPHA"), arr(&["1e400"]));
    // Equal scores order by the bytes of the element.
    list(&mut e, "j", "0e-500 0.0000e999 0x1p-1074");
    assert_eq!(resp(&mut e, c, "SORT j"), arr(&["0.0000e999", "0e-500", "0x1p-1074"]));
}

#[test]
fn alpha_and_nosort() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    list(&mut e, "a", "b A c 10 2 1");
    assert_eq!(resp(&mut e, c, "SORT a ALPHA"), arr(&["1", "10", "2", "A", "b", "c"]));
    assert_eq!(resp(&mut e, c, "SORT a ALPHA DESC"), arr(&["c", "b", "A", "2", "10", "1"]));
    assert_eq!(resp(&mut e, c, "SORT a ALPHA LIMIT 2 2"), arr(&["2", "A"]));
    assert_eq!(resp(&mut e, c, "SORT a"), DOUBLE_ERR);
    assert_eq!(resp(&mut e, c, "SORT a BY nosort"), arr(&["b", "A", "c", "10", "2", "1"]));
    assert_eq!(resp(&mut e, c, "SORT a BY nosort DESC"), arr(&["1", "2", "10", "c", "A", "b"]));
    assert_eq!(resp(&mut e, c, "SORT a BY nosort LIMIT 1 2"), arr(&["A", "c"]));
    assert_eq!(resp(&mut e, c, "SORT a BY nosort DESC LIMIT 1 2"), arr(&["2", "10"]));
    // A BY without '*' turns sorting off for good, even if a later BY has one.
    assert_eq!(resp(&mut e, c, "SORT a BY nosort BY w_*"), arr(&["b", "A", "c", "10", "2", "1"]));
}

#[test]
fn by_get_and_hash_fields() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    list(&mut e, "l", "1 2 3 4");
    for (k, v) in [("w_1", "30"), ("w_2", "10"), ("w_3", "20")] {
        run(&mut e, c, &format!("SET {} {}", k, v));
    }
    assert_eq!(resp(&mut e, c, "SORT l BY w_*"), arr(&["4", "2", "3", "1"]));
    assert_eq!(resp(&mut e, c, "SORT l BY w_* DESC"), arr(&["1", "3", "2", "4"]));
    assert_eq!(resp(&mut e, c, "SORT l BY w_* GET #"), arr(&["4", "2", "3", "1"]));
    assert_eq!(resp(&mut e, c, "SORT l BY w_* GET w_* GET #"), arr(&["(nil)", "4", "10", "2", "20", "3", "30", "1"]));
    assert_eq!(resp(&mut e, c, "SORT l GET nostar"), arr(&["(nil)"; 4]));
    assert_eq!(resp(&mut e, c, "SORT l GET w_*->x"), arr(&["(nil)"; 4]));
    hash(&mut e, "h_1", &[("f", "3"), ("g", "a")]);
    hash(&mut e, "h_2", &[("f", "1")]);
    hash(&mut e, "h_3", &[("g", "b")]);
    assert_eq!(resp(&mut e, c, "SORT l BY h_*->f"), arr(&["3", "4", "2", "1"]));
    assert_eq!(resp(&mut e, c, "SORT l BY h_*->f GET h_*->g GET #"), arr(&["b", "3", "(nil)", "4", "(nil)", "2", "a", "1"]));
    // "->" with nothing after it is not a field reference.
    assert_eq!(resp(&mut e, c, "SORT l BY h_*-> GET h_*->"), arr(&["(nil)"; 4]));
}

#[test]
fn store_results() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    list(&mut e, "l", "1 2 3 4");
    for (k, v) in [("w_1", "30"), ("w_2", "10"), ("w_3", "20")] {
        run(&mut e, c, &format!("SET {} {}", k, v));
    }
    hash(&mut e, "h_1", &[("g", "a")]);
    hash(&mut e, "h_3", &[("g", "b")]);
    assert_eq!(resp(&mut e, c, "SORT l BY w_* STORE dst"), ":4\r\n");
    assert_eq!(stored(&e, "dst"), arr(&["4", "2", "3", "1"]));
    // Missing GET values are stored as empty strings.
    assert_eq!(resp(&mut e, c, "SORT l BY w_* GET w_* GET h_*->g STORE dst"), ":8\r\n");
    assert_eq!(stored(&e, "dst"), arr(&["", "", "10", "", "20", "b", "30", "a"]));
    // STORE replaces any type and drops the TTL.
    assert_eq!(resp(&mut e, c, "SET dst x EX 100"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "SORT l STORE dst"), ":4\r\n");
    assert_eq!(resp(&mut e, c, "TTL dst"), ":-1\r\n");
    assert_eq!(resp(&mut e, c, "TYPE dst"), "+list\r\n");
    // An empty result deletes the destination.
    assert_eq!(resp(&mut e, c, "SORT nokey STORE dst"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "EXISTS dst"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "SORT_RO l STORE dst"), "-ERR syntax error\r\n");
}

#[test]
fn errors() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    list(&mut e, "l", "1 2 3 4");
    assert_eq!(resp(&mut e, c, "SORT l LIMIT 1"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "SORT l LIMIT x 1"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "SORT l LIMIT 1 x"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "SORT l FOO"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "SORT l BY"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "SORT l GET"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "SORT l STORE"), "-ERR syntax error\r\n");
    run(&mut e, c, "SET str x");
    assert_eq!(resp(&mut e, c, "SORT str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    // Options are parsed before the key is looked at.
    assert_eq!(resp(&mut e, c, "SORT str FOO"), "-ERR syntax error\r\n");
    hash(&mut e, "hh", &[("a", "1")]);
    assert_eq!(resp(&mut e, c, "SORT hh"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "SORT_RO"), "-ERR wrong number of arguments for 'sort_ro' command\r\n");
    assert_eq!(resp(&mut e, c, "SORT"), "-ERR wrong number of arguments for 'sort' command\r\n");
}

#[test]
fn sets() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    intset(&mut e, "s", "5 -2 10 3");
    assert_eq!(resp(&mut e, c, "SORT s"), arr(&["-2", "3", "5", "10"]));
    assert_eq!(resp(&mut e, c, "SORT s DESC LIMIT 1 2"), arr(&["5", "3"]));
    assert_eq!(resp(&mut e, c, "SORT s ALPHA"), arr(&["-2", "10", "3", "5"]));
    // No order asked: an intset's own (ascending) order, DESC ignored...
    assert_eq!(resp(&mut e, c, "SORT s BY nosort"), arr(&["-2", "3", "5", "10"]));
    assert_eq!(resp(&mut e, c, "SORT s BY nosort DESC"), arr(&["-2", "3", "5", "10"]));
    // ...but a stored result is made deterministic by an ALPHA sort.
    assert_eq!(resp(&mut e, c, "SORT s BY nosort STORE dst"), ":4\r\n");
    assert_eq!(stored(&e, "dst"), arr(&["-2", "10", "3", "5"]));
}

#[test]
fn ties_follow_redis_sort_algorithms() {
    // Without LIMIT Redis uses glibc's stable sort; BY with LIMIT uses its
    // partial quicksort, whose order of equal weights differs.
    let (mut e, _) = engine();
    let c = client(&mut e);
    list(&mut e, "t", "1 2 3 4 5 6 7 8 9 10");
    for (i, w) in ["x", "x", "y", "x", "y", "x", "y", "x", "x", "y"].iter().enumerate() {
        run(&mut e, c, &format!("SET w_{} {}", i + 1, w));
    }
    assert_eq!(resp(&mut e, c, "SORT t BY w_* ALPHA"), arr(&["1", "2", "4", "6", "8", "9", "3", "5", "7", "10"]));
    assert_eq!(resp(&mut e, c, "SORT t BY w_* ALPHA DESC"), arr(&["3", "5", "7", "10", "1", "2", "4", "6", "8", "9"]));
    assert_eq!(resp(&mut e, c, "SORT t BY w_* ALPHA LIMIT 0 4"), arr(&["1", "2", "4", "6"]));
    assert_eq!(resp(&mut e, c, "SORT t BY w_* ALPHA LIMIT 3 4"), arr(&["6", "8", "9", "3"]));
    assert_eq!(resp(&mut e, c, "SORT t BY w_* ALPHA DESC LIMIT 2 5"), arr(&["3", "10", "8", "9", "6"]));
    assert_eq!(resp(&mut e, c, "SORT t BY w_*"), DOUBLE_ERR);
}

#[test]
fn by_lookups_expire_keys() {
    let (mut e, clock) = engine();
    let c = client(&mut e);
    list(&mut e, "l", "1 2");
    run(&mut e, c, "SET w_1 5 PX 100");
    run(&mut e, c, "SET w_2 3");
    assert_eq!(resp(&mut e, c, "SORT l BY w_* GET w_*"), arr(&["3", "5"]));
    clock.advance_ms(200);
    // w_1 expired: weight 0, GET gives nil.
    assert_eq!(resp(&mut e, c, "SORT l BY w_* GET w_*"), arr(&["(nil)", "3"]));
}

#[test]
fn typed_sort_agrees_with_execute() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    list(&mut e, "l", "3 1 2");
    let out = e.sort(0, b"l", &SortOptions { desc: true, ..Default::default() }).unwrap();
    assert_eq!(out, SortOutcome::Items(vec![Some(b"3".to_vec()), Some(b"2".to_vec()), Some(b"1".to_vec())]));
    assert_eq!(resp(&mut e, c, "SORT l DESC"), arr(&["3", "2", "1"]));
    let out = e.sort(0, b"l", &SortOptions { store: Some(b"d"), get: vec![b"#", b"nostar"], ..Default::default() }).unwrap();
    assert_eq!(out, SortOutcome::Stored(6));
    assert_eq!(stored(&e, "d"), arr(&["1", "", "2", "", "3", ""]));
    assert_eq!(resp(&mut e, c, "SORT l GET # GET nostar STORE d"), ":6\r\n");
    assert_eq!(stored(&e, "d"), arr(&["1", "", "2", "", "3", ""]));
}

/// SORT / SORT_RO on sorted sets: converted to skiplist; BY nosort keeps
/// the score order (DESC reverses it) with LIMIT applied directly.
/// Replies captured from redis-server 7.0.15, commands run in order.
#[test]
fn sort_zset_as_redis() {
    const CASES: &[(&str, &str)] = &[
        ("ZADD z 3 c 1 a 2 b 10 x 5 e 2 bb", ":6\r\n"),
        ("OBJECT ENCODING z", "$8\r\nlistpack\r\n"),
        ("SORT z BY nosort", "*6\r\n$1\r\na\r\n$1\r\nb\r\n$2\r\nbb\r\n$1\r\nc\r\n$1\r\ne\r\n$1\r\nx\r\n"),
        ("OBJECT ENCODING z", "$8\r\nskiplist\r\n"),
        ("SORT z BY nosort DESC", "*6\r\n$1\r\nx\r\n$1\r\ne\r\n$1\r\nc\r\n$2\r\nbb\r\n$1\r\nb\r\n$1\r\na\r\n"),
        ("SORT z BY nosort LIMIT 1 2", "*2\r\n$1\r\nb\r\n$2\r\nbb\r\n"),
        ("SORT z BY nosort DESC LIMIT 1 2", "*2\r\n$1\r\ne\r\n$1\r\nc\r\n"),
        ("SORT z BY nosort LIMIT 10 2", "*0\r\n"),
        ("SORT z BY nosort LIMIT 3 100", "*3\r\n$1\r\nc\r\n$1\r\ne\r\n$1\r\nx\r\n"),
        ("SORT z BY nosort LIMIT -1 2", "*2\r\n$1\r\na\r\n$1\r\nb\r\n"),
        ("SORT z BY nosort DESC LIMIT 5 1", "*1\r\n$1\r\na\r\n"),
        ("SORT z BY nosort DESC LIMIT 5 0", "*0\r\n"),
        ("SORT z BY nosort LIMIT 0 -1", "*6\r\n$1\r\na\r\n$1\r\nb\r\n$2\r\nbb\r\n$1\r\nc\r\n$1\r\ne\r\n$1\r\nx\r\n"),
        ("SORT z BY nosort LIMIT 2 -5", "*4\r\n$2\r\nbb\r\n$1\r\nc\r\n$1\r\ne\r\n$1\r\nx\r\n"),
        ("SORT z ALPHA", "*6\r\n$1\r\na\r\n$1\r\nb\r\n$2\r\nbb\r\n$1\r\nc\r\n$1\r\ne\r\n$1\r\nx\r\n"),
        ("SORT z ALPHA DESC LIMIT 1 3", "*3\r\n$1\r\ne\r\n$1\r\nc\r\n$2\r\nbb\r\n"),
        ("SORT z", "-ERR One or more scores can't be converted into double\r\n"),
        ("SORT_RO z BY nosort DESC LIMIT 0 2", "*2\r\n$1\r\nx\r\n$1\r\ne\r\n"),
        ("SORT z BY nosort STORE dst", ":6\r\n"),
        ("LRANGE dst 0 -1", "*6\r\n$1\r\na\r\n$1\r\nb\r\n$2\r\nbb\r\n$1\r\nc\r\n$1\r\ne\r\n$1\r\nx\r\n"),
        ("SORT z BY nosort DESC LIMIT 1 3 STORE dst", ":3\r\n"),
        ("LRANGE dst 0 -1", "*3\r\n$1\r\ne\r\n$1\r\nc\r\n$2\r\nbb\r\n"),
        ("SORT z BY nosort GET # GET w_*", "*12\r\n$1\r\na\r\n$-1\r\n$1\r\nb\r\n$-1\r\n$2\r\nbb\r\n$-1\r\n$1\r\nc\r\n$-1\r\n$1\r\ne\r\n$-1\r\n$1\r\nx\r\n$-1\r\n"),
        ("MSET w_a 5 w_b 4 w_c 3 w_x 2 w_e 1 w_bb 0", "+OK\r\n"),
        ("SORT z BY w_*", "*6\r\n$2\r\nbb\r\n$1\r\ne\r\n$1\r\nx\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n"),
        ("SORT z BY w_* DESC LIMIT 0 3", "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n"),
        ("SORT z BY w_* GET # GET w_*", "*12\r\n$2\r\nbb\r\n$1\r\n0\r\n$1\r\ne\r\n$1\r\n1\r\n$1\r\nx\r\n$1\r\n2\r\n$1\r\nc\r\n$1\r\n3\r\n$1\r\nb\r\n$1\r\n4\r\n$1\r\na\r\n$1\r\n5\r\n"),
        ("ZADD n 1 10 2 9 3 8 4 1.5 5 -2", ":5\r\n"),
        ("SORT n", "*5\r\n$2\r\n-2\r\n$3\r\n1.5\r\n$1\r\n8\r\n$1\r\n9\r\n$2\r\n10\r\n"),
        ("SORT n DESC", "*5\r\n$2\r\n10\r\n$1\r\n9\r\n$1\r\n8\r\n$3\r\n1.5\r\n$2\r\n-2\r\n"),
        ("SORT n BY nosort DESC", "*5\r\n$2\r\n-2\r\n$3\r\n1.5\r\n$1\r\n8\r\n$1\r\n9\r\n$2\r\n10\r\n"),
        ("SORT_RO n LIMIT 1 2", "*2\r\n$3\r\n1.5\r\n$1\r\n8\r\n"),
        ("ZADD small 1 a", ":1\r\n"),
        ("SORT_RO small", "-ERR One or more scores can't be converted into double\r\n"),
        ("OBJECT ENCODING small", "$8\r\nskiplist\r\n"),
    ];
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    for (line, want) in CASES {
        assert_eq!(&resp(&mut e, c, line), want, "{line}");
    }
}
