//! Engine configuration: every parameter Redis 7.0 exposes through CONFIG
//! GET/SET, with Redis's types, bounds, aliases, defaults and error texts.
//!
//! The parameters the engine honours live in typed [`Config`] fields
//! (`maxmemory`, `hash_max_listpack_entries`, ...); every other parameter
//! (host-level ones such as `port`, `bind`, `dir`, `save`, and the many the
//! engine accepts but ignores) is kept in [`Config::extra`] as its canonical
//! CONFIG GET text, keyed by its primary name. [`PARAMS`] is the table both
//! go through: [`Config::set_param`] (command line / config file semantics),
//! [`Config::get_param`], and CONFIG GET/SET in `cmd/server.rs`.
//!
//! Invariants: `extra` holds at most one entry per primary parameter name and
//! only values that passed validation, already in canonical form; a missing
//! entry means the parameter still has its default. Defaults are what
//! redis-server 7.0.15 reports with no config file.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::error::{Error, Result};

/// Eviction policy (`maxmemory-policy`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum MaxmemoryPolicy {
    /// Reject writes that need memory.
    #[default]
    NoEviction,
    /// Evict any key, least recently used first.
    AllKeysLru,
    /// Evict any key, least frequently used first.
    AllKeysLfu,
    /// Evict any key at random.
    AllKeysRandom,
    /// Evict keys with a TTL, least recently used first.
    VolatileLru,
    /// Evict keys with a TTL, least frequently used first.
    VolatileLfu,
    /// Evict keys with a TTL at random.
    VolatileRandom,
    /// Evict keys with the nearest expiry first.
    VolatileTtl,
}

impl MaxmemoryPolicy {
    /// Every policy with its Redis name.
    pub const ALL: [(MaxmemoryPolicy, &'static str); 8] = [
        (MaxmemoryPolicy::VolatileLru, "volatile-lru"),
        (MaxmemoryPolicy::VolatileLfu, "volatile-lfu"),
        (MaxmemoryPolicy::VolatileRandom, "volatile-random"),
        (MaxmemoryPolicy::VolatileTtl, "volatile-ttl"),
        (MaxmemoryPolicy::AllKeysLru, "allkeys-lru"),
        (MaxmemoryPolicy::AllKeysLfu, "allkeys-lfu"),
        (MaxmemoryPolicy::AllKeysRandom, "allkeys-random"),
        (MaxmemoryPolicy::NoEviction, "noeviction"),
    ];

    /// The Redis name of this policy.
    pub fn name(self) -> &'static str {
        Self::ALL.iter().find(|(p, _)| *p == self).map_or("noeviction", |(_, n)| n)
    }

    /// The policy called `name` (exact lowercase Redis name).
    pub fn from_name(name: &str) -> Option<MaxmemoryPolicy> {
        Self::ALL.iter().find(|(_, n)| *n == name).map(|(p, _)| *p)
    }
}

/// Keyspace notification classes (`notify-keyspace-events`), Redis's bits.
pub mod notify {
    /// `K`: keyspace channel.
    pub const KEYSPACE: u32 = 1 << 0;
    /// `E`: keyevent channel.
    pub const KEYEVENT: u32 = 1 << 1;
    /// `g`: generic commands (DEL, EXPIRE, RENAME, ...).
    pub const GENERIC: u32 = 1 << 2;
    /// `$`: string commands.
    pub const STRING: u32 = 1 << 3;
    /// `l`: list commands.
    pub const LIST: u32 = 1 << 4;
    /// `s`: set commands.
    pub const SET: u32 = 1 << 5;
    /// `h`: hash commands.
    pub const HASH: u32 = 1 << 6;
    /// `z`: sorted set commands.
    pub const ZSET: u32 = 1 << 7;
    /// `x`: expired events.
    pub const EXPIRED: u32 = 1 << 8;
    /// `e`: evicted events.
    pub const EVICTED: u32 = 1 << 9;
    /// `t`: stream commands.
    pub const STREAM: u32 = 1 << 10;
    /// `m`: key miss events (not part of `A`).
    pub const KEY_MISS: u32 = 1 << 11;
    /// `d`: module key type events.
    pub const MODULE: u32 = 1 << 13;
    /// `n`: new key events (not part of `A`).
    pub const NEW: u32 = 1 << 14;
    /// `A`: alias for `g$lshzxetd`.
    pub const ALL: u32 = GENERIC | STRING | LIST | SET | HASH | ZSET | EXPIRED | EVICTED | STREAM | MODULE;

    /// Parses a class string like Redis's `keyspaceEventsStringToFlags`;
    /// `None` for an unknown character.
    pub fn parse(classes: &[u8]) -> Option<u32> {
        let mut f = 0;
        for &c in classes {
            f |= match c {
                b'A' => ALL,
                b'g' => GENERIC,
                b'$' => STRING,
                b'l' => LIST,
                b's' => SET,
                b'h' => HASH,
                b'z' => ZSET,
                b'x' => EXPIRED,
                b'e' => EVICTED,
                b'K' => KEYSPACE,
                b'E' => KEYEVENT,
                b't' => STREAM,
                b'm' => KEY_MISS,
                b'd' => MODULE,
                b'n' => NEW,
                _ => return None,
            };
        }
        Some(f)
    }

    /// [`to_string`] plus the `n` that Redis's canonical form drops next to
    /// `A` (its flags keep it), so the text parses back to exactly `flags`.
    pub fn to_exact_string(flags: u32) -> alloc::string::String {
        let mut s = to_string(flags);
        if flags & ALL == ALL && flags & NEW != 0 {
            s.push('n');
        }
        s
    }

    /// The canonical class string of `flags` (`keyspaceEventsFlagsToString`).
    pub fn to_string(flags: u32) -> alloc::string::String {
        let mut s = alloc::string::String::new();
        if flags & ALL == ALL {
            s.push('A');
        } else {
            for (bit, c) in [
                (GENERIC, 'g'),
                (STRING, '$'),
                (LIST, 'l'),
                (SET, 's'),
                (HASH, 'h'),
                (ZSET, 'z'),
                (EXPIRED, 'x'),
                (EVICTED, 'e'),
                (STREAM, 't'),
                (MODULE, 'd'),
                (NEW, 'n'),
            ] {
                if flags & bit != 0 {
                    s.push(c);
                }
            }
        }
        for (bit, c) in [(KEYSPACE, 'K'), (KEYEVENT, 'E'), (KEY_MISS, 'm')] {
            if flags & bit != 0 {
                s.push(c);
            }
        }
        s
    }
}

