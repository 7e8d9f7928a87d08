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

#[test]
fn client_pause_write_postpones_writers_and_freezes_the_dataset() {
    let (mut e, clock) = engine();
    let (a, b, c) = (client(&mut e), client(&mut e), client(&mut e));
    let f = client(&mut e);
    assert_eq!(stream(&mut e, f, &["MULTI", "SET z 1"]), "+OK\r\n+QUEUED\r\n");
    assert_eq!(stream(&mut e, a, &["SET k0 v0 PX 50", "CLIENT PAUSE 100 WRITE"]), "+OK\r\n+OK\r\n");
    // A write waits; reads and a read-only transaction go on.
    assert!(run_argv(&mut e, b, &[b"SET", b"k", b"1"]).is_none());
    assert_eq!(e.blocked_clients(), 1);
    assert_eq!(stream(&mut e, c, &["GET k", "MULTI", "GET k0", "EXEC"]), "$-1\r\n+OK\r\n+QUEUED\r\n*1\r\n$2\r\nv0\r\n");
    // A write waits even to be queued, and so does an EXEC that would write.
    assert_eq!(stream(&mut e, c, &["MULTI"]), "+OK\r\n");
    assert!(run_argv(&mut e, c, &[b"SET", b"y", b"1"]).is_none());
    assert!(run_argv(&mut e, f, &[b"EXEC"]).is_none());
    // k0 expires during the pause: it reads as missing but is not deleted.
    clock.advance_ms(60);
    e.tick();
    let d = client(&mut e);
    assert_eq!(stream(&mut e, d, &["GET k0", "DBSIZE", "TTL k0"]), "$-1\r\n:1\r\n:-2\r\n");
    // The pause covers its last millisecond; after it, the postponed
    // commands run in arrival order.
    clock.advance_ms(40);
    e.tick();
    assert_eq!(outputs(&mut e, b), "");
    assert_eq!(e.next_wakeup_ms(), Some(1_000_101));
    clock.advance_ms(1);
    e.tick();
    assert_eq!(outputs(&mut e, b), "+OK\r\n");
    assert_eq!(outputs(&mut e, c), "+QUEUED\r\n");
    assert_eq!(outputs(&mut e, f), "*1\r\n+OK\r\n");
    assert_eq!(stream(&mut e, c, &["EXEC"]), "*1\r\n+OK\r\n");
    assert_eq!(stream(&mut e, d, &["MGET k y z", "DBSIZE"]), "*3\r\n$1\r\n1\r\n$1\r\n1\r\n$1\r\n1\r\n:3\r\n");
}

#[test]
fn client_pause_all_holds_even_unpause_and_unpause_releases_at_once() {
    let (mut e, clock) = engine();
    let (a, b) = (client(&mut e), client(&mut e));
    assert_eq!(resp(&mut e, a, "CLIENT PAUSE 100 ALL"), "+OK\r\n");
    assert!(run_argv(&mut e, b, &[b"PING"]).is_none());
    assert!(run_argv(&mut e, a, &[b"CLIENT", b"UNPAUSE"]).is_none());
    clock.advance_ms(101);
    e.tick();
    assert_eq!(outputs(&mut e, b), "+PONG\r\n");
    assert_eq!(outputs(&mut e, a), "+OK\r\n");
    // CLIENT UNPAUSE (under a WRITE pause) releases the writers right
    // after it; a stricter pause on top keeps the later end.
    assert_eq!(resp(&mut e, a, "CLIENT PAUSE 1000 WRITE"), "+OK\r\n");
    assert!(run_argv(&mut e, b, &[b"INCR", b"n"]).is_none());
    assert_eq!(stream(&mut e, a, &["CLIENT UNBLOCK 2", "CLIENT UNPAUSE"]), ":0\r\n+OK\r\n");
    assert_eq!(outputs(&mut e, b), ":1\r\n");
    assert_eq!(stream(&mut e, a, &["CLIENT PAUSE 0", "SET q 1"]), "+OK\r\n+OK\r\n");
}

