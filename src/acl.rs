//! ACL users, as Redis 7.0.15 keeps them: who a connection is, what it may
//! run, which keys (with read/write distinctions) and which pub/sub
//! channels it may name, and the log of what was refused.
//!
//! A user has flags (`on`/`off`, `nopass`, payload sanitizing), SHA-256
//! password hashes, and selectors: the root selector (the rules given
//! outside parentheses) and any added `( ... )` selectors. A command is
//! allowed when one selector allows the command and every key and channel
//! it names. Rules are applied to a staged copy, so ACL SETUSER changes all
//! or nothing.
//!
//! Commands are numbered by the [`Catalog`]: the engine's command table
//! (commands and subcommands, in stat-index order) followed by the commands
//! Redis 7.0.15 has that redlet does not run (cluster and replication), so
//! rules naming them are accepted and categories count the same commands
//! as Redis does. That matters for ACL LIST and GETUSER, whose command rules
//! are rebuilt from the permission bitmap by Redis's best-fit over
//! categories. One bit past the last command stands for "commands that do
//! not exist yet" (set by `+@all` only), which decides whether a
//! description starts from `+@all` or `-@all`.
//!
//! Redis iterates its command dictionary in hash order, which changes with
//! every process's hash seed; where that order shows (the single commands
//! after the categories in a description, ACL CAT's list) redlet uses its
//! table's order.

use alloc::collections::VecDeque;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use sha2::{Digest, Sha256};

use crate::glob;

/// Redis's ACL categories, in the order ACL CAT lists them and the best-fit
/// description tries them. A command's categories are a bit mask over this.
pub const CATEGORIES: [&str; 21] = [
    "keyspace", "read", "write", "set", "sortedset", "list", "hash", "string", "bitmap", "hyperloglog", "geo", "stream", "pubsub", "admin",
    "fast", "slow", "blocking", "dangerous", "connection", "transaction", "scripting",
];

/// The category mask of an `acl` string such as `"@read @fast"`.
pub(crate) fn category_mask(acl: &str) -> u32 {
    acl.split(' ').filter_map(|c| c.strip_prefix('@')).filter_map(category_bit).fold(0, |m, b| m | b)
}

/// The bit of category `name` (any case), if it is one.
fn category_bit(name: &str) -> Option<u32> {
    CATEGORIES.iter().position(|c| c.eq_ignore_ascii_case(name)).map(|i| 1 << i)
}

/// Commands and subcommands Redis 7.0.15 has and redlet's table does not:
/// `(name, categories, subcommands)`. Rules may name them; they count in
/// categories. Entries the table has (a later redlet runs them) are skipped.
const ELSEWHERE: &[(&str, &str, &[(&str, &str)])] = &[
    ("acl", "@slow", &[]),
    ("asking", "@connection @fast", &[]),
    ("bgrewriteaof", "@admin @dangerous @slow", &[]),
    (
        "cluster",
        "@slow",
        &[
            ("addslots", "@admin @dangerous @slow"),
            ("addslotsrange", "@admin @dangerous @slow"),
            ("bumpepoch", "@admin @dangerous @slow"),
            ("count-failure-reports", "@admin @dangerous @slow"),
            ("countkeysinslot", "@slow"),
            ("delslots", "@admin @dangerous @slow"),
            ("delslotsrange", "@admin @dangerous @slow"),
            ("failover", "@admin @dangerous @slow"),
            ("flushslots", "@admin @dangerous @slow"),
            ("forget", "@admin @dangerous @slow"),
            ("getkeysinslot", "@slow"),
            ("help", "@slow"),
            ("info", "@slow"),
            ("keyslot", "@slow"),
            ("links", "@slow"),
            ("meet", "@admin @dangerous @slow"),
            ("myid", "@slow"),
            ("nodes", "@slow"),
            ("replicas", "@admin @dangerous @slow"),
            ("replicate", "@admin @dangerous @slow"),
            ("reset", "@admin @dangerous @slow"),
            ("saveconfig", "@admin @dangerous @slow"),
            ("set-config-epoch", "@admin @dangerous @slow"),
            ("setslot", "@admin @dangerous @slow"),
            ("shards", "@slow"),
            ("slaves", "@admin @dangerous @slow"),
            ("slots", "@slow"),
        ],
    ),
    ("dump", "@keyspace @read @slow", &[]),
    ("failover", "@admin @dangerous @slow", &[]),
    ("latency", "", &[("histogram", "@admin @dangerous @slow")]),
    ("migrate", "@keyspace @write @slow @dangerous", &[]),
    ("psync", "@admin @slow @dangerous", &[]),
    ("readonly", "@fast @connection", &[]),
    ("readwrite", "@fast @connection", &[]),
    ("replconf", "@admin @slow @dangerous", &[]),
    ("replicaof", "@admin @slow @dangerous", &[]),
    ("restore", "@keyspace @write @slow @dangerous", &[]),
    ("restore-asking", "@keyspace @write @slow @dangerous", &[]),
    ("slaveof", "@admin @slow @dangerous", &[]),
    ("sync", "@admin @slow @dangerous", &[]),
];

/// One command or subcommand rules can name.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    /// Full name: `get`, `config|get`.
    pub name: String,
    /// Category mask.
    cats: u32,
    /// The container, for a subcommand.
    parent: Option<u32>,
    /// Subcommands, for a container.
    children: Vec<u32>,
}

/// Every command ACL rules can name, numbered: ids `0..table_len` are the
/// engine's stat indices; the commands only Redis runs follow.
#[derive(Debug, Clone, Default)]
pub(crate) struct Catalog {
    entries: Vec<Entry>,
    /// Top-level commands, in table order then the others.
    tops: Vec<u32>,
}

impl Catalog {
    /// The catalog of the engine's command table (`commands` in table
    /// order, so ids are stat indices), then the commands only Redis runs.
    pub(crate) fn from_commands(commands: impl Iterator<Item = &'static crate::cmd::Command>) -> Catalog {
        let mut cat = Catalog::default();
        for c in commands {
            cat.push_command(c.name, c.acl, &mut c.subcommands.iter().map(|s| (s.name, s.acl)));
        }
        cat.add_elsewhere();
        cat
    }

    /// A catalog of `(name, categories, subcommands)` (tests).
    #[cfg(test)]
    fn build(table: &[(&str, &str, &[(&str, &str)])]) -> Catalog {
        let mut cat = Catalog::default();
        for &(name, acl, subs) in table {
            cat.push_command(name, acl, &mut subs.iter().copied());
        }
        cat.add_elsewhere();
        cat
    }

