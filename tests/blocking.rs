//! Blocking list commands with several clients. Every scenario was run
//! against Redis 7.0.15 with one connection per client, and the replies
//! asserted here are the ones it gave.
mod common;
use common::*;
use redlet::cmd::lists::{push, End};
use redlet::{ClientId, Engine, Protocol};

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

/// Checks that the engine knows `name` (every family is built now, so a
/// missing command fails the test rather than skipping its checks).
fn has(e: &mut Engine, c: ClientId, name: &str) -> bool {
    let known = resp(e, c, &format!("COMMAND INFO {}", name)) != "*1\r\n$-1\r\n";
    assert!(known, "{name} is missing from the command table");
    known
}

#[test]
fn clients_are_served_in_blocking_order() {
    let (mut e, _clock) = engine();
    let (a, b, d, w) = (client(&mut e), client(&mut e), client(&mut e), client(&mut e));
    block(&mut e, a, "BLPOP k 0");
    block(&mut e, b, "BLPOP k 0");
    block(&mut e, d, "BRPOP k 0");
    assert_eq!(e.blocked_clients(), 3);
    // The pusher's reply is the length before anyone is served.
    assert_eq!(resp(&mut e, w, "RPUSH k a b c d"), ":4\r\n");
    let mut woken = e.take_woken();
    woken.sort();
    assert_eq!(woken, vec![a, b, d]);
    assert_eq!(out(&mut e, a), "*2\r\n$1\r\nk\r\n$1\r\na\r\n");
    assert_eq!(out(&mut e, b), "*2\r\n$1\r\nk\r\n$1\r\nb\r\n");
    assert_eq!(out(&mut e, d), "*2\r\n$1\r\nk\r\n$1\r\nd\r\n");
    assert_eq!(out(&mut e, a), "");
    assert_eq!(resp(&mut e, w, "LRANGE k 0 -1"), "*1\r\n$1\r\nc\r\n");
    assert_eq!(e.blocked_clients(), 0);
    assert!(e.take_woken().is_empty());
}

/// LPUSH of several elements completes first; then each waiter takes one.
#[test]
fn multi_element_push_serves_one_element_per_waiter() {
    let (mut e, _clock) = engine();
    let (a, b, w) = (client(&mut e), client(&mut e), client(&mut e));
    block(&mut e, a, "BLPOP k 0");
    block(&mut e, b, "BLPOP k 0");
    assert_eq!(resp(&mut e, w, "LPUSH k a b c"), ":3\r\n");
    assert_eq!(out(&mut e, a), "*2\r\n$1\r\nk\r\n$1\r\nc\r\n");
    assert_eq!(out(&mut e, b), "*2\r\n$1\r\nk\r\n$1\r\nb\r\n");
    assert_eq!(resp(&mut e, w, "LRANGE k 0 -1"), "*1\r\n$1\r\na\r\n");
}

/// A waiter on several keys is served by the key that became ready, not by
/// the first of its keys (here both become ready in one unit, the later
/// key first, as in `MULTI; RPUSH k2 x; RPUSH k1 y; EXEC`).
#[test]
fn waiter_on_several_keys_is_served_by_the_ready_key() {
    let (mut e, _clock) = engine();
    let (a, w) = (client(&mut e), client(&mut e));
    block(&mut e, a, "BLPOP k1 k2 0");
    assert_eq!(resp(&mut e, w, "RPUSH k2 x"), ":1\r\n");
    assert_eq!(out(&mut e, a), "*2\r\n$2\r\nk2\r\n$1\r\nx\r\n");

    block(&mut e, a, "BLPOP k1 k2 0");
    e.with_ctx(0, |cx| {
        push(cx, b"k2", &[b"x"], End::Right, false)?;
        push(cx, b"k1", &[b"y"], End::Right, false)
    })
    .unwrap();
    assert_eq!(out(&mut e, a), "*2\r\n$2\r\nk2\r\n$1\r\nx\r\n");
    assert_eq!(resp(&mut e, w, "LRANGE k1 0 -1"), "*1\r\n$1\r\ny\r\n");
}

