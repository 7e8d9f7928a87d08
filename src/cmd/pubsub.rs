//! Pub/Sub commands: SUBSCRIBE PSUBSCRIBE SSUBSCRIBE, their UNSUBSCRIBE
//! counterparts, PUBLISH SPUBLISH and PUBSUB, plus the delivery the keyspace
//! notifications share (`Engine::publish_message`).
//!
//! Replies: a (un)subscribe command answers once per name, so its reply is a
//! [`Reply::Seq`] of push-shaped confirmations (`>3` in RESP3, `*3` in
//! RESP2). Messages go to each receiver's outbox, oldest first, and the
//! receiver is woken; a client publishing to itself gets its messages ahead
//! of its command's reply (see `Engine::with_own_output`), as Redis writes
//! them. The registry itself lives in [`crate::pubsub`]; a client is in
//! pub/sub mode (flag `P`, RESP2 restrictions) exactly while it has a
//! subscription.

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::client::ClientId;
use crate::cmd::server::client_flags;
use crate::cmd::{flags::*, Args, Command, Ctx};
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::pubsub::{ClientSubs, Kind};
use crate::reply::Reply;

/// This family's command table.
pub const COMMANDS: &[Command] = &[
    Command {
        name: "subscribe",
        arity: -2,
        flags: PUBSUB | NOSCRIPT | LOADING | STALE,
        acl: "@pubsub @slow",
        group: "pubsub",
        summary: "Listen for messages published to the given channels",
        since: "2.0.0",
        handler: subscribe_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "psubscribe",
        arity: -2,
        flags: PUBSUB | NOSCRIPT | LOADING | STALE,
        acl: "@pubsub @slow",
        group: "pubsub",
        summary: "Listen for messages published to channels matching the given patterns",
        since: "2.0.0",
        handler: psubscribe_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "unsubscribe",
        arity: -1,
        flags: PUBSUB | NOSCRIPT | LOADING | STALE,
        acl: "@pubsub @slow",
        group: "pubsub",
        summary: "Stop listening for messages posted to the given channels",
        since: "2.0.0",
        handler: unsubscribe_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "punsubscribe",
        arity: -1,
        flags: PUBSUB | NOSCRIPT | LOADING | STALE,
        acl: "@pubsub @slow",
        group: "pubsub",
        summary: "Stop listening for messages posted to channels matching the given patterns",
        since: "2.0.0",
        handler: punsubscribe_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "publish",
        arity: 3,
        flags: PUBSUB | LOADING | STALE | FAST | MAY_REPLICATE,
        acl: "@pubsub @fast",
        group: "pubsub",
        summary: "Post a message to a channel",
        since: "2.0.0",
        handler: publish_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "ssubscribe",
        arity: -2,
        flags: PUBSUB | NOSCRIPT | LOADING | STALE,
        acl: "@pubsub @slow",
        first_key: 1,
        last_key: -1,
        step: 1,
        group: "pubsub",
        summary: "Listen for messages published to the given shard channels",
        since: "7.0.0",
        handler: ssubscribe_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "sunsubscribe",
        arity: -1,
        flags: PUBSUB | NOSCRIPT | LOADING | STALE,
        acl: "@pubsub @slow",
        first_key: 1,
        last_key: -1,
        step: 1,
        group: "pubsub",
        summary: "Stop listening for messages posted to the given shard channels",
        since: "7.0.0",
        handler: sunsubscribe_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "spublish",
        arity: 3,
        flags: PUBSUB | LOADING | STALE | FAST | MAY_REPLICATE,
        acl: "@pubsub @fast",
        first_key: 1,
        last_key: 1,
        step: 1,
        group: "pubsub",
        summary: "Post a message to a shard channel",
        since: "7.0.0",
        handler: spublish_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "pubsub",
        arity: -2,
        flags: 0,
        acl: "@slow",
        group: "pubsub",
        summary: "A container for Pub/Sub commands",
        since: "2.8.0",
        subcommands: PUBSUB_SUBCOMMANDS,
        ..Command::DEFAULT
    },
];