    fn add_elsewhere(&mut self) {
        for &(name, acl, subs) in ELSEWHERE {
            match self.top(name.as_bytes()) {
                None => self.push_command(name, acl, &mut subs.iter().copied()),
                // A container redlet has, with subcommands it lacks.
                Some(parent) => {
                    for &(sub, sacl) in subs {
                        if self.child(parent, sub.as_bytes()).is_none() {
                            let id = self.entries.len() as u32;
                            self.entries.push(Entry { name: format!("{name}|{sub}"), cats: category_mask(sacl), parent: Some(parent), children: Vec::new() });
                            self.entries[parent as usize].children.push(id);
                        }
                    }
                }
            }
        }
    }

    fn push_command(&mut self, name: &str, acl: &str, subs: &mut dyn Iterator<Item = (&str, &str)>) {
        let id = self.entries.len() as u32;
        self.tops.push(id);
        self.entries.push(Entry { name: String::from(name), cats: category_mask(acl), parent: None, children: Vec::new() });
        for (sub, sacl) in subs {
            let sid = self.entries.len() as u32;
            self.entries.push(Entry { name: format!("{name}|{sub}"), cats: category_mask(sacl), parent: Some(id), children: Vec::new() });
            self.entries[id as usize].children.push(sid);
        }
    }

    /// Number of command ids; the id one past the last is the "future
    /// commands" bit.
    pub(crate) fn len(&self) -> usize {
        self.entries.len()
    }

    fn words(&self) -> usize {
        self.entries.len() / 64 + 1
    }

    fn top(&self, name: &[u8]) -> Option<u32> {
        self.tops.iter().copied().find(|&i| self.entries[i as usize].name.as_bytes().eq_ignore_ascii_case(name))
    }

    fn child(&self, parent: u32, sub: &[u8]) -> Option<u32> {
        let plen = self.entries[parent as usize].name.len() + 1;
        self.entries[parent as usize].children.iter().copied().find(|&c| self.entries[c as usize].name.as_bytes()[plen..].eq_ignore_ascii_case(sub))
    }

    /// A command by full name, as Redis's `lookupCommandBySdsLogic`: `name`
    /// or `container|sub`; a `|` part on a command without subcommands, or
    /// more than one `|`, names nothing.
    pub(crate) fn lookup(&self, name: &[u8]) -> Option<u32> {
        let mut parts = name.split(|&b| b == b'|');
        let base = self.top(parts.next()?)?;
        match (parts.next(), parts.next()) {
            (None, _) => Some(base),
            (Some(sub), None) if !self.entries[base as usize].children.is_empty() => self.child(base, sub),
            _ => None,
        }
    }

    /// The entry with id `id`.
    pub(crate) fn entry(&self, id: u32) -> &Entry {
        &self.entries[id as usize]
    }

    /// Full names of the commands in category `mask`, containers before
    /// their subcommands (ACL CAT category).
    pub(crate) fn in_category(&self, mask: u32) -> Vec<&str> {
        let mut out = Vec::new();
        for &t in &self.tops {
            let e = &self.entries[t as usize];
            if e.cats & mask != 0 {
                out.push(e.name.as_str());
            }
            for &c in &e.children {
                if self.entries[c as usize].cats & mask != 0 {
                    out.push(self.entries[c as usize].name.as_str());
                }
            }
        }
        out
    }
}

/// Key pattern permissions (`%R~`, `%W~`, `~` is both).
const READ: u8 = 1;
const WRITE: u8 = 2;

/// Why a rule was refused (Redis's errno values in `ACLSetUser`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RuleError {
    UnknownName,
    Syntax,
    KeyAfterAll,
    ChannelAfterAll,
    NoSuchPassword,
    BadHash,
    FirstArgOfSub,
}

impl RuleError {
    fn text(self) -> &'static str {
        match self {
            RuleError::UnknownName => "Unknown command or category name in ACL",
            RuleError::Syntax => "Syntax error",
            RuleError::KeyAfterAll => "Adding a pattern after the * pattern (or the 'allkeys' flag) is not valid and does not have any effect. Try 'resetkeys' to start with an empty list of patterns",
            RuleError::ChannelAfterAll => "Adding a pattern after the * pattern (or the 'allchannels' flag) is not valid and does not have any effect. Try 'resetchannels' to start with an empty list of channels",
            RuleError::NoSuchPassword => "The password you are trying to remove from the user does not exist",
            RuleError::BadHash => "The password hash must be exactly 64 characters and contain only lowercase hexadecimal characters",
            RuleError::FirstArgOfSub => "Allowing first-arg of a subcommand is not supported",
        }
    }
}

/// Redis's `ACLStringHasSpaces`: whitespace or NUL.
fn has_spaces(s: &[u8]) -> bool {
    s.iter().any(|&c| matches!(c, b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c | 0))
}

/// One set of permissions: commands, keys, channels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Selector {
    root: bool,
    allkeys: bool,
    allchannels: bool,
    /// Every bit set by `+@all` and not cleared since: checks skip the
    /// bitmap (an optimisation; the bitmap agrees).
    allcommands: bool,
    bits: Vec<u64>,
    /// First arguments allowed for otherwise denied commands (`+select|0`),
    /// by command id, in the order they were added.
    firstargs: Vec<(u32, Vec<Vec<u8>>)>,
    /// Key patterns and their READ/WRITE permissions, in order added.
    patterns: Vec<(u8, Vec<u8>)>,
    channels: Vec<Vec<u8>>,
}

impl Selector {
    fn new(cat: &Catalog, root: bool, allchannels: bool) -> Selector {
        Selector {
            root,
            allkeys: false,
            allchannels,
            allcommands: false,
            bits: alloc::vec![0; cat.words()],
            firstargs: Vec::new(),
            patterns: Vec::new(),
            channels: Vec::new(),
        }
    }

    fn bit(&self, id: u32) -> bool {
        self.bits.get(id as usize / 64).is_some_and(|w| w & (1 << (id % 64)) != 0)
    }

    fn set_bit(&mut self, id: u32, on: bool) {
        if let Some(w) = self.bits.get_mut(id as usize / 64) {
            if on {
                *w |= 1 << (id % 64);
            } else {
                *w &= !(1 << (id % 64));
                self.allcommands = false;
            }
        }
    }

    /// Allows or denies a command and, for a container, its subcommands
    /// (Redis's `ACLChangeSelectorPerm`).
    fn change(&mut self, cat: &Catalog, id: u32, allow: bool) {
        self.set_bit(id, allow);
        self.firstargs.retain(|(c, _)| *c != id);
        for &c in &cat.entry(id).children {
            self.set_bit(c, allow);
        }
    }

