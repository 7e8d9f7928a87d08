//! Transactions: MULTI EXEC DISCARD WATCH UNWATCH. Multi-client scenarios
//! whose every byte each client receives was recorded from redis-server
//! 7.0.15 (active expiry off, as the engine's clock only moves when told).

mod common;
use common::*;
use redlet::{ClientId, Engine, Reply};

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

fn clients(e: &mut Engine, n: usize) -> Vec<ClientId> {
    (0..n).map(|_| client(e)).collect()
}

#[test]
fn multi_exec_discard_watch() {
    let (mut e, _clock) = engine();
    let cs = clients(&mut e, 4);
    // MULTI / EXEC / DISCARD basics and errors
    st(&mut e, &cs, 0, "EXEC", &["-ERR EXEC without MULTI\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "DISCARD", &["-ERR DISCARD without MULTI\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC x", &["-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["-ERR MULTI calls can not be nested\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "WATCH k", &["-ERR WATCH inside MULTI is not allowed\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "SET a b", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "FOO bar", &["-ERR unknown command 'FOO', with args beginning with: 'bar' \r\n", "", "", ""]);
    st(&mut e, &cs, 0, "GET", &["-ERR wrong number of arguments for 'get' command\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["-EXECABORT Transaction discarded because of previous errors.\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "GET a", &["$-1\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "SET a 1", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC x", &["-EXECABORT Transaction discarded because of: wrong number of arguments for 'exec' command\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["-ERR EXEC without MULTI\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "SET a 1", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "INCR a", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "LPUSH a x", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "GET a", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*4\r\n+OK\r\n:2\r\n-WRONGTYPE Operation against a key holding the wrong kind of value\r\n$1\r\n2\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "SET a 2", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "DISCARD", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "GET a", &["$1\r\n2\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "UNWATCH", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "PING", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*2\r\n+OK\r\n+PONG\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "CONFIG FOO", &["-ERR unknown subcommand 'FOO'. Try CONFIG HELP.\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "SET x y", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["-EXECABORT Transaction discarded because of previous errors.\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*0\r\n", "", "", ""]);
    // queued commands do not block; blocked clients are served after EXEC
    st(&mut e, &cs, 1, "BLPOP q 0", &["", "", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "BLPOP nolist 0", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "RPUSH q 1 2", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "LPOP q", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*3\r\n*-1\r\n:2\r\n$1\r\n1\r\n", "*2\r\n$1\r\nq\r\n$1\r\n2\r\n", "", ""]);
    st(&mut e, &cs, 0, "LRANGE q 0 -1", &["*0\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "DEL q", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*1\r\n:0\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "BLPOP q 0", &["", "", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "RPUSH q x", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "DEL q", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*2\r\n:1\r\n:1\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "RPUSH q y", &[":1\r\n", "*2\r\n$1\r\nq\r\n$1\r\ny\r\n", "", ""]);
    // WATCH
    st(&mut e, &cs, 0, "WATCH k", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "SET k 1", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "GET k", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*-1\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "WATCH k2", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "DEL k2", &["", ":0\r\n", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*0\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "WATCH k", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "SET k 3", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "PING", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*-1\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "WATCH k", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "SET k 5", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*1\r\n+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*0\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "WATCH k nosuch", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "SET other 1", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 1, "EXPIRE nosuch 10", &["", ":0\r\n", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "PING", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*1\r\n+PONG\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "WATCH k", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "SET k 6", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 0, "WATCH k2", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "UNWATCH", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "PING", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*1\r\n+PONG\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "WATCH k", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "SET k 7", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "DISCARD", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "PING", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*1\r\n+PONG\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "WATCH k", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "SET k 8", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "PING", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "WATCH x", &["-ERR WATCH inside MULTI is not allowed\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "DISCARD", &["+OK\r\n", "", "", ""]);
    // another db, SELECT inside MULTI
    st(&mut e, &cs, 0, "SELECT 1", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "WATCH k", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "SET k 9", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "PING", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*1\r\n+PONG\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "SELECT 1", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 1, "SET k 10", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "PING", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*1\r\n+PONG\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "WATCH k", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "SET k 11", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "SELECT 0", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*-1\r\n", "", "", ""]);
    // FLUSHDB, FLUSHALL, SWAPDB
    st(&mut e, &cs, 0, "WATCH zz", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "FLUSHDB", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*0\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "SET zz 1", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 0, "WATCH zz", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "FLUSHDB", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*-1\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "SET zz 1", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 0, "WATCH zz", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "FLUSHALL", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*-1\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "SELECT 1", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 1, "SET sw 1", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 0, "WATCH sw", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "SWAPDB 0 1", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*-1\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "WATCH sw", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "SWAPDB 0 1", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*-1\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "WATCH none", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "SWAPDB 0 1", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*0\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "SELECT 0", &["", "+OK\r\n", "", ""]);
}

#[test]
fn watch_and_expiry() {
    let (mut e, clock) = engine();
    let cs = clients(&mut e, 4);
    // a watched key that expires fails EXEC
    st(&mut e, &cs, 1, "SET e v PX 1000", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 0, "WATCH e", &["+OK\r\n", "", "", ""]);
    clock.advance_ms(1500);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "PING", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*-1\r\n", "", "", ""]);
    // expired and deleted by another client's read: also a change
    st(&mut e, &cs, 1, "SET e v PX 1000", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 0, "WATCH e", &["+OK\r\n", "", "", ""]);
    clock.advance_ms(1500);
    st(&mut e, &cs, 1, "GET e", &["", "$-1\r\n", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*-1\r\n", "", "", ""]);
    // already expired when watched: its expiry is no change
    st(&mut e, &cs, 1, "SET f v PX 1000", &["", "+OK\r\n", "", ""]);
    clock.advance_ms(1500);
    st(&mut e, &cs, 0, "WATCH f", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "PING", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*1\r\n+PONG\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "SET f v PX 1000", &["", "+OK\r\n", "", ""]);
    clock.advance_ms(1500);
    st(&mut e, &cs, 0, "WATCH f", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "EXISTS f", &["", ":0\r\n", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "PING", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*1\r\n+PONG\r\n", "", "", ""]);
    // but writing it is one
    st(&mut e, &cs, 1, "SET g v PX 1000", &["", "+OK\r\n", "", ""]);
    clock.advance_ms(1500);
    st(&mut e, &cs, 0, "WATCH g", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "SET g 2", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*-1\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "SET h v PX 1000", &["", "+OK\r\n", "", ""]);
    clock.advance_ms(1500);
    st(&mut e, &cs, 0, "WATCH h", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "FLUSHDB", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "PING", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*1\r\n+PONG\r\n", "", "", ""]);
    // EXPIRE and PERSIST touch
    st(&mut e, &cs, 1, "SET x foo", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 0, "WATCH x", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "EXPIRE x 10", &["", ":1\r\n", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "PING", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*-1\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "WATCH x", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "PERSIST x", &["", ":1\r\n", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*-1\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "WATCH x", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "PERSIST x", &["", ":0\r\n", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*0\r\n", "", "", ""]);
    // SWAPDB and stale keys
    st(&mut e, &cs, 1, "FLUSHALL", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 1, "SELECT 1", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 1, "SET x foo PX 1000", &["", "+OK\r\n", "", ""]);
    clock.advance_ms(1500);
    st(&mut e, &cs, 0, "SELECT 1", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "WATCH x", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "SWAPDB 0 1", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "PING", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*1\r\n+PONG\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "FLUSHALL", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 1, "SELECT 0", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 1, "SET x foo PX 1000", &["", "+OK\r\n", "", ""]);
    clock.advance_ms(1500);
    st(&mut e, &cs, 0, "WATCH x", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "SWAPDB 0 1", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "PING", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*1\r\n+PONG\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "FLUSHALL", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 1, "SELECT 1", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 1, "SET x foo PX 1000", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 1, "SELECT 0", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 1, "SET x bar PX 1000", &["", "+OK\r\n", "", ""]);
    clock.advance_ms(1500);
    st(&mut e, &cs, 0, "WATCH x", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "SWAPDB 0 1", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "PING", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*1\r\n+PONG\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "SELECT 0", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "FLUSHALL", &["", "+OK\r\n", "", ""]);
    // a dirty client queues nothing (CLIENT LIST multi=0) and discards on EXEC
    st(&mut e, &cs, 1, "SET k 1", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 0, "WATCH k", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "SET k 2", &["", "+OK\r\n", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "SET k 3", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*-1\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "GET k", &["$1\r\n2\r\n", "", "", ""]);
}

/// Closing a client in MULTI, watching keys and subscribed leaves nothing
/// behind; RESET leaves MULTI and forgets watches.
#[test]
fn close_and_reset_clear_transaction_state() {
    let (mut e, _clock) = engine();
    let cs = clients(&mut e, 2);
    let (a, b) = (cs[0], cs[1]);
    run(&mut e, a, "WATCH k j");
    run(&mut e, a, "MULTI");
    run(&mut e, a, "SET k 1");
    e.close_client(a);
    assert_eq!(resp(&mut e, b, "SET k 2"), "+OK\r\n");
    assert_eq!(resp(&mut e, b, "CLIENT LIST").matches("id=").count(), 1);
    let c = client(&mut e);
    run(&mut e, c, "WATCH k");
    run(&mut e, c, "MULTI");
    run(&mut e, c, "SET k 3");
    assert_eq!(resp(&mut e, c, "RESET"), "+RESET\r\n");
    assert_eq!(resp(&mut e, c, "EXEC"), "-ERR EXEC without MULTI\r\n");
    run(&mut e, b, "SET k 4");
    run(&mut e, c, "MULTI");
    assert_eq!(resp(&mut e, c, "EXEC"), "*0\r\n");
    assert_eq!(resp(&mut e, c, "GET k"), "$1\r\n4\r\n");
}

/// The typed WATCH/MULTI API and the engine's own client.
#[test]
fn typed_api_and_internal_client() {
    let (mut e, _clock) = engine();
    let a = client(&mut e);
    let b = client(&mut e);
    e.watch(a, 0, &[b"k"]).unwrap();
    run(&mut e, b, "SET k 1");
    e.multi(a).unwrap();
    assert_eq!(e.multi(a).unwrap_err().to_bytes(), b"ERR MULTI calls can not be nested");
    assert_eq!(e.watch(a, 0, &[b"x"]).unwrap_err().to_bytes(), b"ERR WATCH inside MULTI is not allowed");
    assert_eq!(e.multi_len(a), Some(0));
    assert_eq!(resp(&mut e, a, "EXEC"), "*-1\r\n");
    e.watch(a, 0, &[b"k"]).unwrap();
    run(&mut e, b, "SET k 2");
    e.unwatch(a);
    run(&mut e, a, "MULTI");
    assert_eq!(resp(&mut e, a, "GET k"), "+QUEUED\r\n");
    assert_eq!(resp(&mut e, a, "EXEC"), "*1\r\n$1\r\n2\r\n");
    // The internal client queues too, and never blocks.
    assert_eq!(e.command(&[b"MULTI"]), Reply::ok());
    assert_eq!(e.command(&[b"BLPOP", b"l", b"0"]), Reply::status("QUEUED"));
    assert_eq!(e.command(&[b"EXEC"]), Reply::Array(vec![Reply::NilArray]));
}

/// Writes that only mark a key modified (XDEL, XTRIM) fail EXEC as well.
#[test]
fn watch_sees_modified_only_writes() {
    let (mut e, _clock) = engine();
    let cs = clients(&mut e, 4);
    // stream writes that only mark the key modified still fail EXEC
    st(&mut e, &cs, 1, "XADD s 1-1 f v", &["", "$3\r\n1-1\r\n", "", ""]);
    st(&mut e, &cs, 1, "XADD s 1-2 f v", &["", "$3\r\n1-2\r\n", "", ""]);
    st(&mut e, &cs, 0, "WATCH s", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "XDEL s 1-1", &["", ":1\r\n", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "PING", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*-1\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "WATCH s", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "XDEL s 9-9", &["", ":0\r\n", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "PING", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*1\r\n+PONG\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "WATCH s", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "XTRIM s MAXLEN 0", &["", ":1\r\n", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "PING", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*-1\r\n", "", "", ""]);
}
