//! Command metadata Redis 7.0.15 reports through COMMAND INFO and COMMAND
//! DOCS that the command table does not carry: command tips, key
//! specifications, complexity, doc flags and history, for every Redis command
//! and subcommand by full name (`get`, `client|list`).
//!
//! Generated from redis-server 7.0.15's `COMMAND` and `COMMAND DOCS`
//! replies. Argument descriptions (the `arguments` of COMMAND DOCS) are left
//! out to keep the engine small. Invariant: [`META`] is sorted by name
//! (byte order) so [`meta`] can binary-search it.

/// Key-spec flags, in the order Redis prints them.
pub mod key_flags {
    /// `RO`
    pub const RO: u16 = 1 << 0;
    /// `RW`
    pub const RW: u16 = 1 << 1;
    /// `OW`
    pub const OW: u16 = 1 << 2;
    /// `RM`
    pub const RM: u16 = 1 << 3;
    /// `access`
    pub const ACCESS: u16 = 1 << 4;
    /// `update`
    pub const UPDATE: u16 = 1 << 5;
    /// `insert`
    pub const INSERT: u16 = 1 << 6;
    /// `delete`
    pub const DELETE: u16 = 1 << 7;
    /// `not_key`
    pub const NOT_KEY: u16 = 1 << 8;
    /// `incomplete`
    pub const INCOMPLETE: u16 = 1 << 9;
    /// `variable_flags`
    pub const VARIABLE_FLAGS: u16 = 1 << 10;
    /// Names by bit, in order.
    pub const NAMES: [&str; 11] = ["RO", "RW", "OW", "RM", "access", "update", "insert", "delete", "not_key", "incomplete", "variable_flags"];
}

/// Where the search for keys begins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bs {
    /// Unknown (the command's own logic finds keys).
    Unknown,
    /// At this argument index.
    Index(i32),
    /// After this keyword, searched from this index (negative: from the end).
    Keyword(&'static str, i32),
}

/// How keys are found from the beginning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fk {
    /// Unknown.
    Unknown,
    /// `(lastkey, keystep, limit)`: a range; negative lastkey counts from the end.
    Range(i32, i32, i32),
    /// `(keynumidx, firstkey, keystep)`: a count argument then the keys.
    Keynum(i32, i32, i32),
}

/// One key specification.
#[derive(Debug, Clone, Copy)]
pub struct KeySpec {
    /// Free-text notes ("" for none).
    pub notes: &'static str,
    /// [`key_flags`] bits.
    pub flags: u16,
    /// Begin search.
    pub bs: Bs,
    /// Find keys.
    pub fk: Fk,
}

/// Metadata of one command or subcommand.
#[derive(Debug, Clone, Copy)]
pub struct Meta {
    /// Full name, lowercase (`config|get`).
    pub name: &'static str,
    /// Command tips (`nondeterministic_output`, `request_policy:all_shards`, ...).
    pub tips: &'static [&'static str],
    /// Key specifications.
    pub key_specs: &'static [KeySpec],
    /// Complexity text ("" for none).
    pub complexity: &'static str,
    /// Doc flags: 1 = deprecated, 2 = syscmd.
    pub doc_flags: u8,
    /// Version that deprecated the command ("" for none).
    pub deprecated_since: &'static str,
    /// Replacement hint ("" for none).
    pub replaced_by: &'static str,
    /// (version, change) pairs; `None` when Redis lists no history.
    pub history: Option<&'static [(&'static str, &'static str)]>,
}

const fn ks(notes: &'static str, flags: u16, bs: Bs, fk: Fk) -> KeySpec {
    KeySpec { notes, flags, bs, fk }
}

#[allow(clippy::too_many_arguments)]
const fn m(
    name: &'static str,
    tips: &'static [&'static str],
    key_specs: &'static [KeySpec],
    complexity: &'static str,
    doc_flags: u8,
    deprecated_since: &'static str,
    replaced_by: &'static str,
    history: Option<&'static [(&'static str, &'static str)]>,
) -> Meta {
    Meta { name, tips, key_specs, complexity, doc_flags, deprecated_since, replaced_by, history }
}

/// The metadata of the command with full name `name` (lowercase).
pub fn meta(name: &str) -> Option<&'static Meta> {
    META.binary_search_by(|m| m.name.as_bytes().cmp(name.as_bytes())).ok().map(|i| &META[i])
}

/// The full name `name` as a `&'static str`, when it is a Redis command.
pub fn static_name(name: &str) -> Option<&'static str> {
    meta(name).map(|m| m.name)
}

