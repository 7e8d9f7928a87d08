//! List commands through `execute`, replies checked byte for byte against
//! Redis 7.0.15 (each assertion's expected text was produced by a real
//! redis-server given the same commands).
mod common;
use common::*;
use redlet::cmd::lists::{End, LposOptions};
use redlet::{Protocol, Reply};

/// LPUSH/RPUSH/LPUSHX/RPUSHX: lengths, order, wrong types, arity.
#[test]
fn push_family() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "LPUSH l a b c"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "RPUSH l d e"), ":5\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE l 0 -1"), "*5\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nd\r\n$1\r\ne\r\n");
    assert_eq!(resp(&mut e, c, "LPUSHX l 0 -1"), ":7\r\n");
    assert_eq!(resp(&mut e, c, "RPUSHX l z"), ":8\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE l 0 -1"), "*8\r\n$2\r\n-1\r\n$1\r\n0\r\n$1\r\nc\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nd\r\n$1\r\ne\r\n$1\r\nz\r\n");
    assert_eq!(resp(&mut e, c, "LPUSHX nokey a"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "RPUSHX nokey a b"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "LLEN nokey"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "RPUSH n 1 2 3 10 -5 9223372036854775807 -9223372036854775808 18446744073709551616 3.5 007"), ":10\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE n 0 -1"), "*10\r\n$1\r\n1\r\n$1\r\n2\r\n$1\r\n3\r\n$2\r\n10\r\n$2\r\n-5\r\n$19\r\n9223372036854775807\r\n$20\r\n-9223372036854775808\r\n$20\r\n18446744073709551616\r\n$3\r\n3.5\r\n$3\r\n007\r\n");
    assert_eq!(resp(&mut e, c, "SET s v"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "LPUSH s a"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "RPUSH s a"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "LPUSHX s a"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "RPUSHX s a"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "LPUSH l"), "-ERR wrong number of arguments for 'lpush' command\r\n");
    assert_eq!(resp(&mut e, c, "RPUSH"), "-ERR wrong number of arguments for 'rpush' command\r\n");
    assert_eq!(resp(&mut e, c, "LPUSHX l"), "-ERR wrong number of arguments for 'lpushx' command\r\n");
    assert_eq!(resp(&mut e, c, "GET s"), "$1\r\nv\r\n");
}
/// LPOP/RPOP with and without count (7.0 semantics).
#[test]
fn pop_family() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "LPOP nokey"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "RPOP nokey"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "LPOP nokey 0"), "*-1\r\n");
    assert_eq!(resp(&mut e, c, "RPOP nokey 3"), "*-1\r\n");
    assert_eq!(resp(&mut e, c, "LPOP nokey -1"), "-ERR value is out of range, must be positive\r\n");
    assert_eq!(resp(&mut e, c, "LPOP nokey x"), "-ERR value is out of range, must be positive\r\n");
    assert_eq!(resp(&mut e, c, "LPOP nokey 1 2"), "-ERR wrong number of arguments for 'lpop' command\r\n");
    assert_eq!(resp(&mut e, c, "RPOP nokey 1 2"), "-ERR wrong number of arguments for 'rpop' command\r\n");
    assert_eq!(resp(&mut e, c, "SET s v"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "LPOP s"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "LPOP s 0"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "RPOP s 2"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "LPOP s -1"), "-ERR value is out of range, must be positive\r\n");
    assert_eq!(resp(&mut e, c, "RPUSH l a b c d e"), ":5\r\n");
    assert_eq!(resp(&mut e, c, "LPOP l 0"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "LPOP l"), "$1\r\na\r\n");
    assert_eq!(resp(&mut e, c, "RPOP l"), "$1\r\ne\r\n");
    assert_eq!(resp(&mut e, c, "RPOP l 2"), "*2\r\n$1\r\nd\r\n$1\r\nc\r\n");
    assert_eq!(resp(&mut e, c, "LPOP l 10"), "*1\r\n$1\r\nb\r\n");
    assert_eq!(resp(&mut e, c, "LLEN l"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "LPOP l"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "LPOP l 1"), "*-1\r\n");
    assert_eq!(resp(&mut e, c, "RPUSH l a"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "RPOP l 1"), "*1\r\n$1\r\na\r\n");
    assert_eq!(resp(&mut e, c, "RPUSH l a b"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "LPOP l 9223372036854775807"), "*2\r\n$1\r\na\r\n$1\r\nb\r\n");
    assert_eq!(resp(&mut e, c, "LPOP l 9223372036854775808"), "-ERR value is out of range, must be positive\r\n");
    assert_eq!(resp(&mut e, c, "RPOP l 3.0"), "-ERR value is out of range, must be positive\r\n");
}
/// LLEN, LRANGE and LINDEX index arithmetic, extremes included.
#[test]
fn llen_lrange_lindex() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "RPUSH l a b c d e"), ":5\r\n");
    assert_eq!(resp(&mut e, c, "LLEN l"), ":5\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE l 0 -1"), "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE l 1 2"), "*2\r\n$1\r\nb\r\n$1\r\nc\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE l -2 -1"), "*2\r\n$1\r\nd\r\n$1\r\ne\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE l -100 100"), "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE l -100 -3"), "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE l 3 1"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE l 5 10"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE l -1 -2"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE l 0 0"), "*1\r\n$1\r\na\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE l -9223372036854775808 9223372036854775807"), "*5\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE l 9223372036854775807 -9223372036854775808"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE l -9223372036854775808 -9223372036854775808"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE l 9223372036854775807 9223372036854775807"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE l 0 9223372036854775808"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE l x 1"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE nokey 0 -1"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE nokey x 1"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "LINDEX l 0"), "$1\r\na\r\n");
    assert_eq!(resp(&mut e, c, "LINDEX l 4"), "$1\r\ne\r\n");
    assert_eq!(resp(&mut e, c, "LINDEX l 5"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "LINDEX l -1"), "$1\r\ne\r\n");
    assert_eq!(resp(&mut e, c, "LINDEX l -5"), "$1\r\na\r\n");
    assert_eq!(resp(&mut e, c, "LINDEX l -6"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "LINDEX l -9223372036854775808"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "LINDEX l 9223372036854775807"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "LINDEX l x"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "LINDEX nokey x"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "LINDEX nokey 0"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "SET s v"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "LLEN s"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE s 0 -1"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE s x 1"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "LINDEX s 0"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "LINDEX s x"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
}
/// LSET: check order key, type, index; out of range.
#[test]
fn lset() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "LSET nokey 0 v"), "-ERR no such key\r\n");
    assert_eq!(resp(&mut e, c, "LSET nokey x v"), "-ERR no such key\r\n");
    assert_eq!(resp(&mut e, c, "RPUSH l a b c"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "LSET l 0 A"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "LSET l -1 C"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "LSET l 3 v"), "-ERR index out of range\r\n");
    assert_eq!(resp(&mut e, c, "LSET l -4 v"), "-ERR index out of range\r\n");
    assert_eq!(resp(&mut e, c, "LSET l -9223372036854775808 v"), "-ERR index out of range\r\n");
    assert_eq!(resp(&mut e, c, "LSET l 9223372036854775807 v"), "-ERR index out of range\r\n");
    assert_eq!(resp(&mut e, c, "LSET l x v"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE l 0 -1"), "*3\r\n$1\r\nA\r\n$1\r\nb\r\n$1\r\nC\r\n");
    assert_eq!(resp(&mut e, c, "SET s v"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "LSET s 0 v"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "LSET s x v"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
}
/// LINSERT: where parsed first, pivot search from the head.
#[test]
fn linsert() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "LINSERT nokey middle a b"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "LINSERT nokey before a b"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "RPUSH l a b a c"), ":4\r\n");
    assert_eq!(resp(&mut e, c, "LINSERT l BEFORE a x"), ":5\r\n");
    assert_eq!(resp(&mut e, c, "LINSERT l after a y"), ":6\r\n");
    assert_eq!(resp(&mut e, c, "LINSERT l after c z"), ":7\r\n");
    assert_eq!(resp(&mut e, c, "LINSERT l before zz w"), ":-1\r\n");
    assert_eq!(resp(&mut e, c, "LINSERT l middle a b"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE l 0 -1"), "*7\r\n$1\r\nx\r\n$1\r\na\r\n$1\r\ny\r\n$1\r\nb\r\n$1\r\na\r\n$1\r\nc\r\n$1\r\nz\r\n");
    assert_eq!(resp(&mut e, c, "SET s v"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "LINSERT s before a b"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "LINSERT s middle a b"), "-ERR syntax error\r\n");
}
/// LREM from head, from tail, all; count extremes.
#[test]
fn lrem() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "LREM nokey 0 a"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "LREM nokey x a"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "RPUSH l a b a c a b a"), ":7\r\n");
    assert_eq!(resp(&mut e, c, "LREM l 2 a"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE l 0 -1"), "*5\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\na\r\n");
    assert_eq!(resp(&mut e, c, "LREM l -1 b"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE l 0 -1"), "*4\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\na\r\n");
    assert_eq!(resp(&mut e, c, "LREM l 0 zz"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "LREM l x a"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "LREM l -9223372036854775808 a"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE l 0 -1"), "*2\r\n$1\r\nb\r\n$1\r\nc\r\n");
    assert_eq!(resp(&mut e, c, "LREM l 9223372036854775807 b"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "LREM l 0 c"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "LLEN l"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "SET s v"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "LREM s 0 v"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "LREM s x v"), "-ERR value is not an integer or out of range\r\n");
}
/// LTRIM keeps a range; an empty result deletes the key.
#[test]
fn ltrim() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "LTRIM nokey 0 1"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "LTRIM nokey x 1"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "RPUSH l a b c d e f"), ":6\r\n");
    assert_eq!(resp(&mut e, c, "LTRIM l 1 -2"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE l 0 -1"), "*4\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\nd\r\n$1\r\ne\r\n");
    assert_eq!(resp(&mut e, c, "LTRIM l -2 100"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE l 0 -1"), "*2\r\n$1\r\nd\r\n$1\r\ne\r\n");
    assert_eq!(resp(&mut e, c, "LTRIM l -9223372036854775808 9223372036854775807"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE l 0 -1"), "*2\r\n$1\r\nd\r\n$1\r\ne\r\n");
    assert_eq!(resp(&mut e, c, "LTRIM l x 0"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "LTRIM l 1 0"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "LLEN l"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "RPUSH l a b"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "LTRIM l 9223372036854775807 -9223372036854775808"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "LLEN l"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "SET s v"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "LTRIM s 0 1"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "LTRIM s x 1"), "-ERR value is not an integer or out of range\r\n");
}
/// LPOS with RANK, COUNT and MAXLEN, errors included.
#[test]
fn lpos() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "RPUSH l a b c a b c a"), ":7\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l a"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l b"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l z"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l a RANK 2"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l a RANK -1"), ":6\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l a RANK -3"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l a RANK 4"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l a COUNT 0"), "*3\r\n:0\r\n:3\r\n:6\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l a COUNT 2"), "*2\r\n:0\r\n:3\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l a COUNT 2 RANK 2"), "*2\r\n:3\r\n:6\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l a RANK -2 COUNT 0"), "*2\r\n:3\r\n:0\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l z COUNT 0"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l c MAXLEN 2"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l c MAXLEN 3"), ":2\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l a RANK -1 MAXLEN 1"), ":6\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l a COUNT 0 MAXLEN 4"), "*2\r\n:0\r\n:3\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l a RANK 2 RANK 3"), ":6\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l a COUNT 1 COUNT 0"), "*3\r\n:0\r\n:3\r\n:6\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l a RANK 0"), "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l a RANK x"), "-ERR value is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l a RANK -9223372036854775808"), ":6\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l a RANK -9223372036854775808 COUNT 1"), "*3\r\n:6\r\n:3\r\n:0\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l a RANK -9223372036854775808 COUNT 2 MAXLEN 5"), "*2\r\n:6\r\n:3\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l a RANK -9223372036854775807 COUNT 2"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l a RANK 9223372036854775807"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l a RANK 9223372036854775807 COUNT 0"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l a COUNT -1"), "-ERR COUNT can't be negative\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l a COUNT x"), "-ERR COUNT can't be negative\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l a MAXLEN -1"), "-ERR MAXLEN can't be negative\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l a MAXLEN x"), "-ERR MAXLEN can't be negative\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l a RANK"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l a COUNT"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "LPOS l a bogus 1"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "LPOS nokey a"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "LPOS nokey a COUNT 1"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "LPOS nokey a RANK 0"), "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n");
    assert_eq!(resp(&mut e, c, "SET s v"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "LPOS s a"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "LPOS s a COUNT 0"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "LPOS s a RANK 0"), "-ERR RANK can't be zero: use 1 to start from the first match, 2 from the second ... or use negative to start from the end of the list\r\n");
}
/// LMOVE and RPOPLPUSH: directions, same key, wrong types.
#[test]
fn lmove_rpoplpush() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "RPUSH src 1 2 3"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "LMOVE src dst LEFT RIGHT"), "$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "LMOVE src dst right left"), "$1\r\n3\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE dst 0 -1"), "*2\r\n$1\r\n3\r\n$1\r\n1\r\n");
    assert_eq!(resp(&mut e, c, "LMOVE src dst RIGHT RIGHT"), "$1\r\n2\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE dst 0 -1"), "*3\r\n$1\r\n3\r\n$1\r\n1\r\n$1\r\n2\r\n");
    assert_eq!(resp(&mut e, c, "LLEN src"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "LMOVE src dst left left"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "RPUSH l a b c"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "LMOVE l l LEFT RIGHT"), "$1\r\na\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE l 0 -1"), "*3\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\na\r\n");
    assert_eq!(resp(&mut e, c, "LMOVE l l RIGHT LEFT"), "$1\r\na\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE l 0 -1"), "*3\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
    assert_eq!(resp(&mut e, c, "RPOPLPUSH l l"), "$1\r\nc\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE l 0 -1"), "*3\r\n$1\r\nc\r\n$1\r\na\r\n$1\r\nb\r\n");
    assert_eq!(resp(&mut e, c, "RPOPLPUSH l new"), "$1\r\nb\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE new 0 -1"), "*1\r\n$1\r\nb\r\n");
    assert_eq!(resp(&mut e, c, "LMOVE l new up left"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "LMOVE l new left down"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "LMOVE nokey new up left"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "RPOPLPUSH nokey new"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "SET s v"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "LMOVE s l left left"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "LMOVE l s left left"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "LMOVE nokey s left left"), "$-1\r\n");
    assert_eq!(resp(&mut e, c, "RPOPLPUSH s l"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "RPOPLPUSH l s"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE l 0 -1"), "*2\r\n$1\r\nc\r\n$1\r\na\r\n");
    assert_eq!(resp(&mut e, c, "RPUSH one x"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "LMOVE one one left left"), "$1\r\nx\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE one 0 -1"), "*1\r\n$1\r\nx\r\n");
    assert_eq!(resp(&mut e, c, "RPOPLPUSH one other"), "$1\r\nx\r\n");
    assert_eq!(resp(&mut e, c, "LLEN one"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE other 0 -1"), "*1\r\n$1\r\nx\r\n");
}
/// LMPOP parsing order and replies.
#[test]
fn lmpop() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "RPUSH l a b c d e"), ":5\r\n");
    assert_eq!(resp(&mut e, c, "LMPOP 1 l LEFT"), "*2\r\n$1\r\nl\r\n*1\r\n$1\r\na\r\n");
    assert_eq!(resp(&mut e, c, "LMPOP 1 l RIGHT COUNT 2"), "*2\r\n$1\r\nl\r\n*2\r\n$1\r\ne\r\n$1\r\nd\r\n");
    assert_eq!(resp(&mut e, c, "LMPOP 2 nokey l left count 10"), "*2\r\n$1\r\nl\r\n*2\r\n$1\r\nb\r\n$1\r\nc\r\n");
    assert_eq!(resp(&mut e, c, "LLEN l"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "LMPOP 2 nokey l left"), "*-1\r\n");
    assert_eq!(resp(&mut e, c, "LMPOP 0 l left"), "-ERR numkeys should be greater than 0\r\n");
    assert_eq!(resp(&mut e, c, "LMPOP -1 l left"), "-ERR numkeys should be greater than 0\r\n");
    assert_eq!(resp(&mut e, c, "LMPOP x l left"), "-ERR numkeys should be greater than 0\r\n");
    assert_eq!(resp(&mut e, c, "LMPOP 1 l"), "-ERR wrong number of arguments for 'lmpop' command\r\n");
    assert_eq!(resp(&mut e, c, "LMPOP 2 l left"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "LMPOP 9223372036854775807 l left"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "LMPOP 1 l middle"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "LMPOP 1 l left count 0"), "-ERR count should be greater than 0\r\n");
    assert_eq!(resp(&mut e, c, "LMPOP 1 l left count -1"), "-ERR count should be greater than 0\r\n");
    assert_eq!(resp(&mut e, c, "LMPOP 1 l left count x"), "-ERR count should be greater than 0\r\n");
    assert_eq!(resp(&mut e, c, "LMPOP 1 l left count 1 count 1"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "LMPOP 1 l left count"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "LMPOP 1 l left bogus"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "SET s v"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "RPUSH l2 x"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "LMPOP 2 s l2 left"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "LMPOP 2 l2 s left"), "*2\r\n$2\r\nl2\r\n*1\r\n$1\r\nx\r\n");
    assert_eq!(resp(&mut e, c, "LMPOP 2 l2 s left"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "LMPOP 1 nokey left"), "*-1\r\n");
}
/// Blocking commands that find data answer at once; argument errors.
#[test]
fn blocking_commands_with_data() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "RPUSH l a b c"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "BLPOP l 0"), "*2\r\n$1\r\nl\r\n$1\r\na\r\n");
    assert_eq!(resp(&mut e, c, "BRPOP nokey l 0"), "*2\r\n$1\r\nl\r\n$1\r\nc\r\n");
    assert_eq!(resp(&mut e, c, "BLMPOP 0 2 nokey l RIGHT COUNT 5"), "*2\r\n$1\r\nl\r\n*1\r\n$1\r\nb\r\n");
    assert_eq!(resp(&mut e, c, "RPUSH l a b c"), ":3\r\n");
    assert_eq!(resp(&mut e, c, "BLMOVE l dst LEFT RIGHT 0"), "$1\r\na\r\n");
    assert_eq!(resp(&mut e, c, "BRPOPLPUSH l dst 0"), "$1\r\nc\r\n");
    assert_eq!(resp(&mut e, c, "LRANGE dst 0 -1"), "*2\r\n$1\r\nc\r\n$1\r\na\r\n");
    assert_eq!(resp(&mut e, c, "BLMPOP 0 1 l left"), "*2\r\n$1\r\nl\r\n*1\r\n$1\r\nb\r\n");
    assert_eq!(resp(&mut e, c, "BLPOP l x"), "-ERR timeout is not a float or out of range\r\n");
    assert_eq!(resp(&mut e, c, "BLPOP l -1"), "-ERR timeout is negative\r\n");
    assert_eq!(resp(&mut e, c, "BLPOP l"), "-ERR wrong number of arguments for 'blpop' command\r\n");
    assert_eq!(resp(&mut e, c, "BLPOP nokey inf"), "-ERR timeout is negative\r\n");
    assert_eq!(resp(&mut e, c, "BLPOP nokey 1e16"), "-ERR timeout is negative\r\n");
    assert_eq!(resp(&mut e, c, "BLPOP nokey nan"), "-ERR timeout is not a float or out of range\r\n");
    assert_eq!(resp(&mut e, c, "BRPOP nokey 9223372036854775807"), "-ERR timeout is negative\r\n");
    assert_eq!(resp(&mut e, c, "BLMOVE l dst middle left 0"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "BLMOVE l dst left left x"), "-ERR timeout is not a float or out of range\r\n");
    assert_eq!(resp(&mut e, c, "BLMOVE l dst left left -1"), "-ERR timeout is negative\r\n");
    assert_eq!(resp(&mut e, c, "BRPOPLPUSH l dst x"), "-ERR timeout is not a float or out of range\r\n");
    assert_eq!(resp(&mut e, c, "BLMPOP x 1 l left"), "-ERR timeout is not a float or out of range\r\n");
    assert_eq!(resp(&mut e, c, "BLMPOP -1 1 l left"), "-ERR timeout is negative\r\n");
    assert_eq!(resp(&mut e, c, "BLMPOP 0 0 l left"), "-ERR numkeys should be greater than 0\r\n");
    assert_eq!(resp(&mut e, c, "BLMPOP x 0 l left"), "-ERR numkeys should be greater than 0\r\n");
    assert_eq!(resp(&mut e, c, "BLMPOP 0 2 l left"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "BLMPOP 0 1 l middle"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, c, "BLMPOP 0 1 l left count 0"), "-ERR count should be greater than 0\r\n");
    assert_eq!(resp(&mut e, c, "SET s v"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "BLPOP s 0"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "BLPOP nokey s 0"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "BLPOP s x"), "-ERR timeout is not a float or out of range\r\n");
    assert_eq!(resp(&mut e, c, "BLMOVE s dst left left 0"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "RPUSH l x"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "BLMOVE l s left left 0"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "BRPOPLPUSH s l 0"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "BLMPOP 0 2 nokey s left"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(resp(&mut e, c, "BLMPOP x 2 nokey s left"), "-ERR timeout is not a float or out of range\r\n");
}

/// Renders a reply as RESP3 text.
fn resp3(e: &mut redlet::Engine, c: redlet::ClientId, line: &str) -> String {
    String::from_utf8_lossy(&run(e, c, line).to_resp(Protocol::Resp3)).into_owned()
}

/// Null replies in RESP3 (checked with a HELLO 3 connection).
#[test]
fn resp3_nulls() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp3(&mut e, c, "LPOP x"), "_\r\n");
    assert_eq!(resp3(&mut e, c, "LPOP x 2"), "_\r\n");
    assert_eq!(resp3(&mut e, c, "LMPOP 1 x left"), "_\r\n");
    assert_eq!(resp3(&mut e, c, "LPOS x a"), "_\r\n");
    assert_eq!(resp3(&mut e, c, "LPOS x a COUNT 0"), "*0\r\n");
    assert_eq!(resp3(&mut e, c, "LINDEX x 0"), "_\r\n");
    assert_eq!(resp3(&mut e, c, "LMOVE x y left left"), "_\r\n");
    assert_eq!(resp3(&mut e, c, "RPUSH l a b"), ":2\r\n");
    assert_eq!(resp3(&mut e, c, "LPOS l b COUNT 0"), "*1\r\n:1\r\n");
    assert_eq!(resp3(&mut e, c, "LMPOP 1 l left"), "*2\r\n$1\r\nl\r\n*1\r\n$1\r\na\r\n");
}

