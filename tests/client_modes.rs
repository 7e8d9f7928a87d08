//! CLIENT REPLY (and the other per-client modes of issue 13). Expected
//! byte streams are redis-server 7.0.15's for the same pipelines.

mod common;

use common::*;
use redlet::Protocol;

/// Runs each line for client `c` and concatenates what the client receives
/// (replies and pushes, in order), as a connection would.
fn stream(e: &mut redlet::Engine, c: redlet::ClientId, lines: &[&str]) -> String {
    let mut out = Vec::new();
    for l in lines {
        let a = argv(l);
        let refs: Vec<&[u8]> = a.iter().map(|v| v.as_slice()).collect();
        if let Some(r) = e.execute(c, &refs) {
            out.extend(r.to_resp(Protocol::Resp2));
        }
        while let Some(r) = e.pop_output(c) {
            out.extend(r.to_resp(Protocol::Resp2));
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn client_reply_off_and_skip_drop_replies_but_not_pushes() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    let got = stream(&mut e, c, &[
        "CLIENT REPLY OFF", "SET a 1", "GET a", "CLIENT REPLY SKIP", "CLIENT REPLY ON", "GET a",
        "CLIENT REPLY SKIP", "GET a", "GET a",
        "SUBSCRIBE ch", "UNSUBSCRIBE ch", "CLIENT REPLY SKIP", "SUBSCRIBE c2", "PING", "UNSUBSCRIBE",
        "CLIENT REPLY foo", "CLIENT REPLY SKIP", "CLIENT REPLY OFF", "GET a", "CLIENT REPLY ON",
        "RESET", "CLIENT REPLY OFF", "RESET", "GET a",
    ]);
    assert_eq!(got, concat!(
        "+OK\r\n$1\r\n1\r\n$1\r\n1\r\n",
        "*3\r\n$9\r\nsubscribe\r\n$2\r\nch\r\n:1\r\n*3\r\n$11\r\nunsubscribe\r\n$2\r\nch\r\n:0\r\n",
        "*3\r\n$9\r\nsubscribe\r\n$2\r\nc2\r\n:1\r\n*2\r\n$4\r\npong\r\n$0\r\n\r\n*3\r\n$11\r\nunsubscribe\r\n$2\r\nc2\r\n:0\r\n",
        "-ERR syntax error\r\n+OK\r\n+RESET\r\n+RESET\r\n$1\r\n1\r\n",
    ));
}

#[test]
fn client_reply_skip_covers_a_blocked_commands_late_reply() {
    let (mut e, clock) = engine();
    let c = client(&mut e);
    let d = client(&mut e);
    assert_eq!(stream(&mut e, c, &["CLIENT REPLY SKIP", "BLPOP l 0.1"]), "");
    clock.advance_ms(200);
    e.tick();
    assert_eq!(stream(&mut e, c, &["PING"]), "+PONG\r\n");
    // Served by another client's push: still dropped, and the SKIP is over.
    assert_eq!(stream(&mut e, c, &["CLIENT REPLY SKIP", "BLPOP l 0"]), "");
    assert_eq!(stream(&mut e, d, &["RPUSH l x"]), ":1\r\n");
    assert_eq!(stream(&mut e, c, &["PING"]), "+PONG\r\n");
    assert_eq!(stream(&mut e, c, &["LLEN l"]), ":0\r\n");
}

#[test]
fn role_is_a_master_without_replicas() {
    let (mut e, _clock) = engine();
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "ROLE"), "*3\r\n$6\r\nmaster\r\n:0\r\n*0\r\n");
    assert_eq!(resp(&mut e, c, "ROLE x"), "-ERR wrong number of arguments for 'role' command\r\n");
}