/// Engine configuration.
#[derive(Debug, Clone)]
pub struct Config {
    /// Number of logical databases (`databases`, fixed at start).
    pub databases: usize,
    /// Active-expiry/cron frequency the host is asked to drive (`hz`).
    pub hz: u32,
    /// Most keys the client-side caching table remembers (0: no limit);
    /// past it, keys are dropped and their clients told
    /// (`tracking-table-max-keys`).
    pub tracking_table_max_keys: u64,
    /// Memory limit in bytes, 0 = none (`maxmemory`).
    pub maxmemory: u64,
    /// Eviction policy (`maxmemory-policy`).
    pub maxmemory_policy: MaxmemoryPolicy,
    /// Keys sampled per eviction (`maxmemory-samples`).
    pub maxmemory_samples: u32,
    /// `lfu-log-factor`.
    pub lfu_log_factor: u32,
    /// `lfu-decay-time` (minutes).
    pub lfu_decay_time: u32,
    /// `hash-max-listpack-entries`.
    pub hash_max_listpack_entries: usize,
    /// `hash-max-listpack-value`.
    pub hash_max_listpack_value: usize,
    /// `set-max-intset-entries`.
    pub set_max_intset_entries: usize,
    /// `list-max-listpack-size`.
    pub list_max_listpack_size: i64,
    /// `list-compress-depth`.
    pub list_compress_depth: i64,
    /// `zset-max-listpack-entries`.
    pub zset_max_listpack_entries: usize,
    /// `zset-max-listpack-value`.
    pub zset_max_listpack_value: usize,
    /// `proto-max-bulk-len`: longest string a command may create.
    pub proto_max_bulk_len: u64,
    /// `stream-node-max-entries`: entries (tombstones included) per stream
    /// node, 0 = no limit.
    pub stream_node_max_entries: i64,
    /// `stream-node-max-bytes`: listpack bytes per stream node, 0 = the
    /// 1 GiB cap.
    pub stream_node_max_bytes: u64,
    /// `notify-keyspace-events` as class letters (CONFIG SET stores
    /// [`notify::to_exact_string`]; CONFIG GET shows the canonical form);
    /// [`Config::notify_flags`] gives the [`notify`] bits.
    pub notify_keyspace_events: String,
    /// `timeout`: idle client timeout in seconds, 0 = never.
    pub timeout: u64,
    /// `maxclients`.
    pub maxclients: u64,
    /// Whether the active expiry cycle runs (`DEBUG SET-ACTIVE-EXPIRE`).
    pub active_expire_enabled: bool,
    /// `slowlog-log-slower-than` (µs; negative turns the slow log off).
    pub slowlog_log_slower_than: i64,
    /// `slowlog-max-len`.
    pub slowlog_max_len: u64,
    /// `latency-monitor-threshold` (ms; 0 turns the monitor off).
    pub latency_monitor_threshold: u64,
    /// Every other parameter that differs from its default, as (primary
    /// name, canonical value), for host-level settings such as `bind`,
    /// `port` and `dir` and for accepted-but-ignored ones. Read them with
    /// [`Config::get_param`].
    pub extra: Vec<(String, String)>,
    /// Users declared with `user <name> <rules...>` directives (redis.conf
    /// style), each `[name, rules...]`, created when the engine starts.
    pub users: Vec<Vec<Vec<u8>>>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            databases: 16,
            hz: 10,
            tracking_table_max_keys: 1_000_000,
            maxmemory: 0,
            maxmemory_policy: MaxmemoryPolicy::NoEviction,
            maxmemory_samples: 5,
            lfu_log_factor: 10,
            lfu_decay_time: 1,
            // redis-server 7.0.15 without a config file (redis.conf says 128).
            hash_max_listpack_entries: 512,
            hash_max_listpack_value: 64,
            set_max_intset_entries: 512,
            list_max_listpack_size: -2,
            list_compress_depth: 0,
            zset_max_listpack_entries: 128,
            zset_max_listpack_value: 64,
            proto_max_bulk_len: 512 * 1024 * 1024,
            stream_node_max_entries: 100,
            stream_node_max_bytes: 4096,
            notify_keyspace_events: String::new(),
            timeout: 0,
            maxclients: 10000,
            active_expire_enabled: true,
            slowlog_log_slower_than: 10000,
            slowlog_max_len: 128,
            latency_monitor_threshold: 0,
            extra: Vec::new(),
            users: Vec::new(),
        }
    }
}

/// Facts about the host process that INFO server reports; the host sets them
/// with [`crate::Engine::set_host_info`]. In-process embedders may leave the
/// defaults.
#[derive(Debug, Clone)]
pub struct HostInfo {
    /// `tcp_port` (0 when not listening).
    pub tcp_port: u16,
    /// `process_id`.
    pub process_id: u32,
    /// `executable`.
    pub executable: String,
    /// `config_file`.
    pub config_file: String,
    /// `os`.
    pub os: String,
    /// `arch_bits`.
    pub arch_bits: u32,
    /// `multiplexing_api`.
    pub multiplexing_api: String,
    /// `run_id` (40 hex characters); empty derives one from the start time.
    pub run_id: String,
    /// `process_supervised` (`no`, `upstart`, `systemd`, `unknown`).
    pub supervised: String,
    /// CPU seconds used by the process: (sys, user), for INFO cpu.
    pub cpu_secs: (f64, f64),
    /// Resident set size in bytes, 0 when unknown (INFO memory).
    pub rss_bytes: u64,
    /// Physical memory of the machine in bytes, 0 when unknown.
    pub total_system_memory: u64,
}

impl Default for HostInfo {
    fn default() -> Self {
        HostInfo {
            tcp_port: 0,
            process_id: 0,
            executable: String::new(),
            config_file: String::new(),
            os: String::from("redlet"),
            arch_bits: (core::mem::size_of::<usize>() * 8) as u32,
            multiplexing_api: String::from("none"),
            run_id: String::new(),
            supervised: String::from("no"),
            cpu_secs: (0.0, 0.0),
            rss_bytes: 0,
            total_system_memory: 0,
        }
    }
}

/// Parameter flags (Redis's `*_CONFIG` flags that change behaviour here).
pub mod param_flags {
    /// Cannot be changed with CONFIG SET (only at start).
    pub const IMMUTABLE: u32 = 1 << 0;
    /// CONFIG SET refused unless `enable-protected-configs` allows it.
    pub const PROTECTED: u32 = 1 << 1;
    /// Only matched by exact name in CONFIG GET, never by a pattern.
    pub const HIDDEN: u32 = 1 << 2;
    /// The value is a space-separated list of arguments.
    pub const MULTI_ARG: u32 = 1 << 3;
    /// Holds a secret (redacted from logs in Redis).
    pub const SENSITIVE: u32 = 1 << 4;
    /// Refused while loading data.
    pub const DENY_LOADING: u32 = 1 << 5;
}
use param_flags::*;

/// Extra validation of a string parameter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StrCheck {
    /// Any string.
    None,
    /// A file name without path (`dbfilename`).
    DbFilename,
    /// A non-empty file name without path (`appendfilename`).
    AofFilename,
    /// A non-empty directory name without path (`appenddirname`).
    AofDirname,
    /// A host name (`cluster-announce-hostname`).
    Hostname,
}

/// Parameters with their own parser and printer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Special {
    /// `dir`
    Dir,
    /// `save`
    Save,
    /// `client-output-buffer-limit`
    ClientOutputBufferLimit,
    /// `oom-score-adj-values`
    OomScoreAdjValues,
    /// `notify-keyspace-events`
    NotifyKeyspaceEvents,
    /// `bind`
    Bind,
    /// `replicaof`
    Replicaof,
    /// `latency-tracking-info-percentiles`
    LatencyTrackingInfoPercentiles,
}

/// Numeric formats (Redis's `MEMORY_CONFIG`, `PERCENT_CONFIG`, `OCTAL_CONFIG`).
const MEM: u8 = 1;
const PERCENT: u8 = 2;
const OCTAL: u8 = 4;

/// A parameter's type.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    /// `yes` / `no`.
    Bool,
    /// Free text, optionally validated.
    Str(StrCheck),
    /// One of the names (several, OR'ed, for multi-arg parameters); names
    /// sharing a value are synonyms and the first one is canonical.
    Enum(&'static [(&'static str, i32)]),
    /// An integer within `min..=max`; `unsigned` compares the parsed value as
    /// Redis's unsigned types do; `fmt` is a set of `MEM`/`PERCENT`/`OCTAL`.
    Num {
        /// Lowest accepted value.
        min: i128,
        /// Highest accepted value.
        max: i128,
        /// Bounds checked on the value reinterpreted as unsigned.
        unsigned: bool,
        /// Accepted/printed forms.
        fmt: u8,
    },
    /// Own parser and printer.
    Special(Special),
}

/// One CONFIG parameter.
#[derive(Debug, Clone, Copy)]
pub struct Param {
    /// Primary name.
    pub name: &'static str,
    /// Old name that also works (`hash-max-ziplist-entries`).
    pub alias: Option<&'static str>,
    /// [`param_flags`].
    pub flags: u32,
    /// Type.
    pub kind: Kind,
    /// Default value, in canonical CONFIG GET form.
    pub default: &'static str,
}

const fn p(name: &'static str, alias: Option<&'static str>, flags: u32, kind: Kind, default: &'static str) -> Param {
    Param { name, alias, flags, kind, default }
}