/// `Engine::command` may not block: blocking commands answer like inside
/// MULTI (null array, or null bulk for BLMOVE/BRPOPLPUSH), as Redis 7.0 does.
#[test]
fn command_entry_point_never_blocks() {
    let (mut e, _clock) = engine();
    assert_eq!(e.command(&[b"BLPOP", b"x", b"0"]), Reply::NilArray);
    assert_eq!(e.command(&[b"BRPOP", b"x", b"y", b"0"]), Reply::NilArray);
    assert_eq!(e.command(&[b"BLMPOP", b"0", b"1", b"x", b"left"]), Reply::NilArray);
    assert_eq!(e.command(&[b"BLMOVE", b"x", b"y", b"left", b"left", b"0"]), Reply::Nil);
    assert_eq!(e.command(&[b"BRPOPLPUSH", b"x", b"y", b"0"]), Reply::Nil);
    assert_eq!(e.command(&[b"BLPOP", b"x", b"-1"]), Reply::Error(redlet::Error::TimeoutNegative));
    assert_eq!(e.blocked_clients(), 0);
}

/// Binary-safe elements, including empty ones and ones larger than a node.
#[test]
fn binary_and_large_elements() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    let big = vec![b'x'; 20_000];
    let mid = vec![b'y'; 5_000];
    let bin: &[u8] = b"a\0b\r\n";
    assert_eq!(run_argv(&mut e, c, &[b"RPUSH", b"l", b"", bin, &big, b"s"]), Some(Reply::Int(4)));
    assert_eq!(run_argv(&mut e, c, &[b"LPUSH", b"l", &mid]), Some(Reply::Int(5)));
    assert_eq!(run_argv(&mut e, c, &[b"LINDEX", b"l", b"1"]), Some(Reply::Bulk(vec![])));
    assert_eq!(run_argv(&mut e, c, &[b"LINDEX", b"l", b"2"]), Some(Reply::Bulk(bin.to_vec())));
    assert_eq!(run_argv(&mut e, c, &[b"LPOS", b"l", &big]), Some(Reply::Int(3)));
    assert_eq!(run_argv(&mut e, c, &[b"LSET", b"l", b"1", &big]), Some(Reply::ok()));
    assert_eq!(run_argv(&mut e, c, &[b"LINSERT", b"l", b"AFTER", b"s", &mid]), Some(Reply::Int(6)));
    assert_eq!(run_argv(&mut e, c, &[b"LREM", b"l", b"0", &big]), Some(Reply::Int(2)));
    let want = Reply::Array(vec![Reply::Bulk(mid.clone()), Reply::Bulk(bin.to_vec()), Reply::Bulk(b"s".to_vec()), Reply::Bulk(mid.clone())]);
    assert_eq!(run_argv(&mut e, c, &[b"LRANGE", b"l", b"0", b"-1"]), Some(want));
}