#[test]
fn client_pause_errors() {
    let (mut e, _clock) = engine();
    let a = client(&mut e);
    assert_eq!(resp(&mut e, a, "CLIENT PAUSE x"), "-ERR timeout is not an integer or out of range\r\n");
    assert_eq!(resp(&mut e, a, "CLIENT PAUSE -1"), "-ERR timeout is negative\r\n");
    assert_eq!(resp(&mut e, a, "CLIENT PAUSE 1 foo"), "-ERR CLIENT PAUSE mode must be WRITE or ALL\r\n");
    assert_eq!(resp(&mut e, a, "CLIENT PAUSE 1 all x"), "-ERR unknown subcommand or wrong number of arguments for 'PAUSE'. Try CLIENT HELP.\r\n");
    assert_eq!(resp(&mut e, a, "CLIENT PAUSE"), "-ERR wrong number of arguments for 'client|pause' command\r\n");
    assert_eq!(resp(&mut e, a, "CLIENT UNPAUSE x"), "-ERR wrong number of arguments for 'client|unpause' command\r\n");
}

#[test]
fn requirepass_and_auth() {
    let (mut e, _clock) = engine();
    let a = client(&mut e);
    assert_eq!(resp(&mut e, a, "AUTH x"), "-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n");
    assert_eq!(resp(&mut e, a, "AUTH default anything"), "+OK\r\n");
    assert_eq!(resp(&mut e, a, "AUTH a b c"), "-ERR syntax error\r\n");
    assert_eq!(resp(&mut e, a, "AUTH foo bar"), "-WRONGPASS invalid username-password pair or user is disabled.\r\n");
    assert_eq!(resp(&mut e, a, "CONFIG SET requirepass secret"), "+OK\r\n");
    // Connected before: still authenticated. A new connection is not.
    assert_eq!(resp(&mut e, a, "GET k"), "$-1\r\n");
    let b = client(&mut e);
    assert_eq!(stream(&mut e, b, &[
        "GET k", "FOO", "AUTH wrong", "AUTH secret", "GET k", "RESET", "GET k",
        "HELLO 3 SETNAME x", "HELLO 2 AUTH default bad", "HELLO 2 SETNAME a\tb AUTH default secret",
        "HELLO 2 AUTH default secret SETNAME x", "CLIENT GETNAME",
    ]), [
        "-NOAUTH Authentication required.\r\n",
        "-ERR unknown command 'FOO', with args beginning with: \r\n",
        "-WRONGPASS invalid username-password pair or user is disabled.\r\n",
        "+OK\r\n$-1\r\n+RESET\r\n-NOAUTH Authentication required.\r\n",
        "-NOAUTH HELLO must be called with the client already authenticated, otherwise the HELLO AUTH <user> <pass> option can be used to authenticate the client and select the RESP protocol version at the same time\r\n",
        "-WRONGPASS invalid username-password pair or user is disabled.\r\n",
        "-ERR Client names cannot contain spaces, newlines or special characters.\r\n",
        &format!("*14\r\n$6\r\nserver\r\n$5\r\nredis\r\n$7\r\nversion\r\n$6\r\n7.0.15\r\n$5\r\nproto\r\n:2\r\n$2\r\nid\r\n:{b}\r\n$4\r\nmode\r\n$10\r\nstandalone\r\n$4\r\nrole\r\n$6\r\nmaster\r\n$7\r\nmodules\r\n*0\r\n"),
        "$1\r\nx\r\n",
    ].concat());
    // No password again: everyone may run commands.
    let clear: &[&[u8]] = &[b"CONFIG", b"SET", b"requirepass", b""];
    assert_eq!(run_argv(&mut e, b, clear).map(|r| r.to_resp(Protocol::Resp2)), Some(b"+OK\r\n".to_vec()));
    let c = client(&mut e);
    assert_eq!(stream(&mut e, c, &["GET k", "AUTH x"]), "$-1\r\n-ERR AUTH <password> called without any password configured for the default user. Are you sure your configuration is correct?\r\n");
}