// Enum value sets, as in Redis's config.c.
const MAXMEMORY_POLICY_ENUM: &[(&str, i32)] = &[("volatile-lru", 0), ("volatile-lfu", 1), ("volatile-random", 2), ("volatile-ttl", 3), ("allkeys-lru", 4), ("allkeys-lfu", 5), ("allkeys-random", 6), ("noeviction", 7)];
const SYSLOG_FACILITY_ENUM: &[(&str, i32)] = &[("user", 0), ("local0", 1), ("local1", 2), ("local2", 3), ("local3", 4), ("local4", 5), ("local5", 6), ("local6", 7), ("local7", 8)];
const LOGLEVEL_ENUM: &[(&str, i32)] = &[("debug", 0), ("verbose", 1), ("notice", 2), ("warning", 3)];
const SUPERVISED_MODE_ENUM: &[(&str, i32)] = &[("upstart", 0), ("systemd", 1), ("auto", 2), ("no", 3)];
const AOF_FSYNC_ENUM: &[(&str, i32)] = &[("everysec", 0), ("always", 1), ("no", 2)];
const SHUTDOWN_ON_SIG_ENUM: &[(&str, i32)] = &[("default", 0), ("save", 1), ("nosave", 2), ("now", 4), ("force", 8)];
const REPL_DISKLESS_LOAD_ENUM: &[(&str, i32)] = &[("disabled", 0), ("on-empty-db", 1), ("swapdb", 2)];
const OOM_SCORE_ADJ_ENUM: &[(&str, i32)] = &[("no", 0), ("yes", 1), ("relative", 1), ("absolute", 2)];
const ACL_PUBSUB_DEFAULT_ENUM: &[(&str, i32)] = &[("allchannels", 1), ("resetchannels", 0)];
const SANITIZE_DUMP_PAYLOAD_ENUM: &[(&str, i32)] = &[("no", 0), ("yes", 1), ("clients", 2)];
const PROTECTED_ACTION_ENUM: &[(&str, i32)] = &[("no", 0), ("yes", 1), ("local", 2)];
const CLUSTER_PREFERRED_ENDPOINT_TYPE_ENUM: &[(&str, i32)] = &[("ip", 0), ("hostname", 1), ("unknown-endpoint", 2)];
const TLS_AUTH_CLIENTS_ENUM: &[(&str, i32)] = &[("no", 0), ("yes", 1), ("optional", 2)];
const PROPAGATION_ERROR_BEHAVIOR_ENUM: &[(&str, i32)] = &[("ignore", 0), ("panic", 1), ("panic-on-replicas", 2)];