    fn set_category(&mut self, cat: &Catalog, mask: u32, allow: bool) {
        for &t in &cat.tops {
            if cat.entry(t).cats & mask != 0 {
                self.change(cat, t, allow);
            }
            for &c in &cat.entry(t).children {
                if cat.entry(c).cats & mask != 0 {
                    self.change(cat, c, allow);
                }
            }
        }
    }

    fn count_category(&self, cat: &Catalog, mask: u32) -> (u32, u32) {
        let (mut on, mut off) = (0, 0);
        for (id, e) in cat.entries.iter().enumerate() {
            if e.cats & mask != 0 {
                if self.bit(id as u32) {
                    on += 1;
                } else {
                    off += 1;
                }
            }
        }
        (on, off)
    }

    fn all_commands(&mut self, on: bool) {
        self.bits.iter_mut().for_each(|w| *w = if on { u64::MAX } else { 0 });
        self.allcommands = on;
        self.firstargs.clear();
    }

    /// Applies one selector rule (Redis's `ACLSetSelector`).
    fn apply(&mut self, cat: &Catalog, op: &[u8]) -> Result<(), RuleError> {
        let is = |w: &str| op.eq_ignore_ascii_case(w.as_bytes());
        if is("allkeys") || is("~*") {
            self.allkeys = true;
            self.patterns.clear();
        } else if is("resetkeys") {
            self.allkeys = false;
            self.patterns.clear();
        } else if is("allchannels") || is("&*") {
            self.allchannels = true;
            self.channels.clear();
        } else if is("resetchannels") {
            self.allchannels = false;
            self.channels.clear();
        } else if is("allcommands") || is("+@all") {
            self.all_commands(true);
        } else if is("nocommands") || is("-@all") {
            self.all_commands(false);
        } else if op[0] == b'~' || op[0] == b'%' {
            if self.allkeys {
                return Err(RuleError::KeyAfterAll);
            }
            let (mut flags, mut offset) = (0u8, 1usize);
            if op[0] == b'%' {
                while offset < op.len() {
                    let c = op[offset];
                    if c.eq_ignore_ascii_case(&b'r') && flags & READ == 0 {
                        flags |= READ;
                    } else if c.eq_ignore_ascii_case(&b'w') && flags & WRITE == 0 {
                        flags |= WRITE;
                    } else if c == b'~' {
                        offset += 1;
                        break;
                    } else {
                        return Err(RuleError::Syntax);
                    }
                    offset += 1;
                }
                // `%R` with no `~`: Redis takes the empty rest as the
                // pattern, with the flags read so far.
            } else {
                flags = READ | WRITE;
            }
            let pat = &op[offset..];
            if has_spaces(pat) {
                return Err(RuleError::Syntax);
            }
            match self.patterns.iter_mut().find(|(_, p)| p == pat) {
                Some((f, _)) => *f |= flags,
                None => self.patterns.push((flags, pat.to_vec())),
            }
            self.allkeys = false;
        } else if op[0] == b'&' {
            if self.allchannels {
                return Err(RuleError::ChannelAfterAll);
            }
            let pat = &op[1..];
            if has_spaces(pat) {
                return Err(RuleError::Syntax);
            }
            if !self.channels.iter().any(|c| c == pat) {
                self.channels.push(pat.to_vec());
            }
            self.allchannels = false;
        } else if op[0] == b'+' && op.get(1) != Some(&b'@') {
            let name = &op[1..];
            match name.iter().rposition(|&b| b == b'|') {
                None => {
                    let id = cat.lookup(name).ok_or(RuleError::UnknownName)?;
                    self.change(cat, id, true);
                }
                Some(bar) => {
                    let (head, sub) = (&name[..bar], &name[bar + 1..]);
                    let id = cat.lookup(head).ok_or(RuleError::UnknownName)?;
                    if cat.entry(id).parent.is_some() {
                        return Err(RuleError::FirstArgOfSub);
                    }
                    if sub.is_empty() {
                        return Err(RuleError::Syntax);
                    }
                    if !cat.entry(id).children.is_empty() {
                        let sid = cat.lookup(name).ok_or(RuleError::UnknownName)?;
                        self.change(cat, sid, true);
                    } else {
                        match self.firstargs.iter_mut().find(|(c, _)| *c == id) {
                            Some((_, subs)) => {
                                if !subs.iter().any(|s| s.eq_ignore_ascii_case(sub)) {
                                    subs.push(sub.to_vec());
                                }
                            }
                            None => self.firstargs.push((id, alloc::vec![sub.to_vec()])),
                        }
                    }
                }
            }
        } else if op[0] == b'-' && op.get(1) != Some(&b'@') {
            let id = cat.lookup(&op[1..]).ok_or(RuleError::UnknownName)?;
            self.change(cat, id, false);
        } else if (op[0] == b'+' || op[0] == b'-') && op.get(1) == Some(&b'@') {
            let name = core::str::from_utf8(&op[2..]).ok().and_then(category_bit).ok_or(RuleError::UnknownName)?;
            self.set_category(cat, name, op[0] == b'+');
        } else {
            return Err(RuleError::Syntax);
        }
        Ok(())
    }

    /// The command rules that rebuild this selector's bitmap (Redis's
    /// `ACLDescribeSelectorCommandRules`): `+@all` or `-@all`, the
    /// categories that best fit what is left, then single commands.
    fn describe_commands(&self, cat: &Catalog) -> String {
        let mut rules = String::new();
        let mut fake = Selector::new(cat, false, false);
        let future = cat.len() as u32;
        let additive = !self.bit(future);
        fake.all_commands(!additive);
        rules.push_str(if additive { "-@all " } else { "+@all " });
        let mut temp = Selector::new(cat, false, false);
        temp.bits.clone_from(&self.bits);
        let mut applied = [false; CATEGORIES.len()];
        loop {
            let mut best = None;
            let (mut mindiff, mut maxsame) = (u32::MAX, 0u32);
            for (j, done) in applied.iter().enumerate() {
                if *done {
                    continue;
                }
                let (on, off) = temp.count_category(cat, 1 << j);
                let (diff, same) = if additive { (off, on) } else { (on, off) };
                if same > diff && (diff < mindiff || (diff == mindiff && same > maxsame)) {
                    best = Some(j);
                    mindiff = diff;
                    maxsame = same;
                }
            }
            let Some(j) = best else { break };
            fake.set_category(cat, 1 << j, additive);
            temp.set_category(cat, 1 << j, !additive);
            rules.push_str(if additive { "+@" } else { "-@" });
            rules.push_str(CATEGORIES[j]);
            rules.push(' ');
            applied[j] = true;
        }
        for &t in &cat.tops {
            self.describe_single(cat, &mut fake, &mut rules, t);
            for &c in &cat.entry(t).children {
                self.describe_single(cat, &mut fake, &mut rules, c);
            }
        }
        rules.pop();
        rules
    }