fn resp3(e: &mut redlet::Engine) -> redlet::ClientId {
    let c = client(e);
    run(e, c, "HELLO 3");
    c
}

/// What client `c` receives for `line`, in RESP3.
fn r3(e: &mut redlet::Engine, c: redlet::ClientId, line: &str) -> String {
    let a = argv(line);
    let refs: Vec<&[u8]> = a.iter().map(|v| v.as_slice()).collect();
    let mut out = e.execute(c, &refs).map(|r| r.to_resp(Protocol::Resp3)).unwrap_or_default();
    while let Some(r) = e.pop_output(c) {
        out.extend(r.to_resp(Protocol::Resp3));
    }
    String::from_utf8(out).unwrap()
}

const INV_K: &str = ">2\r\n$10\r\ninvalidate\r\n*1\r\n$1\r\nk\r\n";

#[test]
fn tracking_invalidates_keys_a_client_read_once() {
    let (mut e, clock) = engine();
    let a = resp3(&mut e);
    let b = client(&mut e);
    assert_eq!(r3(&mut e, a, "CLIENT TRACKING ON"), "+OK\r\n");
    assert_eq!(r3(&mut e, a, "GET k"), "_\r\n");
    assert_eq!(resp(&mut e, b, "SET k 1"), "+OK\r\n");
    assert_eq!(outputs(&mut e, a), INV_K);
    // Forgotten once invalidated: the next write says nothing.
    assert_eq!(resp(&mut e, b, "SET k 2"), "+OK\r\n");
    assert_eq!(outputs(&mut e, a), "");
    // The client's own write: the message follows its reply (not with NOLOOP).
    assert_eq!(r3(&mut e, a, "GET k"), "$1\r\n2\r\n");
    assert_eq!(r3(&mut e, a, "SET k 3"), format!("+OK\r\n{INV_K}"));
    assert_eq!(r3(&mut e, a, "CLIENT TRACKING ON NOLOOP"), "+OK\r\n");
    assert_eq!(r3(&mut e, a, "GET k"), "$1\r\n3\r\n");
    assert_eq!(r3(&mut e, a, "SET k 4"), "+OK\r\n");
    // Expiry and FLUSHALL (a null: everything).
    assert_eq!(r3(&mut e, a, "CLIENT TRACKING ON"), "+OK\r\n");
    assert_eq!(resp(&mut e, b, "SET k 5 PX 10"), "+OK\r\n");
    assert_eq!(r3(&mut e, a, "GET k"), "$1\r\n5\r\n");
    clock.advance_ms(20);
    assert_eq!(resp(&mut e, b, "GET k"), "$-1\r\n");
    assert_eq!(outputs(&mut e, a), INV_K);
    assert_eq!(resp(&mut e, b, "FLUSHALL"), "+OK\r\n");
    assert_eq!(outputs(&mut e, a), ">2\r\n$10\r\ninvalidate\r\n_\r\n");
    assert_eq!(r3(&mut e, a, "CLIENT TRACKINGINFO"), "%3\r\n$5\r\nflags\r\n~1\r\n$2\r\non\r\n$8\r\nredirect\r\n:0\r\n$8\r\nprefixes\r\n*0\r\n");
    assert!(resp(&mut e, b, "INFO clients").contains("tracking_clients:1\r\n"));
    assert_eq!(r3(&mut e, a, "CLIENT TRACKING OFF"), "+OK\r\n");
    assert_eq!(r3(&mut e, a, "CLIENT GETREDIR"), ":-1\r\n");
}