/// Every parameter, in Redis's table order (CONFIG GET lists matches in this order).
pub static PARAMS: &[Param] = &[
    p("rdbchecksum", None, IMMUTABLE, Kind::Bool, "yes"),
    p("daemonize", None, IMMUTABLE, Kind::Bool, "no"),
    p("io-threads-do-reads", None, IMMUTABLE, Kind::Bool, "no"),
    p("always-show-logo", None, IMMUTABLE, Kind::Bool, "no"),
    p("protected-mode", None, 0, Kind::Bool, "yes"),
    p("rdbcompression", None, 0, Kind::Bool, "yes"),
    p("rdb-del-sync-files", None, 0, Kind::Bool, "no"),
    p("activerehashing", None, 0, Kind::Bool, "yes"),
    p("stop-writes-on-bgsave-error", None, 0, Kind::Bool, "yes"),
    p("set-proc-title", None, IMMUTABLE, Kind::Bool, "yes"),
    p("dynamic-hz", None, 0, Kind::Bool, "yes"),
    p("lazyfree-lazy-eviction", None, 0, Kind::Bool, "no"),
    p("lazyfree-lazy-expire", None, 0, Kind::Bool, "no"),
    p("lazyfree-lazy-server-del", None, 0, Kind::Bool, "no"),
    p("lazyfree-lazy-user-del", None, 0, Kind::Bool, "no"),
    p("lazyfree-lazy-user-flush", None, 0, Kind::Bool, "no"),
    p("repl-disable-tcp-nodelay", None, 0, Kind::Bool, "no"),
    p("repl-diskless-sync", None, 0, Kind::Bool, "yes"),
    p("aof-rewrite-incremental-fsync", None, 0, Kind::Bool, "yes"),
    p("no-appendfsync-on-rewrite", None, 0, Kind::Bool, "no"),
    p("cluster-require-full-coverage", None, 0, Kind::Bool, "yes"),
    p("rdb-save-incremental-fsync", None, 0, Kind::Bool, "yes"),
    p("aof-load-truncated", None, 0, Kind::Bool, "yes"),
    p("aof-use-rdb-preamble", None, 0, Kind::Bool, "yes"),
    p("aof-timestamp-enabled", None, 0, Kind::Bool, "no"),
    p("cluster-replica-no-failover", Some("cluster-slave-no-failover"), 0, Kind::Bool, "no"),
    p("replica-lazy-flush", Some("slave-lazy-flush"), 0, Kind::Bool, "no"),
    p("replica-serve-stale-data", Some("slave-serve-stale-data"), 0, Kind::Bool, "yes"),
    p("replica-read-only", Some("slave-read-only"), 0, Kind::Bool, "yes"),
    p("replica-ignore-maxmemory", Some("slave-ignore-maxmemory"), 0, Kind::Bool, "yes"),
    p("jemalloc-bg-thread", None, 0, Kind::Bool, "yes"),
    p("activedefrag", None, 0, Kind::Bool, "no"),
    p("syslog-enabled", None, IMMUTABLE, Kind::Bool, "no"),
    p("cluster-enabled", None, IMMUTABLE, Kind::Bool, "no"),
    p("appendonly", None, DENY_LOADING, Kind::Bool, "no"),
    p("cluster-allow-reads-when-down", None, 0, Kind::Bool, "no"),
    p("cluster-allow-pubsubshard-when-down", None, 0, Kind::Bool, "yes"),
    p("crash-log-enabled", None, 0, Kind::Bool, "yes"),
    p("crash-memcheck-enabled", None, 0, Kind::Bool, "yes"),
    p("use-exit-on-panic", None, HIDDEN, Kind::Bool, "no"),
    p("disable-thp", None, IMMUTABLE, Kind::Bool, "yes"),
    p("cluster-allow-replica-migration", None, 0, Kind::Bool, "yes"),
    p("replica-announced", None, 0, Kind::Bool, "yes"),
    p("latency-tracking", None, 0, Kind::Bool, "yes"),
    p("aof-disable-auto-gc", None, 0, Kind::Bool, "no"),
    p("replica-ignore-disk-write-errors", None, 0, Kind::Bool, "no"),
    p("aclfile", None, IMMUTABLE, Kind::Str(StrCheck::None), ""),
    p("unixsocket", None, IMMUTABLE, Kind::Str(StrCheck::None), ""),
    p("pidfile", None, IMMUTABLE, Kind::Str(StrCheck::None), ""),
    p("replica-announce-ip", Some("slave-announce-ip"), 0, Kind::Str(StrCheck::None), ""),
    p("masteruser", None, SENSITIVE, Kind::Str(StrCheck::None), ""),
    p("cluster-announce-ip", None, 0, Kind::Str(StrCheck::None), ""),
    p("cluster-config-file", None, IMMUTABLE, Kind::Str(StrCheck::None), "nodes.conf"),
    p("cluster-announce-hostname", None, 0, Kind::Str(StrCheck::Hostname), ""),
    p("syslog-ident", None, IMMUTABLE, Kind::Str(StrCheck::None), "redis"),
    p("dbfilename", None, PROTECTED, Kind::Str(StrCheck::DbFilename), "dump.rdb"),
    p("appendfilename", None, IMMUTABLE, Kind::Str(StrCheck::AofFilename), "appendonly.aof"),
    p("appenddirname", None, IMMUTABLE, Kind::Str(StrCheck::AofDirname), "appendonlydir"),
    p("server_cpulist", None, IMMUTABLE, Kind::Str(StrCheck::None), ""),
    p("bio_cpulist", None, IMMUTABLE, Kind::Str(StrCheck::None), ""),
    p("aof_rewrite_cpulist", None, IMMUTABLE, Kind::Str(StrCheck::None), ""),
    p("bgsave_cpulist", None, IMMUTABLE, Kind::Str(StrCheck::None), ""),
    p("ignore-warnings", None, 0, Kind::Str(StrCheck::None), ""),
    p("proc-title-template", None, 0, Kind::Str(StrCheck::None), "{title} {listen-addr} {server-mode}"),
    p("bind-source-addr", None, 0, Kind::Str(StrCheck::None), ""),
    p("logfile", None, IMMUTABLE, Kind::Str(StrCheck::None), ""),
    p("masterauth", None, SENSITIVE, Kind::Str(StrCheck::None), ""),
    p("requirepass", None, SENSITIVE, Kind::Str(StrCheck::None), ""),
    p("supervised", None, IMMUTABLE, Kind::Enum(SUPERVISED_MODE_ENUM), "no"),
    p("syslog-facility", None, IMMUTABLE, Kind::Enum(SYSLOG_FACILITY_ENUM), "local0"),
    p("repl-diskless-load", None, DENY_LOADING, Kind::Enum(REPL_DISKLESS_LOAD_ENUM), "disabled"),
    p("loglevel", None, 0, Kind::Enum(LOGLEVEL_ENUM), "notice"),
    p("maxmemory-policy", None, 0, Kind::Enum(MAXMEMORY_POLICY_ENUM), "noeviction"),
    p("appendfsync", None, 0, Kind::Enum(AOF_FSYNC_ENUM), "everysec"),
    p("oom-score-adj", None, 0, Kind::Enum(OOM_SCORE_ADJ_ENUM), "no"),
    p("acl-pubsub-default", None, 0, Kind::Enum(ACL_PUBSUB_DEFAULT_ENUM), "resetchannels"),
    p("sanitize-dump-payload", None, 0, Kind::Enum(SANITIZE_DUMP_PAYLOAD_ENUM), "no"),
    p("enable-protected-configs", None, IMMUTABLE, Kind::Enum(PROTECTED_ACTION_ENUM), "no"),
    p("enable-debug-command", None, IMMUTABLE, Kind::Enum(PROTECTED_ACTION_ENUM), "local"),
    p("enable-module-command", None, IMMUTABLE, Kind::Enum(PROTECTED_ACTION_ENUM), "no"),
    p("cluster-preferred-endpoint-type", None, 0, Kind::Enum(CLUSTER_PREFERRED_ENDPOINT_TYPE_ENUM), "ip"),
    p("propagation-error-behavior", None, 0, Kind::Enum(PROPAGATION_ERROR_BEHAVIOR_ENUM), "ignore"),
    p("shutdown-on-sigint", None, MULTI_ARG, Kind::Enum(SHUTDOWN_ON_SIG_ENUM), "default"),
    p("shutdown-on-sigterm", None, MULTI_ARG, Kind::Enum(SHUTDOWN_ON_SIG_ENUM), "default"),
    p("databases", None, IMMUTABLE, Kind::Num { min: 1, max: 2147483647, unsigned: false, fmt: 0 }, "16"),
    p("port", None, 0, Kind::Num { min: 0, max: 65535, unsigned: false, fmt: 0 }, "6379"),
    p("io-threads", None, IMMUTABLE, Kind::Num { min: 1, max: 128, unsigned: false, fmt: 0 }, "1"),
    p("auto-aof-rewrite-percentage", None, 0, Kind::Num { min: 0, max: 2147483647, unsigned: false, fmt: 0 }, "100"),
    p("cluster-replica-validity-factor", Some("cluster-slave-validity-factor"), 0, Kind::Num { min: 0, max: 2147483647, unsigned: false, fmt: 0 }, "10"),
    p("list-max-listpack-size", Some("list-max-ziplist-size"), 0, Kind::Num { min: -2147483648, max: 2147483647, unsigned: false, fmt: 0 }, "-2"),
    p("tcp-keepalive", None, 0, Kind::Num { min: 0, max: 2147483647, unsigned: false, fmt: 0 }, "300"),
    p("cluster-migration-barrier", None, 0, Kind::Num { min: 0, max: 2147483647, unsigned: false, fmt: 0 }, "1"),
    p("active-defrag-cycle-min", None, 0, Kind::Num { min: 1, max: 99, unsigned: false, fmt: 0 }, "1"),
    p("active-defrag-cycle-max", None, 0, Kind::Num { min: 1, max: 99, unsigned: false, fmt: 0 }, "25"),
    p("active-defrag-threshold-lower", None, 0, Kind::Num { min: 0, max: 1000, unsigned: false, fmt: 0 }, "10"),
    p("active-defrag-threshold-upper", None, 0, Kind::Num { min: 0, max: 1000, unsigned: false, fmt: 0 }, "100"),
    p("lfu-log-factor", None, 0, Kind::Num { min: 0, max: 2147483647, unsigned: false, fmt: 0 }, "10"),
    p("lfu-decay-time", None, 0, Kind::Num { min: 0, max: 2147483647, unsigned: false, fmt: 0 }, "1"),
    p("replica-priority", Some("slave-priority"), 0, Kind::Num { min: 0, max: 2147483647, unsigned: false, fmt: 0 }, "100"),
    p("repl-diskless-sync-delay", None, 0, Kind::Num { min: 0, max: 2147483647, unsigned: false, fmt: 0 }, "5"),
    p("maxmemory-samples", None, 0, Kind::Num { min: 1, max: 2147483647, unsigned: false, fmt: 0 }, "5"),
    p("maxmemory-eviction-tenacity", None, 0, Kind::Num { min: 0, max: 100, unsigned: false, fmt: 0 }, "10"),
    p("timeout", None, 0, Kind::Num { min: 0, max: 2147483647, unsigned: false, fmt: 0 }, "0"),
    p("replica-announce-port", Some("slave-announce-port"), 0, Kind::Num { min: 0, max: 65535, unsigned: false, fmt: 0 }, "0"),
    p("tcp-backlog", None, IMMUTABLE, Kind::Num { min: 0, max: 2147483647, unsigned: false, fmt: 0 }, "511"),
    p("cluster-port", None, IMMUTABLE, Kind::Num { min: 0, max: 65535, unsigned: false, fmt: 0 }, "0"),
    p("cluster-announce-bus-port", None, 0, Kind::Num { min: 0, max: 65535, unsigned: false, fmt: 0 }, "0"),
    p("cluster-announce-port", None, 0, Kind::Num { min: 0, max: 65535, unsigned: false, fmt: 0 }, "0"),
    p("cluster-announce-tls-port", None, 0, Kind::Num { min: 0, max: 65535, unsigned: false, fmt: 0 }, "0"),
    p("repl-timeout", None, 0, Kind::Num { min: 1, max: 2147483647, unsigned: false, fmt: 0 }, "60"),
    p("repl-ping-replica-period", Some("repl-ping-slave-period"), 0, Kind::Num { min: 1, max: 2147483647, unsigned: false, fmt: 0 }, "10"),
    p("list-compress-depth", None, 0, Kind::Num { min: 0, max: 2147483647, unsigned: false, fmt: 0 }, "0"),
    p("rdb-key-save-delay", None, HIDDEN, Kind::Num { min: -2147483648, max: 2147483647, unsigned: false, fmt: 0 }, "0"),
    p("key-load-delay", None, HIDDEN, Kind::Num { min: -2147483648, max: 2147483647, unsigned: false, fmt: 0 }, "0"),
    p("active-expire-effort", None, 0, Kind::Num { min: 1, max: 10, unsigned: false, fmt: 0 }, "1"),
    p("hz", None, 0, Kind::Num { min: 0, max: 2147483647, unsigned: false, fmt: 0 }, "10"),
    p("min-replicas-to-write", Some("min-slaves-to-write"), 0, Kind::Num { min: 0, max: 2147483647, unsigned: false, fmt: 0 }, "0"),
    p("min-replicas-max-lag", Some("min-slaves-max-lag"), 0, Kind::Num { min: 0, max: 2147483647, unsigned: false, fmt: 0 }, "10"),
    p("watchdog-period", None, HIDDEN, Kind::Num { min: 0, max: 2147483647, unsigned: false, fmt: 0 }, "0"),
    p("shutdown-timeout", None, 0, Kind::Num { min: 0, max: 2147483647, unsigned: false, fmt: 0 }, "10"),
    p("repl-diskless-sync-max-replicas", None, 0, Kind::Num { min: 0, max: 2147483647, unsigned: false, fmt: 0 }, "0"),
    p("maxclients", None, 0, Kind::Num { min: 1, max: 4294967295, unsigned: true, fmt: 0 }, "10000"),
    p("unixsocketperm", None, IMMUTABLE, Kind::Num { min: 0, max: 511, unsigned: true, fmt: OCTAL }, "0"),
    p("socket-mark-id", None, IMMUTABLE, Kind::Num { min: 0, max: 4294967295, unsigned: true, fmt: 0 }, "0"),
    p("active-defrag-max-scan-fields", None, 0, Kind::Num { min: 1, max: 9223372036854775807, unsigned: false, fmt: 0 }, "1000"),
    p("slowlog-max-len", None, 0, Kind::Num { min: 0, max: 9223372036854775807, unsigned: false, fmt: 0 }, "128"),
    p("acllog-max-len", None, 0, Kind::Num { min: 0, max: 9223372036854775807, unsigned: false, fmt: 0 }, "128"),
    p("busy-reply-threshold", Some("lua-time-limit"), 0, Kind::Num { min: 0, max: 9223372036854775807, unsigned: false, fmt: 0 }, "5000"),
    p("cluster-node-timeout", None, 0, Kind::Num { min: 0, max: 9223372036854775807, unsigned: false, fmt: 0 }, "15000"),
    p("slowlog-log-slower-than", None, 0, Kind::Num { min: -1, max: 9223372036854775807, unsigned: false, fmt: 0 }, "10000"),
    p("latency-monitor-threshold", None, 0, Kind::Num { min: 0, max: 9223372036854775807, unsigned: false, fmt: 0 }, "0"),
    p("proto-max-bulk-len", None, 0, Kind::Num { min: 1048576, max: 9223372036854775807, unsigned: false, fmt: MEM }, "536870912"),
    p("stream-node-max-entries", None, 0, Kind::Num { min: 0, max: 9223372036854775807, unsigned: false, fmt: 0 }, "100"),
    p("repl-backlog-size", None, 0, Kind::Num { min: 1, max: 9223372036854775807, unsigned: false, fmt: MEM }, "1048576"),
    p("maxmemory", None, 0, Kind::Num { min: 0, max: 18446744073709551615, unsigned: true, fmt: MEM }, "0"),
    p("cluster-link-sendbuf-limit", None, 0, Kind::Num { min: 0, max: 18446744073709551615, unsigned: true, fmt: MEM }, "0"),
    p("hash-max-listpack-entries", Some("hash-max-ziplist-entries"), 0, Kind::Num { min: 0, max: 9223372036854775807, unsigned: true, fmt: 0 }, "512"),
    p("set-max-intset-entries", None, 0, Kind::Num { min: 0, max: 9223372036854775807, unsigned: true, fmt: 0 }, "512"),
    p("zset-max-listpack-entries", Some("zset-max-ziplist-entries"), 0, Kind::Num { min: 0, max: 9223372036854775807, unsigned: true, fmt: 0 }, "128"),
    p("active-defrag-ignore-bytes", None, 0, Kind::Num { min: 1, max: 9223372036854775807, unsigned: true, fmt: MEM }, "104857600"),
    p("hash-max-listpack-value", Some("hash-max-ziplist-value"), 0, Kind::Num { min: 0, max: 9223372036854775807, unsigned: true, fmt: MEM }, "64"),
    p("stream-node-max-bytes", None, 0, Kind::Num { min: 0, max: 9223372036854775807, unsigned: true, fmt: MEM }, "4096"),
    p("zset-max-listpack-value", Some("zset-max-ziplist-value"), 0, Kind::Num { min: 0, max: 9223372036854775807, unsigned: true, fmt: MEM }, "64"),
    p("hll-sparse-max-bytes", None, 0, Kind::Num { min: 0, max: 9223372036854775807, unsigned: true, fmt: MEM }, "3000"),
    p("tracking-table-max-keys", None, 0, Kind::Num { min: 0, max: 9223372036854775807, unsigned: true, fmt: 0 }, "1000000"),
    p("client-query-buffer-limit", None, 0, Kind::Num { min: 1048576, max: 9223372036854775807, unsigned: true, fmt: MEM }, "1073741824"),
    p("maxmemory-clients", None, 0, Kind::Num { min: -100, max: 9223372036854775807, unsigned: false, fmt: MEM | PERCENT }, "0"),
    p("repl-backlog-ttl", None, 0, Kind::Num { min: 0, max: 9223372036854775807, unsigned: false, fmt: 0 }, "3600"),
    p("auto-aof-rewrite-min-size", None, 0, Kind::Num { min: 0, max: 9223372036854775807, unsigned: false, fmt: MEM }, "67108864"),
    p("loading-process-events-interval-bytes", None, HIDDEN, Kind::Num { min: 1024, max: 2147483647, unsigned: false, fmt: 0 }, "2097152"),
    p("tls-port", None, 0, Kind::Num { min: 0, max: 65535, unsigned: false, fmt: 0 }, "0"),
    p("tls-session-cache-size", None, 0, Kind::Num { min: 0, max: 2147483647, unsigned: false, fmt: 0 }, "20480"),
    p("tls-session-cache-timeout", None, 0, Kind::Num { min: 0, max: 2147483647, unsigned: false, fmt: 0 }, "300"),
    p("tls-cluster", None, 0, Kind::Bool, "no"),
    p("tls-replication", None, 0, Kind::Bool, "no"),
    p("tls-auth-clients", None, 0, Kind::Enum(TLS_AUTH_CLIENTS_ENUM), "yes"),
    p("tls-prefer-server-ciphers", None, 0, Kind::Bool, "no"),
    p("tls-session-caching", None, 0, Kind::Bool, "yes"),
    p("tls-cert-file", None, 0, Kind::Str(StrCheck::None), ""),
    p("tls-key-file", None, 0, Kind::Str(StrCheck::None), ""),
    p("tls-key-file-pass", None, 0, Kind::Str(StrCheck::None), ""),
    p("tls-client-cert-file", None, 0, Kind::Str(StrCheck::None), ""),
    p("tls-client-key-file", None, 0, Kind::Str(StrCheck::None), ""),
    p("tls-client-key-file-pass", None, 0, Kind::Str(StrCheck::None), ""),
    p("tls-dh-params-file", None, 0, Kind::Str(StrCheck::None), ""),
    p("tls-ca-cert-file", None, 0, Kind::Str(StrCheck::None), ""),
    p("tls-ca-cert-dir", None, 0, Kind::Str(StrCheck::None), ""),
    p("tls-protocols", None, 0, Kind::Str(StrCheck::None), ""),
    p("tls-ciphers", None, 0, Kind::Str(StrCheck::None), ""),
    p("tls-ciphersuites", None, 0, Kind::Str(StrCheck::None), ""),
    p("dir", None, PROTECTED | DENY_LOADING, Kind::Special(Special::Dir), "/"),
    p("save", None, MULTI_ARG, Kind::Special(Special::Save), "3600 1 300 100 60 10000"),
    p("client-output-buffer-limit", None, MULTI_ARG, Kind::Special(Special::ClientOutputBufferLimit), "normal 0 0 0 slave 268435456 67108864 60 pubsub 33554432 8388608 60"),
    p("oom-score-adj-values", None, MULTI_ARG, Kind::Special(Special::OomScoreAdjValues), "0 200 800"),
    p("notify-keyspace-events", None, 0, Kind::Special(Special::NotifyKeyspaceEvents), ""),
    p("bind", None, MULTI_ARG, Kind::Special(Special::Bind), "* -::*"),
    p("replicaof", Some("slaveof"), IMMUTABLE | MULTI_ARG, Kind::Special(Special::Replicaof), ""),
    p("latency-tracking-info-percentiles", None, MULTI_ARG, Kind::Special(Special::LatencyTrackingInfoPercentiles), "50 99 99.9"),
];