    fn describe_single(&self, cat: &Catalog, fake: &mut Selector, rules: &mut String, id: u32) {
        let user = self.bit(id);
        if user != fake.bit(id) {
            rules.push(if user { '+' } else { '-' });
            rules.push_str(&cat.entry(id).name);
            rules.push(' ');
            fake.change(cat, id, user);
        }
        if !user {
            if let Some((_, subs)) = self.firstargs.iter().find(|(c, _)| *c == id) {
                for s in subs {
                    rules.push('+');
                    rules.push_str(&cat.entry(id).name);
                    rules.push('|');
                    rules.push_str(&String::from_utf8_lossy(s));
                    rules.push(' ');
                }
            }
        }
    }

    /// Key patterns as ACL GETUSER shows them (`~a %R~b`), space separated.
    fn describe_keys(&self) -> String {
        if self.allkeys {
            return String::from("~*");
        }
        let mut s = String::new();
        for (i, (f, p)) in self.patterns.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(match *f {
                READ => "%R~",
                WRITE => "%W~",
                _ => "~",
            });
            s.push_str(&String::from_utf8_lossy(p));
        }
        s
    }

    fn describe_channels(&self) -> String {
        if self.allchannels {
            return String::from("&*");
        }
        let mut s = String::new();
        for (i, p) in self.channels.iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            s.push('&');
            s.push_str(&String::from_utf8_lossy(p));
        }
        s
    }

    /// The selector as ACL LIST shows it (Redis's `ACLDescribeSelector`).
    fn describe(&self, cat: &Catalog) -> String {
        let mut s = String::new();
        if self.allkeys {
            s.push_str("~* ");
        } else if !self.patterns.is_empty() {
            s.push_str(&self.describe_keys());
            s.push(' ');
        }
        if self.allchannels {
            s.push_str("&* ");
        } else {
            s.push_str("resetchannels ");
            for p in &self.channels {
                s.push('&');
                s.push_str(&String::from_utf8_lossy(p));
                s.push(' ');
            }
        }
        s.push_str(&self.describe_commands(cat));
        s
    }

    /// Whether this selector lets `cmd` run with `argv` (Redis's
    /// `ACLSelectorCheckCmd`); on a refusal, why and at which argument.
    fn check(&self, q: &Query<'_>, keys: &mut Option<Vec<(usize, u16)>>) -> Result<(), Denied> {
        if !self.allcommands && !q.no_auth && !self.bit(q.id) {
            let ok = q.argv.len() >= 2
                && self.firstargs.iter().find(|(c, _)| *c == q.id).is_some_and(|(_, subs)| {
                    let idx = if q.is_sub { 2 } else { 1 };
                    q.argv.get(idx).is_some_and(|a| subs.iter().any(|s| s.eq_ignore_ascii_case(a)))
                });
            if !ok {
                return Err(Denied::Command);
            }
        }
        if !self.allkeys {
            let keys = keys.get_or_insert_with(|| (q.keys)());
            for &(pos, flags) in keys.iter() {
                if !self.key_allowed(q.argv[pos], flags) {
                    return Err(Denied::Key(pos));
                }
            }
        }
        if !self.allchannels {
            if let Some((first, count, pattern)) = q.channels {
                let end = count.map_or(q.argv.len(), |n| (first + n).min(q.argv.len()));
                for pos in first..end {
                    if !self.channel_allowed(q.argv[pos], pattern) {
                        return Err(Denied::Channel(pos));
                    }
                }
            }
        }
        Ok(())
    }

    fn key_allowed(&self, key: &[u8], spec_flags: u16) -> bool {
        use crate::cmdmeta::key_flags as kf;
        let mut need = 0;
        if spec_flags & kf::ACCESS != 0 {
            need |= READ;
        }
        if spec_flags & (kf::INSERT | kf::DELETE | kf::UPDATE) != 0 {
            need |= WRITE;
        }
        self.allkeys || self.patterns.iter().any(|(f, p)| f & need == need && glob::matches(p, key, false))
    }

    fn channel_allowed(&self, channel: &[u8], pattern: bool) -> bool {
        self.allchannels || self.channels.iter().any(|p| if pattern { p == channel } else { glob::matches(p, channel, false) })
    }
}

/// Why a command was refused, with the argument at fault; ordered as
/// Redis's `ACL_DENIED_*` values, which pick the error to report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Denied {
    /// The command (or subcommand).
    Command,
    /// The key at this argument.
    Key(usize),
    /// The channel at this argument.
    Channel(usize),
}

impl Denied {
    fn rank(self) -> (u8, usize) {
        match self {
            Denied::Command => (1, 0),
            Denied::Key(p) => (2, p),
            Denied::Channel(p) => (4, p),
        }
    }
}

/// A command to check against a user.
pub(crate) struct Query<'a> {
    /// Its catalog id.
    pub id: u32,
    /// A subcommand (first arguments are then `argv[2]`).
    pub is_sub: bool,
    /// NO_AUTH commands (AUTH, HELLO...) need no command permission.
    pub no_auth: bool,
    /// The command line.
    pub argv: &'a [&'a [u8]],
    /// Its keys and their key-spec flags, computed only if needed.
    pub keys: &'a dyn Fn() -> Vec<(usize, u16)>,
    /// Channels it publishes or subscribes to: first argument, how many
    /// (`None`: the rest), and whether they are patterns.
    pub channels: Option<(usize, Option<usize>, bool)>,
}

/// Channel arguments of the commands that name channels checked by ACLs
/// (Redis's `commands_with_channels`, publish and subscribe only).
pub(crate) fn channel_args(full_name: &str) -> Option<(usize, Option<usize>, bool)> {
    match full_name {
        "subscribe" | "ssubscribe" => Some((1, None, false)),
        "psubscribe" => Some((1, None, true)),
        "publish" | "spublish" => Some((1, Some(1), false)),
        _ => None,
    }
}

/// User flags (Redis's `USER_FLAG_*`, in the order descriptions list them).
mod uflags {
    pub const ENABLED: u8 = 1;
    pub const DISABLED: u8 = 2;
    pub const NOPASS: u8 = 4;
    pub const SKIP_SANITIZE: u8 = 8;
    pub const SANITIZE: u8 = 16;
    pub const NAMES: [(u8, &str); 5] =
        [(ENABLED, "on"), (DISABLED, "off"), (NOPASS, "nopass"), (SKIP_SANITIZE, "skip-sanitize-payload"), (SANITIZE, "sanitize-payload")];
}

