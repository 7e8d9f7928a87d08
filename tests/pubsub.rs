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