/// Most addresses `bind` accepts (Redis's `CONFIG_BINDADDR_MAX`).
const BINDADDR_MAX: usize = 16;

/// Looks a parameter up by primary name or alias, ignoring ASCII case.
/// Returns it with the name it was found under (the alias when matched by
/// alias: Redis reports that name in errors).
pub fn lookup_param(name: &[u8]) -> Option<(&'static Param, &'static str)> {
    for p in PARAMS {
        if name.eq_ignore_ascii_case(p.name.as_bytes()) {
            return Some((p, p.name));
        }
        if let Some(a) = p.alias {
            if name.eq_ignore_ascii_case(a.as_bytes()) {
                return Some((p, a));
            }
        }
    }
    None
}

/// Every name CONFIG GET patterns can match: (name, parameter), aliases
/// included as their own entries, hidden parameters excluded.
pub fn param_names() -> impl Iterator<Item = (&'static str, &'static Param)> {
    PARAMS.iter().filter(|p| p.flags & HIDDEN == 0).flat_map(|p| core::iter::once((p.name, p)).chain(p.alias.map(|a| (a, p))))
}

/// A validated value: its canonical text and, for numbers, booleans and
/// enums, its numeric value.
#[derive(Debug, Clone)]
pub(crate) struct Parsed {
    text: String,
    num: i64,
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

/// C's `strtoll(s, &end, base)` followed by `*end == '\0'`: leading
/// whitespace and a sign are accepted, an empty digit run parses as 0 (end
/// stays at the start), overflow saturates.
fn strtoll_full(s: &[u8], base: u32) -> Option<i64> {
    let mut i = 0;
    while i < s.len() && matches!(s[i], b' ' | b'\t' | b'\n' | b'\r' | 0x0b | 0x0c) {
        i += 1;
    }
    let mut neg = false;
    if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
        neg = s[i] == b'-';
        i += 1;
    }
    let digits_at = i;
    let mut v: i128 = 0;
    while i < s.len() {
        let d = match (s[i] as char).to_digit(base) {
            Some(d) => d,
            None => break,
        };
        v = (v * base as i128 + d as i128).min(i64::MAX as i128 + 1);
        i += 1;
    }
    if i == digits_at {
        // No conversion: end pointer is the start of the string.
        return if s.is_empty() { Some(0) } else { None };
    }
    if i != s.len() {
        return None;
    }
    let v = if neg { -v } else { v };
    Some(v.clamp(i64::MIN as i128, i64::MAX as i128) as i64)
}