const PUBSUB_SUBCOMMANDS: &[Command] = &[
    Command {
        name: "numsub",
        arity: -2,
        flags: PUBSUB | LOADING | STALE,
        acl: "@pubsub @slow",
        group: "pubsub",
        summary: "Get the count of subscribers for channels",
        since: "2.8.0",
        handler: numsub_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "help",
        arity: 2,
        flags: LOADING | STALE,
        acl: "@slow",
        group: "pubsub",
        summary: "Show helpful text about the different subcommands",
        since: "6.2.0",
        handler: help_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "shardnumsub",
        arity: -2,
        flags: PUBSUB | LOADING | STALE,
        acl: "@pubsub @slow",
        group: "pubsub",
        summary: "Get the count of subscribers for shard channels",
        since: "7.0.0",
        handler: shardnumsub_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "numpat",
        arity: 2,
        flags: PUBSUB | LOADING | STALE,
        acl: "@pubsub @slow",
        group: "pubsub",
        summary: "Get the count of unique patterns pattern subscriptions",
        since: "2.8.0",
        handler: numpat_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "channels",
        arity: -2,
        flags: PUBSUB | LOADING | STALE,
        acl: "@pubsub @slow",
        group: "pubsub",
        summary: "List active channels",
        since: "2.8.0",
        handler: channels_cmd,
        ..Command::DEFAULT
    },
    Command {
        name: "shardchannels",
        arity: -2,
        flags: PUBSUB | LOADING | STALE,
        acl: "@pubsub @slow",
        group: "pubsub",
        summary: "List active shard channels",
        since: "7.0.0",
        handler: shardchannels_cmd,
        ..Command::DEFAULT
    },
];

// ------------------------------------------------------------------ messages

fn push3(kind: &'static [u8], name: Reply, count: usize) -> Reply {
    Reply::Push(alloc::vec![Reply::bulk(kind), name, Reply::Int(count as i64)])
}

/// The confirmation words of each kind: (subscribe, unsubscribe, message).
fn words(kind: Kind) -> (&'static [u8], &'static [u8], &'static [u8]) {
    match kind {
        Kind::Channel => (b"subscribe", b"unsubscribe", b"message"),
        Kind::Pattern => (b"psubscribe", b"punsubscribe", b"pmessage"),
        Kind::Shard => (b"ssubscribe", b"sunsubscribe", b"smessage"),
    }
}

/// The count a confirmation carries: channels plus patterns for the global
/// kinds, shard channels for the shard kind.
fn confirm_count(subs: &ClientSubs, kind: Kind) -> usize {
    match kind {
        Kind::Shard => subs.count(Kind::Shard),
        _ => subs.global_count(),
    }
}

/// One reply for a list of confirmations: the single one, or a sequence.
fn seq(mut msgs: Vec<Reply>) -> Reply {
    if msgs.len() == 1 {
        msgs.pop().unwrap_or(Reply::Nil)
    } else {
        Reply::Seq(msgs)
    }
}

impl Engine {
    /// Takes a client's subscription table out (a fresh one if it has none)
    /// so it and the server registry can be updated side by side.
    /// A new table is seeded from the RNG only when it may be kept (`keep`).
    fn take_subs(&mut self, id: ClientId, keep: bool) -> Box<ClientSubs> {
        match self.clients.get_mut(&id).and_then(|c| c.subs.take()) {
            Some(s) => s,
            None => Box::new(ClientSubs::new(if keep { self.rng.next_u64() } else { 0 })),
        }
    }