/// An ACL user.
#[derive(Debug, Clone)]
pub(crate) struct User {
    /// Its name.
    pub name: Vec<u8>,
    flags: u8,
    /// SHA-256 hashes, lowercase hex, in the order added.
    passwords: Vec<String>,
    /// The root selector first, then `( ... )` selectors in order.
    selectors: Vec<Selector>,
    /// Cached: one selector allowing every command, key and channel, so
    /// checks can be skipped.
    open: bool,
}

/// SHA-256 of `pass` as lowercase hex (Redis's `ACLHashPassword`).
pub(crate) fn hash_password(pass: &[u8]) -> String {
    let digest = Sha256::digest(pass);
    let mut s = String::with_capacity(64);
    for b in digest {
        s.push(char::from(b"0123456789abcdef"[(b >> 4) as usize]));
        s.push(char::from(b"0123456789abcdef"[(b & 15) as usize]));
    }
    s
}

fn valid_hash(h: &[u8]) -> bool {
    h.len() == 64 && h.iter().all(|c| matches!(c, b'0'..=b'9' | b'a'..=b'f'))
}

impl User {
    fn new(cat: &Catalog, name: &[u8], allchannels: bool) -> User {
        User { name: name.to_vec(), flags: uflags::DISABLED, passwords: Vec::new(), selectors: alloc::vec![Selector::new(cat, true, allchannels)], open: false }
    }

    /// Whether the user may log in.
    pub(crate) fn enabled(&self) -> bool {
        self.flags & uflags::DISABLED == 0
    }

    /// Whether every command, key and channel is allowed (checks skip).
    pub(crate) fn is_open(&self) -> bool {
        self.open
    }

    /// Whether any password works (`nopass`).
    pub(crate) fn nopass(&self) -> bool {
        self.flags & uflags::NOPASS != 0
    }

    /// Whether `pass` logs in as this user (enabled, and nopass or a
    /// matching hash; compared in time independent of where they differ).
    fn accepts(&self, pass: &[u8]) -> bool {
        if !self.enabled() {
            return false;
        }
        if self.nopass() {
            return true;
        }
        let h = hash_password(pass);
        self.passwords.iter().any(|p| p.bytes().zip(h.bytes()).fold(0u8, |d, (a, b)| d | (a ^ b)) == 0)
    }

    fn refresh(&mut self) {
        self.open = self.selectors.len() == 1 && {
            let s = &self.selectors[0];
            s.allkeys && s.allchannels && s.allcommands
        };
    }

    /// Applies one user rule (Redis's `ACLSetUser`).
    fn apply(&mut self, cat: &Catalog, op: &[u8], pubsub_all: bool) -> Result<(), RuleError> {
        let is = |w: &str| op.eq_ignore_ascii_case(w.as_bytes());
        if op.is_empty() {
            return Ok(());
        }
        if is("on") {
            self.flags = (self.flags | uflags::ENABLED) & !uflags::DISABLED;
        } else if is("off") {
            self.flags = (self.flags | uflags::DISABLED) & !uflags::ENABLED;
        } else if is("skip-sanitize-payload") {
            self.flags = (self.flags | uflags::SKIP_SANITIZE) & !uflags::SANITIZE;
        } else if is("sanitize-payload") {
            self.flags = (self.flags | uflags::SANITIZE) & !uflags::SKIP_SANITIZE;
        } else if is("nopass") {
            self.flags |= uflags::NOPASS;
            self.passwords.clear();
        } else if is("resetpass") {
            self.flags &= !uflags::NOPASS;
            self.passwords.clear();
        } else if op[0] == b'>' || op[0] == b'#' {
            let h = if op[0] == b'>' {
                hash_password(&op[1..])
            } else if valid_hash(&op[1..]) {
                String::from_utf8_lossy(&op[1..]).into_owned()
            } else {
                return Err(RuleError::BadHash);
            };
            if !self.passwords.contains(&h) {
                self.passwords.push(h);
            }
            self.flags &= !uflags::NOPASS;
        } else if op[0] == b'<' || op[0] == b'!' {
            let h = if op[0] == b'<' {
                hash_password(&op[1..])
            } else if valid_hash(&op[1..]) {
                String::from_utf8_lossy(&op[1..]).into_owned()
            } else {
                return Err(RuleError::BadHash);
            };
            let at = self.passwords.iter().position(|p| *p == h).ok_or(RuleError::NoSuchPassword)?;
            self.passwords.remove(at);
        } else if op[0] == b'(' && op[op.len() - 1] == b')' {
            let mut s = Selector::new(cat, false, pubsub_all);
            // Unbalanced quotes inside split to nothing, as sdssplitargs
            // returning NULL leaves Redis's loop with no rules.
            let inner = op.get(1..op.len() - 1).unwrap_or(&[]);
            for rule in crate::resp::split_args(inner).unwrap_or_default() {
                if rule.is_empty() {
                    continue;
                }
                s.apply(cat, &rule)?;
            }
            self.selectors.push(s);
        } else if is("clearselectors") {
            self.selectors.truncate(1);
        } else if is("reset") {
            self.passwords.clear();
            self.flags &= !uflags::NOPASS;
            let root = &mut self.selectors[0];
            root.allkeys = false;
            root.patterns.clear();
            root.allchannels = pubsub_all;
            root.channels.clear();
            self.flags = (self.flags | uflags::DISABLED | uflags::SANITIZE) & !(uflags::ENABLED | uflags::SKIP_SANITIZE);
            self.selectors.truncate(1);
            self.selectors[0].all_commands(false);
        } else {
            self.selectors[0].apply(cat, op)?;
        }
        Ok(())
    }

    /// The user's rules as ACL LIST shows them, after `user <name> `
    /// (Redis's `ACLDescribeUser`).
    pub(crate) fn describe(&self, cat: &Catalog) -> String {
        let mut s = String::new();
        for (f, name) in uflags::NAMES {
            if self.flags & f != 0 {
                s.push_str(name);
                s.push(' ');
            }
        }
        for p in &self.passwords {
            s.push('#');
            s.push_str(p);
            s.push(' ');
        }
        for sel in &self.selectors {
            if sel.root {
                s.push_str(&sel.describe(cat));
            } else {
                s.push_str(" (");
                s.push_str(&sel.describe(cat));
                s.push(')');
            }
        }
        s
    }

