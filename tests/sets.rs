//! Set commands through `execute`: replies checked byte for byte against
//! Redis 7.0.15 (RESP2; intsets give Redis's ascending order, so most
//! replies are exact), errors, wrong types, encodings, SSCAN under churn,
//! random-pick semantics, and the typed API agreeing with `execute`.
mod common;
use common::*;

use std::collections::{HashMap, HashSet};

use redlet::cmd::ScanArgs;
use redlet::{Config, Engine, Reply};

/// OBJECT ENCODING of `key` in db 0, read from the keyspace directly.
fn encoding(e: &Engine, key: &str) -> Option<&'static str> {
    e.db(0)?.iter().find(|x| &*x.key == key.as_bytes()).map(|x| x.value.encoding())
}

/// The bulk strings of an array or set reply, sorted (for hashtable-encoded
/// results, whose order differs from Redis's).
fn sorted(r: Reply) -> Vec<String> {
    let items = match r {
        Reply::Array(v) | Reply::Set(v) => v,
        other => panic!("not a collection: {:?}", other),
    };
    let mut v: Vec<String> = items
        .into_iter()
        .map(|i| match i {
            Reply::Bulk(b) => String::from_utf8(b).unwrap(),
            other => panic!("not a bulk: {:?}", other),
        })
        .collect();
    v.sort();
    v
}

fn strs(v: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = v.iter().map(|s| s.to_string()).collect();
    v.sort();
    v
}

#[test]
fn single_key_commands() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "SADD s 3 1 2 -5 10"), ":5\r\n");
    assert_eq!(resp(&mut e, c, "SADD s 2 3 4"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "SMEMBERS s"), "*6\r\n$2\r\n-5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$2\r\n10\r\n");
    assert_eq!(resp(&mut e, c, "SCARD s"), ":6\r\n");
    assert_eq!(resp(&mut e, c, "SISMEMBER s 2"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "SISMEMBER s 02"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "SISMEMBER s x"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "SMISMEMBER s 1 x 4 -5"), "*4\r\n:1\r\n:0\r\n:1\r\n:1\r\n");
    assert_eq!(resp(&mut e, c, "SMISMEMBER nokey 1 2"), "*2\r\n:0\r\n:0\r\n");
    assert_eq!(resp(&mut e, c, "SMEMBERS nokey"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "SCARD nokey"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "SISMEMBER nokey 1"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "SREM s 2 2 99 x"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "SMEMBERS s"), "*5\r\n$2\r\n-5\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n4\r\n$2\r\n10\r\n");
    assert_eq!(resp(&mut e, c, "SREM nokey a"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "SADD t b a c"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "SADD t a"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "SCARD t"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "SREM t a b c d"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "GET t"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "SADD t"), "-ERR wrong number of arguments for 'sadd' command\r\n");
    assert_eq!(resp(&mut e, c, "SREM t"), "-ERR wrong number of arguments for 'srem' command\r\n");
    assert_eq!(resp(&mut e, c, "SADD u x"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "SMEMBERS u"), "*1\r\n$1\r\nx\r\n");
    assert_eq!(resp(&mut e, c, "SADD v 1 x 2"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "SCARD v"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "SISMEMBER v x"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "SRANDMEMBER s 100"), "*5\r\n$2\r\n-5\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n4\r\n$2\r\n10\r\n");
    assert_eq!(resp(&mut e, c, "SRANDMEMBER s 5"), "*5\r\n$2\r\n-5\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n4\r\n$2\r\n10\r\n");
    assert_eq!(resp(&mut e, c, "SRANDMEMBER s 0"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "SRANDMEMBER nokey 5"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "SRANDMEMBER nokey"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "SRANDMEMBER nokey -5"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "SRANDMEMBER nokey x"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "SRANDMEMBER s x"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "SRANDMEMBER s 1 2"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "SRANDMEMBER s -9223372036854775808"), "-ERR value is out of range, value must between -9223372036854775807 and 9223372036854775807\r\n");
    assert_eq!(resp(&mut e, c, "SRANDMEMBER s 9223372036854775807"), "*5\r\n$2\r\n-5\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n4\r\n$2\r\n10\r\n");
    assert_eq!(resp(&mut e, c, "SADD one 7"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "SRANDMEMBER one"), "$1\r\n7\r\n");
    assert_eq!(resp(&mut e, c, "SRANDMEMBER one -3"), "*3\r\n$1\r\n7\r\n$1\r\n7\r\n$1\r\n7\r\n");
    assert_eq!(resp(&mut e, c, "SRANDMEMBER one 1"), "*1\r\n$1\r\n7\r\n");
    assert_eq!(resp(&mut e, c, "SPOP one 0"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "SPOP one -1"), "-ERR value is out of range, must be positive\r\n");
    assert_eq!(resp(&mut e, c, "SPOP one x"), "-ERR value is out of range, must be positive\r\n");
    assert_eq!(resp(&mut e, c, "SPOP one 1 2"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "SPOP nokey"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "SPOP nokey 3"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "SPOP nokey x"), "-ERR value is out of range, must be positive\r\n");
    assert_eq!(resp(&mut e, c, "SPOP one"), "$1\r\n7\r\n");
    assert_eq!(resp(&mut e, c, "GET one"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "SADD p 5 4 3"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "SPOP p 3"), "*3\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "GET p"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "SADD p 5 4 3"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "SPOP p 100"), "*3\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "SSCAN s 0"), "*2\r\n$1\r\n0\r\n*5\r\n$2\r\n-5\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n4\r\n$2\r\n10\r\n");
    assert_eq!(resp(&mut e, c, "SSCAN s 0 MATCH 1*"), "*2\r\n$1\r\n0\r\n*2\r\n$1\r\n1\r\n$2\r\n10\r\n");
    assert_eq!(resp(&mut e, c, "SSCAN s -1 COUNT 1"), "*2\r\n$1\r\n0\r\n*5\r\n$2\r\n-5\r\n$1\r\n1\r\n$1\r\n3\r\n$1\r\n4\r\n$2\r\n10\r\n");
    assert_eq!(resp(&mut e, c, "SSCAN s 0 COUNT 0"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "SSCAN s 0 TYPE set"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "SSCAN s x"), "-ERR invalid cursor\r\n");
    assert_eq!(resp(&mut e, c, "SSCAN nokey 0 COUNT 0"), "*2\r\n$1\r\n0\r\n*0\r\n");
    assert_eq!(resp(&mut e, c, "SSCAN s 0 MATCH"), "-ERR syntax error\r\n");
}