/// BLMOVE's push into a key another client waits on serves that client in
/// the same round of serving.
#[test]
fn blmove_chain_serves_the_destination_waiter() {
    let (mut e, _clock) = engine();
    let (a, b, w) = (client(&mut e), client(&mut e), client(&mut e));
    block(&mut e, a, "BLMOVE s d LEFT LEFT 0");
    block(&mut e, b, "BLPOP d 0");
    assert_eq!(resp(&mut e, w, "RPUSH s e1"), ":1\r\n");
    assert_eq!(out(&mut e, a), "$2\r\ne1\r\n");
    assert_eq!(out(&mut e, b), "*2\r\n$1\r\nd\r\n$2\r\ne1\r\n");
    assert_eq!(resp(&mut e, w, "LLEN s"), ":0\r\n");
    assert_eq!(resp(&mut e, w, "LLEN d"), ":0\r\n");

    // BRPOPLPUSH feeding a BRPOP.
    block(&mut e, a, "BRPOPLPUSH s d 0");
    block(&mut e, b, "BRPOP d 0");
    assert_eq!(resp(&mut e, w, "RPUSH s 1 2"), ":2\r\n");
    assert_eq!(out(&mut e, a), "$1\r\n2\r\n");
    assert_eq!(out(&mut e, b), "*2\r\n$1\r\nd\r\n$1\r\n2\r\n");
    assert_eq!(resp(&mut e, w, "LRANGE s 0 -1"), "*1\r\n$1\r\n1\r\n");
    assert_eq!(resp(&mut e, w, "LLEN d"), ":0\r\n");

    // A plain LMOVE creating a waited key serves its waiter.
    block(&mut e, b, "BLPOP d 0");
    assert_eq!(resp(&mut e, w, "LMOVE s d LEFT LEFT"), "$1\r\n1\r\n");
    assert_eq!(out(&mut e, b), "*2\r\n$1\r\nd\r\n$1\r\n1\r\n");
}

/// BLMOVE from a key to itself re-signals the key; the next waiter still
/// gets the element.
#[test]
fn blmove_rotation_then_next_waiter() {
    let (mut e, _clock) = engine();
    let (a, b, w) = (client(&mut e), client(&mut e), client(&mut e));
    block(&mut e, a, "BLMOVE k k LEFT RIGHT 0");
    block(&mut e, b, "BLPOP k 0");
    assert_eq!(resp(&mut e, w, "RPUSH k a"), ":1\r\n");
    assert_eq!(out(&mut e, a), "$1\r\na\r\n");
    assert_eq!(out(&mut e, b), "*2\r\n$1\r\nk\r\n$1\r\na\r\n");
    assert_eq!(resp(&mut e, w, "LLEN k"), ":0\r\n");
}

/// A BLMOVE whose destination holds another type is answered WRONGTYPE when
/// served (nothing moves), and the next waiter is served.
#[test]
fn blmove_wrong_destination_when_served() {
    let (mut e, _clock) = engine();
    let (a, b, w) = (client(&mut e), client(&mut e), client(&mut e));
    assert_eq!(resp(&mut e, w, "SET d str"), "+OK\r\n");
    assert_eq!(resp(&mut e, w, "CONFIG RESETSTAT"), "+OK\r\n");
    block(&mut e, a, "BLMOVE s d LEFT LEFT 0");
    block(&mut e, b, "BLPOP s 0");
    assert_eq!(resp(&mut e, w, "RPUSH s e1"), ":1\r\n");
    assert_eq!(out(&mut e, a), "-WRONGTYPE Operation against a key holding the wrong kind of value\r\n");
    assert_eq!(out(&mut e, b), "*2\r\n$1\r\ns\r\n$2\r\ne1\r\n");
    assert_eq!(resp(&mut e, w, "LLEN s"), ":0\r\n");
    // Redis 7.0 counts the blocking call once (when it blocked) and its
    // failure when served.
    let stats = resp(&mut e, w, "INFO commandstats");
    assert!(stats.contains("cmdstat_blmove:calls=1,"), "{stats}");
    assert!(stats.contains("failed_calls=1\r\n"), "{stats}");
    assert!(resp(&mut e, w, "INFO errorstats").contains("errorstat_WRONGTYPE:count=1\r\n"));
}

/// A served blocking command counts one call (made when it blocked).
#[test]
fn served_command_is_counted_once() {
    let (mut e, _clock) = engine();
    let (a, w) = (client(&mut e), client(&mut e));
    assert_eq!(resp(&mut e, w, "CONFIG RESETSTAT"), "+OK\r\n");
    block(&mut e, a, "BLPOP k 0");
    assert!(resp(&mut e, w, "INFO commandstats").contains("cmdstat_blpop:calls=1,"));
    assert_eq!(resp(&mut e, w, "RPUSH k v"), ":1\r\n");
    assert_eq!(out(&mut e, a), "*2\r\n$1\r\nk\r\n$1\r\nv\r\n");
    assert!(resp(&mut e, w, "INFO commandstats").contains("cmdstat_blpop:calls=1,"));
}

