//! The pub/sub subscription registry, kept on both sides as Redis keeps it:
//! the server side maps each channel, pattern or shard channel to its
//! subscribers in subscription order (publish delivers in that order), and
//! each client keeps the names it listens to ([`ClientSubs`]), so counts,
//! UNSUBSCRIBE without arguments and closing a client need no global scan.
//!
//! Invariants:
//! - a client id is listed under a name in [`PubSub`] exactly when the name
//!   is in that client's [`ClientSubs`] for the same [`Kind`], once;
//! - [`PubSub`] holds no name without subscribers (PUBSUB CHANNELS lists
//!   active channels only, and patterns cost publish time while present).
//!
//! Iteration order (UNSUBSCRIBE without arguments, PUBSUB CHANNELS, pattern
//! matching on publish) is Redis's hash-table order there, i.e. unspecified;
//! here it is the [`Dict`] slot order, deterministic and close to the order of
//! subscription.

use alloc::boxed::Box;
use alloc::vec::Vec;

use crate::client::ClientId;
use crate::dict::{Dict, Keyed};

/// The three subscription namespaces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// SUBSCRIBE / PUBLISH channels.
    Channel,
    /// PSUBSCRIBE glob patterns over channel names.
    Pattern,
    /// SSUBSCRIBE / SPUBLISH shard channels (never matched by patterns).
    Shard,
}

impl Kind {
    fn index(self) -> usize {
        match self {
            Kind::Channel => 0,
            Kind::Pattern => 1,
            Kind::Shard => 2,
        }
    }
}

/// A name and the clients subscribed to it, in subscription order.
#[derive(Debug, Clone)]
struct Subscribers {
    name: Box<[u8]>,
    clients: Vec<ClientId>,
}

impl Keyed for Subscribers {
    fn key(&self) -> &[u8] {
        &self.name
    }
}

/// A name a client is subscribed to.
#[derive(Debug, Clone)]
struct Name(Box<[u8]>);

impl Keyed for Name {
    fn key(&self) -> &[u8] {
        &self.0
    }
}

/// One client's subscriptions (boxed in [`crate::client::Client`] only while
/// it has any).
#[derive(Debug, Clone)]
pub struct ClientSubs {
    names: [Dict<Name>; 3],
}

impl ClientSubs {
    /// No subscriptions; the tables hash with `seed`.
    pub fn new(seed: u64) -> Self {
        ClientSubs { names: [Dict::with_seed(seed), Dict::with_seed(seed ^ 1), Dict::with_seed(seed ^ 2)] }
    }

    /// Number of subscriptions of `kind`.
    pub fn count(&self, kind: Kind) -> usize {
        self.names[kind.index()].len()
    }

    /// Channels plus patterns: the count SUBSCRIBE/PSUBSCRIBE replies carry
    /// (Redis's `clientSubscriptionsCount`).
    pub fn global_count(&self) -> usize {
        self.count(Kind::Channel) + self.count(Kind::Pattern)
    }

    /// Every subscription of any kind (the client leaves pub/sub mode at 0).
    pub fn total(&self) -> usize {
        self.global_count() + self.count(Kind::Shard)
    }

    /// True if subscribed to `name` as `kind`.
    pub fn contains(&self, kind: Kind, name: &[u8]) -> bool {
        self.names[kind.index()].contains(name)
    }

    /// The names of `kind`, in table order.
    pub fn names(&self, kind: Kind) -> impl Iterator<Item = &[u8]> + '_ {
        self.names[kind.index()].iter().map(|n| &*n.0)
    }
}

/// The server side of the registry.
#[derive(Debug, Clone)]
pub struct PubSub {
    tables: [Dict<Subscribers>; 3],
}

impl PubSub {
    /// An empty registry hashing with `seed`.
    pub fn new(seed: u64) -> Self {
        PubSub { tables: [Dict::with_seed(seed), Dict::with_seed(seed ^ 1), Dict::with_seed(seed ^ 2)] }
    }

    /// True when nobody listens to anything (publishing is then a no-op:
    /// keyspace notifications skip building their channel names).
    pub fn is_empty(&self) -> bool {
        self.tables.iter().all(|t| t.is_empty())
    }