#[test]
fn tracking_optin_optout_bcast_and_redirect() {
    let (mut e, _clock) = engine();
    let a = resp3(&mut e);
    let b = client(&mut e);
    // OPTIN: only after CLIENT CACHING YES, for one command.
    assert_eq!(r3(&mut e, a, "CLIENT TRACKING ON OPTIN"), "+OK\r\n");
    assert_eq!(r3(&mut e, a, "GET k"), "_\r\n");
    run(&mut e, b, "SET k 1");
    assert_eq!(outputs(&mut e, a), "");
    assert_eq!(r3(&mut e, a, "CLIENT CACHING YES"), "+OK\r\n");
    assert_eq!(r3(&mut e, a, "GET k"), "$1\r\n1\r\n");
    run(&mut e, b, "SET k 2");
    assert_eq!(outputs(&mut e, a), INV_K);
    assert_eq!(r3(&mut e, a, "CLIENT CACHING NO"), "-ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode.\r\n");
    assert_eq!(r3(&mut e, a, "CLIENT TRACKING ON OPTOUT"), "-ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode.\r\n");
    assert_eq!(r3(&mut e, a, "CLIENT TRACKING OFF"), "+OK\r\n");
    // BCAST: every change under a prefix, per prefix, after the command.
    assert_eq!(r3(&mut e, a, "CLIENT TRACKING ON BCAST PREFIX user: PREFIX obj:"), "+OK\r\n");
    assert_eq!(r3(&mut e, a, "CLIENT TRACKING ON BCAST PREFIX u"), "-ERR Prefix 'u' overlaps with an existing prefix 'user:'. Prefixes for a single client must not overlap.\r\n");
    run(&mut e, b, "MSET user:2 y obj:1 z user:1 x other w");
    assert_eq!(outputs(&mut e, a), ">2\r\n$10\r\ninvalidate\r\n*1\r\n$5\r\nobj:1\r\n>2\r\n$10\r\ninvalidate\r\n*2\r\n$6\r\nuser:1\r\n$6\r\nuser:2\r\n");
    assert_eq!(r3(&mut e, a, "CLIENT TRACKING ON"), "-ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode.\r\n");
    assert!(r3(&mut e, a, "CLIENT INFO").contains(" flags=tB "));
    assert_eq!(r3(&mut e, a, "CLIENT TRACKING OFF"), "+OK\r\n");
    // REDIRECT to a subscribed RESP2 client: __redis__:invalidate messages;
    // to a client that is gone: tracking-redir-broken.
    let r = client(&mut e);
    run(&mut e, r, "SUBSCRIBE __redis__:invalidate");
    assert_eq!(r3(&mut e, a, &format!("CLIENT TRACKING ON REDIRECT {r}")), "+OK\r\n");
    assert_eq!(r3(&mut e, a, "GET k"), "$1\r\n2\r\n");
    run(&mut e, b, "SET k 3");
    assert_eq!(outputs(&mut e, r), "*3\r\n$7\r\nmessage\r\n$20\r\n__redis__:invalidate\r\n*1\r\n$1\r\nk\r\n");
    assert_eq!(r3(&mut e, a, "GET k"), "$1\r\n3\r\n");
    e.close_client(r);
    run(&mut e, b, "SET k 4");
    assert_eq!(outputs(&mut e, a), format!(">2\r\n$21\r\ntracking-redir-broken\r\n:{r}\r\n"));
    assert!(r3(&mut e, a, "CLIENT TRACKINGINFO").contains("broken_redirect"));
    assert_eq!(r3(&mut e, a, "CLIENT TRACKING ON REDIRECT 0"), "-ERR The client ID you want redirect to does not exist\r\n");
    assert_eq!(r3(&mut e, a, "CLIENT TRACKING ON PREFIX x"), "-ERR PREFIX option requires BCAST mode to be enabled\r\n");
    let c = client(&mut e);
    assert_eq!(resp(&mut e, c, "CLIENT CACHING YES"), "-ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled\r\n");
}