    /// Flag names, in description order (ACL GETUSER `flags`).
    pub(crate) fn flag_names(&self) -> Vec<&'static str> {
        uflags::NAMES.iter().filter(|(f, _)| self.flags & f != 0).map(|(_, n)| *n).collect()
    }

    /// Password hashes (ACL GETUSER `passwords`).
    pub(crate) fn password_hashes(&self) -> &[String] {
        &self.passwords
    }

    /// `(commands, keys, channels)` of each selector, root first (ACL
    /// GETUSER).
    pub(crate) fn selector_descriptions(&self, cat: &Catalog) -> Vec<(String, String, String)> {
        self.selectors.iter().map(|s| (s.describe_commands(cat), s.describe_keys(), s.describe_channels())).collect()
    }

    /// Whether the user may run `q` (Redis's `ACLCheckAllUserCommandPerm`):
    /// allowed by one selector, or the most relevant refusal.
    pub(crate) fn check(&self, q: &Query<'_>) -> Result<(), Denied> {
        if self.open {
            return Ok(());
        }
        let mut keys = None;
        let mut worst = Denied::Command;
        for s in &self.selectors {
            match s.check(q, &mut keys) {
                Ok(()) => return Ok(()),
                Err(d) => {
                    if d.rank() > worst.rank() {
                        worst = d;
                    }
                }
            }
        }
        Err(worst)
    }

    /// Whether the user may use `channel` (a pattern with PSUBSCRIBE) in
    /// some selector.
    fn channel_allowed_in(selectors: &[&Vec<u8>], channel: &[u8], pattern: bool) -> bool {
        selectors.iter().any(|p| if pattern { p.as_slice() == channel } else { glob::matches(p, channel, false) })
    }
}

/// What ACL LOG records about a refusal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Reason {
    /// A command the user may not run.
    Command,
    /// A key outside the user's patterns.
    Key,
    /// A channel outside the user's patterns.
    Channel,
    /// A failed AUTH or HELLO AUTH.
    Auth,
}

/// Where the refused command ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Context {
    /// Sent by a client.
    Toplevel,
    /// Queued in or run by a transaction.
    Multi,
    /// Called by a script.
    #[cfg_attr(not(feature = "scripting"), allow(dead_code))]
    Lua,
}

/// One ACL LOG entry.
#[derive(Debug, Clone)]
pub(crate) struct LogEntry {
    /// Similar refusals folded into this one.
    pub count: u64,
    /// Why.
    pub reason: Reason,
    /// Where.
    pub context: Context,
    /// The command's full name, the key, the channel, or AUTH/HELLO.
    pub object: Vec<u8>,
    /// The user refused (for AUTH, the name tried).
    pub username: Vec<u8>,
    /// Milliseconds time of the latest refusal.
    pub ctime: u64,
    /// CLIENT INFO of the client, at the latest refusal.
    pub cinfo: String,
}

/// Refusals within this many ms of an entry fold into it.
const LOG_GROUPING_MS: u64 = 60_000;

/// Every user, the log, and the catalog commands are checked against.
#[derive(Debug, Clone, Default)]
pub(crate) struct Acl {
    /// Users by id; `None` once deleted (ids are never reused, so a
    /// client's id cannot come to mean another user). Id 0 is `default`.
    users: Vec<Option<User>>,
    /// Newest first.
    pub log: VecDeque<LogEntry>,
    /// The commands rules name.
    pub catalog: Catalog,
}

/// Redis's refusal of a login: a wrong password, or a user that is missing
/// or off.
pub(crate) const WRONGPASS: &str = "WRONGPASS invalid username-password pair or user is disabled.";

/// The id of the `default` user.
pub(crate) const DEFAULT_USER: u32 = 0;

impl Acl {
    /// The default user alone: `on nopass ~* &* +@all`.
    pub(crate) fn new(catalog: Catalog) -> Acl {
        let mut acl = Acl { users: Vec::new(), log: VecDeque::new(), catalog };
        let mut u = User::new(&acl.catalog, b"default", false);
        for op in ["+@all", "~*", "&*", "on", "nopass"] {
            let _ = u.apply(&acl.catalog, op.as_bytes(), false);
        }
        u.refresh();
        acl.users.push(Some(u));
        acl
    }

    /// The user with id `id` (the default user if it was deleted, which
    /// only happens between a DELUSER and the kill of its clients).
    pub(crate) fn user(&self, id: u32) -> &User {
        match self.users.get(id as usize) {
            Some(Some(u)) => u,
            _ => self.users[0].as_ref().expect("the default user always exists"),
        }
    }

    /// The id of the user named `name`.
    pub(crate) fn find(&self, name: &[u8]) -> Option<u32> {
        self.users.iter().position(|u| u.as_ref().is_some_and(|u| u.name == name)).map(|i| i as u32)
    }

    /// Users in name order (Redis's radix tree order), with their ids.
    pub(crate) fn sorted(&self) -> Vec<(u32, &User)> {
        let mut v: Vec<(u32, &User)> = self.users.iter().enumerate().filter_map(|(i, u)| u.as_ref().map(|u| (i as u32, u))).collect();
        v.sort_by(|a, b| a.1.name.cmp(&b.1.name));
        v
    }

    /// Whether new connections must authenticate: the default user has a
    /// password or is off.
    pub(crate) fn auth_required(&self) -> bool {
        let d = self.user(DEFAULT_USER);
        !d.nopass() || !d.enabled()
    }

    /// The id of the user `name` if it exists and is on.
    pub(crate) fn find_enabled(&self, name: &[u8]) -> Option<u32> {
        self.find(name).filter(|&u| self.user(u).enabled())
    }

    /// The id of the user `name` if `pass` logs in as it.
    pub(crate) fn authenticate(&self, name: &[u8], pass: &[u8]) -> Option<u32> {
        let id = self.find(name)?;
        self.user(id).accepts(pass).then_some(id)
    }

    /// ACL SETUSER: applies `ops` to a copy of user `name` (a new user if
    /// there is none) and installs it only if every rule is valid. Returns
    /// the user's id and the copy it replaced, or Redis's error text.
    pub(crate) fn set_user(&mut self, name: &[u8], ops: &[&[u8]], pubsub_all: bool) -> Result<(u32, Option<User>), String> {
        let merged = merge_selectors(ops).map_err(|i| format!("Unmatched parenthesis in acl selector starting at '{}'.", String::from_utf8_lossy(ops[i])))?;
        let existing = self.find(name);
        let mut u = match existing {
            Some(id) => self.user(id).clone(),
            None => User::new(&self.catalog, name, pubsub_all),
        };
        for op in &merged {
            if let Err(e) = u.apply(&self.catalog, op, pubsub_all) {
                return Err(format!("Error in ACL SETUSER modifier '{}': {}", String::from_utf8_lossy(op), e.text()));
            }
        }
        u.refresh();
        Ok(match existing {
            Some(id) => {
                let old = self.users[id as usize].replace(u);
                (id, old)
            }
            None => {
                self.users.push(Some(u));
                ((self.users.len() - 1) as u32, None)
            }
        })
    }