    /// Puts a client's subscription table back; the client is in pub/sub
    /// mode (flag `P`) exactly while it has a subscription.
    fn put_subs(&mut self, id: ClientId, subs: Box<ClientSubs>) {
        if let Some(c) = self.clients.get_mut(&id) {
            if subs.total() > 0 {
                c.subs = Some(subs);
                c.flags |= client_flags::PUBSUB;
            } else {
                c.subs = None;
                c.flags &= !client_flags::PUBSUB;
            }
        }
    }

    /// Subscribes client `id` to `names` of `kind`; returns the
    /// confirmations, one per name (repeats included), in order.
    pub fn subscribe(&mut self, id: ClientId, kind: Kind, names: &[&[u8]]) -> Vec<Reply> {
        if !self.clients.contains_key(&id) {
            return Vec::new();
        }
        let mut subs = self.take_subs(id, true);
        let word = words(kind).0;
        let mut out = Vec::with_capacity(names.len());
        for &n in names {
            self.pubsub.add(kind, id, &mut subs, n);
            out.push(push3(word, Reply::bulk(n), confirm_count(&subs, kind)));
        }
        self.put_subs(id, subs);
        out
    }

    /// Unsubscribes client `id` from `names` of `kind`, or from all of that
    /// kind when `names` is empty; returns the confirmations (one with a null
    /// name when there was nothing to leave).
    pub fn unsubscribe(&mut self, id: ClientId, kind: Kind, names: &[&[u8]]) -> Vec<Reply> {
        if !self.clients.contains_key(&id) {
            return Vec::new();
        }
        let mut subs = self.take_subs(id, false);
        let word = words(kind).1;
        let mut out = Vec::new();
        if names.is_empty() {
            let all: Vec<Box<[u8]>> = subs.names(kind).map(Box::from).collect();
            for n in &all {
                self.pubsub.remove(kind, id, &mut subs, n);
                out.push(push3(word, Reply::bulk(n), confirm_count(&subs, kind)));
            }
            if all.is_empty() {
                out.push(push3(word, Reply::Nil, confirm_count(&subs, kind)));
            }
        } else {
            for &n in names {
                self.pubsub.remove(kind, id, &mut subs, n);
                out.push(push3(word, Reply::bulk(n), confirm_count(&subs, kind)));
            }
        }
        self.put_subs(id, subs);
        out
    }

    /// Drops every subscription of client `id` without confirmations (RESET,
    /// closing the connection).
    pub(crate) fn pubsub_unsubscribe_all(&mut self, id: ClientId) {
        let Some(mut subs) = self.clients.get_mut(&id).and_then(|c| c.subs.take()) else { return };
        for kind in [Kind::Channel, Kind::Shard, Kind::Pattern] {
            let all: Vec<Box<[u8]>> = subs.names(kind).map(Box::from).collect();
            for n in &all {
                self.pubsub.remove(kind, id, &mut subs, n);
            }
        }
        self.put_subs(id, subs);
    }

    /// Delivers `message` on `channel` (a shard channel when `shard`): to the
    /// channel's subscribers in subscription order, then (not for shard
    /// channels) to every matching pattern's subscribers. Returns the number
    /// of deliveries (a client matching twice counts twice).
    pub(crate) fn publish_message(&mut self, channel: &[u8], message: &[u8], shard: bool) -> usize {
        let kind = if shard { Kind::Shard } else { Kind::Channel };
        let direct: Vec<ClientId> = self.pubsub.subscribers(kind, channel).to_vec();
        let word = words(kind).2;
        let mut n = 0;
        for id in direct {
            let msg = Reply::Push(alloc::vec![Reply::bulk(word), Reply::bulk(channel), Reply::bulk(message)]);
            n += self.deliver(id, msg) as usize;
        }
        if !shard {
            for (pat, id) in self.pubsub.pattern_receivers(channel) {
                let msg = Reply::Push(alloc::vec![
                    Reply::bulk(b"pmessage"),
                    Reply::Bulk(pat.into_vec()),
                    Reply::bulk(channel),
                    Reply::bulk(message)
                ]);
                n += self.deliver(id, msg) as usize;
            }
        }
        n
    }