#[test]
fn blmpop_waiters_take_their_count() {
    let (mut e, _clock) = engine();
    let (a, b, w) = (client(&mut e), client(&mut e), client(&mut e));
    block(&mut e, a, "BLMPOP 0 2 s1 s2 RIGHT COUNT 2");
    block(&mut e, b, "BLMPOP 0 1 s2 LEFT COUNT 5");
    assert_eq!(resp(&mut e, w, "RPUSH s2 1 2 3 4"), ":4\r\n");
    assert_eq!(out(&mut e, a), "*2\r\n$2\r\ns2\r\n*2\r\n$1\r\n4\r\n$1\r\n3\r\n");
    assert_eq!(out(&mut e, b), "*2\r\n$2\r\ns2\r\n*2\r\n$1\r\n1\r\n$1\r\n2\r\n");
    assert_eq!(resp(&mut e, w, "LLEN s2"), ":0\r\n");
}

/// A key named twice is waited on once.
#[test]
fn duplicate_keys_wait_once() {
    let (mut e, _clock) = engine();
    let (a, w) = (client(&mut e), client(&mut e));
    block(&mut e, a, "BLPOP k k 0");
    assert_eq!(resp(&mut e, w, "RPUSH k 1 2"), ":2\r\n");
    assert_eq!(out(&mut e, a), "*2\r\n$1\r\nk\r\n$1\r\n1\r\n");
    assert_eq!(out(&mut e, a), "");
    assert_eq!(resp(&mut e, w, "LRANGE k 0 -1"), "*1\r\n$1\r\n2\r\n");
}

/// Redis 7.0 does not wake list waiters when the key becomes another type:
/// they stay blocked (no WRONGTYPE), and are served once the key is a list
/// again.
#[test]
fn wrong_type_while_blocked_keeps_waiting() {
    let (mut e, clock) = engine();
    let (a, w) = (client(&mut e), client(&mut e));
    block(&mut e, a, "BLPOP k 0");
    assert_eq!(resp(&mut e, w, "SET k str PX 100"), "+OK\r\n");
    assert!(e.is_blocked(a));
    assert_eq!(out(&mut e, a), "");
    clock.advance_ms(150);
    assert_eq!(resp(&mut e, w, "RPUSH k v"), ":1\r\n");
    assert_eq!(out(&mut e, a), "*2\r\n$1\r\nk\r\n$1\r\nv\r\n");

    // Waiting on two keys, the first turns into a string: the second serves.
    block(&mut e, a, "BLPOP k1 k2 0");
    assert_eq!(resp(&mut e, w, "SET k1 str"), "+OK\r\n");
    assert_eq!(resp(&mut e, w, "RPUSH k2 z"), ":1\r\n");
    assert_eq!(out(&mut e, a), "*2\r\n$2\r\nk2\r\n$1\r\nz\r\n");

    // BLMOVE and BLMPOP waiters likewise.
    block(&mut e, a, "BLMOVE m d LEFT LEFT 0");
    let b = client(&mut e);
    block(&mut e, b, "BLMPOP 0 1 m LEFT");
    assert_eq!(resp(&mut e, w, "SET m str"), "+OK\r\n");
    assert!(e.is_blocked(a) && e.is_blocked(b));
}

#[test]
fn timeouts_have_millisecond_precision() {
    let (mut e, clock) = engine();
    let (a, b, w) = (client(&mut e), client(&mut e), client(&mut e));
    let t0 = e.now_ms();
    block(&mut e, a, "BLPOP k 0.5");
    block(&mut e, b, "BLMOVE k d LEFT LEFT 1.1");
    // The first instant a tick times someone out: just past the deadline.
    assert_eq!(e.next_deadline_ms(), Some(t0 + 501));
    clock.advance_ms(500);
    e.tick();
    assert!(e.is_blocked(a));
    assert!(e.take_woken().is_empty());
    clock.advance_ms(1);
    e.tick();
    assert_eq!(e.take_woken(), vec![a]);
    assert_eq!(out(&mut e, a), "*-1\r\n");
    assert_eq!(e.next_deadline_ms(), Some(t0 + 1101));
    clock.set_ms(t0 + 1100);
    e.tick();
    assert!(e.is_blocked(b));
    clock.set_ms(t0 + 1101);
    e.tick();
    // BLMOVE times out with the null array too (Redis 7.0).
    assert_eq!(out(&mut e, b), "*-1\r\n");
    assert_eq!(e.next_deadline_ms(), None);
    assert_eq!(e.blocked_clients(), 0);
    // A timed-out client left nothing behind: the push stays in the list.
    assert_eq!(resp(&mut e, w, "RPUSH k x"), ":1\r\n");
    assert_eq!(resp(&mut e, w, "LLEN k"), ":1\r\n");
}