/// A long list through the command layer against a simple model: pushes at
/// both ends, LSET/LINSERT/LREM/LTRIM/LPOS in the middle.
#[test]
fn long_list_matches_model() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    let mut model: std::collections::VecDeque<Vec<u8>> = Default::default();
    let mut seed = 12345u64;
    let mut rnd = move |n: u64| {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) % n
    };
    for i in 0..3000u64 {
        let v = format!("v{}", rnd(50)).into_bytes();
        match rnd(8) {
            0..=2 => {
                run_argv(&mut e, c, &[b"RPUSH", b"l", &v]);
                model.push_back(v);
            }
            3 | 4 => {
                run_argv(&mut e, c, &[b"LPUSH", b"l", &v]);
                model.push_front(v);
            }
            5 if !model.is_empty() => {
                let idx = rnd(model.len() as u64) as usize;
                let arg = format!("{}", idx as i64 - model.len() as i64 * (i % 2) as i64);
                assert_eq!(run_argv(&mut e, c, &[b"LSET", b"l", arg.as_bytes(), &v]), Some(Reply::ok()));
                model[idx] = v;
            }
            6 if !model.is_empty() => {
                let pivot = model[rnd(model.len() as u64) as usize].clone();
                let pos = model.iter().position(|x| *x == pivot).unwrap();
                let r = run_argv(&mut e, c, &[b"LINSERT", b"l", b"BEFORE", &pivot, &v]);
                model.insert(pos, v);
                assert_eq!(r, Some(Reply::Int(model.len() as i64)));
            }
            7 if i % 10 == 0 => {
                let r = run_argv(&mut e, c, &[b"LREM", b"l", b"-2", &v]);
                let mut n = 0;
                let mut j = model.len();
                while j > 0 && n < 2 {
                    j -= 1;
                    if model[j] == v {
                        model.remove(j);
                        n += 1;
                    }
                }
                assert_eq!(r, Some(Reply::Int(n)));
            }
            _ => {}
        }
    }
    let all = Reply::Array(model.iter().map(|v| Reply::Bulk(v.clone())).collect());
    assert_eq!(run_argv(&mut e, c, &[b"LRANGE", b"l", b"0", b"-1"]), Some(all));
    let len = model.len();
    assert_eq!(run(&mut e, c, "LLEN l"), Reply::Int(len as i64));
    assert_eq!(run(&mut e, c, "LINDEX l 1000"), Reply::Bulk(model[1000].clone()));
    assert_eq!(run(&mut e, c, "LINDEX l -1000"), Reply::Bulk(model[len - 1000].clone()));
    let want: Vec<Reply> = model.iter().enumerate().filter(|(_, v)| v.as_slice() == b"v7").map(|(i, _)| Reply::Int(i as i64)).collect();
    assert_eq!(run(&mut e, c, "LPOS l v7 COUNT 0"), Reply::Array(want));
    assert_eq!(run(&mut e, c, "LTRIM l 100 -101"), Reply::ok());
    let rest: Vec<Reply> = model.iter().skip(100).take(len - 200).map(|v| Reply::Bulk(v.clone())).collect();
    assert_eq!(run(&mut e, c, "LRANGE l 0 -1"), Reply::Array(rest));
}

