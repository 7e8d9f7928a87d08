//! Pub/Sub: SUBSCRIBE PSUBSCRIBE SSUBSCRIBE, their UNSUBSCRIBE forms,
//! PUBLISH SPUBLISH PUBSUB, RESP2 and RESP3 subscribers. Multi-client
//! scenarios whose every byte each client receives was recorded from
//! redis-server 7.0.15 with four connections.

mod common;
use common::*;
use redlet::{ClientId, Engine, Reply};

/// Runs `line` as client `cs[who]` and asserts the bytes every client
/// received meanwhile: the issuer's reply (with what was published to it
/// first) and anything delivered to the others, each in its protocol.
#[track_caller]
pub fn st(e: &mut Engine, cs: &[ClientId], who: usize, line: &str, expected: &[&str]) {
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
fn subscribe_publish_introspect_unsubscribe() {
    let (mut e, _clock) = engine();
    let cs = clients(&mut e, 4);
    // subscribing, confirmations with running counts, repeats
    st(&mut e, &cs, 0, "SUBSCRIBE ch1 ch2 ch1", &["*3\r\n$9\r\nsubscribe\r\n$3\r\nch1\r\n:1\r\n*3\r\n$9\r\nsubscribe\r\n$3\r\nch2\r\n:2\r\n*3\r\n$9\r\nsubscribe\r\n$3\r\nch1\r\n:2\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "PSUBSCRIBE ch* x?", &["", "*3\r\n$10\r\npsubscribe\r\n$3\r\nch*\r\n:1\r\n*3\r\n$10\r\npsubscribe\r\n$2\r\nx?\r\n:2\r\n", "", ""]);
    st(&mut e, &cs, 1, "SUBSCRIBE ch1", &["", "*3\r\n$9\r\nsubscribe\r\n$3\r\nch1\r\n:3\r\n", "", ""]);
    run(&mut e, cs[2], "HELLO 3");
    st(&mut e, &cs, 2, "SUBSCRIBE ch1", &["", "", ">3\r\n$9\r\nsubscribe\r\n$3\r\nch1\r\n:1\r\n", ""]);
    st(&mut e, &cs, 2, "SSUBSCRIBE sh sh2", &["", "", ">3\r\n$10\r\nssubscribe\r\n$2\r\nsh\r\n:1\r\n>3\r\n$10\r\nssubscribe\r\n$3\r\nsh2\r\n:2\r\n", ""]);
    // delivery: channel subscribers in subscription order, then patterns
    st(&mut e, &cs, 3, "PUBLISH ch1 m1", &["*3\r\n$7\r\nmessage\r\n$3\r\nch1\r\n$2\r\nm1\r\n", "*3\r\n$7\r\nmessage\r\n$3\r\nch1\r\n$2\r\nm1\r\n*4\r\n$8\r\npmessage\r\n$3\r\nch*\r\n$3\r\nch1\r\n$2\r\nm1\r\n", ">3\r\n$7\r\nmessage\r\n$3\r\nch1\r\n$2\r\nm1\r\n", ":4\r\n"]);
    st(&mut e, &cs, 3, "PUBLISH ch2 m2", &["*3\r\n$7\r\nmessage\r\n$3\r\nch2\r\n$2\r\nm2\r\n", "*4\r\n$8\r\npmessage\r\n$3\r\nch*\r\n$3\r\nch2\r\n$2\r\nm2\r\n", "", ":2\r\n"]);
    st(&mut e, &cs, 3, "PUBLISH xy m3", &["", "*4\r\n$8\r\npmessage\r\n$2\r\nx?\r\n$2\r\nxy\r\n$2\r\nm3\r\n", "", ":1\r\n"]);
    st(&mut e, &cs, 3, "PUBLISH none m5", &["", "", "", ":0\r\n"]);
    st(&mut e, &cs, 3, "SPUBLISH sh m4", &["", "", ">3\r\n$8\r\nsmessage\r\n$2\r\nsh\r\n$2\r\nm4\r\n", ":1\r\n"]);
    st(&mut e, &cs, 3, "SPUBLISH ch1 m6", &["", "", "", ":0\r\n"]);
    // introspection
    st(&mut e, &cs, 3, "PUBSUB NUMSUB ch1 ch2 none", &["", "", "", "*6\r\n$3\r\nch1\r\n:3\r\n$3\r\nch2\r\n:1\r\n$4\r\nnone\r\n:0\r\n"]);
    st(&mut e, &cs, 3, "PUBSUB NUMSUB", &["", "", "", "*0\r\n"]);
    st(&mut e, &cs, 3, "PUBSUB NUMPAT", &["", "", "", ":2\r\n"]);
    st(&mut e, &cs, 3, "PUBSUB SHARDNUMSUB sh x", &["", "", "", "*4\r\n$2\r\nsh\r\n:1\r\n$1\r\nx\r\n:0\r\n"]);
    st(&mut e, &cs, 3, "PUBSUB CHANNELS ch1", &["", "", "", "*1\r\n$3\r\nch1\r\n"]);
    st(&mut e, &cs, 3, "PUBSUB CHANNELS c?2", &["", "", "", "*1\r\n$3\r\nch2\r\n"]);
    st(&mut e, &cs, 3, "PUBSUB SHARDCHANNELS sh2", &["", "", "", "*1\r\n$3\r\nsh2\r\n"]);
    st(&mut e, &cs, 3, "PUBSUB CHANNELS a b", &["", "", "", "-ERR unknown subcommand or wrong number of arguments for 'CHANNELS'. Try PUBSUB HELP.\r\n"]);
    st(&mut e, &cs, 3, "PUBSUB SHARDCHANNELS a b", &["", "", "", "-ERR unknown subcommand or wrong number of arguments for 'SHARDCHANNELS'. Try PUBSUB HELP.\r\n"]);
    st(&mut e, &cs, 3, "PUBSUB NUMPAT x", &["", "", "", "-ERR wrong number of arguments for 'pubsub|numpat' command\r\n"]);
    st(&mut e, &cs, 3, "PUBSUB foo", &["", "", "", "-ERR unknown subcommand 'foo'. Try PUBSUB HELP.\r\n"]);
    st(&mut e, &cs, 3, "PUBSUB", &["", "", "", "-ERR wrong number of arguments for 'pubsub' command\r\n"]);
    st(&mut e, &cs, 3, "PUBSUB HELP", &["", "", "", "*14\r\n+PUBSUB <subcommand> [<arg> [value] [opt] ...]. Subcommands are:\r\n+CHANNELS [<pattern>]\r\n+    Return the currently active channels matching a <pattern> (default: '*').\r\n+NUMPAT\r\n+    Return number of subscriptions to patterns.\r\n+NUMSUB [<channel> ...]\r\n+    Return the number of subscribers for the specified channels, excluding\r\n+    pattern subscriptions(default: no channels).\r\n+SHARDCHANNELS [<pattern>]\r\n+    Return the currently active shard level channels matching a <pattern> (default: '*').\r\n+SHARDNUMSUB [<shardchannel> ...]\r\n+    Return the number of subscribers for the specified shard level channel(s)\r\n+HELP\r\n+    Prints this help.\r\n"]);
    st(&mut e, &cs, 3, "PUBSUB help x", &["", "", "", "-ERR wrong number of arguments for 'pubsub|help' command\r\n"]);
    // a RESP3 subscriber keeps the connection and gets its own messages first
    st(&mut e, &cs, 2, "PUBLISH ch1 self", &["*3\r\n$7\r\nmessage\r\n$3\r\nch1\r\n$4\r\nself\r\n", "*3\r\n$7\r\nmessage\r\n$3\r\nch1\r\n$4\r\nself\r\n*4\r\n$8\r\npmessage\r\n$3\r\nch*\r\n$3\r\nch1\r\n$4\r\nself\r\n", ">3\r\n$7\r\nmessage\r\n$3\r\nch1\r\n$4\r\nself\r\n:4\r\n", ""]);
    st(&mut e, &cs, 2, "GET k", &["", "", "_\r\n", ""]);
    st(&mut e, &cs, 2, "PING", &["", "", "+PONG\r\n", ""]);
    // a RESP2 subscriber is restricted
    st(&mut e, &cs, 0, "GET k", &["-ERR Can't execute 'get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "CONFIG GET x", &["-ERR Can't execute 'config|get': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "HELLO 3", &["-ERR Can't execute 'hello': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["-ERR Can't execute 'multi': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "PING", &["*2\r\n$4\r\npong\r\n$0\r\n\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "PING hi", &["*2\r\n$4\r\npong\r\n$2\r\nhi\r\n", "", "", ""]);
    // unsubscribing
    st(&mut e, &cs, 0, "UNSUBSCRIBE ch1 nosuch", &["*3\r\n$11\r\nunsubscribe\r\n$3\r\nch1\r\n:1\r\n*3\r\n$11\r\nunsubscribe\r\n$6\r\nnosuch\r\n:1\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "PUNSUBSCRIBE", &["*3\r\n$12\r\npunsubscribe\r\n$-1\r\n:1\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "SUNSUBSCRIBE", &["*3\r\n$12\r\nsunsubscribe\r\n$-1\r\n:0\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "UNSUBSCRIBE", &["*3\r\n$11\r\nunsubscribe\r\n$3\r\nch2\r\n:0\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "UNSUBSCRIBE", &["*3\r\n$11\r\nunsubscribe\r\n$-1\r\n:0\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "GET k", &["$-1\r\n", "", "", ""]);
    st(&mut e, &cs, 1, "PUNSUBSCRIBE x? nope", &["", "*3\r\n$12\r\npunsubscribe\r\n$2\r\nx?\r\n:2\r\n*3\r\n$12\r\npunsubscribe\r\n$4\r\nnope\r\n:2\r\n", "", ""]);
    st(&mut e, &cs, 1, "PUNSUBSCRIBE", &["", "*3\r\n$12\r\npunsubscribe\r\n$3\r\nch*\r\n:1\r\n", "", ""]);
    st(&mut e, &cs, 2, "SUNSUBSCRIBE sh", &["", "", ">3\r\n$12\r\nsunsubscribe\r\n$2\r\nsh\r\n:1\r\n", ""]);
    st(&mut e, &cs, 2, "SUNSUBSCRIBE", &["", "", ">3\r\n$12\r\nsunsubscribe\r\n$3\r\nsh2\r\n:0\r\n", ""]);
    st(&mut e, &cs, 2, "UNSUBSCRIBE ch1", &["", "", ">3\r\n$11\r\nunsubscribe\r\n$3\r\nch1\r\n:0\r\n", ""]);
    st(&mut e, &cs, 2, "UNSUBSCRIBE", &["", "", ">3\r\n$11\r\nunsubscribe\r\n_\r\n:0\r\n", ""]);
    // RESET and closing clear subscriptions
    st(&mut e, &cs, 0, "PSUBSCRIBE p*", &["*3\r\n$10\r\npsubscribe\r\n$2\r\np*\r\n:1\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "RESET", &["+RESET\r\n", "", "", ""]);
    st(&mut e, &cs, 3, "PUBSUB NUMPAT", &["", "", "", ":0\r\n"]);
    st(&mut e, &cs, 2, "SUBSCRIBE z", &["", "", ">3\r\n$9\r\nsubscribe\r\n$1\r\nz\r\n:1\r\n", ""]);
    e.close_client(cs[2]);
    st(&mut e, &cs, 3, "PUBSUB NUMSUB z ch1", &["", "", "", "*4\r\n$1\r\nz\r\n:0\r\n$3\r\nch1\r\n:1\r\n"]);
    st(&mut e, &cs, 3, "PUBLISH z gone", &["", "", "", ":0\r\n"]);
    st(&mut e, &cs, 1, "UNSUBSCRIBE", &["", "*3\r\n$11\r\nunsubscribe\r\n$3\r\nch1\r\n:0\r\n", "", ""]);
    // subscriptions inside MULTI/EXEC
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "SUBSCRIBE tx", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "SSUBSCRIBE sx", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "PING", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*3\r\n*3\r\n$9\r\nsubscribe\r\n$2\r\ntx\r\n:1\r\n-ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client\r\n*2\r\n$4\r\npong\r\n$0\r\n\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["-EXECABORT Transaction discarded because of: Can't execute 'exec': only (P|S)SUBSCRIBE / (P|S)UNSUBSCRIBE / PING / QUIT / RESET are allowed in this context\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "UNSUBSCRIBE", &["*3\r\n$11\r\nunsubscribe\r\n$2\r\ntx\r\n:0\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "MULTI", &["+OK\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "SUBSCRIBE m", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "PUBLISH m inner", &["+QUEUED\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "EXEC", &["*2\r\n*3\r\n$9\r\nsubscribe\r\n$1\r\nm\r\n:1\r\n*3\r\n$7\r\nmessage\r\n$1\r\nm\r\n$5\r\ninner\r\n:1\r\n", "", "", ""]);
    st(&mut e, &cs, 0, "UNSUBSCRIBE", &["*3\r\n$11\r\nunsubscribe\r\n$1\r\nm\r\n:0\r\n", "", "", ""]);
}

/// The `flags`/`sub`/`psub`/`ssub`/`multi` fields of a client's CLIENT LIST
/// line, as another client sees them.
fn list_fields(e: &mut Engine, viewer: ClientId, id: ClientId) -> String {
    let Reply::Verbatim(_, text) = run(e, viewer, "CLIENT LIST") else { panic!() };
    let text = String::from_utf8(text).unwrap();
    let line = text.lines().find(|l| l.starts_with(&format!("id={id} "))).unwrap();
    let from = line.find("flags=").unwrap();
    let to = line.find(" qbuf=").unwrap();
    line[from..to].to_string()
}

/// Verified with CLIENT LIST on redis-server 7.0.15.
#[test]
fn client_list_shows_subscriptions_and_transactions() {
    let (mut e, _clock) = engine();
    let a = client(&mut e);
    let b = client(&mut e);
    run(&mut e, a, "SUBSCRIBE x y");
    run(&mut e, a, "PSUBSCRIBE p");
    run(&mut e, a, "SSUBSCRIBE s");
    assert_eq!(list_fields(&mut e, b, a), "flags=P db=0 sub=2 psub=1 ssub=1 multi=-1");
    assert_eq!(resp(&mut e, b, "CLIENT LIST TYPE pubsub").matches("id=").count(), 1);
    assert_eq!(resp(&mut e, a, "RESET"), "+RESET\r\n");
    assert_eq!(list_fields(&mut e, b, a), "flags=N db=0 sub=0 psub=0 ssub=0 multi=-1");
    run(&mut e, a, "MULTI");
    run(&mut e, a, "SET a 1");
    run(&mut e, a, "GET a");
    assert_eq!(list_fields(&mut e, b, a), "flags=x db=0 sub=0 psub=0 ssub=0 multi=2");
    run(&mut e, a, "DISCARD");
    run(&mut e, a, "WATCH k");
    run(&mut e, b, "SET k 1");
    assert_eq!(list_fields(&mut e, b, a), "flags=d db=0 sub=0 psub=0 ssub=0 multi=-1");
    run(&mut e, a, "MULTI");
    run(&mut e, a, "SET a 1");
    assert_eq!(list_fields(&mut e, b, a), "flags=xd db=0 sub=0 psub=0 ssub=0 multi=0");
    run(&mut e, a, "EXEC");
    assert_eq!(list_fields(&mut e, b, a), "flags=N db=0 sub=0 psub=0 ssub=0 multi=-1");
    run(&mut e, a, "MULTI");
    run(&mut e, a, "SET a 1");
    run(&mut e, a, "FOO");
    run(&mut e, a, "SET b 1");
    assert_eq!(list_fields(&mut e, b, a), "flags=x db=0 sub=0 psub=0 ssub=0 multi=1");
    run(&mut e, a, "EXEC");
    run(&mut e, a, "HELLO 3");
    run(&mut e, a, "SUBSCRIBE q");
    run(&mut e, a, "MULTI");
    run(&mut e, a, "PING");
    assert_eq!(list_fields(&mut e, b, a), "flags=Px db=0 sub=1 psub=0 ssub=0 multi=1");
}

/// Contexts that expect one reply per command (the engine's own client)
/// cannot subscribe, as Redis's DENY_BLOCKING clients.
#[test]
fn internal_client_cannot_subscribe() {
    let (mut e, _clock) = engine();
    let r = e.command(&[b"SUBSCRIBE", b"x"]);
    assert_eq!(r.to_resp(redlet::Protocol::Resp2), b"-ERR SUBSCRIBE isn't allowed for a DENY BLOCKING client\r\n");
    let r = e.command(&[b"PSUBSCRIBE", b"x"]);
    assert_eq!(r.to_resp(redlet::Protocol::Resp2), b"-ERR PSUBSCRIBE isn't allowed for a DENY BLOCKING client\r\n");
    let r = e.command(&[b"SSUBSCRIBE", b"x"]);
    assert_eq!(r.to_resp(redlet::Protocol::Resp2), b"-ERR SSUBSCRIBE isn't allowed for a DENY BLOCKING client\r\n");
    assert_eq!(e.command(&[b"PUBLISH", b"x", b"m"]), Reply::Int(0));
}

/// The typed API shares the command implementations.
#[test]
fn typed_api() {
    use redlet::pubsub::Kind;
    let (mut e, _clock) = engine();
    let a = client(&mut e);
    let b = client(&mut e);
    assert_eq!(e.subscribe(a, Kind::Channel, &[b"n1", b"n2"]).len(), 2);
    e.subscribe(b, Kind::Pattern, &[b"n*"]);
    e.subscribe(b, Kind::Shard, &[b"s"]);
    assert_eq!(e.publish(b"n1", b"hi"), 2);
    assert_eq!(e.spublish(b"s", b"hi"), 1);
    assert_eq!(e.pubsub_numsub(false, &[b"n1", b"zz"]), vec![1, 0]);
    assert_eq!(e.pubsub_numsub(true, &[b"s"]), vec![1]);
    assert_eq!(e.pubsub_numpat(), 1);
    let mut chans = e.pubsub_channels(false, None);
    chans.sort();
    assert_eq!(chans, vec![b"n1".to_vec(), b"n2".to_vec()]);
    assert_eq!(e.pubsub_channels(false, Some(b"*2")), vec![b"n2".to_vec()]);
    assert_eq!(e.pubsub_channels(true, None), vec![b"s".to_vec()]);
    assert_eq!(e.subscription_counts(a), (2, 0, 0));
    assert_eq!(e.subscription_counts(b), (0, 1, 1));
    let woken = e.take_woken();
    assert!(woken.contains(&a) && woken.contains(&b));
    let msg = e.pop_output(a).unwrap();
    assert_eq!(msg, Reply::Push(vec![Reply::bulk(b"message"), Reply::bulk(b"n1"), Reply::bulk(b"hi")]));
    assert_eq!(e.unsubscribe(a, Kind::Channel, &[]).len(), 2);
    assert_eq!(e.subscription_counts(a), (0, 0, 0));
    e.close_client(b);
    assert_eq!(e.pubsub_numpat(), 0);
    assert_eq!(e.publish(b"n1", b"x"), 0);
}

/// Messages reach each receiver in publish order, interleaved across
/// channels and patterns as they were published.
#[test]
fn publish_order_per_receiver() {
    let (mut e, _clock) = engine();
    let a = client(&mut e);
    let p = client(&mut e);
    run(&mut e, a, "SUBSCRIBE c1 c2");
    run(&mut e, a, "PSUBSCRIBE c*");
    for i in 0..50 {
        let ch = if i % 3 == 0 { "c1" } else if i % 3 == 1 { "c2" } else { "c3" };
        run(&mut e, p, &format!("PUBLISH {ch} m{i}"));
    }
    let mut seen = Vec::new();
    while let Some(Reply::Push(items)) = e.pop_output(a) {
        let Reply::Bulk(m) = items.last().unwrap() else { panic!() };
        let Reply::Bulk(kind) = &items[0] else { panic!() };
        seen.push(format!("{} {}", String::from_utf8_lossy(kind), String::from_utf8_lossy(m)));
    }
    let mut expected = Vec::new();
    for i in 0..50 {
        if i % 3 != 2 {
            expected.push(format!("message m{i}"));
        }
        expected.push(format!("pmessage m{i}"));
    }
    assert_eq!(seen, expected);
}

/// INFO stats counts distinct channels, patterns and shard channels
/// (verified on redis-server 7.0.15).
#[test]
fn info_counts_distinct_names() {
    let (mut e, _clock) = engine();
    let cs = clients(&mut e, 4);
    run(&mut e, cs[0], "SUBSCRIBE x y");
    run(&mut e, cs[1], "SUBSCRIBE x");
    run(&mut e, cs[1], "PSUBSCRIBE p* q*");
    run(&mut e, cs[0], "PSUBSCRIBE p*");
    run(&mut e, cs[2], "SSUBSCRIBE s");
    let Reply::Verbatim(_, text) = run(&mut e, cs[3], "INFO stats") else { panic!() };
    let text = String::from_utf8(text).unwrap();
    let lines: Vec<&str> = text.split("\r\n").filter(|l| l.starts_with("pubsub")).collect();
    assert_eq!(lines, ["pubsub_channels:2", "pubsub_patterns:2", "pubsubshard_channels:1"]);
}