    fn deliver(&mut self, id: ClientId, msg: Reply) -> bool {
        let Some(c) = self.clients.get_mut(&id) else { return false };
        c.outbox.push_back(msg);
        self.wake(id);
        true
    }

    /// PUBLISH: delivers `message` to `channel`'s subscribers and matching
    /// pattern subscribers; returns how many received it.
    pub fn publish(&mut self, channel: &[u8], message: &[u8]) -> usize {
        self.publish_message(channel, message, false)
    }

    /// SPUBLISH: delivers `message` to the shard channel's subscribers.
    pub fn spublish(&mut self, channel: &[u8], message: &[u8]) -> usize {
        self.publish_message(channel, message, true)
    }

    /// PUBSUB CHANNELS / SHARDCHANNELS: active (shard) channels, optionally
    /// only those matching `pattern`.
    pub fn pubsub_channels(&self, shard: bool, pattern: Option<&[u8]>) -> Vec<Vec<u8>> {
        let kind = if shard { Kind::Shard } else { Kind::Channel };
        self.pubsub.names(kind).filter(|n| pattern.is_none_or(|p| crate::glob::matches(p, n, false))).map(<[u8]>::to_vec).collect()
    }

    /// PUBSUB NUMSUB / SHARDNUMSUB: the number of direct subscribers of each
    /// channel (pattern subscribers excluded).
    pub fn pubsub_numsub(&self, shard: bool, channels: &[&[u8]]) -> Vec<usize> {
        let kind = if shard { Kind::Shard } else { Kind::Channel };
        channels.iter().map(|c| self.pubsub.subscribers(kind, c).len()).collect()
    }

    /// PUBSUB NUMPAT: the number of distinct patterns subscribed to.
    pub fn pubsub_numpat(&self) -> usize {
        self.pubsub.len(Kind::Pattern)
    }

    /// A client's subscription counts: (channels, patterns, shard channels),
    /// as CLIENT LIST's `sub`, `psub` and `ssub` show them.
    pub fn subscription_counts(&self, id: ClientId) -> (usize, usize, usize) {
        match self.clients.get(&id).and_then(|c| c.subs.as_deref()) {
            Some(s) => (s.count(Kind::Channel), s.count(Kind::Pattern), s.count(Kind::Shard)),
            None => (0, 0, 0),
        }
    }
}

impl Ctx<'_> {
    /// Says the command's reply is out at this point, for a handler whose
    /// Redis counterpart adds its reply before (some of) its keyspace
    /// notifications: messages its own client receives from here on follow
    /// the reply (a RESP3 client subscribed to its own keys sees them in
    /// Redis's order). Events recorded before this point are delivered
    /// first.
    pub fn reply_point(&mut self) {
        self.eng.drain_db_events();
        let id = self.client;
        self.eng.reply_mark = Some(self.eng.clients.get(&id).map_or(0, |c| c.outbox.len()));
    }
}

// ------------------------------------------------------------------ commands

/// Redis refuses subscriptions from clients that expect exactly one reply
/// per command (`CLIENT_DENY_BLOCKING`: here, contexts that may not block),
/// except SUBSCRIBE/PSUBSCRIBE inside EXEC, kept for compatibility.
fn check_may_subscribe(cx: &Ctx<'_>, name: &str, allow_in_multi: bool) -> Result<()> {
    if cx.may_block() {
        return Ok(());
    }
    let in_multi = cx.eng.clients.get(&cx.client).is_some_and(|c| c.multi.is_some());
    if allow_in_multi && in_multi {
        return Ok(());
    }
    Err(Error::err(&alloc::format!("{} isn't allowed for a DENY BLOCKING client", name)))
}

fn subscribe_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    check_may_subscribe(cx, "SUBSCRIBE", true)?;
    Ok(seq(cx.eng.subscribe(cx.client, Kind::Channel, a.rest())))
}