    /// Applies rules to an existing user that cannot fail (requirepass on
    /// the default user).
    pub(crate) fn set_default_password(&mut self, pass: Option<&[u8]>) {
        let cat = &self.catalog;
        if let Some(Some(u)) = self.users.get_mut(DEFAULT_USER as usize) {
            let _ = u.apply(cat, b"resetpass", false);
            match pass {
                Some(p) => {
                    let mut op = alloc::vec![b'>'];
                    op.extend_from_slice(p);
                    let _ = u.apply(cat, &op, false);
                }
                None => {
                    let _ = u.apply(cat, b"nopass", false);
                }
            }
            u.refresh();
        }
    }

    /// ACL DELUSER of one user: its id if it existed.
    pub(crate) fn delete(&mut self, name: &[u8]) -> Option<u32> {
        let id = self.find(name)?;
        self.users[id as usize] = None;
        Some(id)
    }

    /// Whether the channel permissions of `new` (user `id`'s new rules)
    /// still cover `channel` (a pattern for PSUBSCRIBE), as Redis's
    /// `ACLKillPubsubClientsIfNeeded` checks subscribed clients.
    pub(crate) fn still_allows_channel(new: &User, channel: &[u8], pattern: bool) -> bool {
        if new.selectors.iter().any(|s| s.allchannels) {
            return true;
        }
        let pats: Vec<&Vec<u8>> = new.selectors.iter().flat_map(|s| s.channels.iter()).collect();
        User::channel_allowed_in(&pats, channel, pattern)
    }

    /// Whether `new` keeps every channel permission `old` had (then no
    /// subscriber needs checking).
    pub(crate) fn channels_superset(new: &User, old: &User) -> bool {
        if new.selectors.iter().any(|s| s.allchannels) {
            return true;
        }
        if old.selectors.iter().any(|s| s.allchannels) {
            return false;
        }
        let upcoming: Vec<&Vec<u8>> = new.selectors.iter().flat_map(|s| s.channels.iter()).collect();
        old.selectors.iter().flat_map(|s| s.channels.iter()).all(|c| upcoming.contains(&c))
    }

    /// Adds a refusal to the log, folding it into a similar recent entry
    /// among the newest ten (Redis's `addACLLogEntry`); keeps at most
    /// `max_len` entries.
    pub(crate) fn log_refusal(&mut self, e: LogEntry, max_len: usize) {
        let similar = self.log.iter().take(10).position(|o| {
            o.reason == e.reason && o.context == e.context && o.ctime.abs_diff(e.ctime) <= LOG_GROUPING_MS && o.object == e.object && o.username == e.username
        });
        match similar {
            Some(i) => {
                if let Some(mut o) = self.log.remove(i) {
                    o.cinfo = e.cinfo;
                    o.ctime = e.ctime;
                    o.count += 1;
                    self.log.push_front(o);
                }
            }
            None => self.log.push_front(e),
        }
        self.log.truncate(max_len);
    }
}

impl Acl {
    /// The ACL file's text (Redis's `ACLSaveToFile`): one `user` line per
    /// user, in name order.
    pub(crate) fn file_text(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for (_, u) in self.sorted() {
            out.extend_from_slice(b"user ");
            out.extend_from_slice(&u.name);
            out.push(b' ');
            out.extend_from_slice(u.describe(&self.catalog).as_bytes());
            out.push(b'\n');
        }
        out
    }

    /// Parses an ACL file (Redis's `ACLLoadFromFile`) named `filename`
    /// into a new set of users, the default user first (a fresh default
    /// when the file has none). Every line is checked; on any error nothing
    /// is returned but Redis's one-line description of all of them.
    pub(crate) fn parse_file(&self, text: &[u8], filename: &str, pubsub_all: bool) -> Result<Vec<Option<User>>, String> {
        let mut errors = String::new();
        let mut users: Vec<User> = Vec::new();
        for (i, line) in text.split(|&b| b == b'\n').enumerate() {
            let linenum = i + 1;
            let line = trim(line, b" \t\r\n");
            if line.is_empty() {
                continue;
            }
            // sdssplitlen on single spaces: runs of spaces give empty
            // arguments, which are no-op rules.
            let argv: Vec<&[u8]> = line.split(|&b| b == b' ').collect();
            if argv[0] != b"user" || argv.len() < 2 {
                errors.push_str(&format!("{filename}:{linenum} should start with user keyword followed by the username. "));
                continue;
            }
            let name = argv[1];
            if has_spaces(name) {
                errors.push_str(&format!("'{filename}:{linenum}: username '{}' contains invalid characters. ", String::from_utf8_lossy(name)));
                continue;
            }
            if users.iter().any(|u| u.name == name) {
                errors.push_str(&format!("WARNING: Duplicate user '{}' found on line {linenum}. ", String::from_utf8_lossy(name)));
                continue;
            }
            let mut u = User::new(&self.catalog, name, pubsub_all);
            let merged = match merge_selectors(&argv[2..]) {
                Ok(m) => m,
                Err(_) => {
                    errors.push_str(&format!("{filename}:{linenum}: Unmatched parenthesis in selector definition."));
                    Vec::new()
                }
            };
            let mut syntax_error = false;
            for op in &merged {
                let op = trim(op, b"\t\r\n");
                if let Err(e) = u.apply(&self.catalog, op, pubsub_all) {
                    if e == RuleError::UnknownName {
                        errors.push_str(&format!("{filename}:{linenum}: Error in applying operation '{}': {}. ", String::from_utf8_lossy(op), e.text()));
                    } else if !syntax_error {
                        errors.push_str(&format!("{filename}:{linenum}: {}. ", e.text()));
                        syntax_error = true;
                    }
                }
            }
            u.refresh();
            users.push(u);
        }
        if !errors.is_empty() {
            errors.push_str("WARNING: ACL errors detected, no change to the previously active ACL rules was performed");
            return Err(errors);
        }
        let default = match users.iter().position(|u| u.name == b"default") {
            Some(i) => users.remove(i),
            None => Acl::new(self.catalog.clone()).users.swap_remove(0).expect("a new ACL has the default user"),
        };
        let mut out = alloc::vec![Some(default)];
        out.extend(users.into_iter().map(Some));
        Ok(out)
    }