#[test]
fn timeout_replies_in_resp3_and_all_commands() {
    let (mut e, clock) = engine();
    let a = client(&mut e);
    for line in ["BLPOP k 0.01", "BRPOP k 0.01", "BLMPOP 0.01 1 k LEFT", "BLMOVE k d LEFT LEFT 0.01", "BRPOPLPUSH k d 0.01"] {
        block(&mut e, a, line);
        clock.advance_ms(11);
        e.tick();
        let r = e.pop_output(a).unwrap();
        assert_eq!(r.to_resp(Protocol::Resp2), b"*-1\r\n".to_vec(), "{line}");
        assert_eq!(r.to_resp(Protocol::Resp3), b"_\r\n".to_vec(), "{line}");
    }
}

/// Timeout 0 (and anything that rounds up to 0 ms, like -0.0001) waits
/// forever; tiny positive timeouts are 1 ms.
#[test]
fn zero_timeout_waits_forever() {
    let (mut e, clock) = engine();
    let (a, b, c) = (client(&mut e), client(&mut e), client(&mut e));
    block(&mut e, a, "BLPOP k 0");
    block(&mut e, b, "BRPOP k -0.0001");
    block(&mut e, c, "BRPOP k 1e-400");
    assert_eq!(e.next_deadline_ms(), Some(e.now_ms() + 2));
    clock.advance_ms(10_000_000);
    e.tick();
    assert!(e.is_blocked(a) && e.is_blocked(b));
    assert_eq!(out(&mut e, c), "*-1\r\n");
    assert_eq!(e.next_deadline_ms(), None);
}

#[test]
fn closing_a_blocked_client_leaves_nothing_behind() {
    let (mut e, _clock) = engine();
    let (a, b, w) = (client(&mut e), client(&mut e), client(&mut e));
    block(&mut e, a, "BLPOP k 5");
    block(&mut e, b, "BLPOP k 0");
    e.close_client(a);
    assert_eq!(e.blocked_clients(), 1);
    assert_eq!(resp(&mut e, w, "RPUSH k x y"), ":2\r\n");
    assert_eq!(out(&mut e, b), "*2\r\n$1\r\nk\r\n$1\r\nx\r\n");
    assert_eq!(resp(&mut e, w, "LRANGE k 0 -1"), "*1\r\n$1\r\ny\r\n");
    assert_eq!(e.next_deadline_ms(), None);
    e.close_client(b);
    assert_eq!(resp(&mut e, w, "RPUSH k z"), ":2\r\n");
    assert_eq!(e.blocked_clients(), 0);
}

/// CLIENT UNBLOCK answers a list waiter with the null array (TIMEOUT) or
/// the UNBLOCKED error (ERROR).
#[test]
fn client_unblock() {
    let (mut e, _clock) = engine();
    let (a, w) = (client(&mut e), client(&mut e));
    block(&mut e, a, "BLMOVE s d LEFT LEFT 0");
    assert_eq!(resp(&mut e, w, &format!("CLIENT UNBLOCK {a} TIMEOUT")), ":1\r\n");
    assert_eq!(out(&mut e, a), "*-1\r\n");
    block(&mut e, a, "BLPOP s 0");
    assert_eq!(resp(&mut e, w, &format!("CLIENT UNBLOCK {a} ERROR")), ":1\r\n");
    assert_eq!(out(&mut e, a), "-UNBLOCKED client unblocked via CLIENT UNBLOCK\r\n");
    assert_eq!(resp(&mut e, w, "RPUSH s v"), ":1\r\n");
    assert_eq!(resp(&mut e, w, "LLEN s"), ":1\r\n");
}

/// A served client can block again; its new wait is independent.
#[test]
fn served_client_blocks_again() {
    let (mut e, _clock) = engine();
    let (a, w) = (client(&mut e), client(&mut e));
    block(&mut e, a, "BRPOP k 1");
    assert_eq!(resp(&mut e, w, "RPUSH k 1"), ":1\r\n");
    assert_eq!(out(&mut e, a), "*2\r\n$1\r\nk\r\n$1\r\n1\r\n");
    assert_eq!(e.next_deadline_ms(), None);
    block(&mut e, a, "BLPOP k 0");
    assert_eq!(resp(&mut e, w, "LPUSH k 2"), ":1\r\n");
    assert_eq!(out(&mut e, a), "*2\r\n$1\r\nk\r\n$1\r\n2\r\n");
}