#[test]
fn tracking_hears_of_active_expiry_in_ticks() {
    let (mut e, clock) = engine();
    let a = resp3(&mut e);
    let b = client(&mut e);
    assert_eq!(r3(&mut e, a, "CLIENT TRACKING ON BCAST"), "+OK\r\n");
    run(&mut e, b, "SET k v PX 5");
    assert_eq!(outputs(&mut e, a), INV_K);
    clock.advance_ms(10);
    e.tick();
    assert_eq!(outputs(&mut e, a), INV_K);
}

/// What client `c` receives for `a`, in RESP3.
fn r3_argv(e: &mut redlet::Engine, c: redlet::ClientId, a: &[&str]) -> String {
    let refs: Vec<&[u8]> = a.iter().map(|v| v.as_bytes()).collect();
    let mut out = e.execute(c, &refs).map(|r| r.to_resp(Protocol::Resp3)).unwrap_or_default();
    while let Some(r) = e.pop_output(c) {
        out.extend(r.to_resp(Protocol::Resp3));
    }
    String::from_utf8(out).unwrap()
}

fn inv(key: &str) -> String {
    format!(">2\r\n$10\r\ninvalidate\r\n*1\r\n${}\r\n{key}\r\n", key.len())
}

/// A script's reads make its caller remember the keys the script declared
/// (Redis 7.0 remembers the keys of the caller's EVAL, not those of the
/// commands the script runs); a script that reads nothing remembers
/// nothing. Expected streams are redis-server 7.0.15's.
#[cfg(feature = "scripting")]
#[test]
fn tracking_remembers_the_keys_a_script_declared() {
    let (mut e, _clock) = engine();
    let a = resp3(&mut e);
    let b = client(&mut e);
    assert_eq!(r3(&mut e, a, "CLIENT TRACKING ON"), "+OK\r\n");
    assert_eq!(r3_argv(&mut e, a, &["EVAL", "return redis.call('GET', KEYS[1])", "1", "k"]), "_\r\n");
    run(&mut e, b, "SET k 1");
    assert_eq!(outputs(&mut e, a), inv("k"));
    // Declared d, read x: d is remembered, x is not.
    assert_eq!(r3_argv(&mut e, a, &["EVAL", "return redis.call('GET', ARGV[1])", "1", "d", "x"]), "_\r\n");
    run(&mut e, b, "SET x 1");
    assert_eq!(outputs(&mut e, a), "");
    run(&mut e, b, "SET d 1");
    assert_eq!(outputs(&mut e, a), inv("d"));
    // No read, nothing remembered.
    assert_eq!(r3_argv(&mut e, a, &["EVAL", "return 1", "1", "e"]), ":1\r\n");
    run(&mut e, b, "SET e 1");
    assert_eq!(outputs(&mut e, a), "");
    // EVAL_RO: its own read-only flag remembers nothing, its GET does.
    assert_eq!(r3_argv(&mut e, a, &["EVAL_RO", "return redis.call('GET', KEYS[1])", "1", "f"]), "_\r\n");
    run(&mut e, b, "SET f 1");
    assert_eq!(outputs(&mut e, a), inv("f"));
    // The script's own write invalidates after its reply; its later read
    // remembers the key again.
    assert_eq!(r3(&mut e, a, "GET g"), "_\r\n");
    let body = "redis.call('SET', KEYS[1], 'x') return redis.call('GET', KEYS[1])";
    assert_eq!(r3_argv(&mut e, a, &["EVAL", body, "1", "g"]), format!("$1\r\nx\r\n{}", inv("g")));
    run(&mut e, b, "SET g 1");
    assert_eq!(outputs(&mut e, a), inv("g"));
    // FCALL likewise.
    let lib = "#!lua name=t\nredis.register_function('rd', function(k) return redis.call('GET', k[1]) end)";
    assert_eq!(r3_argv(&mut e, a, &["FUNCTION", "LOAD", lib]), "$1\r\nt\r\n");
    assert_eq!(r3_argv(&mut e, a, &["FCALL", "rd", "1", "h"]), "_\r\n");
    run(&mut e, b, "SET h 1");
    assert_eq!(outputs(&mut e, a), inv("h"));
}