    /// Installs users parsed by [`Acl::parse_file`].
    pub(crate) fn replace_users(&mut self, users: Vec<Option<User>>) {
        self.users = users;
    }
}

/// Checks a `user <name> <rules...>` directive (`words` = name, rules)
/// as Redis's `ACLAppendUserForLoading` and then its start-up load do:
/// every rule must apply. The error is Redis's text: for a bad rule it
/// quotes the word of the line at the failing rule's index among the
/// (merged) rules, counting from `user` itself, as redis-server 7.0.15
/// does. An unknown command fails too: Redis finds that at start-up and
/// exits, and redlet has no modules to define commands later.
pub(crate) fn check_declaration(words: &[&[u8]]) -> Result<(), String> {
    let line_word = |j: usize| {
        let w: &[u8] = if j == 0 { b"user" } else { words.get(j - 1).copied().unwrap_or(b"") };
        String::from_utf8_lossy(w).into_owned()
    };
    let merged = merge_selectors(&words[1..]).map_err(|i| format!("Error in user declaration '{}': Wrong format", line_word(i)))?;
    let cat = Catalog::from_commands(crate::cmd::families().iter().flat_map(|f| f.iter()));
    let mut u = User::new(&cat, b"", false);
    for (j, op) in merged.iter().enumerate() {
        match u.apply(&cat, op, false) {
            Ok(()) => {}
            Err(RuleError::UnknownName) => {
                return Err(format!(
                    "Error loading ACL rule '{}' for the user named '{}': {}",
                    String::from_utf8_lossy(op),
                    String::from_utf8_lossy(words[0]),
                    RuleError::UnknownName.text()
                ))
            }
            Err(e) => return Err(format!("Error in user declaration '{}': {}", line_word(j), e.text())),
        }
    }
    Ok(())
}

impl Acl {
    /// Creates the users of `user` directives (Redis's
    /// `ACLLoadConfiguredUsers`): `default` is reset first. The rules were
    /// checked by [`check_declaration`] when the directive was set.
    pub(crate) fn declare(&mut self, users: &[Vec<Vec<u8>>], pubsub_all: bool) {
        for decl in users {
            let Some((name, rules)) = decl.split_first() else { continue };
            let mut ops: Vec<&[u8]> = Vec::with_capacity(rules.len() + 1);
            if name.as_slice() == b"default" {
                ops.push(b"reset");
            }
            ops.extend(rules.iter().map(|r| r.as_slice()));
            let merged = merge_selectors(&ops).unwrap_or_default();
            let id = match self.find(name) {
                Some(id) => id,
                None => {
                    self.users.push(Some(User::new(&self.catalog, name, pubsub_all)));
                    (self.users.len() - 1) as u32
                }
            };
            let cat = &self.catalog;
            if let Some(Some(u)) = self.users.get_mut(id as usize) {
                for op in &merged {
                    let _ = u.apply(cat, op, pubsub_all);
                }
                u.refresh();
            }
        }
    }
}

/// `s` without the bytes of `set` at either end (sdstrim).
fn trim<'a>(mut s: &'a [u8], set: &[u8]) -> &'a [u8] {
    while let Some((f, rest)) = s.split_first() {
        if !set.contains(f) {
            break;
        }
        s = rest;
    }
    while let Some((l, rest)) = s.split_last() {
        if !set.contains(l) {
            break;
        }
        s = rest;
    }
    s
}

/// Joins selector rules split over several arguments (`"(~a" "+get)"`)
/// into one (Redis's `ACLMergeSelectorArguments`); `Err(i)` when the
/// parenthesis opened at argument `i` is never closed.
fn merge_selectors(ops: &[&[u8]]) -> Result<Vec<Vec<u8>>, usize> {
    let mut out = Vec::with_capacity(ops.len());
    let mut open: Option<(usize, Vec<u8>)> = None;
    for (j, &op) in ops.iter().enumerate() {
        if let Some((_, sel)) = open.as_mut() {
            sel.push(b' ');
            sel.extend_from_slice(op);
            if op.last() == Some(&b')') {
                if let Some((_, sel)) = open.take() {
                    out.push(sel);
                }
            }
            continue;
        }
        if op.first() == Some(&b'(') && op.last() != Some(&b')') {
            open = Some((j, op.to_vec()));
            continue;
        }
        out.push(op.to_vec());
    }
    match open {
        Some((j, _)) => Err(j),
        None => Ok(out),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        const CONFIG_SUBS: &[(&str, &str)] = &[("get", "@admin @slow @dangerous"), ("set", "@admin @slow @dangerous")];
        let table: &[(&str, &str, &[(&str, &str)])] = &[
            ("get", "@read @string @fast", &[]),
            ("set", "@write @string @slow", &[]),
            ("hset", "@write @hash @fast", &[]),
            ("select", "@fast @connection", &[]),
            ("config", "@slow", CONFIG_SUBS),
        ];
        Catalog::build(table)
    }

    #[test]
    fn password_hash_matches_redis() {
        // ACL SETUSER alice >p1 on redis-server 7.0.15.
        assert_eq!(hash_password(b"p1"), "f64551fcd6f07823cb87971cfb91446425da18286b3ab1ef935e0cbd7a69f68a");
    }

    #[test]
    fn lookup_follows_redis() {
        let c = catalog();
        assert!(c.lookup(b"GET").is_some());
        assert!(c.lookup(b"config|GET").is_some());
        assert!(c.lookup(b"config|nope").is_none());
        assert!(c.lookup(b"get|x").is_none());
        assert!(c.lookup(b"config|get|x").is_none());
        assert!(c.lookup(b"cluster|info").is_some());
    }

    #[test]
    fn default_user_describes_as_redis() {
        let acl = Acl::new(catalog());
        assert_eq!(acl.user(DEFAULT_USER).describe(&acl.catalog), "on nopass ~* &* +@all");
    }

    #[test]
    fn setuser_is_all_or_nothing() {
        let mut acl = Acl::new(catalog());
        acl.set_user(b"bob", &[b"on", b"+get"], false).unwrap();
        let err = acl.set_user(b"bob", &[b"+set", b"+nosuch"], false).unwrap_err();
        assert_eq!(err, "Error in ACL SETUSER modifier '+nosuch': Unknown command or category name in ACL");
        let id = acl.find(b"bob").unwrap();
        assert_eq!(acl.user(id).describe(&acl.catalog), "on resetchannels -@all +get");
        assert_eq!(acl.set_user(b"bob", &[b"(~a", b"+get"], false).unwrap_err(), "Unmatched parenthesis in acl selector starting at '(~a'.");
    }
}