/// The typed API and `execute` share one implementation.
#[test]
fn typed_api_agrees_with_execute() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    assert_eq!(e.rpush(0, b"l", &[b"a", b"b", b"c"]).unwrap(), 3);
    assert_eq!(e.lpush(0, b"l", &[b"z"]).unwrap(), 4);
    assert_eq!(resp(&mut e, c, "LRANGE l 0 -1"), "*4\r\n$1\r\nz\r\n$1\r\na\r\n$1\r\nb\r\n$1\r\nc\r\n");
    assert_eq!(resp(&mut e, c, "RPUSH l d"), ":5\r\n");
    assert_eq!(e.llen(0, b"l").unwrap(), 5);
    assert_eq!(e.lrange(0, b"l", 1, -2).unwrap(), vec![b"a".to_vec(), b"b".to_vec(), b"c".to_vec()]);
    assert_eq!(e.lindex(0, b"l", -1).unwrap(), Some(b"d".to_vec()));
    assert_eq!(e.lpop(0, b"l").unwrap(), Some(b"z".to_vec()));
    assert_eq!(e.rpop(0, b"l").unwrap(), Some(b"d".to_vec()));
    assert_eq!(e.lpop_count(0, b"l", 0).unwrap(), Some(vec![]));
    assert_eq!(e.lpop_count(0, b"nokey", 2).unwrap(), None);
    assert_eq!(e.lpushx(0, b"nokey", &[b"a"]).unwrap(), 0);
    assert_eq!(e.rpushx(0, b"l", &[b"e"]).unwrap(), 4);
    e.lset(0, b"l", 0, b"A").unwrap();
    assert_eq!(e.lset(0, b"l", 9, b"A"), Err(redlet::Error::IndexOutOfRange));
    assert_eq!(e.lset(0, b"nokey", 0, b"A"), Err(redlet::Error::NoSuchKey));
    assert_eq!(e.linsert(0, b"l", true, b"A", b"a2").unwrap(), 5);
    assert_eq!(resp(&mut e, c, "LRANGE l 0 -1"), "*5\r\n$1\r\nA\r\n$2\r\na2\r\n$1\r\nb\r\n$1\r\nc\r\n$1\r\ne\r\n");
    assert_eq!(e.lrem(0, b"l", 0, b"b").unwrap(), 1);
    assert_eq!(e.lpos(0, b"l", b"c", LposOptions::default()).unwrap(), vec![2]);
    assert!(e.lpos(0, b"l", b"c", LposOptions { rank: 0, ..Default::default() }).is_err());
    assert_eq!(e.lmove(0, b"l", b"m", End::Left, End::Right).unwrap(), Some(b"A".to_vec()));
    assert_eq!(e.rpoplpush(0, b"l", b"m").unwrap(), Some(b"e".to_vec()));
    assert_eq!(resp(&mut e, c, "LRANGE m 0 -1"), "*2\r\n$1\r\ne\r\n$1\r\nA\r\n");
    assert_eq!(e.lmpop(0, &[b"nokey", b"m"], End::Right, 5).unwrap(), Some((b"m".to_vec(), vec![b"A".to_vec(), b"e".to_vec()])));
    e.ltrim(0, b"l", 0, 0).unwrap();
    assert_eq!(resp(&mut e, c, "LRANGE l 0 -1"), "*1\r\n$2\r\na2\r\n");
    assert_eq!(resp(&mut e, c, "SET s v"), "+OK\r\n");
    assert_eq!(e.lpush(0, b"s", &[b"x"]), Err(redlet::Error::WrongType));
    assert_eq!(e.llen(0, b"s"), Err(redlet::Error::WrongType));
}