/// Every Redis 7.0.15 command and subcommand, sorted by full name.
pub static META: &[Meta] = &[
    m("acl", &[], &[], "Depends on subcommand.", 0, "", "", None),
    m("acl|cat", &[], &[], "O(1) since the categories and commands are a fixed set.", 0, "", "", None),
    m("acl|deluser", &[], &[], "O(1) amortized time considering the typical user.", 0, "", "", None),
    m("acl|dryrun", &[], &[], "O(1).", 0, "", "", None),
    m("acl|genpass", &[], &[], "O(1)", 0, "", "", None),
    m("acl|getuser", &[], &[], "O(N). Where N is the number of password, command and pattern rules that the user has.", 0, "", "", Some(&[("6.2.0", "Added Pub/Sub channel patterns."), ("7.0.0", "Added selectors and changed the format of key and channel patterns from a list to their rule representation.")])),
    m("acl|help", &[], &[], "O(1)", 0, "", "", None),
    m("acl|list", &[], &[], "O(N). Where N is the number of configured users.", 0, "", "", None),
    m("acl|load", &[], &[], "O(N). Where N is the number of configured users.", 0, "", "", None),
    m("acl|log", &[], &[], "O(N) with N being the number of entries shown.", 0, "", "", None),
    m("acl|save", &[], &[], "O(N). Where N is the number of configured users.", 0, "", "", None),
    m("acl|setuser", &[], &[], "O(N). Where N is the number of rules provided.", 0, "", "", Some(&[("6.2.0", "Added Pub/Sub channel patterns."), ("7.0.0", "Added selectors and key based permissions.")])),
    m("acl|users", &[], &[], "O(N). Where N is the number of configured users.", 0, "", "", None),
    m("acl|whoami", &[], &[], "O(1)", 0, "", "", None),
    m("append", &[], &[ks("", 66, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1). The amortized time complexity is O(1) assuming the appended value is small and the already present value is of any size, since the dynamic string library used by Redis will double the free space available on every reallocation.", 0, "", "", None),
    m("asking", &[], &[], "O(1)", 0, "", "", None),
    m("auth", &[], &[], "O(N) where N is the number of passwords defined for the user", 0, "", "", Some(&[("6.0.0", "Added ACL style (username and password).")])),
    m("bgrewriteaof", &[], &[], "O(1)", 0, "", "", None),
    m("bgsave", &[], &[], "O(1)", 0, "", "", Some(&[("3.2.2", "Added the `SCHEDULE` option.")])),
    m("bitcount", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N)", 0, "", "", Some(&[("7.0.0", "Added the `BYTE|BIT` option.")])),
    m("bitfield", &[], &[ks("This command allows both access and modification of the key", 1074, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1) for each subcommand specified", 0, "", "", None),
    m("bitfield_ro", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1) for each subcommand specified", 0, "", "", None),
    m("bitop", &[], &[ks("", 36, Bs::Index(2), Fk::Range(0, 1, 0)), ks("", 17, Bs::Index(3), Fk::Range(-1, 1, 0))], "O(N)", 0, "", "", None),
    m("bitpos", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N)", 0, "", "", Some(&[("7.0.0", "Added the `BYTE|BIT` option.")])),
    m("blmove", &[], &[ks("", 146, Bs::Index(1), Fk::Range(0, 1, 0)), ks("", 66, Bs::Index(2), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("blmpop", &[], &[ks("", 146, Bs::Index(2), Fk::Keynum(0, 1, 1))], "O(N+M) where N is the number of provided keys and M is the number of elements returned.", 0, "", "", None),
    m("blpop", &[], &[ks("", 146, Bs::Index(1), Fk::Range(-2, 1, 0))], "O(N) where N is the number of provided keys.", 0, "", "", Some(&[("6.0.0", "`timeout` is interpreted as a double instead of an integer.")])),
    m("brpop", &[], &[ks("", 146, Bs::Index(1), Fk::Range(-2, 1, 0))], "O(N) where N is the number of provided keys.", 0, "", "", Some(&[("6.0.0", "`timeout` is interpreted as a double instead of an integer.")])),
    m("brpoplpush", &[], &[ks("", 146, Bs::Index(1), Fk::Range(0, 1, 0)), ks("", 66, Bs::Index(2), Fk::Range(0, 1, 0))], "O(1)", 1, "6.2.0", "`BLMOVE` with the `RIGHT` and `LEFT` arguments", Some(&[("6.0.0", "`timeout` is interpreted as a double instead of an integer.")])),
    m("bzmpop", &[], &[ks("", 146, Bs::Index(2), Fk::Keynum(0, 1, 1))], "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.", 0, "", "", None),
    m("bzpopmax", &[], &[ks("", 146, Bs::Index(1), Fk::Range(-2, 1, 0))], "O(log(N)) with N being the number of elements in the sorted set.", 0, "", "", Some(&[("6.0.0", "`timeout` is interpreted as a double instead of an integer.")])),
    m("bzpopmin", &[], &[ks("", 146, Bs::Index(1), Fk::Range(-2, 1, 0))], "O(log(N)) with N being the number of elements in the sorted set.", 0, "", "", Some(&[("6.0.0", "`timeout` is interpreted as a double instead of an integer.")])),
    m("client", &[], &[], "Depends on subcommand.", 0, "", "", None),
    m("client|caching", &[], &[], "O(1)", 0, "", "", None),
    m("client|getname", &[], &[], "O(1)", 0, "", "", None),
    m("client|getredir", &[], &[], "O(1)", 0, "", "", None),
    m("client|help", &[], &[], "O(1)", 0, "", "", None),
    m("client|id", &[], &[], "O(1)", 0, "", "", None),
    m("client|info", &["nondeterministic_output"], &[], "O(1)", 0, "", "", None),
    m("client|kill", &[], &[], "O(N) where N is the number of client connections", 0, "", "", Some(&[("2.8.12", "Added new filter format."), ("2.8.12", "`ID` option."), ("3.2.0", "Added `master` type in for `TYPE` option."), ("5.0.0", "Replaced `slave` `TYPE` with `replica`. `slave` still supported for backward compatibility."), ("6.2.0", "`LADDR` option.")])),
    m("client|list", &["nondeterministic_output"], &[], "O(N) where N is the number of client connections", 0, "", "", Some(&[("2.8.12", "Added unique client `id` field."), ("5.0.0", "Added optional `TYPE` filter."), ("6.0.0", "Added `user` field."), ("6.2.0", "Added `argv-mem`, `tot-mem`, `laddr` and `redir` fields and the optional `ID` filter."), ("7.0.0", "Added `resp`, `multi-mem`, `rbs` and `rbp` fields."), ("7.0.3", "Added `ssub` field.")])),
    m("client|no-evict", &[], &[], "O(1)", 0, "", "", None),
    m("client|pause", &[], &[], "O(1)", 0, "", "", Some(&[("6.2.0", "`CLIENT PAUSE WRITE` mode added along with the `mode` option.")])),
    m("client|reply", &[], &[], "O(1)", 0, "", "", None),
    m("client|setname", &[], &[], "O(1)", 0, "", "", None),
    m("client|tracking", &[], &[], "O(1). Some options may introduce additional complexity.", 0, "", "", None),
    m("client|trackinginfo", &[], &[], "O(1)", 0, "", "", None),
    m("client|unblock", &[], &[], "O(log N) where N is the number of client connections", 0, "", "", None),
    m("client|unpause", &[], &[], "O(N) Where N is the number of paused clients", 0, "", "", None),
    m("cluster", &[], &[], "Depends on subcommand.", 0, "", "", None),
    m("cluster|addslots", &[], &[], "O(N) where N is the total number of hash slot arguments", 0, "", "", None),
    m("cluster|addslotsrange", &[], &[], "O(N) where N is the total number of the slots between the start slot and end slot arguments.", 0, "", "", None),
    m("cluster|bumpepoch", &["nondeterministic_output"], &[], "O(1)", 0, "", "", None),
    m("cluster|count-failure-reports", &["nondeterministic_output"], &[], "O(N) where N is the number of failure reports", 0, "", "", None),
    m("cluster|countkeysinslot", &[], &[], "O(1)", 0, "", "", None),
    m("cluster|delslots", &[], &[], "O(N) where N is the total number of hash slot arguments", 0, "", "", None),
    m("cluster|delslotsrange", &[], &[], "O(N) where N is the total number of the slots between the start slot and end slot arguments.", 0, "", "", None),
    m("cluster|failover", &[], &[], "O(1)", 0, "", "", None),
    m("cluster|flushslots", &[], &[], "O(1)", 0, "", "", None),
    m("cluster|forget", &[], &[], "O(1)", 0, "", "", None),
    m("cluster|getkeysinslot", &["nondeterministic_output"], &[], "O(log(N)) where N is the number of requested keys", 0, "", "", None),
    m("cluster|help", &[], &[], "O(1)", 0, "", "", None),
    m("cluster|info", &["nondeterministic_output"], &[], "O(1)", 0, "", "", None),
    m("cluster|keyslot", &[], &[], "O(N) where N is the number of bytes in the key", 0, "", "", None),
    m("cluster|links", &["nondeterministic_output"], &[], "O(N) where N is the total number of Cluster nodes", 0, "", "", None),
    m("cluster|meet", &[], &[], "O(1)", 0, "", "", Some(&[("4.0.0", "Added the optional `cluster_bus_port` argument.")])),
    m("cluster|myid", &[], &[], "O(1)", 0, "", "", None),
    m("cluster|nodes", &["nondeterministic_output"], &[], "O(N) where N is the total number of Cluster nodes", 0, "", "", None),
    m("cluster|replicas", &["nondeterministic_output"], &[], "O(1)", 0, "", "", None),
    m("cluster|replicate", &[], &[], "O(1)", 0, "", "", None),
    m("cluster|reset", &[], &[], "O(N) where N is the number of known nodes. The command may execute a FLUSHALL as a side effect.", 0, "", "", None),
    m("cluster|saveconfig", &[], &[], "O(1)", 0, "", "", None),
    m("cluster|set-config-epoch", &[], &[], "O(1)", 0, "", "", None),
    m("cluster|setslot", &[], &[], "O(1)", 0, "", "", None),
    m("cluster|shards", &["nondeterministic_output"], &[], "O(N) where N is the total number of cluster nodes", 0, "", "", None),
    m("cluster|slaves", &["nondeterministic_output"], &[], "O(1)", 1, "5.0.0", "`CLUSTER REPLICAS`", None),
    m("cluster|slots", &["nondeterministic_output"], &[], "O(N) where N is the total number of Cluster nodes", 1, "7.0.0", "`CLUSTER SHARDS`", Some(&[("4.0.0", "Added node IDs."), ("7.0.0", "Added additional networking metadata field.")])),
    m("command", &["nondeterministic_output_order"], &[], "O(N) where N is the total number of Redis commands", 0, "", "", None),
    m("command|count", &[], &[], "O(1)", 0, "", "", None),
    m("command|docs", &["nondeterministic_output_order"], &[], "O(N) where N is the number of commands to look up", 0, "", "", None),
    m("command|getkeys", &[], &[], "O(N) where N is the number of arguments to the command", 0, "", "", None),
    m("command|getkeysandflags", &[], &[], "O(N) where N is the number of arguments to the command", 0, "", "", None),
    m("command|help", &[], &[], "O(1)", 0, "", "", None),
    m("command|info", &["nondeterministic_output_order"], &[], "O(N) where N is the number of commands to look up", 0, "", "", Some(&[("7.0.0", "Allowed to be called with no argument to get info on all commands.")])),
    m("command|list", &["nondeterministic_output_order"], &[], "O(N) where N is the total number of Redis commands", 0, "", "", None),
    m("config", &[], &[], "Depends on subcommand.", 0, "", "", None),
    m("config|get", &[], &[], "O(N) when N is the number of configuration parameters provided", 0, "", "", Some(&[("7.0.0", "Added the ability to pass multiple pattern parameters in one call")])),
    m("config|help", &[], &[], "O(1)", 0, "", "", None),
    m("config|resetstat", &[], &[], "O(1)", 0, "", "", None),
    m("config|rewrite", &[], &[], "O(1)", 0, "", "", None),
    m("config|set", &["request_policy:all_nodes", "response_policy:all_succeeded"], &[], "O(N) when N is the number of configuration parameters provided", 0, "", "", Some(&[("7.0.0", "Added the ability to set multiple parameters in one call.")])),
    m("copy", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0)), ks("", 36, Bs::Index(2), Fk::Range(0, 1, 0))], "O(N) worst case for collections, where N is the number of nested items. O(1) for string values.", 0, "", "", None),
    m("dbsize", &["request_policy:all_shards", "response_policy:agg_sum"], &[], "O(1)", 0, "", "", None),
    m("debug", &[], &[], "Depends on subcommand.", 2, "", "", None),
    m("decr", &[], &[ks("", 50, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("decrby", &[], &[ks("", 50, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("del", &["request_policy:multi_shard", "response_policy:agg_sum"], &[ks("", 136, Bs::Index(1), Fk::Range(-1, 1, 0))], "O(N) where N is the number of keys that will be removed. When a key to remove holds a value other than a string, the individual complexity for this key is O(M) where M is the number of elements in the list, set, sorted set or hash. Removing a single key that holds a string value is O(1).", 0, "", "", None),
    m("discard", &[], &[], "O(N), when N is the number of queued commands", 0, "", "", None),
    m("dump", &["nondeterministic_output"], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1) to access the key and additional O(N*M) to serialize it, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1).", 0, "", "", None),
    m("echo", &[], &[], "O(1)", 0, "", "", None),
    m("eval", &[], &[ks("We cannot tell how the keys will be used so we assume the worst, RW and UPDATE", 50, Bs::Index(2), Fk::Keynum(0, 1, 1))], "Depends on the script that is executed.", 0, "", "", None),
    m("eval_ro", &[], &[ks("We cannot tell how the keys will be used so we assume the worst, RO and ACCESS", 17, Bs::Index(2), Fk::Keynum(0, 1, 1))], "Depends on the script that is executed.", 0, "", "", None),
    m("evalsha", &[], &[ks("", 50, Bs::Index(2), Fk::Keynum(0, 1, 1))], "Depends on the script that is executed.", 0, "", "", None),
    m("evalsha_ro", &[], &[ks("", 17, Bs::Index(2), Fk::Keynum(0, 1, 1))], "Depends on the script that is executed.", 0, "", "", None),
    m("exec", &[], &[], "Depends on commands in the transaction", 0, "", "", None),
    m("exists", &["request_policy:multi_shard", "response_policy:agg_sum"], &[ks("", 1, Bs::Index(1), Fk::Range(-1, 1, 0))], "O(N) where N is the number of keys to check.", 0, "", "", Some(&[("3.0.3", "Accepts multiple `key` arguments.")])),
    m("expire", &[], &[ks("", 34, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", Some(&[("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`.")])),
    m("expireat", &[], &[ks("", 34, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", Some(&[("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`.")])),
    m("expiretime", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("failover", &[], &[], "O(1)", 0, "", "", None),
    m("fcall", &[], &[ks("We cannot tell how the keys will be used so we assume the worst, RW and UPDATE", 50, Bs::Index(2), Fk::Keynum(0, 1, 1))], "Depends on the function that is executed.", 0, "", "", None),
    m("fcall_ro", &[], &[ks("We cannot tell how the keys will be used so we assume the worst, RO and ACCESS", 17, Bs::Index(2), Fk::Keynum(0, 1, 1))], "Depends on the function that is executed.", 0, "", "", None),
    m("flushall", &["request_policy:all_shards", "response_policy:all_succeeded"], &[], "O(N) where N is the total number of keys in all databases", 0, "", "", Some(&[("4.0.0", "Added the `ASYNC` flushing mode modifier."), ("6.2.0", "Added the `SYNC` flushing mode modifier.")])),
    m("flushdb", &["request_policy:all_shards", "response_policy:all_succeeded"], &[], "O(N) where N is the number of keys in the selected database", 0, "", "", Some(&[("4.0.0", "Added the `ASYNC` flushing mode modifier."), ("6.2.0", "Added the `SYNC` flushing mode modifier.")])),
    m("function", &[], &[], "Depends on subcommand.", 0, "", "", None),
    m("function|delete", &["request_policy:all_shards", "response_policy:all_succeeded"], &[], "O(1)", 0, "", "", None),
    m("function|dump", &[], &[], "O(N) where N is the number of functions", 0, "", "", None),
    m("function|flush", &["request_policy:all_shards", "response_policy:all_succeeded"], &[], "O(N) where N is the number of functions deleted", 0, "", "", None),
    m("function|help", &[], &[], "O(1)", 0, "", "", None),
    m("function|kill", &["request_policy:all_shards", "response_policy:one_succeeded"], &[], "O(1)", 0, "", "", None),
    m("function|list", &["nondeterministic_output_order"], &[], "O(N) where N is the number of functions", 0, "", "", None),
    m("function|load", &["request_policy:all_shards", "response_policy:all_succeeded"], &[], "O(1) (considering compilation time is redundant)", 0, "", "", None),
    m("function|restore", &["request_policy:all_shards", "response_policy:all_succeeded"], &[], "O(N) where N is the number of functions on the payload", 0, "", "", None),
    m("function|stats", &["nondeterministic_output", "request_policy:all_shards", "response_policy:special"], &[], "O(1)", 0, "", "", None),
    m("geoadd", &[], &[ks("", 34, Bs::Index(1), Fk::Range(0, 1, 0))], "O(log(N)) for each item added, where N is the number of elements in the sorted set.", 0, "", "", Some(&[("6.2.0", "Added the `CH`, `NX` and `XX` options.")])),
    m("geodist", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(log(N))", 0, "", "", None),
    m("geohash", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(log(N)) for each member requested, where N is the number of elements in the sorted set.", 0, "", "", None),
    m("geopos", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N) where N is the number of members requested.", 0, "", "", None),
    m("georadius", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0)), ks("", 36, Bs::Keyword("STORE", 6), Fk::Range(0, 1, 0)), ks("", 36, Bs::Keyword("STOREDIST", 6), Fk::Range(0, 1, 0))], "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.", 1, "6.2.0", "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` argument", Some(&[("6.2.0", "Added the `ANY` option for `COUNT`."), ("7.0.0", "Added support for uppercase unit names.")])),
    m("georadius_ro", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.", 1, "6.2.0", "`GEOSEARCH` with the `BYRADIUS` argument", Some(&[("6.2.0", "Added the `ANY` option for `COUNT`.")])),
    m("georadiusbymember", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0)), ks("", 36, Bs::Keyword("STORE", 5), Fk::Range(0, 1, 0)), ks("", 36, Bs::Keyword("STOREDIST", 5), Fk::Range(0, 1, 0))], "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.", 1, "6.2.0", "`GEOSEARCH` and `GEOSEARCHSTORE` with the `BYRADIUS` and `FROMMEMBER` arguments", Some(&[("7.0.0", "Added support for uppercase unit names.")])),
    m("georadiusbymember_ro", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N+log(M)) where N is the number of elements inside the bounding box of the circular area delimited by center and radius and M is the number of items inside the index.", 1, "6.2.0", "`GEOSEARCH` with the `BYRADIUS` and `FROMMEMBER` arguments", None),
    m("geosearch", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape", 0, "", "", Some(&[("7.0.0", "Added support for uppercase unit names.")])),
    m("geosearchstore", &[], &[ks("", 36, Bs::Index(1), Fk::Range(0, 1, 0)), ks("", 17, Bs::Index(2), Fk::Range(0, 1, 0))], "O(N+log(M)) where N is the number of elements in the grid-aligned bounding box area around the shape provided as the filter and M is the number of items inside the shape", 0, "", "", Some(&[("7.0.0", "Added support for uppercase unit names.")])),
    m("get", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("getbit", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("getdel", &[], &[ks("", 146, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("getex", &[], &[ks("RW and UPDATE because it changes the TTL", 50, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("getrange", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.", 0, "", "", None),
    m("getset", &[], &[ks("", 50, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 1, "6.2.0", "`SET` with the `!GET` argument", None),
    m("hdel", &[], &[ks("", 130, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N) where N is the number of fields to be removed.", 0, "", "", Some(&[("2.4.0", "Accepts multiple `field` arguments.")])),
    m("hello", &[], &[], "O(1)", 0, "", "", Some(&[("6.2.0", "`protover` made optional; when called without arguments the command reports the current connection's context.")])),
    m("hexists", &[], &[ks("", 1, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("hget", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("hgetall", &["nondeterministic_output_order"], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N) where N is the size of the hash.", 0, "", "", None),
    m("hincrby", &[], &[ks("", 50, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("hincrbyfloat", &[], &[ks("", 50, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("hkeys", &["nondeterministic_output_order"], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N) where N is the size of the hash.", 0, "", "", None),
    m("hlen", &[], &[ks("", 1, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("hmget", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N) where N is the number of fields being requested.", 0, "", "", None),
    m("hmset", &[], &[ks("", 34, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N) where N is the number of fields being set.", 1, "4.0.0", "`HSET` with multiple field-value pairs", None),
    m("hrandfield", &["nondeterministic_output"], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N) where N is the number of fields returned", 0, "", "", None),
    m("hscan", &["nondeterministic_output"], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..", 0, "", "", None),
    m("hset", &[], &[ks("", 34, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1) for each field/value pair added, so O(N) to add N field/value pairs when the command is called with multiple field/value pairs.", 0, "", "", Some(&[("4.0.0", "Accepts multiple `field` and `value` arguments.")])),
    m("hsetnx", &[], &[ks("", 66, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("hstrlen", &[], &[ks("", 1, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("hvals", &["nondeterministic_output_order"], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N) where N is the size of the hash.", 0, "", "", None),
    m("incr", &[], &[ks("", 50, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("incrby", &[], &[ks("", 50, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("incrbyfloat", &[], &[ks("", 50, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("info", &["nondeterministic_output", "request_policy:all_shards", "response_policy:special"], &[], "O(1)", 0, "", "", Some(&[("7.0.0", "Added support for taking multiple section arguments.")])),
    m("keys", &["request_policy:all_shards", "nondeterministic_output_order"], &[], "O(N) with N being the number of keys in the database, under the assumption that the key names in the database and the given pattern have limited length.", 0, "", "", None),
    m("lastsave", &["nondeterministic_output"], &[], "O(1)", 0, "", "", None),
    m("latency", &[], &[], "Depends on subcommand.", 0, "", "", None),
    m("latency|doctor", &["nondeterministic_output", "request_policy:all_nodes", "response_policy:special"], &[], "O(1)", 0, "", "", None),
    m("latency|graph", &["nondeterministic_output", "request_policy:all_nodes", "response_policy:special"], &[], "O(1)", 0, "", "", None),
    m("latency|help", &[], &[], "O(1)", 0, "", "", None),
    m("latency|histogram", &["nondeterministic_output", "request_policy:all_nodes", "response_policy:special"], &[], "O(N) where N is the number of commands with latency information being retrieved.", 0, "", "", None),
    m("latency|history", &["nondeterministic_output", "request_policy:all_nodes", "response_policy:special"], &[], "O(1)", 0, "", "", None),
    m("latency|latest", &["nondeterministic_output", "request_policy:all_nodes", "response_policy:special"], &[], "O(1)", 0, "", "", None),
    m("latency|reset", &["request_policy:all_nodes", "response_policy:all_succeeded"], &[], "O(1)", 0, "", "", None),
    m("lcs", &[], &[ks("", 17, Bs::Index(1), Fk::Range(1, 1, 0))], "O(N*M) where N and M are the lengths of s1 and s2, respectively", 0, "", "", None),
    m("lindex", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N) where N is the number of elements to traverse to get to the element at index. This makes asking for the first or the last element of the list O(1).", 0, "", "", None),
    m("linsert", &[], &[ks("", 66, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N) where N is the number of elements to traverse before seeing the value pivot. This means that inserting somewhere on the left end on the list (head) can be considered O(1) and inserting somewhere on the right end (tail) is O(N).", 0, "", "", None),
    m("llen", &[], &[ks("", 1, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("lmove", &[], &[ks("", 146, Bs::Index(1), Fk::Range(0, 1, 0)), ks("", 66, Bs::Index(2), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("lmpop", &[], &[ks("", 146, Bs::Index(1), Fk::Keynum(0, 1, 1))], "O(N+M) where N is the number of provided keys and M is the number of elements returned.", 0, "", "", None),
    m("lolwut", &[], &[], "", 0, "", "", None),
    m("lpop", &[], &[ks("", 146, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N) where N is the number of elements returned", 0, "", "", Some(&[("6.2.0", "Added the `count` argument.")])),
    m("lpos", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N) where N is the number of elements in the list, for the average case. When searching for elements near the head or the tail of the list, or when the MAXLEN option is provided, the command may run in constant time.", 0, "", "", None),
    m("lpush", &[], &[ks("", 66, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.", 0, "", "", Some(&[("2.4.0", "Accepts multiple `element` arguments.")])),
    m("lpushx", &[], &[ks("", 66, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.", 0, "", "", Some(&[("4.0.0", "Accepts multiple `element` arguments.")])),
    m("lrange", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(S+N) where S is the distance of start offset from HEAD for small lists, from nearest end (HEAD or TAIL) for large lists; and N is the number of elements in the specified range.", 0, "", "", None),
    m("lrem", &[], &[ks("", 130, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N+M) where N is the length of the list and M is the number of elements removed.", 0, "", "", None),
    m("lset", &[], &[ks("", 34, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N) where N is the length of the list. Setting either the first or the last element of the list is O(1).", 0, "", "", None),
    m("ltrim", &[], &[ks("", 130, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N) where N is the number of elements to be removed by the operation.", 0, "", "", None),
    m("memory", &[], &[], "Depends on subcommand.", 0, "", "", None),
    m("memory|doctor", &["nondeterministic_output", "request_policy:all_shards", "response_policy:special"], &[], "O(1)", 0, "", "", None),
    m("memory|help", &[], &[], "O(1)", 0, "", "", None),
    m("memory|malloc-stats", &["nondeterministic_output", "request_policy:all_shards", "response_policy:special"], &[], "Depends on how much memory is allocated, could be slow", 0, "", "", None),
    m("memory|purge", &["request_policy:all_shards", "response_policy:all_succeeded"], &[], "Depends on how much memory is allocated, could be slow", 0, "", "", None),
    m("memory|stats", &["nondeterministic_output", "request_policy:all_shards", "response_policy:special"], &[], "O(1)", 0, "", "", None),
    m("memory|usage", &[], &[ks("", 1, Bs::Index(2), Fk::Range(0, 1, 0))], "O(N) where N is the number of samples.", 0, "", "", None),
    m("mget", &["request_policy:multi_shard"], &[ks("", 17, Bs::Index(1), Fk::Range(-1, 1, 0))], "O(N) where N is the number of keys to retrieve.", 0, "", "", None),
    m("migrate", &["nondeterministic_output"], &[ks("", 146, Bs::Index(3), Fk::Range(0, 1, 0)), ks("", 658, Bs::Keyword("KEYS", -2), Fk::Range(-1, 1, 0))], "This command actually executes a DUMP+DEL in the source instance, and a RESTORE in the target instance. See the pages of these commands for time complexity. Also an O(N) data transfer between the two instances is performed.", 0, "", "", Some(&[("3.0.0", "Added the `COPY` and `REPLACE` options."), ("3.0.6", "Added the `KEYS` option."), ("4.0.7", "Added the `AUTH` option."), ("6.0.0", "Added the `AUTH2` option.")])),
    m("module", &[], &[], "Depends on subcommand.", 0, "", "", None),
    m("module|help", &[], &[], "O(1)", 0, "", "", None),
    m("module|list", &["nondeterministic_output_order"], &[], "O(N) where N is the number of loaded modules.", 0, "", "", None),
    m("module|load", &[], &[], "O(1)", 0, "", "", None),
    m("module|loadex", &[], &[], "O(1)", 0, "", "", None),
    m("module|unload", &[], &[], "O(1)", 0, "", "", None),
    m("monitor", &[], &[], "", 0, "", "", None),
    m("move", &[], &[ks("", 50, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("mset", &["request_policy:multi_shard", "response_policy:all_succeeded"], &[ks("", 36, Bs::Index(1), Fk::Range(-1, 2, 0))], "O(N) where N is the number of keys to set.", 0, "", "", None),
    m("msetnx", &["request_policy:multi_shard", "response_policy:agg_min"], &[ks("", 68, Bs::Index(1), Fk::Range(-1, 2, 0))], "O(N) where N is the number of keys to set.", 0, "", "", None),
    m("multi", &[], &[], "O(1)", 0, "", "", None),
    m("object", &[], &[], "Depends on subcommand.", 0, "", "", None),
    m("object|encoding", &["nondeterministic_output"], &[ks("", 1, Bs::Index(2), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("object|freq", &["nondeterministic_output"], &[ks("", 1, Bs::Index(2), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("object|help", &[], &[], "O(1)", 0, "", "", None),
    m("object|idletime", &["nondeterministic_output"], &[ks("", 1, Bs::Index(2), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("object|refcount", &["nondeterministic_output"], &[ks("", 1, Bs::Index(2), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("persist", &[], &[ks("", 34, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("pexpire", &[], &[ks("", 34, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", Some(&[("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`.")])),
    m("pexpireat", &[], &[ks("", 34, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", Some(&[("7.0.0", "Added options: `NX`, `XX`, `GT` and `LT`.")])),
    m("pexpiretime", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("pfadd", &[], &[ks("", 66, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1) to add every element.", 0, "", "", None),
    m("pfcount", &[], &[ks("RW because it may change the internal representation of the key, and propagate to replicas", 18, Bs::Index(1), Fk::Range(-1, 1, 0))], "O(1) with a very small average constant time when called with a single key. O(N) with N being the number of keys, and much bigger constant times, when called with multiple keys.", 0, "", "", None),
    m("pfdebug", &[], &[ks("", 18, Bs::Index(2), Fk::Range(0, 1, 0))], "N/A", 2, "", "", None),
    m("pfmerge", &[], &[ks("", 82, Bs::Index(1), Fk::Range(0, 1, 0)), ks("", 17, Bs::Index(2), Fk::Range(-1, 1, 0))], "O(N) to merge N HyperLogLogs, but with high constant times.", 0, "", "", None),
    m("pfselftest", &[], &[], "N/A", 2, "", "", None),
    m("ping", &["request_policy:all_shards", "response_policy:all_succeeded"], &[], "O(1)", 0, "", "", None),
    m("psetex", &[], &[ks("", 36, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("psubscribe", &[], &[], "O(N) where N is the number of patterns the client is already subscribed to.", 0, "", "", None),
    m("psync", &[], &[], "", 0, "", "", None),
    m("pttl", &["nondeterministic_output"], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", Some(&[("2.8.0", "Added the -2 reply.")])),
    m("publish", &[], &[], "O(N+M) where N is the number of clients subscribed to the receiving channel and M is the total number of subscribed patterns (by any client).", 0, "", "", None),
    m("pubsub", &[], &[], "Depends on subcommand.", 0, "", "", None),
    m("pubsub|channels", &[], &[], "O(N) where N is the number of active channels, and assuming constant time pattern matching (relatively short channels and patterns)", 0, "", "", None),
    m("pubsub|help", &[], &[], "O(1)", 0, "", "", None),
    m("pubsub|numpat", &[], &[], "O(1)", 0, "", "", None),
    m("pubsub|numsub", &[], &[], "O(N) for the NUMSUB subcommand, where N is the number of requested channels", 0, "", "", None),
    m("pubsub|shardchannels", &[], &[], "O(N) where N is the number of active shard channels, and assuming constant time pattern matching (relatively short shard channels).", 0, "", "", None),
    m("pubsub|shardnumsub", &[], &[], "O(N) for the SHARDNUMSUB subcommand, where N is the number of requested shard channels", 0, "", "", None),
    m("punsubscribe", &[], &[], "O(N+M) where N is the number of patterns the client is already subscribed and M is the number of total patterns subscribed in the system (by any client).", 0, "", "", None),
    m("quit", &[], &[], "O(1)", 0, "", "", None),
    m("randomkey", &["request_policy:all_shards", "nondeterministic_output"], &[], "O(1)", 0, "", "", None),
    m("readonly", &[], &[], "O(1)", 0, "", "", None),
    m("readwrite", &[], &[], "O(1)", 0, "", "", None),
    m("rename", &[], &[ks("", 146, Bs::Index(1), Fk::Range(0, 1, 0)), ks("", 36, Bs::Index(2), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("renamenx", &[], &[ks("", 146, Bs::Index(1), Fk::Range(0, 1, 0)), ks("", 68, Bs::Index(2), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", Some(&[("3.2.0", "The command no longer returns an error when source and destination names are the same.")])),
    m("replconf", &[], &[], "O(1)", 2, "", "", None),
    m("replicaof", &[], &[], "O(1)", 0, "", "", None),
    m("reset", &[], &[], "O(1)", 0, "", "", None),
    m("restore", &[], &[ks("", 36, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).", 0, "", "", Some(&[("3.0.0", "Added the `REPLACE` modifier."), ("5.0.0", "Added the `ABSTTL` modifier."), ("5.0.0", "Added the `IDLETIME` and `FREQ` options.")])),
    m("restore-asking", &[], &[ks("", 36, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1) to create the new key and additional O(N*M) to reconstruct the serialized value, where N is the number of Redis objects composing the value and M their average size. For small string values the time complexity is thus O(1)+O(1*M) where M is small, so simply O(1). However for sorted set values the complexity is O(N*M*log(N)) because inserting values into sorted sets is O(log(N)).", 2, "", "", Some(&[("3.0.0", "Added the `REPLACE` modifier."), ("5.0.0", "Added the `ABSTTL` modifier."), ("5.0.0", "Added the `IDLETIME` and `FREQ` options.")])),
    m("role", &[], &[], "O(1)", 0, "", "", None),
    m("rpop", &[], &[ks("", 146, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N) where N is the number of elements returned", 0, "", "", Some(&[("6.2.0", "Added the `count` argument.")])),
    m("rpoplpush", &[], &[ks("", 146, Bs::Index(1), Fk::Range(0, 1, 0)), ks("", 66, Bs::Index(2), Fk::Range(0, 1, 0))], "O(1)", 1, "6.2.0", "`LMOVE` with the `RIGHT` and `LEFT` arguments", None),
    m("rpush", &[], &[ks("", 66, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.", 0, "", "", Some(&[("2.4.0", "Accepts multiple `element` arguments.")])),
    m("rpushx", &[], &[ks("", 66, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.", 0, "", "", Some(&[("4.0.0", "Accepts multiple `element` arguments.")])),
    m("sadd", &[], &[ks("", 66, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1) for each element added, so O(N) to add N elements when the command is called with multiple arguments.", 0, "", "", Some(&[("2.4.0", "Accepts multiple `member` arguments.")])),
    m("save", &[], &[], "O(N) where N is the total number of keys in all databases", 0, "", "", None),
    m("scan", &["nondeterministic_output", "request_policy:special"], &[], "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection.", 0, "", "", Some(&[("6.0.0", "Added the `TYPE` subcommand.")])),
    m("scard", &[], &[ks("", 1, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("script", &[], &[], "Depends on subcommand.", 0, "", "", None),
    m("script|debug", &[], &[], "O(1)", 0, "", "", None),
    m("script|exists", &["request_policy:all_shards", "response_policy:agg_logical_and"], &[], "O(N) with N being the number of scripts to check (so checking a single script is an O(1) operation).", 0, "", "", None),
    m("script|flush", &["request_policy:all_nodes", "response_policy:all_succeeded"], &[], "O(N) with N being the number of scripts in cache", 0, "", "", Some(&[("6.2.0", "Added the `ASYNC` and `SYNC` flushing mode modifiers.")])),
    m("script|help", &[], &[], "O(1)", 0, "", "", None),
    m("script|kill", &["request_policy:all_shards", "response_policy:one_succeeded"], &[], "O(1)", 0, "", "", None),
    m("script|load", &["request_policy:all_nodes", "response_policy:all_succeeded"], &[], "O(N) with N being the length in bytes of the script body.", 0, "", "", None),
    m("sdiff", &["nondeterministic_output_order"], &[ks("", 17, Bs::Index(1), Fk::Range(-1, 1, 0))], "O(N) where N is the total number of elements in all given sets.", 0, "", "", None),
    m("sdiffstore", &[], &[ks("", 36, Bs::Index(1), Fk::Range(0, 1, 0)), ks("", 17, Bs::Index(2), Fk::Range(-1, 1, 0))], "O(N) where N is the total number of elements in all given sets.", 0, "", "", None),
    m("select", &[], &[], "O(1)", 0, "", "", None),
    m("set", &[], &[ks("RW and ACCESS due to the optional `GET` argument", 1074, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", Some(&[("2.6.12", "Added the `EX`, `PX`, `NX` and `XX` options."), ("6.0.0", "Added the `KEEPTTL` option."), ("6.2.0", "Added the `GET`, `EXAT` and `PXAT` option."), ("7.0.0", "Allowed the `NX` and `GET` options to be used together.")])),
    m("setbit", &[], &[ks("", 50, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("setex", &[], &[ks("", 36, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("setnx", &[], &[ks("", 68, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("setrange", &[], &[ks("", 34, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1), not counting the time taken to copy the new string in place. Usually, this string is very small so the amortized complexity is O(1). Otherwise, complexity is O(M) with M being the length of the value argument.", 0, "", "", None),
    m("shutdown", &[], &[], "O(N) when saving, where N is the total number of keys in all databases when saving data, otherwise O(1)", 0, "", "", Some(&[("7.0.0", "Added the `NOW`, `FORCE` and `ABORT` modifiers.")])),
    m("sinter", &["nondeterministic_output_order"], &[ks("", 17, Bs::Index(1), Fk::Range(-1, 1, 0))], "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.", 0, "", "", None),
    m("sintercard", &[], &[ks("", 17, Bs::Index(1), Fk::Keynum(0, 1, 1))], "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.", 0, "", "", None),
    m("sinterstore", &[], &[ks("", 34, Bs::Index(1), Fk::Range(0, 1, 0)), ks("", 17, Bs::Index(2), Fk::Range(-1, 1, 0))], "O(N*M) worst case where N is the cardinality of the smallest set and M is the number of sets.", 0, "", "", None),
    m("sismember", &[], &[ks("", 1, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("slaveof", &[], &[], "O(1)", 1, "5.0.0", "`REPLICAOF`", None),
    m("slowlog", &[], &[], "Depends on subcommand.", 0, "", "", None),
    m("slowlog|get", &["request_policy:all_nodes", "nondeterministic_output"], &[], "O(N) where N is the number of entries returned", 0, "", "", Some(&[("4.0.0", "Added client IP address, port and name to the reply.")])),
    m("slowlog|help", &[], &[], "O(1)", 0, "", "", None),
    m("slowlog|len", &["request_policy:all_nodes", "response_policy:agg_sum", "nondeterministic_output"], &[], "O(1)", 0, "", "", None),
    m("slowlog|reset", &["request_policy:all_nodes", "response_policy:all_succeeded"], &[], "O(N) where N is the number of entries in the slowlog", 0, "", "", None),
    m("smembers", &["nondeterministic_output_order"], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N) where N is the set cardinality.", 0, "", "", None),
    m("smismember", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N) where N is the number of elements being checked for membership", 0, "", "", None),
    m("smove", &[], &[ks("", 146, Bs::Index(1), Fk::Range(0, 1, 0)), ks("", 66, Bs::Index(2), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("sort", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0)), ks("For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort", 17, Bs::Unknown, Fk::Unknown), ks("For the optional STORE keyword. It is marked 'unknown' because the keyword can appear anywhere in the argument array", 36, Bs::Unknown, Fk::Unknown)], "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).", 0, "", "", None),
    m("sort_ro", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0)), ks("For the optional BY/GET keyword. It is marked 'unknown' because the key names derive from the content of the key we sort", 17, Bs::Unknown, Fk::Unknown)], "O(N+M*log(M)) where N is the number of elements in the list or set to sort, and M the number of returned elements. When the elements are not sorted, complexity is O(N).", 0, "", "", None),
    m("spop", &["nondeterministic_output"], &[ks("", 146, Bs::Index(1), Fk::Range(0, 1, 0))], "Without the count argument O(1), otherwise O(N) where N is the value of the passed count.", 0, "", "", Some(&[("3.2.0", "Added the `count` argument.")])),
    m("spublish", &[], &[ks("", 256, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N) where N is the number of clients subscribed to the receiving shard channel.", 0, "", "", None),
    m("srandmember", &["nondeterministic_output"], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "Without the count argument O(1), otherwise O(N) where N is the absolute value of the passed count.", 0, "", "", Some(&[("2.6.0", "Added the optional `count` argument.")])),
    m("srem", &[], &[ks("", 130, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N) where N is the number of members to be removed.", 0, "", "", Some(&[("2.4.0", "Accepts multiple `member` arguments.")])),
    m("sscan", &["nondeterministic_output"], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..", 0, "", "", None),
    m("ssubscribe", &[], &[ks("", 256, Bs::Index(1), Fk::Range(-1, 1, 0))], "O(N) where N is the number of shard channels to subscribe to.", 0, "", "", None),
    m("strlen", &[], &[ks("", 1, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("subscribe", &[], &[], "O(N) where N is the number of channels to subscribe to.", 0, "", "", None),
    m("substr", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N) where N is the length of the returned string. The complexity is ultimately determined by the returned length, but because creating a substring from an existing string is very cheap, it can be considered O(1) for small strings.", 1, "2.0.0", "`GETRANGE`", None),
    m("sunion", &["nondeterministic_output_order"], &[ks("", 17, Bs::Index(1), Fk::Range(-1, 1, 0))], "O(N) where N is the total number of elements in all given sets.", 0, "", "", None),
    m("sunionstore", &[], &[ks("", 36, Bs::Index(1), Fk::Range(0, 1, 0)), ks("", 17, Bs::Index(2), Fk::Range(-1, 1, 0))], "O(N) where N is the total number of elements in all given sets.", 0, "", "", None),
    m("sunsubscribe", &[], &[ks("", 256, Bs::Index(1), Fk::Range(-1, 1, 0))], "O(N) where N is the number of clients already subscribed to a shard channel.", 0, "", "", None),
    m("swapdb", &[], &[], "O(N) where N is the count of clients watching or blocking on keys from both databases.", 0, "", "", None),
    m("sync", &[], &[], "", 0, "", "", None),
    m("time", &["nondeterministic_output"], &[], "O(1)", 0, "", "", None),
    m("touch", &["request_policy:multi_shard", "response_policy:agg_sum"], &[ks("", 1, Bs::Index(1), Fk::Range(-1, 1, 0))], "O(N) where N is the number of keys that will be touched.", 0, "", "", None),
    m("ttl", &["nondeterministic_output"], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", Some(&[("2.8.0", "Added the -2 reply.")])),
    m("type", &[], &[ks("", 1, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("unlink", &["request_policy:multi_shard", "response_policy:agg_sum"], &[ks("", 136, Bs::Index(1), Fk::Range(-1, 1, 0))], "O(1) for each key removed regardless of its size. Then the command does O(N) work in a different thread in order to reclaim memory, where N is the number of allocations the deleted objects where composed of.", 0, "", "", None),
    m("unsubscribe", &[], &[], "O(N) where N is the number of clients already subscribed to a channel.", 0, "", "", None),
    m("unwatch", &[], &[], "O(1)", 0, "", "", None),
    m("wait", &["request_policy:all_shards", "response_policy:agg_min"], &[], "O(1)", 0, "", "", None),
    m("watch", &[], &[ks("", 1, Bs::Index(1), Fk::Range(-1, 1, 0))], "O(1) for every key.", 0, "", "", None),
    m("xack", &[], &[ks("", 34, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1) for each message ID processed.", 0, "", "", None),
    m("xadd", &["nondeterministic_output"], &[ks("UPDATE instead of INSERT because of the optional trimming feature", 34, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1) when adding a new entry, O(N) when trimming where N being the number of entries evicted.", 0, "", "", Some(&[("6.2.0", "Added the `NOMKSTREAM` option, `MINID` trimming strategy and the `LIMIT` option."), ("7.0.0", "Added support for the `<ms>-*` explicit ID form.")])),
    m("xautoclaim", &["nondeterministic_output"], &[ks("", 130, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1) if COUNT is small.", 0, "", "", Some(&[("7.0.0", "Added an element to the reply array, containing deleted entries the command cleared from the PEL")])),
    m("xclaim", &["nondeterministic_output"], &[ks("", 34, Bs::Index(1), Fk::Range(0, 1, 0))], "O(log N) with N being the number of messages in the PEL of the consumer group.", 0, "", "", None),
    m("xdel", &[], &[ks("", 130, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1) for each single item to delete in the stream, regardless of the stream size.", 0, "", "", None),
    m("xgroup", &[], &[], "Depends on subcommand.", 0, "", "", None),
    m("xgroup|create", &[], &[ks("", 66, Bs::Index(2), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", Some(&[("7.0.0", "Added the `entries_read` named argument.")])),
    m("xgroup|createconsumer", &[], &[ks("", 66, Bs::Index(2), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("xgroup|delconsumer", &[], &[ks("", 130, Bs::Index(2), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("xgroup|destroy", &[], &[ks("", 130, Bs::Index(2), Fk::Range(0, 1, 0))], "O(N) where N is the number of entries in the group's pending entries list (PEL).", 0, "", "", None),
    m("xgroup|help", &[], &[], "O(1)", 0, "", "", None),
    m("xgroup|setid", &[], &[ks("", 34, Bs::Index(2), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", Some(&[("7.0.0", "Added the optional `entries_read` argument.")])),
    m("xinfo", &[], &[], "Depends on subcommand.", 0, "", "", None),
    m("xinfo|consumers", &["nondeterministic_output"], &[ks("", 17, Bs::Index(2), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("xinfo|groups", &[], &[ks("", 17, Bs::Index(2), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", Some(&[("7.0.0", "Added the `entries-read` and `lag` fields")])),
    m("xinfo|help", &[], &[], "O(1)", 0, "", "", None),
    m("xinfo|stream", &[], &[ks("", 17, Bs::Index(2), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", Some(&[("6.0.0", "Added the `FULL` modifier."), ("7.0.0", "Added the `max-deleted-entry-id`, `entries-added`, `recorded-first-entry-id`, `entries-read` and `lag` fields")])),
    m("xlen", &[], &[ks("", 1, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("xpending", &["nondeterministic_output"], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N) with N being the number of elements returned, so asking for a small fixed number of entries per call is O(1). O(M), where M is the total number of entries scanned when used with the IDLE filter. When the command returns just the summary and the list of consumers is small, it runs in O(1) time; otherwise, an additional O(N) time for iterating every consumer.", 0, "", "", Some(&[("6.2.0", "Added the `IDLE` option and exclusive range intervals.")])),
    m("xrange", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N) with N being the number of elements being returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).", 0, "", "", Some(&[("6.2.0", "Added exclusive ranges.")])),
    m("xread", &[], &[ks("", 17, Bs::Keyword("STREAMS", 1), Fk::Range(-1, 1, 2))], "For each stream mentioned: O(N) with N being the number of elements being returned, it means that XREAD-ing with a fixed COUNT is O(1). Note that when the BLOCK option is used, XADD will pay O(M) time in order to serve the M clients blocked on the stream getting new data.", 0, "", "", None),
    m("xreadgroup", &[], &[ks("", 17, Bs::Keyword("STREAMS", 4), Fk::Range(-1, 1, 2))], "For each stream mentioned: O(M) with M being the number of elements returned. If M is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1). On the other side when XREADGROUP blocks, XADD will pay the O(N) time in order to serve the N clients blocked on the stream getting new data.", 0, "", "", None),
    m("xrevrange", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N) with N being the number of elements returned. If N is constant (e.g. always asking for the first 10 elements with COUNT), you can consider it O(1).", 0, "", "", Some(&[("6.2.0", "Added exclusive ranges.")])),
    m("xsetid", &[], &[ks("", 34, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", Some(&[("7.0.0", "Added the `entries_added` and `max_deleted_entry_id` arguments.")])),
    m("xtrim", &["nondeterministic_output"], &[ks("", 130, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N), with N being the number of evicted entries. Constant times are very small however, since entries are organized in macro nodes containing multiple entries that can be released with a single deallocation.", 0, "", "", Some(&[("6.2.0", "Added the `MINID` trimming strategy and the `LIMIT` option.")])),
    m("zadd", &[], &[ks("", 34, Bs::Index(1), Fk::Range(0, 1, 0))], "O(log(N)) for each item added, where N is the number of elements in the sorted set.", 0, "", "", Some(&[("2.4.0", "Accepts multiple elements."), ("3.0.2", "Added the `XX`, `NX`, `CH` and `INCR` options."), ("6.2.0", "Added the `GT` and `LT` options.")])),
    m("zcard", &[], &[ks("", 1, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("zcount", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(log(N)) with N being the number of elements in the sorted set.", 0, "", "", None),
    m("zdiff", &[], &[ks("", 17, Bs::Index(1), Fk::Keynum(0, 1, 1))], "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.", 0, "", "", None),
    m("zdiffstore", &[], &[ks("", 36, Bs::Index(1), Fk::Range(0, 1, 0)), ks("", 17, Bs::Index(2), Fk::Keynum(0, 1, 1))], "O(L + (N-K)log(N)) worst case where L is the total number of elements in all the sets, N is the size of the first set, and K is the size of the result set.", 0, "", "", None),
    m("zincrby", &[], &[ks("", 50, Bs::Index(1), Fk::Range(0, 1, 0))], "O(log(N)) where N is the number of elements in the sorted set.", 0, "", "", None),
    m("zinter", &[], &[ks("", 17, Bs::Index(1), Fk::Keynum(0, 1, 1))], "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.", 0, "", "", None),
    m("zintercard", &[], &[ks("", 17, Bs::Index(1), Fk::Keynum(0, 1, 1))], "O(N*K) worst case with N being the smallest input sorted set, K being the number of input sorted sets.", 0, "", "", None),
    m("zinterstore", &[], &[ks("", 36, Bs::Index(1), Fk::Range(0, 1, 0)), ks("", 17, Bs::Index(2), Fk::Keynum(0, 1, 1))], "O(N*K)+O(M*log(M)) worst case with N being the smallest input sorted set, K being the number of input sorted sets and M being the number of elements in the resulting sorted set.", 0, "", "", None),
    m("zlexcount", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(log(N)) with N being the number of elements in the sorted set.", 0, "", "", None),
    m("zmpop", &[], &[ks("", 146, Bs::Index(1), Fk::Keynum(0, 1, 1))], "O(K) + O(M*log(N)) where K is the number of provided keys, N being the number of elements in the sorted set, and M being the number of elements popped.", 0, "", "", None),
    m("zmscore", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N) where N is the number of members being requested.", 0, "", "", None),
    m("zpopmax", &[], &[ks("", 146, Bs::Index(1), Fk::Range(0, 1, 0))], "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.", 0, "", "", None),
    m("zpopmin", &[], &[ks("", 146, Bs::Index(1), Fk::Range(0, 1, 0))], "O(log(N)*M) with N being the number of elements in the sorted set, and M being the number of elements popped.", 0, "", "", None),
    m("zrandmember", &["nondeterministic_output"], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(N) where N is the number of elements returned", 0, "", "", None),
    m("zrange", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.", 0, "", "", Some(&[("6.2.0", "Added the `REV`, `BYSCORE`, `BYLEX` and `LIMIT` options.")])),
    m("zrangebylex", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).", 1, "6.2.0", "`ZRANGE` with the `BYLEX` argument", None),
    m("zrangebyscore", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).", 1, "6.2.0", "`ZRANGE` with the `BYSCORE` argument", Some(&[("2.0.0", "Added the `WITHSCORES` modifier.")])),
    m("zrangestore", &[], &[ks("", 36, Bs::Index(1), Fk::Range(0, 1, 0)), ks("", 17, Bs::Index(2), Fk::Range(0, 1, 0))], "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements stored into the destination key.", 0, "", "", None),
    m("zrank", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(log(N))", 0, "", "", None),
    m("zrem", &[], &[ks("", 130, Bs::Index(1), Fk::Range(0, 1, 0))], "O(M*log(N)) with N being the number of elements in the sorted set and M the number of elements to be removed.", 0, "", "", Some(&[("2.4.0", "Accepts multiple elements.")])),
    m("zremrangebylex", &[], &[ks("", 130, Bs::Index(1), Fk::Range(0, 1, 0))], "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.", 0, "", "", None),
    m("zremrangebyrank", &[], &[ks("", 130, Bs::Index(1), Fk::Range(0, 1, 0))], "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.", 0, "", "", None),
    m("zremrangebyscore", &[], &[ks("", 130, Bs::Index(1), Fk::Range(0, 1, 0))], "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements removed by the operation.", 0, "", "", None),
    m("zrevrange", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements returned.", 1, "6.2.0", "`ZRANGE` with the `REV` argument", None),
    m("zrevrangebylex", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).", 1, "6.2.0", "`ZRANGE` with the `REV` and `BYLEX` arguments", None),
    m("zrevrangebyscore", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(log(N)+M) with N being the number of elements in the sorted set and M the number of elements being returned. If M is constant (e.g. always asking for the first 10 elements with LIMIT), you can consider it O(log(N)).", 1, "6.2.0", "`ZRANGE` with the `REV` and `BYSCORE` arguments", Some(&[("2.1.6", "`min` and `max` can be exclusive.")])),
    m("zrevrank", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(log(N))", 0, "", "", None),
    m("zscan", &["nondeterministic_output"], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1) for every call. O(N) for a complete iteration, including enough command calls for the cursor to return back to 0. N is the number of elements inside the collection..", 0, "", "", None),
    m("zscore", &[], &[ks("", 17, Bs::Index(1), Fk::Range(0, 1, 0))], "O(1)", 0, "", "", None),
    m("zunion", &[], &[ks("", 17, Bs::Index(1), Fk::Keynum(0, 1, 1))], "O(N)+O(M*log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.", 0, "", "", None),
    m("zunionstore", &[], &[ks("", 36, Bs::Index(1), Fk::Range(0, 1, 0)), ks("", 17, Bs::Index(2), Fk::Keynum(0, 1, 1))], "O(N)+O(M log(M)) with N being the sum of the sizes of the input sorted sets, and M being the number of elements in the resulting sorted set.", 0, "", "", None),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_and_found() {
        assert!(META.windows(2).all(|w| w[0].name.as_bytes() < w[1].name.as_bytes()));
        assert_eq!(meta("get").map(|m| m.complexity), Some("O(1)"));
        assert!(meta("client|list").is_some());
        assert!(meta("nope").is_none());
    }
}