#[test]
fn multi_key_commands_and_smove() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "SADD a 1 2 3 4 5"), ":5\r\n");
    assert_eq!(resp(&mut e, c, "SADD b 4 5 6 7"), ":4\r\n");
    assert_eq!(resp(&mut e, c, "SADD c 5 4 9"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "SADD x hello"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "SET str v"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "SINTER a b"), "*2\r\n$1\r\n4\r\n$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "SINTER a b c"), "*2\r\n$1\r\n4\r\n$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "SINTER c a"), "*2\r\n$1\r\n4\r\n$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "SINTER a nokey"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "SINTER nokey str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "SINTER a str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "SINTER a a"), "*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "SUNION a b c"), "*8\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n$1\r\n6\r\n$1\r\n7\r\n$1\r\n9\r\n");
    assert_eq!(resp(&mut e, c, "SUNION a nokey"), "*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "SUNION nokey"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "SUNION nokey str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "SDIFF a b"), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
    assert_eq!(resp(&mut e, c, "SDIFF a b c"), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
    assert_eq!(resp(&mut e, c, "SDIFF nokey a"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "SDIFF a nokey"), "*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "SDIFF a a"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "SDIFF a b a"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "SDIFF b a x"), "*2\r\n$1\r\n6\r\n$1\r\n7\r\n");
    assert_eq!(resp(&mut e, c, "SDIFF nokey str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "SDIFF str a"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "SINTERCARD 2 a b"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "SINTERCARD 3 a b c"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "SINTERCARD 1 a LIMIT 2"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "SINTERCARD 1 a LIMIT 0"), ":5\r\n");
    assert_eq!(resp(&mut e, c, "SINTERCARD 2 a nokey"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "SINTERCARD 2 a str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "SINTERCARD 1 nokey str"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "SINTERCARD 1 str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "SINTERCARD 0 a"), "-ERR numkeys should be greater than 0\r\n");
    assert_eq!(resp(&mut e, c, "SINTERCARD 3 a b"), "-ERR Number of keys can't be greater than number of args\r\n");
    assert_eq!(resp(&mut e, c, "SINTERCARD 1 a LIMIT"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "SINTERCARD 1 a LIMIT -1"), "-ERR LIMIT can't be negative\r\n");
    assert_eq!(resp(&mut e, c, "SINTERCARD 1 a FOO 1"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "SINTERSTORE d a b"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "SMEMBERS d"), "*2\r\n$1\r\n4\r\n$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "SINTERSTORE d a nokey"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "GET d"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "SINTERSTORE str a b"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "SMEMBERS str"), "*2\r\n$1\r\n4\r\n$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "SET str v"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "SINTERSTORE d a str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "SUNIONSTORE d a b"), ":7\r\n");
    assert_eq!(resp(&mut e, c, "SMEMBERS d"), "*7\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n$1\r\n6\r\n$1\r\n7\r\n");
    assert_eq!(resp(&mut e, c, "SUNIONSTORE d nokey"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "GET d"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "SUNIONSTORE str a x"), ":6\r\n");
    assert_eq!(resp(&mut e, c, "SCARD str"), ":6\r\n");
    assert_eq!(resp(&mut e, c, "SET str v"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "SDIFFSTORE d a b"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "SMEMBERS d"), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
    assert_eq!(resp(&mut e, c, "SDIFFSTORE d a a"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "GET d"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "SDIFFSTORE d a"), ":5\r\n");
    assert_eq!(resp(&mut e, c, "SMEMBERS d"), "*5\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "SDIFFSTORE d a str"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "SMOVE a b 1"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "SMEMBERS a"), "*4\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "SMEMBERS b"), "*5\r\n$1\r\n1\r\n$1\r\n4\r\n$1\r\n5\r\n$1\r\n6\r\n$1\r\n7\r\n");
    assert_eq!(resp(&mut e, c, "SMOVE a b 4"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "SMEMBERS a"), "*3\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n5\r\n");
    assert_eq!(resp(&mut e, c, "SMOVE a b 99"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "SMOVE nokey b 1"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "SMOVE nokey str 1"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "SMOVE str a 1"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "SMOVE a str 2"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "SMOVE a str 99"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "SMOVE a a 2"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "SMOVE a a 99"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "SMOVE x newset hello"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "GET x"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "SMOVE a newset 2"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "SMOVE a fresh 3"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "SMEMBERS fresh"), "*1\r\n$1\r\n3\r\n");
    assert_eq!(sorted(run(&mut e, c, "SMEMBERS newset")), strs(&["2", "hello"]));
    assert_eq!(sorted(run(&mut e, c, "SUNION b x newset")), strs(&["1", "2", "4", "5", "6", "7", "hello"]));
}

#[test]
fn intset_to_hashtable_conversion() {
    // Mirrors CONFIG SET set-max-intset-entries 4 on Redis.
    let cfg = Config { set_max_intset_entries: 4, ..Config::default() };
    let (mut e, _) = engine_with(cfg);
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "SADD s 1 2 3 4"), ":4\r\n");
    assert_eq!(encoding(&e, "s"), Some("intset"));
    assert_eq!(resp(&mut e, c, "SADD s 5"), ":1\r\n");
    assert_eq!(encoding(&e, "s"), Some("hashtable"));
    assert_eq!(resp(&mut e, c, "SREM s 5"), ":1\r\n");
    assert_eq!(encoding(&e, "s"), Some("hashtable"), "never converts back in place");
    assert_eq!(resp(&mut e, c, "SADD t 1 x"), ":2\r\n");
    assert_eq!(encoding(&e, "t"), Some("hashtable"));
    assert_eq!(resp(&mut e, c, "SREM t x"), ":1\r\n");
    assert_eq!(encoding(&e, "t"), Some("hashtable"));
    assert_eq!(resp(&mut e, c, "SADD n x"), ":1\r\n");
    assert_eq!(encoding(&e, "n"), Some("hashtable"), "created for its first member");
    assert_eq!(resp(&mut e, c, "SADD z 01"), ":1\r\n");
    assert_eq!(encoding(&e, "z"), Some("hashtable"), "01 is not a canonical integer");
    // SDIFFSTORE: with four keys Redis picks algorithm 2 (add all, then
    // remove), whose intermediate set converted; with two, algorithm 1.
    assert_eq!(resp(&mut e, c, "SADD a 1 2 3 4 5 6 7"), ":7\r\n");
    assert_eq!(resp(&mut e, c, "SADD b 1"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "SADD c 2"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "SADD d 3"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "SDIFFSTORE d1 a b c d"), ":4\r\n");
    assert_eq!(encoding(&e, "d1"), Some("hashtable"));
    assert_eq!(sorted(run(&mut e, c, "SMEMBERS d1")), strs(&["4", "5", "6", "7"]));
    assert_eq!(resp(&mut e, c, "SDIFFSTORE d2 a b"), ":6\r\n");
    assert_eq!(encoding(&e, "d2"), Some("hashtable"));
    assert_eq!(resp(&mut e, c, "SADD e 1 2 3"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "SDIFFSTORE d3 a e"), ":4\r\n");
    assert_eq!(encoding(&e, "d3"), Some("intset"));
    assert_eq!(resp(&mut e, c, "SMEMBERS d3"), "*4\r\n$1\r\n4\r\n$1\r\n5\r\n$1\r\n6\r\n$1\r\n7\r\n");
    assert_eq!(resp(&mut e, c, "SINTERSTORE i1 a a"), ":7\r\n");
    assert_eq!(encoding(&e, "i1"), Some("hashtable"));
    assert_eq!(resp(&mut e, c, "SINTERSTORE i2 a s"), ":4\r\n");
    assert_eq!(encoding(&e, "i2"), Some("intset"), "the stored result is built intset-first");
    assert_eq!(resp(&mut e, c, "SUNIONSTORE u1 b c d"), ":3\r\n");
    assert_eq!(encoding(&e, "u1"), Some("intset"));
    assert_eq!(resp(&mut e, c, "SUNIONSTORE u2 b c d s"), ":4\r\n");
    assert_eq!(encoding(&e, "u2"), Some("intset"));
    assert_eq!(resp(&mut e, c, "SMEMBERS u2"), "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n4\r\n");
    // SPOP with a count: popping most of a set rebuilds it from what stays,
    // which can make it an intset again; popping a few keeps the table.
    assert_eq!(resp(&mut e, c, "SADD big 1 2 3 4 5 6 7 8 9 10"), ":10\r\n");
    assert_eq!(sorted(run(&mut e, c, "SPOP big 8")).len(), 8);
    assert_eq!(encoding(&e, "big"), Some("hashtable"));
    assert_eq!(resp(&mut e, c, "SCARD big"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "SADD big2 1 2 3 4 5 6 7 8 9 10"), ":10\r\n");
    assert_eq!(sorted(run(&mut e, c, "SPOP big2 9")).len(), 9);
    assert_eq!(encoding(&e, "big2"), Some("intset"));
    // SMOVE creates the destination for the member and converts it as SADD.
    assert_eq!(resp(&mut e, c, "SADD m1 x"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "SMOVE m1 m2 x"), ":1\r\n");
    assert_eq!(encoding(&e, "m2"), Some("hashtable"));
    assert_eq!(resp(&mut e, c, "SADD m3 5"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "SMOVE m3 m4 5"), ":1\r\n");
    assert_eq!(encoding(&e, "m4"), Some("intset"));
    assert_eq!(resp(&mut e, c, "SADD q 1 2 3 4"), ":4\r\n");
    assert_eq!(resp(&mut e, c, "SADD q2 x"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "SMOVE q2 q x"), ":1\r\n");
    assert_eq!(encoding(&e, "q"), Some("hashtable"));
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
fn sscan_full_iteration_under_churn() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    let pad = "m".repeat(80);
    for i in 0..2000 {
        assert_eq!(resp(&mut e, c, &format!("SADD s {}{}", pad, i)), ":1\r\n");
    }
    assert_eq!(encoding(&e, "s"), Some("hashtable"));
    let mut seen = HashMap::<Vec<u8>, usize>::new();
    let (mut cursor, mut next_new, mut victim, mut steps) = (0u64, 2000, 1000, 0);
    loop {
        let (next, items) = scan_parts(run(&mut e, c, &format!("SSCAN s {} COUNT 25", cursor)));
        for m in items {
            *seen.entry(m).or_default() += 1;
        }
        for _ in 0..4 {
            resp(&mut e, c, &format!("SADD s {}{}", pad, next_new));
            next_new += 1;
        }
        resp(&mut e, c, &format!("SREM s {}{} {}{}", pad, victim, pad, victim + 1));
        victim += 2;
        steps += 1;
        cursor = next;
        if cursor == 0 {
            break;
        }
        assert!(steps < 10_000, "scan terminates");
    }
    for i in 0..1000 {
        assert_eq!(seen.get(format!("{}{}", pad, i).as_bytes()), Some(&1), "stable member {} returned exactly once", i);
    }
    // An intset answers whole, cursor 0, MATCH applied to the decimal form.
    for i in 0..100 {
        resp(&mut e, c, &format!("SADD ints {}", i * 7));
    }
    let (cur, items) = scan_parts(run(&mut e, c, "SSCAN ints 0 MATCH *9 COUNT 1"));
    assert_eq!(cur, 0);
    let want: Vec<Vec<u8>> = (0..100).map(|i| (i * 7).to_string()).filter(|s| s.ends_with('9')).map(String::into_bytes).collect();
    assert_eq!(items, want);
}

#[test]
fn random_picks() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    for (name, n, prefix) in [("ints", 20usize, ""), ("strs", 300, "m")] {
        for i in 0..n {
            resp(&mut e, c, &format!("SADD {} {}{}", name, prefix, i));
        }
        for count in [1usize, 2, 5, 6, 7, 19, 20, 21, 50, 99, 100, 101, 299, 300, 301] {
            let got = sorted(run(&mut e, c, &format!("SRANDMEMBER {} {}", name, count)));
            assert_eq!(got.len(), count.min(n), "{} count {}", name, count);
            assert_eq!(got.iter().collect::<HashSet<_>>().len(), got.len(), "distinct");
            let got = sorted(run(&mut e, c, &format!("SRANDMEMBER {} -{}", name, count)));
            assert_eq!(got.len(), count);
        }
    }
    assert_eq!(resp(&mut e, c, "SRANDMEMBER ints -9223372036854775807"), "-ERR value is out of range\r\n");
    assert_eq!(resp(&mut e, c, "SRANDMEMBER nokey -9223372036854775807"), "*0\r\n");
    // SPOP with counts in each of Redis's three cases: what is popped and
    // what stays partition the set.
    for (count, size) in [(1usize, 50usize), (5, 50), (40, 50), (45, 50), (49, 50), (50, 50), (80, 50)] {
        resp(&mut e, c, "SPOP p 1000");
        for i in 0..size {
            resp(&mut e, c, &format!("SADD p m{}", i));
        }
        let popped = sorted(run(&mut e, c, &format!("SPOP p {}", count)));
        assert_eq!(popped.len(), count.min(size));
        let rest = sorted(run(&mut e, c, "SMEMBERS p"));
        assert_eq!(rest.len(), size - count.min(size));
        let all: HashSet<String> = popped.iter().chain(rest.iter()).cloned().collect();
        assert_eq!(all.len(), size);
    }
    assert_eq!(resp(&mut e, c, "GET p"), "$-1\r\n", "popping everything deletes the key");
}

#[test]
fn store_replaces_destination_and_ttl() {
    let (mut e, clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "SADD src 5 6"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "SET d v PX 1000"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "SINTERSTORE d src"), ":2\r\n");
    clock.advance_ms(2000);
    assert_eq!(resp(&mut e, c, "SMEMBERS d"), "*2\r\n$1\r\n5\r\n$1\r\n6\r\n", "the TTL went with the old value");
    // An expired source reads as absent.
    assert_eq!(resp(&mut e, c, "SET gone v PX 10"), "+OK\r\n");
    clock.advance_ms(11);
    assert_eq!(resp(&mut e, c, "SUNIONSTORE d gone"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "GET d"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "SINTER src gone"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "SDIFF src gone"), "*2\r\n$1\r\n5\r\n$1\r\n6\r\n");
}