/// Redis's `memtoull`: digits with an optional `b`, `k`, `kb`, `m`, `mb`,
/// `g`, `gb` unit (any case). Overflow wraps like the C code.
pub fn parse_memory(s: &[u8]) -> Option<u64> {
    if s.first() == Some(&b'-') {
        return None;
    }
    let n = s.iter().position(|c| !c.is_ascii_digit()).unwrap_or(s.len());
    let unit = &s[n..];
    let mul: u64 = match () {
        _ if unit.is_empty() || unit.eq_ignore_ascii_case(b"b") => 1,
        _ if unit.eq_ignore_ascii_case(b"k") => 1000,
        _ if unit.eq_ignore_ascii_case(b"kb") => 1024,
        _ if unit.eq_ignore_ascii_case(b"m") => 1000 * 1000,
        _ if unit.eq_ignore_ascii_case(b"mb") => 1024 * 1024,
        _ if unit.eq_ignore_ascii_case(b"g") => 1000 * 1000 * 1000,
        _ if unit.eq_ignore_ascii_case(b"gb") => 1024 * 1024 * 1024,
        _ => return None,
    };
    if n >= 128 {
        return None;
    }
    // strtoull saturates on overflow and Redis does not check ERANGE.
    let mut v: u64 = 0;
    let mut overflow = false;
    for &c in &s[..n] {
        match v.checked_mul(10).and_then(|x| x.checked_add((c - b'0') as u64)) {
            Some(x) => v = x,
            None => overflow = true,
        }
    }
    if overflow {
        v = u64::MAX;
    }
    Some(v.wrapping_mul(mul))
}

fn enum_error(vals: &[(&str, i32)]) -> String {
    let mut s = String::from("argument(s) must be one of the following: ");
    for (i, (n, _)) in vals.iter().enumerate() {
        if i > 0 {
            s.push_str(", ");
        }
        s.push_str(n);
    }
    // Redis builds the message in a 256-byte buffer.
    s.truncate(255);
    s
}

/// Canonical name of an enum value (`configEnumGetName`).
fn enum_name(vals: &[(&str, i32)], v: i32, bitflags: bool) -> String {
    let mut names: Option<String> = None;
    let mut unmatched = v;
    for (n, ev) in vals {
        if v == *ev {
            return String::from(*n);
        }
        if bitflags && *ev != 0 && *ev == (unmatched & ev) {
            match &mut names {
                Some(s) => {
                    s.push(' ');
                    s.push_str(n);
                }
                None => names = Some(String::from(*n)),
            }
            unmatched &= !ev;
        }
    }
    match names {
        Some(s) if unmatched == 0 => s,
        _ => String::from("unknown"),
    }
}

fn is_base_name(b: &[u8]) -> bool {
    !b.contains(&b'/') && !b.contains(&b'\\')
}

/// `%f` then Redis's `trimDoubleString`.
fn fmt_percentile(d: f64) -> String {
    let mut s = format!("{:.6}", d);
    if s.contains('.') {
        while s.ends_with('0') {
            s.pop();
        }
        if s.ends_with('.') {
            s.pop();
        }
    }
    s
}

/// Client classes of `client-output-buffer-limit`, in CONFIG GET order.
const OBUF_CLASSES: [&str; 3] = ["normal", "slave", "pubsub"];

fn obuf_class(name: &[u8]) -> Option<usize> {
    if name.eq_ignore_ascii_case(b"normal") {
        Some(0)
    } else if name.eq_ignore_ascii_case(b"slave") || name.eq_ignore_ascii_case(b"replica") {
        Some(1)
    } else if name.eq_ignore_ascii_case(b"pubsub") {
        Some(2)
    } else {
        None
    }
}