    /// True when nobody listens to non-shard channels or patterns.
    pub fn global_is_empty(&self) -> bool {
        self.tables[0].is_empty() && self.tables[1].is_empty()
    }

    /// Subscribes client `id` (whose own table is `subs`) to `name`; false if
    /// it already was.
    pub fn add(&mut self, kind: Kind, id: ClientId, subs: &mut ClientSubs, name: &[u8]) -> bool {
        let own = &mut subs.names[kind.index()];
        if own.contains(name) {
            return false;
        }
        own.insert_new(Name(name.into()));
        let table = &mut self.tables[kind.index()];
        match table.get_mut(name) {
            Some(s) => s.clients.push(id),
            None => {
                table.insert_new(Subscribers { name: name.into(), clients: alloc::vec![id] });
            }
        }
        true
    }

    /// Unsubscribes client `id` from `name`; false if it was not subscribed.
    pub fn remove(&mut self, kind: Kind, id: ClientId, subs: &mut ClientSubs, name: &[u8]) -> bool {
        if subs.names[kind.index()].remove(name).is_none() {
            return false;
        }
        let table = &mut self.tables[kind.index()];
        if let Some(s) = table.get_mut(name) {
            if let Some(p) = s.clients.iter().position(|&c| c == id) {
                s.clients.remove(p);
            }
            if s.clients.is_empty() {
                table.remove(name);
            }
        }
        true
    }

    /// The subscribers of `name`, in subscription order.
    pub fn subscribers(&self, kind: Kind, name: &[u8]) -> &[ClientId] {
        self.tables[kind.index()].get(name).map_or(&[], |s| &s.clients)
    }

    /// Number of distinct names of `kind` with subscribers.
    pub fn len(&self, kind: Kind) -> usize {
        self.tables[kind.index()].len()
    }

    /// The names of `kind` with subscribers, in table order.
    pub fn names(&self, kind: Kind) -> impl Iterator<Item = &[u8]> + '_ {
        self.tables[kind.index()].iter().map(|s| &*s.name)
    }

    /// Every (pattern, subscriber) pair whose pattern matches `channel`,
    /// pattern by pattern in table order, each pattern's subscribers in
    /// subscription order (Redis's publish loop).
    pub fn pattern_receivers(&self, channel: &[u8]) -> Vec<(Box<[u8]>, ClientId)> {
        let mut out = Vec::new();
        for s in self.tables[Kind::Pattern.index()].iter() {
            if crate::glob::matches(&s.name, channel, false) {
                out.extend(s.clients.iter().map(|&c| (s.name.clone(), c)));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_sides_stay_in_step() {
        let mut ps = PubSub::new(1);
        let mut a = ClientSubs::new(2);
        let mut b = ClientSubs::new(3);
        assert!(ps.add(Kind::Channel, 1, &mut a, b"x"));
        assert!(!ps.add(Kind::Channel, 1, &mut a, b"x"));
        assert!(ps.add(Kind::Channel, 2, &mut b, b"x"));
        assert_eq!(ps.subscribers(Kind::Channel, b"x"), &[1, 2]);
        assert!(ps.add(Kind::Pattern, 1, &mut a, b"x*"));
        assert_eq!(a.global_count(), 2);
        assert_eq!(ps.pattern_receivers(b"xy").len(), 1);
        assert!(ps.pattern_receivers(b"y").is_empty());
        assert!(ps.remove(Kind::Channel, 1, &mut a, b"x"));
        assert!(!ps.remove(Kind::Channel, 1, &mut a, b"x"));
        assert_eq!(ps.subscribers(Kind::Channel, b"x"), &[2]);
        assert!(ps.remove(Kind::Channel, 2, &mut b, b"x"));
        assert_eq!(ps.len(Kind::Channel), 0);
        assert!(!ps.is_empty());
        assert!(ps.remove(Kind::Pattern, 1, &mut a, b"x*"));
        assert!(ps.is_empty());
        assert_eq!(a.total(), 0);
    }
}