fn psubscribe_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    check_may_subscribe(cx, "PSUBSCRIBE", true)?;
    Ok(seq(cx.eng.subscribe(cx.client, Kind::Pattern, a.rest())))
}

fn ssubscribe_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    check_may_subscribe(cx, "SSUBSCRIBE", false)?;
    Ok(seq(cx.eng.subscribe(cx.client, Kind::Shard, a.rest())))
}

fn unsubscribe_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    Ok(seq(cx.eng.unsubscribe(cx.client, Kind::Channel, a.rest())))
}

fn punsubscribe_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    Ok(seq(cx.eng.unsubscribe(cx.client, Kind::Pattern, a.rest())))
}

fn sunsubscribe_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    Ok(seq(cx.eng.unsubscribe(cx.client, Kind::Shard, a.rest())))
}

fn publish_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let (ch, msg) = (a.req()?, a.req()?);
    Ok(Reply::Int(cx.eng.publish(ch, msg) as i64))
}

fn spublish_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let (ch, msg) = (a.req()?, a.req()?);
    Ok(Reply::Int(cx.eng.spublish(ch, msg) as i64))
}

const PUBSUB_HELP: &[&str] = &[
    "CHANNELS [<pattern>]",
    "    Return the currently active channels matching a <pattern> (default: '*').",
    "NUMPAT",
    "    Return number of subscriptions to patterns.",
    "NUMSUB [<channel> ...]",
    "    Return the number of subscribers for the specified channels, excluding",
    "    pattern subscriptions(default: no channels).",
    "SHARDCHANNELS [<pattern>]",
    "    Return the currently active shard level channels matching a <pattern> (default: '*').",
    "SHARDNUMSUB [<shardchannel> ...]",
    "    Return the number of subscribers for the specified shard level channel(s)",
];

fn help_cmd(_cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    let name = a.argv().first().copied().unwrap_or(b"pubsub");
    Ok(crate::cmd::keys::help_reply(name, PUBSUB_HELP))
}

/// Redis's `addReplySubcommandSyntaxError` for PUBSUB.
fn subcommand_syntax(a: &Args<'_>) -> Error {
    let sub = a.argv().get(1).copied().unwrap_or(b"");
    let mut m = b"ERR unknown subcommand or wrong number of arguments for '".to_vec();
    m.extend_from_slice(&sub[..sub.len().min(128)]);
    m.extend_from_slice(b"'. Try PUBSUB HELP.");
    Error::msg(m)
}

fn channels_generic(cx: &mut Ctx<'_>, a: &mut Args<'_>, shard: bool) -> Result<Reply> {
    if a.remaining() > 1 {
        return Err(subcommand_syntax(a));
    }
    let pattern = a.next();
    Ok(Reply::bulk_array(cx.eng.pubsub_channels(shard, pattern)))
}

fn channels_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    channels_generic(cx, a, false)
}

fn shardchannels_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    channels_generic(cx, a, true)
}

fn numsub_generic(cx: &mut Ctx<'_>, a: &mut Args<'_>, shard: bool) -> Result<Reply> {
    let chans = a.rest();
    let counts = cx.eng.pubsub_numsub(shard, chans);
    let mut out = Vec::with_capacity(chans.len() * 2);
    for (c, n) in chans.iter().zip(counts) {
        out.push(Reply::bulk(c));
        out.push(Reply::Int(n as i64));
    }
    Ok(Reply::Array(out))
}

fn numsub_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    numsub_generic(cx, a, false)
}

fn shardnumsub_cmd(cx: &mut Ctx<'_>, a: &mut Args<'_>) -> Result<Reply> {
    numsub_generic(cx, a, true)
}

fn numpat_cmd(cx: &mut Ctx<'_>, _a: &mut Args<'_>) -> Result<Reply> {
    Ok(Reply::Int(cx.eng.pubsub_numpat() as i64))
}