impl Param {
    /// Parses and validates `argv` (the value, split into arguments for
    /// multi-arg parameters) against this parameter, given the current value
    /// `cur` (some parameters update only part of their value). The error is
    /// Redis's reason text, without the "CONFIG SET failed" prefix.
    pub(crate) fn parse(&self, argv: &[&[u8]], cur: &str) -> core::result::Result<Parsed, String> {
        let one = argv.first().copied().unwrap_or(b"");
        let plain = |t: String| Parsed { text: t, num: 0 };
        match self.kind {
            Kind::Bool => {
                let yes = if one.eq_ignore_ascii_case(b"yes") {
                    true
                } else if one.eq_ignore_ascii_case(b"no") {
                    false
                } else {
                    return Err("argument must be 'yes' or 'no'".into());
                };
                if yes && self.name == "activedefrag" {
                    return Err("Active defragmentation cannot be enabled: it requires a Redis server compiled with a modified Jemalloc like the one shipped by default with the Redis source distribution".into());
                }
                Ok(Parsed { text: String::from(if yes { "yes" } else { "no" }), num: yes as i64 })
            }
            Kind::Str(check) => {
                match check {
                    StrCheck::None => {}
                    StrCheck::DbFilename => {
                        if !is_base_name(one) {
                            return Err("dbfilename can't be a path, just a filename".into());
                        }
                    }
                    StrCheck::AofFilename => {
                        if one.is_empty() {
                            return Err("appendfilename can't be empty".into());
                        }
                        if !is_base_name(one) {
                            return Err("appendfilename can't be a path, just a filename".into());
                        }
                    }
                    StrCheck::AofDirname => {
                        if one.is_empty() {
                            return Err("appenddirname can't be empty".into());
                        }
                        if !is_base_name(one) {
                            return Err("appenddirname can't be a path, just a dirname".into());
                        }
                    }
                    StrCheck::Hostname => {
                        if one.len() >= 256 {
                            return Err("Hostnames must be less than 256 characters".into());
                        }
                        if !one.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-' || *c == b'.') {
                            return Err("Hostnames may only contain alphanumeric characters, hyphens or dots".into());
                        }
                    }
                }
                // C strings end at the first NUL.
                let end = one.iter().position(|&c| c == 0).unwrap_or(one.len());
                Ok(plain(text(&one[..end])))
            }
            Kind::Enum(vals) => {
                let bitflags = self.flags & MULTI_ARG != 0;
                if argv.is_empty() || (!bitflags && argv.len() != 1) {
                    return Err(enum_error(vals));
                }
                let mut v = 0;
                for a in argv {
                    let mut matched = false;
                    for (n, ev) in vals {
                        if a.eq_ignore_ascii_case(n.as_bytes()) {
                            v |= ev;
                            matched = true;
                        }
                    }
                    if !matched {
                        return Err(enum_error(vals));
                    }
                }
                if bitflags && v & 1 != 0 && v & 2 != 0 {
                    return Err("shutdown options SAVE and NOSAVE can't be used simultaneously".into());
                }
                Ok(Parsed { text: enum_name(vals, v, bitflags), num: v as i64 })
            }
            Kind::Num { min, max, unsigned, fmt } => {
                let mut parsed: Option<i64> = None;
                if fmt & MEM != 0 {
                    parsed = parse_memory(one).map(|v| v as i64);
                }
                if parsed.is_none() && fmt & PERCENT != 0 && one.len() > 1 && one.last() == Some(&b'%') {
                    if let Some(v) = crate::num::parse_i64(&one[..one.len() - 1]) {
                        if v >= 0 {
                            parsed = Some(-v);
                        }
                    }
                }
                if parsed.is_none() && fmt & OCTAL != 0 {
                    parsed = strtoll_full(one, 8);
                }
                if parsed.is_none() && fmt == 0 {
                    parsed = crate::num::parse_i64(one);
                }
                let v = match parsed {
                    Some(v) => v,
                    None => {
                        return Err(String::from(if fmt & MEM != 0 && fmt & PERCENT != 0 {
                            "argument must be a memory or percent value"
                        } else if fmt & MEM != 0 {
                            "argument must be a memory value"
                        } else if fmt & OCTAL != 0 {
                            "argument couldn't be parsed as an octal number"
                        } else {
                            "argument couldn't be parsed into an integer"
                        }))
                    }
                };
                if unsigned {
                    let u = v as u64 as i128;
                    if u > max || u < min {
                        return Err(if fmt & OCTAL != 0 {
                            format!("argument must be between {:o} and {:o} inclusive", min, max)
                        } else {
                            format!("argument must be between {} and {} inclusive", min, max)
                        });
                    }
                } else if fmt & PERCENT != 0 && v < 0 {
                    if (v as i128) < min {
                        return Err(format!("percentage argument must be less or equal to {}", -min));
                    }
                } else if (v as i128) > max || (v as i128) < min {
                    return Err(format!("argument must be between {} and {} inclusive", min, max));
                }
                let t = if fmt & PERCENT != 0 && v < 0 {
                    format!("{}%", -(v as i128))
                } else if fmt & MEM != 0 {
                    (v as u64).to_string()
                } else if fmt & OCTAL != 0 {
                    format!("{:o}", v as u64)
                } else {
                    v.to_string()
                };
                Ok(Parsed { text: t, num: v })
            }
            Kind::Special(s) => self.parse_special(s, argv, cur).map(plain),
        }
    }

    fn parse_special(&self, s: Special, argv: &[&[u8]], cur: &str) -> core::result::Result<String, String> {
        match s {
            Special::Dir => {
                if argv.len() != 1 {
                    return Err("wrong number of arguments".into());
                }
                if argv[0].is_empty() {
                    // chdir("") fails with ENOENT.
                    return Err("No such file or directory".into());
                }
                Ok(text(argv[0]))
            }
            Special::Save => {
                let argv: &[&[u8]] = if argv.len() == 1 && argv[0].is_empty() { &[] } else { argv };
                if !argv.len().is_multiple_of(2) {
                    return Err("Invalid save parameters".into());
                }
                let mut out = Vec::new();
                for (j, a) in argv.iter().enumerate() {
                    let v = strtoll_full(a, 10).ok_or_else(|| String::from("Invalid save parameters"))?;
                    if (j % 2 == 0 && v < 1) || (j % 2 == 1 && v < 0) {
                        return Err("Invalid save parameters".into());
                    }
                    // Changes are stored in an int.
                    out.push(if j % 2 == 0 { v.to_string() } else { (v as i32).to_string() });
                }
                Ok(out.join(" "))
            }
            Special::ClientOutputBufferLimit => {
                if !argv.len().is_multiple_of(4) {
                    return Err("Wrong number of arguments in buffer limit configuration.".into());
                }
                let mut classes: Vec<String> = Vec::new();
                let cur_parts: Vec<&str> = cur.split(' ').collect();
                for (i, c) in OBUF_CLASSES.iter().enumerate() {
                    let get = |k: usize| cur_parts.get(i * 4 + k).copied().unwrap_or("0");
                    classes.push(format!("{} {} {} {}", c, get(1), get(2), get(3)));
                }
                let mut newv: Vec<Option<String>> = alloc::vec![None, None, None];
                for ch in argv.chunks(4) {
                    let class = obuf_class(ch[0]).ok_or_else(|| String::from("Invalid client class specified in buffer limit configuration."))?;
                    let hard = parse_memory(ch[1]);
                    let soft = parse_memory(ch[2]);
                    let secs = strtoll_full(ch[3], 10).map(|v| v as i32);
                    match (hard, soft, secs) {
                        (Some(h), Some(s), Some(sec)) if sec >= 0 => {
                            newv[class] = Some(format!("{} {} {} {}", OBUF_CLASSES[class], h, s, sec));
                        }
                        _ => return Err("Error in hard, soft or soft_seconds setting in buffer limit configuration.".into()),
                    }
                }
                for (i, n) in newv.into_iter().enumerate() {
                    if let Some(n) = n {
                        classes[i] = n;
                    }
                }
                Ok(classes.join(" "))
            }
            Special::OomScoreAdjValues => {
                if argv.len() != 3 {
                    return Err("wrong number of arguments".into());
                }
                let mut out = Vec::new();
                for a in argv {
                    match strtoll_full(a, 10) {
                        Some(v) if (-2000..=2000).contains(&v) => out.push(v.to_string()),
                        _ => return Err("Invalid oom-score-adj-values, elements must be between -2000 and 2000.".into()),
                    }
                }
                Ok(out.join(" "))
            }
            Special::NotifyKeyspaceEvents => {
                if argv.len() != 1 {
                    return Err("wrong number of arguments".into());
                }
                let end = argv[0].iter().position(|&c| c == 0).unwrap_or(argv[0].len());
                match notify::parse(&argv[0][..end]) {
                    Some(f) => Ok(notify::to_exact_string(f)),
                    None => Err("Invalid event class character. Use 'Ag$lshzxeKEtmdn'.".into()),
                }
            }
            Special::Bind => {
                if argv.len() > BINDADDR_MAX {
                    return Err("Too many bind addresses specified.".into());
                }
                let argv: &[&[u8]] = if argv.len() == 1 && argv[0].is_empty() { &[] } else { argv };
                Ok(argv.iter().map(|a| text(a)).collect::<Vec<_>>().join(" "))
            }
            Special::Replicaof => {
                if argv.len() != 2 {
                    return Err("wrong number of arguments".into());
                }
                if argv[0].eq_ignore_ascii_case(b"no") && argv[1].eq_ignore_ascii_case(b"one") {
                    return Ok(String::new());
                }
                match strtoll_full(argv[1], 10) {
                    Some(port) if (0..=65535).contains(&port) && !argv[1].is_empty() => Ok(format!("{} {}", text(argv[0]), port)),
                    _ => Err("Invalid master port".into()),
                }
            }
            Special::LatencyTrackingInfoPercentiles => {
                let argv: &[&[u8]] = if argv.len() == 1 && argv[0].is_empty() { &[] } else { argv };
                let mut out = Vec::new();
                for a in argv {
                    let d = crate::num::parse_f64(a).ok_or_else(|| String::from("Invalid latency-tracking-info-percentiles parameters"))?;
                    if !(0.0..=100.0).contains(&d) {
                        return Err("latency-tracking-info-percentiles parameters should sit between [0.0,100.0]".into());
                    }
                    out.push(fmt_percentile(d));
                }
                Ok(out.join(" "))
            }
        }
    }
}

/// Splits a CONFIG SET value of a multi-arg parameter like Redis's
/// `sdssplitlen(value, " ")`: on every single space, empty input giving no
/// arguments.
pub(crate) fn split_value(v: &[u8]) -> Vec<&[u8]> {
    if v.is_empty() {
        return Vec::new();
    }
    v.split(|&c| c == b' ').collect()
}

impl Config {
    /// The current value of `p` in CONFIG GET form.
    pub fn param_value(&self, p: &Param) -> String {
        match p.name {
            "databases" => self.databases.to_string(),
            "hz" => self.hz.to_string(),
            "tracking-table-max-keys" => self.tracking_table_max_keys.to_string(),
            "maxmemory" => self.maxmemory.to_string(),
            "maxmemory-policy" => String::from(self.maxmemory_policy.name()),
            "maxmemory-samples" => self.maxmemory_samples.to_string(),
            "lfu-log-factor" => self.lfu_log_factor.to_string(),
            "lfu-decay-time" => self.lfu_decay_time.to_string(),
            "hash-max-listpack-entries" => self.hash_max_listpack_entries.to_string(),
            "hash-max-listpack-value" => self.hash_max_listpack_value.to_string(),
            "set-max-intset-entries" => self.set_max_intset_entries.to_string(),
            "list-max-listpack-size" => self.list_max_listpack_size.to_string(),
            "list-compress-depth" => self.list_compress_depth.to_string(),
            "zset-max-listpack-entries" => self.zset_max_listpack_entries.to_string(),
            "zset-max-listpack-value" => self.zset_max_listpack_value.to_string(),
            "proto-max-bulk-len" => self.proto_max_bulk_len.to_string(),
            "stream-node-max-entries" => self.stream_node_max_entries.to_string(),
            "stream-node-max-bytes" => self.stream_node_max_bytes.to_string(),
            "notify-keyspace-events" => notify::to_string(self.notify_flags()),
            "timeout" => self.timeout.to_string(),
            "maxclients" => self.maxclients.to_string(),
            "slowlog-log-slower-than" => self.slowlog_log_slower_than.to_string(),
            "slowlog-max-len" => self.slowlog_max_len.to_string(),
            "latency-monitor-threshold" => self.latency_monitor_threshold.to_string(),
            name => match self.extra.iter().find(|(n, _)| n == name) {
                Some((_, v)) => v.clone(),
                None => String::from(p.default),
            },
        }
    }