/// SWAPDB, FLUSHALL, DEL, SELECT and RENAME with waiters (run once those
/// commands exist in the build).
#[test]
fn keyspace_commands_and_waiters() {
    let (mut e, _clock) = engine();
    let (a, w) = (client(&mut e), client(&mut e));
    if has(&mut e, w, "flushall") {
        block(&mut e, a, "BLPOP k 0");
        assert_eq!(resp(&mut e, w, "FLUSHALL"), "+OK\r\n");
        assert!(e.is_blocked(a));
        assert_eq!(resp(&mut e, w, "RPUSH k v"), ":1\r\n");
        assert_eq!(out(&mut e, a), "*2\r\n$1\r\nk\r\n$1\r\nv\r\n");
    }
    if has(&mut e, w, "del") {
        block(&mut e, a, "BLPOP k 0");
        assert_eq!(resp(&mut e, w, "SET k s"), "+OK\r\n");
        assert_eq!(resp(&mut e, w, "DEL k"), ":1\r\n");
        assert_eq!(resp(&mut e, w, "RPUSH k v"), ":1\r\n");
        assert_eq!(out(&mut e, a), "*2\r\n$1\r\nk\r\n$1\r\nv\r\n");
    }
    if has(&mut e, w, "rename") {
        block(&mut e, a, "BLPOP k 0");
        assert_eq!(resp(&mut e, w, "RPUSH k2 z"), ":1\r\n");
        assert_eq!(resp(&mut e, w, "RENAME k2 k"), "+OK\r\n");
        assert_eq!(out(&mut e, a), "*2\r\n$1\r\nk\r\n$1\r\nz\r\n");
    }
    if has(&mut e, w, "select") {
        assert_eq!(resp(&mut e, a, "SELECT 1"), "+OK\r\n");
        block(&mut e, a, "BLPOP k 0");
        assert_eq!(resp(&mut e, w, "RPUSH k v"), ":1\r\n");
        assert!(e.is_blocked(a));
        assert_eq!(resp(&mut e, w, "SELECT 1"), "+OK\r\n");
        assert_eq!(resp(&mut e, w, "RPUSH k w"), ":1\r\n");
        assert_eq!(out(&mut e, a), "*2\r\n$1\r\nk\r\n$1\r\nw\r\n");
        assert_eq!(resp(&mut e, a, "SELECT 0"), "+OK\r\n");
        assert_eq!(resp(&mut e, w, "SELECT 0"), "+OK\r\n");
        if has(&mut e, w, "swapdb") {
            // db 0 has k = [v]; the waiter in db 1 gets it when the dbs swap.
            assert_eq!(resp(&mut e, a, "SELECT 1"), "+OK\r\n");
            assert_eq!(resp(&mut e, a, "LPOP k"), "$-1\r\n");
            block(&mut e, a, "BLPOP k 0");
            assert_eq!(resp(&mut e, w, "SWAPDB 0 1"), "+OK\r\n");
            assert_eq!(out(&mut e, a), "*2\r\n$1\r\nk\r\n$1\r\nv\r\n");
        }
    }
}

/// Blocking inside MULTI answers at once (once MULTI exists in the build).
#[test]
fn blocking_commands_inside_multi() {
    let (mut e, _clock) = engine();
    let w = client(&mut e);
    if !has(&mut e, w, "multi") {
        return;
    }
    assert_eq!(resp(&mut e, w, "MULTI"), "+OK\r\n");
    for line in ["BLPOP x 0", "BLMOVE x y left left 0", "BRPOPLPUSH x y 0", "BLMPOP 0 1 x left", "BRPOP x 1"] {
        assert_eq!(resp(&mut e, w, line), "+QUEUED\r\n");
    }
    assert_eq!(resp(&mut e, w, "EXEC"), "*5\r\n*-1\r\n$-1\r\n$-1\r\n*-1\r\n*-1\r\n");
}

/// Pushes through the typed API serve blocked clients too.
#[test]
fn typed_push_serves_waiters() {
    let (mut e, _clock) = engine();
    let a = client(&mut e);
    block(&mut e, a, "BRPOP k 0");
    assert_eq!(e.rpush(0, b"k", &[b"x", b"y"]).unwrap(), 2);
    assert_eq!(e.take_woken(), vec![a]);
    assert_eq!(out(&mut e, a), "*2\r\n$1\r\nk\r\n$1\r\ny\r\n");
    assert_eq!(e.lrange(0, b"k", 0, -1).unwrap(), vec![b"x".to_vec()]);
}