/// A list whose key expires is gone for every list command.
#[test]
fn expired_list_is_missing() {
    let (mut e, clock) = engine();
    let c = client(&mut e);
    // Only SET carries a TTL in this family's tests: overwrite a list with an
    // expiring string, then let it expire, and the key is free again.
    assert_eq!(resp(&mut e, c, "RPUSH k a"), ":1\r\n");
    assert_eq!(resp(&mut e, c, "SET k v PX 100"), "+OK\r\n");
    assert_eq!(resp(&mut e, c, "LLEN k"), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    clock.advance_ms(101);
    assert_eq!(resp(&mut e, c, "LLEN k"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "LPUSHX k a"), ":0\r\n");
    assert_eq!(resp(&mut e, c, "RPUSH k b"), ":1\r\n");
}

/// Commands of other families, when present in this build, see lists as
/// Redis does (each check is skipped while its command is not available).
#[test]
fn other_families_see_lists() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    let has = |e: &mut redlet::Engine, name: &str| resp(e, c, &format!("COMMAND INFO {}", name)) != "*1\r\n$-1\r\n";
    assert_eq!(resp(&mut e, c, "RPUSH l a b"), ":2\r\n");
    if has(&mut e, "object") {
        assert_eq!(resp(&mut e, c, "OBJECT ENCODING l"), "$9\r\nquicklist\r\n");
    }
    if has(&mut e, "type") {
        assert_eq!(resp(&mut e, c, "TYPE l"), "+list\r\n");
    }
    if has(&mut e, "del") {
        assert_eq!(resp(&mut e, c, "DEL l"), ":1\r\n");
        assert_eq!(resp(&mut e, c, "LLEN l"), ":0\r\n");
    }
}