/// `tracking-table-max-keys`: past it, keys are dropped (a random one) and
/// their clients told, before the next command runs or from the cron.
#[test]
fn tracking_table_max_keys_drops_keys_and_tells_their_clients() {
    let (mut e, _clock) = engine();
    let a = resp3(&mut e);
    let b = client(&mut e);
    run(&mut e, b, "CONFIG SET tracking-table-max-keys 2");
    assert_eq!(resp(&mut e, b, "CONFIG GET tracking-table-max-keys"), "*2\r\n$23\r\ntracking-table-max-keys\r\n$1\r\n2\r\n");
    assert_eq!(r3(&mut e, a, "CLIENT TRACKING ON"), "+OK\r\n");
    for k in ["k1", "k2", "k3"] {
        assert_eq!(r3(&mut e, a, &format!("GET {k}")), "_\r\n");
    }
    // Three keys for two places: before PING runs, one goes, and the
    // message comes before PONG.
    let got = r3(&mut e, a, "PING");
    let dropped: Vec<&str> = ["k1", "k2", "k3"].into_iter().filter(|k| got == format!("{}+PONG\r\n", inv(k))).collect();
    assert_eq!(dropped.len(), 1, "{got:?}");
    assert!(resp(&mut e, b, "INFO stats").contains("tracking_total_keys:2\r\n"));
    // No limit: nothing dropped.
    run(&mut e, b, "CONFIG SET tracking-table-max-keys 0");
    for k in ["k4", "k5", "k6"] {
        assert_eq!(r3(&mut e, a, &format!("GET {k}")), "_\r\n");
    }
    assert!(resp(&mut e, b, "INFO stats").contains("tracking_total_keys:5\r\n"));
    // A lower limit applies from the cron on an idle engine.
    run(&mut e, b, "CONFIG SET tracking-table-max-keys 1");
    e.tick();
    assert_eq!(outputs(&mut e, a).matches("invalidate").count(), 4);
    assert!(resp(&mut e, b, "INFO stats").contains("tracking_total_keys:1\r\n"));
    // Invalidating a dropped key says nothing more.
    run(&mut e, b, "FLUSHALL");
    assert_eq!(outputs(&mut e, a), ">2\r\n$10\r\ninvalidate\r\n_\r\n");
}

/// `client-output-buffer-limit` as a host reports output with
/// `Engine::note_output`: the pubsub class for a subscribed client, hard
/// limits at once, soft ones after more than their seconds, and `omem` in
/// CLIENT LIST.
#[test]
fn output_buffer_limits_close_clients_as_redis_does() {
    let (mut e, clock) = engine();
    let admin = client(&mut e);
    let set: &[&[u8]] = &[b"CONFIG", b"SET", b"client-output-buffer-limit", b"pubsub 1000 0 0 normal 0 500 2"];
    assert_eq!(run_argv(&mut e, admin, set), Some(redlet::Reply::ok()));
    let sub = client(&mut e);
    run(&mut e, sub, "SUBSCRIBE ch");
    assert!(!e.note_output(sub, 999));
    assert!(resp(&mut e, admin, "CLIENT LIST").contains(" omem=999 "));
    assert!(resp(&mut e, admin, "INFO clients").contains("client_recent_max_output_buffer:999\r\n"));
    assert!(e.note_output(sub, 1000), "past the hard limit");
    assert!(e.should_close(sub));
    // A normal client: the soft limit counts whole seconds past 2.
    let c = client(&mut e);
    assert!(!e.note_output(c, 600));
    clock.advance_ms(2000);
    assert!(!e.note_output(c, 600));
    // Back under the soft limit: the clock starts again.
    assert!(!e.note_output(c, 100));
    assert!(!e.note_output(c, 600));
    clock.advance_ms(2999);
    assert!(!e.note_output(c, 700));
    clock.advance_ms(1);
    assert!(e.note_output(c, 700), "more than 2 s past the soft limit");
    assert!(!e.should_close(admin));
}