#[test]
fn typed_api_agrees_with_execute() {
    let (mut e, _) = engine();
    let c = client(&mut e);
    assert_eq!(e.sadd(0, b"s", &[b"3", b"1", b"2"]).unwrap(), 3);
    assert_eq!(resp(&mut e, c, "SMEMBERS s"), "*3\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n");
    assert_eq!(resp(&mut e, c, "SADD s 4"), ":1\r\n");
    assert_eq!(e.smembers(0, b"s").unwrap(), vec![b"1".to_vec(), b"2".to_vec(), b"3".to_vec(), b"4".to_vec()]);
    assert!(e.sismember(0, b"s", b"4").unwrap());
    assert_eq!(e.smismember(0, b"s", &[b"1", b"9"]).unwrap(), vec![true, false]);
    assert_eq!(e.scard(0, b"s").unwrap(), 4);
    assert_eq!(e.srem(0, b"s", &[b"4", b"9"]).unwrap(), 1);
    assert_eq!(resp(&mut e, c, "SCARD s"), ":3\r\n");
    assert_eq!(e.sadd(0, b"t", &[b"2", b"3", b"5"]).unwrap(), 3);
    assert_eq!(e.sinter(0, &[b"s", b"t"]).unwrap(), vec![b"2".to_vec(), b"3".to_vec()]);
    assert_eq!(e.sintercard(0, &[b"s", b"t"], 1).unwrap(), 1);
    assert_eq!(e.sunion(0, &[b"s", b"t"]).unwrap().len(), 4);
    assert_eq!(e.sdiff(0, &[b"s", b"t"]).unwrap(), vec![b"1".to_vec()]);
    assert_eq!(e.sinterstore(0, b"i", &[b"s", b"t"]).unwrap(), 2);
    assert_eq!(resp(&mut e, c, "SMEMBERS i"), "*2\r\n$1\r\n2\r\n$1\r\n3\r\n");
    assert_eq!(e.sunionstore(0, b"u", &[b"s", b"t"]).unwrap(), 4);
    assert_eq!(e.sdiffstore(0, b"d", &[b"t", b"s"]).unwrap(), 1);
    assert_eq!(resp(&mut e, c, "SMEMBERS d"), "*1\r\n$1\r\n5\r\n");
    assert!(e.smove(0, b"d", b"s", b"5").unwrap());
    assert_eq!(resp(&mut e, c, "SMEMBERS s"), "*4\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$1\r\n5\r\n");
    assert_eq!(e.srandmember_count(0, b"s", 10).unwrap().len(), 4);
    assert_eq!(e.srandmember_count(0, b"s", -10).unwrap().len(), 10);
    assert!(e.srandmember(0, b"s").unwrap().is_some());
    let args = ScanArgs { cursor: 0, pattern: Some(b"[12]"), count: 10, type_name: None };
    assert_eq!(e.sscan(0, b"s", &args).unwrap(), (0, vec![b"1".to_vec(), b"2".to_vec()]));
    let popped = e.spop(0, b"s").unwrap().unwrap();
    assert_eq!(resp(&mut e, c, &format!("SISMEMBER s {}", String::from_utf8(popped).unwrap())), ":0\r\n");
    assert_eq!(e.spop_count(0, b"s", 10).unwrap().len(), 3);
    assert_eq!(resp(&mut e, c, "SCARD s"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "SET str v"), "+OK\r\n");
    assert_eq!(e.sadd(0, b"str", &[b"a"]), Err(redlet::Error::WrongType));
    assert_eq!(e.sinter(0, &[b"t", b"str"]), Err(redlet::Error::WrongType));
    assert_eq!(e.sadd(0, b"empty", &[]).unwrap(), 0);
    assert_eq!(resp(&mut e, c, "GET empty"), "$-1\r\n", "no empty set is created");
}