    /// Stores a validated value.
    pub(crate) fn store(&mut self, p: &Param, v: Parsed) {
        let n = v.num;
        match p.name {
            "databases" => self.databases = n.max(1) as usize,
            "hz" => self.hz = n.clamp(1, 500) as u32,
            "tracking-table-max-keys" => self.tracking_table_max_keys = n as u64,
            "maxmemory" => self.maxmemory = n as u64,
            "maxmemory-policy" => self.maxmemory_policy = MaxmemoryPolicy::from_name(&v.text).unwrap_or_default(),
            "maxmemory-samples" => self.maxmemory_samples = n as u32,
            "lfu-log-factor" => self.lfu_log_factor = n as u32,
            "lfu-decay-time" => self.lfu_decay_time = n as u32,
            "hash-max-listpack-entries" => self.hash_max_listpack_entries = n as usize,
            "hash-max-listpack-value" => self.hash_max_listpack_value = n as usize,
            "set-max-intset-entries" => self.set_max_intset_entries = n as usize,
            "list-max-listpack-size" => self.list_max_listpack_size = n,
            "list-compress-depth" => self.list_compress_depth = n,
            "zset-max-listpack-entries" => self.zset_max_listpack_entries = n as usize,
            "zset-max-listpack-value" => self.zset_max_listpack_value = n as usize,
            "proto-max-bulk-len" => self.proto_max_bulk_len = n as u64,
            "stream-node-max-entries" => self.stream_node_max_entries = n,
            "stream-node-max-bytes" => self.stream_node_max_bytes = n as u64,
            "notify-keyspace-events" => self.notify_keyspace_events = v.text,
            "timeout" => self.timeout = n as u64,
            "maxclients" => self.maxclients = n as u64,
            "slowlog-log-slower-than" => self.slowlog_log_slower_than = n,
            "slowlog-max-len" => self.slowlog_max_len = n as u64,
            "latency-monitor-threshold" => self.latency_monitor_threshold = n as u64,
            name => {
                self.extra.retain(|(k, _)| k != name);
                if v.text != p.default {
                    self.extra.push((String::from(name), v.text));
                }
            }
        }
    }

    /// The value of parameter `name` (primary name or alias, any case) in
    /// CONFIG GET form, or `None` for an unknown name.
    pub fn get_param(&self, name: &str) -> Option<String> {
        lookup_param(name.as_bytes()).map(|(p, _)| self.param_value(p))
    }

    /// Sets parameter `name` like a `redis.conf` line or a `--name value`
    /// command-line directive: immutable and protected parameters may be set;
    /// a multi-arg value is split on whitespace (`"900 1 300 10"` sets two
    /// save points). The error text is Redis's reason.
    ///
    /// `user` declares an ACL user (`"alice on >pw ~app:*"`), as a
    /// redis.conf `user` line: checked now (unknown commands excepted, as
    /// Redis defers them to module loading), created when the engine starts.
    pub fn set_param(&mut self, name: &str, value: &str) -> Result<()> {
        if name.eq_ignore_ascii_case("user") {
            let words: Vec<&[u8]> = value.split_ascii_whitespace().map(str::as_bytes).collect();
            if words.is_empty() {
                return Err(Error::err("Bad directive or wrong number of arguments"));
            }
            if self.users.iter().any(|u| u[0] == words[0]) {
                return Err(Error::err(&alloc::format!(
                    "Error in user declaration '{}': Duplicate user found. A user can only be defined once in config files",
                    String::from_utf8_lossy(words[0])
                )));
            }
            crate::acl::check_declaration(&words).map_err(|e| Error::err(&e))?;
            self.users.push(words.iter().map(|w| w.to_vec()).collect());
            return Ok(());
        }
        let Some((p, _)) = lookup_param(name.as_bytes()) else {
            return Err(Error::err("Bad directive or wrong number of arguments"));
        };
        let argv: Vec<&[u8]> = if p.flags & MULTI_ARG != 0 && !value.is_empty() {
            value.split_ascii_whitespace().map(|s| s.as_bytes()).collect()
        } else {
            alloc::vec![value.as_bytes()]
        };
        let cur = self.param_value(p);
        let v = p.parse(&argv, &cur).map_err(|e| Error::err(&e))?;
        self.store(p, v);
        Ok(())
    }

    /// CONFIG SET with its checks and error replies: every name must exist
    /// and be settable, none twice, every value valid; then all are applied,
    /// or none. `protected_ok` tells whether the caller may set protected
    /// parameters (`enable-protected-configs`).
    pub fn config_set(&mut self, pairs: &[(&[u8], &[u8])], protected_ok: bool) -> Result<()> {
        let mut found: Vec<(&'static Param, &'static str)> = Vec::with_capacity(pairs.len());
        for (name, _) in pairs {
            let Some((p, canon)) = lookup_param(name) else {
                let mut m = b"ERR Unknown option or number of arguments for CONFIG SET - '".to_vec();
                m.extend_from_slice(name);
                m.push(b'\'');
                return Err(Error::msg(m));
            };
            // The first problem in argument order is the one reported.
            if p.flags & IMMUTABLE != 0 || (p.flags & PROTECTED != 0 && !protected_ok) {
                let why = if p.flags & IMMUTABLE != 0 { "can't set immutable config" } else { "can't set protected config" };
                return Err(set_failed(name, why));
            }
            if found.iter().any(|(q, c)| core::ptr::eq(*q, p) && *c == canon) {
                return Err(set_failed(name, "duplicate parameter"));
            }
            found.push((p, canon));
        }
        let mut staged = self.clone();
        for ((p, canon), (_, value)) in found.iter().zip(pairs) {
            let argv = if p.flags & MULTI_ARG != 0 { split_value(value) } else { alloc::vec![*value] };
            let cur = staged.param_value(p);
            let v = p.parse(&argv, &cur).map_err(|e| set_failed(canon.as_bytes(), &e))?;
            staged.store(p, v);
        }
        *self = staged;
        Ok(())
    }

    /// CONFIG GET: (name, value) pairs for every pattern, deduplicated by
    /// name ignoring case. A pattern without glob characters is an exact
    /// lookup reported under the name as given; a glob matches every
    /// non-hidden name and alias.
    pub fn config_get(&self, patterns: &[&[u8]]) -> Vec<(Vec<u8>, String)> {
        let mut out: Vec<(Vec<u8>, String)> = Vec::new();
        let seen = |out: &Vec<(Vec<u8>, String)>, n: &[u8]| out.iter().any(|(k, _)| k.eq_ignore_ascii_case(n));
        for pat in patterns {
            if !pat.iter().any(|c| matches!(c, b'[' | b'*' | b'?')) {
                if seen(&out, pat) {
                    continue;
                }
                if let Some((p, _)) = lookup_param(pat) {
                    out.push((pat.to_vec(), self.param_value(p)));
                }
                continue;
            }
            for (name, p) in param_names() {
                if seen(&out, name.as_bytes()) {
                    continue;
                }
                if crate::glob::matches(pat, name.as_bytes(), true) {
                    out.push((name.as_bytes().to_vec(), self.param_value(p)));
                }
            }
        }
        out
    }

    /// The keyspace notification classes enabled ([`notify`] bits).
    pub fn notify_flags(&self) -> u32 {
        notify::parse(self.notify_keyspace_events.as_bytes()).unwrap_or(0)
    }
}

fn set_failed(name: &[u8], why: &str) -> Error {
    let mut m = b"ERR CONFIG SET failed (possibly related to argument '".to_vec();
    m.extend_from_slice(name);
    m.extend_from_slice(b"') - ");
    m.extend_from_slice(why.as_bytes());
    Error::msg(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn memory_units() {
        assert_eq!(parse_memory(b"1gb"), Some(1 << 30));
        assert_eq!(parse_memory(b"1G"), Some(1_000_000_000));
        assert_eq!(parse_memory(b"10kB"), Some(10240));
        assert_eq!(parse_memory(b""), Some(0));
        assert_eq!(parse_memory(b"-1"), None);
        assert_eq!(parse_memory(b"1x"), None);
        assert_eq!(parse_memory(b"18446744073709551616"), Some(u64::MAX));
    }

    #[test]
    fn every_default_parses_back() {
        for p in PARAMS.iter().filter(|p| p.name != "replicaof") {
            let argv = if p.flags & MULTI_ARG != 0 { split_value(p.default.as_bytes()) } else { alloc::vec![p.default.as_bytes()] };
            let v = p.parse(&argv, p.default);
            assert!(v.is_ok(), "{}: {:?}", p.name, v);
            if p.name != "activedefrag" {
                assert_eq!(v.unwrap().text, p.default, "{}", p.name);
            }
        }
        let c = Config::default();
        for p in PARAMS {
            assert_eq!(c.param_value(p), p.default, "{}", p.name);
        }
    }
}
